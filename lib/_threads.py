"""Calculer sur un seul fil : les petits calculs des chapitres vont plus vite ainsi.

Sur un processeur partagé (deux cœurs déjà occupés), les fils de calcul de PyTorch et
d'OpenBLAS s'attendent les uns les autres : un petit réseau s'entraîne alors dix à cent fois
plus lentement qu'avec un seul fil. Sur un seul fil, l'ordre des additions est aussi toujours
le même.
"""

from contextlib import contextmanager

import torch


@contextmanager
def single_thread():
    """Limite PyTorch, OpenBLAS et OpenMP à un fil le temps du bloc, puis rétablit l'état."""
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(1):
            yield
    finally:
        torch.set_num_threads(before)
