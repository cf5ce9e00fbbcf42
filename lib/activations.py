"""Fonctions d'activation, leurs dérivées et ce qu'elles changent pour l'entraînement.

- :data:`NAMES`, :func:`get` : les cinq activations appliquées élément par élément
  (Heaviside, sigmoïde, tangente hyperbolique, ReLU, ReLU avec fuite) ;
- :func:`derivative` et les fonctions ``*_derivative`` : leurs dérivées ;
  :func:`finite_difference` : la même pente estimée par différences finies ;
- :func:`softmax` (stable numériquement) et :func:`softmax_jacobian` ;
- :func:`tangent`, :func:`curves`, :func:`gradient_chain`, :func:`train_neuron` : les
  calculs des figures du chapitre (saturation, disparition du gradient, ReLU « mortes »).

Conventions en 0 (là où la dérivée n'existe pas) : ``heaviside(0) = 1`` et sa dérivée
vaut 0 ; la dérivée de ReLU en 0 vaut 0 et celle de la ReLU avec fuite vaut ``slope``,
comme dans PyTorch. Voir le chapitre 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib import _validation as check

__all__ = [
    "NAMES", "get", "heaviside", "sigmoid", "tanh", "relu", "leaky_relu", "softmax",
    "derivative", "heaviside_derivative", "sigmoid_derivative", "tanh_derivative",
    "relu_derivative", "leaky_relu_derivative", "softmax_jacobian", "finite_difference",
    "Curves", "curves", "Tangent", "tangent", "GradientChain", "gradient_chain",
    "Descent", "train_neuron",
]

#: Noms des fonctions d'activation (élément par élément) et leur nom affiché en français.
NAMES = {
    "heaviside": "Heaviside (seuil)",
    "sigmoid": "sigmoïde",
    "tanh": "tangente hyperbolique",
    "relu": "ReLU",
    "leaky_relu": "ReLU avec fuite",
}

#: Pente par défaut de la ReLU avec fuite pour z < 0 (celle de PyTorch).
DEFAULT_SLOPE = 0.01


def _input(z) -> np.ndarray:
    return check.array("z", z)


def _output(value: np.ndarray):
    """Un nombre pour une entrée scalaire, un tableau de même forme sinon."""
    value = np.asarray(value, dtype=float)
    return float(value) if value.ndim == 0 else value


def _slope(slope) -> float:
    return check.number("slope", slope, low=0)


# --- Les fonctions -------------------------------------------------------------------


def heaviside(z):
    """Seuil de Heaviside, ``H(z) = 1 si z ≥ 0, 0 sinon`` (neurone de McCulloch et Pitts).

    ``z`` : un nombre ou un tableau ; le résultat a la même forme. Voir le chapitre 2.
    """
    return _output(_input(z) >= 0)


def sigmoid(z):
    """Sigmoïde (fonction logistique), ``σ(z) = 1 / (1 + e^(−z))``, à valeurs dans ]0, 1[.

    Calculée sans débordement : pour z < 0 on utilise ``e^z / (1 + e^z)``. Voir le chapitre 2.
    """
    z = _input(z)
    e = np.exp(-np.abs(z))  # toujours dans ]0, 1] : pas de débordement
    return _output(np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)))


def tanh(z):
    """Tangente hyperbolique, ``tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)) = 2σ(2z) − 1``.

    À valeurs dans ]−1, 1[, centrée en 0. Voir le chapitre 2.
    """
    return _output(np.tanh(_input(z)))


def relu(z):
    """Unité linéaire rectifiée (ReLU), ``ReLU(z) = max(z, 0)`` (Glorot et al., 2011).

    Voir le chapitre 2.
    """
    return _output(np.maximum(_input(z), 0.0))


def leaky_relu(z, slope=DEFAULT_SLOPE):
    """ReLU avec fuite, ``z si z ≥ 0, slope·z sinon`` (Maas et al., 2013).

    ``slope`` (≥ 0) est la petite pente gardée pour z < 0. Voir le chapitre 2.
    """
    z, slope = _input(z), _slope(slope)
    return _output(np.where(z >= 0, z, slope * z))


def softmax(z, axis=-1, *, temperature=1.0):
    """Softmax, ``pᵢ = e^(zᵢ/T) / Σⱼ e^(zⱼ/T)`` le long de ``axis`` : des scores aux probabilités.

    Stable numériquement : on retranche le plus grand score avant l'exponentielle (cela ne
    change pas le résultat). ``temperature`` T > 0 : petite, elle accentue le plus grand
    score ; grande, elle rapproche les probabilités. Voir le chapitre 2.
    """
    z = check.array("z", z)
    if z.ndim == 0:
        raise ValueError("`z` doit être un tableau de scores (au moins 1 dimension) ; "
                         "reçu : un seul nombre")
    axis = check.number("axis", axis, integer=True, low=-z.ndim, high=z.ndim - 1)
    temperature = check.number("temperature", temperature, low=0, strict_low=True)
    shifted = (z - z.max(axis=axis, keepdims=True)) / temperature
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def get(name):
    """La fonction d'activation appelée ``name`` (une clé de :data:`NAMES`).

    Voir le chapitre 2.
    """
    check.choice("name", name, list(NAMES))
    return _FUNCTIONS[name]


_FUNCTIONS = {"heaviside": heaviside, "sigmoid": sigmoid, "tanh": tanh, "relu": relu,
              "leaky_relu": leaky_relu}


# --- Les dérivées ---------------------------------------------------------------------


def heaviside_derivative(z):
    """Dérivée du seuil de Heaviside : ``H'(z) = 0`` partout (non définie en 0, on y met 0).

    Un gradient toujours nul : aucun apprentissage par descente de gradient. Voir le chapitre 2.
    """
    return _output(np.zeros_like(_input(z)))


def sigmoid_derivative(z):
    """Dérivée de la sigmoïde, ``σ'(z) = σ(z)·(1 − σ(z))``, au plus 1/4 (atteint en z = 0).

    Voir le chapitre 2.
    """
    s = np.asarray(sigmoid(z))
    return _output(s * (1.0 - s))


def tanh_derivative(z):
    """Dérivée de la tangente hyperbolique, ``tanh'(z) = 1 − tanh(z)²``, au plus 1 (en z = 0).

    Voir le chapitre 2.
    """
    t = np.asarray(tanh(z))
    return _output(1.0 - t * t)


def relu_derivative(z):
    """Dérivée de ReLU : ``1 si z > 0, 0 sinon`` (0 en z = 0, comme PyTorch).

    Voir le chapitre 2.
    """
    return _output(_input(z) > 0)


def leaky_relu_derivative(z, slope=DEFAULT_SLOPE):
    """Dérivée de la ReLU avec fuite : ``1 si z > 0, slope sinon`` (comme PyTorch).

    Voir le chapitre 2.
    """
    z, slope = _input(z), _slope(slope)
    return _output(np.where(z > 0, 1.0, slope))


_DERIVATIVES = {"heaviside": heaviside_derivative, "sigmoid": sigmoid_derivative,
                "tanh": tanh_derivative, "relu": relu_derivative,
                "leaky_relu": leaky_relu_derivative}


def _evaluate(table, name, z, slope):
    """Applique ``table[name]`` à ``z`` (avec ``slope`` pour la ReLU avec fuite)."""
    check.choice("name", name, list(NAMES))
    slope = _slope(slope)
    return table[name](z, slope) if name == "leaky_relu" else table[name](z)


def derivative(name, z, *, slope=DEFAULT_SLOPE):
    """Dérivée ``f'(z)`` de l'activation ``name`` (une clé de :data:`NAMES`), élément par élément.

    ``slope`` ne sert qu'à la ReLU avec fuite. Voir le chapitre 2.
    """
    return _evaluate(_DERIVATIVES, name, z, slope)


def finite_difference(name, z, *, h=1e-5, slope=DEFAULT_SLOPE):
    """Pente estimée par différences centrées, ``(f(z + h) − f(z − h)) / 2h``.

    Sert à vérifier une dérivée écrite à la main (fausse près d'un point anguleux, à moins
    de h de 0 pour Heaviside, ReLU et ReLU avec fuite). Voir le chapitre 2.
    """
    z = _input(z)
    h = check.number("h", h, low=0, strict_low=True)
    up = np.asarray(_evaluate(_FUNCTIONS, name, z + h, slope))
    down = np.asarray(_evaluate(_FUNCTIONS, name, z - h, slope))
    return _output((up - down) / (2 * h))


def softmax_jacobian(z, *, temperature=1.0):
    """Jacobienne de la softmax, ``∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ) / T``, soit ``(diag(p) − p pᵀ) / T``.

    ``z`` : des scores ``(K,)`` (résultat ``(K, K)``) ou un lot ``(N, K)`` (résultat
    ``(N, K, K)``). Chaque ligne somme à 0 : les probabilités restent de somme 1.
    Voir le chapitre 2.
    """
    z = check.array("z", z, ndim=(1, 2))
    temperature = check.number("temperature", temperature, low=0, strict_low=True)
    p = softmax(z, temperature=temperature)
    outer = p[..., :, None] * p[..., None, :]
    diagonal = p[..., :, None] * np.eye(p.shape[-1])
    return (diagonal - outer) / temperature


# --- Calculs des figures du chapitre -------------------------------------------------


@dataclass(frozen=True)
class Curves:
    """Valeurs ``values[k]`` et dérivées ``derivatives[k]`` de l'activation ``names[k]``."""

    z: np.ndarray
    names: tuple
    values: np.ndarray
    derivatives: np.ndarray


