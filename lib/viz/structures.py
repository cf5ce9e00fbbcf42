"""Dessins du chapitre 3 : les principales structures de réseaux, le réseau récurrent, l'attention.

Les schémas partagent une même langue visuelle : cercles bleus pour l'entrée, gris pour
les neurones cachés, orange pour la sortie ; traits gris pour les poids ordinaires, verts
pour des poids **partagés**, violets pour la **mémoire** (récurrence) et l'attention.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch
from matplotlib.ticker import MaxNLocator

from lib import _validation as check
from lib.viz._style import CLASS_COLORS, compact, drawing, names, string

__all__ = ["STRUCTURES", "draw_structure", "draw_through_time", "draw_attention"]

#: Les structures dessinées par :func:`draw_structure` : nom → titre du schéma.
STRUCTURES = {
    "mlp": "Perceptron multicouche",
    "cnn": "Réseau convolutif",
    "rnn": "Réseau récurrent",
    "autoencoder": "Auto-encodeur",
    "transformer": "Attention (transformeur)",
}
_ROLE = {"input": CLASS_COLORS[0], "hidden": "#DDDDDD", "output": CLASS_COLORS[1]}
_PLAIN, _SHARED, _MEMORY = "#888888", CLASS_COLORS[2], CLASS_COLORS[3]


def _nodes(ax, points, role: str, radius: float = 0.045):
    for x, y in points:
        ax.add_patch(Circle((x, y), radius, facecolor=_ROLE[role], edgecolor="#333333",
                            linewidth=1, zorder=3))


def _line(ax, p, q, color=_PLAIN, width=0.8, arrow=False, rad=0.0):
    style = "-|>" if arrow else "-"
    ax.add_patch(FancyArrowPatch(p, q, arrowstyle=style, mutation_scale=9, color=color,
                                 linewidth=width, shrinkA=6, shrinkB=6, zorder=2,
                                 connectionstyle=f"arc3,rad={rad}"))


def _column(x, n, spread=0.6):
    ys = np.linspace(0.5 - spread / 2, 0.5 + spread / 2, n) if n > 1 else [0.5]
    return [(x, float(y)) for y in ys]


def _dense(ax, layers, roles, color=_PLAIN):
    for left, right in zip(layers[:-1], layers[1:], strict=True):
        for p in left:
            for q in right:
                _line(ax, p, q, color)
    for layer, role in zip(layers, roles, strict=True):
        _nodes(ax, layer, role)


def _mlp(ax):
    layers = [_column(0.15, 3, 0.5), _column(0.5, 4, 0.6), _column(0.85, 2, 0.3)]
    _dense(ax, layers, ["input", "hidden", "output"])
    ax.text(0.5, 0.0, "chaque neurone voit toute\nla couche précédente", ha="center",
            va="bottom", fontsize=8)


def _cnn(ax):
    inputs = [(x, 0.25) for x in np.linspace(0.08, 0.92, 7)]
    features = [(x, 0.7) for x in np.linspace(0.22, 0.78, 5)]
    shades = [CLASS_COLORS[2], CLASS_COLORS[0], CLASS_COLORS[5]]
    for j, q in enumerate(features):
        for k in range(3):   # le même filtre de 3 poids glisse sur l'entrée
            _line(ax, inputs[j + k], q, shades[k], width=1.6)
    _nodes(ax, inputs, "input")
    _nodes(ax, features, "hidden")
    ax.text(0.5, 0.9, "carte de caractéristiques", ha="center", fontsize=8)
    ax.text(0.5, 0.02, "même filtre (mêmes 3 couleurs)\nà chaque position", ha="center",
            fontsize=8)


def _rnn(ax):
    xs = np.linspace(0.18, 0.84, 4)
    inputs, hidden = [(x, 0.24) for x in xs], [(x, 0.54) for x in xs]
    for t, (p, h) in enumerate(zip(inputs, hidden, strict=True)):
        _line(ax, p, h, _SHARED, width=1.6, arrow=True)
        ax.text(p[0] - 0.075, p[1], f"x{'₁₂₃₄'[t]}", ha="center", va="center", fontsize=9)
        ax.text(h[0] - 0.075, h[1] - 0.07, f"h{'₁₂₃₄'[t]}", ha="center", fontsize=9)
    for h, nxt in zip(hidden[:-1], hidden[1:], strict=True):
        _line(ax, h, nxt, _MEMORY, width=2.2, arrow=True)
    output = (xs[-1], 0.84)
    _line(ax, hidden[-1], output, _PLAIN, width=1.2, arrow=True)
    _nodes(ax, inputs, "input")
    _nodes(ax, hidden, "hidden")
    _nodes(ax, [output], "output")
    ax.text(0.4, 0.64, "mémoire : hₜ₋₁ → hₜ", ha="center", fontsize=8, color=_MEMORY)
    ax.text(0.5, 0.02, "mêmes poids à chaque pas\nde temps", ha="center", fontsize=8)


def _autoencoder(ax):
    sizes, xs = [5, 3, 2, 3, 5], np.linspace(0.1, 0.9, 5)
    layers = [_column(x, n, 0.15 * n) for x, n in zip(xs, sizes, strict=True)]
    _dense(ax, layers, ["input", "hidden", "hidden", "hidden", "output"])
    ax.text(0.5, 0.72, "code", ha="center", fontsize=8)
    ax.text(0.1, 0.05, "entrée", ha="center", fontsize=8)
    ax.text(0.9, 0.05, "reconstruction", ha="center", fontsize=8)


def _transformer(ax):
    xs = np.linspace(0.14, 0.86, 4)
    inputs, outputs = [(x, 0.22) for x in xs], [(x, 0.75) for x in xs]
    weights = [0.1, 0.55, 0.3, 0.05]   # poids d'attention illustratifs, somme 1
    for p, w in zip(inputs, weights, strict=True):
        _line(ax, p, outputs[1], _MEMORY, width=0.5 + 8 * w, arrow=True)
    for p, q in zip(inputs, outputs, strict=True):
        if q is not outputs[1]:
            _line(ax, p, q, _PLAIN, width=0.6)
    _nodes(ax, inputs, "input")
    _nodes(ax, outputs, "output")
    for x, word in zip(xs, ("le", "chat", "dort", "ici"), strict=True):
        ax.text(x, 0.07, word, ha="center", fontsize=9)
    ax.text(0.5, 0.88, "chaque mot pèse tous les autres", ha="center", fontsize=8,
            color=_MEMORY)


_DRAW = {"mlp": _mlp, "cnn": _cnn, "rnn": _rnn, "autoencoder": _autoencoder,
         "transformer": _transformer}


@drawing
def draw_structure(ax, kind: str, *, title: str | None = None):
    """Schéma d'une structure de réseau : ``kind`` parmi ``"mlp"``, ``"cnn"``, ``"rnn"``,
    ``"autoencoder"``, ``"transformer"`` (voir :data:`STRUCTURES`).

    Même langue visuelle pour toutes : entrée en bleu, neurones cachés en gris, sortie en
    orange ; poids partagés en couleur, mémoire et attention en violet. Voir le chapitre 3.
    """
    check.choice("kind", kind, list(STRUCTURES))
    string("title", title, optional=True)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    _DRAW[kind](ax)
    ax.set_title(STRUCTURES[kind] if title is None else title, fontsize=10)
    return ax


@drawing
def draw_through_time(axes, result):
    """États h_t d'un neurone récurrent (à gauche) et gradient |∂h_T/∂h_t| (à droite,
    échelle logarithmique) en fonction du pas de temps t ; ``result`` vient de
    :func:`lib.recurrent.through_time`. Voir le chapitre 3.
    """
    flat = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(flat) != 2:
        raise ValueError(f"`axes` doit contenir 2 axes ; reçu : {len(flat)}")
    if not hasattr(result, "gradients") or not hasattr(result, "states"):
        raise TypeError("`result` doit venir de lib.recurrent.through_time ; "
                        f"reçu : {check.describe(result)}")
    steps = np.arange(len(result.states))
    left, right = flat
    for ax in flat:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    left.plot(steps, result.states, "o-", markersize=3, color=CLASS_COLORS[0])
    left.axhline(0, color="#888888", linewidth=0.8)
    left.set_xlabel("pas de temps t")
    left.set_ylabel("état caché hₜ")
    left.set_title(f"États (poids récurrent w = {compact(result.weight)})", fontsize=10)
    magnitude = np.clip(np.abs(result.gradients), 1e-30, 1e30)
    right.semilogy(steps, magnitude, "o-", markersize=3, color=_MEMORY)
    right.axhline(1, color="#888888", linewidth=0.8)
    right.set_xlabel("pas de temps t")
    right.set_ylabel(r"$|\partial h_T \,/\, \partial h_t|$")
    right.set_title("Gradient qui remonte le temps", fontsize=10)
    return axes


@drawing
def draw_attention(axes, result, words):
    """L'attention en une image : à gauche, les clés (flèches d'autant plus épaisses que
    leur poids est grand), la requête et la sortie (moyenne pondérée) ; à droite, les poids.

    ``result`` vient de :func:`lib.attention.attention` (une seule requête, dans le plan) ;
    ``words`` nomme les clés. Voir le chapitre 3.
    """
    flat = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(flat) != 2:
        raise ValueError(f"`axes` doit contenir 2 axes ; reçu : {len(flat)}")
    weights = getattr(result, "weights", None)
    if weights is None or np.ndim(weights) != 1 or np.shape(result.keys)[1] != 2:
        raise TypeError("`result` doit venir de lib.attention.attention (une requête dans le "
                        f"plan) ; reçu : {check.describe(result)}")
    words = names("words", words)
    if len(words) != len(weights):
        raise ValueError(f"`words` doit nommer les {len(weights)} clés ; reçu : {len(words)}")
    plane, bars = flat
    for key, w, word in zip(result.keys, weights, words, strict=True):
        plane.annotate("", xy=key, xytext=(0, 0), arrowprops={
            "arrowstyle": "-|>", "color": _SHARED, "lw": 0.8 + 5 * w, "alpha": 0.4 + 0.6 * w})
        plane.text(*(1.12 * key), word, ha="center", va="center", fontsize=9)
    plane.annotate("", xy=result.query, xytext=(0, 0),
                   arrowprops={"arrowstyle": "-|>", "color": CLASS_COLORS[0], "lw": 2})
    plane.text(*(result.query * 1.08 + [0, 0.08]), "requête", color=CLASS_COLORS[0],
               ha="center", fontsize=9)
    plane.plot(*result.output, "*", markersize=14, color=CLASS_COLORS[1], label="sortie")
    plane.legend(loc="lower right", fontsize=8)
    limit = max(1.4, 1.25 * float(np.abs(result.query).max()))
    plane.set_xlim(-limit, limit)
    plane.set_ylim(-limit, limit)
    plane.set_aspect("equal")
    plane.set_title("Clés, requête et sortie", fontsize=10)
    positions = np.arange(len(weights))
    bars.bar(positions, weights, color=_SHARED)
    for k, w in enumerate(weights):
        bars.text(k, w + 0.02, compact(w, 2), ha="center", fontsize=8)
    bars.set_xticks(positions, words)
    bars.set_ylim(0, 1.1)
    bars.set_ylabel("poids d'attention")
    bars.set_title("Poids (somme 1)", fontsize=10)
    return axes
