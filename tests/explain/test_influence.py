"""Fonctions d'influence face à des références indépendantes : forme fermée de la régression
logistique, réentraînement sans chaque exemple, différences finies, captum. Voir le chapitre 11."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import stats

from lib.data import digits
from lib.explain import influence as I

L2 = 1e-2


def bce(out, y):
    return F.binary_cross_entropy_with_logits(out.squeeze(1), y)


@pytest.fixture(scope="module")
def problem():
    """Chiffres 1 contre 7 (100 exemples, 64 pixels), régression logistique ajustée."""
    torch.set_num_threads(1)
    d = digits(images=False)
    keep, keep_test = (d.y_train == 1) | (d.y_train == 7), (d.y_test == 1) | (d.y_test == 7)
    x, y = d.x_train[keep][:100], (d.y_train[keep][:100] == 7).double()
    x_test, y_test = d.x_test[keep_test][:3], (d.y_test[keep_test][:3] == 7).double()
    model = torch.nn.Linear(64, 1).double()
    with torch.no_grad():
        model.weight.zero_()
        model.bias.zero_()
    return I.fit(model, bce, (x, y), l2=L2), (x, y), (x_test, y_test)


def closed_form(model, x, y, x_test, y_test, l2=L2):
    """Forme fermée : g = (σ(θᵀx̃) − y) x̃, H = (1/n) Σ σ(1 − σ) x̃x̃ᵀ + l2·I, en NumPy."""
    theta = np.concatenate([model.weight.detach().numpy()[0], model.bias.detach().numpy()])
    xt, xs = (np.hstack([a.numpy(), np.ones((len(a), 1))]) for a in (x, x_test))
    p, ps = (1 / (1 + np.exp(-a @ theta)) for a in (xt, xs))
    g, gs = (p - y.numpy())[:, None] * xt, (ps - y_test.numpy())[:, None] * xs
    h = (xt * (p * (1 - p))[:, None]).T @ xt / len(xt) + l2 * np.eye(len(theta))
    return -gs @ np.linalg.solve(h, g.T), g, h, gs


def test_exact_matches_closed_form(problem):
    model, (x, y), (x_test, y_test) = problem
    expected, _, _, _ = closed_form(model, x, y, x_test, y_test)
    got = I.influence(model, bce, (x, y), (x_test, y_test), l2=L2).numpy()
    assert got.shape == (3, 100)
    assert np.abs(got - expected).max() / np.abs(expected).max() <= 1e-6


def test_hessian_and_self_influence_match_closed_form(problem):
    model, (x, y), _ = problem
    _, g, h, _ = closed_form(model, x, y, x[:1], y[:1])
    assert np.allclose(I.hessian(model, bce, (x, y), l2=L2).numpy(), h, rtol=1e-8, atol=1e-12)
    expected = -np.einsum("ij,ji->i", g, np.linalg.solve(h, g.T))
    got = I.self_influence(model, bce, (x, y), l2=L2).numpy()
    assert np.allclose(got, expected, rtol=1e-6)


def test_cg_matches_exact(problem):
    model, train, test = problem
    exact = I.influence(model, bce, train, test, l2=L2)
    cg = I.influence(model, bce, train, test, l2=L2, method="cg")
    assert (cg - exact).abs().max() / exact.abs().max() <= 1e-4


def test_lissa_ranking_agrees_with_exact(problem):
    model, train, test = problem
    exact = I.influence(model, bce, train, test, l2=0.1)
    lissa = I.influence(model, bce, train, test, l2=0.1, method="lissa", depth=200)
    for row_l, row_e in zip(lissa, exact, strict=True):
        assert stats.spearmanr(row_l, row_e).statistic >= 0.95


def test_lissa_diverges_when_scale_is_too_small(problem):
    model, train, test = problem
    lam = float(torch.linalg.eigvalsh(I.hessian(model, bce, train, l2=L2))[-1])
    out = I.influence(model, bce, train, test, l2=L2, method="lissa", scale=lam / 4, depth=200)
    assert not torch.isfinite(out).all() or out.abs().max() > 1e6


def test_influence_predicts_leave_one_out(problem):
    model, (x, y), test = problem
    n, indices = len(x), list(range(0, 100, 3))
    predicted = -I.influence(model, bce, (x, y), test, l2=L2)[:, indices] / n
    actual = I.leave_one_out(model, bce, (x, y), test, indices=indices, l2=L2)
    assert actual.shape == (3, len(indices))
    for row_p, row_a in zip(predicted, actual, strict=True):
        assert stats.pearsonr(row_p, row_a).statistic >= 0.99


def test_removing_the_most_helpful_point_increases_the_test_loss(problem):
    model, train, test = problem
    values = I.influence(model, bce, train, (test[0][:1], test[1][:1]), l2=L2)[0]
    helpful, harmful = int(values.argmin()), int(values.argmax())
    change = I.leave_one_out(model, bce, train, (test[0][:1], test[1][:1]),
                             indices=[helpful, harmful], l2=L2)[0]
    assert values[helpful] < 0 < values[harmful]
    assert change[0] > 0 > change[1]


def test_perturbation_influence_matches_finite_differences(problem):
    model, (x, y), (x_test, y_test) = problem
    pert = I.perturbation_influence(model, bce, (x, y), (x_test[:1], y_test[:1]), l2=L2)
    assert pert.shape == (1, *x.shape)
    # −s_testᵀ ∇θL(x₀ + h e_k) par différences centrées, s_test = H⁻¹ ∇θL(z_test)
    _, _, h, g_test = closed_form(model, x, y, x_test[:1], y_test[:1])
    s = np.linalg.solve(h, g_test[0])

    def score(x0):
        _, g, _, _ = closed_form(model, x0[None], y[:1], x0[None], y[:1])
        return -(g[0] @ s)

    for k in (10, 20, 35):
        step = torch.zeros(64, dtype=torch.float64)
        step[k] = 1e-5
        fd = (score(x[0] + step) - score(x[0] - step)) / 2e-5
        assert abs(fd - float(pert[0, 0, k])) <= 1e-6 * max(1.0, abs(fd))


def test_agrees_with_captum_up_to_its_scaling(problem, tmp_path):
    captum = pytest.importorskip("captum.influence")
    model, (x, y), (x_test, y_test) = problem
    loss = torch.nn.BCEWithLogitsLoss(reduction="none")  # captum l'exige

    class Flat(torch.nn.Module):  # captum attend des étiquettes de la forme de la sortie
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, x):
            return self.inner(x).squeeze(1)

    flat = Flat(model)
    torch.save(flat.state_dict(), tmp_path / "flat.pt")
    naive = captum.NaiveInfluenceFunction(
        flat, torch.utils.data.TensorDataset(x, y), str(tmp_path / "flat.pt"), loss_fn=loss,
        batch_size=100, projection_dim=100, hessian_reg=len(x) * L2)
    theirs = naive.influence((x_test, y_test)).detach()
    ours = I.influence(model, bce, (x, y), (x_test, y_test), l2=L2)
    # captum : ∇L_testᵀ (H_somme + reg·I)⁻¹ ∇L(z), sans signe moins ; avec une perte non
    # réduite, H_somme = n·H, et reg = n·l2 redonne n·(H + l2·I) : captum = −I_up,loss / n.
    assert torch.allclose(theirs, -ours / len(x), rtol=1e-6, atol=1e-9)


def test_model_left_as_found(problem):
    model, train, test = problem
    before = {k: v.clone() for k, v in model.state_dict().items()}
    model.train()
    model.weight.grad = None
    for method in I.METHODS:
        I.influence(model, bce, train, test, l2=L2, method=method)
    I.leave_one_out(model, bce, train, test, indices=[0], l2=L2)
    I.fit(model, bce, train, l2=L2, max_iter=3)
    assert model.training and model.weight.grad is None and model.weight.requires_grad
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_inputs_not_mutated_and_deterministic(problem):
    model, (x, y), test = problem
    x0 = x.clone()
    a = I.influence(model, bce, (x, y), test, l2=L2, method="lissa", depth=50)
    b = I.influence(model, bce, (x, y), test, l2=L2, method="lissa", depth=50)
    assert torch.equal(a, b) and torch.equal(x, x0)


@pytest.mark.parametrize("call, error, name", [
    (lambda m, tr, te: I.influence(m, bce, (tr[0], tr[1][:5]), te), ValueError, "train"),
    (lambda m, tr, te: I.influence(m, lambda o, y: o.squeeze(1) - y, tr, te), ValueError,
     "loss_fn"),
    (lambda m, tr, te: I.influence(torch.nn.Flatten(), bce, tr, te), ValueError, "model"),
    (lambda m, tr, te: I.influence(m, bce, tr, te, method="newton"), ValueError, "method"),
    (lambda m, tr, te: I.influence(m, bce, tr, te, damping=-1.0), ValueError, "damping"),
    (lambda m, tr, te: I.influence(m, bce, tr, te, method="cg", depth=3), ValueError, "depth"),
    (lambda m, tr, te: I.influence(m, bce, tr, te, method="lissa", scale=0), ValueError,
     "scale"),
    (lambda m, tr, te: I.leave_one_out(m, bce, tr, te, indices=[500]), ValueError, "indices"),
    (lambda m, tr, te: I.influence(m, bce, tr[0], te), TypeError, "train"),
])
def test_bad_input(problem, call, error, name):
    model, train, test = problem
    with pytest.raises(error) as info:
        call(model, train, test)
    assert f"`{name}`" in str(info.value)
