"""Tests de lib.experiments : la recette des réseaux de formes des chapitres 7 et 8."""

import pytest
import torch

from lib.data import shapes
from lib.experiments import heldout_seed, shapes_network, train_seed
from lib.models import SmallCNN
from lib.training import train


def test_seeds_never_mix_training_and_test_images():
    trains = {train_seed(s) for s in range(50)}
    tests = {heldout_seed(s) for s in range(50)}
    assert not trains & tests and train_seed(0) == 0 and heldout_seed(0) == 1


def test_shapes_network_is_the_recipe_written_out():
    model = shapes_network(1, mark="class", n=64, epochs=1)
    x, y, _ = shapes(64, seed=train_seed(1), mark="class")
    by_hand = SmallCNN(4, seed=1)
    train(by_hand, x, y, epochs=1, lr=0.005, batch_size=32, seed=1)
    for a, b in zip(model.parameters(), by_hand.parameters(), strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert next(model.parameters()).dtype == torch.float64


@pytest.mark.parametrize(("kwargs", "name"), [({"seed": -1}, "seed"), ({"n": 2}, "n"),
                                              ({"epochs": 0}, "epochs"), ({"mark": "x"}, "mark")])
def test_bad_input_is_refused_in_french(kwargs, name):
    with pytest.raises((TypeError, ValueError), match=f"`{name}` doit"):
        shapes_network(**kwargs)
