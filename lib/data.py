"""Toutes les données du livre : fournies par scikit-learn ou générées. Aucun téléchargement.

- :func:`logic_gate` et :func:`points_2d` : petits nuages de points du plan (ET, OU, OU
  exclusif) pour les chapitres 1 et 3 ;
- :func:`digits` : les chiffres manuscrits 8×8 de scikit-learn (chapitres 4 à 6) ;
- :func:`photo` : une photo d'exemple de scikit-learn en niveaux de gris (chapitre 6) ;
- :func:`shapes` : des formes synthétiques avec leur masque de vérité terrain (chapitres 6 à 8).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib import _validation as check

__all__ = ["GATES", "logic_gate", "points_2d", "Split", "digits", "photo", "shapes",
           "SHAPE_CLASSES", "mark_corners"]

#: Tables de vérité des portes logiques : sortie pour les entrées (0,0), (0,1), (1,0), (1,1).
GATES = {"et": (0, 0, 0, 1), "ou": (0, 1, 1, 1), "ou exclusif": (0, 1, 1, 0)}
_CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def logic_gate(gate: str) -> tuple[np.ndarray, np.ndarray]:
    """Les quatre entrées binaires et la sortie d'une porte logique.

    ``gate`` vaut « et », « ou » ou « ou exclusif ».

    Voir le chapitre 1.
    """
    check.choice("gate", gate, list(GATES))
    return _CORNERS.copy(), np.array(GATES[gate], dtype=np.int64)


def points_2d(gate: str, n: int = 100, noise: float = 0.15, seed: int = 0):
    """Un nuage de ``n`` points bruités autour des quatre coins, étiquetés par la porte ``gate``.

    Chaque point est un coin de {0,1}² plus un bruit gaussien d'écart-type ``noise``.
    Voir les chapitres 1 et 3.
    """
    check.choice("gate", gate, list(GATES))
    n = check.number("n", n, low=4, integer=True)
    noise = check.number("noise", noise, low=0)
    seed = check.number("seed", seed, low=0, integer=True)
    rng = np.random.default_rng(seed)
    corner = np.arange(n) % 4
    x = _CORNERS[corner] + noise * rng.standard_normal((n, 2))
    y = np.array(GATES[gate], dtype=np.int64)[corner]
    order = rng.permutation(n)
    return x[order], y[order]


@dataclass(frozen=True)
class Split:
    """Un jeu de données découpé en apprentissage et test (tenseurs PyTorch)."""

    x_train: object
    y_train: object
    x_test: object
    y_test: object
    classes: tuple


def digits(test_size: float = 0.25, seed: int = 0, *, images: bool = True) -> Split:
    """Les 1 797 chiffres manuscrits 8×8 de scikit-learn, valeurs dans [0, 1].

    ``images=True`` donne des tenseurs ``(N, 1, 8, 8)`` (réseaux convolutifs), sinon
    ``(N, 64)``. Le découpage est stratifié et fixé par ``seed``. Voir le chapitre 4.
    """
    import torch
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    test_size = check.number("test_size", test_size, low=0, strict_low=True, high=0.9)
    seed = check.number("seed", seed, low=0, integer=True)
    if not isinstance(images, bool):
        raise TypeError(f"`images` doit être True ou False ; reçu : {check.describe(images)}")
    bunch = load_digits()
    x = bunch.images / 16.0  # float64, comme les réseaux de lib.models
    x = x[:, None] if images else x.reshape(len(x), -1)
    x_tr, x_te, y_tr, y_te = train_test_split(
        x, bunch.target, test_size=test_size, random_state=seed, stratify=bunch.target
    )
    as_x, as_y = torch.from_numpy, lambda y: torch.as_tensor(y, dtype=torch.int64)
    classes = tuple(str(c) for c in range(10))
    return Split(as_x(x_tr), as_y(y_tr), as_x(x_te), as_y(y_te), classes)


def photo(name: str = "china", size: int | None = 256) -> np.ndarray:
    """Une photo d'exemple de scikit-learn, en niveaux de gris dans [0, 1].

    ``name`` vaut « china » ou « flower ».

    L'image est recadrée au carré central puis réduite à ``size``×``size`` pixels
    (``size=None`` garde la taille d'origine). Voir le chapitre 6.
    """
    from PIL import Image
    from sklearn.datasets import load_sample_image

    check.choice("name", name, ["china", "flower"])
    rgb = load_sample_image(f"{name}.jpg")
    h, w, _ = rgb.shape
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    gray = Image.fromarray(rgb[top:top + side, left:left + side]).convert("L")
    if size is not None:
        size = check.number("size", size, low=8, high=side, integer=True)
        gray = gray.resize((size, size), Image.Resampling.LANCZOS)
    return np.asarray(gray, dtype=np.float64) / 255.0


#: Noms des classes de :func:`shapes`, dans l'ordre des étiquettes 0, 1, 2, 3.
SHAPE_CLASSES = ("cercle", "carré", "triangle", "croix")
#: Coins de la marque de :func:`shapes` (haut-gauche, haut-droite, bas-gauche, bas-droite).
_MARK_CORNERS = ((0, 0), (0, 1), (1, 0), (1, 1))
_MARK, _MARK_GAP = 3, 1  # côté de la marque et écart au bord, en pixels


def _centres(radius, size: int, rng):
    """Centres des objets : dans l'image, et leur boîte englobante évite les quatre coins.

    Les coins (``_MARK_GAP + _MARK + 1`` pixels de côté) sont réservés aux marques.
    """
    corner = _MARK_GAP + _MARK + 1
    cy, cx = np.empty_like(radius), np.empty_like(radius)
    todo = np.ones(len(radius), dtype=bool)
    while todo.any():  # tirage avec rejet : le centre de l'image convient toujours
        r = radius[todo]
        cy[todo], cx[todo] = (rng.uniform(r, size - 1 - r) for _ in range(2))
        near_y = (cy - radius < corner) | (cy + radius > size - 1 - corner)
        near_x = (cx - radius < corner) | (cx + radius > size - 1 - corner)
        todo = near_y & near_x
    return cy, cx


def _shape_masks(labels, size: int, rng) -> np.ndarray:
    """Masques booléens ``(n, size, size)`` des formes : position, taille, rotation au hasard."""
    n = len(labels)
    corner = _MARK_GAP + _MARK + 1
    # Toutes les formes tiennent dans le disque de rayon 1,2·r (rotation comprise).
    extent = np.minimum(rng.uniform(0.17, 0.29, n) * size, (size - 1) / 2 - corner - 0.5)
    radius = extent / 1.2
    cy, cx = _centres(extent, size, rng)
    angle = rng.uniform(-0.35, 0.35, n)
    grid = np.arange(size, dtype=np.float64)
    dy = grid[None, :, None] - cy[:, None, None]
    dx = grid[None, None, :] - cx[:, None, None]
    cos, sin = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    u, v = cos * dx + sin * dy, -sin * dx + cos * dy  # coordonnées liées à la forme
    r = radius[:, None, None]
    circle = u**2 + v**2 <= r**2
    square = np.maximum(np.abs(u), np.abs(v)) <= 0.8 * r
    triangle = np.ones_like(circle)
    for k in range(3):  # trois demi-plans : triangle équilatéral, pointe vers le haut
        theta = np.pi / 2 + 2 * np.pi * k / 3
        triangle &= np.cos(theta) * u + np.sin(theta) * v <= 0.6 * r
    arm = 0.3 * r
    cross = ((np.abs(u) <= arm) & (np.abs(v) <= r)) | ((np.abs(v) <= arm) & (np.abs(u) <= r))
    stack = np.stack([circle, square, triangle, cross])
    return stack[labels, np.arange(n)]


def _background(n: int, size: int, rng) -> np.ndarray:
    """Fond texturé ``(n, size, size)`` : taches douces (grille 5×5 interpolée) et bruit."""
    coarse = rng.uniform(0.0, 0.35, (n, 5, 5))
    pos = np.linspace(0, 4, size)
    weights = np.maximum(0.0, 1.0 - np.abs(pos[:, None] - np.arange(5)[None, :]))
    smooth = np.einsum("ia,nab,jb->nij", weights, coarse, weights)
    return smooth + rng.normal(0.0, 0.06, (n, size, size))


def shapes(n: int, size: int = 32, seed: int = 0, *, mark: str | None = None):
    """Des images de formes (cercle, carré, triangle, croix) sur fond texturé, avec leurs masques.

    Renvoie ``(images, labels, masks)`` : tenseurs ``float64`` ``(n, 1, size, size)`` dans
    [0, 1], ``int64`` ``(n,)`` (indices de :data:`SHAPE_CLASSES`, classes équilibrées) et
    ``bool`` ``(n, 1, size, size)`` (vrai sur les pixels de l'objet). Position, taille,
    rotation et intensité de l'objet sont tirées au hasard (graine ``seed``).
    ``mark="class"`` ajoute une marque claire 3×3 dans le coin numéro ``label`` (un
    raccourci trompeur), ``mark="random"`` dans un coin au hasard ; la marque n'est jamais
    dans ``masks``. Voir les chapitres 6 à 8.
    """
    import torch

    n = check.number("n", n, low=1, integer=True)
    size = check.number("size", size, low=24, high=256, integer=True)
    seed = check.number("seed", seed, low=0, integer=True)
    check.choice("mark", mark, [None, "class", "random"])
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % len(SHAPE_CLASSES))
    masks = _shape_masks(labels, size, rng)
    intensity = rng.uniform(0.6, 0.95, n)[:, None, None]
    images = np.where(masks, intensity, _background(n, size, rng))
    images += rng.normal(0.0, 0.04, images.shape)  # léger bruit aussi sur l'objet
    if mark is not None:
        corner = labels if mark == "class" else rng.integers(0, 4, n)
        far = size - _MARK_GAP - _MARK
        for i, (row, col) in enumerate(np.array(_MARK_CORNERS)[corner]):
            top, left = (far if row else _MARK_GAP), (far if col else _MARK_GAP)
            images[i, top:top + _MARK, left:left + _MARK] = 1.0
    images = np.clip(images, 0.0, 1.0)[:, None]  # float64, comme les réseaux de lib.models
    return (torch.from_numpy(images), torch.from_numpy(labels.astype(np.int64)),
            torch.from_numpy(masks[:, None].copy()))


def mark_corners(images):
    """Le coin où :func:`shapes` a posé la marque de chaque image : 0 haut-gauche, 1 haut-droite,
    2 bas-gauche, 3 bas-droite, −1 sans marque (tenseur ``int64`` ``(N,)``).

    La marque est le seul carré 3×3 d'un coin dont les neuf pixels valent exactement 1.
    ``images`` : tenseur ``(N, 1, size, size)`` rendu par :func:`shapes`. Voir le chapitre 7.
    """
    import torch

    images = check.tensor("images", images, ndim=4)
    size = images.shape[-1]
    if images.shape[1] != 1 or images.shape[-2] != size or size < 24:
        raise ValueError("`images` doit avoir la forme (N, 1, size, size) des images de "
                         f"shapes (size ≥ 24) ; reçu : {tuple(images.shape)}")
    far = size - _MARK_GAP - _MARK
    found = torch.full((images.shape[0],), -1, dtype=torch.int64)
    for k, (row, col) in enumerate(_MARK_CORNERS):
        top, left = (far if row else _MARK_GAP), (far if col else _MARK_GAP)
        patch = images[:, 0, top:top + _MARK, left:left + _MARK]
        found[(patch == 1.0).flatten(1).all(1)] = k
    return found
