"""Dessins du chapitre 1 : sortie d'un neurone sur le plan et détail de ses trois étapes."""

from __future__ import annotations

from functools import cache

import numpy as np

from lib import _validation as check
from lib import activations, french
from lib.viz._style import (
    CLASS_COLORS,
    CMAP_POSITIVE,
    colorbar,
    compact,
    drawing,
    memory,
    string,
)

__all__ = ["draw_decision", "draw_steps", "draw_inspection"]

#: Plage de couleurs fixe des activations bornées (les autres suivent les valeurs).
_RANGES = {"heaviside": (0.0, 1.0), "sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}
_MARKERS = ("o", "^")


@cache
def _output_cmap():
    """``CMAP_POSITIVE`` éclaircie (mélangée à 40 % de blanc) : les points restent lisibles."""
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap

    colors = colormaps[CMAP_POSITIVE](np.linspace(0.0, 1.0, 256))
    colors[:, :3] = 0.6 * colors[:, :3] + 0.4
    return ListedColormap(colors, name=f"{CMAP_POSITIVE}_clair")


def _norm(ax, low: float, high: float):
    """La normalisation des couleurs de ``ax``, réutilisée tant que la plage ne change pas.

    Garder le même objet évite à la barre de couleur de recalculer ses graduations.
    """
    from matplotlib.colors import Normalize

    kept = memory(ax)
    if kept.norm is None or (kept.norm.vmin, kept.norm.vmax) != (low, high):
        kept.norm = Normalize(low, high)
    return kept.norm


@drawing
def draw_decision(ax, result, x=None, target=None, *, highlight=None, legend=True,
                  colorbar_label="sortie", marker_size=36):
    """Dessine la sortie du neurone sur le plan, sa frontière ``w · x + b = 0`` et les points.

    ``result`` est un :class:`lib.neuron.DecisionMap` ; ``x`` ``(N, 2)`` et ``target`` (0/1)
    ajoutent le nuage de points, ``highlight`` entoure le point de cet indice ;
    ``colorbar_label=None`` omet la barre de couleur. Voir le chapitre 1.
    """
    from lib.neuron import DecisionMap

    if not isinstance(result, DecisionMap):
        raise TypeError(f"`result` doit être un DecisionMap ; reçu : {type(result).__name__}")
    string("colorbar_label", colorbar_label, optional=True)
    size = np.sqrt(check.number("marker_size", marker_size, low=0, strict_low=True))
    x, target, highlight = _points(x, target, highlight)
    low, high = _RANGES.get(result.activation, (result.output.min(), result.output.max()))
    high = max(high, low + 1e-9)
    image = ax.imshow(result.output, origin="lower", extent=result.extent, cmap=_output_cmap(),
                      norm=_norm(ax, float(low), float(high)), interpolation="nearest")
    if colorbar_label is not None:
        colorbar(ax, image, colorbar_label)
        memory(ax).colorbar.set_ticks(np.linspace(low, high, 3))  # peu de graduations : plus rapide
    if result.boundary is not None:
        ax.plot(*result.boundary.T, color="black", lw=2, ls="--", label="frontière (z = 0)")
    if x is not None:  # ``marker_size`` est une aire, comme dans ``scatter``
        for label in (0, 1):  # ``plot`` plutôt que ``scatter`` : bien plus rapide à redessiner
            keep = target == label
            ax.plot(*x[keep].T, ls="none", marker=_MARKERS[label], ms=size,
                    color=CLASS_COLORS[label], mec="black", mew=0.6, label=f"classe {label}",
                    zorder=3)
        if highlight is not None:
            ax.plot(*x[highlight], ls="none", marker="o", ms=2.2 * size, mfc="none", mec="red",
                    mew=2, zorder=4, label="point détaillé")
    ax.set_xlim(result.extent[:2])
    ax.set_ylim(result.extent[2:])
    # Positions fixes du titre et des étiquettes : matplotlib ne les recalcule pas à chaque
    # image, ce qui compte dans une figure interactive.
    ax.set_xlabel("entrée x₁")
    ax.set_ylabel("entrée x₂")
    ax.xaxis.set_label_coords(0.5, -0.1)
    ax.yaxis.set_label_coords(-0.1, 0.5)
    ticks = [t for t in (0.0, 1.0) if result.extent[0] <= t <= result.extent[1]]
    if list(ax.get_xticks()) != ticks:  # garder les graduations évite de les recréer
        ax.set_xticks(ticks)
        ax.set_yticks(ticks)
    ax.set_title(f"Sortie : {activations.NAMES[result.activation]}", y=1.0, pad=4)
    if legend:
        ax.legend(loc="upper left", fontsize="small", framealpha=0.8)
    return ax


def _points(x, target, highlight):
    """Vérifie le nuage ``x`` ``(N, 2)``, ses étiquettes 0/1 ``target`` et ``highlight``."""
    if x is None:
        return None, None, None
    x = check.array("x", x, ndim=2, last=2)
    target = check.array("target", target, ndim=1)
    if len(target) != len(x) or not np.all(np.isin(target, (0, 1))):
        raise ValueError(f"`target` doit contenir une étiquette 0 ou 1 par point de `x` "
                         f"({len(x)}) ; reçu : {check.describe(target)}")
    if highlight is not None:
        highlight = check.number("highlight", highlight, low=0, high=len(x) - 1, integer=True)
    return x, target.astype(int), highlight


def _steps_text(s) -> str:
    """Les nombres des trois étapes en trois lignes courtes (chaque caractère coûte à dessiner)."""
    terms = " + ".join(f"{_short(wi)}×{_short(xi, french.number)}"
                       for wi, xi in zip(s.w, s.x, strict=True))
    return (
        f"1. s = {terms} = {french.number(s.weighted_sum)}\n"
        f"2. z = {french.number(s.weighted_sum)} + {_short(s.b)} = "
        f"{french.number(s.pre_activation)}\n"
        f"3. sortie = f(z) = {french.number(s.output)}"
    )


def _short(value: float, write=compact) -> str:
    """Un nombre court, entre parenthèses s'il est négatif (« 1×(−0,5) »)."""
    shown = write(value)
    return f"({shown})" if value < 0 else shown


@drawing
def draw_steps(ax, result, *, title="Les trois étapes", footer=""):
    """Écrit dans ``ax`` les nombres des trois étapes d'un :class:`lib.neuron.NeuronSteps`.

    1. ``s = Σᵢ wᵢ xᵢ`` ; 2. ``z = s + b`` ; 3. ``sortie = f(z)`` ; ``footer`` ajoute une ligne.
    Voir le chapitre 1.
    """
    from lib.neuron import NeuronSteps

    if not isinstance(result, NeuronSteps):
        raise TypeError(f"`result` doit être un NeuronSteps ; reçu : {type(result).__name__}")
    string("footer", footer)
    ax.set_axis_off()
    body = _steps_text(result) + (f"\n\n{footer}" if footer else "")
    ax.text(0.0, 0.95, body, transform=ax.transAxes, va="top", ha="left", family="monospace",
            fontsize=9, linespacing=1.6)
    ax.set_title(title, loc="left", fontsize=10, y=1.0, pad=4)
    return ax


@drawing
def draw_inspection(axes, result):
    """Dessine une :class:`lib.neuron.Inspection` sur deux axes : le plan, puis les étapes.

    Voir le chapitre 1.
    """
    from lib.neuron import Inspection

    if not isinstance(result, Inspection):
        raise TypeError(f"`result` doit être une Inspection ; reçu : {type(result).__name__}")
    axes = np.atleast_1d(axes)
    if axes.size != 2:
        raise ValueError(f"`axes` doit contenir deux axes ; reçu : {axes.size}")
    plane, text = axes.flat
    draw_decision(plane, result.map, result.x, result.target, highlight=result.index, legend=False)
    ok = round(result.accuracy * len(result.x))
    draw_steps(text, result.steps, footer=f"bien classés : {ok} / {len(result.x)}",
               title=f"Point n° {result.index}, classe {result.target[result.index]}")
    return axes