def curves(z, names=None, *, slope=DEFAULT_SLOPE) -> Curves:
    """Évalue plusieurs activations et leurs dérivées sur une grille ``z`` (1 dimension).

    ``names`` : des clés de :data:`NAMES` (toutes par défaut). Voir le chapitre 2.
    """
    z = check.array("z", z, ndim=1)
    names = tuple(NAMES) if names is None else (names,) if isinstance(names, str) else names
    if not isinstance(names, list | tuple):
        raise TypeError(f"`names` doit être une liste de noms d'activations ; "
                        f"reçu : {check.describe(names)}")
    if not names:
        raise ValueError("`names` doit contenir au moins un nom d'activation ; reçu : ()")
    for name in names:
        check.choice("names", name, list(NAMES))
    values = np.array([_evaluate(_FUNCTIONS, n, z, slope) for n in names])
    slopes = np.array([_evaluate(_DERIVATIVES, n, z, slope) for n in names])
    return Curves(z.copy(), tuple(names), values, slopes)


@dataclass(frozen=True)
class Tangent:
    """La courbe ``g(u) = f(scale·u + shift)``, sa dérivée, et la tangente au point ``u = z``."""

    name: str
    scale: float
    shift: float
    grid: np.ndarray
    values: np.ndarray
    derivatives: np.ndarray
    z: float
    value: float
    slope: float


