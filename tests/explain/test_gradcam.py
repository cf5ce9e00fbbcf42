"""Tests de lib.explain.gradcam : Grad-CAM, Grad-CAM++, upsample, normalize.

Références indépendantes : un modèle construit à la main (valeurs calculées à la main),
captum ``LayerGradCam`` pour Grad-CAM, et pour Grad-CAM++ la formule générale de
Chattopadhay et al. avec les vraies dérivées d'ordre 2 et 3 de exp(S_c) calculées par autograd.
"""

import math
from collections import OrderedDict

import numpy as np
import pytest
import torch
from captum.attr import LayerGradCam
from torch import nn

from lib.explain import grad_cam, grad_cam_pp, normalize, upsample
from tests.explain._models import Boom, assert_same_state, cnn, images, mixed_state_model, snapshot

METHODS = [grad_cam, grad_cam_pp]
F64 = {"dtype": torch.float64}


def _hand_model() -> nn.Module:
    """A = x (couche ``features``), S = W·A + b, deux classes ; A a 2 canaux 2×2.

    Classe 0 : W = [[1, −1], [2, 0]] et [[0,5, 0], [−1, 1]], b = ln 2 ; classe 1 :
    W = [[1, 0], [0, 0]] et [[−3, −3], [−3, −3]], b = 11.
    """
    model = nn.Sequential(OrderedDict(features=nn.Identity(), flatten=nn.Flatten(),
                                      fc=nn.Linear(8, 2))).double()
    with torch.no_grad():
        model.fc.weight.copy_(torch.tensor([[1, -1, 2, 0, 0.5, 0, -1, 1],
                                            [1, 0, 0, 0, -3, -3, -3, -3]], **F64))
        model.fc.bias.copy_(torch.tensor([math.log(2), 11.0], **F64))
    return model


#: Activations A : canal 0 = [[1, 2], [0, 1]], canal 1 = [[2, 0], [1, 1]] ; S_0 = ln 2, S_1 = 0.
HAND_X = torch.tensor([[[[1, 2], [0, 1]], [[2, 0], [1, 1]]]], **F64)


def test_grad_cam_on_a_hand_built_model():
    # Classe 0 : α = moyennes de W : (1 − 1 + 2 + 0)/4 = 0,5 et (0,5 + 0 − 1 + 1)/4 = 0,125.
    # L = 0,5 A⁰ + 0,125 A¹ = [[0,75, 1], [0,125, 0,625]].
    # Classe 1 : α = 0,25 et −3 ; 0,25 A⁰ − 3 A¹ = [[−5,75, 0,5], [−3, −2,75]] → ReLU.
    x = HAND_X.repeat(2, 1, 1, 1)
    got = grad_cam(_hand_model(), x, [0, 1], layer="features")
    expected = torch.tensor([[[[0.75, 1.0], [0.125, 0.625]]], [[[0.0, 0.5], [0.0, 0.0]]]], **F64)
    torch.testing.assert_close(got, expected)


def test_grad_cam_pp_on_a_hand_built_model():
    # g = ∂S/∂A = W ; α = g² / (2g² + ΣA·g³) avec ΣA⁰ = ΣA¹ = 4 ; ∂Y/∂A = exp(S)·g.
    # Classe 0 (exp S = 2) : canal 0, α = 1/6 (g = 1), −1/2 (g = −1, ReLU(g) = 0), 1/10 (g = 2),
    #   0 (g = 0) → w⁰ = 1/6·2 + 1/10·4 = 11/15 ; canal 1, α = 1/4 (g = 0,5), 1/6 (g = 1)
    #   → w¹ = 1/4·1 + 1/6·2 = 7/12.  L = 11/15 A⁰ + 7/12 A¹.
    # Classe 1 (exp S = 1) : w⁰ = 1/6·1 (seul g = 1 compte), w¹ = 0 (g = −3 < 0) → L = A⁰/6.
    x = HAND_X.repeat(2, 1, 1, 1)
    got = grad_cam_pp(_hand_model(), x, [0, 1], layer="features")
    expected = torch.tensor([[[[1.9, 22 / 15], [7 / 12, 79 / 60]]],
                             [[[1 / 6, 1 / 3], [0.0, 1 / 6]]]], **F64)
    torch.testing.assert_close(got, expected)


def _grad_cam_pp_with_true_derivatives(model, x, target):
    """Formule générale : α = ∂²Y / (2 ∂²Y + Σ_ab A_ab ∂³Y), Y = exp(S_c), dérivées par autograd."""
    activation = model[0](x).detach().requires_grad_(True)
    y = torch.exp(model[1:](activation)[0, target])
    (first,) = torch.autograd.grad(y, activation, create_graph=True)
    second, third = torch.zeros_like(activation), torch.zeros_like(activation)
    for index in np.ndindex(*activation.shape):
        (row,) = torch.autograd.grad(first[index], activation, create_graph=True)
        (column,) = torch.autograd.grad(row[index], activation, retain_graph=True,
                                        allow_unused=True)
        second[index] = row[index].detach()
        third[index] = 0.0 if column is None else column[index]
    total = activation.detach().sum(dim=(2, 3), keepdim=True)
    denominator = 2 * second + total * third
    alpha = torch.where(denominator != 0, second / torch.where(denominator != 0, denominator, 1),
                        0)
    weights = (alpha * torch.relu(first.detach())).sum(dim=(2, 3), keepdim=True)
    return torch.relu((weights * activation.detach()).sum(dim=1, keepdim=True))


