"""Dessins du chapitre 4 : mosaïques de chiffres, codes 2-D, matrice groupes × étiquettes."""

from __future__ import annotations

import matplotlib
import numpy as np

from lib import _validation as check
from lib import french
from lib.viz._style import CMAP_POSITIVE, drawing
from lib.viz._style import colorbar as add_colorbar
from lib.viz._style import names as _names

__all__ = ["draw_digits", "draw_code", "draw_contingency", "draw_kmeans", "draw_autoencoder",
           "draw_code_sizes"]

_GAP = 1  # pixels blancs entre deux vignettes d'une mosaïque
_LABEL_GAP = 4  # lignes blanches sous chaque rangée légendée


def _as_images(images) -> np.ndarray:
    """Vignettes ``(N, s, s)`` à partir de ``(N, s*s)``, ``(N, s, s)`` ou ``(N, 1, s, s)``."""
    images = check.array("images", images, finite=False)  # NaN : case vide de la mosaïque
    if images.ndim == 4 and images.shape[1] == 1:
        images = images[:, 0]
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(f"`images` doit avoir un nombre carré de pixels par image ; "
                             f"reçu : {images.shape[1]}")
        images = images.reshape(len(images), side, side)
    if images.ndim != 3 or len(images) == 0:
        raise ValueError(f"`images` doit avoir la forme (N, 64), (N, 8, 8) ou (N, 1, 8, 8) ; "
                         f"reçu : forme {images.shape}")
    return images


def _mosaic(images: np.ndarray, ncols: int, row_gap: int = _GAP) -> np.ndarray:
    """Assemble les vignettes en une image, séparées par des NaN (fond blanc).

    ``row_gap`` lignes vides sous chaque rangée (place des légendes), ``_GAP`` colonnes
    entre deux vignettes.
    """
    n, h, w = images.shape
    nrows = -(-n // ncols)
    out = np.full((nrows * (h + row_gap) - (row_gap if row_gap == _GAP else 0),
                   ncols * (w + _GAP) - _GAP), np.nan)
    for i, image in enumerate(images):
        top, left = (i // ncols) * (h + row_gap), (i % ncols) * (w + _GAP)
        out[top:top + h, left:left + w] = image
    return out


@drawing
def draw_digits(ax, images, *, labels=None, ncols: int | None = None, title: str = ""):
    """Dessine des chiffres 8×8 en mosaïque (encre sombre sur fond clair), légendés par ``labels``.

    Voir le chapitre 4.
    """
    images = _as_images(images)
    n, h, w = images.shape
    ncols = min(n, 10) if ncols is None else ncols
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"`ncols` doit être un entier ≥ 1 ; reçu : {ncols!r}")
    labels = None if labels is None else _names("labels", labels)
    if labels is not None and len(labels) != n:
        raise ValueError(f"`labels` doit contenir {n} textes ; reçu : {len(labels)}")
    row_gap = _GAP if labels is None else _LABEL_GAP
    cmap = matplotlib.colormaps["gray_r"].with_extremes(bad="white")
    ax.imshow(_mosaic(images, ncols, row_gap), cmap=cmap, vmin=0.0, vmax=1.0,
              interpolation="nearest")
    for i, text in enumerate(labels if labels is not None else []):
        row, col = divmod(i, ncols)
        ax.text(col * (w + _GAP) + (w - 1) / 2, row * (h + row_gap) + h - 0.2, str(text),
                ha="center", va="top", fontsize=8, color="#333333")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title)
    return ax


def _group_colors(n: int) -> list:
    """``n`` couleurs bien distinctes pour des groupes ou des classes (tab10, puis tab20)."""
    cmap = matplotlib.colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


