"""Fonctions synthétiques aux interactions connues, pour vérifier ce que NIT retrouve.

Le jouet x₁x₂ + x₃x₄ et les dix fonctions F1–F10 de Tsang et al. (NID, 2018), avec leurs
ensembles d'interactions vraies (indices des variables à partir de 0). F2 et F3 prennent la
valeur absolue de x₇ (racine) et de x₃ (puissance) pour rester définies sur [−1, 1].
Voir le chapitre 9.
"""

from __future__ import annotations

import numpy as np

from lib import _validation as check

__all__ = ["FUNCTIONS", "INTERACTIONS", "interaction_data"]


def _f1(x):
    x1, x2, x3, x4, x5, _, x7, x8, x9, x10 = x.T
    return (np.pi ** (x1 * x2) * np.sqrt(2 * x3) - np.arcsin(x4) + np.log(x3 + x5)
            - (x9 / x10) * np.sqrt(x7 / x8) - x2 * x7)


def _f2(x):
    x1, x2, x3, x4, x5, _, x7, x8, x9, x10 = x.T
    return (np.pi ** (x1 * x2) * np.sqrt(2 * np.abs(x3)) - np.arcsin(0.5 * x4)
            + np.log(np.abs(x3 + x5) + 1)
            - x9 / (1 + np.abs(x10)) * np.sqrt(np.abs(x7) / (1 + np.abs(x8))) - x2 * x7)


def _f3(x):
    x1, x2, x3, x4, x5, _, x7, x8, x9, x10 = x.T
    return (np.exp(np.abs(x1 - x2)) + np.abs(x2 * x3) - np.abs(x3) ** (2 * np.abs(x4))
            + np.log(x4**2 + x5**2 + x7**2 + x8**2) + x9 + 1 / (1 + x10**2))


def _f5(x):
    x1, x2, x3, x4, x5, x6, x7, x8, x9, x10 = x.T
    return (1 / (1 + x1**2 + x2**2 + x3**2) + np.sqrt(np.exp(x4 + x5)) + np.abs(x6 + x7)
            + x8 * x9 * x10)


def _f6(x):
    x1, x2, x3, x4, x5, x6, _, x8, x9, x10 = x.T
    return (np.exp(np.abs(x1 * x2) + 1) - np.exp(np.abs(x3 + x4) + 1) + np.cos(x5 + x6 - x8)
            + np.sqrt(x8**2 + x9**2 + x10**2))


def _f7(x):
    x1, x2, x3, x4, x5, x6, x7, x8, x9, _ = x.T
    return ((np.arctan(x1) + np.arctan(x2)) ** 2 + np.maximum(x3 * x4 + x6, 0)
            - 1 / (1 + (x4 * x5 * x6 * x7 * x8) ** 2) + (np.abs(x7) / (1 + np.abs(x9))) ** 5
            + x.sum(1))


def _f8(x):
    x1, x2, x3, x4, x5, x6, x7, x8, x9, x10 = x.T
    return (x1 * x2 + 2 ** (x3 + x5 + x6) + 2 ** (x3 + x4 + x5 + x7) + np.sin(x7 * np.sin(x8 + x9))
            + np.arccos(0.9 * x10))


def _f9(x):
    x1, x2, x3, x4, x5, x6, x7, x8, x9, x10 = x.T
    return (np.tanh(x1 * x2 + x3 * x4) * np.sqrt(np.abs(x5)) + np.exp(x5 + x6)
            + np.log((x6 * x7 * x8) ** 2 + 1) + x9 * x10 + 1 / (1 + np.abs(x10)))


def _f10(x):
    x1, x2, x3, x4, x5, _, x7, _, x9, _ = x.T
    return (np.sinh(x1 + x2) + np.arccos(np.tanh(x3 + x5 + x7)) + np.cos(x4 + x5)
            + 1 / np.cos(x7 * x9))


def _groups(*sets):
    return tuple(tuple(j - 1 for j in s) for s in sets)


_F1_GROUPS = _groups((1, 2, 3), (3, 5), (7, 8, 9, 10), (2, 7))
_F3_GROUPS = _groups((1, 2), (2, 3), (3, 4), (4, 5, 7, 8))
#: Fonctions disponibles : nom → (nombre de variables, fonction de x (N, D)).
FUNCTIONS = {
    "jouet": (4, lambda x: x[:, 0] * x[:, 1] + x[:, 2] * x[:, 3]),
    "F1": (10, _f1), "F2": (10, _f2), "F3": (10, _f3),
    "F4": (10, lambda x: _f3(x) + (x[:, 0] * x[:, 3]) ** 2), "F5": (10, _f5), "F6": (10, _f6),
    "F7": (10, _f7), "F8": (10, _f8), "F9": (10, _f9), "F10": (10, _f10),
}
#: Interactions vraies de chaque fonction (indices à partir de 0).
INTERACTIONS = {
    "jouet": _groups((1, 2), (3, 4)), "F1": _F1_GROUPS, "F2": _F1_GROUPS, "F3": _F3_GROUPS,
    "F4": _F3_GROUPS + _groups((1, 4)), "F5": _groups((1, 2, 3), (4, 5), (6, 7), (8, 9, 10)),
    "F6": _groups((1, 2), (3, 4), (5, 6, 8), (8, 9, 10)),
    "F7": _groups((1, 2), (3, 4, 6), (4, 5, 6, 7, 8), (7, 9)),
    "F8": _groups((1, 2), (3, 5, 6), (3, 4, 5, 7), (7, 8, 9)),
    "F9": _groups((1, 2, 3, 4, 5), (5, 6), (6, 7, 8), (9, 10)),
    "F10": _groups((1, 2), (3, 5, 7), (4, 5), (7, 9)),
}


def interaction_data(name: str = "jouet", n: int = 2000, seed: int = 0, *, noise: float = 0.05,
                     correlation: float = 0.0):
    """Entrées x (n, D) uniformes sur [−1, 1], cibles y = F(x) + bruit gaussien et interactions
    vraies de la fonction ``name`` (Tsang et al., 2018 ; F1 sur [0, 1], x₄, x₅, x₈, x₁₀ sur
    [0,6 ; 1]). ``correlation`` ∈ [0, 1[ mélange une cause commune à chaque variable du jouet :
    x_j = (1 − c)·u_j + c·u₀ (variables corrélées). Voir le chapitre 9.
    """
    check.choice("name", name, list(FUNCTIONS))
    n = check.number("n", n, low=1, integer=True)
    rng = np.random.default_rng(check.number("seed", seed, low=0, integer=True))
    noise = check.number("noise", noise, low=0)
    correlation = check.number("correlation", correlation, low=0, high=0.99)
    width, function = FUNCTIONS[name]
    x = rng.uniform(-1.0, 1.0, (n, width))
    if name == "F1":
        x = (x + 1) / 2
        x[:, [3, 4, 7, 9]] = 0.6 + 0.4 * x[:, [3, 4, 7, 9]]
    if correlation:
        x = (1 - correlation) * x + correlation * rng.uniform(-1.0, 1.0, (n, 1))
    y = function(x) + noise * rng.standard_normal(n)
    return x, y, [tuple(g) for g in INTERACTIONS[name]]
