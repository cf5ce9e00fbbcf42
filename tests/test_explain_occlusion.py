"""Tests de lib.explain.occlusions : probabilité de classe, carré d'occlusion, carte d'occlusion."""

import pytest
import torch
from torch import nn

from lib.explain.occlusions import class_probability, occlude, occlusion


def _quadrant_model() -> nn.Module:
    """Modèle linéaire construit à la main sur des images 1×4×4 : deux classes.

    Score de la classe 0 = somme des 4 pixels du quart haut-gauche ; classe 1 : score nul.
    """
    weight = torch.zeros(2, 16, dtype=torch.float64)
    weight[0] = torch.tensor([[1, 1, 0, 0], [1, 1, 0, 0], [0] * 4, [0] * 4],
                             dtype=torch.float64).flatten()
    linear = nn.Linear(16, 2, bias=False).double()
    linear.weight.data.copy_(weight)
    return nn.Sequential(nn.Flatten(), linear)


def test_class_probability_matches_hand_computed_softmax():
    model = _quadrant_model()
    x = torch.zeros(2, 1, 4, 4, dtype=torch.float64)
    x[1, 0, :2, :2] = 0.5  # score 2 pour la classe 0, 0 pour la classe 1
    got = class_probability(model, x, 0)
    expected = torch.tensor([0.5, 1 / (1 + torch.exp(torch.tensor(-2.0)).item())],
                            dtype=torch.float64)
    torch.testing.assert_close(got, expected)
    both = class_probability(model, x, [0, 1])
    torch.testing.assert_close(both, torch.tensor([0.5, 1 - expected[1].item()],
                                                  dtype=torch.float64))


def test_class_probability_restores_training_mode_and_leaves_no_gradient():
    model = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(16, 3))
    model.train()
    x = torch.rand(5, 1, 4, 4)
    first = class_probability(model, x, 2)
    assert model.training
    torch.testing.assert_close(first, class_probability(model, x, 2))  # pas de dropout
    assert all(p.grad is None and p.requires_grad for p in model.parameters())
    model.eval()
    class_probability(model, x, 0)
    assert not model.training


def test_occlude_sets_only_the_square_and_keeps_the_input():
    x = torch.rand(3, 2, 6, 7)
    before = x.clone()
    out = occlude(x, 1, 2, size=3, value=-1.0)
    torch.testing.assert_close(x, before)
    assert out.shape == x.shape
    inside = torch.zeros(6, 7, dtype=torch.bool)
    inside[1:4, 2:5] = True
    assert torch.all(out[..., inside] == -1.0)
    torch.testing.assert_close(out[..., ~inside], x[..., ~inside])


def test_occlusion_map_on_a_hand_built_model():
    model = _quadrant_model()
    x = torch.ones(1, 1, 4, 4, dtype=torch.float64)
    drops = occlusion(model, x, 0, size=2, stride=2)
    assert drops.shape == (1, 1, 2, 2)
    sigmoid = torch.sigmoid(torch.tensor(4.0, dtype=torch.float64))  # p_0(x), score 4
    expected = torch.zeros(1, 1, 2, 2, dtype=torch.float64)
    expected[0, 0, 0, 0] = sigmoid - 0.5  # le carré caché annule tout le score
    torch.testing.assert_close(drops, expected)


def test_occlusion_matches_a_loop_over_positions():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 6 * 6, 3))
    x = torch.rand(2, 1, 8, 8)
    drops = occlusion(model, x, [1, 2], size=3, stride=2, value=0.5)
    assert drops.shape == (2, 1, 3, 3)
    for n, target in enumerate([1, 2]):
        base = class_probability(model, x[n:n + 1], target)
        for i, row in enumerate(range(0, 6, 2)):
            for j, col in enumerate(range(0, 6, 2)):
                hidden = occlude(x[n:n + 1], row, col, size=3, value=0.5)
                drop = base - class_probability(model, hidden, target)
                torch.testing.assert_close(drops[n, 0, i, j], drop[0])


def test_occlusion_is_deterministic_and_keeps_inputs():
    model = _quadrant_model().float()
    x = torch.rand(2, 1, 4, 4)
    before = x.clone()
    torch.testing.assert_close(occlusion(model, x, 0, size=2, stride=1),
                               occlusion(model, x, 0, size=2, stride=1))
    torch.testing.assert_close(x, before)


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda m, x: class_probability("modèle", x, 0), TypeError, "model"),
        (lambda m, x: class_probability(m, x.numpy(), 0), TypeError, "x"),
        (lambda m, x: class_probability(m, x[0, 0, 0, 0], 0), ValueError, "x"),
        (lambda m, x: class_probability(m, x.long(), 0), TypeError, "`x` doit contenir des"),
        (lambda m, x: occlusion(m, x.long(), 0, size=2), TypeError, "`x` doit contenir des"),
        (lambda m, x: class_probability(m, x, -1), ValueError, "target"),
        (lambda m, x: class_probability(m, x, 2), ValueError, "target"),
        (lambda m, x: class_probability(m, x, 0.5), TypeError, "target"),
        (lambda m, x: class_probability(m, x, [0, 1, 0]), ValueError, "target"),
        (lambda m, x: occlude(x[0], 0, 0), ValueError, "x"),
        (lambda m, x: occlude(x.long(), 0, 0), TypeError, "x"),
        (lambda m, x: occlude(x, 0, 0, size=5), ValueError, "size"),
        (lambda m, x: occlude(x, 3, 0, size=2), ValueError, "row"),
        (lambda m, x: occlude(x, 0, -1, size=2), ValueError, "col"),
        (lambda m, x: occlude(x, 0, 0, size=2, value="noir"), TypeError, "value"),
        (lambda m, x: occlusion(m, x, 0, stride=0, size=2), ValueError, "stride"),
        (lambda m, x: occlusion(m, x, 0, size=0), ValueError, "size"),
        (lambda m, x: occlusion(None, x, 0, size=2), TypeError, "model"),
    ],
)
def test_bad_inputs_name_the_parameter(call, error, name):
    model = _quadrant_model()
    x = torch.rand(2, 1, 4, 4, dtype=torch.float64)
    with pytest.raises(error, match=name):
        call(model, x)
