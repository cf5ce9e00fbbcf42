"""Chronomètre les fonctions d'influence contre le réentraînement sans chaque exemple.

Usage : ``python bench/influence.py``.

Régression logistique du chapitre 11 (chiffres 1 contre 7, 250 exemples, 65 paramètres,
l2 = 10⁻²) : influence de tous les exemples d'entraînement sur un point de test, par la
hessienne exacte, le gradient conjugué et LiSSA, contre ``leave_one_out`` (250
réentraînements L-BFGS, départ à chaud). Temps processeur (``time.process_time``) sur un
seul fil ; corrélation de Pearson de −I_up,loss/n avec la vraie variation de la perte.
Puis la mémoire de la hessienne exacte (p² nombres float64) et le temps pour la former
quand le nombre de paramètres p grandit (perceptron 64 → h → 1).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib.data import digits  # noqa: E402
from lib.explain import influence as inf  # noqa: E402
from lib.models import MLP  # noqa: E402

L2 = 1e-2


def bce(out, y):
    return F.binary_cross_entropy_with_logits(out.squeeze(1), y)


def timed(function):
    start = time.process_time()
    out = function()
    return out, time.process_time() - start


def main() -> None:
    torch.set_num_threads(1)
    d = digits(images=False)
    keep, keep_test = (d.y_train == 1) | (d.y_train == 7), (d.y_test == 1) | (d.y_test == 7)
    train = d.x_train[keep][:250], (d.y_train[keep][:250] == 7).double()
    test = d.x_test[keep_test][:1], (d.y_test[keep_test][:1] == 7).double()
    model = inf.fit(MLP([64, 1], seed=0), bce, train, l2=L2)
    n = len(train[0])
    loo, t_loo = timed(lambda: inf.leave_one_out(model, bce, train, test, l2=L2)[0])
    print(f"{'méthode':<28}{'temps (s)':>10}{'gain':>10}{'Pearson':>10}")
    print(f"{'leave-one-out (250 refits)':<28}{t_loo:>10.2f}{1:>10.0f}{1:>10.3f}")
    for method, options in [("exact", {}), ("cg", {}), ("lissa", {"depth": 1000})]:
        values, t = timed(lambda: inf.influence(model, bce, train, test, l2=L2,
                                                method=method, **options)[0])  # noqa: B023
        r = stats.pearsonr(-values / n, loo).statistic
        print(f"{method:<28}{t:>10.3f}{t_loo / t:>10.0f}{r:>10.3f}")
    print()
    print(f"{'p (paramètres)':>15}{'mémoire H (Mo)':>16}{'temps H (s)':>13}")
    for hidden in (4, 16, 64):
        net = MLP([64, hidden, 1], "tanh", seed=0)
        p = sum(q.numel() for q in net.parameters())
        _, t = timed(lambda: inf.hessian(net, bce, train, l2=L2))  # noqa: B023
        print(f"{p:>15}{p * p * 8 / 1e6:>16.2f}{t:>13.2f}")


if __name__ == "__main__":
    main()
