"""Chronomètre les perturbations significatives contre le gradient et Grad-CAM, et les masques
aléatoires (boîte noire) selon le nombre de masques.

Usage : ``python bench/perturbation.py [--batch 16] [--repeats 3]``.

Même modèle (``lib.models.SmallCNN(4)``, poids de la graine 0, float64), même lot d'images
32×32 tirées par ``lib.data.shapes``. Temps processeur du processus (``time.process_time``)
avec un seul fil de calcul, médiane de ``repeats`` mesures, divisé par la taille du lot :
des millisecondes par image. Le premier tableau compare ``meaningful_perturbation`` (défauts,
puis 100 et 600 pas, puis des images 64×64) au gradient et à Grad-CAM ; le second,
``random_masks`` (prédiction NumPy du même réseau) selon le nombre de masques.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib.data import shapes  # noqa: E402
from lib.explain import grad_cam, gradient, meaningful_perturbation, random_masks  # noqa: E402
from lib.models import SmallCNN  # noqa: E402


def per_image(run, n: int, repeats: int) -> float:
    """Médiane du temps processeur d'un appel, en millisecondes par image."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return 1000 * statistics.median(times) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = SmallCNN(4, seed=0)
    x, y, _ = shapes(args.batch, seed=1)
    big, y_big, _ = shapes(args.batch, size=64, seed=1)
    n, r = args.batch, args.repeats
    meaningful_perturbation(model, x, y, steps=20)  # échauffement (allocations, noyaux)
    rows = [
        ("gradient", per_image(lambda: gradient(model, x, y), n, r)),
        ("Grad-CAM", per_image(lambda: grad_cam(model, x, y, layer="features.relu3"), n, r)),
        ("perturbation, 100 pas", per_image(
            lambda: meaningful_perturbation(model, x, y, steps=100), n, r)),
        ("perturbation, défauts (300 pas)", per_image(
            lambda: meaningful_perturbation(model, x, y), n, r)),
        ("perturbation, 600 pas", per_image(
            lambda: meaningful_perturbation(model, x, y, steps=600), n, r)),
        ("perturbation, 64×64, défauts", per_image(
            lambda: meaningful_perturbation(model, big, y_big), n, r)),
    ]
    base = rows[0][1]
    print(f"{'méthode (32×32 sauf mention)':<34}{'ms / image':>12}{'× gradient':>13}")
    for name, ms in rows:
        print(f"{name:<34}{ms:>12.2f}{ms / base:>13.0f}")

    def predict(batch):
        with torch.no_grad():
            return torch.softmax(model(torch.from_numpy(batch)), 1).numpy()

    print(f"\n{'masques aléatoires (boîte noire)':<34}{'ms / image':>12}")
    for count in (100, 250, 500, 1000, 2000):
        ms = per_image(lambda c=count: random_masks(predict, x, y, masks=c), n, r)
        print(f"{count:>10} masques{'':<17}{ms:>12.2f}")


if __name__ == "__main__":
    main()
