"""Mesurer une explication : jeu du pointage, énergie dans le masque, tests de cohérence.

Les cartes ``maps`` sont des lots ``(N, 1, H, W)`` ou ``(N, H, W)`` (comme celles de
``Method.heatmap``) et les masques ``masks`` des lots de même taille, ``(N, 1, H, W)`` ou
``(N, H, W)``, vrais sur l'objet (voir ``lib.data`` pour des formes
synthétiques avec leur masque). Voir le chapitre 8.
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from scipy import stats

from lib import _validation as check
from lib.explain.hooks import (
    check_baseline,
    check_input,
    evaluating,
    target_scores,
    targets,
    to_model,
)
from lib.explain.occlusions import class_probability

__all__ = ["pointing_game", "energy_in_mask", "rank_correlation", "completeness_error",
           "randomizable_layers", "randomize_layers", "deletion_curve", "insertion_curve",
           "curve_area"]


def _planes(t: torch.Tensor) -> tuple:
    """Forme d'un lot de cartes sans son canal unique : (N, 1, H, W) et (N, H, W) → (N, H, W)."""
    shape = tuple(t.shape)
    return shape[:1] + shape[2:] if len(shape) == 4 and shape[1] == 1 else shape


def _maps_and_masks(maps, masks) -> tuple[torch.Tensor, torch.Tensor]:
    """Vérifie un lot de cartes et de masques de même forme ; renvoie (N, P) aplatis."""
    check.tensor("maps", maps, ndim=(3, 4))
    check.tensor("masks", masks, ndim=(3, 4))
    if _planes(maps) != _planes(masks):
        raise ValueError(f"`masks` doit avoir la forme des cartes {tuple(maps.shape)} ; "
                         f"reçu : forme {tuple(masks.shape)} (agrandissez les cartes avec "
                         f"upsample)")
    if not maps.is_floating_point():
        raise TypeError(f"`maps` doit contenir des nombres réels ; reçu : type {maps.dtype}")
    if masks.is_floating_point() and not bool(((masks == 0) | (masks == 1)).all()):
        raise ValueError("`masks` doit être booléen (ou ne contenir que des 0 et des 1)")
    flat = maps.detach().cpu().reshape(len(maps), -1)
    inside = masks.detach().cpu().reshape(len(masks), -1).bool()
    return flat, inside


def pointing_game(maps, masks) -> torch.Tensor:
    """Jeu du pointage : le maximum de la carte tombe-t-il dans le masque de l'objet ?

    Renvoie un tenseur booléen ``(N,)`` : une réussite par image (la proportion de
    réussites est ``pointing_game(maps, masks).float().mean()``). En cas d'égalité, TOUS les
    points où la carte atteint son maximum doivent être dans le masque : une carte constante
    (nulle) ne réussit donc pas. Deux valeurs qui diffèrent de moins de 10⁻⁹ (relatif) sont
    égales : le résultat ne dépend pas des derniers bits du calcul de la carte, donc pas des
    instructions du processeur. Sans la tolérance de 15 pixels de l'article, pensée pour
    des images 224×224. D'après Zhang et al. (2018), zhang2018excitation. Voir le chapitre 8.
    """
    flat, inside = _maps_and_masks(maps, masks)
    top = flat.amax(dim=1, keepdim=True)
    at_max = flat >= top - 1e-9 * top.abs()
    return (at_max <= inside).all(dim=1)


def energy_in_mask(maps, masks) -> torch.Tensor:
    """Part de l'énergie positive de la carte dans le masque : Σ_{p∈masque} L⁺_p / Σ_p L⁺_p.

    L⁺ = max(L, 0) ; renvoie un tenseur ``(N,)`` dans [0, 1] (0 si la carte n'a aucune
    valeur positive). Complète le jeu du pointage : il juge toute la carte, pas seulement
    son maximum. Voir le chapitre 8.
    """
    flat, inside = _maps_and_masks(maps, masks)
    positive = flat.clamp(min=0)
    total = positive.sum(dim=1)
    kept = (positive * inside).sum(dim=1)
    return torch.where(total > 0, kept / torch.where(total > 0, total, 1), 0)


