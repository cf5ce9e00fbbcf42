"""Tests de lib.learning_curve : sous-ensembles emboîtés et équilibrés, courbe et seuil."""

import numpy as np
import torch

from lib import learning_curve as L
from lib.repeat import Spread


def test_subsets_are_nested_and_balanced():
    labels = np.repeat(np.arange(10), 30)
    small, large = L.subset(labels, 20, seed=3), L.subset(labels, 50, seed=3)
    assert set(small) <= set(large)
    assert np.bincount(labels[small], minlength=10).tolist() == [2] * 10
    assert len(set(large)) == 50
    assert not np.array_equal(small, L.subset(labels, 20, seed=4))


def test_learning_curve_improves_with_data_and_is_reproducible():
    curve = L.learning_curve(0, sizes=(10, 500), steps=100)
    assert set(curve) == set(L.MODELS)
    for name in L.MODELS:
        assert curve[name][500] > curve[name][10] + 0.1
    assert curve == L.learning_curve(0, sizes=(10, 500), steps=100)
    assert torch.get_num_threads() >= 1


def test_smallest_size():
    curve = {10: 0.5, 100: 0.8, 1000: 0.95}
    assert L.smallest_size(curve, 0.8) == 100
    assert L.smallest_size(curve, 0.99) is None
    spreads = {10: Spread((0.5, 0.6)), 100: Spread((0.9, 0.92))}
    assert L.smallest_size(spreads, 0.9) == 100
