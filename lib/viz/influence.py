"""Dessins du chapitre 11 : influence prédite contre vraie, convergence de LiSSA.

Voir le chapitre 11.
"""

import numpy as np

from lib import _validation as check
from lib import french
from lib.viz._style import CLASS_COLORS, drawing

__all__ = ["draw_influence_scatter", "draw_convergence", "draw_removal"]


@drawing
def draw_influence_scatter(ax, predicted, actual, *, title: str = ""):
    """Nuage de la variation prédite (−I_up,loss/n) contre la vraie (réentraînement) de la
    perte de test, avec la diagonale y = x et la corrélation de Pearson. Voir le chapitre 11.
    """
    predicted = check.array("predicted", predicted, ndim=1)
    actual = check.array("actual", actual, ndim=1)
    if len(predicted) != len(actual) or len(actual) < 2:
        raise ValueError(f"`actual` doit avoir autant de valeurs que `predicted` (au moins 2) ; "
                         f"reçu : {len(actual)} et {len(predicted)}")
    low, high = min(predicted.min(), actual.min()), max(predicted.max(), actual.max())
    ax.plot([low, high], [low, high], color="0.6", lw=1, label="y = x")
    ax.scatter(actual, predicted, s=12, color=CLASS_COLORS[0])
    r = np.corrcoef(predicted, actual)[0, 1]
    ax.set_xlabel("vraie variation (réentraînement sans l'exemple)")
    ax.set_ylabel("variation prédite −I/n")
    ax.set_title(title or f"Pearson : {french.number(r, 3)}")
    ax.ticklabel_format(style="sci", scilimits=(-2, 2))
    return ax


@drawing
def draw_convergence(ax, errors, *, depth: int | None = None, title: str = ""):
    """Erreur relative de LiSSA en fonction de la profondeur (échelle logarithmique) ; un
    point marque la profondeur ``depth`` choisie. Voir le chapitre 11.
    """
    errors = check.array("errors", errors, ndim=1, finite=False)
    steps = np.arange(1, len(errors) + 1)
    shown = np.clip(np.nan_to_num(errors, nan=1e12, posinf=1e12), 1e-12, 1e12)
    ax.semilogy(steps, shown, color=CLASS_COLORS[0])
    if depth is not None:
        depth = check.number("depth", depth, low=1, high=len(errors), integer=True)
        ax.semilogy([depth], [shown[depth - 1]], "o", color=CLASS_COLORS[5])
    ax.axhline(1.0, color="0.6", lw=1)
    ax.set_ylim(1e-12, 1e12)
    ax.set_xlabel("profondeur (nombre d'itérations)")
    ax.set_ylabel("erreur relative")
    ax.set_title(title)
    return ax


@drawing
def draw_removal(ax, counts, curves: dict, *, count: int | None = None, title: str = ""):
    """Probabilité de la bonne classe d'une image de test après réentraînement sans les
    ``counts`` exemples choisis, une courbe par choix (``curves`` : {nom: probabilités}) ;
    un trait marque ``count``. Voir le chapitre 11.
    """
    counts = check.array("counts", counts, ndim=1)
    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"`curves` doit être un dict non vide ; reçu : {check.describe(curves)}")
    for k, (name, values) in enumerate(curves.items()):
        values = check.array(f"curves[{name!r}]", values, ndim=1)
        if len(values) != len(counts):
            raise ValueError(f"`curves[{name!r}]` doit avoir une valeur par nombre retiré "
                             f"({len(counts)}) ; reçu : {len(values)}")
        ax.plot(counts, values, "o-", color=CLASS_COLORS[k % len(CLASS_COLORS)], label=name)
    if count is not None:
        ax.axvline(check.number("count", count), color="0.5", lw=1)
    ax.axhline(0.5, color="0.7", lw=1, ls="--")
    ax.set_ylim(0, 1)
    ax.set_xlabel("nombre d'exemples retirés")
    ax.set_ylabel("probabilité de la bonne classe")
    ax.legend(fontsize=8)
    ax.set_title(title)
    return ax
