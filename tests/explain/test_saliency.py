"""Tests de lib.explain.saliency : gradient, SmoothGrad, gradients intégrés.

Références indépendantes : captum (Saliency, IntegratedGradients), un modèle linéaire dont
les attributions se calculent à la main, une espérance calculée analytiquement pour
SmoothGrad, et l'axiome de complétude des gradients intégrés.
"""

import numpy as np
import pytest
import torch
from captum.attr import IntegratedGradients, Saliency
from scipy.stats import norm
from torch import nn

from lib.explain import completeness_error, gradient, integrated_gradients, smoothgrad
from tests.explain._models import Boom, assert_same_state, cnn, images, mixed_state_model, snapshot

METHODS = [gradient, smoothgrad, integrated_gradients]
pytestmark = pytest.mark.filterwarnings("ignore:Input Tensor 0 did not already require")


def _linear() -> nn.Module:
    """S(x) = W x + b sur des vecteurs de 3 valeurs, 2 classes, poids choisis à la main."""
    model = nn.Linear(3, 2).double()
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]]))
        model.bias.copy_(torch.tensor([0.25, -1.0]))
    return model


def test_gradient_of_a_linear_model_is_the_weight_row():
    x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.0, 4.0]], dtype=torch.float64)
    got = gradient(_linear(), x, [0, 1])
    torch.testing.assert_close(got, torch.tensor([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]],
                                                 dtype=torch.float64))


def test_gradient_matches_captum_saliency_without_abs():
    model, x = cnn(channels=3, size=8), images(4, channels=3)
    target = [0, 2, 1, 2]
    expected = Saliency(model).attribute(x, target=torch.tensor(target), abs=False)
    got = gradient(model, x, target)
    assert got.shape == x.shape and not got.requires_grad and got.device.type == "cpu"
    torch.testing.assert_close(got, expected, rtol=1e-12, atol=1e-14)


def test_gradient_on_tabular_data():
    model = nn.Sequential(nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 3)).double()
    x = torch.randn(4, 5, dtype=torch.float64)
    expected = Saliency(model).attribute(x, target=1, abs=False)
    torch.testing.assert_close(gradient(model, x, 1), expected)


def test_integrated_gradients_of_a_linear_model_is_exact():
    """IG_i = W_ci (x_i − x'_i) pour un modèle linéaire, quel que soit le nombre de pas."""
    x = torch.tensor([[1.0, 2.0, 3.0]], dtype=torch.float64)
    baseline = torch.tensor([0.5, 0.5, 0.5], dtype=torch.float64)
    for steps in (1, 7):
        got = integrated_gradients(_linear(), x, 1, baseline=baseline, steps=steps)
        torch.testing.assert_close(got, torch.tensor([[0.0, 4.5, -2.5]], dtype=torch.float64))


def test_integrated_gradients_of_a_quadratic_uses_the_midpoint_rule():
    """S(x) = x², gradient 2αx le long du segment : point milieu exact, IG = x²."""

    class Square(nn.Module):
        def forward(self, x):
            return x**2

    x = torch.tensor([[3.0]], dtype=torch.float64)
    torch.testing.assert_close(integrated_gradients(Square(), x, 0, steps=1),
                               torch.tensor([[9.0]], dtype=torch.float64))


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("channels, size", [(1, 8), (3, 16)])
def test_integrated_gradients_completeness_within_one_percent(seed, channels, size):
    """Σ IG = S_c(x) − S_c(x') à 1 % près avec 200 pas, sur des CNN ReLU / max-pooling.

    La classe visée est celle dont le score change le plus entre x' = 0 et x : pour une
    classe dont le score ne bouge presque pas (|Δ| ≈ 0,01), l'erreur relative peut
    dépasser 1 % à 200 pas (elle tombe sous 0,4 % à 1000 pas).
    """
    model = cnn(seed, channels=channels, size=size, widths=(4, 8) if channels == 1 else (8, 16))
    x = images(4, channels=channels, size=size, seed=100 + seed)
    with torch.no_grad():
        target = (model(x) - model(torch.zeros_like(x))).abs().argmax(dim=1)
    attributions = integrated_gradients(model, x, target, steps=200)
    errors = completeness_error(model, x, target, attributions)
    assert errors.shape == (4,)
    assert float(errors.max()) < 0.01


