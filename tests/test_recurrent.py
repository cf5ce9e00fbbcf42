"""Tests de lib.recurrent : le réseau d'Elman écrit à la main contre torch.nn.RNN."""

import numpy as np
import pytest
import torch

from lib import recurrent as R


def test_states_match_torch_rnn_with_the_same_weights():
    model = R.ElmanRNN(input_size=3, hidden_size=5, n_classes=2, seed=4)
    x = torch.from_numpy(np.random.default_rng(0).normal(size=(6, 9, 3)))
    reference, last = model.to_torch()(x)
    ours = model.states(x)
    assert ours.dtype == torch.float64
    assert torch.allclose(ours, reference, rtol=0, atol=1e-12)
    assert torch.allclose(ours[:, -1], last[0], rtol=0, atol=1e-12)


def test_gradients_match_torch_rnn():
    model = R.ElmanRNN(input_size=1, hidden_size=4, seed=1)
    rnn = model.to_torch()
    x = torch.from_numpy(np.random.default_rng(2).normal(size=(3, 7, 1)))
    model.states(x)[:, -1].sum().backward()
    rnn(x)[0][:, -1].sum().backward()
    assert torch.allclose(model.weight_hh.grad, rnn.weight_hh_l0.grad, atol=1e-12)
    assert torch.allclose(model.weight_ih.grad, rnn.weight_ih_l0.grad, atol=1e-12)
    assert torch.allclose(model.bias.grad, rnn.bias_ih_l0.grad, atol=1e-12)


def test_same_seed_same_weights_and_forward_shape():
    a, b = R.ElmanRNN(seed=3), R.ElmanRNN(seed=3)
    assert torch.equal(a.weight_hh, b.weight_hh)
    assert not torch.equal(a.weight_hh, R.ElmanRNN(seed=4).weight_hh)
    x, y = R.sequence_task(5, length=6)
    assert a(x).shape == (5, 2) and a.states(x).shape == (5, 6, 8)
    assert x.shape == (5, 6, 1) and y.dtype == torch.int64
    assert torch.equal(y, (x.sum(dim=(1, 2)) > 0).long())


def test_training_learns_the_sum_task():
    x, y = R.sequence_task(300, length=8, seed=0)
    x_test, y_test = R.sequence_task(300, length=8, seed=1)
    model = R.ElmanRNN(hidden_size=4, seed=0)
    losses = R.train_rnn(model, x, y, steps=200, seed=0)
    assert losses[-1] < losses[0]
    accuracy = float((model(x_test).argmax(1) == y_test).double().mean())
    assert accuracy > 0.8
    assert torch.get_num_threads() >= 1


@pytest.mark.parametrize("weight", [0.5, 1.5])
def test_through_time_linear_gradient_is_a_power_of_the_weight(weight):
    result = R.through_time(weight, 12, "identity")
    t = np.arange(13)
    assert np.allclose(result.states, weight ** t)
    assert np.allclose(result.gradients, weight ** (12 - t))


def test_through_time_tanh_matches_the_chain_rule_and_vanishes_when_saturated():
    result = R.through_time(2.0, 15, "tanh")
    h = result.states
    factors = 2.0 * (1 - h[1:] ** 2)          # w · tanh′(w h_{s−1}) = w (1 − h_s²)
    expected = np.append(np.cumprod(factors[::-1])[::-1], 1.0)
    assert np.allclose(result.gradients, expected)
    assert abs(result.gradients[0]) < 1e-6     # saturée : le gradient s'évanouit