def tangent(name, z, *, scale=1.0, shift=0.0, low=-6.0, high=6.0, n=241) -> Tangent:
    """Valeur et pente de ``g(u) = f(scale·u + shift)`` en ``u = z`` ; courbes sur [low, high].

    Règle de dérivation en chaîne : ``g'(u) = scale · f'(scale·u + shift)``. La tangente au
    point est ``u ↦ g(z) + g'(z)·(u − z)``. Voir le chapitre 2.
    """
    check.choice("name", name, list(NAMES))
    z = check.number("z", z)
    scale, shift = check.number("scale", scale), check.number("shift", shift)
    low, high = check.number("low", low), check.number("high", high)
    if high <= low:
        raise ValueError(f"`high` doit être > `low` ; reçu : low={low:g}, high={high:g}")
    n = check.number("n", n, low=2, integer=True)
    grid = np.linspace(low, high, n)
    inner = scale * grid + shift
    values = np.asarray(get(name)(inner))
    slopes = scale * np.asarray(derivative(name, inner))
    point = scale * z + shift
    return Tangent(name, scale, shift, grid, values, slopes, z, get(name)(point),
                   scale * derivative(name, point))


@dataclass(frozen=True)
class GradientChain:
    """Une chaîne de ``depth`` neurones à une entrée : ``a₀ = x``, ``aₖ = f(w·aₖ₋₁ + b)``.

    ``local[k-1] = w·f'(zₖ)`` est le facteur de la couche k ; ``gradient[k-1] = ∂aₖ/∂x``
    est le produit des facteurs des couches 1 à k.
    """

    name: str
    pre_activations: np.ndarray
    activations: np.ndarray
    local: np.ndarray
    gradient: np.ndarray


