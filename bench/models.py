"""Mesure le temps d'entraînement et la précision de test des petits CNN du chapitre 6.

Usage : ``python bench/models.py [fils]`` (nombre de fils de calcul de PyTorch, 1 par défaut,
comme dans le chapitre 6). Mêmes données, graines et réglages que le chapitre : chiffres 8×8
(20 époques) et formes 32×32 (2 000 images, 8 époques). Objectif : ≥ 95 % en ≤ 15 s chacun.
"""

import sys

import torch

from lib import set_seed
from lib.data import SHAPE_CLASSES, digits, shapes
from lib.models import SmallCNN
from lib.training import accuracy, train


def main(threads: int) -> None:
    torch.set_num_threads(threads)
    split = digits()
    images, labels, _ = shapes(2000, seed=0)
    test_images, test_labels, _ = shapes(1000, seed=1)
    runs = {
        "chiffres 8×8": (10, split.x_train, split.y_train, split.x_test, split.y_test, 20),
        "formes 32×32": (len(SHAPE_CLASSES), images, labels, test_images, test_labels, 8),
    }
    print(f"fils de calcul : {threads}")
    for name, (n_classes, x, y, x_test, y_test, epochs) in runs.items():
        set_seed(0)
        model = SmallCNN(n_classes)
        history = train(model, x, y, epochs=epochs, lr=0.005, batch_size=32)
        print(f"{name} : {history.seconds:5.1f} s, précision de test "
              f"{accuracy(model, x_test, y_test):.1%}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
