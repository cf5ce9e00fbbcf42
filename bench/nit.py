"""Mesure le temps des deux phases de NIT, d'un NIT entier, d'un MLP et d'un GAM (NIT, K = 1).

Usage : ``python bench/nit.py [fils]`` (1 fil par défaut ; NIT s'entraîne toujours sur un fil).
Données : F5 (10 variables, 5 000 points), réglages par défaut de ``train_nit`` ; le MLP a
la largeur de NIT (10 blocs × 16 = 160 neurones par couche cachée), même nombre d'époques que
les deux phases réunies. Voir le chapitre 9.
"""

import sys
import time

import numpy as np
import torch

from lib.explain.nit import NIT, train_nit
from lib.interactions_data import interaction_data
from lib.models import MLP
from lib.training import train


def _rmse(prediction, y) -> float:
    return float(np.sqrt(np.mean((np.asarray(prediction).ravel() - y) ** 2)))


def main(threads: int) -> None:
    torch.set_num_threads(threads)
    x, y, _ = interaction_data("F5", 5000, 0)
    x_test, y_test, _ = interaction_data("F5", 5000, 1)
    print(f"fils de calcul : {threads} ; F5, 10 variables, 5 000 points")
    print(f"{'modèle':<22}{'phase 1 (s)':>12}{'phase 2 (s)':>12}{'total (s)':>11}{'RMSE':>8}")
    for name, order in (("NIT (K = 2)", 2), ("GAM (NIT, K = 1)", 1)):
        model = NIT(10, max_order=order, seed=0)
        start = time.perf_counter()
        history = train_nit(model, x, y)
        total = time.perf_counter() - start
        p1, p2 = history.seconds
        error = _rmse(model(x_test).detach(), y_test)
        print(f"{name:<22}{p1:>12.1f}{p2:>12.1f}{total:>11.1f}{error:>8.3f}")
    mlp = MLP([10, 160, 160, 1], seed=0)
    scale = y.std()
    start = time.perf_counter()
    target = torch.from_numpy((y[:, None] - y.mean()) / scale)
    train(mlp, torch.from_numpy(x), target, epochs=120, lr=2e-3, batch_size=256, loss="mse")
    total = time.perf_counter() - start
    with torch.no_grad():
        error = _rmse(mlp(torch.from_numpy(x_test)).numpy() * scale + y.mean(), y_test)
    print(f"{'MLP 10-160-160-1':<22}{'—':>12}{'—':>12}{total:>11.1f}{error:>8.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
