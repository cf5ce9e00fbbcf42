"""Tests de lib.activations : valeurs et dérivées comparées à PyTorch (float64), aux
différences finies et à des valeurs calculées à la main ; softmax et sa jacobienne ;
chaîne de couches ; descente de gradient d'un neurone ; erreurs sur mauvaise entrée."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lib import activations as A
from lib import data

SMOOTH = ("sigmoid", "tanh")
PIECEWISE = ("relu", "leaky_relu")


def _z(n=50, seed=1):
    """Des pré-activations variées, avec 0 et des valeurs loin de 0."""
    rng = np.random.default_rng(seed)
    return np.concatenate([[0.0, -30.0, 30.0, 1e-3, -1e-3], 4 * rng.standard_normal(n)])


def _torch_function(name, slope=0.01):
    return {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda t: F.leaky_relu(t, negative_slope=slope),
    }[name]


def _autograd(name, z, slope=0.01):
    t = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    _torch_function(name, slope)(t).sum().backward()
    return t.grad.numpy()


# --- Valeurs ----------------------------------------------------------------------------


def test_names_and_get_are_the_public_functions():
    assert list(A.NAMES) == ["heaviside", "sigmoid", "tanh", "relu", "leaky_relu"]
    assert A.get("sigmoid") is A.sigmoid
    assert A.get("leaky_relu") is A.leaky_relu
    for name in A.NAMES:
        assert callable(A.get(name))


@pytest.mark.parametrize("name", SMOOTH + PIECEWISE)
def test_values_match_torch(name):
    z = _z()
    expected = _torch_function(name)(torch.tensor(z, dtype=torch.float64)).numpy()
    np.testing.assert_allclose(A.get(name)(z), expected, rtol=1e-14, atol=1e-15)


def test_leaky_relu_slope_matches_torch():
    z = _z()
    expected = F.leaky_relu(torch.tensor(z, dtype=torch.float64), negative_slope=0.2).numpy()
    np.testing.assert_allclose(A.leaky_relu(z, 0.2), expected, rtol=1e-14)


def test_heaviside_matches_torch_with_one_at_zero():
    z = _z()
    one = torch.tensor(1.0, dtype=torch.float64)
    expected = torch.heaviside(torch.tensor(z, dtype=torch.float64), one).numpy()
    np.testing.assert_array_equal(A.heaviside(z), expected)
    assert A.heaviside(0.0) == 1.0 and A.heaviside(-1e-9) == 0.0


def test_hand_computed_values():
    assert A.sigmoid(0) == 0.5
    assert A.sigmoid(np.log(3.0)) == pytest.approx(0.75)
    assert A.tanh(0.0) == 0.0
    assert A.tanh(1.0) == pytest.approx((np.e - 1 / np.e) / (np.e + 1 / np.e))
    assert A.relu(-2.0) == 0.0 and A.relu(3.0) == 3.0
    assert A.leaky_relu(-2.0) == pytest.approx(-0.02) and A.leaky_relu(-2.0, 0.5) == -1.0


def test_tanh_is_a_rescaled_sigmoid():
    z = _z()
    np.testing.assert_allclose(A.tanh(z), 2 * A.sigmoid(2 * z) - 1, atol=1e-14)


def test_sigmoid_is_stable_for_large_inputs():
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # sous-dépassement permis
        values = A.sigmoid([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    assert values[0] == 0.0 and values[-1] == 1.0 and values[2] == 0.5
    assert values[1] == pytest.approx(np.exp(-40.0), rel=1e-12)


def test_scalar_in_float_out_and_shape_kept():
    for name in A.NAMES:
        assert isinstance(A.get(name)(0.5), float)
        assert isinstance(A.derivative(name, 0.5), float)
        z = np.arange(6.0).reshape(2, 3) - 2
        assert A.get(name)(z).shape == (2, 3)
        assert A.derivative(name, z).shape == (2, 3)
    assert isinstance(A.relu(2), float)  # un entier est accepté


def test_inputs_are_not_modified():
    z = np.array([-1.0, 0.0, 2.0])
    kept = z.copy()
    for name in A.NAMES:
        A.get(name)(z)
        A.derivative(name, z)
        A.finite_difference(name, z)
    A.softmax(z)
    A.softmax_jacobian(z)
    np.testing.assert_array_equal(z, kept)


# --- Dérivées ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", SMOOTH + PIECEWISE)
def test_derivatives_match_torch_autograd(name):
    """Y compris en z = 0 : ReLU'(0) = 0 et ReLU avec fuite'(0) = slope, comme PyTorch."""
    z = _z()
    np.testing.assert_allclose(A.derivative(name, z), _autograd(name, z), rtol=1e-13,
                               atol=1e-15)


def test_leaky_relu_derivative_slope_matches_torch():
    z = _z()
    np.testing.assert_allclose(A.derivative("leaky_relu", z, slope=0.3),
                               _autograd("leaky_relu", z, slope=0.3))
    assert A.leaky_relu_derivative(-1.0, 0.3) == 0.3


def test_named_derivative_functions_agree_with_derivative():
    z = _z()
    for name in A.NAMES:
        own = getattr(A, f"{name}_derivative")
        np.testing.assert_array_equal(own(z), A.derivative(name, z))


@pytest.mark.parametrize("name", SMOOTH)
def test_smooth_derivatives_match_finite_differences(name):
    z = np.linspace(-8, 8, 81)
    np.testing.assert_allclose(A.finite_difference(name, z, h=1e-5), A.derivative(name, z),
                               atol=1e-9)


@pytest.mark.parametrize("name", ("heaviside",) + PIECEWISE)
def test_piecewise_derivatives_match_finite_differences_away_from_zero(name):
    z = _z()
    z = z[np.abs(z) > 1e-2]
    np.testing.assert_allclose(A.finite_difference(name, z, h=1e-4), A.derivative(name, z),
                               atol=1e-9)


def test_finite_difference_sees_the_jump_of_heaviside_at_zero():
    # La pente « vue » à travers le saut vaut 1/(2h) : la dérivée n'existe pas en 0.
    assert A.finite_difference("heaviside", 0.0, h=1e-3) == pytest.approx(500.0)
    assert A.heaviside_derivative(0.0) == 0.0


def test_hand_computed_derivatives():
    assert A.sigmoid_derivative(0.0) == 0.25
    assert A.tanh_derivative(0.0) == 1.0
    assert A.relu_derivative(0.0) == 0.0 and A.relu_derivative(2.0) == 1.0
    assert A.leaky_relu_derivative(0.0) == 0.01
    np.testing.assert_array_equal(A.heaviside_derivative(_z()), 0.0)
    z = np.linspace(-10, 10, 2001)
    assert A.sigmoid_derivative(z).max() == 0.25
    assert z[A.sigmoid_derivative(z).argmax()] == pytest.approx(0.0)
    assert A.sigmoid_derivative(5.0) == pytest.approx(A.sigmoid(5.0) * A.sigmoid(-5.0))


# --- Softmax ----------------------------------------------------------------------------


@pytest.mark.parametrize("axis", (-1, 0, 1))
@pytest.mark.parametrize("temperature", (0.3, 1.0, 4.0))
def test_softmax_matches_torch(axis, temperature):
    z = np.random.default_rng(2).normal(scale=3, size=(4, 5))
    expected = torch.softmax(torch.tensor(z) / temperature, dim=axis).numpy()
    got = A.softmax(z, axis=axis, temperature=temperature)
    np.testing.assert_allclose(got, expected, rtol=1e-13)
    np.testing.assert_allclose(got.sum(axis=axis), 1.0)


def test_softmax_hand_values_and_invariances():
    np.testing.assert_allclose(A.softmax([0.0, 0.0]), [0.5, 0.5])
    np.testing.assert_allclose(A.softmax([0.0, np.log(3.0)]), [0.25, 0.75])
    z = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(A.softmax(z + 100.0), A.softmax(z), rtol=1e-14)
    assert A.softmax(z, temperature=1e-3).argmax() == 2
    np.testing.assert_allclose(A.softmax(z, temperature=1e-3), [0, 0, 1], atol=1e-12)
    np.testing.assert_allclose(A.softmax(z, temperature=1e6), 1 / 3, atol=1e-5)


def test_softmax_is_stable_where_the_naive_formula_overflows():
    z = np.array([1000.0, 1001.0, 1002.0])
    with np.errstate(all="raise"):
        got = A.softmax(z)
        with pytest.raises(FloatingPointError):
            np.exp(z) / np.exp(z).sum()
    np.testing.assert_allclose(got, A.softmax([0.0, 1.0, 2.0]), rtol=1e-14)


@pytest.mark.parametrize("temperature", (0.5, 1.0, 2.0))
def test_softmax_jacobian_matches_torch_autograd(temperature):
    z = np.array([0.3, -1.2, 2.0, 0.5])
    expected = torch.autograd.functional.jacobian(
        lambda t: torch.softmax(t / temperature, dim=-1), torch.tensor(z)
    ).numpy()
    np.testing.assert_allclose(A.softmax_jacobian(z, temperature=temperature), expected,
                               rtol=1e-12, atol=1e-15)


def test_softmax_jacobian_of_a_batch_matches_torch_row_by_row():
    z = np.random.default_rng(3).normal(size=(3, 4))
    got = A.softmax_jacobian(z)
    assert got.shape == (3, 4, 4)
    for row, jac in zip(z, got, strict=True):
        expected = torch.autograd.functional.jacobian(
            lambda t: torch.softmax(t, dim=-1), torch.tensor(row)
        ).numpy()
        np.testing.assert_allclose(jac, expected, rtol=1e-12, atol=1e-15)


def test_softmax_jacobian_hand_values_and_finite_differences():
    # Deux scores égaux : p = (½, ½), J = [[¼, −¼], [−¼, ¼]].
    np.testing.assert_allclose(A.softmax_jacobian([0.0, 0.0]), [[0.25, -0.25], [-0.25, 0.25]])
    z, h = np.array([1.0, -0.5, 0.2]), 1e-6
    numeric = np.array([(A.softmax(z + h * e) - A.softmax(z - h * e)) / (2 * h)
                        for e in np.eye(3)]).T
    jac = A.softmax_jacobian(z)
    np.testing.assert_allclose(jac, numeric, atol=1e-9)
    np.testing.assert_allclose(jac.sum(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(jac, jac.T)


# --- Calculs des figures ----------------------------------------------------------------


def test_curves_evaluates_each_function_and_derivative():
    z = np.linspace(-3, 3, 13)
    result = A.curves(z)
    assert result.names == tuple(A.NAMES)
    assert result.values.shape == result.derivatives.shape == (5, 13)
    for k, name in enumerate(result.names):
        np.testing.assert_array_equal(result.values[k], A.get(name)(z))
        np.testing.assert_array_equal(result.derivatives[k], A.derivative(name, z))
    only = A.curves(z, ["relu", "leaky_relu"], slope=0.5)
    np.testing.assert_array_equal(only.values[1], A.leaky_relu(z, 0.5))


@pytest.mark.parametrize("name", SMOOTH + PIECEWISE)
def test_tangent_slope_matches_torch_autograd(name):
    result = A.tangent(name, 0.7, scale=-2.5, shift=1.0)
    u = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    out = _torch_function(name)(-2.5 * u + 1.0)
    out.backward()
    assert result.value == pytest.approx(out.item(), rel=1e-14)
    assert result.slope == pytest.approx(u.grad.item(), rel=1e-14)
    assert result.grid.shape == result.values.shape == result.derivatives.shape == (241,)
    np.testing.assert_allclose(result.values, A.get(name)(-2.5 * result.grid + 1.0))


def test_tangent_of_a_steep_sigmoid_tends_to_heaviside():
    steep = A.tangent("sigmoid", 0.0, scale=50.0, low=-1, high=1, n=5)
    np.testing.assert_allclose(steep.values, [0.0, 0.0, 0.5, 1.0, 1.0], atol=1e-10)
    assert steep.slope == pytest.approx(50 / 4)


def _torch_chain(name, depth, x, w, b):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    a, grads = t, []
    for _ in range(depth):
        a = _torch_function(name)(w * a + b)
        grads.append(torch.autograd.grad(a, t, retain_graph=True)[0].item())
    return np.array(grads)


@pytest.mark.parametrize("name", SMOOTH + PIECEWISE)
@pytest.mark.parametrize(("x", "w", "b"), [(1.0, 1.0, 0.0), (-0.4, 2.5, 0.3), (0.5, -1.5, -0.2)])
def test_gradient_chain_matches_torch_autograd(name, x, w, b):
    chain = A.gradient_chain(name, 8, x=x, w=w, b=b)
    np.testing.assert_allclose(chain.gradient, _torch_chain(name, 8, x, w, b), rtol=1e-12,
                               atol=1e-300)
    np.testing.assert_allclose(chain.gradient, np.cumprod(chain.local))


def test_gradient_chain_of_ten_sigmoids_vanishes():
    chain = A.gradient_chain("sigmoid", 10, x=0.0)
    assert chain.local[0] == 0.25 and chain.activations[0] == 0.5
    assert chain.pre_activations[1] == 0.5
    assert 0 < chain.gradient[-1] <= 0.25 ** 10
    assert np.all(np.abs(A.gradient_chain("sigmoid", 10, x=0.3, w=3.0).gradient)
                  <= (3.0 / 4) ** np.arange(1, 11))
    np.testing.assert_array_equal(A.gradient_chain("heaviside", 10).gradient, 0.0)
    np.testing.assert_array_equal(A.gradient_chain("relu", 10).gradient, 1.0)
    np.testing.assert_array_equal(A.gradient_chain("tanh", 10, x=0.0).gradient, 1.0)


def _gate():
    return data.logic_gate("ou")


def test_train_neuron_first_step_matches_torch_autograd():
    x, t = _gate()
    for name in SMOOTH + PIECEWISE:
        w0, b0 = np.array([0.3, -0.2]), 0.1
        run = A.train_neuron(x, t, w0, b0, name, lr=0.5, steps=1)
        w = torch.tensor(w0, requires_grad=True)
        b = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
        y = _torch_function(name)(torch.tensor(x) @ w + b)
        loss = 0.5 * ((y - torch.tensor(t, dtype=torch.float64)) ** 2).mean()
        loss.backward()
        assert run.losses[0] == pytest.approx(loss.item(), rel=1e-14)
        np.testing.assert_allclose(run.weights[1], w0 - 0.5 * w.grad.numpy(), rtol=1e-14)
        assert run.biases[1] == pytest.approx(b0 - 0.5 * b.grad.item(), rel=1e-14)


def test_train_neuron_zero_derivative_means_no_learning():
    x, t = _gate()
    w0 = np.array([0.5, 0.5])
    for name in ("heaviside", "relu"):  # Heaviside : f' = 0 ; ReLU « morte » : z < 0 partout
        run = A.train_neuron(x, t, w0, -2.0, name, steps=50)
        np.testing.assert_array_equal(run.weights, np.tile(w0, (51, 1)))
        np.testing.assert_array_equal(run.losses, run.losses[0])
    for name in ("sigmoid", "leaky_relu"):
        run = A.train_neuron(x, t, w0, -2.0, name, steps=200)
        assert run.losses[-1] < 0.5 * run.losses[0]
    np.testing.assert_array_equal(w0, [0.5, 0.5])


def test_train_neuron_shapes_and_determinism():
    x, t = _gate()
    run = A.train_neuron(x, t, [0.1, 0.1], 0.0, steps=7)
    assert run.losses.shape == (8,) and run.weights.shape == (8, 2) and run.biases.shape == (8,)
    again = A.train_neuron(x, t, [0.1, 0.1], 0.0, steps=7)
    np.testing.assert_array_equal(run.weights, again.weights)
    assert A.train_neuron(x, t, [0.1, 0.1], 0.0, steps=0).losses.shape == (1,)


# --- Erreurs ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(A.NAMES))
def test_activation_and_derivative_errors(name):
    with pytest.raises(TypeError, match="`z`"):
        A.get(name)("abc")
    with pytest.raises(TypeError, match="`z`"):
        A.get(name)(None)
    with pytest.raises(ValueError, match="`z`"):
        A.get(name)([0.0, np.nan])
    with pytest.raises(TypeError, match="`z`"):
        getattr(A, f"{name}_derivative")("abc")
    with pytest.raises(ValueError, match="`z`"):
        A.derivative(name, [np.inf])


def test_name_and_slope_errors():
    with pytest.raises(ValueError, match="`name`"):
        A.get("softplus")
    with pytest.raises(ValueError, match="`name`"):
        A.derivative("sigmoïde", 0.0)
    with pytest.raises(ValueError, match="`name`"):
        A.finite_difference("gelu", 0.0)
    with pytest.raises(ValueError, match="`slope`"):
        A.leaky_relu(1.0, -0.1)
    with pytest.raises(TypeError, match="`slope`"):
        A.leaky_relu_derivative(1.0, "0.1")
    with pytest.raises(ValueError, match="`slope`"):
        A.derivative("relu", 1.0, slope=-1)
    with pytest.raises(ValueError, match="`h`"):
        A.finite_difference("sigmoid", 0.0, h=0.0)


def test_softmax_errors():
    with pytest.raises(ValueError, match="`z`"):
        A.softmax(1.0)
    with pytest.raises(TypeError, match="`z`"):
        A.softmax(["a", "b"])
    with pytest.raises(ValueError, match="`axis`"):
        A.softmax([1.0, 2.0], axis=1)
    with pytest.raises(TypeError, match="`axis`"):
        A.softmax([1.0, 2.0], axis=0.5)
    with pytest.raises(ValueError, match="`temperature`"):
        A.softmax([1.0, 2.0], temperature=0.0)
    with pytest.raises(ValueError, match="`z`"):
        A.softmax_jacobian(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="`temperature`"):
        A.softmax_jacobian([1.0, 2.0], temperature=-1.0)


def test_figure_computation_errors():
    with pytest.raises(ValueError, match="`z`"):
        A.curves(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="`names`"):
        A.curves([0.0, 1.0], names=[])
    with pytest.raises(ValueError, match="`names`"):
        A.curves([0.0, 1.0], names=["relu", "elu"])
    with pytest.raises(ValueError, match="`name`"):
        A.tangent("elu", 0.0)
    with pytest.raises(TypeError, match="`z`"):
        A.tangent("relu", [0.0])
    with pytest.raises(TypeError, match="`scale`"):
        A.tangent("relu", 0.0, scale="2")
    with pytest.raises(ValueError, match="`shift`"):
        A.tangent("relu", 0.0, shift=np.nan)
    with pytest.raises(ValueError, match="`high`"):
        A.tangent("relu", 0.0, low=1.0, high=-1.0)
    with pytest.raises(ValueError, match="`n`"):
        A.tangent("relu", 0.0, n=1)
    with pytest.raises(ValueError, match="`depth`"):
        A.gradient_chain("sigmoid", 0)
    with pytest.raises(TypeError, match="`depth`"):
        A.gradient_chain("sigmoid", 2.5)
    for param in ("x", "w", "b"):
        with pytest.raises(TypeError, match=f"`{param}`"):
            A.gradient_chain("sigmoid", 3, **{param: "1"})
    with pytest.raises(ValueError, match="`name`"):
        A.gradient_chain("softmax", 3)


def test_train_neuron_errors():
    x, t = _gate()
    with pytest.raises(ValueError, match="`x`"):
        A.train_neuron(x[0], t, [0.0, 0.0], 0.0)
    with pytest.raises(ValueError, match="`target`"):
        A.train_neuron(x, t[:3], [0.0, 0.0], 0.0)
    with pytest.raises(ValueError, match="`w`"):
        A.train_neuron(x, t, [0.0, 0.0, 0.0], 0.0)
    with pytest.raises(TypeError, match="`b`"):
        A.train_neuron(x, t, [0.0, 0.0], [0.0])
    with pytest.raises(ValueError, match="`name`"):
        A.train_neuron(x, t, [0.0, 0.0], 0.0, "elu")
    with pytest.raises(ValueError, match="`lr`"):
        A.train_neuron(x, t, [0.0, 0.0], 0.0, lr=0.0)
    with pytest.raises(ValueError, match="`steps`"):
        A.train_neuron(x, t, [0.0, 0.0], 0.0, steps=-1)
    with pytest.raises(ValueError, match="`slope`"):
        A.train_neuron(x, t, [0.0, 0.0], 0.0, "leaky_relu", slope=-0.5)


def test_curves_accepts_one_name_and_rejects_a_number():
    assert A.curves([0.0, 1.0], "relu").names == ("relu",)
    assert A.curves([0.0, 1.0], ["relu", "tanh"]).names == ("relu", "tanh")
    with pytest.raises(TypeError, match="`names` doit être une liste"):
        A.curves([0.0, 1.0], 3)
