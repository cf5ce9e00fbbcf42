"""Le neurone artificiel : somme pondérée, biais, fonction d'activation.

Un neurone calcule ``sortie = f(w · x + b)`` en trois étapes : (1) la somme pondérée des
entrées par leurs poids, (2) l'ajout du biais, (3) la fonction d'activation ``f`` qui décide
de la sortie (McCulloch et Pitts, 1943 ; Rosenblatt, 1958). Une entrée est un vecteur
``(d,)`` ; un lot d'entrées est une matrice ``(N, d)`` traitée d'un seul produit matriciel.

Les fonctions de ce module calculent et renvoient des tableaux NumPy ou de petites
dataclasses ; les dessins sont dans :mod:`lib.viz.neuron`. Voir le chapitre 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib import _validation as check
from lib import activations

__all__ = [
    "weighted_sum", "pre_activation", "neuron", "NeuronSteps", "steps", "DecisionMap",
    "decision_map", "accuracy", "separates", "WeightSearch", "search_weights", "Inspection",
    "inspect",
]


def _inputs(x, w, b=None):
    """Vérifie ``x`` (entrée ``(d,)`` ou lot ``(N, d)``), ``w`` ``(d,)`` et ``b`` (un nombre)."""
    x = check.array("x", x, ndim=(1, 2))
    w = check.array("w", w, ndim=1)
    if x.shape[-1] != w.shape[0]:
        raise ValueError(
            f"`w` doit avoir autant de poids que `x` a d'entrées ({x.shape[-1]}) ; "
            f"reçu : {w.shape[0]} poids"
        )
    if b is not None:
        b = check.number("b", b)
    return x, w, b


def _activation(name):
    return check.choice("activation", name, list(activations.NAMES))


def _scalar(value):
    return float(value) if np.ndim(value) == 0 else value


def weighted_sum(x, w):
    """Étape 1 : somme pondérée des entrées, ``s = Σᵢ wᵢ xᵢ = x · w``.

    ``x`` est une entrée ``(d,)`` (résultat : un nombre) ou un lot ``(N, d)`` (résultat :
    un tableau ``(N,)``, calculé par le produit matriciel ``x @ w``). Voir le chapitre 1.
    """
    x, w, _ = _inputs(x, w)
    return _scalar(x @ w)


def pre_activation(x, w, b):
    """Étapes 1 et 2 : somme pondérée plus biais, ``z = x · w + b``. Voir le chapitre 1."""
    x, w, b = _inputs(x, w, b)
    return _scalar(x @ w + b)


def neuron(x, w, b, activation: str = "heaviside"):
    """Sortie du neurone, ``y = f(x · w + b)``, pour une entrée ``(d,)`` ou un lot ``(N, d)``.

    ``activation`` est un nom de :data:`lib.activations.NAMES` (par défaut le seuil de
    Heaviside du perceptron de Rosenblatt, 1958). Voir le chapitre 1.
    """
    f = activations.get(_activation(activation))
    return _scalar(np.asarray(f(pre_activation(x, w, b)), dtype=float))


@dataclass(frozen=True)
class NeuronSteps:
    """Les trois étapes du calcul d'un neurone pour une entrée ``x``."""

    x: np.ndarray
    w: np.ndarray
    products: np.ndarray
    weighted_sum: float
    b: float
    pre_activation: float
    activation: str
    output: float


def steps(x, w, b, activation: str = "heaviside") -> NeuronSteps:
    """Détaille le calcul d'un neurone pour une entrée : produits ``wᵢ xᵢ``, somme, biais, sortie.

    Voir le chapitre 1.
    """
    x, w, b = _inputs(x, w, b)
    if x.ndim != 1:
        raise ValueError(f"`x` doit être une seule entrée (1 dimension) ; reçu : forme {x.shape}")
    activation = _activation(activation)
    products = x * w
    s = float(products.sum())
    z = s + b
    output = float(np.asarray(activations.get(activation)(z), dtype=float))
    return NeuronSteps(x.copy(), w.copy(), products, s, b, z, activation, output)


@dataclass(frozen=True)
class DecisionMap:
    """Sortie d'un neurone à deux entrées sur une grille carrée du plan.

    ``output[i, j]`` est la sortie au point ``(x₁, x₂) = (grid[j], grid[i])`` (ligne = x₂,
    comme ``imshow(..., origin="lower")``) ; ``boundary`` est le segment de la droite
    ``w · x + b = 0`` visible dans le carré (``None`` si elle ne le traverse pas).
    """

    grid: np.ndarray
    output: np.ndarray
    extent: tuple
    boundary: np.ndarray | None
    w: np.ndarray
    b: float
    activation: str


def _boundary(w, b, low, high):
    """Segment ``(2, 2)`` de la droite ``w₁x₁ + w₂x₂ + b = 0`` dans le carré [low, high]²."""
    ends = []
    for axis in (0, 1):
        other = 1 - axis
        if w[other] == 0:
            continue
        for t in (low, high):  # coordonnée ``axis`` fixée sur un bord du carré
            u = -(b + w[axis] * t) / w[other]
            if low <= u <= high:
                point = [0.0, 0.0]
                point[axis], point[other] = t, u
                ends.append(point)
    ends = np.unique(np.round(np.array(ends), 12), axis=0) if ends else np.empty((0, 2))
    return ends[[0, -1]] if len(ends) >= 2 else None


