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

__all__ = ["GATES", "logic_gate", "points_2d", "Split", "digits", "photo"]

#: Tables de vérité des portes logiques : sortie pour les entrées (0,0), (0,1), (1,0), (1,1).
GATES = {"et": (0, 0, 0, 1), "ou": (0, 1, 1, 1), "ou exclusif": (0, 1, 1, 0)}
_CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def logic_gate(gate: str) -> tuple[np.ndarray, np.ndarray]:
    """Les quatre entrées binaires et la sortie de la porte ``gate`` (« et », « ou », « ou exclusif »).

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
    bunch = load_digits()
    x = (bunch.images / 16.0).astype(np.float32)
    x = x[:, None] if images else x.reshape(len(x), -1)
    x_tr, x_te, y_tr, y_te = train_test_split(
        x, bunch.target, test_size=test_size, random_state=seed, stratify=bunch.target
    )
    as_x, as_y = torch.from_numpy, lambda y: torch.as_tensor(y, dtype=torch.int64)
    classes = tuple(str(c) for c in range(10))
    return Split(as_x(x_tr), as_y(y_tr), as_x(x_te), as_y(y_te), classes)


def photo(name: str = "china", size: int | None = 256) -> np.ndarray:
    """Une photo d'exemple de scikit-learn (« china » ou « flower »), en niveaux de gris dans [0, 1].

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
