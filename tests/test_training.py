"""Tests de lib.training : historique, déterminisme, mode évaluation, erreurs."""

import copy
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from lib import data
from lib import network as nw
from lib import training as tr


def _blobs(n=40, seed=0):
    """Deux nuages gaussiens séparables du plan (float32) et leurs classes."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    x = torch.randn(n, 2, generator=g) * 0.5 + (2.0 * y[:, None] - 1.0)
    return x, y


def _model(dropout=0.0):
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Dropout(dropout), nn.Linear(8, 2))


def _same(a, b):
    return all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))


def test_history_records_one_value_per_epoch():
    x, y = _blobs()
    history = tr.train(_model(), x, y, epochs=5, lr=0.05, batch_size=8)
    assert history.epochs == 5
    assert len(history.loss) == len(history.accuracy) == 5
    assert all(math.isnan(v) for v in history.val_loss + history.val_accuracy)
    assert history.loss[-1] < history.loss[0]
    assert history.accuracy[-1] == 1.0
    assert isinstance(history.seconds, float)


def test_history_values_match_an_independent_evaluation():
    x, y = _blobs()
    x_val, y_val = _blobs(20, seed=1)
    model = _model()
    history = tr.train(model, x, y, epochs=3, x_val=x_val, y_val=y_val, batch_size=16)
    with torch.no_grad():
        assert history.loss[-1] == pytest.approx(F.cross_entropy(model(x), y).item(), rel=1e-5)
        assert history.val_loss[-1] == pytest.approx(
            F.cross_entropy(model(x_val), y_val).item(), rel=1e-5)
        val_acc = (model(x_val).argmax(1) == y_val).float().mean().item()
    assert history.val_accuracy[-1] == pytest.approx(val_acc)
    assert history.accuracy[-1] == pytest.approx(tr.accuracy(model, x, y))


def test_full_batch_sgd_equals_the_numpy_backpropagation():
    x, y = data.points_2d("ou exclusif", n=24)
    net = nw.init_network([2, 3, 2], output="softmax", seed=1)
    descent = nw.gradient_descent(net, x, y, lr=0.5, steps=15)
    history = tr.train(nw.to_torch(net), torch.from_numpy(x), torch.from_numpy(y), epochs=15,
                       lr=0.5, batch_size=len(x), optimizer="sgd")
    np.testing.assert_allclose(history.loss, descent.loss[1:], rtol=1e-10)
    np.testing.assert_allclose(history.accuracy, descent.accuracy[1:])


def test_mse_loss_has_no_accuracy():
    x = torch.linspace(-1, 1, 30).reshape(-1, 1)
    y = 3 * x - 1
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    history = tr.train(model, x, y, epochs=40, lr=0.1, loss="mse", batch_size=10)
    assert all(math.isnan(a) for a in history.accuracy)
    with torch.no_grad():
        assert history.loss[-1] == pytest.approx(F.mse_loss(model(x), y).item(), rel=1e-5)
    assert history.loss[-1] < 0.01


def test_same_seed_same_training_even_with_dropout():
    x, y = _blobs()
    first, second = _model(0.5), _model(0.5)
    torch.manual_seed(1)
    h1 = tr.train(first, x, y, epochs=3, batch_size=8, seed=4)
    torch.manual_seed(2)  # l'état global ne doit rien changer
    h2 = tr.train(second, x, y, epochs=3, batch_size=8, seed=4)
    assert h1.loss == h2.loss and _same(first, second)
    third = _model(0.5)
    h3 = tr.train(third, x, y, epochs=3, batch_size=8, seed=5)
    assert h3.loss != h1.loss


def test_train_leaves_global_random_state_alone():
    x, y = _blobs()
    model = _model(0.5)
    torch.manual_seed(7)
    expected = torch.rand(3)
    torch.manual_seed(7)
    tr.train(model, x, y, epochs=2)
    assert torch.equal(torch.rand(3), expected)


def test_model_is_left_in_eval_mode_and_inputs_untouched():
    x, y = _blobs()
    x0, y0 = x.clone(), y.clone()
    model = _model(0.5)
    model.train()
    tr.train(model, x, y, epochs=1)
    assert not model.training and not any(m.training for m in model.modules())
    assert torch.equal(x, x0) and torch.equal(y, y0)


def test_predict_and_accuracy_hand_built_and_restore_mode():
    model = nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
        model.bias.zero_()
    x = torch.tensor([[2.0, 1.0], [0.0, 3.0], [5.0, -1.0]])
    model.train()
    assert tr.predict(model, x).tolist() == [0, 1, 0]
    assert model.training
    assert tr.accuracy(model, x, torch.tensor([0, 0, 0])) == pytest.approx(2 / 3)
    model.eval()
    tr.predict(model, x)
    assert not model.training


def test_adam_and_weight_decay_are_used():
    x, y = _blobs()
    plain, decayed = _model(), _model()
    tr.train(plain, x, y, epochs=2, optimizer="sgd", lr=0.1)
    tr.train(decayed, x, y, epochs=2, optimizer="sgd", lr=0.1, weight_decay=0.5)
    norm = lambda m: sum(float(p.detach().norm()) for p in m.parameters())  # noqa: E731
    assert norm(decayed) < norm(plain)


X, Y = _blobs()


@pytest.mark.parametrize("args, kwargs, kind, match", [
    (("modèle", X, Y), {}, TypeError, "model"),
    ((None, X.numpy(), Y), {}, TypeError, "x"),
    ((None, X, Y.tolist()), {}, TypeError, "y"),
    ((None, X, Y[:-1]), {}, ValueError, "x"),
    ((None, X[:0], Y[:0]), {}, ValueError, "x"),
    ((None, torch.tensor(1.0), torch.tensor(1)), {}, ValueError, "x"),
    ((None, X, Y), {"x_val": X}, ValueError, "y_val"),
    ((None, X, Y), {"x_val": X, "y_val": Y[:3]}, ValueError, "x_val"),
    ((None, X, Y), {"epochs": 0}, ValueError, "epochs"),
    ((None, X, Y), {"epochs": 1.5}, TypeError, "epochs"),
    ((None, X, Y), {"lr": 0.0}, ValueError, "lr"),
    ((None, X, Y), {"batch_size": 0}, ValueError, "batch_size"),
    ((None, X, Y), {"weight_decay": -1.0}, ValueError, "weight_decay"),
    ((None, X, Y), {"loss": "hinge"}, ValueError, "loss"),
    ((None, X, Y), {"optimizer": "rmsprop"}, ValueError, "optimizer"),
    ((None, X, Y), {"seed": -1}, ValueError, "seed"),
    ((None, X, Y.float()), {}, TypeError, "y"),
    ((None, (X * 10).long(), Y), {}, TypeError, "`x` doit contenir des nombres réels"),
    ((None, X, Y), {"x_val": X.long(), "y_val": Y}, TypeError, "`x_val` doit contenir des"),
    ((None, X, Y), {"loss": "mse"}, TypeError, "y"),
])
def test_train_rejects_bad_arguments(args, kwargs, kind, match):
    model = _model()
    args = (model if args[0] is None else args[0], *args[1:])
    before = copy.deepcopy(model)
    with pytest.raises(kind, match=match):
        tr.train(*args, **kwargs)
    assert _same(model, before)  # rien n'a été entraîné


def test_float32_data_on_a_float64_model_train_like_float64_data():
    x, y = _blobs()
    x_val, y_val = _blobs(20, seed=1)
    first, second = _model().double(), _model().double()
    h1 = tr.train(first, x, y, epochs=3, batch_size=8, x_val=x_val, y_val=y_val)
    h2 = tr.train(second, x.double(), y.int(), epochs=3, batch_size=8, x_val=x_val.double(),
                  y_val=y_val)  # classes int32 acceptées aussi
    assert h1.loss == h2.loss and h1.val_accuracy == h2.val_accuracy and _same(first, second)
    assert all(p.dtype == torch.float64 for p in first.parameters())
    assert x.dtype == torch.float32
    assert tr.predict(first, x).tolist() == tr.predict(first, x.double()).tolist()
    assert tr.accuracy(first, x, y) == tr.accuracy(first, x.double(), y)


def test_float64_data_and_targets_on_a_float32_model_with_mse():
    x = torch.linspace(-1, 1, 30, dtype=torch.float64).reshape(-1, 1)
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    history = tr.train(model, x, 3 * x - 1, epochs=5, lr=0.1, loss="mse", batch_size=10)
    assert model.weight.dtype == torch.float32 and history.loss[-1] < history.loss[0]


class _Stop(Exception):
    pass


class _Recorder(nn.Module):
    """Modèle dont le paramètre est sur l'appareil ``meta`` ; il note ce qu'il reçoit."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(2, device="meta", dtype=torch.float64))
        self.seen = []

    def forward(self, x):
        self.seen.append((x.device, x.dtype))
        raise _Stop