def rank_correlation(a, b, *, absolute: bool = False) -> torch.Tensor:
    """Corrélation de rang de Spearman entre deux cartes, image par image.

    ρ = corrélation de Pearson entre les rangs des valeurs de ``a`` et ceux de ``b``
    (rangs moyens en cas d'égalité) ; ``absolute`` compare |a| et |b|. Renvoie ``(N,)`` en
    float64 ; ρ = 0 par convention si l'une des cartes est constante. Sert aux tests de
    cohérence (*sanity checks*) d'Adebayo et al. (2018), adebayo2018sanity : la carte d'un
    modèle aux couches réinitialisées doit ressembler peu à l'originale. Voir le chapitre 8.
    """
    check.tensor("a", a)
    check.tensor("b", b)
    if a.ndim < 2 or tuple(a.shape) != tuple(b.shape):
        raise ValueError(f"`b` doit avoir la forme de `a`, un lot (N, ...) ; reçu : "
                         f"{tuple(a.shape)} et {tuple(b.shape)}")
    if not (a.is_floating_point() and b.is_floating_point()):
        raise TypeError("`a` et `b` doivent contenir des nombres réels")
    check.choice("absolute", absolute, (False, True))
    values = [t.detach().cpu().double().reshape(len(t), -1).numpy() for t in (a, b)]
    if absolute:
        values = [np.abs(v) for v in values]
    ranks = [stats.rankdata(v, axis=1) for v in values]
    centred = [r - r.mean(axis=1, keepdims=True) for r in ranks]
    norms = np.sqrt((centred[0] ** 2).sum(1) * (centred[1] ** 2).sum(1))
    products = (centred[0] * centred[1]).sum(1)
    rho = np.divide(products, norms, out=np.zeros_like(products), where=norms > 0)
    return torch.from_numpy(rho)


def completeness_error(model, x, target, attributions, *, baseline=None) -> torch.Tensor:
    """Écart relatif à la complétude : |Σ_i A_i − (S_c(x) − S_c(x'))| / |S_c(x) − S_c(x')|.

    ``attributions`` a la forme de ``x`` (par exemple la sortie de
    ``integrated_gradients``) ; ``baseline`` est la même référence x' (None : image nulle).
    Les gradients intégrés exacts ont un écart nul (Sundararajan et al., 2017,
    sundararajan2017axiomatic). Renvoie ``(N,)``. Voir le chapitre 8.
    """
    check.module("model", model)
    check_input(x)
    check.tensor("attributions", attributions)
    if tuple(attributions.shape) != tuple(x.shape):
        raise ValueError(f"`attributions` doit avoir la forme de x {tuple(x.shape)} ; "
                         f"reçu : forme {tuple(attributions.shape)}")
    index = targets(target, len(x))
    data = to_model(model, x)
    start = check_baseline(baseline, data)
    with evaluating(model), torch.no_grad():
        gap = target_scores(model, data, index) - target_scores(model, start, index)
    total = attributions.detach().reshape(len(x), -1).sum(1).to(gap)
    return ((total - gap).abs() / gap.abs()).detach().cpu()


def randomizable_layers(model) -> list[str]:
    """Noms des couches qui ont leurs propres paramètres, de la plus haute à la plus basse.

    L'ordre est l'inverse de ``model.named_modules()`` (l'ordre d'enregistrement, qui est
    celui du calcul pour un ``nn.Sequential``). Voir le chapitre 8.
    """
    check.module("model", model)
    names = [name for name, module in model.named_modules()
             if any(True for _ in module.parameters(recurse=False))]
    return names[::-1]


def randomize_layers(model, count: int, *, seed: int = 0) -> torch.nn.Module:
    """Copie du modèle dont les ``count`` couches paramétrées les plus hautes sont réinitialisées.

    Randomisation en cascade d'Adebayo et al. (2018), adebayo2018sanity : on part de la
    sortie et on descend (``randomizable_layers(model)[:count]``). Chaque couche linéaire
    ou convolutive reprend des poids tirés comme à l'initialisation
    (:func:`lib.models.init_parameters`, identiques sur tout processeur), les autres
    N(0, 0,01²), avec la graine ``seed`` ; le modèle d'origine et la graine globale ne
    sont pas modifiés. Voir le chapitre 8.
    """
    from lib.models import init_parameters

    check.module("model", model)
    names = randomizable_layers(model)
    count = check.number("count", count, low=0, high=len(names), integer=True)
    seed = check.number("seed", seed, low=0, integer=True)
    clone = copy.deepcopy(model)
    modules = dict(clone.named_modules())
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for name in names[:count]:
            module = modules[name]
            if isinstance(module, torch.nn.Linear | torch.nn.Conv2d):
                init_parameters(module, seed=int(rng.integers(2**62)), dtype=module.weight.dtype)
            else:
                for param in module.parameters(recurse=False):
                    param.copy_(torch.from_numpy(rng.normal(0.0, 0.01, tuple(param.shape))))
    return clone


