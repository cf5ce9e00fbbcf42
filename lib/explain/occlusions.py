"""Occlusion : cacher un carré de l'image et regarder la probabilité de la classe changer.

C'est l'expérience la plus simple pour vérifier une carte d'explication : si la carte dit
qu'une région compte, la cacher doit faire baisser la probabilité de la classe
(Zeiler et Fergus, 2014). Le module s'appelle ``occlusions`` (au pluriel) pour ne pas se
confondre avec la fonction :func:`occlusion`, que ``lib.explain`` exporte.
Voir le chapitre 8.
"""

from __future__ import annotations

import torch

from lib import _validation as check
from lib.explain.hooks import check_no_layer, targets, to_model

__all__ = ["class_probability", "occlude", "occlusion"]


def _check_images(x) -> torch.Tensor:
    check.tensor("x", x, ndim=4)
    if not x.is_floating_point():
        raise TypeError(f"`x` doit contenir des nombres réels ; reçu : type {x.dtype}")
    return x


@torch.no_grad()
def class_probability(model, x, target) -> torch.Tensor:
    """Probabilité softmax de la classe ``target`` pour chaque image : p_c = e^(s_c) / Σ_k e^(s_k).

    Le modèle est évalué en mode évaluation puis remis dans son mode d'origine ; ``x`` est
    placé sur l'appareil et dans le type de nombres du modèle. Renvoie un tenseur ``(N,)``
    sur le CPU. Voir les chapitres 7 et 8.
    """
    check.module("model", model)
    check.tensor("x", x)
    if x.ndim < 2:
        raise ValueError(
            f"`x` doit avoir une dimension de lot (N, ...) ; reçu : forme {tuple(x.shape)}"
        )
    index = targets(target, len(x))
    data = to_model(model, x)
    was_training = model.training
    model.eval()
    try:
        scores = model(data)
    finally:
        model.train(was_training)
    if int(index.max()) >= scores.shape[1]:
        raise ValueError(
            f"`target` doit être < {scores.shape[1]} (nombre de classes) ; "
            f"reçu : {int(index.max())}"
        )
    probabilities = torch.softmax(scores, dim=1)
    chosen = probabilities.gather(1, index.to(probabilities.device)[:, None]).squeeze(1)
    return chosen.detach().cpu()


def occlude(x, row: int, col: int, *, size: int = 8, value: float = 0.0) -> torch.Tensor:
    """Copie de ``x`` où un carré de côté ``size`` prend la valeur ``value``.

    Le coin haut-gauche du carré est le pixel (``row``, ``col``) ; ``x`` est un lot d'images
    ``(N, C, H, W)`` ; il n'est pas modifié. Voir le chapitre 8.
    """
    _check_images(x)
    height, width = x.shape[-2:]
    size = check.number("size", size, low=1, high=min(height, width), integer=True)
    row = check.number("row", row, low=0, high=height - size, integer=True)
    col = check.number("col", col, low=0, high=width - size, integer=True)
    value = check.number("value", value)
    out = x.detach().clone()
    out[..., row:row + size, col:col + size] = value
    return out


def occlusion(model, x, target, *, layer=None, size: int = 8, stride: int = 4,
              value: float = 0.0) -> torch.Tensor:
    """Carte d'occlusion : baisse de probabilité p_c(x) − p_c(x avec le carré (i, j) caché).

    Le carré de côté ``size`` glisse avec un pas ``stride`` ; le résultat ``(N, 1, h, w)`` a
    une valeur par position (h = (H − size) // stride + 1). Une valeur positive : cacher
    cette région fait baisser la probabilité de la classe ; la carte revient sur le CPU.
    ``layer`` doit rester None : l'occlusion n'observe aucune couche (elle n'a besoin ni de
    gradient ni de l'intérieur du modèle). D'après Zeiler et Fergus (2014). Voir le chapitre 8.
    """
    check.module("model", model)
    _check_images(x)
    check_no_layer(layer, "occlusion")
    height, width = x.shape[-2:]
    size = check.number("size", size, low=1, high=min(height, width), integer=True)
    stride = check.number("stride", stride, low=1, integer=True)
    index = targets(target, len(x))
    rows = range(0, height - size + 1, stride)
    cols = range(0, width - size + 1, stride)
    data = to_model(model, x)  # les copies masquées sont faites sur l'appareil du modèle
    base = class_probability(model, data, index)
    drops = torch.empty(len(x), 1, len(rows), len(cols), dtype=base.dtype)
    for i, row in enumerate(rows):
        hidden = [occlude(data, row, col, size=size, value=value) for col in cols]
        batch = torch.stack(hidden, dim=1).flatten(0, 1)  # (N·w, C, H, W), image par image
        probs = class_probability(model, batch, index.repeat_interleave(len(cols)))
        drops[:, 0, i] = base[:, None] - probs.view(len(x), len(cols))
    return drops
