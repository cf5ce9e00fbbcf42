"""Dessins du chapitre 12 : propriétés mesurées des méthodes, exemples d'entraînement en mosaïque.

Voir le chapitre 12.
"""

import numpy as np

from lib import _validation as check
from lib.viz._style import CLASS_COLORS, drawing, string

__all__ = ["draw_properties", "draw_examples"]


def _values(name: str, spread) -> np.ndarray:
    """Les mesures répétées d'une case : un ``Spread`` (attribut ``values``) ou une suite."""
    return check.array(name, getattr(spread, "values", spread), ndim=1)


@drawing
def draw_properties(ax, rows: dict, *, title: str = "", better: str = ""):
    """Une barre par méthode (``rows`` : {méthode: mesures répétées}), à la hauteur de leur
    moyenne, avec l'écart-type en trait et chaque graine en point ; ``better`` dit dans quel
    sens la propriété est bonne (« ↓ », « ↑ »). Voir le chapitre 12.
    """
    if not isinstance(rows, dict) or not rows:
        raise TypeError(f"`rows` doit être un dictionnaire non vide {{méthode: mesures}} ; "
                        f"reçu : {check.describe(rows)}")
    title, better = string("title", title), string("better", better)
    values = [_values(f"rows[{name!r}]", v) for name, v in rows.items()]
    means = [v.mean() for v in values]
    spreads = [v.std(ddof=1) if len(v) > 1 else 0.0 for v in values]
    positions = np.arange(len(rows))[::-1]
    ax.barh(positions, means, xerr=spreads, color=CLASS_COLORS[0], alpha=0.75,
            error_kw={"ecolor": "0.2", "capsize": 3})
    for y, v in zip(positions, values, strict=True):
        ax.plot(v, np.full(len(v), y), "o", ms=3, color=CLASS_COLORS[5])
    ax.set_yticks(positions, list(rows))
    ax.set_title(f"{title} {better}".strip())
    ax.axvline(0.0, color="0.6", lw=0.8)
    return ax


@drawing
def draw_examples(ax, images, *, columns: int = 3, title: str = ""):
    """Des images ``(n, 1, H, W)`` ou ``(n, H, W)`` en mosaïque de ``columns`` colonnes,
    séparées d'un filet blanc (les exemples d'entraînement d'une explication par
    l'influence). Voir le chapitre 12.
    """
    images = check.array("images", images)
    if images.ndim == 4 and images.shape[1] == 1:
        images = images[:, 0]
    if images.ndim != 3 or len(images) == 0:
        raise ValueError(f"`images` doit être un lot (n, H, W) ou (n, 1, H, W) ; "
                         f"reçu : forme {images.shape}")
    columns = check.number("columns", columns, low=1, integer=True)
    n, h, w = images.shape
    rows = -(-n // columns)
    mosaic = np.ones((rows * (h + 1) - 1, columns * (w + 1) - 1))
    for k, image in enumerate(images):
        r, c = divmod(k, columns)
        mosaic[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w] = image
    ax.imshow(mosaic, cmap="gray", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    return ax