def gradient_chain(name, depth=10, *, x=1.0, w=1.0, b=0.0, slope=DEFAULT_SLOPE) -> GradientChain:
    """Propage ``x`` à travers ``depth`` couches ``aₖ = f(w·aₖ₋₁ + b)`` et en déduit ``∂aₖ/∂x``.

    Dérivation en chaîne : ``∂a_depth/∂x = Πₖ w·f'(zₖ)``. Pour la sigmoïde chaque facteur
    vaut au plus ``w/4`` : le gradient disparaît avec la profondeur (Glorot et Bengio, 2010).
    Voir le chapitre 2.
    """
    check.choice("name", name, list(NAMES))
    depth = check.number("depth", depth, low=1, integer=True)
    a, w, b = check.number("x", x), check.number("w", w), check.number("b", b)
    slope = _slope(slope)
    zs, outs, local = np.empty(depth), np.empty(depth), np.empty(depth)
    for k in range(depth):
        zs[k] = w * a + b
        a = _evaluate(_FUNCTIONS, name, zs[k], slope)
        outs[k] = a
        local[k] = w * _evaluate(_DERIVATIVES, name, zs[k], slope)
    return GradientChain(name, zs, outs, local, np.cumprod(local))


@dataclass(frozen=True)
class Descent:
    """Historique d'une descente de gradient sur un neurone : une ligne par étape (0 = départ)."""

    name: str
    losses: np.ndarray
    weights: np.ndarray
    biases: np.ndarray


def _neuron_data(x, target, w, b):
    x = check.array("x", x, ndim=2)
    target = check.array("target", target, ndim=1)
    if target.shape[0] != x.shape[0]:
        raise ValueError(f"`target` doit avoir une valeur par ligne de `x` ({x.shape[0]}) ; "
                         f"reçu : {target.shape[0]} valeurs")
    w = check.array("w", w, ndim=1)
    if w.shape[0] != x.shape[1]:
        raise ValueError(f"`w` doit avoir autant de poids que `x` a de colonnes ({x.shape[1]}) ; "
                         f"reçu : {w.shape[0]} poids")
    return x, target, w.copy(), check.number("b", b)


def train_neuron(x, target, w, b, name="sigmoid", *, lr=1.0, steps=100,
                 slope=DEFAULT_SLOPE) -> Descent:
    """Descente de gradient sur un neurone ``y = f(x·w + b)``, perte ``L = ½·moyenne((y − t)²)``.

    Gradients écrits à la main : ``∂L/∂z = (y − t)·f'(z) / N``, ``∂L/∂w = xᵀ ∂L/∂z``,
    ``∂L/∂b = Σ ∂L/∂z`` ; si ``f'(z) = 0`` partout, rien ne bouge. Voir le chapitre 2.
    """
    x, target, w, b = _neuron_data(x, target, w, b)
    check.choice("name", name, list(NAMES))
    lr = check.number("lr", lr, low=0, strict_low=True)
    steps = check.number("steps", steps, low=0, integer=True)
    slope = _slope(slope)
    losses, weights, biases = [], [w.copy()], [b]
    for step in range(steps + 1):
        z = x @ w + b
        error = np.asarray(_evaluate(_FUNCTIONS, name, z, slope)) - target
        losses.append(0.5 * float(np.mean(error ** 2)))
        if step == steps:
            break
        grad_z = error * np.asarray(_evaluate(_DERIVATIVES, name, z, slope)) / len(target)
        w, b = w - lr * (x.T @ grad_z), b - lr * float(grad_z.sum())
        weights.append(w.copy())
        biases.append(b)
    return Descent(name, np.array(losses), np.array(weights), np.array(biases))
