"""Dessins du chapitre 8 : cartes d'attribution superposées à l'image, méthodes côte à côte.

Les courbes de complétude et des tests de cohérence sont dans ``lib.viz.transparency``
(``draw_completeness``, ``draw_sanity_checks``).
"""

from __future__ import annotations

import numpy as np

from lib import _validation as check
from lib.viz._style import CMAP_HEAT, CMAP_SIGNED, colorbar, drawing, string

__all__ = ["draw_attribution", "draw_attribution_row"]


def _plane(name: str, value, *, reduce) -> np.ndarray:
    """Image ou carte (H, W), (C, H, W) ou (1, C, H, W) → plan (H, W) par ``reduce`` sur C."""
    data = check.array(name, value)
    if data.ndim == 4 and data.shape[0] == 1:
        data = data[0]
    if data.ndim == 3:
        data = reduce(data, axis=0)
    if data.ndim != 2:
        raise ValueError(f"`{name}` doit avoir la forme (H, W), (C, H, W) ou (1, C, H, W) ; "
                         f"reçu : forme {np.shape(value)}")
    return data


@drawing
def draw_attribution(ax, image, map, *, title: str = "Carte d'attribution", alpha: float = 0.6,
                     signed: bool | None = None, label: str | None = None):
    """Superpose la carte ``map`` à ``image`` affichée en niveaux de gris, avec sa barre de couleur.

    ``image`` : (H, W) ou (C, H, W) (moyenne des canaux) ; ``map`` : (h, w), (C, h, w) ou
    (1, C, h, w), somme sur les canaux, étirée sur toute l'image (une carte Grad-CAM 8×8
    couvre une image 32×32). Carte signée (gradients : bleu négatif, rouge positif, centrée
    sur 0) si ``signed`` ou si elle a des valeurs négatives ; sinon carte de chaleur.
    Voir le chapitre 8.
    """
    gray = _plane("image", image, reduce=np.mean)
    values = _plane("map", map, reduce=np.sum)
    string("title", title)
    string("label", label, optional=True)
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 <= alpha <= 1:
        raise ValueError(f"`alpha` doit être un nombre entre 0 et 1 ; reçu : {alpha!r}")
    signed = bool(values.min() < 0) if signed is None else bool(signed)
    height, width = gray.shape
    extent = (-0.5, width - 0.5, height - 0.5, -0.5)
    ax.imshow(gray, cmap="gray", extent=extent, interpolation="nearest")
    top = float(np.abs(values).max()) or 1.0
    low, cmap = (-top, CMAP_SIGNED) if signed else (min(0.0, float(values.min())), CMAP_HEAT)
    shown = ax.imshow(values, cmap=cmap, vmin=low, vmax=top, alpha=alpha, extent=extent,
                      interpolation="bilinear")
    if label is None:
        label = "attribution (signée)" if signed else "importance"
    colorbar(ax, shown, label)
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    return ax


@drawing
def draw_attribution_row(axes, image, maps: dict, *, alpha: float = 0.6):
    """Dessine l'image seule puis une carte par méthode, côte à côte, pour les comparer.

    ``axes`` : ``len(maps) + 1`` axes ; ``maps`` : dictionnaire {titre en français : carte}
    (par exemple {"Gradient" : ..., "Grad-CAM" : ...}), chaque carte au format de
    :func:`draw_attribution`. Renvoie ``axes``. Voir le chapitre 8.
    """
    if not isinstance(maps, dict) or not maps:
        raise TypeError(f"`maps` doit être un dictionnaire non vide {{titre : carte}} ; "
                        f"reçu : {type(maps).__name__}")
    flat = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(flat) != len(maps) + 1:
        raise ValueError(f"`axes` doit contenir {len(maps) + 1} axes (l'image puis une carte "
                         f"par méthode) ; reçu : {len(flat)}")
    gray = _plane("image", image, reduce=np.mean)
    flat[0].imshow(gray, cmap="gray", interpolation="nearest")
    flat[0].set_xticks([])
    flat[0].set_yticks([])
    flat[0].set_title("Image")
    for ax, (title, value) in zip(flat[1:], maps.items(), strict=True):
        draw_attribution(ax, image, value, title=str(title), alpha=alpha)
    return axes
