"""Dessins du chapitre 6 : filtres, fenêtre glissante, images filtrées, cartes d'un CNN.

Chaque fonction dessine sur les axes reçus et les renvoie ; aucune ne calcule rien de lourd.
"""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.patches import Rectangle

from lib import _validation as check
from lib import french
from lib.viz._style import CMAP_POSITIVE, CMAP_SIGNED, drawing

__all__ = ["draw_kernel", "draw_feature_map", "draw_filtering", "draw_sliding_window",
           "draw_maps"]

_HIGHLIGHT = "#E69F00"  # orange (Okabe-Ito) : fenêtre et pixel en cours


def _axes(axes, n: int):
    flat = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(flat) != n:
        raise ValueError(f"`axes` doit contenir {n} axes ; reçu : {len(flat)}")
    return flat


def _bare(ax, title: str):
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)
    return ax


def _fmt(value: float) -> str:
    """Un coefficient ou un pixel : entier sans décimales, sinon deux (« −0,25 »)."""
    return french.number(value, 0 if float(value).is_integer() else 2)


def _annotate(ax, values, *, fontsize: float = 8, skip_nan: bool = True):
    """Écrit la valeur de chaque case, en blanc sur les cases sombres."""
    finite = values[np.isfinite(values)]
    scale = np.abs(finite).max() if finite.size else 1.0
    for (i, j), v in np.ndenumerate(values):
        if skip_nan and not np.isfinite(v):
            continue
        dark = scale > 0 and abs(v) > 0.6 * scale
        ax.text(j, i, _fmt(v), ha="center", va="center", fontsize=fontsize,
                color="white" if dark else "black")


@drawing
def draw_kernel(ax, weights, *, title: str = "Filtre", annotate: bool = True):
    """Dessine les coefficients d'un filtre (rouge positif, bleu négatif), chiffres écrits.

    Voir le chapitre 6.
    """
    weights = check.array("weights", weights, ndim=2)
    vmax = max(float(np.abs(weights).max()), 1e-12)
    ax.imshow(weights, cmap=CMAP_SIGNED, vmin=-vmax, vmax=vmax, interpolation="nearest")
    if annotate:
        _annotate(ax, weights, fontsize=9)
    return _bare(ax, title)


@drawing
def draw_feature_map(ax, image, *, title: str = "", signed: bool | None = None,
                     vmax: float | None = None):
    """Dessine une image ou une carte : niveaux de gris sur [0, 1], ou signée centrée sur 0.

    ``signed=None`` choisit la version signée dès qu'une valeur est négative ; ``vmax``
    fixe la borne de la version signée (par défaut la plus grande valeur absolue).
    Voir le chapitre 6.
    """
    image = check.array("image", image, ndim=2)
    if signed is None:
        signed = bool((image < 0).any())
    if signed:
        vmax = float(np.abs(image).max()) if vmax is None else check.number(
            "vmax", vmax, low=0, strict_low=True)
        vmax = max(vmax, 1e-12)
        ax.imshow(image, cmap=CMAP_SIGNED, vmin=-vmax, vmax=vmax, interpolation="nearest")
    else:
        ax.imshow(image, cmap="gray", vmin=0.0, vmax=max(1.0, float(image.max())),
                  interpolation="nearest")
    return _bare(ax, title)


@drawing
def draw_filtering(axes, image, weights, output, *, title: str = "Image filtrée"):
    """Trois panneaux : l'image d'entrée, le filtre et l'image filtrée.

    Un filtre de somme nulle (contours) donne une sortie signée, dessinée en rouge et
    bleu (échelle saturée au 99e centile des valeurs absolues, pour voir les contours
    faibles) ; sinon la sortie est en niveaux de gris, écrêtée à [0, 1]. Voir le chapitre 6.
    """
    ax_in, ax_kernel, ax_out = _axes(axes, 3)
    weights = check.array("weights", weights, ndim=2)
    output = check.array("output", output, ndim=2)
    draw_feature_map(ax_in, image, title="Image d'entrée", signed=False)
    draw_kernel(ax_kernel, weights, title="Filtre")
    if abs(float(weights.sum())) < 1e-9:
        vmax = max(float(np.percentile(np.abs(output), 99)), 1e-12)
        draw_feature_map(ax_out, output, title=title, signed=True, vmax=vmax)
    else:
        draw_feature_map(ax_out, np.clip(output, 0.0, 1.0), title=title, signed=False)
    return axes


