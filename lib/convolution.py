"""La convolution 2-D écrite à la main (NumPy), le pooling et les filtres classiques.

Au sens de l'apprentissage profond, une « convolution » est une **corrélation croisée**
(*cross-correlation*) : le filtre glisse sur l'image **sans être retourné**, comme dans
``torch.nn.functional.conv2d``. Pour une sortie de position (i, j), un pas s et un filtre
k×k appliqué à l'image complétée de zéros :

    sortie[i, j] = Σ_{u, v} image[i·s + u, j·s + v] · filtre[u, v]

- :func:`conv2d`, :func:`output_size`, :func:`sliding_window` : la convolution et son calcul
  pas à pas ;
- :func:`pool2d` : le sous-échantillonnage (*pooling*) par maximum ou par moyenne ;
- :data:`FILTERS`, :func:`kernel` : les filtres 3×3 classiques, nommés en français.

Voir le chapitre 6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from lib import _validation as check

__all__ = ["FILTERS", "kernel", "output_size", "pad", "conv2d", "pool2d", "SlidingWindow",
           "sliding_window"]

_SOBEL = np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])

#: Filtres 3×3 classiques : nom français → coefficients (voir CS231n et tout cours d'images).
FILTERS = {
    "identité": np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),
    "flou": np.full((3, 3), 1.0 / 9.0),
    "flou gaussien": np.array([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16.0,
    "contours horizontaux (Sobel)": _SOBEL,
    "contours verticaux (Sobel)": _SOBEL.T.copy(),
    "contours (laplacien)": np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]),
    "netteté": np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
    "relief": np.array([[-2.0, -1.0, 0.0], [-1.0, 1.0, 1.0], [0.0, 1.0, 2.0]]),
}


def kernel(name: str) -> np.ndarray:
    """Une copie des coefficients du filtre classique ``name`` (une clé de :data:`FILTERS`).

    Voir le chapitre 6.
    """
    check.choice("name", name, list(FILTERS))
    return FILTERS[name].copy()


def output_size(n: int, k: int, padding: int = 0, stride: int = 1) -> int:
    """Taille de la sortie d'une convolution : ⌊(n + 2·padding − k) / stride⌋ + 1.

    ``n`` est la taille de l'entrée, ``k`` celle du filtre (sur un axe). Voir le chapitre 6.
    """
    n = check.number("n", n, low=1, integer=True)
    k = check.number("k", k, low=1, integer=True)
    padding = check.number("padding", padding, low=0, integer=True)
    stride = check.number("stride", stride, low=1, integer=True)
    if k > n + 2 * padding:
        raise ValueError(f"`k` doit être ≤ n + 2·padding = {n + 2 * padding} (le filtre doit "
                         f"tenir dans l'image complétée) ; reçu : {k}")
    return (n + 2 * padding - k) // stride + 1


def _check_pair(image, weights):
    """Vérifie une image (H, W) ou (C, H, W) et un filtre de même nombre de dimensions."""
    image = check.array("image", image, ndim=(2, 3))
    weights = check.array("weights", weights, ndim=image.ndim)
    if image.ndim == 3 and weights.shape[0] != image.shape[0]:
        raise ValueError(f"`weights` doit avoir {image.shape[0]} canaux comme `image` ; "
                         f"reçu : forme {weights.shape}")
    return image, weights


def pad(image, padding: int) -> np.ndarray:
    """L'image entourée de ``padding`` lignes et colonnes de zéros (*zero padding*).

    Voir le chapitre 6.
    """
    image = check.array("image", image, ndim=(2, 3))
    padding = check.number("padding", padding, low=0, integer=True)
    widths = [(0, 0)] * (image.ndim - 2) + [(padding, padding)] * 2
    return np.pad(image, widths)


def conv2d(image, weights, *, padding: int = 0, stride: int = 1, bias: float = 0.0) -> np.ndarray:
    """Convolution 2-D (corrélation croisée) de ``image`` par le filtre ``weights``.

    sortie[i, j] = Σ_{c, u, v} x[c, i·s + u, j·s + v] · w[c, u, v] + b, où ``x`` est
    l'image complétée de ``padding`` zéros et s le pas (``stride``). ``image`` : (H, W) ou
    (C, H, W) ; ``weights`` : (k_h, k_w) ou (C, k_h, k_w). Même résultat que
    ``torch.nn.functional.conv2d`` pour un seul filtre. Voir le chapitre 6.
    """
    image, weights = _check_pair(image, weights)
    padding = check.number("padding", padding, low=0, integer=True)
    stride = check.number("stride", stride, low=1, integer=True)
    bias = check.number("bias", bias)
    for axis, name in ((-2, "hauteur"), (-1, "largeur")):
        if weights.shape[axis] > image.shape[axis] + 2 * padding:
            raise ValueError(f"`weights` est plus grand que l'image complétée ({name}) ; "
                             f"reçu : filtre {weights.shape}, image {image.shape}, "
                             f"padding={padding}")
    x = pad(image, padding)
    if x.ndim == 2:
        x, weights = x[None], weights[None]
    windows = sliding_window_view(x, weights.shape[-2:], axis=(1, 2))[:, ::stride, ::stride]
    # windows[c, i, j] est la zone de l'image vue par le filtre pour la sortie (i, j).
    return np.einsum("cijuv,cuv->ij", windows, weights) + bias


def pool2d(image, size: int = 2, *, stride: int | None = None, mode: str = "max") -> np.ndarray:
    """Sous-échantillonnage (*pooling*) : maximum ou moyenne de chaque fenêtre size×size.

    Le pas vaut ``size`` par défaut (fenêtres sans recouvrement) ; les bords qui ne
    remplissent pas une fenêtre sont ignorés, comme dans ``torch.nn.functional.max_pool2d``.
    ``mode`` : « max » ou « mean ». Voir le chapitre 6.
    """
    image = check.array("image", image, ndim=(2, 3))
    size = check.number("size", size, low=1, integer=True)
    stride = size if stride is None else check.number("stride", stride, low=1, integer=True)
    check.choice("mode", mode, ["max", "mean"])
    if size > min(image.shape[-2:]):
        raise ValueError(f"`size` doit être ≤ la plus petite dimension de l'image "
                         f"({min(image.shape[-2:])}) ; reçu : {size}")
    windows = sliding_window_view(image, (size, size), axis=(-2, -1))[..., ::stride, ::stride, :, :]
    return windows.max(axis=(-2, -1)) if mode == "max" else windows.mean(axis=(-2, -1))


@dataclass(frozen=True)
class SlidingWindow:
    """Une étape du calcul d'une convolution : la fenêtre vue par le filtre et son résultat.

    ``padded`` : l'image complétée ; ``output`` : toute la sortie ; ``step`` : nombre de
    pixels de sortie déjà calculés (dans l'ordre de lecture) ; ``row``, ``col`` : pixel de
    sortie en cours ; ``top``, ``left`` : coin de la fenêtre dans ``padded`` ; ``patch`` et
    ``products`` : la zone vue et ses produits terme à terme avec le filtre ; ``value`` :
    leur somme (= ``output[row, col]``).
    """

    padded: np.ndarray
    weights: np.ndarray
    output: np.ndarray
    padding: int
    stride: int
    step: int
    row: int
    col: int
    top: int
    left: int
    patch: np.ndarray
    products: np.ndarray
    value: float


def sliding_window(image, weights, step: int, *, padding: int = 0,
                   stride: int = 1) -> SlidingWindow:
    """L'étape ``step`` (à partir de 1) de la convolution 2-D de ``image`` par ``weights``.

    Les pixels de sortie sont calculés dans l'ordre de lecture ; au-delà du dernier,
    l'étape reste sur le dernier pixel. Voir le chapitre 6.
    """
    image = check.array("image", image, ndim=2)
    weights = check.array("weights", weights, ndim=2)
    step = check.number("step", step, low=1, integer=True)
    output = conv2d(image, weights, padding=padding, stride=stride)
    step = min(step, output.size)
    row, col = divmod(step - 1, output.shape[1])
    padded = pad(image, padding)
    top, left = row * stride, col * stride
    patch = padded[top:top + weights.shape[0], left:left + weights.shape[1]]
    products = patch * weights
    return SlidingWindow(padded, weights, output, padding, stride, step, row, col, top, left,
                         patch, products, float(products.sum()))
