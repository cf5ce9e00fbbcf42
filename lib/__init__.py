"""Bibliothèque du livre « Transparence des réseaux de neurones ».

L'import de ``lib`` n'a aucun effet de bord : il ne dessine rien, ne télécharge
rien et ne modifie aucun réglage global. Les modules s'importent séparément
(``from lib import neuron``, ``from lib.explain import grad_cam``).
"""

import random

import numpy as np

__all__ = ["set_seed"]


def set_seed(seed: int = 0) -> None:
    """Rend un chapitre reproductible, d'une exécution et d'une machine à l'autre.

    Fixe la graine de Python, de NumPy et de PyTorch, et fait calculer PyTorch sur un
    seul fil (*thread*) : avec plusieurs fils, l'ordre des additions en virgule flottante
    dépend du nombre de cœurs de la machine, et les derniers chiffres d'un résultat avec
    lui. Les petits réseaux du livre n'y perdent presque rien en vitesse.

    Voir le chapitre 1.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"`seed` doit être un entier ; reçu : {seed!r}")
    if seed < 0:
        raise ValueError(f"`seed` doit être positif ou nul ; reçu : {seed}")
    random.seed(int(seed))
    np.random.seed(int(seed))  # noqa: NPY002 (graine globale, utilisée par les chapitres)
    import torch

    torch.manual_seed(int(seed))
    torch.set_num_threads(1)
