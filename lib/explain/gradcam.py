"""Grad-CAM et Grad-CAM++ : des cartes de classe calculées sur une couche de convolution.

Les deux méthodes pondèrent les cartes d'activation A^k d'une couche (N, K, h, w) par des
poids tirés du gradient du score S_c, puis gardent la partie positive (ReLU). Elles
renvoient la carte brute ``(N, 1, h, w)`` à la résolution de la couche, ni normalisée ni
redimensionnée : :func:`upsample` et :func:`normalize` s'en chargent séparément. Sans
``layer``, elles observent la dernière couche de convolution (``nn.Conv2d``) du modèle.
Voir le chapitre 8.
"""

from __future__ import annotations

import warnings

import torch
import torch.nn.functional as F

from lib import _validation as check
from lib.explain.hooks import (
    capture,
    check_input,
    evaluating,
    last_conv_layer,
    target_scores,
    targets,
    to_model,
)

__all__ = ["grad_cam", "grad_cam_pp", "upsample", "normalize"]


def _layer_gradient(model, x, target, layer):
    """Activation A, gradient ∂S_c/∂A (N, K, h, w) et scores S_c (N,) pour la couche."""
    check.module("model", model)
    check_input(x, ndims=(4,))
    if layer is None:
        layer = last_conv_layer(model)
    index = targets(target, len(x))
    data = to_model(model, x)
    with evaluating(model), capture(model, layer) as record:
        scores = target_scores(model, data, index)
        if record.output is None:
            raise ValueError(f"`layer` doit être utilisée par le modèle ; la couche "
                             f"{record.name!r} n'a pas servi au calcul")
        if record.output.ndim != 4:
            raise ValueError(f"`layer` doit produire des cartes (N, K, h, w) ; la couche "
                             f"{record.name!r} produit la forme {tuple(record.output.shape)}")
        (grad,) = torch.autograd.grad(scores.sum(), record.output)
    return record.activation, grad.detach(), scores.detach()


def grad_cam(model, x, target, *, layer=None) -> torch.Tensor:
    """Grad-CAM : L^c = ReLU(Σ_k α_k^c A^k), avec α_k^c = (1/Z) Σ_ij ∂S_c/∂A^k_ij.

    Les poids α_k^c sont la moyenne spatiale (Z = h·w positions) du gradient du score de la
    classe par rapport à la carte d'activation A^k de ``layer`` (un module du modèle ou son
    nom ; par défaut, None : la dernière couche de convolution ``nn.Conv2d`` du modèle,
    voir :func:`~lib.explain.hooks.last_conv_layer`, sa sortie avant la ReLU qui la suit).
    Renvoie la carte brute ``(N, 1, h, w)``, détachée, sur le CPU.
    D'après Selvaraju et al. (2017), selvaraju2017gradcam. Voir le chapitre 8.
    """
    activation, grad, _ = _layer_gradient(model, x, target, layer)
    weights = grad.mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((weights * activation).sum(dim=1, keepdim=True))
    return cam.detach().cpu()


def grad_cam_pp(model, x, target, *, layer=None) -> torch.Tensor:
    """Grad-CAM++ : L^c = ReLU(Σ_k w_k^c A^k), w_k^c = Σ_ij α_ij^kc ReLU(∂Y_c/∂A^k_ij).

    Forme fermée de l'éq. 19 de l'article, avec le score exponentiel Y_c = exp(S_c) : en
    notant g = ∂S_c/∂A^k_ij, les dérivées d'ordre 2 et 3 de Y_c valent exp(S_c)·g² et
    exp(S_c)·g³ (la suite du réseau est linéaire par morceaux : ReLU, max-pooling, couches
    linéaires), d'où α_ij^kc = g² / (2g² + Σ_ab A^k_ab · g³) (0 si le dénominateur est nul)
    et ∂Y_c/∂A = exp(S_c)·g. La carte brute ``(N, 1, h, w)`` contient donc le facteur
    exp(S_c) > 0, sans effet après :func:`normalize`. D'après Chattopadhay et al. (2018),
    chattopadhay2018gradcampp. ``layer`` : comme pour :func:`grad_cam` (par défaut, la
    dernière couche de convolution ``nn.Conv2d`` du modèle). Voir le chapitre 8.
    """
    activation, grad, scores = _layer_gradient(model, x, target, layer)
    grad2 = grad * grad
    denominator = 2 * grad2 + activation.sum(dim=(2, 3), keepdim=True) * grad2 * grad
    safe = torch.where(denominator != 0, denominator, torch.ones_like(denominator))
    alpha = torch.where(denominator != 0, grad2 / safe, torch.zeros_like(grad2))
    weights = (alpha * torch.relu(grad)).sum(dim=(2, 3), keepdim=True)
    cam = torch.relu((weights * activation).sum(dim=1, keepdim=True))
    factor = torch.exp(scores).view(-1, 1, 1, 1)
    if not bool(torch.isfinite(factor).all()):
        warnings.warn("grad_cam_pp : exp(S_c) dépasse la plage des nombres flottants "
                      f"(score maximal {float(scores.max()):.1f}) ; la carte brute contient "
                      "des valeurs infinies : utilisez x en float64", RuntimeWarning,
                      stacklevel=2)
    return (factor * cam).detach().cpu()


def _check_map(name: str, value) -> torch.Tensor:
    check.tensor(name, value, ndim=4)
    if not value.is_floating_point():
        raise TypeError(f"`{name}` doit contenir des nombres réels ; reçu : type {value.dtype}")
    return value


def upsample(map, size) -> torch.Tensor:
    """Agrandit une carte ``(N, C, h, w)`` à la taille ``size`` par interpolation bilinéaire.

    ``size`` : un entier (carte carrée) ou un couple (H, W) ; interpolation
    ``torch.nn.functional.interpolate(mode="bilinear", align_corners=False)``.
    Renvoie ``(N, C, H, W)``, détaché, sur le CPU. Voir le chapitre 8.
    """
    _check_map("map", map)
    if isinstance(size, tuple | list):
        if len(size) != 2:
            raise ValueError(f"`size` doit être un entier ou un couple (H, W) ; reçu : {size!r}")
        size = tuple(check.number("size", s, low=1, integer=True) for s in size)
    else:
        size = check.number("size", size, low=1, integer=True)
        size = (size, size)
    out = F.interpolate(map.detach(), size=size, mode="bilinear", align_corners=False)
    return out.cpu()


def normalize(map) -> torch.Tensor:
    """Ramène chaque carte dans [0, 1] : (L − min L) / (max L − min L), image par image.

    Une carte constante (par exemple nulle, quand Grad-CAM ne trouve rien) devient une carte
    nulle au lieu d'une division par zéro. ``map`` : ``(N, ...)`` ; renvoie la même forme,
    détachée, sur le CPU. Voir le chapitre 8.
    """
    check.tensor("map", map)
    if map.ndim < 2 or not map.is_floating_point():
        raise ValueError(f"`map` doit être un lot de cartes réelles (N, ...) ; reçu : forme "
                         f"{tuple(map.shape)}, type {map.dtype}")
    data = map.detach()
    flat = data.reshape(len(data), -1)
    low = flat.amin(dim=1, keepdim=True)
    span = flat.amax(dim=1, keepdim=True) - low
    scaled = torch.where(span > 0, (flat - low) / torch.where(span > 0, span, 1), 0)
    return scaled.view_as(data).cpu()
