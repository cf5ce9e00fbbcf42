"""Mécanique commune des méthodes d'explication : couche observée, état du modèle, cibles.

Ce module rassemble ce que partagent toutes les méthodes de :mod:`lib.explain` ; il est
public pour qu'un lecteur puisse écrire sa propre méthode avec les mêmes garanties.

- :func:`capture` est le SEUL endroit du livre qui pose des crochets (*hooks*) sur un
  modèle : il enregistre l'activation d'une couche et le gradient du score par rapport à
  cette activation, puis retire tous ses crochets, même en cas d'erreur ;
  :func:`resolve_layer` trouve une couche par son nom, :func:`last_conv_layer` la dernière
  couche de convolution (la couche par défaut de Grad-CAM).
- :func:`evaluating` garantit qu'une méthode rend le modèle exactement comme elle l'a
  trouvé ; :func:`model_placement` et :func:`to_model` placent les données sur l'appareil
  et dans le type de nombres du modèle.
- :func:`check_input`, :func:`targets`, :func:`target_scores`, :func:`check_baseline` et
  :func:`check_no_layer` vérifient les arguments communs (``x``, ``target``, ``baseline``,
  ``layer``) avec des messages d'erreur en français.

Voir le chapitre 8.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch

from lib import _validation as check

__all__ = ["Capture", "capture", "evaluating", "resolve_layer", "last_conv_layer",
           "model_placement", "to_model", "check_input", "targets", "target_scores",
           "check_baseline", "check_no_layer"]


@dataclass
class Capture:
    """Ce que :func:`capture` a enregistré pendant un passage avant puis arrière.

    ``output`` est la sortie de la couche, encore reliée au graphe de calcul (pour
    ``torch.autograd.grad``) ; ``activation`` et ``gradient`` sont détachées.
    Voir le chapitre 8.
    """

    name: str
    output: torch.Tensor | None = None
    gradient: torch.Tensor | None = None
    calls: int = 0
    _handles: list = field(default_factory=list, repr=False)

    @property
    def activation(self) -> torch.Tensor | None:
        """Activation A de la couche, détachée du graphe."""
        return None if self.output is None else self.output.detach()


def _layer_names(model: torch.nn.Module) -> str:
    names = [repr(name) for name, _ in model.named_modules() if name]
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return shown or "aucune"


def resolve_layer(model: torch.nn.Module, layer) -> tuple[str, torch.nn.Module]:
    """Trouve la couche ``layer`` (le module lui-même ou son nom) dans ``model``.

    Renvoie le couple (nom, module) ; lève une erreur française si la couche n'est pas un
    module du modèle. Voir le chapitre 8.
    """
    check.module("model", model)
    if isinstance(layer, str):
        modules = dict(model.named_modules())
        if layer in modules:
            return layer, modules[layer]
        raise ValueError(f"`layer` doit être un module du modèle ; reçu : {layer!r} "
                         f"(noms possibles : {_layer_names(model)})")
    if isinstance(layer, torch.nn.Module):
        for name, module in model.named_modules():
            if module is layer:
                return name, module
        raise ValueError(f"`layer` doit être un module du modèle ; reçu : un module "
                         f"{type(layer).__name__} qui n'appartient pas au modèle "
                         f"(noms possibles : {_layer_names(model)})")
    raise TypeError("`layer` doit être un module du modèle ou son nom (une chaîne) ; "
                    f"reçu : {check.describe(layer)}")


def last_conv_layer(model: torch.nn.Module) -> str:
    """Nom de la dernière couche de convolution (``nn.Conv2d``) de ``model``, dans l'ordre
    de ``model.named_modules()``.

    C'est la couche que :func:`~lib.explain.gradcam.grad_cam` et
    :func:`~lib.explain.gradcam.grad_cam_pp` observent quand ``layer`` n'est pas donné ;
    lève une erreur française qui nomme ``layer`` si le modèle n'a aucune convolution.
    Voir le chapitre 8.
    """
    check.module("model", model)
    names = [name for name, module in model.named_modules()
             if isinstance(module, torch.nn.Conv2d)]
    if not names:
        raise ValueError("`layer` doit être donné (un module du modèle ou son nom) : le modèle "
                         f"{type(model).__name__} n'a aucune couche de convolution (nn.Conv2d) "
                         "à choisir par défaut")
    return names[-1]


@contextmanager
def capture(model: torch.nn.Module, layer) -> Iterator[Capture]:
    """Enregistre l'activation A de ``layer`` et le gradient ∂S/∂A pendant le bloc ``with``.

    Un crochet avant (*forward hook*) garde la sortie de la couche et rend à la suite du
    réseau une copie : une ReLU en place (``inplace=True``) modifie la copie, jamais A.
    Un crochet de tenseur (et non ``register_full_backward_hook``, incompatible avec les
    opérations en place) reçoit ∂S/∂A au passage arrière. Si rien avant la couche ne
    demande de gradient (paramètres figés, ``x`` sans ``requires_grad``), le graphe de
    calcul commence à A : le passage avant jusqu'à la couche ne garde rien en mémoire. Tous
    les crochets sont retirés à la sortie du bloc, même si une erreur y est levée.
    Voir le chapitre 8.
    """
    name, module = resolve_layer(model, layer)
    record = Capture(name=name)

    def keep_gradient(grad):
        record.gradient = grad.detach()

    def forward_hook(_module, _inputs, output):
        if not isinstance(output, torch.Tensor):
            raise ValueError(f"`layer` doit produire un seul tenseur ; la couche {name!r} "
                             f"renvoie : {type(output).__name__}")
        record.calls += 1
        if record.calls > 1:
            raise ValueError(f"`layer` doit être appelée une seule fois par passage avant ; "
                             f"la couche {name!r} est réutilisée par le modèle")
        if not output.requires_grad:  # rien avant la couche ne demande de gradient :
            output = output.detach().requires_grad_(True)  # le graphe commence à A
        record.output = output
        record._handles.append(output.register_hook(keep_gradient))
        return output.clone()

    record._handles.append(module.register_forward_hook(forward_hook))
    try:
        yield record
    finally:
        for handle in record._handles:
            handle.remove()
        record._handles.clear()


@contextmanager
def evaluating(model: torch.nn.Module) -> Iterator[torch.nn.Module]:
    """Met le modèle en mode évaluation, gradients activés, paramètres figés, le temps du bloc.

    À la sortie (même sur erreur), chaque sous-module retrouve son mode (entraînement ou
    évaluation) et chaque paramètre son ``requires_grad`` et son ``.grad`` (y compris None) :
    la méthode laisse le modèle exactement comme elle l'a trouvé. Figer les paramètres
    évite de calculer leurs gradients, inutiles pour une explication. Voir le chapitre 8.
    """
    check.module("model", model)
    modes = [(module, module.training) for module in model.modules()]
    params = [(p, p.requires_grad, p.grad) for p in model.parameters()]
    try:
        model.eval()
        for p, _, _ in params:
            p.requires_grad_(False)
        with torch.enable_grad():
            yield model
    finally:
        for module, mode in modes:
            module.training = mode
        for p, requires_grad, grad in params:
            p.requires_grad_(requires_grad)
            p.grad = grad


def check_input(x, *, ndims=(2, 4)) -> torch.Tensor:
    """Vérifie que ``x`` est un lot non vide de nombres réels finis à ``ndims`` dimensions.

    ``ndims`` : les nombres de dimensions permis, parmi 2 (``(N, D)``) et 4
    (``(N, C, H, W)``). Renvoie ``x`` tel quel ; lève une erreur française qui nomme ``x``.
    Voir le chapitre 8.
    """
    ndims = tuple(ndims) if isinstance(ndims, tuple | list) else (ndims,)
    if not ndims or any(d not in (2, 4) for d in ndims):
        raise ValueError(f"`ndims` doit contenir 2 et/ou 4 ; reçu : {ndims!r}")
    check.tensor("x", x)
    if x.ndim not in ndims:
        shapes = " ou ".join({2: "(N, D)", 4: "(N, C, H, W)"}[d] for d in ndims)
        hint = " ; pour une seule image, écrivez x[None]" if x.ndim == 3 else ""
        raise ValueError(f"`x` doit être un lot de forme {shapes} ; "
                         f"reçu : forme {tuple(x.shape)}{hint}")
    if not x.is_floating_point():
        raise TypeError(f"`x` doit contenir des nombres réels ; reçu : type {x.dtype}")
    if x.shape[0] == 0:
        raise ValueError("`x` doit contenir au moins une image ; reçu : un lot vide")
    # La somme est NaN ou infinie dès qu'une valeur l'est (test rapide) ; sinon on vérifie.
    if not bool(torch.isfinite(x.sum())) and not bool(torch.isfinite(x).all()):
        raise ValueError("`x` contient des valeurs infinies ou NaN")
    return x


def model_placement(model: torch.nn.Module) -> tuple[torch.dtype | None, torch.device | None]:
    """Type de nombres et appareil (CPU, GPU…) du premier paramètre, ou tampon, réel du modèle.

    Renvoie ``(None, None)`` pour un modèle sans paramètre ni tampon réel. Voir le chapitre 8.
    """
    check.module("model", model)
    for tensor in itertools.chain(model.parameters(), model.buffers()):
        if tensor.is_floating_point():
            return tensor.dtype, tensor.device
    return None, None


def to_model(model: torch.nn.Module, x, *, name: str = "x", real: bool = True) -> torch.Tensor:
    """Place ``x`` sur l'appareil du modèle et dans le type de nombres de ses paramètres.

    Une entrée float32 donnée à un modèle float64 (ou l'inverse), ou une entrée sur le CPU
    donnée à un modèle sur GPU, est convertie au lieu de provoquer l'erreur de PyTorch.
    Renvoie une copie détachée : ``x`` n'est jamais modifié, même par un modèle qui calcule
    en place (``ReLU(inplace=True)``), et le calcul se fait dans le type du modèle.
    ``real=False`` accepte aussi des entiers (numéros de classe), seulement déplacés ; avec
    ``real=True``, des entiers (images 0–255…) lèvent une ``TypeError`` qui nomme le
    paramètre ``name``. Voir le chapitre 8.
    """
    check.tensor(name, x)
    dtype, device = model_placement(model)
    if not x.is_floating_point():
        if real:
            wanted = str(dtype or torch.get_default_dtype()).removeprefix("torch.")
            raise TypeError(f"`{name}` doit contenir des nombres réels ; reçu : type {x.dtype} "
                            f"(convertissez avec {name}.to(torch.{wanted}))")
        dtype = None  # numéros de classe : on ne change que l'appareil
    return x.detach().to(device=device, dtype=dtype, copy=True)


def targets(target, n: int) -> torch.Tensor:
    """Convertit ``target`` (un entier, ou N entiers) en tenseur d'indices de longueur ``n``.

    ``target`` : un entier ≥ 0 (la même classe pour les ``n`` images), ou une liste, un
    tableau NumPy ou un tenseur de ``n`` entiers. Renvoie un tenseur ``int64`` ``(n,)``.
    Voir le chapitre 8.
    """
    n = check.number("n", n, low=1, integer=True)
    if isinstance(target, torch.Tensor | np.ndarray):
        if target.dtype == torch.bool or target.dtype == np.bool_ or (
                isinstance(target, torch.Tensor) and target.is_floating_point()) or (
                isinstance(target, np.ndarray) and target.dtype.kind not in "iu"):
            raise TypeError(f"`target` doit contenir des entiers ; reçu : type {target.dtype}")
        if target.ndim > 1:
            raise ValueError(f"`target` doit être un entier ou une suite de {n} entiers ; "
                             f"reçu : forme {tuple(target.shape)}")
        target = target.tolist()
    if isinstance(target, list | tuple):
        if len(target) != n:
            raise ValueError(f"`target` doit contenir {n} classe(s), une par image ; "
                             f"reçu : {len(target)}")
        values = [check.number("target", t, low=0, integer=True) for t in target]
    else:
        values = [check.number("target", target, low=0, integer=True)] * n
    return torch.as_tensor(values, dtype=torch.int64)


def target_scores(model: torch.nn.Module, x: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """Scores S_c(x) de la classe visée de chaque image : un tenseur ``(N,)`` relié au graphe.

    ``x`` est déjà placé par :func:`to_model` et ``index`` vient de :func:`targets`. Lève une
    erreur française si le modèle ne renvoie pas des scores ``(N, classes)`` ou si une classe
    visée n'existe pas. Voir le chapitre 8.
    """
    check.module("model", model)
    check.tensor("index", index, ndim=1)
    scores = model(x)
    if not isinstance(scores, torch.Tensor) or scores.ndim != 2 or scores.shape[0] != len(x):
        shape = tuple(scores.shape) if isinstance(scores, torch.Tensor) else type(scores)
        raise ValueError(f"`model` doit renvoyer des scores de forme (N, classes) = "
                         f"({len(x)}, K) ; reçu : {shape}")
    if int(index.max()) >= scores.shape[1]:
        raise ValueError(f"`target` doit être < {scores.shape[1]} (nombre de classes) ; "
                         f"reçu : {int(index.max())}")
    return scores.gather(1, index.to(scores.device)[:, None]).squeeze(1)


def check_no_layer(layer, method: str) -> None:
    """Refuse une couche ``layer`` donnée à une méthode qui n'en a pas l'usage.

    Les méthodes de gradient, l'occlusion et les perturbations significatives attribuent
    l'importance aux entrées : ``layer`` doit rester None ; ``method`` est le nom de la
    méthode, cité dans le message. Voir le chapitre 8.
    """
    if layer is not None:
        raise ValueError(f"`layer` doit être None pour {method}, qui attribue l'importance "
                         f"aux entrées et n'observe aucune couche ; reçu : "
                         f"{check.describe(layer)}")


def check_baseline(baseline, x: torch.Tensor) -> torch.Tensor:
    """Image de référence x′ de la forme de ``x`` : None (image nulle), un nombre, ou un
    tenseur de la forme de ``x`` ou d'une seule image.

    Renvoie un tenseur du type et de l'appareil de ``x`` (une copie : ``baseline`` n'est
    jamais modifié). Sert aux gradients intégrés et à leur erreur de complétude.
    Voir le chapitre 8.
    """
    check.tensor("x", x)
    if baseline is None:
        return torch.zeros_like(x)
    if isinstance(baseline, int | float) and not isinstance(baseline, bool):
        return torch.full_like(x, check.number("baseline", baseline))
    check.tensor("baseline", baseline)
    if tuple(baseline.shape) not in (tuple(x.shape), tuple(x.shape[1:])):
        raise ValueError(f"`baseline` doit avoir la forme de x {tuple(x.shape)} ou d'une "
                         f"image {tuple(x.shape[1:])} ; reçu : forme {tuple(baseline.shape)}")
    if not baseline.is_floating_point() or not bool(torch.isfinite(baseline).all()):
        raise ValueError("`baseline` doit contenir des nombres réels finis")
    return baseline.detach().to(dtype=x.dtype, device=x.device, copy=True).expand_as(x)