@pytest.mark.parametrize("seed, target", [(1, 0), (2, 2), (3, 1)])
def test_grad_cam_pp_matches_the_general_formula_with_autograd_derivatives(seed, target):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(2 * 3 * 3, 3)).double()
    x = images(1, size=6, seed=seed)
    expected = _grad_cam_pp_with_true_derivatives(model, x, target)
    got = grad_cam_pp(model, x, target, layer="0")
    assert float(got.max()) > 0
    torch.testing.assert_close(got, expected)


@pytest.mark.parametrize("layer", ["0", "3", "4"])
def test_grad_cam_matches_captum_layer_grad_cam(layer):
    model, x = cnn(channels=3, size=16, widths=(8, 16)), images(4, channels=3, size=16)
    target = torch.tensor([0, 2, 1, 1])
    expected = LayerGradCam(model, model[int(layer)]).attribute(
        x, target=target, relu_attributions=True)
    got = grad_cam(model, x, target, layer=layer)
    assert got.shape == expected.shape and not got.requires_grad
    torch.testing.assert_close(got, expected.detach(), rtol=1e-12, atol=1e-15)
    torch.testing.assert_close(grad_cam(model, x, target, layer=model[int(layer)]), got)


@pytest.mark.parametrize("method", METHODS)
def test_raw_map_shape_is_the_layer_resolution(method):
    model, x = cnn(size=16), images(2, size=16)
    assert method(model, x, 0, layer="0").shape == (2, 1, 16, 16)
    assert method(model, x, 0, layer="3").shape == (2, 1, 8, 8)
    assert method(model, x, 0, layer="5").shape == (2, 1, 4, 4)


@pytest.mark.parametrize("method", METHODS)
def test_batch_with_different_targets_equals_one_image_at_a_time(method):
    model, x = cnn(4, channels=3, size=16, widths=(8, 16)), images(3, channels=3, size=16)
    target = [1, 0, 2]
    batch = method(model, x, target, layer="3")
    singles = torch.cat([method(model, x[i:i + 1], target[i], layer="3") for i in range(3)])
    torch.testing.assert_close(batch, singles)


@pytest.mark.parametrize("method", METHODS)
def test_inplace_relu_after_the_layer_gives_the_same_map(method):
    x = images(3, size=16)
    plain = method(cnn(5, size=16), x, [0, 1, 2], layer="3")
    inplace = method(cnn(5, size=16, inplace=True), x, [0, 1, 2], layer="3")
    assert float(plain.max()) > 0
    torch.testing.assert_close(inplace, plain)
    model = cnn(5, size=16)
    expected = LayerGradCam(model, model[3]).attribute(x, target=[0, 1, 2],
                                                       relu_attributions=True)
    if method is grad_cam:
        torch.testing.assert_close(inplace, expected.detach())


@pytest.mark.parametrize("method", METHODS)
def test_method_leaves_model_and_input_untouched(method):
    model, x = mixed_state_model(), images(2)
    before, original = snapshot(model), x.clone()
    out = method(model, x, [0, 2], layer="4")
    assert_same_state(before, model)
    assert torch.equal(x, original) and x.grad is None
    model.eval()
    torch.testing.assert_close(method(model, x, [0, 2], layer="4"), out)


@pytest.mark.parametrize("method", METHODS)
def test_method_restores_model_when_an_error_is_raised_midway(method):
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(inplace=True), Boom(),
                          nn.Flatten(), nn.Linear(128, 3)).double()
    model.train()
    model[0].weight.grad = torch.ones_like(model[0].weight)
    before = snapshot(model)
    with pytest.raises(RuntimeError, match="panne simulée"):
        method(model, images(2), 0, layer="0")  # après la pose des crochets
    assert_same_state(before, model)
    model[2].armed = False
    with pytest.raises(ValueError, match="`target` doit être < 3"):
        method(model, images(2), [0, 7], layer="0")
    assert_same_state(before, model)
    with pytest.raises(ValueError, match="`layer` doit produire des cartes"):
        method(model, images(2), 0, layer="4")  # sortie (N, 3) : pas une carte
    assert_same_state(before, model)


