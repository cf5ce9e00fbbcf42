"""Dessin du chapitre 4 : la courbe d'apprentissage (exactitude contre nombre d'exemples).

La fonction dessine sur les axes reçus et les renvoie ; elle ne calcule rien de lourd.
"""

from __future__ import annotations

import numpy as np

from lib import _validation as check
from lib import french
from lib.viz._style import CLASS_COLORS, drawing

__all__ = ["draw_learning_curve"]


@drawing
def draw_learning_curve(ax, curves: dict, *, title: str = "Courbe d'apprentissage"):
    """Exactitude de test moyenne (trait) ± un écart-type (bande) en fonction du nombre
    d'exemples d'entraînement, en échelle logarithmique ; une courbe par modèle.

    ``curves`` : {modèle: {taille: Spread}}, ce que donne ``repeat`` appliqué à
    :func:`lib.learning_curve.learning_curve`. Voir le chapitre 4.
    """
    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"`curves` doit être un dict non vide {{modèle: {{taille: Spread}}}} ; "
                        f"reçu : {check.describe(curves)}")
    sizes = None
    for k, (name, curve) in enumerate(curves.items()):
        if not isinstance(curve, dict) or not all(hasattr(v, "std") for v in curve.values()):
            raise TypeError(f"`curves[{name!r}]` doit être un dict {{taille: Spread}} ; "
                            f"reçu : {check.describe(curve)}")
        sizes = np.array(sorted(curve), dtype=float)
        mean = np.array([curve[n].mean for n in sorted(curve)])
        std = np.array([curve[n].std for n in sorted(curve)])
        color = CLASS_COLORS[k % len(CLASS_COLORS)]
        ax.fill_between(sizes, mean - std, mean + std, color=color, alpha=0.2, linewidth=0)
        ax.plot(sizes, mean, "o-", color=color, label=str(name))
    ax.set_xscale("log")
    ax.set_xticks(sizes, [french.integer(int(n)) for n in sizes])
    ax.minorticks_off()
    ax.set_xlabel("nombre d'exemples d'entraînement (échelle logarithmique)")
    ax.set_ylabel("exactitude de test")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower right", fontsize=9)
    return ax