def _ordered_curve(model, x, target, maps, steps, baseline, reveal: bool) -> torch.Tensor:
    """Probabilité de la classe quand on retire (ou révèle) les pixels dans l'ordre de la carte."""
    check.module("model", model)
    check_input(x, ndims=(4,))
    check.tensor("maps", maps, ndim=(3, 4))
    if maps.shape[0] != x.shape[0] or maps.shape[-2:] != x.shape[-2:]:
        raise ValueError(f"`maps` doit avoir la forme (N, 1, H, W) = ({len(x)}, 1, "
                         f"{x.shape[-2]}, {x.shape[-1]}) ou (N, H, W) (agrandissez les cartes "
                         f"avec upsample) ; reçu : forme {tuple(maps.shape)}")
    if maps.ndim == 3:
        maps = maps[:, None]
    steps = check.number("steps", steps, low=1, integer=True)
    index = targets(target, len(x))
    data = x.detach().cpu().double()
    if isinstance(baseline, torch.Tensor):
        if tuple(baseline.shape) != tuple(x.shape):
            raise ValueError(f"`baseline` doit avoir la forme de x {tuple(x.shape)} ; "
                             f"reçu : forme {tuple(baseline.shape)}")
        start = baseline.detach().cpu().double()
    else:
        start = torch.full_like(data, check.number("baseline", baseline))
    flat = maps.detach().cpu().double().sum(1).reshape(len(x), -1)
    order = torch.argsort(-flat, dim=1, stable=True)  # du plus important au moins important
    rank = torch.empty_like(order).scatter_(1, order, torch.arange(flat.shape[1]).expand_as(order))
    counts = torch.round(torch.arange(steps + 1) * flat.shape[1] / steps).long()
    chosen = (rank[:, None, :] < counts[None, :, None]).view(len(x), steps + 1, 1, *x.shape[-2:])
    first, second = (start, data) if reveal else (data, start)
    images = torch.where(chosen, second[:, None], first[:, None]).flatten(0, 1)
    probs = class_probability(model, images, index.repeat_interleave(steps + 1))
    return probs.view(len(x), steps + 1)


def deletion_curve(model, x, target, maps, *, steps: int = 32, baseline=0.0) -> torch.Tensor:
    """Courbe de suppression : probabilité de la classe quand on efface les pixels par ordre
    d'importance décroissante de la carte, ``steps`` paquets égaux.

    Le point k (0 ≤ k ≤ ``steps``) est p_c(x avec ses k·P/steps pixels les plus importants
    remplacés par ``baseline``, un nombre ou une image de la forme de ``x``). Une carte
    fidèle fait chuter la courbe tôt : petite aire (:func:`curve_area`). Renvoie
    ``(N, steps + 1)``. D'après Petsiuk et al. (2018), petsiuk2018rise. Voir le chapitre 10.
    """
    return _ordered_curve(model, x, target, maps, steps, baseline, reveal=False)


def insertion_curve(model, x, target, maps, *, steps: int = 32, baseline=0.0) -> torch.Tensor:
    """Courbe d'insertion : probabilité de la classe quand on révèle les pixels de ``x`` sur
    ``baseline`` par ordre d'importance décroissante de la carte.

    Le point k est p_c(``baseline`` où les k·P/steps pixels les plus importants reprennent
    leur valeur) ; une carte fidèle fait monter la courbe tôt : grande aire. Renvoie
    ``(N, steps + 1)``. D'après Petsiuk et al. (2018), petsiuk2018rise. Voir le chapitre 10.
    """
    return _ordered_curve(model, x, target, maps, steps, baseline, reveal=True)


def curve_area(curves) -> torch.Tensor:
    """Aire sous chaque courbe, la part des pixels allant de 0 à 1 (méthode des trapèzes).

    ``curves`` : ``(N, K + 1)`` comme renvoyé par :func:`deletion_curve` ; renvoie ``(N,)``.
    Voir le chapitre 10.
    """
    check.tensor("curves", curves, ndim=2)
    if curves.shape[1] < 2 or not curves.is_floating_point():
        raise ValueError(f"`curves` doit contenir des courbes réelles d'au moins 2 points ; "
                         f"reçu : forme {tuple(curves.shape)}, type {curves.dtype}")
    values = curves.detach().cpu().double()
    return ((values[:, 1:] + values[:, :-1]) / 2).mean(dim=1)
