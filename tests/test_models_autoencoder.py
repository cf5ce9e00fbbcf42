"""Tests de lib.models.Autoencoder : architecture, calcul fait à la main, apprentissage, erreurs."""

import pytest
import torch
from torch import nn

from lib import unsupervised
from lib.models import Autoencoder


def test_layers_and_shapes():
    model = Autoencoder(64, 3, hidden=16)
    names = [n for n, _ in model.named_modules() if n]
    assert names == ["encoder", "encoder.fc1", "encoder.act1", "encoder.code",
                     "decoder", "decoder.fc1", "decoder.act1", "decoder.fc2", "decoder.output"]
    x = torch.rand(5, 64)
    assert model.encode(x).shape == (5, 3)
    out = model(x)
    assert out.shape == (5, 64)
    assert torch.all((out > 0) & (out < 1))  # sortie sigmoïde, comme des pixels dans [0, 1]


def test_forward_matches_a_hand_built_computation():
    torch.manual_seed(0)
    model = Autoencoder(3, 1, hidden=2).double()
    enc, dec = model.encoder, model.decoder
    with torch.no_grad():
        enc.fc1.weight.copy_(torch.tensor([[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]]))
        enc.fc1.bias.copy_(torch.tensor([0.0, -1.0]))
        enc.code.weight.copy_(torch.tensor([[2.0, -1.0]]))
        enc.code.bias.copy_(torch.tensor([0.5]))
        dec.fc1.weight.copy_(torch.tensor([[1.0], [-1.0]]))
        dec.fc1.bias.copy_(torch.tensor([0.0, 0.0]))
        dec.fc2.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
        dec.fc2.bias.copy_(torch.tensor([0.0, 0.0, -1.0]))
    x = torch.tensor([[3.0, 1.0, 1.0]], dtype=torch.float64)
    # cachée : relu(3 − 1, 0.5·5 − 1) = (2, 1.5) ; code : 2·2 − 1.5 + 0.5 = 3
    torch.testing.assert_close(model.encode(x), torch.tensor([[3.0]], dtype=torch.float64))
    # décodeur : relu(3, −3) = (3, 0) ; fc2 : (3, 0, 2) ; sigmoïde
    expected = torch.sigmoid(torch.tensor([[3.0, 0.0, 2.0]], dtype=torch.float64))
    torch.testing.assert_close(model(x), expected)
    torch.testing.assert_close(model(x), torch.sigmoid(
        nn.functional.linear(torch.relu(nn.functional.linear(model.encode(x), dec.fc1.weight,
                                                             dec.fc1.bias)),
                             dec.fc2.weight, dec.fc2.bias)))


def test_training_reduces_the_reconstruction_error_without_labels():
    x = torch.rand(64, 8)
    x[:32, :4] += 1.0  # deux familles d'exemples
    x = x / x.max()
    model, history = unsupervised.fit_autoencoder(x, code_size=2, hidden=8, epochs=30,
                                                  batch_size=16)
    assert isinstance(model, Autoencoder) and model.code_size == 2
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert not model.training


def test_fit_autoencoder_is_seeded_and_leaves_the_global_generator_alone():
    x = torch.rand(32, 6)
    threads = torch.get_num_threads()
    torch.manual_seed(123)
    first, _ = unsupervised.fit_autoencoder(x, code_size=2, hidden=4, epochs=2, seed=5)
    after = torch.rand(3)
    torch.manual_seed(123)
    second, _ = unsupervised.fit_autoencoder(x, code_size=2, hidden=4, epochs=2, seed=5)
    torch.testing.assert_close(torch.rand(3), after)
    assert torch.get_num_threads() == threads  # nombre de fils rétabli
    for a, b in zip(first.parameters(), second.parameters(), strict=True):
        torch.testing.assert_close(a, b)
    other, _ = unsupervised.fit_autoencoder(x, code_size=2, hidden=4, epochs=2, seed=6)
    assert not torch.equal(first.encoder.fc1.weight, other.encoder.fc1.weight)


@pytest.mark.parametrize("kwargs, error, name", [
    ({"in_features": 0}, ValueError, "in_features"),
    ({"code_size": 0}, ValueError, "code_size"),
    ({"code_size": 1.5}, TypeError, "code_size"),
    ({"hidden": "32"}, TypeError, "hidden"),
])
def test_constructor_rejects_bad_arguments(kwargs, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        Autoencoder(**kwargs)


def test_forward_rejects_bad_input():
    model = Autoencoder(64, 2)
    with pytest.raises(TypeError, match="`x`"):
        model([[0.0] * 64])
    with pytest.raises(ValueError, match="`x`"):
        model(torch.rand(3, 1, 8, 8))
    with pytest.raises(ValueError, match="`x`"):
        model.encode(torch.rand(3, 10))


def test_fit_autoencoder_rejects_bad_input():
    with pytest.raises(TypeError, match="`x`"):
        unsupervised.fit_autoencoder([[0.0, 1.0]], code_size=1)
    with pytest.raises(ValueError, match="`code_size`"):
        unsupervised.fit_autoencoder(torch.rand(4, 3), code_size=0)
    with pytest.raises(ValueError, match="`seed`"):
        unsupervised.fit_autoencoder(torch.rand(4, 3), seed=-2)
    with pytest.raises(ValueError, match="`epochs`"):
        unsupervised.fit_autoencoder(torch.rand(4, 3), epochs=0)
