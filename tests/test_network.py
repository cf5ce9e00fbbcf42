"""Tests de lib.network : réseau NumPy, rétropropagation comparée à torch.autograd (float64)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lib import data
from lib import network as nw

HIDDEN = ["tanh", "sigmoid", "relu", "leaky_relu"]
OUTPUTS = {"sigmoid": 1, "softmax": 3, "identity": 2}


def _xor_relu():
    """Réseau classique du OU exclusif (Goodfellow et al., 2016, §6.1), sortie linéaire."""
    return nw.Network([[[1.0, 1.0], [1.0, 1.0]], [[1.0], [-2.0]]], [[0.0, -1.0], [0.0]],
                      activation="relu", output="identity")


def _random_case(activation, output, seed=0, n=12):
    """Un réseau 3-4-3-k aux biais non nuls, des entrées et des cibles adaptées à la sortie."""
    rng = np.random.default_rng(seed)
    k = OUTPUTS[output]
    net = nw.init_network([3, 4, 3, k], activation=activation, output=output, seed=seed)
    net = nw.Network(net.weights, [rng.normal(0, 0.5, b.shape) for b in net.biases],
                     activation, output)
    x = rng.normal(size=(n, 3))
    target = {"sigmoid": rng.integers(0, 2, n).astype(float), "softmax": rng.integers(0, k, n),
              "identity": rng.normal(size=(n, k))}[output]
    return net, x, target


def _torch_loss(net, x, target):
    """Perte calculée par PyTorch sur le modèle ``to_torch(net)`` (gradients dans ``.grad``)."""
    model = nw.to_torch(net)
    z = model(torch.from_numpy(x))
    if net.output == "sigmoid":
        value = F.binary_cross_entropy_with_logits(z[:, 0], torch.from_numpy(target))
    elif net.output == "softmax":
        value = F.cross_entropy(z, torch.as_tensor(target, dtype=torch.int64))
    else:
        value = F.mse_loss(z, torch.from_numpy(target))
    value.backward()
    return model, value


def _torch_grads(model):
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    return ([m.weight.grad.numpy().T for m in linears] + [m.bias.grad.numpy() for m in linears])


# --- Construction ------------------------------------------------------------------------


def test_network_shapes_and_parameter_count():
    net = nw.init_network([4, 5, 3, 2], output="softmax")
    assert net.sizes == (4, 5, 3, 2)
    assert net.n_parameters == (4 + 1) * 5 + (5 + 1) * 3 + (3 + 1) * 2  # 51
    assert [w.shape for w in net.weights] == [(4, 5), (5, 3), (3, 2)]
    assert all(np.all(b == 0) for b in net.biases)


def test_init_is_glorot_uniform_and_seeded():
    net = nw.init_network([30, 20, 1], seed=3)
    limit = np.sqrt(6 / 50)
    assert np.all(np.abs(net.weights[0]) <= limit)
    assert np.abs(net.weights[0]).max() > 0.9 * limit  # la loi uniforme remplit l'intervalle
    again = nw.init_network([30, 20, 1], seed=3)
    other = nw.init_network([30, 20, 1], seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(net.weights, again.weights, strict=True))
    assert not np.array_equal(net.weights[0], other.weights[0])


def test_network_copies_its_arrays():
    w, b = np.ones((2, 1)), np.zeros(1)
    net = nw.Network([w], [b])
    w[0, 0] = 5.0
    assert net.weights[0][0, 0] == 1.0


@pytest.mark.parametrize("kwargs, kind, match", [
    ({"weights": np.ones((2, 1)), "biases": [np.zeros(1)]}, TypeError, "weights"),
    ({"weights": [], "biases": []}, TypeError, "weights"),
    ({"weights": [np.ones((2, 1))], "biases": np.zeros(1)}, TypeError, "biases"),
    ({"weights": [np.ones((2, 3)), np.ones((3, 1))], "biases": [np.zeros(3)]}, ValueError,
     "biases"),
    ({"weights": [np.ones(2)], "biases": [np.zeros(1)]}, ValueError, r"weights\[0\]"),
    ({"weights": [np.ones((2, 3)), np.ones((2, 1))], "biases": [np.zeros(3), np.zeros(1)]},
     ValueError, r"weights\[1\]"),
    ({"weights": [np.ones((2, 3))], "biases": [np.zeros(2)]}, ValueError, r"biases\[0\]"),
    ({"weights": [[[np.nan], [1.0]]], "biases": [[0.0]]}, ValueError, r"weights\[0\]"),
    ({"weights": [np.ones((2, 1))], "biases": [np.zeros(1)], "activation": "cos"}, ValueError,
     "activation"),
    ({"weights": [np.ones((2, 1))], "biases": [np.zeros(1)], "output": "relu"}, ValueError,
     "output"),
    ({"weights": [np.ones((2, 2))], "biases": [np.zeros(2)], "output": "sigmoid"}, ValueError,
     "output"),
    ({"weights": [np.ones((2, 1))], "biases": [np.zeros(1)], "output": "softmax"}, ValueError,
     "output"),
])
def test_network_rejects_bad_layers(kwargs, kind, match):
    with pytest.raises(kind, match=match):
        nw.Network(**kwargs)


@pytest.mark.parametrize("kwargs, kind, match", [
    ({"sizes": 3}, TypeError, "sizes"),
    ({"sizes": [2]}, TypeError, "sizes"),
    ({"sizes": [2, 0, 1]}, ValueError, r"sizes\[1\]"),
    ({"sizes": [2, 1.5, 1]}, TypeError, r"sizes\[1\]"),
    ({"sizes": [2, 1], "seed": -1}, ValueError, "seed"),
    ({"sizes": [2, 1], "activation": "cos"}, ValueError, "activation"),
])
def test_init_network_rejects_bad_arguments(kwargs, kind, match):
    with pytest.raises(kind, match=match):
        nw.init_network(**kwargs)


# --- Propagation avant, prédiction, perte -----------------------------------------------------


def test_forward_hand_built_xor_network():
    x, target = data.logic_gate("ou exclusif")
    fwd = nw.forward(_xor_relu(), x)
    # Couche cachée calculée à la main : relu(x₁ + x₂), relu(x₁ + x₂ − 1).
    np.testing.assert_allclose(fwd.z[0], [[0, -1], [1, 0], [1, 0], [2, 1]])
    np.testing.assert_allclose(fwd.a[1], [[0, 0], [1, 0], [1, 0], [2, 1]])
    np.testing.assert_allclose(fwd.output[:, 0], target)
    assert fwd.a[0] is not None and len(fwd.a) == 3 and len(fwd.z) == 2


@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("activation", HIDDEN)
def test_forward_matches_torch(activation, output):
    net, x, _ = _random_case(activation, output)
    with torch.no_grad():
        z = nw.to_torch(net)(torch.from_numpy(x))
    expected = {"sigmoid": torch.sigmoid, "softmax": lambda t: torch.softmax(t, 1),
                "identity": lambda t: t}[output](z).numpy()
    np.testing.assert_allclose(nw.forward(net, x).output, expected, rtol=1e-12, atol=1e-14)


def test_predict_and_accuracy_hand_built():
    # Un neurone de sortie sigmoïde qui recopie x₁ : σ(10·x₁ − 5).
    net = nw.Network([[[10.0], [0.0]]], [[-5.0]], output="sigmoid")
    x = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    np.testing.assert_array_equal(nw.predict(net, x), [0, 1, 1, 0])
    assert nw.accuracy(net, x, [0, 1, 0, 0]) == 0.75
    soft = nw.Network([[[1.0, 0.0], [0.0, 1.0]]], [[0.0, 0.0]], output="softmax")
    np.testing.assert_array_equal(nw.predict(soft, [[2.0, 1.0], [0.0, 3.0]]), [0, 1])
    assert nw.accuracy(soft, [[2.0, 1.0], [0.0, 3.0]], [1, 1]) == 0.5


def test_loss_of_zero_network_is_log_of_class_count():
    x = np.random.default_rng(0).normal(size=(7, 2))
    zero = nw.Network([np.zeros((2, 1))], [np.zeros(1)], output="sigmoid")
    assert nw.loss(zero, x, [0, 1, 1, 0, 1, 0, 0]) == pytest.approx(np.log(2))
    zero3 = nw.Network([np.zeros((2, 3))], [np.zeros(3)], output="softmax")
    assert nw.loss(zero3, x, [0, 1, 2, 0, 1, 2, 0]) == pytest.approx(np.log(3))
    assert nw.loss(_xor_relu(), *data.logic_gate("ou exclusif")) == 0.0


@pytest.mark.parametrize("output", list(OUTPUTS))
def test_loss_matches_torch(output):
    net, x, target = _random_case("tanh", output)
    _, expected = _torch_loss(net, x, target)
    assert nw.loss(net, x, target) == pytest.approx(expected.item(), rel=1e-12)


def test_loss_is_stable_for_huge_scores():
    net = nw.Network([[[1000.0], [0.0]]], [[0.0]], output="sigmoid")
    value = nw.loss(net, [[1.0, 0.0], [-1.0, 0.0]], [0, 1])
    assert value == pytest.approx(1000.0)  # log(1 + e^1000) ≈ 1000, sans débordement


def test_forward_and_loss_do_not_modify_inputs():
    net, x, target = _random_case("tanh", "softmax")
    x0, t0 = x.copy(), target.copy()
    w0 = [w.copy() for w in net.weights]
    nw.loss(net, x, target)
    nw.backward(net, x, target)
    nw.gradient_descent(net, x, target, steps=3)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(target, t0)
    assert all(np.array_equal(a, b) for a, b in zip(net.weights, w0, strict=True))


def test_forward_rejects_bad_inputs():
    net = nw.init_network([2, 3, 1])
    with pytest.raises(TypeError, match="net"):
        nw.forward("réseau", np.zeros((1, 2)))
    with pytest.raises(ValueError, match="x"):
        nw.forward(net, np.zeros(2))
    with pytest.raises(ValueError, match="x"):
        nw.forward(net, np.zeros((4, 3)))
    with pytest.raises(ValueError, match="x"):
        nw.forward(net, [[np.inf, 0.0]])
    with pytest.raises(TypeError, match="x"):
        nw.forward(net, "points")


@pytest.mark.parametrize("output, target", [
    ("sigmoid", [0, 1, 2]),
    ("sigmoid", [0, 1]),
    ("sigmoid", [[0], [1], [1]]),
    ("softmax", [0, 1, 3]),
    ("softmax", [0, 0.5, 1]),
    ("softmax", [-1, 0, 1]),
    ("identity", np.zeros((3, 3))),
    ("identity", np.zeros(3)),
])
def test_loss_rejects_bad_targets(output, target):
    net, x, _ = _random_case("tanh", output, n=3)
    with pytest.raises(ValueError, match="target"):
        nw.loss(net, x, target)
    with pytest.raises(ValueError, match="target"):
        nw.backward(net, x, target)


def test_identity_network_accepts_flat_target_for_one_output():
    net = _xor_relu()
    x, target = data.logic_gate("ou exclusif")
    assert nw.loss(net, x, target) == nw.loss(net, x, target.reshape(-1, 1)) == 0.0


def test_predict_rejects_regression_network():
    with pytest.raises(ValueError, match="net"):
        nw.predict(_xor_relu(), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="net"):
        nw.accuracy(_xor_relu(), np.zeros((1, 2)), [0])


# --- Rétropropagation --------------------------------------------------------------------------


@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("activation", HIDDEN)
def test_backward_matches_torch_autograd(activation, output):
    net, x, target = _random_case(activation, output, seed=1)
    model, _ = _torch_loss(net, x, target)
    grads = nw.backward(net, x, target)
    assert nw.relative_error(grads, _torch_grads(model)) < 1e-12
    for mine, theirs in zip([*grads.weights, *grads.biases], _torch_grads(model), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_backward_matches_finite_differences(activation, output):
    net, x, target = _random_case(activation, output, seed=2)
    assert nw.gradient_check(net, x, target) < 1e-7


def test_backward_deltas_follow_the_matrix_formulas():
    net, x, target = _random_case("tanh", "softmax", seed=3)
    fwd, grads = nw.forward(net, x), nw.backward(net, x, target)
    y = np.eye(3)[target]
    np.testing.assert_allclose(grads.deltas[-1], (fwd.output - y) / len(x))
    hidden = (grads.deltas[2] @ net.weights[2].T) * (1 - np.tanh(fwd.z[1]) ** 2)
    np.testing.assert_allclose(grads.deltas[1], hidden)
    np.testing.assert_allclose(grads.weights[0], x.T @ grads.deltas[0])
    np.testing.assert_allclose(grads.biases[1], grads.deltas[1].sum(0))
    assert [d.shape for d in grads.deltas] == [(12, 4), (12, 3), (12, 3)]


def test_backward_hand_computed_single_neuron():
    # ŷ = σ(w·x + b) avec w = 0, b = 0 : ŷ = 1/2 ; ∂L/∂w = moy (ŷ − y) x, ∂L/∂b = moy (ŷ − y).
    net = nw.Network([np.zeros((2, 1))], [np.zeros(1)], output="sigmoid")
    x, target = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([1.0, 0.0])
    grads = nw.backward(net, x, target)
    np.testing.assert_allclose(grads.weights[0][:, 0], [(-0.5 * 1 + 0.5 * 3) / 2,
                                                        (-0.5 * 2 + 0.5 * -1) / 2])
    np.testing.assert_allclose(grads.biases[0], [0.0])


def test_gradient_check_detects_a_wrong_backward():
    net, x, target = _random_case("tanh", "sigmoid", seed=4)
    good = nw.backward(net, x, target)
    # Erreur classique : oublier la dérivée de l'activation f'(Z) dans la couche cachée.
    fwd = nw.forward(net, x)
    delta = good.deltas[1] @ net.weights[1].T
    wrong = [fwd.a[0].T @ delta, *good.weights[1:], *good.biases]
    assert nw.relative_error(wrong, nw.numerical_gradient(net, x, target)) > 1e-2


def test_relative_error_values_and_errors():
    a = [np.array([1.0, -2.0]), np.zeros(3)]
    assert nw.relative_error(a, a) == 0.0
    assert nw.relative_error(a, [-a[0], a[1]]) == pytest.approx(1.0)
    assert nw.relative_error([np.array([3.0, 4.0])], [np.array([3.0, 4.0 + 1e-3])]) == (
        pytest.approx(1e-3 / 10, rel=1e-3))
    with pytest.raises(ValueError, match="b"):
        nw.relative_error(a, a[:1])
    with pytest.raises(ValueError, match=r"b\[0\]"):
        nw.relative_error(a, [np.zeros(3), np.zeros(3)])
    with pytest.raises(TypeError, match="a"):
        nw.relative_error(3.0, a)
    with pytest.raises(TypeError, match="b"):
        nw.relative_error(a, [])


def test_numerical_gradient_rejects_bad_step():
    net, x, target = _random_case("tanh", "sigmoid", n=3)
    with pytest.raises(ValueError, match="h"):
        nw.numerical_gradient(net, x, target, h=0.0)
    with pytest.raises(TypeError, match="h"):
        nw.gradient_check(net, x, target, h="petit")


# --- Descente de gradient -----------------------------------------------------------------------


def test_update_is_one_gradient_step():
    net, x, target = _random_case("tanh", "sigmoid")
    grads = nw.backward(net, x, target)
    new = nw.update(net, grads, 0.1)
    for p, g, q in zip([*net.weights, *net.biases], [*grads.weights, *grads.biases],
                       [*new.weights, *new.biases], strict=True):
        np.testing.assert_allclose(q, p - 0.1 * g)
    assert new is not net and new.activation == net.activation and new.output == net.output
    assert nw.loss(new, x, target) < nw.loss(net, x, target)  # petit pas : la perte baisse


def test_update_rejects_bad_arguments():
    net, x, target = _random_case("tanh", "sigmoid")
    grads = nw.backward(net, x, target)
    with pytest.raises(TypeError, match="grads"):
        nw.update(net, [*grads.weights, *grads.biases], 0.1)
    with pytest.raises(ValueError, match="lr"):
        nw.update(net, grads, 0.0)
    with pytest.raises(TypeError, match="net"):
        nw.update(None, grads, 0.1)
    other = nw.backward(*_random_case("tanh", "softmax")[:1], x, np.zeros(len(x), int))
    with pytest.raises(ValueError, match="grads"):
        nw.update(net, other, 0.1)
    short = nw.Gradients(grads.weights[:1], grads.biases[:1])
    with pytest.raises(ValueError, match="grads"):
        nw.update(net, short, 0.1)


def test_training_step_gathers_the_four_phases():
    net, x, target = _random_case("sigmoid", "softmax")
    step = nw.training_step(net, x, target, 0.3)
    assert step.loss == pytest.approx(nw.loss(net, x, target))
    assert nw.relative_error(step.gradients, nw.backward(net, x, target)) == 0.0
    expected = nw.update(net, step.gradients, 0.3)
    assert nw.relative_error(step.updated, expected) == 0.0
    assert step.updated_loss == pytest.approx(nw.loss(expected, x, target))
    with pytest.raises(ValueError, match="lr"):
        nw.training_step(net, x, target, -1.0)


def test_gradient_descent_matches_repeated_updates():
    net, x, target = _random_case("tanh", "sigmoid")
    descent = nw.gradient_descent(net, x, target, lr=0.2, steps=3, keep=[0, 2])
    manual = [net]
    for _ in range(3):
        manual.append(nw.update(manual[-1], nw.backward(manual[-1], x, target), 0.2))
    np.testing.assert_allclose(descent.loss, [nw.loss(m, x, target) for m in manual])
    np.testing.assert_allclose(descent.accuracy, [nw.accuracy(m, x, target) for m in manual])
    assert nw.relative_error(descent.network, manual[3]) < 1e-14
    assert sorted(descent.snapshots) == [0, 2]
    assert nw.relative_error(descent.snapshots[2], manual[2]) < 1e-14


def test_gradient_descent_solves_xor_and_is_deterministic():
    x, target = data.points_2d("ou exclusif", n=60)
    net = nw.init_network([2, 4, 1], seed=1)
    first = nw.gradient_descent(net, x, target, lr=1.0, steps=1500)
    second = nw.gradient_descent(net, x, target, lr=1.0, steps=1500)
    np.testing.assert_array_equal(first.loss, second.loss)
    assert first.accuracy[-1] == 1.0 and first.loss[-1] < 0.05 < first.loss[0]
    assert nw.accuracy(first.network, x, target) == 1.0


def test_one_hidden_neuron_cannot_solve_xor():
    x, target = data.logic_gate("ou exclusif")
    net = nw.init_network([2, 1, 1], seed=0)
    descent = nw.gradient_descent(net, x, target, lr=1.0, steps=2000)
    assert descent.accuracy.max() <= 0.75  # une seule droite : au plus 3 coins sur 4


def test_gradient_descent_equals_torch_sgd():
    net, x, target = _random_case("tanh", "softmax", seed=5)
    descent = nw.gradient_descent(net, x, target, lr=0.5, steps=20)
    model = nw.to_torch(net)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    xt, yt = torch.from_numpy(x), torch.as_tensor(target)
    losses = []
    for _ in range(21):
        opt.zero_grad()
        value = F.cross_entropy(model(xt), yt)
        losses.append(value.item())
        value.backward()
        opt.step()
    np.testing.assert_allclose(descent.loss, losses, rtol=1e-10)


def test_gradient_descent_stops_when_diverging():
    x = np.linspace(-3, 3, 20).reshape(-1, 1)
    net = nw.Network([[[1.0]], [[1.0]]], [[0.0], [0.0]], activation="relu", output="identity")
    descent = nw.gradient_descent(net, x, 2 * x[:, 0], lr=50.0, steps=200)
    assert descent.network is None
    assert np.isnan(descent.loss[-1]) and np.isfinite(descent.loss[0])
    assert np.isnan(descent.accuracy).all()  # pas de précision pour une régression


@pytest.mark.parametrize("kwargs, kind, match", [
    ({"lr": 0.0}, ValueError, "lr"),
    ({"steps": -1}, ValueError, "steps"),
    ({"steps": 2.5}, TypeError, "steps"),
    ({"keep": 3}, TypeError, "keep"),
    ({"keep": [0, 50]}, ValueError, "keep"),
])
def test_gradient_descent_rejects_bad_arguments(kwargs, kind, match):
    net, x, target = _random_case("tanh", "sigmoid", n=4)
    with pytest.raises(kind, match=match):
        nw.gradient_descent(net, x, target, **{"steps": 10, **kwargs})


# --- Carte de décision et PyTorch ----------------------------------------------------------------


def test_decision_map_values_and_hidden_lines():
    net = nw.Network([[[1.0, 1.0], [1.0, 1.0]], [[1.0], [-2.0]]], [[-0.5, -1.5], [-0.5]],
                     activation="sigmoid", output="sigmoid")
    result = nw.decision_map(net, limits=(0.0, 2.0), size=5)
    assert result.output.shape == (5, 5) and result.extent == (0.0, 2.0, 0.0, 2.0)
    grid = np.linspace(0, 2, 5)
    point = np.array([[grid[1], grid[3]]])  # colonne 1 = x₁, ligne 3 = x₂
    assert result.output[3, 1] == pytest.approx(nw.forward(net, point).output[0, 0])
    # Neurone 1 : x₁ + x₂ = 0,5, coupe le carré de (0, 0,5) à (0,5, 0).
    np.testing.assert_allclose(sorted(map(tuple, result.lines[0])), [(0.0, 0.5), (0.5, 0.0)])
    np.testing.assert_allclose(sorted(map(tuple, result.lines[1])), [(0.0, 1.5), (1.5, 0.0)])
    outside = nw.Network([[[1.0], [0.0]]], [[-5.0]])
    assert nw.decision_map(outside).lines == (None,)


def test_decision_map_softmax_unit():
    net = nw.Network([[[1.0, -1.0], [0.0, 0.0]]], [[0.0, 0.0]], output="softmax")
    result = nw.decision_map(net, size=3, unit=0)
    p0 = 1 / (1 + np.exp(-2 * result.grid))  # softmax(x₁, −x₁)₀ = σ(2 x₁)
    np.testing.assert_allclose(result.output, np.tile(p0, (3, 1)))
    assert nw.decision_map(net, size=3).unit == 1


@pytest.mark.parametrize("kwargs, kind, match", [
    ({"limits": (1.0, 0.0)}, ValueError, "limits"),
    ({"limits": (0.0, 1.0, 2.0)}, ValueError, "limits"),
    ({"size": 1}, ValueError, "size"),
    ({"unit": 2}, ValueError, "unit"),
])
def test_decision_map_rejects_bad_arguments(kwargs, kind, match):
    net = nw.init_network([2, 3, 2], output="softmax")
    with pytest.raises(kind, match=match):
        nw.decision_map(net, **kwargs)
    with pytest.raises(ValueError, match="net"):
        nw.decision_map(nw.init_network([3, 1]))


def test_to_torch_layout_and_errors():
    net = nw.init_network([2, 3, 1], activation="relu")
    model = nw.to_torch(net)
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear"]
    assert model[0].weight.dtype == torch.float64
    np.testing.assert_array_equal(model[0].weight.detach().numpy(), net.weights[0].T)
    heaviside = nw.Network(net.weights, net.biases, activation="heaviside")
    with pytest.raises(ValueError, match="net"):
        nw.to_torch(heaviside)
    with pytest.raises(TypeError, match="net"):
        nw.to_torch(model)