@drawing
def draw_code(ax, codes, groups, *, names=None, title: str = ""):
    """Nuage des codes 2-D ``(N, 2)``, une couleur par groupe, le nom du groupe à sa médiane.

    ``groups`` peut être un regroupement (sans étiquettes) ou les vraies étiquettes.
    Voir le chapitre 4.
    """
    codes = check.array("codes", codes, ndim=2, last=2)
    groups = check.array("groups", groups)
    if groups.shape != (len(codes),) or np.any(groups < 0) or np.any(groups != groups.round()):
        raise ValueError(f"`groups` doit contenir {len(codes)} entiers positifs ou nuls ; "
                         f"reçu : forme {groups.shape}")
    groups = groups.astype(int)
    n = int(groups.max()) + 1
    names = [str(g) for g in range(n)] if names is None else _names("names", names)
    if len(names) < n:
        raise ValueError(f"`names` doit contenir au moins {n} noms ; reçu : {len(names)}")
    colors = _group_colors(n)
    ax.scatter(*codes.T, c=[colors[g] for g in groups], s=6, alpha=0.6, linewidths=0)
    for g in np.unique(groups):
        x, y = np.median(codes[groups == g], axis=0)
        ax.text(x, y, names[g], ha="center", va="center", fontsize=11, weight="bold",
                color=colors[g], bbox={"boxstyle": "round,pad=0.15", "fc": "white",
                                       "ec": colors[g], "alpha": 0.85})
    ax.set_xlabel("code, composante 1")
    ax.set_ylabel("code, composante 2")
    ax.set_title(title)
    return ax


@drawing
def draw_contingency(ax, comparison, *, annotate: bool = True, colorbar: bool = True,
                     title: str | None = None):
    """Matrice groupes × étiquettes d'une :class:`lib.unsupervised.Comparison`, effectifs écrits.

    Le titre donne la pureté et l'indice de Rand ajusté ; ``annotate=False`` et
    ``colorbar=False`` allègent le dessin (figures interactives). Voir le chapitre 4.
    """
    from lib.unsupervised import Comparison

    if not isinstance(comparison, Comparison):
        raise TypeError(f"`comparison` doit être une Comparison ; reçu : "
                        f"{type(comparison).__name__}")
    table = comparison.table
    image = ax.imshow(table, cmap=CMAP_POSITIVE, vmin=0, vmax=max(1, table.max()),
                      aspect="auto", interpolation="nearest")
    if colorbar:
        add_colorbar(ax, image, "nombre d'images")
    if annotate:
        rows, cols = np.nonzero(table)
        for r, c in zip(rows, cols, strict=True):
            dark = table[r, c] < 0.6 * table.max()
            ax.text(c, r, str(table[r, c]), ha="center", va="center", fontsize=7,
                    color="white" if dark else "black")
    ax.set_xticks(range(table.shape[1]))
    ax.set_yticks(range(table.shape[0]))
    ax.tick_params(labelsize=8)
    ax.set_xlabel("vraie étiquette (chiffre)" if colorbar else
                  "vraie étiquette (chiffre) ; plus clair = plus d'images")
    ax.set_ylabel("groupe trouvé")
    if title is None:
        title = _scores_title(comparison)
    ax.set_title(title)
    return ax


def _scores_title(comparison) -> str:
    return (f"Pureté {french.number(comparison.purity)} · "
            f"Rand ajusté {french.number(comparison.ari)}")


def _kmeans_picture(report) -> np.ndarray:
    """Image RGB : pour chaque groupe, son centre puis une case colorée par chiffre (effectif)."""
    centers = _as_images(report.clustering.centers)
    k, side, _ = centers.shape
    table = report.comparison.table
    gray = matplotlib.colormaps["gray_r"](np.clip(centers, 0.0, 1.0))[..., :3]
    cells = matplotlib.colormaps[CMAP_POSITIVE](table / max(1, table.max()))[..., :3]
    cells = np.repeat(np.repeat(cells[:, None], side, axis=1), 2 * side, axis=2)  # (k, s, 2sC, 3)
    out = np.ones((k * (side + _GAP) - _GAP, side + 2 * _GAP + cells.shape[2], 3))
    for g in range(k):
        top = g * (side + _GAP)
        out[top:top + side, :side] = gray[g]
        out[top:top + side, side + 2 * _GAP:] = cells[g]
    return out


