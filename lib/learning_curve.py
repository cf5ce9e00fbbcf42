"""Courbe d'apprentissage : l'exactitude de test en fonction du nombre d'exemples d'entraînement.

On entraîne le même modèle sur des sous-ensembles de plus en plus grands des chiffres
manuscrits (chacun contient le précédent, autant d'images de chaque chiffre que possible) et
l'on mesure son exactitude sur les mêmes images de test. Deux modèles : un petit perceptron
multicouche (:class:`lib.models.MLP`) et une régression logistique (scikit-learn), un modèle
linéaire plus simple. Voir le chapitre 4.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from lib import _validation as check
from lib import data, models, training
from lib._threads import single_thread

__all__ = ["SIZES", "MODELS", "subset", "learning_curve", "smallest_size"]

#: Nombres d'exemples d'entraînement, sur une échelle logarithmique (1 347 : tout le jeu).
SIZES = (10, 20, 50, 100, 200, 500, 1347)
#: Les deux modèles comparés (noms affichés).
MODELS = ("réseau 64 → 32 → 10", "régression logistique")


def subset(labels, n: int, seed: int = 0) -> np.ndarray:
    """Indices de ``n`` exemples tirés au hasard (graine ``seed``), équilibrés entre classes.

    Les sous-ensembles sont emboîtés : pour une même graine, celui de taille n contient
    celui de toute taille plus petite. Voir le chapitre 4.
    """
    labels = check.array("labels", labels, ndim=1, dtype=np.int64)
    n = check.number("n", n, low=1, high=len(labels), integer=True)
    rng = np.random.default_rng(check.number("seed", seed, low=0, integer=True))
    order = rng.permutation(len(labels))
    rank = np.empty(len(labels), dtype=np.int64)   # rang de l'exemple parmi ceux de sa classe
    for c in np.unique(labels):
        members = order[labels[order] == c]
        rank[members] = np.arange(len(members))
    position = np.empty(len(labels), dtype=np.int64)
    position[order] = np.arange(len(labels))
    return np.lexsort((position, rank))[:n]


def _network(x, y, x_test, y_test, seed: int, steps: int) -> float:
    """Réseau 64 → 32 → 10 entraîné par ``steps`` pas d'Adam sur des mini-lots tirés au hasard."""
    model = models.MLP([64, 32, 10], seed=seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    generator = torch.Generator().manual_seed(seed)
    batch = min(64, len(x))
    for _ in range(steps):
        rows = torch.randint(len(x), (batch,), generator=generator)
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x[rows]), y[rows]).backward()
        optimizer.step()
    return training.accuracy(model, x_test, y_test)


def _logistic(x, y, x_test, y_test) -> float:
    """Régression logistique multinomiale de scikit-learn."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=10.0, max_iter=2000).fit(x.numpy(), y.numpy())
    return float(np.mean(model.predict(x_test.numpy()) == y_test.numpy()))


def learning_curve(seed: int = 0, sizes=SIZES, *, steps: int = 300) -> dict:
    """Exactitude de test de chaque modèle pour chaque taille : {modèle: {taille: exactitude}}.

    La graine ``seed`` fixe le découpage apprentissage / test des chiffres, les
    sous-ensembles et les poids de départ du réseau ; le réseau fait environ ``steps`` pas
    d'Adam quelle que soit la taille. À répéter sur plusieurs graines avec
    :func:`lib.repeat.repeat`. Voir le chapitre 4.
    """
    seed = check.number("seed", seed, low=0, integer=True)
    steps = check.number("steps", steps, low=1, integer=True)
    split = data.digits(images=False, seed=seed)
    if isinstance(sizes, str) or not hasattr(sizes, "__iter__") or not list(sizes):
        raise TypeError(f"`sizes` doit être une liste d'entiers ; reçu : {check.describe(sizes)}")
    sizes = [check.number("sizes", n, low=10, high=len(split.y_train), integer=True)
             for n in sizes]
    curves = {name: {} for name in MODELS}
    with single_thread():   # petits calculs : un seul fil est bien plus rapide
        for n in sizes:
            keep = subset(split.y_train.numpy(), n, seed)
            x, y = split.x_train[keep], split.y_train[keep]
            curves[MODELS[0]][n] = _network(x, y, split.x_test, split.y_test, seed, steps)
            curves[MODELS[1]][n] = _logistic(x, y, split.x_test, split.y_test)
    return curves


def smallest_size(curve: dict, threshold: float):
    """La plus petite taille dont l'exactitude moyenne atteint ``threshold`` (``None`` sinon).

    ``curve`` : {taille: exactitude} ou {taille: Spread} (on prend alors la moyenne).
    Voir le chapitre 4.
    """
    if not isinstance(curve, dict) or not curve:
        raise TypeError(f"`curve` doit être un dict non vide {{taille: exactitude}} ; "
                        f"reçu : {check.describe(curve)}")
    threshold = check.number("threshold", threshold, low=0, high=1)
    for n in sorted(curve):
        value = getattr(curve[n], "mean", curve[n])
        if check.number(f"curve[{n!r}]", value) >= threshold:
            return n
    return None
