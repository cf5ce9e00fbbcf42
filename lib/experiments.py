"""Les expériences que plusieurs chapitres refont, pour une graine donnée.

Un résultat sur lequel repose une conclusion est mesuré pour plusieurs graines (voir
:mod:`lib.repeat`) : chaque graine tire à nouveau les données d'entraînement, les poids
initiaux et l'ordre des mini-lots. La graine 0 redonne exactement le réseau que le
chapitre montre. Voir les chapitres 7 et 8.
"""

from __future__ import annotations

from lib import _validation as check

__all__ = ["shapes_network", "train_seed", "heldout_seed"]


def train_seed(seed: int) -> int:
    """Graine des images d'entraînement de la répétition ``seed`` (2·seed)."""
    return 2 * check.number("seed", seed, low=0, integer=True)


def heldout_seed(seed: int) -> int:
    """Graine des images de test de la répétition ``seed`` (2·seed + 1, jamais une graine
    d'entraînement)."""
    return 2 * check.number("seed", seed, low=0, integer=True) + 1


def shapes_network(seed: int = 0, *, mark: str | None = None, n: int = 2000, epochs: int = 8):
    """Le petit réseau convolutif des chapitres 7 et 8, entraîné sur ``n`` formes.

    Données ``shapes(n, seed=train_seed(seed), mark=mark)`` (``mark="class"`` : le réseau
    tricheur du chapitre 7), poids initiaux et mini-lots tirés avec ``seed``, Adam
    (pas 0,005, lots de 32) pendant ``epochs`` époques, en float64. Voir le chapitre 7.
    """
    from lib.data import shapes
    from lib.models import SmallCNN
    from lib.training import train

    seed = check.number("seed", seed, low=0, integer=True)
    n = check.number("n", n, low=4, integer=True)
    epochs = check.number("epochs", epochs, low=1, integer=True)
    x, y, _ = shapes(n, seed=train_seed(seed), mark=mark)
    model = SmallCNN(4, seed=seed)
    train(model, x, y, epochs=epochs, lr=0.005, batch_size=32, seed=seed)
    return model