@pytest.mark.parametrize("call", [
    lambda m: tr.train(m, X, Y, epochs=1),
    lambda m: tr.predict(m, X),
    lambda m: tr.accuracy(m, X, Y),
])
def test_data_is_moved_to_the_device_of_the_model(call):
    model = _Recorder()
    with pytest.raises(_Stop):
        call(model)
    assert model.seen == [(model.weight.device, torch.float64)]
    assert model.weight.device.type == "meta" and model.weight.grad is None
    assert X.device.type == "cpu" and X.dtype == torch.float32


def test_predict_returns_class_indices_on_the_cpu():
    got = tr.predict(_model().double(), X)
    assert got.dtype == torch.int64 and got.device.type == "cpu" and got.shape == Y.shape


def test_predict_and_accuracy_reject_bad_arguments():
    model = _model()
    with pytest.raises(TypeError, match="model"):
        tr.predict("modèle", X)
    with pytest.raises(TypeError, match="x"):
        tr.predict(model, X.numpy())
    with pytest.raises(ValueError, match="x"):
        tr.accuracy(model, X, Y[:3])
    with pytest.raises(TypeError, match="y"):
        tr.accuracy(model, X, [0, 1])
    with pytest.raises(TypeError, match="`x` doit contenir des nombres réels"):
        tr.predict(model, X.long())