def decision_map(w, b, activation: str = "heaviside", *, limits=(-0.5, 1.5),
                 size: int = 80) -> DecisionMap:
    """Calcule la sortie ``f(w₁x₁ + w₂x₂ + b)`` sur une grille ``size × size`` du plan.

    Le carré couvre ``limits`` sur chaque axe ; sert à dessiner la frontière de décision.
    Voir le chapitre 1.
    """
    _, w, b = _inputs(np.zeros(2), w, b)
    activation = _activation(activation)
    size = check.number("size", size, low=2, high=1000, integer=True)
    low, high = check.array("limits", limits, ndim=1, last=2)
    if high <= low:
        raise ValueError(f"`limits` doit être (bas, haut) avec bas < haut ; reçu : {limits!r}")
    grid = np.linspace(low, high, size)
    x1, x2 = np.meshgrid(grid, grid)
    output = np.asarray(activations.get(activation)(w[0] * x1 + w[1] * x2 + b), dtype=float)
    return DecisionMap(grid, output, (low, high, low, high), _boundary(w, b, low, high),
                       w.copy(), b, activation)


def _labels(x, target):
    target = check.array("target", target, ndim=1)
    if len(target) != len(x):
        raise ValueError(
            f"`target` doit avoir une étiquette par point ({len(x)}) ; reçu : {len(target)}"
        )
    if not np.all(np.isin(target, (0, 1))):
        raise ValueError(f"`target` ne doit contenir que des 0 et des 1 ; reçu : {target!r}")
    return target


def accuracy(x, target, w, b) -> float:
    """Proportion des points du lot ``x`` strictement du bon côté de la frontière ``w · x + b = 0``.

    La classe 1 est attendue du côté ``z > 0``, la classe 0 du côté ``z < 0`` ; un point
    exactement sur la frontière compte comme mal classé. Voir le chapitre 1.
    """
    x, w, b = _inputs(x, w, b)
    if x.ndim != 2:
        raise ValueError(f"`x` doit être un lot de points (N, d) ; reçu : forme {x.shape}")
    target = _labels(x, target)
    margin = (2 * target - 1) * (x @ w + b)
    return float(np.mean(margin > 0))


def separates(x, target, w, b) -> bool:
    """Vrai si le neurone ``(w, b)`` place chaque point de ``x`` strictement du côté de sa classe.

    Voir le chapitre 1.
    """
    return accuracy(x, target, w, b) == 1.0


@dataclass(frozen=True)
class WeightSearch:
    """Résultat d'une recherche de poids sur une grille : réglages essayés et réussis."""

    tried: int
    solutions: np.ndarray  # (k, d + 1) : poids puis biais de chaque réglage qui sépare
    best: np.ndarray  # (d + 1,) : un réglage de meilleure exactitude
    best_accuracy: float


def search_weights(x, target, values=None) -> WeightSearch:
    """Essaie tous les réglages ``(w₁, …, w_d, b)`` pris dans ``values`` et garde ceux qui séparent.

    Par défaut ``values`` = 17 valeurs régulières de −2 à 2 (17³ = 4 913 réglages pour deux
    entrées). Le calcul est vectorisé : un seul produit matriciel. Voir le chapitre 1.
    """
    x = check.array("x", x, ndim=2)
    target = _labels(x, target)
    values = np.linspace(-2, 2, 17) if values is None else check.array("values", values, ndim=1)
    if len(values) == 0 or len(values) ** (x.shape[1] + 1) > 2_000_000:
        raise ValueError(
            f"`values` doit contenir entre 1 et {int(2e6 ** (1 / (x.shape[1] + 1)))} valeurs "
            f"pour {x.shape[1]} entrées ; reçu : {len(values)}"
        )
    settings = np.stack(np.meshgrid(*[values] * (x.shape[1] + 1), indexing="ij"), -1)
    settings = settings.reshape(-1, x.shape[1] + 1)
    z = x @ settings[:, :-1].T + settings[:, -1]  # (N, réglages)
    scores = np.mean((2 * target[:, None] - 1) * z > 0, axis=0)
    best = int(np.argmax(scores))
    return WeightSearch(len(settings), settings[scores == 1.0], settings[best],
                        float(scores[best]))


@dataclass(frozen=True)
class Inspection:
    """Ce que montre la démonstration interactive : carte de sortie, points, un point détaillé."""

    map: DecisionMap
    x: np.ndarray
    target: np.ndarray
    index: int
    steps: NeuronSteps
    accuracy: float


def inspect(x, target, w, b, activation: str = "heaviside", index: int = 0, *,
            limits=(-0.5, 1.5), size: int = 80) -> Inspection:
    """Rassemble la carte de sortie, le nuage ``(x, target)`` et les étapes du point ``index``.

    Voir le chapitre 1.
    """
    x, w, b = _inputs(x, w, b)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"`x` doit être un lot de points du plan (N, 2) ; reçu : forme {x.shape}")
    target = _labels(x, target)
    index = check.number("index", index, low=0, high=len(x) - 1, integer=True)
    return Inspection(
        decision_map(w, b, activation, limits=limits, size=size), x, target.astype(int), index,
        steps(x[index], w, b, activation), accuracy(x, target, w, b),
    )