def test_integrated_gradients_completeness_improves_with_more_steps():
    model, x = cnn(3), images(4, seed=7)
    errors = [float(completeness_error(model, x, 1, integrated_gradients(model, x, 1, steps=m))
                    .max()) for m in (2, 1000)]
    assert errors[1] < errors[0] / 10


@pytest.mark.parametrize("baseline", [None, 0.5, "image"])
def test_integrated_gradients_matches_captum_with_the_midpoint_rule(baseline):
    model, x = cnn(1, channels=3), images(3, channels=3)
    target = torch.tensor([2, 0, 1])
    if baseline == "image":
        baseline = images(1, channels=3, seed=9)[0]
    ours = integrated_gradients(model, x, target, baseline=baseline, steps=50)
    reference = {None: 0.0, 0.5: 0.5}.get(baseline) if not torch.is_tensor(baseline) else (
        baseline.expand_as(x))
    expected = IntegratedGradients(model).attribute(
        x, baselines=reference, target=target, n_steps=50, method="riemann_middle")
    # captum calcule ses α_k avec torch.linspace en float32 : écart relatif ≈ 1e-8.
    torch.testing.assert_close(ours, expected, rtol=1e-6, atol=1e-9)


def test_smoothgrad_matches_the_analytic_expectation():
    """S(x) = Σ_i w_i ReLU(x_i) : E[∂S/∂x_i (x + ε)] = w_i Φ(x_i / σ), σ = noise × (max − min)."""

    class ReluSum(nn.Module):
        def forward(self, x):
            return (torch.relu(x) * torch.tensor([1.0, -2.0, 0.5, 3.0], dtype=x.dtype)
                    ).sum(dim=1, keepdim=True)

    x = torch.tensor([[-0.2, 0.1, 0.0, 0.3], [0.5, -0.5, 0.25, 0.0]], dtype=torch.float64)
    got = smoothgrad(ReluSum(), x, 0, noise=0.4, samples=4000, seed=0)
    sigma = 0.4 * np.ptp(x.numpy(), axis=1, keepdims=True)  # étendue de chaque image
    expected = np.array([1.0, -2.0, 0.5, 3.0]) * norm.cdf(x.numpy() / sigma)
    np.testing.assert_allclose(got.numpy(), expected, atol=0.06)  # ≈ 5 écarts-types
    assert not np.allclose(got.numpy(), gradient(ReluSum(), x, 0).numpy(), atol=0.06)


def test_smoothgrad_same_seed_same_map_and_no_noise_is_the_gradient():
    model, x = cnn(), images()
    first = smoothgrad(model, x, 1, samples=6, seed=3)
    state = torch.random.get_rng_state()
    torch.testing.assert_close(smoothgrad(model, x, 1, samples=6, seed=3), first, rtol=0, atol=0)
    assert torch.equal(torch.random.get_rng_state(), state)  # graine globale intacte
    assert not torch.allclose(smoothgrad(model, x, 1, samples=6, seed=4), first)
    torch.testing.assert_close(smoothgrad(model, x, 1, noise=0.0, samples=3),
                               gradient(model, x, 1))
    assert first.shape == x.shape


@pytest.mark.parametrize("limit, value", [("_CHUNK_ELEMENTS", 3 * 64), ("_CHUNK_ROWS", 3)])
def test_large_batches_are_split_without_changing_the_result(monkeypatch, limit, value):
    from lib.explain import saliency

    model, x = cnn(), images(4)
    whole = smoothgrad(model, x, [0, 1, 2, 0], samples=5)
    ig = integrated_gradients(model, x, 2, steps=7)
    monkeypatch.setattr(saliency, limit, value)  # paquets de 3 images au lieu d'un seul
    torch.testing.assert_close(smoothgrad(model, x, [0, 1, 2, 0], samples=5), whole)
    torch.testing.assert_close(integrated_gradients(model, x, 2, steps=7), ig)


@pytest.mark.parametrize("method", [gradient, integrated_gradients])
def test_batch_with_different_targets_equals_one_image_at_a_time(method):
    model, x = cnn(2, channels=3), images(3, channels=3)
    target = [2, 0, 1]
    batch = method(model, x, target)
    singles = torch.cat([method(model, x[i:i + 1], target[i]) for i in range(3)])
    torch.testing.assert_close(batch, singles)


@pytest.mark.parametrize("method", METHODS)
def test_inplace_relu_gives_the_same_result(method):
    x = images(2)
    torch.testing.assert_close(method(cnn(inplace=True), x, [1, 2]),
                               method(cnn(inplace=False), x, [1, 2]))


