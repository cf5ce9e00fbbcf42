"""Tests de lib.comparison : propriétés mesurées d'une carte, influence par la dernière couche."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lib.comparison import PROPERTIES, head_features, head_influence, measure_method
from lib.explain import influence as inf
from tests.explain._models import cnn, images


class _Fixed:
    """Fausse méthode du registre : sa carte est toujours le masque donné, quel que soit le
    modèle."""

    def __init__(self, masks):
        self.masks = masks

    def heatmap(self, model, x, target):
        return self.masks[:, 0].double()


def _masks(n=4, size=8):
    masks = torch.zeros(n, 1, size, size, dtype=torch.bool)
    masks[:, :, 2:5, 3:6] = True
    return masks


def test_measure_method_gives_every_property_and_reads_a_perfect_map():
    model, x, masks = cnn(), images(4), _masks()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    out = measure_method(_Fixed(masks), model, x, [0, 1, 2, 0], masks, steps=4)
    assert list(out) == list(PROPERTIES)
    assert out["énergie dans l'objet (↑)"] == pytest.approx(1.0)
    # La carte ne dépend pas du modèle : elle ne change pas quand on le détruit.
    assert out["après randomisation (↓)"] == pytest.approx(1.0)
    assert 0 <= out["suppression (↓)"] <= 1 and 0 <= out["insertion (↑)"] <= 1
    assert out["temps par image (ms)"] >= 0
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_head_features_are_what_the_last_layer_receives():
    model, x = cnn(), images(3)
    expected = model[:7](x)
    assert torch.allclose(head_features(model, x, layer="7"), expected)
    assert not model[7]._forward_pre_hooks  # crochet retiré


def test_head_influence_predicts_leave_one_out_on_the_last_layer():
    model = cnn(classes=2)
    x, y = images(30, seed=2), torch.arange(30) % 2
    test = (images(1, seed=5), torch.tensor([1]))
    values = head_influence(model, (x, y), test, layer="7", l2=0.1)
    assert values.shape == (1, 30)
    # Référence indépendante : réentraîner la dernière couche sans chaque exemple.
    features = head_features(model, x, layer="7")
    head = inf.fit(model[7], F.cross_entropy, (features, y), l2=0.1)
    actual = inf.leave_one_out(head, F.cross_entropy, (features, y),
                               (head_features(model, test[0], layer="7"), test[1]), l2=0.1)[0]
    assert np.corrcoef(-values[0] / 30, actual)[0, 1] > 0.99


def test_errors_name_the_parameter():
    model, x, masks = cnn(), images(2), _masks(2)
    with pytest.raises(TypeError, match="`method`"):
        measure_method(len, model, x, [0, 1], masks)
    with pytest.raises(ValueError, match="`masks`"):
        measure_method(_Fixed(masks), model, x, [0, 1], masks[:1])
    with pytest.raises(ValueError, match="`target`"):
        measure_method(_Fixed(masks), model, x, [0], masks)
    with pytest.raises(ValueError, match="`layer`"):
        head_features(model, x, layer="0")
    with pytest.raises(TypeError, match="`train`"):
        head_influence(model, x, (x, [0, 1]), layer="7")
