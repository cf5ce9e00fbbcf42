"""Dessins du chapitre 2 : activations, dérivées, tangente, gradient à travers les couches, softmax.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from lib import _validation as check
from lib import activations, french
from lib.viz._style import CLASS_COLORS, compact, drawing, names, superscript

__all__ = ["draw_activations", "draw_tangent", "draw_slope", "draw_gradient_chain",
           "draw_descent", "draw_softmax"]

#: Une couleur et un style de trait par activation (lisibles aussi en niveaux de gris).
STYLES = {
    "heaviside": (CLASS_COLORS[0], "-"),
    "sigmoid": (CLASS_COLORS[1], "-"),
    "tanh": (CLASS_COLORS[2], "--"),
    "relu": (CLASS_COLORS[3], "-."),
    "leaky_relu": (CLASS_COLORS[5], ":"),
}
#: Plus petite valeur dessinée sur une échelle logarithmique (les zéros y sont ramenés).
LOG_FLOOR = 1e-12


def _check_result(result, kind, name="result"):
    if not isinstance(result, kind):
        raise TypeError(f"`{name}` doit être un {kind.__name__} ; reçu : {type(result).__name__}")


def _as_list(results, kind, name):
    if isinstance(results, kind):
        return [results]
    if not isinstance(results, list | tuple):
        raise TypeError(f"`{name}` doit être un {kind.__name__} ou une liste ; "
                        f"reçu : {check.describe(results)}")
    if not results:
        raise ValueError(f"`{name}` doit contenir au moins un {kind.__name__} ; reçu : []")
    for r in results:
        _check_result(r, kind, name)
    return results


@drawing
def draw_activations(ax, result, *, derivative=False):
    """Dessine les activations de ``result`` (:class:`lib.activations.Curves`) ou leurs dérivées.

    Voir le chapitre 2.
    """
    _check_result(result, activations.Curves)
    rows = result.derivatives if derivative else result.values
    for name, row in zip(result.names, rows, strict=True):
        color, style = STYLES[name]
        ax.plot(result.z, row, color=color, ls=style, lw=2, label=activations.NAMES[name])
    ax.axhline(0, color="grey", lw=0.6)
    ax.axvline(0, color="grey", lw=0.6)
    ax.set_xlabel("pré-activation z")
    ax.set_ylabel("f′(z)" if derivative else "f(z)")
    ax.set_title("Leurs dérivées" if derivative else "Fonctions d'activation")
    ax.legend(loc="upper left", fontsize="small", framealpha=0.85)
    return ax


def _limits(values, pad=0.15):
    low, high = float(np.min(values)), float(np.max(values))
    margin = max(high - low, 1.0) * pad
    return low - margin, high + margin


def _few_ticks(ax, n=3):
    """Peu de graduations : chaque étiquette coûte cher à redessiner dans une figure interactive."""
    ax.xaxis.set_major_locator(MaxNLocator(n))
    ax.yaxis.set_major_locator(MaxNLocator(n))


@drawing
def draw_tangent(ax, result, *, width=1.5):
    """Dessine ``g(u) = f(scale·u + shift)``, le point ``(z, g(z))`` et la tangente autour de z.

    ``result`` est un :class:`lib.activations.Tangent` ; la tangente (en tirets) est tracée
    sur ``[z − width, z + width]``. Voir le chapitre 2.
    """
    _check_result(result, activations.Tangent)
    width = check.number("width", width, low=0, strict_low=True)
    color, _ = STYLES[result.name]
    ax.plot(result.grid, result.values, color=color, lw=2)
    u = np.array([result.z - width, result.z + width])
    ax.plot(u, result.value + result.slope * (u - result.z), color="black", ls="--", lw=1.5)
    ax.plot([result.z], [result.value], "o", color="black", ms=7)
    ax.set_xlim(result.grid[0], result.grid[-1])
    ax.set_ylim(*_limits(result.values))
    _few_ticks(ax)
    sign = "+" if result.shift >= 0 else "−"
    ax.set_xlabel("z")
    ax.set_ylabel(f"g(z) = f({compact(result.scale)}·z {sign} {compact(abs(result.shift))})")
    ax.set_title(f"{activations.NAMES[result.name]} : g({french.number(result.z)}) = "
                 f"{french.number(result.value, 3)}", fontsize="medium")
    return ax


@drawing
def draw_slope(ax, result, *, reference=0.25):
    """Dessine la dérivée ``g'(u)`` de :class:`lib.activations.Tangent` et la pente au point z.

    Une ligne pointillée marque ``reference`` (1/4, le maximum de la dérivée de la sigmoïde).
    Voir le chapitre 2.
    """
    _check_result(result, activations.Tangent)
    reference = check.number("reference", reference)
    color, _ = STYLES[result.name]
    ax.plot(result.grid, result.derivatives, color=color, lw=2)
    ax.axhline(reference, color="grey", ls=":", lw=1)
    ax.plot([result.z], [result.slope], "o", color="black", ms=7)
    ax.set_xlim(result.grid[0], result.grid[-1])
    ax.set_ylim(*_limits(np.append(result.derivatives, [0.0, reference])))
    _few_ticks(ax)
    ax.set_xlabel("z")
    ax.set_ylabel("pente g′(z)")
    ax.set_title(f"pente de la tangente : g′({french.number(result.z)}) = "
                 f"{french.number(result.slope, 3)}", fontsize="medium")
    return ax


def _power_of_ten(value, _position=None) -> str:
    """« 10⁻⁶ » en texte simple (le rendu mathtext des échelles log est lent)."""
    return "10" + superscript(int(round(np.log10(value))))


@drawing
def draw_gradient_chain(ax, chains):
    """Dessine ``|∂aₖ/∂x|`` couche après couche (échelle log) pour une ou plusieurs chaînes.

    ``chains`` : un :class:`lib.activations.GradientChain` ou une liste ; les valeurs plus
    petites que 10⁻¹² (zéros compris) sont dessinées sur la ligne pointillée du bas, à
    10⁻¹². Voir le chapitre 2.
    """
    chains = _as_list(chains, activations.GradientChain, "chains")
    for chain in chains:
        color, style = STYLES[chain.name]
        layers = np.arange(1, len(chain.gradient) + 1)
        shown = np.maximum(np.abs(chain.gradient), LOG_FLOOR)
        ax.semilogy(layers, shown, color=color, ls=style, lw=2, marker="o", ms=4,
                    label=activations.NAMES[chain.name])
    ax.axhline(1.0, color="grey", lw=0.6)
    ax.axhline(LOG_FLOOR, color="grey", lw=0.6, ls=":")
    ax.set_ylim(LOG_FLOOR / 10, max(1e4, 10 * max(np.abs(c.gradient).max() for c in chains)))
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=5))
    ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.set_xlabel("couche k")
    ax.set_ylabel("|∂aₖ/∂x| (échelle log)")
    ax.set_title("Le gradient à travers les couches", fontsize="medium")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return ax


@drawing
def draw_descent(ax, descents):
    """Dessine la perte au fil des étapes d'une ou plusieurs :class:`lib.activations.Descent`.

    Voir le chapitre 2.
    """
    descents = _as_list(descents, activations.Descent, "descents")
    for d in descents:
        color, style = STYLES[d.name]
        ax.plot(np.arange(len(d.losses)), d.losses, color=color, ls=style, lw=2,
                label=activations.NAMES[d.name])
    ax.set_xlabel("étape de la descente de gradient")
    ax.set_ylabel("perte ½·moyenne((y − t)²)")
    ax.set_title("Apprentissage d'un neurone", fontsize="medium")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return ax


@drawing
def draw_softmax(ax, probabilities, *, scores=None, labels=None, title="Softmax"):
    """Dessine les probabilités d'une softmax en barres (avec les scores d'origine si donnés).

    Voir le chapitre 2.
    """
    p = check.array("probabilities", probabilities)
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"`probabilities` doit être un vecteur non vide ; reçu : forme {p.shape}")
    labels = [f"classe {i + 1}" for i in range(p.size)] if labels is None else names(
        "labels", labels)
    if len(labels) != p.size:
        raise ValueError(f"`labels` doit avoir {p.size} étiquettes ; reçu : {len(labels)}")
    if scores is not None:
        scores = check.array("scores", scores)
        if scores.shape != p.shape:
            raise ValueError(f"`scores` doit avoir la forme {p.shape} ; reçu : {scores.shape}")
        labels = [f"{lab}\nscore {french.number(s)}" for lab, s in zip(labels, scores,
                                                                        strict=True)]
    colors = [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(p.size)]
    ax.bar(range(p.size), p, color=colors)
    for i, value in enumerate(p):
        ax.text(i, value + 0.02, french.number(value, 3), ha="center", va="bottom",
                fontsize="small")
    ax.set_xticks(range(p.size), labels)
    ax.set_ylim(0, 1.12)
    ax.set_yticks([0, 0.5, 1])
    ax.set_ylabel("probabilité")
    ax.set_title(title, fontsize="medium")
    return ax