@drawing
def draw_kmeans(ax, report):
    """Un :class:`lib.unsupervised.KMeansReport` en une image : une rangée par groupe, avec son
    centre puis une case par vraie étiquette, d'autant plus claire que le groupe en contient.

    Le titre donne la pureté et l'indice de Rand ajusté. Voir le chapitre 4.
    """
    from lib.unsupervised import KMeansReport

    if not isinstance(report, KMeansReport):
        raise TypeError(f"`report` doit être un KMeansReport ; reçu : {type(report).__name__}")
    side = int(round(np.sqrt(report.clustering.centers.shape[1])))
    n_labels = report.comparison.table.shape[1]
    ax.imshow(_kmeans_picture(report), interpolation="nearest")
    ax.set_adjustable("datalim")  # même cadre quel que soit k : les limites s'adaptent
    first = side + 2 * _GAP + side - 0.5  # milieu de la première case (2·side de large)
    ax.set_xticks(first + 2 * side * np.arange(n_labels), [str(c) for c in range(n_labels)])
    ax.set_yticks([])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("vraie étiquette (plus clair = plus d'images)")
    ax.set_ylabel(f"les {report.clustering.k} groupes trouvés (centre à gauche)")
    ax.set_title(_scores_title(report.comparison))
    return ax


@drawing
def draw_autoencoder(ax, report, *, per_row: int = 4):
    """Un :class:`lib.unsupervised.AutoencoderReport` : des paires (original, reconstruction),
    ``per_row`` paires par rangée ; le titre donne la taille du code, R² et l'indice de Rand
    ajusté. Voir le chapitre 4.
    """
    from lib.unsupervised import AutoencoderReport

    if not isinstance(report, AutoencoderReport):
        raise TypeError(f"`report` doit être un AutoencoderReport ; reçu : "
                        f"{type(report).__name__}")
    if isinstance(per_row, bool) or not isinstance(per_row, int) or per_row < 1:
        raise ValueError(f"`per_row` doit être un entier ≥ 1 ; reçu : {per_row!r}")
    n, size = report.originals.shape
    width = 3 * per_row - 1  # original, reconstruction, vide, original…
    tiles = np.full((-(-n // per_row) * width, size), np.nan)
    slots = (np.arange(n) // per_row) * width + (np.arange(n) % per_row) * 3
    tiles[slots], tiles[slots + 1] = report.originals, report.reconstructions
    draw_digits(ax, tiles, ncols=width,
                title=f"Code de taille {report.code_size} : R² {french.number(report.r2)} · "
                      f"Rand ajusté {french.number(report.comparison.ari)}")
    ax.set_xlabel("par paires : l'original, puis sa reconstruction")
    return ax


@drawing
def draw_code_sizes(ax, reports, *, current: int | None = None):
    """R² de reconstruction et indice de Rand ajusté (k-moyennes sur le code) en fonction de
    la taille du code, pour une liste de :class:`lib.unsupervised.AutoencoderReport`.

    Voir le chapitre 4.
    """
    from lib.unsupervised import AutoencoderReport

    reports = list(reports) if isinstance(reports, list | tuple) else None
    if not reports or not all(isinstance(r, AutoencoderReport) for r in reports):
        raise TypeError("`reports` doit être une liste non vide d'AutoencoderReport")
    reports = sorted(reports, key=lambda r: r.code_size)
    sizes = [r.code_size for r in reports]
    ax.plot(sizes, [r.r2 for r in reports], "o-", color="#0072B2", label="R² (reconstruction)")
    ax.plot(sizes, [r.comparison.ari for r in reports], "s-", color="#D55E00",
            label="Rand ajusté (k-moyennes sur le code)")
    if current is not None:
        current = check.number("current", current)
        ax.axvline(current, color="gray", ls="--", lw=1)
    ax.set_ylim(0, 1)
    ax.set_xticks(sizes)
    ax.set_xlabel("taille du code")
    ax.set_title("Reconstruire et regrouper selon la taille du code")
    ax.legend(loc="lower right", fontsize="small")
    return ax
