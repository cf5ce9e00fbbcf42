"""Tests de lib.neuron : torch.nn.functional en float64, valeurs calculées à la main."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lib import activations, data, neuron


def _torch_linear(x, w, b):
    """Référence indépendante : F.linear(x, W, b) avec une seule sortie, en float64."""
    x_t = torch.as_tensor(np.atleast_2d(x), dtype=torch.float64)
    w_t = torch.as_tensor(w, dtype=torch.float64)[None, :]
    return F.linear(x_t, w_t, torch.tensor([b], dtype=torch.float64))[:, 0].numpy()


TORCH_ACTIVATIONS = {
    "heaviside": lambda z: torch.heaviside(z, torch.ones_like(z)),
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
}


def test_hand_computed_values():
    x, w, b = [1.0, 2.0], [3.0, -0.5], 0.5
    assert neuron.weighted_sum(x, w) == 2.0  # 3·1 − 0,5·2
    assert neuron.pre_activation(x, w, b) == 2.5
    assert neuron.neuron(x, w, b) == 1.0
    assert neuron.neuron(x, w, -3.0) == 0.0  # z = −1 < 0
    assert neuron.neuron(x, w, b, "relu") == 2.5
    assert neuron.neuron([0.0, 0.0], w, 0.0, "sigmoid") == 0.5


def test_scalar_result_is_a_python_float():
    assert isinstance(neuron.weighted_sum([1, 2], [3, 4]), float)
    assert isinstance(neuron.neuron([1, 2], [3, 4], 1.0, "tanh"), float)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_batch_matches_torch_linear(seed):
    rng = np.random.default_rng(seed)
    x, w, b = rng.normal(size=(50, 7)), rng.normal(size=7), float(rng.normal())
    expected = _torch_linear(x, w, b)
    np.testing.assert_allclose(neuron.pre_activation(x, w, b), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(neuron.weighted_sum(x, w), expected - b, rtol=1e-12, atol=1e-12)


def test_single_input_matches_torch_linear():
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=5), rng.normal(size=5)
    assert neuron.pre_activation(x, w, 0.7) == pytest.approx(_torch_linear(x, w, 0.7)[0],
                                                             abs=1e-12)


@pytest.mark.parametrize("name", list(activations.NAMES))
def test_neuron_matches_torch_for_every_activation(name):
    rng = np.random.default_rng(4)
    x, w, b = rng.normal(size=(30, 3)), rng.normal(size=3), 0.2
    z = torch.as_tensor(_torch_linear(x, w, b))
    expected = TORCH_ACTIVATIONS[name](z).numpy()
    np.testing.assert_allclose(neuron.neuron(x, w, b, name), expected, rtol=1e-12, atol=1e-12)


def test_batch_equals_loop_over_inputs():
    rng = np.random.default_rng(5)
    x, w = rng.normal(size=(20, 4)), rng.normal(size=4)
    batch = neuron.neuron(x, w, -0.3, "sigmoid")
    loop = [neuron.neuron(row, w, -0.3, "sigmoid") for row in x]
    np.testing.assert_allclose(batch, loop, rtol=1e-14)


def test_inputs_are_not_modified():
    x, w = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0.5, -1.0])
    x0, w0 = x.copy(), w.copy()
    neuron.neuron(x, w, 1.0, "relu")
    result = neuron.steps(x[0], w, 1.0)
    result.x[0] = 99.0
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(w, w0)


def test_steps_hand_computed():
    s = neuron.steps([2.0, -1.0], [0.5, 3.0], 1.5, "relu")
    np.testing.assert_array_equal(s.products, [1.0, -3.0])
    assert (s.weighted_sum, s.b, s.pre_activation, s.output) == (-2.0, 1.5, -0.5, 0.0)
    assert s.activation == "relu"


def test_steps_agree_with_neuron_functions():
    rng = np.random.default_rng(6)
    x, w = rng.normal(size=3), rng.normal(size=3)
    s = neuron.steps(x, w, -0.4, "tanh")
    assert s.weighted_sum == pytest.approx(neuron.weighted_sum(x, w), abs=1e-14)
    assert s.pre_activation == pytest.approx(neuron.pre_activation(x, w, -0.4), abs=1e-14)
    assert s.output == pytest.approx(neuron.neuron(x, w, -0.4, "tanh"), abs=1e-14)


def test_decision_map_values_and_orientation():
    result = neuron.decision_map([2.0, -1.0], 0.5, "relu", limits=(-1.0, 1.0), size=5)
    np.testing.assert_allclose(result.grid, [-1.0, -0.5, 0.0, 0.5, 1.0])
    x1, x2 = np.meshgrid(result.grid, result.grid)
    np.testing.assert_allclose(result.output, np.maximum(2 * x1 - x2 + 0.5, 0))
    # ligne i ↔ x₂ = grid[i], colonne j ↔ x₁ = grid[j]
    assert result.output[0, 4] == pytest.approx(max(2 * 1.0 - (-1.0) + 0.5, 0))
    assert result.extent == (-1.0, 1.0, -1.0, 1.0)


def test_decision_boundary_is_on_the_line_and_in_the_square():
    w, b = np.array([1.0, 2.0]), -1.0
    ends = neuron.decision_map(w, b).boundary
    assert ends.shape == (2, 2)
    np.testing.assert_allclose(ends @ w + b, 0.0, atol=1e-12)
    assert np.all((ends >= -0.5) & (ends <= 1.5))
    assert not np.allclose(ends[0], ends[1])


def test_decision_boundary_special_cases():
    vertical = neuron.decision_map([1.0, 0.0], -0.5).boundary
    np.testing.assert_allclose(np.sort(vertical, axis=0), [[0.5, -0.5], [0.5, 1.5]])
    assert neuron.decision_map([0.0, 0.0], 1.0).boundary is None
    assert neuron.decision_map([1.0, 1.0], 10.0).boundary is None  # droite hors du carré


def test_accuracy_and_separates_by_hand():
    x, target = data.logic_gate("et")
    assert neuron.separates(x, target, [1.0, 1.0], -1.5)
    assert neuron.accuracy(x, target, [1.0, 1.0], -0.5) == 0.5  # OU au lieu de ET
    # un point exactement sur la frontière (z = 0) compte comme mal classé
    assert neuron.accuracy(x, target, [1.0, 1.0], -2.0) == 0.75
    assert not neuron.separates(x, target, [1.0, 1.0], -2.0)


def test_search_finds_and_or_but_not_xor():
    found = {gate: neuron.search_weights(*data.logic_gate(gate)) for gate in data.GATES}
    for gate in ("et", "ou"):
        assert len(found[gate].solutions) > 0
        x, target = data.logic_gate(gate)
        for *w, b in found[gate].solutions:
            assert neuron.separates(x, target, w, b)
    xor = found["ou exclusif"]
    assert xor.tried == 17 ** 3
    assert len(xor.solutions) == 0
    assert xor.best_accuracy == 0.75  # au mieux trois points sur quatre


def test_search_counts_match_a_brute_force_loop():
    x, target = data.logic_gate("ou")
    values = np.linspace(-1, 1, 5)
    count = sum(neuron.separates(x, target, [w1, w2], b)
                for w1 in values for w2 in values for b in values)
    assert len(neuron.search_weights(x, target, values).solutions) == count


def test_inspect_bundles_map_points_and_steps():
    x, target = data.points_2d("ou", n=12, seed=1)
    view = neuron.inspect(x, target, [1.0, 1.0], -0.5, "sigmoid", index=4, size=10)
    assert view.map.output.shape == (10, 10)
    assert view.index == 4
    assert view.steps.output == pytest.approx(neuron.neuron(x[4], [1.0, 1.0], -0.5, "sigmoid"))
    assert view.accuracy == neuron.accuracy(x, target, [1.0, 1.0], -0.5)


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: neuron.weighted_sum("abc", [1.0]), TypeError, "x"),
        (lambda: neuron.weighted_sum(np.zeros((2, 2, 2)), [1.0, 1.0]), ValueError, "x"),
        (lambda: neuron.weighted_sum([1.0, 2.0], [[1.0, 2.0]]), ValueError, "w"),
        (lambda: neuron.weighted_sum([1.0, 2.0], [1.0, 2.0, 3.0]), ValueError, "w"),
        (lambda: neuron.weighted_sum([1.0, np.nan], [1.0, 2.0]), ValueError, "x"),
        (lambda: neuron.pre_activation([1.0], [1.0], "0"), TypeError, "b"),
        (lambda: neuron.pre_activation([1.0], [1.0], np.inf), ValueError, "b"),
        (lambda: neuron.neuron([1.0], [1.0], 0.0, "softmax"), ValueError, "activation"),
        (lambda: neuron.steps([[1.0, 2.0]], [1.0, 2.0], 0.0), ValueError, "x"),
        (lambda: neuron.steps([1.0], [1.0], 0.0, "signe"), ValueError, "activation"),
        (lambda: neuron.decision_map([1.0, 2.0, 3.0], 0.0), ValueError, "w"),
        (lambda: neuron.decision_map([1.0, 2.0], 0.0, size=1), ValueError, "size"),
        (lambda: neuron.decision_map([1.0, 2.0], 0.0, size=2.5), TypeError, "size"),
        (lambda: neuron.decision_map([1.0, 2.0], 0.0, limits=(1.0, 0.0)), ValueError, "limits"),
        (lambda: neuron.decision_map([1.0, 2.0], 0.0, limits=(1.0,)), ValueError, "limits"),
        (lambda: neuron.accuracy([1.0, 1.0], [1], [1.0, 1.0], 0.0), ValueError, "x"),
        (lambda: neuron.accuracy([[1.0, 1.0]], [1, 0], [1.0, 1.0], 0.0), ValueError, "target"),
        (lambda: neuron.separates([[1.0, 1.0]], [2], [1.0, 1.0], 0.0), ValueError, "target"),
        (lambda: neuron.search_weights([1.0, 1.0], [1]), ValueError, "x"),
        (lambda: neuron.search_weights([[1.0, 1.0]], [1], []), ValueError, "values"),
        (lambda: neuron.search_weights([[1.0, 1.0]], [1], np.zeros(200)), ValueError, "values"),
        (lambda: neuron.inspect(np.zeros((3, 3)), [0, 1, 0], [1.0, 1.0, 1.0], 0.0),
         ValueError, "x"),
        (lambda: neuron.inspect(np.zeros((3, 2)), [0, 1, 0], [1.0, 1.0], 0.0, index=3),
         ValueError, "index"),
        (lambda: neuron.inspect(np.zeros((3, 2)), [0, 1, 0], [1.0, 1.0], 0.0, index=1.0),
         TypeError, "index"),
    ],
)
def test_bad_inputs_raise_french_errors(call, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        call()