@pytest.mark.parametrize("method", METHODS)
def test_bad_inputs_raise_french_errors(method):
    model, x = cnn(), images(2)
    with pytest.raises(ValueError, match=r"`layer` doit être un module du modèle ; reçu : 'conv9'"):
        method(model, x, 0, layer="conv9")
    with pytest.raises(ValueError, match="`layer` doit être un module du modèle"):
        method(model, x, 0, layer=cnn()[3])  # même architecture, autre modèle
    with pytest.raises(ValueError, match=r"`layer` doit être donné .* aucune couche de "
                                         r"convolution \(nn.Conv2d\)"):
        method(nn.Sequential(nn.Flatten(), nn.Linear(64, 3)).double(), x, 0)
    with pytest.raises(TypeError, match="`layer`"):
        method(model, x, 0, layer=3)
    with pytest.raises(TypeError, match="`model`"):
        method(None, x, 0, layer="3")
    with pytest.raises(TypeError, match="`x` doit être un torch.Tensor"):
        method(model, x.numpy(), 0, layer="3")
    with pytest.raises(ValueError, match=r"`x` doit être un lot de forme \(N, C, H, W\)"):
        method(model, x.flatten(1), 0, layer="3")
    with pytest.raises(ValueError, match=r"écrivez x\[None\]"):
        method(model, x[0], 0, layer="3")
    with pytest.raises(ValueError, match="`target` doit être < 3"):
        method(model, x, [0, 3], layer="3")
    with pytest.raises(TypeError, match="`target`"):
        method(model, x, "chat", layer="3")

    class Unused(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv, self.spare = nn.Conv2d(1, 1, 3), nn.Conv2d(1, 1, 3)
            self.fc = nn.Linear(36, 2)

        def forward(self, x):
            return self.fc(self.conv(x).flatten(1))

    unused = Unused().double()
    with pytest.raises(ValueError, match="`layer` doit être utilisée par le modèle"):
        method(unused, x, 0, layer="spare")
    assert not unused.spare._forward_hooks


def test_grad_cam_pp_warns_in_french_when_exp_overflows():
    model = nn.Sequential(nn.Conv2d(1, 1, 1), nn.Flatten(), nn.Linear(4, 1))
    with torch.no_grad():
        model[0].weight.fill_(1.0)
        model[0].bias.zero_()
        model[2].weight.fill_(100.0)
        model[2].bias.zero_()
    with pytest.warns(RuntimeWarning, match="exp\\(S_c\\) dépasse"):
        grad_cam_pp(model, torch.ones(1, 1, 2, 2), 0, layer="0")


def test_upsample_is_bilinear_with_half_pixel_centres():
    # Centres des 4 pixels de sortie dans l'entrée : −0,25 → 0, 0,25, 0,75, 1,25 → 1.
    small = torch.tensor([[[[0.0, 1.0]]]], **F64)
    torch.testing.assert_close(upsample(small, (1, 4)),
                               torch.tensor([[[[0.0, 0.25, 0.75, 1.0]]]], **F64))
    constant = torch.full((2, 1, 3, 3), 0.7, **F64)
    out = upsample(constant, 12)
    assert out.shape == (2, 1, 12, 12)
    torch.testing.assert_close(out, torch.full((2, 1, 12, 12), 0.7, **F64))


def test_normalize_scales_each_map_to_zero_one_and_is_safe_on_constant_maps():
    maps = torch.tensor([[[[1.0, 3.0], [2.0, 5.0]]], [[[-2.0, 2.0], [0.0, 0.0]]],
                         [[[0.0, 0.0], [0.0, 0.0]]], [[[3.0, 3.0], [3.0, 3.0]]]], **F64)
    original = maps.clone()
    got = normalize(maps)
    expected = torch.tensor([[[[0.0, 0.5], [0.25, 1.0]]], [[[0.0, 1.0], [0.5, 0.5]]],
                             [[[0.0, 0.0], [0.0, 0.0]]], [[[0.0, 0.0], [0.0, 0.0]]]], **F64)
    torch.testing.assert_close(got, expected)
    assert torch.isfinite(got).all() and torch.equal(maps, original)


def test_upsample_and_normalize_bad_inputs():
    maps = torch.rand(2, 1, 4, 4)
    with pytest.raises(TypeError, match="`map` doit être un torch.Tensor"):
        upsample(maps.numpy(), 8)
    with pytest.raises(ValueError, match="`map` doit avoir 4 dimensions"):
        upsample(maps[0], 8)
    with pytest.raises(ValueError, match="`size`"):
        upsample(maps, 0)
    with pytest.raises(ValueError, match="`size`"):
        upsample(maps, (8, 8, 8))
    with pytest.raises(TypeError, match="`size`"):
        upsample(maps, 8.5)
    with pytest.raises(TypeError, match="`map` doit contenir des nombres réels"):
        upsample(maps.long(), 8)
    with pytest.raises(TypeError, match="`map` doit être un torch.Tensor"):
        normalize([[1.0, 2.0]])
    with pytest.raises(ValueError, match="`map` doit être un lot"):
        normalize(torch.rand(4))
