"""Dessins du chapitre 8 : cartes d'attribution superposées à l'image, méthodes côte à côte.

Les courbes de complétude et des tests de cohérence sont dans ``lib.viz.transparency``
(``draw_completeness``, ``draw_sanity_checks``).
"""

from __future__ import annotations

import numpy as np

from lib import _validation as check
from lib.viz._style import (
    CMAP_HEAT,
    CMAP_SIGNED,
    FrenchFormatter,
    colorbar,
    drawing,
    string,
)

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
                     signed: bool | None = None, label: str | None = None,
                     top: float | None = None, bar: bool = True):
    """Superpose la carte ``map`` à ``image`` affichée en niveaux de gris, avec sa barre de couleur.

    ``image`` : (H, W) ou (C, H, W) (moyenne des canaux) ; ``map`` : (h, w), (C, h, w) ou
    (1, C, h, w), somme sur les canaux, étirée sur toute l'image (une carte Grad-CAM 8×8
    couvre une image 32×32). Carte signée (gradients : bleu négatif, rouge positif, centrée
    sur 0) si ``signed`` ou si elle a des valeurs négatives ; sinon carte de chaleur.
    ``top`` : la valeur qui prend la couleur la plus vive (par défaut le maximum de la carte
    en valeur absolue) ; ``bar=False`` : pas de barre de couleur (une barre commune est
    posée à côté, comme dans :func:`draw_attribution_row`). Voir le chapitre 8.
    """
    gray = _plane("image", image, reduce=np.mean)
    values = _plane("map", map, reduce=np.sum)
    string("title", title)
    string("label", label, optional=True)
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 <= alpha <= 1:
        raise ValueError(f"`alpha` doit être un nombre entre 0 et 1 ; reçu : {alpha!r}")
    if top is not None:
        top = check.number("top", top, low=0, strict_low=True)
    if not isinstance(bar, bool):
        raise TypeError(f"`bar` doit valoir True ou False ; reçu : {bar!r}")
    signed = bool(values.min() < 0) if signed is None else bool(signed)
    height, width = gray.shape
    extent = (-0.5, width - 0.5, height - 0.5, -0.5)
    ax.imshow(gray, cmap="gray", extent=extent, interpolation="nearest")
    top = top or float(np.abs(values).max()) or 1.0
    low, cmap = (-top, CMAP_SIGNED) if signed else (min(0.0, float(values.min())), CMAP_HEAT)
    shown = ax.imshow(values, cmap=cmap, vmin=low, vmax=top, alpha=alpha, extent=extent,
                      interpolation="bilinear")
    if label is None:
        label = "attribution (signée)" if signed else "importance"
    if bar:
        colorbar(ax, shown, label)
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    return ax


#: Échelles de couleur possibles d'une rangée de cartes (voir :func:`draw_attribution_row`).
SCALES = ("relative", "shared", "own")


@drawing
def draw_attribution_row(axes, image, maps: dict, *, alpha: float = 0.6,
                         scale: str = "relative"):
    """Dessine l'image seule puis une carte par méthode, côte à côte, pour les comparer.

    ``axes`` : ``len(maps) + 1`` axes ; ``maps`` : dictionnaire {titre en français : carte}
    (par exemple {"Gradient" : ..., "Grad-CAM" : ...}), chaque carte au format de
    :func:`draw_attribution`. ``scale`` règle les couleurs :

    - ``"relative"`` (par défaut) : chaque carte divisée par son maximum en valeur absolue,
      une seule barre « importance relative (max = 1) ». Pour comparer des méthodes, dont
      les cartes n'ont ni la même unité ni le même ordre de grandeur : seule leur forme
      se compare ;
    - ``"shared"`` : une même échelle pour toutes les cartes, une seule barre. Pour les
      cartes d'une même méthode (pour chaque classe, par exemple), dont les valeurs se
      comparent ;
    - ``"own"`` : chaque carte avec sa propre barre, à ses propres valeurs.

    Renvoie ``axes``. Voir le chapitre 8.
    """
    if not isinstance(maps, dict) or not maps:
        raise TypeError(f"`maps` doit être un dictionnaire non vide {{titre : carte}} ; "
                        f"reçu : {type(maps).__name__}")
    if scale not in SCALES:
        raise ValueError(f"`scale` doit valoir « relative », « shared » ou « own » ; "
                         f"reçu : {scale!r}")
    flat = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(flat) != len(maps) + 1:
        raise ValueError(f"`axes` doit contenir {len(maps) + 1} axes (l'image puis une carte "
                         f"par méthode) ; reçu : {len(flat)}")
    gray = _plane("image", image, reduce=np.mean)
    planes = {title: _plane(f"maps[{title!r}]", value, reduce=np.sum)
              for title, value in maps.items()}
    if scale == "relative":
        planes = {title: plane / (float(np.abs(plane).max()) or 1.0)
                  for title, plane in planes.items()}
    signed = any(bool(plane.min() < 0) for plane in planes.values())
    top = max(float(np.abs(plane).max()) for plane in planes.values()) or 1.0
    flat[0].imshow(gray, cmap="gray", interpolation="nearest")
    flat[0].set_xticks([])
    flat[0].set_yticks([])
    flat[0].set_title("Image")
    for ax, (title, plane) in zip(flat[1:], planes.items(), strict=True):
        if scale == "own":
            draw_attribution(ax, image, plane, title=str(title), alpha=alpha)
        else:
            draw_attribution(ax, image, plane, title=str(title), alpha=alpha, signed=signed,
                             top=top, bar=False)
    if scale != "own":
        kind = "attribution" if signed else "importance"
        label = (f"{kind} relative (max = 1)" if scale == "relative"
                 else "attribution (signée)" if signed else "importance")
        bar = flat[-1].get_figure().colorbar(flat[-1].get_images()[-1], ax=flat[1:])
        bar.set_label(label)
        bar.formatter = FrenchFormatter()  # « 0,5 » et non « 0.5 »
    return axes