@drawing
def draw_sliding_window(axes, window):
    """Trois panneaux d'une étape de convolution : la fenêtre sur l'entrée, ses produits
    terme à terme avec le filtre et leur somme, la sortie calculée jusque-là (valeur du
    pixel en cours écrite, les autres en couleur).

    ``window`` vient de :func:`lib.convolution.sliding_window`. Voir le chapitre 6.
    """
    ax_in, ax_prod, ax_out = _axes(axes, 3)
    if not hasattr(window, "products"):
        raise TypeError("`window` doit venir de lib.convolution.sliding_window(...) ; "
                        f"reçu : {type(window).__name__}")
    w, p = window, window.padding
    ax_in.imshow(w.padded, cmap="gray_r", vmin=0, vmax=2 * max(float(w.padded.max()), 1e-12),
                 interpolation="nearest")
    inner = np.full(w.padded.shape, np.nan)  # les zéros du remplissage ne sont pas chiffrés
    inner[p:inner.shape[0] - p, p:inner.shape[1] - p] = w.padded[p:w.padded.shape[0] - p,
                                                                 p:w.padded.shape[1] - p]
    _annotate(ax_in, inner, fontsize=8)
    if p:
        h, wd = w.padded.shape
        ax_in.add_patch(Rectangle((p - 0.5, p - 0.5), wd - 2 * p, h - 2 * p, fill=False,
                                  ls="--", lw=1, ec="#555555"))
    kh, kw = w.weights.shape
    ax_in.add_patch(Rectangle((w.left - 0.5, w.top - 0.5), kw, kh, fill=False, lw=2.5,
                              ec=_HIGHLIGHT))
    _bare(ax_in, "Entrée" + (f" + {p} bord(s) de zéros" if p else "") + f", pas {w.stride}")
    vmax = max(float(np.abs(w.products).max()), 1e-12)
    ax_prod.imshow(w.products, cmap=CMAP_SIGNED, vmin=-vmax, vmax=vmax, interpolation="nearest")
    for (i, j), x in np.ndenumerate(w.patch):
        k = w.weights[i, j]
        dark = abs(w.products[i, j]) > 0.6 * vmax
        ax_prod.text(j, i, f"{_fmt(x)}×{_fmt(k) if k >= 0 else '(' + _fmt(k) + ')'}",
                     ha="center", va="center", fontsize=8, color="white" if dark else "black")
    _bare(ax_prod, f"Fenêtre × filtre : somme = {_fmt(round(w.value, 2))}")
    shown = np.full(w.output.shape, np.nan)
    shown.flat[:w.step] = w.output.flat[:w.step]
    vmax = max(float(np.abs(w.output).max()), 1e-12)
    cmap = matplotlib.colormaps[CMAP_SIGNED].with_extremes(bad="#f2f2f2")
    ax_out.imshow(shown, cmap=cmap, vmin=-vmax, vmax=vmax, interpolation="nearest")
    # Seul le pixel en cours est chiffré : écrire toutes les valeurs ralentirait la figure.
    ax_out.text(w.col, w.row, _fmt(round(w.value, 2)), ha="center", va="center", fontsize=9,
                fontweight="bold", color="white" if abs(w.value) > 0.6 * vmax else "black")
    ax_out.add_patch(Rectangle((w.col - 0.5, w.row - 0.5), 1, 1, fill=False, lw=2.5,
                               ec=_HIGHLIGHT))
    _bare(ax_out, f"Sortie {w.output.shape[0]}×{w.output.shape[1]} : pixel {w.step}"
                  f"/{w.output.size}")
    return axes


def _mosaic(maps: np.ndarray, ncols: int) -> np.ndarray:
    """Assemble les cartes ``(N, h, w)`` en une seule image, séparées par des NaN."""
    n, h, w = maps.shape
    nrows = -(-n // ncols)
    out = np.full((nrows * (h + 1) - 1, ncols * (w + 1) - 1), np.nan)
    for k, m in enumerate(maps):
        top, left = (k // ncols) * (h + 1), (k % ncols) * (w + 1)
        out[top:top + h, left:left + w] = m
    return out


@drawing
def draw_maps(ax, maps, *, ncols: int | None = None, title: str = "", signed: bool = False):
    """Dessine une pile de cartes ``(N, h, w)`` en mosaïque : filtres appris (``signed=True``,
    rouge/bleu centrés sur 0) ou cartes de caractéristiques (``signed=False``, viridis).

    Chaque carte garde l'échelle commune de la mosaïque. Voir le chapitre 6.
    """
    maps = check.array("maps", maps, ndim=(3, 4))
    maps = maps.reshape(-1, *maps.shape[-2:]) if maps.ndim == 4 else maps
    ncols = min(len(maps), 8) if ncols is None else check.number("ncols", ncols, low=1,
                                                                 integer=True)
    if signed:
        vmax = max(float(np.abs(maps).max()), 1e-12)
        cmap, limits = CMAP_SIGNED, (-vmax, vmax)
    else:
        cmap, limits = CMAP_POSITIVE, (float(maps.min()), max(float(maps.max()), 1e-12))
    cmap = matplotlib.colormaps[cmap].with_extremes(bad="white")
    ax.imshow(_mosaic(maps, ncols), cmap=cmap, vmin=limits[0], vmax=limits[1],
              interpolation="nearest")
    for spine in ax.spines.values():
        spine.set_visible(False)
    return _bare(ax, title)
