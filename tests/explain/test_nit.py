"""Tests de lib.explain.nit : jouet x₁x₂ + x₃x₄, GAM de référence (scikit-learn), portes."""

import math

import numpy as np
import pytest
import torch
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import SplineTransformer

from lib.explain.nit import (
    GAMMA,
    NIT,
    TEMPERATURE,
    ZETA,
    gate_open_probability,
    gate_sample,
    gate_test,
    pairs,
    recovery,
    shape_function,
    train_nit,
)
from lib.interactions_data import interaction_data


def _rmse(a, b):
    return float(np.sqrt(np.mean((np.asarray(a) - np.asarray(b)) ** 2)))


@pytest.mark.parametrize("seed", range(5))
def test_toy_interactions_recovered_with_defaults(seed):
    x, y, truth = interaction_data("jouet", 2000, seed)
    model = NIT(4, seed=seed)
    train_nit(model, x, y, seed=seed)
    assert model.interactions() == [(0, 1), (2, 3)] == truth


def _additive(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 5))
    y = np.sin(2 * x[:, 0]) + x[:, 1] ** 2 + 0.5 * x[:, 2] + 0.1 * rng.standard_normal(n)
    return x, y


def test_max_order_one_is_a_gam_close_to_spline_gam():
    """Référence indépendante : GAM par splines pénalisées de scikit-learn (une base de
    B-splines par variable, somme, moindres carrés ridge)."""
    x, y = _additive(2000, 0)
    x_test, y_test = _additive(2000, 1)
    model = NIT(5, max_order=1, seed=0)
    train_nit(model, x, y, seed=0)
    assert all(len(g) <= 1 for g in model.groups())
    gam = make_pipeline(SplineTransformer(n_knots=8, degree=3),
                        RidgeCV(alphas=np.logspace(-4, 2, 13))).fit(x, y)
    ours = _rmse(model(x_test).detach(), y_test)
    reference = _rmse(gam.predict(x_test), y_test)
    assert ours <= 1.10 * reference


def test_block_outputs_sum_to_prediction():
    x, y, _ = interaction_data("jouet", 500, 0)
    model = NIT(4, seed=0)
    train_nit(model, x, y, epochs=5)
    total = model.block_outputs(x).sum(1) + model.intercept
    torch.testing.assert_close(total, model(x), rtol=0, atol=1e-12)


def test_gates_match_closed_forms():
    log_alpha = torch.tensor([-3.0, -0.5, 0.0, 0.7, 3.0], dtype=torch.float64)
    u = torch.tensor([0.1, 0.3, 0.5, 0.8, 0.95], dtype=torch.float64)
    for la, uu, z in zip(log_alpha.tolist(), u.tolist(), gate_sample(log_alpha, u).tolist(),
                         strict=True):
        s = 1 / (1 + math.exp(-(math.log(uu) - math.log(1 - uu) + la) / TEMPERATURE))
        assert z == pytest.approx(min(1, max(0, s * (ZETA - GAMMA) + GAMMA)), abs=1e-15)
    for la, z in zip(log_alpha.tolist(), gate_test(log_alpha).tolist(), strict=True):
        s = 1 / (1 + math.exp(-la))
        assert z == pytest.approx(min(1, max(0, s * (ZETA - GAMMA) + GAMMA)), abs=1e-15)
    for la, p in zip(log_alpha.tolist(), gate_open_probability(log_alpha).tolist(), strict=True):
        expected = 1 / (1 + math.exp(-(la - TEMPERATURE * math.log(-GAMMA / ZETA))))
        assert p == pytest.approx(expected, abs=1e-15)
    assert gate_test(torch.tensor([-3.0], dtype=torch.float64)).item() == 0.0
    assert gate_test(torch.tensor([3.0], dtype=torch.float64)).item() == 1.0


def test_expected_order_is_sum_of_open_probabilities():
    model = NIT(3, blocks=2, seed=0)
    with torch.no_grad():
        model.log_alpha.copy_(torch.tensor([[-4.0, 1.0], [0.0, 4.0], [2.0, -4.0]]))
    expected = gate_open_probability(model.log_alpha).sum(0)
    torch.testing.assert_close(model.expected_order(), expected)
    assert model.groups() == [(1, 2), (0, 1)]
    assert model.interactions() == [(0, 1), (1, 2)]


def test_deterministic_with_seed_and_history():
    x, y, _ = interaction_data("jouet", 400, 3)
    runs = []
    for _ in range(2):
        model = NIT(4, blocks=4, seed=1)
        history = train_nit(model, x, y, epochs=6, seed=2)
        runs.append((model(x).detach(), history))
    torch.testing.assert_close(runs[0][0], runs[1][0], rtol=0, atol=0)
    history = runs[0][1]
    assert history.loss == runs[1][1].loss
    assert history.order.shape == (history.disentangle_epochs, 4)
    assert len(history.loss) == history.disentangle_epochs + 6
    assert len(history.seconds) == 2 and min(history.seconds) >= 0


def test_reading_functions_leave_model_unchanged():
    x, _, _ = interaction_data("jouet", 50, 0)
    model = NIT(4, seed=0)
    model.train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    model.block_outputs(x)
    model.interactions()
    model.expected_order()
    assert model.training
    for key, value in model.state_dict().items():
        torch.testing.assert_close(value, before[key], rtol=0, atol=0)
    assert all(p.grad is None for p in model.parameters())


def test_bad_inputs():
    model = NIT(4)
    with pytest.raises(ValueError, match="`max_order`"):
        NIT(4, max_order=0)
    with pytest.raises(ValueError, match="`x`.*4 colonnes"):
        model(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="`x`"):
        model(np.full((3, 4), np.nan))
    with pytest.raises(ValueError, match="`y`"):
        train_nit(model, np.zeros((3, 4)), np.zeros(2))
    with pytest.raises(ValueError, match="`y`"):
        train_nit(model, np.zeros((3, 4)), np.array([0.0, np.inf, 1.0]))
    with pytest.raises(TypeError, match="`model`"):
        train_nit(torch.nn.Linear(4, 1), np.zeros((3, 4)), np.zeros(3))
    with pytest.raises(ValueError, match="`u`"):
        gate_sample(torch.zeros(2, dtype=torch.float64), torch.tensor([0.0, 0.5]))


def test_recovery_and_pairs():
    truth = [(0, 1), (2, 3)]
    assert recovery([(0, 1), (2, 3), (4,)], truth)["exact"] == 1.0
    r = recovery([(0, 1), (1, 2)], truth)
    assert (r["group_precision"], r["group_recall"]) == (0.5, 0.5)
    assert pairs([(0, 1, 2)]) == {(0, 1), (0, 2), (1, 2)}
    r = recovery([(0, 1, 2)], [(0, 1, 2), (3, 4)])
    assert (r["pair_precision"], r["pair_recall"]) == (1.0, 0.75)


def test_shape_function_and_drawings():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from lib import viz

    x, y, _ = interaction_data("jouet", 300, 0)
    model = NIT(4, blocks=3, seed=0)
    train_nit(model, x, y, epochs=3)
    grid = np.linspace(-1, 1, 5)
    for group in model.interactions():
        values = shape_function(model, group, grid)
        assert values.shape == (5,) * len(group)
        fig, axes = plt.subplots(1, 2)
        viz.draw_shape(axes[0], grid, values, [f"x{j}" for j in group])
        viz.draw_gates(axes[1], model.gates().detach())
        plt.close(fig)
