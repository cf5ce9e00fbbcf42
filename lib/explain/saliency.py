"""Cartes de saillance par gradient : gradient simple, SmoothGrad, gradients intégrés.

Les trois méthodes attribuent à chaque entrée (pixel) une importance signée, de la même
forme que ``x``, à partir du gradient du score S_c de la classe visée (le logit, avant le
softmax). Le modèle est évalué en mode évaluation puis rendu exactement dans son état
d'origine ; ``x`` est d'abord placé sur l'appareil et dans le type de nombres du modèle
(:func:`lib.explain.hooks.to_model`), et le résultat revient sur le CPU. Voir le chapitre 8.
"""

from __future__ import annotations

import torch

from lib import _validation as check
from lib.explain.hooks import (
    check_baseline,
    check_input,
    check_no_layer,
    evaluating,
    target_scores,
    targets,
    to_model,
)

__all__ = ["gradient", "smoothgrad", "integrated_gradients"]

#: Les lots d'images bruitées (SmoothGrad) ou de points du chemin (gradients intégrés) sont
#: traités par paquets d'au plus _CHUNK_ROWS images et _CHUNK_ELEMENTS valeurs d'entrée :
#: la mémoire reste bornée et les activations tiennent dans le cache (deux fois plus rapide
#: qu'un seul paquet de 3 200 images sur un processeur).
_CHUNK_ROWS = 128
_CHUNK_ELEMENTS = 1 << 21


def _input_gradient(model, inputs: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """Gradient ∂S_c/∂x de chaque ligne de ``inputs`` (les lignes sont indépendantes)."""
    leaf = inputs.detach().requires_grad_(True)
    scores = target_scores(model, leaf, index)
    (grad,) = torch.autograd.grad(scores.sum(), leaf)
    return grad


def _batched_gradient(model, inputs: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """Comme :func:`_input_gradient`, par paquets pour borner la mémoire."""
    per_row = max(1, inputs[0].numel())
    size = max(1, min(_CHUNK_ROWS, _CHUNK_ELEMENTS // per_row))
    if len(inputs) <= size:
        return _input_gradient(model, inputs, index)
    parts = [_input_gradient(model, inputs[i:i + size], index[i:i + size])
             for i in range(0, len(inputs), size)]
    return torch.cat(parts)


def gradient(model, x, target, *, layer=None) -> torch.Tensor:
    """Carte de saillance : le gradient du score de la classe par rapport à l'entrée, ∂S_c/∂x.

    Renvoie un tenseur détaché, sur le CPU, de la forme de ``x`` (le signe est conservé ;
    prenez ``.abs()`` pour la carte de Simonyan et al.). ``target`` : un entier ou N entiers.
    D'après Simonyan, Vedaldi et Zisserman (2014), simonyan2014saliency. Voir le chapitre 8.
    """
    check.module("model", model)
    check_input(x)
    check_no_layer(layer, "gradient")
    index = targets(target, len(x))
    data = to_model(model, x)
    with evaluating(model):
        grad = _input_gradient(model, data, index)
    return grad.detach().cpu()


def _check_smoothgrad(noise, samples, seed):
    noise = check.number("noise", noise, low=0)
    samples = check.number("samples", samples, low=1, integer=True)
    seed = check.number("seed", seed, low=0, integer=True)
    return noise, samples, seed


def smoothgrad(model, x, target, *, layer=None, noise: float = 0.15, samples: int = 25,
               seed: int = 0) -> torch.Tensor:
    """SmoothGrad : moyenne des gradients sur des copies bruitées de l'entrée.

    M(x) = (1/n) Σ_{i=1..n} ∂S_c/∂x (x + ε_i), ε_i ~ N(0, σ²), σ = ``noise`` × (max x − min x)
    calculé image par image (bruit relatif à l'étendue, ``noise`` = 0,15 par défaut), n =
    ``samples``. Le bruit vient d'un générateur local de graine ``seed`` : même graine, même
    carte, et la graine globale de PyTorch n'est pas touchée. Forme de sortie : celle de
    ``x``. D'après Smilkov et al. (2017), smilkov2017smoothgrad. Voir le chapitre 8.
    """
    check.module("model", model)
    check_input(x)
    check_no_layer(layer, "smoothgrad")
    noise, samples, seed = _check_smoothgrad(noise, samples, seed)
    index = targets(target, len(x))
    data = to_model(model, x)
    flat = data.reshape(len(data), -1)
    sigma = noise * (flat.amax(1) - flat.amin(1))
    generator = torch.Generator().manual_seed(seed)
    eps = torch.randn((samples, *data.shape), generator=generator, dtype=data.dtype)
    eps = eps.to(data.device) * sigma.view(1, -1, *([1] * (data.ndim - 1)))
    noisy = (data.unsqueeze(0) + eps).flatten(0, 1)  # (n·N, ...), échantillon par échantillon
    with evaluating(model):
        grads = _batched_gradient(model, noisy, index.repeat(samples))
    return grads.view(samples, *data.shape).mean(0).detach().cpu()


def integrated_gradients(model, x, target, *, layer=None, baseline=None,
                         steps: int = 50) -> torch.Tensor:
    """Gradients intégrés : le gradient moyen le long du segment de x' (référence) à x.

    IG_i(x) = (x_i − x'_i) × ∫₀¹ ∂S_c/∂x_i (x' + α(x − x')) dα, intégrale approchée par la
    règle du point milieu à m = ``steps`` pas : α_k = (k − ½)/m, k = 1..m, poids 1/m (la
    règle ``riemann_middle`` de captum). Complétude : Σ_i IG_i ≈ S_c(x) − S_c(x'), l'écart
    diminuant quand m augmente. ``baseline`` : None (image nulle, par défaut), un nombre,
    ou un tenseur de la forme de ``x`` ou d'une image. Forme de sortie : celle de ``x``.
    D'après Sundararajan, Taly et Yan (2017), sundararajan2017axiomatic. Voir le chapitre 8.
    """
    check.module("model", model)
    check_input(x)
    check_no_layer(layer, "integrated_gradients")
    steps = check.number("steps", steps, low=1, integer=True)
    index = targets(target, len(x))
    data = to_model(model, x)
    start = check_baseline(baseline, data)
    delta = data - start
    alphas = (torch.arange(steps, dtype=data.dtype, device=data.device) + 0.5) / steps
    shape = (steps, *([1] * data.ndim))
    path = (start.unsqueeze(0) + alphas.view(shape) * delta.unsqueeze(0)).flatten(0, 1)
    with evaluating(model):
        grads = _batched_gradient(model, path, index.repeat(steps))
    mean_grad = grads.view(steps, *data.shape).mean(0)
    return (delta * mean_grad).detach().cpu()
