"""Dessins du chapitre 10 : courbes de suppression et d'insertion, masque de perturbation.

Chaque fonction dessine sur les axes reçus et les renvoie ; aucune ne calcule rien de lourd.
"""

from __future__ import annotations

import numpy as np

from lib import _validation as check
from lib.viz._style import CLASS_COLORS, drawing, string

__all__ = ["draw_curves", "draw_mask"]


@drawing
def draw_curves(ax, curves, *, title: str = "Courbe de suppression",
                ylabel: str = "probabilité de la classe"):
    """Une courbe par méthode : probabilité de la classe selon la part des pixels traités.

    ``curves`` : {nom : valeurs (K + 1,)}, le point k correspondant à la part k/K des
    pixels (sortie moyenne de ``deletion_curve`` ou ``insertion_curve``). Voir le chapitre 10.
    """
    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"`curves` doit être un dictionnaire non vide {{nom : courbe}} ; "
                        f"reçu : {check.describe(curves)}")
    string("title", title)
    string("ylabel", ylabel)
    for k, (name, values) in enumerate(curves.items()):
        values = check.array(f"curves[{name!r}]", values, ndim=1)
        fractions = np.linspace(0, 1, len(values))
        style = "--" if k >= len(CLASS_COLORS) else "-"
        ax.plot(fractions, values, style, color=f"C{k % 10}", label=str(name))
    ax.set_xlabel("part des pixels traités")
    ax.set_ylabel(ylabel)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    return ax


@drawing
def draw_mask(ax, mask, *, title: str = "Masque (1 = gardé)"):
    """Masque de perturbation m dans [0, 1] en niveaux de gris (blanc : pixel gardé).

    ``mask`` : (H, W), (1, H, W) ou (1, 1, H, W). Voir le chapitre 10.
    """
    data = np.squeeze(check.array("mask", mask))
    if data.ndim != 2 or data.min() < 0 or data.max() > 1:
        raise ValueError(f"`mask` doit être un masque (H, W) dans [0, 1] ; "
                         f"reçu : forme {np.shape(mask)}")
    string("title", title)
    ax.imshow(data, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    return ax
