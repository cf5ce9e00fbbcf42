"""Dessins du chapitre 1 : sortie d'un neurone sur le plan et détail de ses trois étapes."""

from __future__ import annotations

import numpy as np

from lib import activations
from lib.viz._style import CLASS_COLORS, CMAP_POSITIVE, colorbar

__all__ = ["draw_decision", "draw_steps", "draw_inspection"]

#: Plage de couleurs fixe des activations bornées (les autres suivent les valeurs).
_RANGES = {"heaviside": (0.0, 1.0), "sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}
_MARKERS = ("o", "^")


def _check_ax(ax):
    if not hasattr(ax, "imshow"):
        raise TypeError(f"`ax` doit être des axes matplotlib ; reçu : {type(ax).__name__}")


def draw_decision(ax, result, x=None, target=None, *, highlight=None, legend=True,
                  colorbar_label="sortie"):
    """Dessine la sortie du neurone sur le plan, sa frontière ``w · x + b = 0`` et les points.

    ``result`` est un :class:`lib.neuron.DecisionMap` ; ``x`` ``(N, 2)`` et ``target`` (0/1)
    ajoutent le nuage de points, ``highlight`` entoure le point de cet indice.
    Voir le chapitre 1.
    """
    from lib.neuron import DecisionMap

    _check_ax(ax)
    if not isinstance(result, DecisionMap):
        raise TypeError(f"`result` doit être un DecisionMap ; reçu : {type(result).__name__}")
    low, high = _RANGES.get(result.activation, (result.output.min(), result.output.max()))
    image = ax.imshow(result.output, origin="lower", extent=result.extent, cmap=CMAP_POSITIVE,
                      vmin=low, vmax=max(high, low + 1e-9), alpha=0.6, interpolation="nearest")
    colorbar(ax, image, colorbar_label)
    if result.boundary is not None:
        ax.plot(*result.boundary.T, color="black", lw=2, ls="--", label="frontière (z = 0)")
    if x is not None:
        x, target = np.asarray(x, dtype=float), np.asarray(target).astype(int)
        for label in (0, 1):
            keep = target == label
            ax.scatter(*x[keep].T, s=36, marker=_MARKERS[label], color=CLASS_COLORS[label],
                       edgecolors="black", linewidths=0.6, label=f"classe {label}", zorder=3)
        if highlight is not None:
            ax.scatter(*x[highlight], s=180, facecolors="none", edgecolors="red",
                       linewidths=2, zorder=4, label="point détaillé")
    ax.set_xlim(result.extent[:2])
    ax.set_ylim(result.extent[2:])
    ax.set_xlabel("entrée x₁")
    ax.set_ylabel("entrée x₂")
    ticks = [t for t in (0.0, 1.0) if result.extent[0] <= t <= result.extent[1]]
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set_title(f"Sortie : {activations.NAMES[result.activation]}")
    if legend:
        ax.legend(loc="upper left", fontsize="x-small", framealpha=0.8)
    return ax


def _steps_text(s) -> str:
    """Les nombres des trois étapes, en quelques lignes courtes (le texte coûte cher à dessiner)."""
    terms = " + ".join(f"{wi:.2f}×{xi:.2f}" for wi, xi in zip(s.w, s.x, strict=True))
    return (
        f"x = ({', '.join(f'{v:.2f}' for v in s.x)})\n"
        f"1. somme pondérée\n   s = {terms} = {s.weighted_sum:.3f}\n"
        f"2. ajout du biais\n   z = s + b = {s.weighted_sum:.3f} + ({s.b:.2f}) = {s.pre_activation:.3f}\n"
        f"3. activation\n   sortie = f(z) = {s.output:.3f}"
    )


def draw_steps(ax, result, *, title="Les trois étapes"):
    """Écrit dans ``ax`` les nombres des trois étapes d'un :class:`lib.neuron.NeuronSteps`.

    Voir le chapitre 1.
    """
    from lib.neuron import NeuronSteps

    _check_ax(ax)
    if not isinstance(result, NeuronSteps):
        raise TypeError(f"`result` doit être un NeuronSteps ; reçu : {type(result).__name__}")
    ax.set_axis_off()
    ax.text(0.0, 1.0, _steps_text(result), transform=ax.transAxes, va="top", ha="left",
            family="monospace", fontsize=9)
    ax.set_title(title, loc="left")
    return ax


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
    draw_steps(text, result.steps,
               title=f"Point n° {result.index} (classe {result.target[result.index]})")
    ok = round(result.accuracy * len(result.x))
    text.text(0.0, 0.02, f"Points bien classés : {ok} / {len(result.x)}",
              transform=text.transAxes, fontsize=10, weight="bold")
    return axes
