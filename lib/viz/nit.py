"""Dessins du chapitre 9 : matrice des portes (variables × blocs) et fonctions de forme.

Chaque fonction dessine sur les axes reçus et les renvoie ; aucune ne calcule rien de lourd.
"""

from __future__ import annotations

import numpy as np

from lib import _validation as check
from lib.viz._style import CMAP_POSITIVE, CMAP_SIGNED, colorbar, drawing, names

__all__ = ["draw_gates", "draw_shape"]


@drawing
def draw_gates(ax, gates, features=None, *, title: str = "Portes (variables × blocs)"):
    """Matrice des portes déterministes (D, B) dans [0, 1] : 0 = variable absente du bloc.

    ``features`` : un nom par variable (facultatif). Voir le chapitre 9.
    """
    z = check.array("gates", gates, ndim=2)
    features = [f"x{j + 1}" for j in range(z.shape[0])] if features is None else names(
        "features", features)
    if len(features) != z.shape[0]:
        raise ValueError(f"`features` doit avoir {z.shape[0]} noms ; reçu : {len(features)}")
    image = ax.imshow(z, cmap=CMAP_POSITIVE, vmin=0, vmax=1, aspect="auto")
    ax.set_yticks(range(z.shape[0]), features)
    ax.set_xticks(range(z.shape[1]), [str(b + 1) for b in range(z.shape[1])])
    ax.set_xlabel("bloc")
    ax.set_title(title)
    colorbar(ax, image, "porte")
    return ax


@drawing
def draw_shape(ax, grid, values, features, *, title: str = ""):
    """Fonction de forme d'un bloc : une courbe (1 variable, ``grid`` (G,), ``values`` (G,))
    ou une carte de chaleur (2 variables, ``grid`` (G,), ``values`` (G, G)). Voir le chapitre 9.
    """
    grid = check.array("grid", grid, ndim=1)
    values = check.array("values", values, ndim=(1, 2))
    features = names("features", features)
    if len(features) != values.ndim or any(s != len(grid) for s in values.shape):
        raise ValueError(f"`values` doit être de forme ({len(grid)},) ou ({len(grid)}, "
                         f"{len(grid)}), une dimension par nom de `features` ; "
                         f"reçu : forme {values.shape}")
    if values.ndim == 1:
        ax.plot(grid, values, color="#0072B2")
        ax.set_xlabel(features[0])
        ax.set_ylabel("contribution")
    else:
        bound = float(np.max(np.abs(values))) or 1.0
        image = ax.imshow(values, cmap=CMAP_SIGNED, vmin=-bound, vmax=bound, origin="lower",
                          extent=(grid[0], grid[-1], grid[0], grid[-1]))
        ax.set_xlabel(features[1])
        ax.set_ylabel(features[0])
        colorbar(ax, image, "contribution")
    ax.set_title(title)
    return ax
