"""Comparer les méthodes de transparence sur les mêmes cas : propriétés mesurées d'une carte,
influence des exemples d'entraînement à travers la dernière couche d'un réseau.

Voir le chapitre 12.
"""

from __future__ import annotations

import copy
import time

import torch
import torch.nn.functional as F

from lib import _validation as check

__all__ = ["PROPERTIES", "measure_method", "head_features", "head_influence"]

#: Les propriétés que :func:`measure_method` mesure, dans l'ordre des colonnes du chapitre 12.
PROPERTIES = ("temps par image (ms)", "suppression (↓)", "insertion (↑)",
              "après randomisation (↓)", "énergie dans l'objet (↑)")


def _batch(x, target, masks) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    check.tensor("x", x, ndim=4)
    target = torch.as_tensor(target)
    if target.ndim != 1 or len(target) != len(x):
        raise ValueError(f"`target` doit donner une classe par image ({len(x)}) ; "
                         f"reçu : forme {tuple(target.shape)}")
    check.tensor("masks", masks, ndim=4)
    if tuple(masks.shape) != (len(x), 1, *x.shape[-2:]):
        raise ValueError(f"`masks` doit avoir la forme {(len(x), 1, *x.shape[-2:])} ; "
                         f"reçu : {tuple(masks.shape)}")
    return x, target, masks.bool()


def measure_method(method, model, x, target, masks, *, seed: int = 0, steps: int = 16) -> dict:
    """Les propriétés mesurées d'une méthode d'attribution sur un lot d'images.

    ``method`` est une méthode du registre ``lib.explain.METHODS`` (sa carte
    ``method.heatmap(model, x, target)``, positive, à la résolution de l'image). Renvoie
    {propriété: valeur} pour :data:`PROPERTIES` : temps processeur par image (ms, sur cette
    machine), aires sous les courbes de suppression et d'insertion (Petsiuk et al., 2018 ;
    ``steps`` pas), corrélation de rang (Spearman) entre la carte et celle du modèle dont
    toutes les couches sont tirées au hasard (Adebayo et al., 2018 ; graine ``seed``), part de
    l'énergie de la carte dans le masque de l'objet ``masks``. Voir le chapitre 12.
    """
    from lib import explain

    heatmap = getattr(method, "heatmap", None)
    if not callable(heatmap):
        raise TypeError("`method` doit être une méthode du registre lib.explain.METHODS "
                        f"(avec sa fonction heatmap) ; reçu : {check.describe(method)}")
    check.module("model", model)
    x, target, masks = _batch(x, target, masks)
    seed = check.number("seed", seed, low=0, integer=True)
    steps = check.number("steps", steps, low=2, integer=True)
    start = time.process_time()
    heat = heatmap(model, x, target)[:, None]  # (N, 1, H, W)
    seconds = (time.process_time() - start) / len(x)
    damaged = explain.randomize_layers(model, len(explain.randomizable_layers(model)), seed=seed)
    down = explain.deletion_curve(model, x, target, heat, steps=steps)
    up = explain.insertion_curve(model, x, target, heat, steps=steps)
    values = (1000 * seconds, explain.curve_area(down).mean(), explain.curve_area(up).mean(),
              explain.rank_correlation(heat, heatmap(damaged, x, target)[:, None]).mean(),
              explain.energy_in_mask(heat, masks).mean())
    return dict(zip(PROPERTIES, map(float, values), strict=True))


def _linear(model, layer: str) -> torch.nn.Linear:
    check.module("model", model)
    modules = dict(model.named_modules())
    if not isinstance(modules.get(layer), torch.nn.Linear):
        linear = [name for name, m in modules.items() if isinstance(m, torch.nn.Linear)]
        raise ValueError(f"`layer` doit nommer une couche linéaire du modèle ({linear}) ; "
                         f"reçu : {layer!r}")
    return modules[layer]


def head_features(model, x, *, layer: str = "classifier.fc") -> torch.Tensor:
    """Ce que reçoit la couche linéaire ``layer`` (la dernière, par défaut) pour les images
    ``x`` : tenseur détaché ``(N, d)``. Voir le chapitre 12."""
    linear = _linear(model, layer)
    check.tensor("x", x)
    seen = []
    hook = linear.register_forward_pre_hook(lambda module, inputs: seen.append(inputs[0]))
    try:
        with torch.no_grad():
            model(x)
    finally:
        hook.remove()
    return seen[0].detach().flatten(1)


def head_influence(model, train, test, *, layer: str = "classifier.fc",
                   l2: float = 1e-2) -> torch.Tensor:
    """Influence I_up,loss de chaque exemple d'entraînement sur la perte de chaque point de
    test, à travers la dernière couche seulement : ``(n_test, n_train)``.

    Comme Koh et Liang (2017) pour Inception, le reste du réseau est figé : la couche
    ``layer`` est réentraînée jusqu'au minimum (problème convexe : entropie croisée plus
    ``l2``/2 ‖θ‖²) sur ce qu'elle reçoit des images d'entraînement, puis
    :func:`lib.explain.influence.influence` (hessienne exacte) donne I_up,loss ; < 0 : un
    exemple utile à la réponse ``test[1]``. ``train`` et ``test`` sont des paires
    (images, classes). Voir les chapitres 11 et 12.
    """
    from lib.explain import influence as inf

    linear = _linear(model, layer)
    pairs = []
    for name, pair in (("train", train), ("test", test)):
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise TypeError(f"`{name}` doit être une paire (images, classes) ; "
                            f"reçu : {check.describe(pair)}")
        pairs.append((head_features(model, pair[0], layer=layer), torch.as_tensor(pair[1])))
    l2 = check.number("l2", l2, low=0, strict_low=True)
    head = inf.fit(copy.deepcopy(linear), F.cross_entropy, pairs[0], l2=l2)
    return inf.influence(head, F.cross_entropy, pairs[0], pairs[1], l2=l2)
