"""Tests de lib.explain.hooks : résolution de la couche, capture, état du modèle rendu intact."""

import pytest
import torch
from torch import nn

from lib.explain.hooks import capture, evaluating, resolve_layer, targets
from tests.explain._models import Boom, assert_same_state, cnn, images, mixed_state_model, snapshot


def test_resolve_layer_by_name_and_by_module():
    model = cnn()
    assert resolve_layer(model, "3") == ("3", model[3])
    assert resolve_layer(model, model[3]) == ("3", model[3])
    assert resolve_layer(model, "") == ("", model)  # le modèle entier a pour nom ""


def test_resolve_layer_errors_are_french_and_name_the_parameter():
    model = cnn()
    with pytest.raises(ValueError, match=r"`layer` doit être un module du modèle ; reçu : 'conv9'"):
        resolve_layer(model, "conv9")
    with pytest.raises(ValueError, match="`layer` doit être un module du modèle"):
        resolve_layer(model, nn.Conv2d(1, 4, 3))  # module d'un autre modèle
    with pytest.raises(TypeError, match="`layer`"):
        resolve_layer(model, 3)
    with pytest.raises(TypeError, match="`model`"):
        resolve_layer("modèle", "3")


def test_capture_records_activation_and_gradient_like_autograd():
    model, x = cnn(), images()
    with capture(model, "3") as record:
        scores = model(x)
        scores[:, 1].sum().backward()
    expected = model[3](model[2](model[1](model[0](x))))
    torch.testing.assert_close(record.activation, expected)
    # Référence : on coupe le réseau en deux à la main et on dérive la seconde moitié.
    a = expected.detach().requires_grad_(True)
    (reference,) = torch.autograd.grad(model[4:](a)[:, 1].sum(), a)
    torch.testing.assert_close(record.gradient, reference)
    assert record.calls == 1 and record.name == "3"


def test_capture_sees_the_pre_relu_activation_with_an_inplace_relu():
    model, x = cnn(inplace=True), images()
    with capture(model, model[0]) as record:
        model(x)[:, 0].sum().backward()
    conv = nn.functional.conv2d(x, model[0].weight, model[0].bias, padding=1)
    torch.testing.assert_close(record.activation, conv)
    assert (record.activation < 0).any()  # la ReLU en place n'a pas écrasé A
    plain = cnn(inplace=False)
    with capture(plain, plain[0]) as reference:
        plain(x)[:, 0].sum().backward()
    torch.testing.assert_close(record.gradient, reference.gradient)


def test_capture_works_on_a_frozen_model_and_an_input_without_gradient():
    model, x = cnn(), images()
    for p in model.parameters():
        p.requires_grad_(False)
    with capture(model, "3") as record:
        model(x)[:, 2].sum().backward()
    plain = cnn()
    with capture(plain, "3") as reference:
        plain(x.requires_grad_(True))[:, 2].sum().backward()
    torch.testing.assert_close(record.gradient, reference.gradient)
    assert all(p.grad is None for p in model.parameters())


def test_capture_removes_every_hook_even_when_the_block_raises():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), Boom(), nn.Flatten(), nn.Linear(72, 2)).double()
    before = snapshot(model)
    with pytest.raises(RuntimeError, match="panne simulée"), capture(model, "0"):
        model(images(size=8))
    assert_same_state(before, model)
    with pytest.raises(KeyError), capture(model, "0"):
        raise KeyError("erreur dans le bloc")
    assert_same_state(before, model)


def test_capture_rejects_a_layer_called_twice_or_returning_a_tuple():
    shared = nn.Conv2d(1, 1, 3, padding=1).double()
    model = nn.Sequential(shared, nn.ReLU(), shared)
    with pytest.raises(ValueError, match="`layer` doit être appelée une seule fois"):
        with capture(model, shared):
            model(images())
    assert not shared._forward_hooks

    class Pair(nn.Module):
        def forward(self, x):
            return x, x

    pair = nn.Sequential(Pair())
    with pytest.raises(ValueError, match="`layer` doit produire un seul tenseur"):
        with capture(pair, "0"):
            pair(images())


def test_evaluating_restores_modes_requires_grad_and_grads_even_on_error():
    model = mixed_state_model()
    before = snapshot(model)
    with evaluating(model):
        assert not any(m.training for m in model.modules())
        assert not any(p.requires_grad for p in model.parameters())
        assert torch.is_grad_enabled()
    assert_same_state(before, model)
    with pytest.raises(ZeroDivisionError), evaluating(model):
        raise ZeroDivisionError
    assert_same_state(before, model)


def test_evaluating_enables_gradients_inside_no_grad():
    with torch.no_grad(), evaluating(cnn()):
        assert torch.is_grad_enabled()
    assert torch.is_grad_enabled()


def test_targets_accepts_int_sequence_tensor_and_numpy():
    import numpy as np

    assert targets(2, 3).tolist() == [2, 2, 2]
    assert targets([0, 1, 2], 3).tolist() == [0, 1, 2]
    assert targets(torch.tensor([2, 0]), 2).tolist() == [2, 0]
    assert targets(torch.tensor(1), 2).tolist() == [1, 1]
    assert targets(np.array([1, 0]), 2).tolist() == [1, 0]
    assert targets(np.int64(1), 2).tolist() == [1, 1]