@pytest.mark.parametrize("method", METHODS)
def test_method_leaves_model_and_input_untouched(method):
    model, x = mixed_state_model(), images(2)
    before, original = snapshot(model), x.clone()
    out = method(model, x, [0, 2])
    assert_same_state(before, model)
    assert torch.equal(x, original) and x.grad is None and not x.requires_grad
    leaf = x.clone().requires_grad_(True)  # une entrée qui demande déjà un gradient
    method(model, leaf, 0)
    assert leaf.grad is None and leaf.requires_grad
    # La méthode a bien évalué le modèle en mode évaluation (Dropout, BatchNorm figés).
    model.eval()
    torch.testing.assert_close(method(model, x, [0, 2]), out)


@pytest.mark.parametrize("method", METHODS)
def test_method_restores_model_when_an_error_is_raised_midway(method):
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), Boom(), nn.Flatten(),
                          nn.Linear(128, 3)).double()
    model.train()
    model[0].bias.requires_grad_(False)
    before = snapshot(model)
    with pytest.raises(RuntimeError, match="panne simulée"):
        method(model, images(2), 0)
    assert_same_state(before, model)
    model[1].armed = False
    with pytest.raises(ValueError, match="`target` doit être < 3"):
        method(model, images(2), 5)  # erreur levée après le passage avant
    assert_same_state(before, model)


@pytest.mark.parametrize("method", METHODS)
def test_bad_inputs_raise_french_errors(method):
    model, x = cnn(), images(2)
    with pytest.raises(TypeError, match="`model`"):
        method("modèle", x, 0)
    with pytest.raises(TypeError, match="`x` doit être un torch.Tensor"):
        method(model, x.numpy(), 0)
    with pytest.raises(ValueError, match=r"`x` doit être un lot.*écrivez x\[None\]"):
        method(model, x[0], 0)
    with pytest.raises(TypeError, match="`x` doit contenir des nombres réels"):
        method(model, (x * 10).long(), 0)
    with pytest.raises(ValueError, match="`x` doit contenir au moins une image"):
        method(model, x[:0], 0)
    with pytest.raises(ValueError, match="`x` contient des valeurs infinies"):
        method(model, torch.full_like(x, float("nan")), 0)
    with pytest.raises(ValueError, match="`target` doit être < 3"):
        method(model, x, 3)
    with pytest.raises(ValueError, match="`target` doit être ≥ 0"):
        method(model, x, -1)
    with pytest.raises(ValueError, match="`target` doit contenir 2 classe"):
        method(model, x, [0, 1, 2])
    with pytest.raises(TypeError, match="`target` doit être un entier"):
        method(model, x, 1.5)
    with pytest.raises(TypeError, match="`target` doit contenir des entiers"):
        method(model, x, torch.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match="`layer` doit être None"):
        method(model, x, 0, layer="3")
    with pytest.raises(ValueError, match="`model` doit renvoyer des scores"):
        method(model[:4], x, 0)  # sortie (N, 8, 4, 4) au lieu de (N, classes)


def test_bad_options_raise_french_errors():
    model, x = cnn(), images(2)
    for steps in (0, -3):
        with pytest.raises(ValueError, match="`steps`"):
            integrated_gradients(model, x, 0, steps=steps)
    with pytest.raises(TypeError, match="`steps` doit être un entier"):
        integrated_gradients(model, x, 0, steps=2.5)
    with pytest.raises(ValueError, match="`baseline` doit avoir la forme"):
        integrated_gradients(model, x, 0, baseline=torch.zeros(1, 4, 4))
    with pytest.raises(TypeError, match="`baseline` doit être un torch.Tensor"):
        integrated_gradients(model, x, 0, baseline=np.zeros((1, 8, 8)))
    with pytest.raises(ValueError, match="`baseline` doit contenir des nombres réels finis"):
        integrated_gradients(model, x, 0, baseline=torch.full((1, 8, 8), float("inf")))
    for samples in (0, -1):
        with pytest.raises(ValueError, match="`samples`"):
            smoothgrad(model, x, 0, samples=samples)
    with pytest.raises(ValueError, match="`noise`"):
        smoothgrad(model, x, 0, noise=-0.1)
    with pytest.raises(TypeError, match="`noise`"):
        smoothgrad(model, x, 0, noise="fort")
    with pytest.raises(ValueError, match="`seed`"):
        smoothgrad(model, x, 0, seed=-1)
