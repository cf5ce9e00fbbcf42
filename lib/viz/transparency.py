"""Dessins des chapitres 7 et 8 : probabilités, carré d'occlusion, carte des familles, mesures.

Chaque fonction dessine sur les axes reçus et les renvoie ; aucune ne calcule rien de lourd.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from lib import _validation as check
from lib import french
from lib.viz._style import CLASS_COLORS, colormap, compact, drawing, names, string
from lib.viz._style import color as _check_color

__all__ = ["draw_gallery", "draw_probabilities", "draw_square", "draw_transparency_map",
           "draw_completeness", "draw_sanity_checks", "draw_scores"]


@drawing
def draw_gallery(axes, images, titles=None, *, cmap: str = "gray"):
    """Affiche une image par axe, en niveaux de gris sur [0, 1], sans graduations.

    ``images`` : (N, H, W) ou (N, 1, H, W) ; ``titles`` : un titre par image (facultatif).
    Voir les chapitres 7 et 8.
    """
    flat = list(np.ravel(np.asarray(axes, dtype=object)))
    data = check.array("images", images, ndim=(3, 4))
    data = data[:, 0] if data.ndim == 4 else data
    if len(data) != len(flat):
        raise ValueError(f"`images` doit contenir une image par axe ({len(flat)}) ; "
                         f"reçu : {len(data)}")
    colormap("cmap", cmap)
    titles = None if titles is None else names("titles", titles)
    if titles is not None and len(titles) != len(flat):
        raise ValueError(f"`titles` doit contenir un titre par axe ({len(flat)}) ; "
                         f"reçu : {len(titles)}")
    for k, (ax, image) in enumerate(zip(flat, data, strict=True)):
        ax.imshow(image, cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        if titles is not None:
            ax.set_title(titles[k])
    return axes


@drawing
def draw_probabilities(ax, probabilities, classes, *, target=None,
                       title: str = "Probabilités des classes", values: bool = True):
    """Barres horizontales des probabilités de chaque classe (la classe ``target`` en couleur).

    ``values`` écrit la probabilité au bout de chaque barre (``False`` : dessin plus rapide).
    Voir les chapitres 7 et 8.
    """
    probs = check.array("probabilities", probabilities, ndim=1)
    classes = names("classes", classes)
    if len(classes) != len(probs):
        raise ValueError(
            f"`classes` doit avoir {len(probs)} noms, un par probabilité ; reçu : {len(classes)}"
        )
    if target is not None:
        target = check.number("target", target, low=0, high=len(probs) - 1, integer=True)
    if not isinstance(values, bool):
        raise TypeError(f"`values` doit être True ou False ; reçu : {values!r}")
    colors = [CLASS_COLORS[k % len(CLASS_COLORS)] if target in (None, k) else "#BBBBBB"
              for k in range(len(probs))]
    positions = np.arange(len(probs))
    ax.barh(positions, probs, color=colors)
    for k, value in enumerate(probs if values else []):
        ax.text(min(value, 0.80) + 0.02, k, french.number(value), va="center", fontsize=9)
    ax.set_yticks(positions, classes)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.5, 1], ["0", "0,5", "1"])  # peu de graduations : dessin plus rapide
    ax.set_xlabel("probabilité")
    ax.set_title(title)
    return ax


@drawing
def draw_square(ax, row: int, col: int, size: int, *, color: str = "#56B4E9",
                label: str | None = None):
    """Contour du carré de côté ``size`` dont le coin haut-gauche est le pixel (``row``, ``col``).

    À dessiner par-dessus une image affichée avec ``imshow``. Voir le chapitre 8.
    """
    row = check.number("row", row, low=0, integer=True)
    col = check.number("col", col, low=0, integer=True)
    size = check.number("size", size, low=1, integer=True)
    color = _check_color("color", color)
    string("label", label, optional=True)
    ax.add_patch(Rectangle((col - 0.5, row - 0.5), size, size, fill=False, edgecolor=color,
                           linewidth=2, label=label))
    return ax


_BOXES = {  # nom : (x, y, texte) en coordonnées des axes
    "train": (0.13, 0.80, "Données\nd'entraînement"),
    "input": (0.13, 0.22, "Image\nd'entrée"),
    "model": (0.50, 0.51, "Réseau\nde neurones"),
    "output": (0.87, 0.51, "Prédiction\n« cercle »"),
}
_FAMILIES = (  # (texte, position du texte, cible de la flèche, couleur)
    ("Fonctions d'influence :\nquels exemples d'entraînement ?", (0.50, 0.93), (0.24, 0.83), 3),
    ("NIT :\nquelles interactions\nentre variables ?", (0.80, 0.17), (0.55, 0.43), 2),
    ("Visualisation :\nquels pixels ?", (0.13, 0.00), (0.13, 0.14), 0),
    ("Méta-prédicteurs :\nquelle perturbation\nchange la décision ?", (0.45, 0.07), (0.32, 0.35),
     1),
)


@drawing
def draw_transparency_map(ax):
    """Schéma des quatre familles de méthodes de transparence et de ce que chacune explique.

    Voir le chapitre 7.
    """
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.06, 1.02)
    ax.set_axis_off()
    for x, y, text in _BOXES.values():
        ax.add_patch(FancyBboxPatch((x - 0.11, y - 0.07), 0.22, 0.14, facecolor="#F2F2F2",
                                    edgecolor="#444444", boxstyle="round,pad=0.01"))
        ax.text(x, y, text, ha="center", va="center", fontsize=10)
    for start, end in (("train", "model"), ("input", "model"), ("model", "output")):
        (x0, y0, _), (x1, y1, _) = _BOXES[start], _BOXES[end]
        ax.add_patch(FancyArrowPatch((x0 + 0.11, y0), (x1 - 0.11, y1), arrowstyle="-|>",
                                     mutation_scale=14, color="#444444"))
    for text, (x, y), target, color in _FAMILIES:
        shade = CLASS_COLORS[color]
        ax.annotate(text, xy=target, xytext=(x, y), ha="center", va="center", fontsize=10,
                    color=shade, fontweight="bold",
                    arrowprops={"arrowstyle": "-|>", "color": shade, "lw": 1.5})
    ax.set_title("Quatre familles de méthodes, quatre questions")
    return ax


@drawing
def draw_completeness(ax, steps, errors, *, title: str = "Complétude des gradients intégrés"):
    """Erreur de complétude des gradients intégrés en fonction du nombre de pas ``steps``.

    L'erreur relative est |Σ attributions − (s(x) − s(x′))| / |s(x) − s(x′)| ; axes
    logarithmiques. Voir le chapitre 8.
    """
    steps = check.array("steps", steps, ndim=1)
    errors = check.array("errors", errors, ndim=1)
    if len(steps) != len(errors):
        raise ValueError(
            f"`errors` doit avoir une valeur par nombre de pas ({len(steps)}) ; "
            f"reçu : {len(errors)}"
        )
    if np.any(steps <= 0) or np.any(errors < 0):
        raise ValueError("`steps` doit être positif et `errors` positif ou nul (axes "
                         f"logarithmiques) ; reçu : {steps.tolist()} et {errors.tolist()}")
    ax.loglog(steps, np.maximum(errors, 1e-12), "o-", color=CLASS_COLORS[0])
    ax.set_xticks(steps, [compact(s) for s in steps])
    ax.minorticks_off()
    ax.set_xlabel("nombre de pas m")
    ax.set_ylabel("erreur relative de complétude")
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    return ax


@drawing
def draw_sanity_checks(ax, layers, correlations: dict, *,
                       title: str = "Test de cohérence : randomisation des couches"):
    """Corrélation de rang entre la carte du modèle entraîné et celle du modèle randomisé.

    ``layers`` nomme les étapes (« aucune », puis chaque couche randomisée, de la sortie vers
    l'entrée) ; ``correlations`` associe à chaque méthode une valeur par étape.
    D'après Adebayo et al. (2018). Voir le chapitre 8.
    """
    layers = names("layers", layers)
    if not isinstance(correlations, dict) or not correlations:
        raise TypeError(f"`correlations` doit être un dict non vide ; reçu : "
                        f"{check.describe(correlations)}")
    positions = np.arange(len(layers))
    for k, (method, values) in enumerate(correlations.items()):
        values = check.array(f"correlations[{method!r}]", values, ndim=1)
        if len(values) != len(layers):
            raise ValueError(f"`correlations[{method!r}]` doit avoir {len(layers)} valeurs ; "
                             f"reçu : {len(values)}")
        ax.plot(positions, values, "o-", color=CLASS_COLORS[k % len(CLASS_COLORS)],
                label=str(method))
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.set_xticks(positions, layers, rotation=30, ha="right")
    ax.set_ylim(-0.2, 1.05)
    ax.set_xlabel("couches randomisées (de la sortie vers l'entrée)")
    ax.set_ylabel("corrélation de rang avec\nla carte d'origine")
    ax.set_title(title)
    ax.legend(fontsize=8, loc="lower left")
    return ax


@drawing
def draw_scores(ax, scores: dict, *, label: str, title: str = ""):
    """Barres verticales d'un score entre 0 et 1 par méthode (valeur écrite au-dessus).

    Voir le chapitre 8.
    """
    if not isinstance(scores, dict) or not scores:
        raise TypeError(f"`scores` doit être un dict non vide ; reçu : {check.describe(scores)}")
    if not isinstance(label, str):
        raise TypeError(f"`label` doit être une chaîne de caractères ; reçu : {label!r}")
    values = [check.number(f"scores[{name!r}]", v) for name, v in scores.items()]
    positions = np.arange(len(values))
    colors = [CLASS_COLORS[k % len(CLASS_COLORS)] for k in positions]
    ax.bar(positions, values, color=colors)
    for k, value in enumerate(values):
        ax.text(k, value + 0.02, french.number(value), ha="center", fontsize=9)
    ax.set_xticks(positions, [str(name) for name in scores], rotation=20, ha="right")
    ax.set_ylim(0, 1.1)
    ax.set_ylabel(label)
    ax.set_title(title)
    return ax
