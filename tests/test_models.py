"""Tests de lib.models : formes de sortie, noms des couches, calcul de référence, erreurs."""

import pytest
import torch
import torch.nn.functional as F

from lib import set_seed
from lib.data import digits, shapes
from lib.models import MLP, SmallCNN, init_parameters, layer
from lib.training import accuracy, train

CNN_LAYERS = ["features.conv1", "features.relu1", "features.pool1", "features.conv2",
              "features.relu2", "features.pool2", "features.conv3", "features.relu3",
              "classifier.pool", "classifier.flatten", "classifier.fc"]


@pytest.mark.parametrize(("size", "in_channels", "n_classes"), [(32, 1, 4), (8, 1, 10), (20, 3, 2)])
def test_small_cnn_output_shape(size, in_channels, n_classes):
    model = SmallCNN(n_classes, in_channels=in_channels, width=4)
    out = model(torch.rand(5, in_channels, size, size))
    assert out.shape == (5, n_classes)


def test_small_cnn_layer_names_and_last_conv_resolution():
    model = SmallCNN(4, width=6)
    names = [name for name, _ in model.named_modules() if name.count(".") == 1]
    assert names == CNN_LAYERS
    seen = {}
    handle = layer(model, "features.relu3").register_forward_hook(
        lambda module, inputs, output: seen.setdefault("out", output))
    model(torch.rand(2, 1, 32, 32))
    handle.remove()
    assert seen["out"].shape == (2, 12, 8, 8)  # 2·width cartes, encore 8×8


def test_small_cnn_matches_a_functional_reference():
    model = SmallCNN(3, width=2).double()
    x = torch.rand(4, 1, 12, 12, dtype=torch.float64)
    p = dict(model.named_parameters())
    h = F.max_pool2d(F.relu(F.conv2d(x, p["features.conv1.weight"], p["features.conv1.bias"],
                                     padding=1)), 2)
    h = F.max_pool2d(F.relu(F.conv2d(h, p["features.conv2.weight"], p["features.conv2.bias"],
                                     padding=1)), 2)
    h = F.relu(F.conv2d(h, p["features.conv3.weight"], p["features.conv3.bias"], padding=1))
    # Entrée 12×12 → cartes 3×3 ; le max-pooling adaptatif 2×2 prend le maximum sur les
    # fenêtres chevauchantes lignes/colonnes [0:2] et [1:3].
    h = torch.stack([h[..., i:i + 2, j:j + 2].amax((-2, -1)) for i in (0, 1) for j in (0, 1)], -1)
    expected = F.linear(h.flatten(1), p["classifier.fc.weight"], p["classifier.fc.bias"])
    torch.testing.assert_close(model(x), expected)


def test_mlp_by_hand():
    model = MLP([2, 2, 1], activation="relu")
    with torch.no_grad():
        model.layers.fc1.weight.copy_(torch.tensor([[1.0, -1.0], [2.0, 1.0]]))
        model.layers.fc1.bias.copy_(torch.tensor([0.0, -1.0]))
        model.layers.fc2.weight.copy_(torch.tensor([[3.0, -2.0]]))
        model.layers.fc2.bias.copy_(torch.tensor([0.5]))
    x = torch.tensor([[1.0, 2.0], [2.0, 1.0]])
    # (1,2) : cachée relu(-1)=0, relu(3)=3 → 3·0 − 2·3 + 0,5 = −5,5
    # (2,1) : cachée relu(1)=1, relu(4)=4 → 3·1 − 2·4 + 0,5 = −4,5
    torch.testing.assert_close(model(x), torch.tensor([[-5.5], [-4.5]], dtype=torch.float64))


def test_mlp_names_flattening_and_activations():
    model = MLP((64, 16, 8, 10), activation="tanh")
    names = [n for n, _ in model.named_modules() if n.startswith("layers.")]
    assert names == ["layers.flatten", "layers.fc1", "layers.act1", "layers.fc2", "layers.act2",
                     "layers.fc3"]
    assert isinstance(model.layers.act1, torch.nn.Tanh)
    assert model(torch.rand(3, 1, 8, 8)).shape == (3, 10)
    assert model(torch.rand(3, 64)).shape == (3, 10)


def test_training_is_deterministic_and_learns():
    x, y, _ = shapes(96, seed=3)
    weights = []
    for _ in range(2):
        set_seed(1)
        model = SmallCNN(4, width=4)
        train(model, x, y, epochs=1, lr=0.005, batch_size=32, seed=2)
        weights.append(torch.cat([p.flatten() for p in model.parameters()]))
    torch.testing.assert_close(weights[0], weights[1], rtol=0, atol=0)
    data = digits(images=False)
    model = MLP([64, 32, 10])
    train(model, data.x_train, data.y_train, epochs=5, lr=0.01)
    assert accuracy(model, data.x_test, data.y_test) > 0.85


@pytest.mark.parametrize(("make", "error", "name"), [
    (lambda: SmallCNN(1), ValueError, "n_classes"),
    (lambda: SmallCNN(2.0), TypeError, "n_classes"),
    (lambda: SmallCNN(2, in_channels=0), ValueError, "in_channels"),
    (lambda: SmallCNN(2, width=0), ValueError, "width"),
    (lambda: SmallCNN(2)(torch.rand(2, 3, 8, 8)), ValueError, "x"),
    (lambda: SmallCNN(2)(torch.rand(2, 8, 8)), ValueError, "x"),
    (lambda: SmallCNN(2)(torch.rand(2, 1, 3, 3)), ValueError, "x"),
    (lambda: SmallCNN(2)([[0.0]]), TypeError, "x"),
    (lambda: MLP(64), TypeError, "sizes"),
    (lambda: MLP([64]), ValueError, "sizes"),
    (lambda: MLP([64, 0, 10]), ValueError, "sizes"),
    (lambda: MLP([64, 10], activation="softplus"), ValueError, "activation"),
    (lambda: MLP([64, 10])(torch.rand(2, 63)), ValueError, "x"),
    (lambda: layer(SmallCNN(2), "features.conv9"), ValueError, "name"),
    (lambda: layer(SmallCNN(2), ""), ValueError, "name"),
    (lambda: layer("modèle", "features.conv1"), TypeError, "model"),
])
def test_bad_arguments(make, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        make()


def test_models_compute_in_float64_and_accept_float32_inputs():
    cases = [(SmallCNN(4), torch.rand(2, 1, 16, 16)), (MLP([64, 8, 10]), torch.rand(2, 64))]
    for model, x in cases:
        assert all(p.dtype == torch.float64 for p in model.parameters())
        out = model(x)  # float32 converti au type des poids
        assert out.dtype == torch.float64
        torch.testing.assert_close(out, model(x.double()))
    assert SmallCNN(4, dtype=torch.float32)(torch.rand(1, 1, 8, 8)).dtype == torch.float32


def test_integer_images_are_refused_in_french():
    with pytest.raises(TypeError, match="`x` doit contenir des nombres réels"):
        SmallCNN(4)(torch.zeros(1, 1, 8, 8, dtype=torch.uint8))


def test_init_parameters_follows_pytorch_bounds_and_seed():
    model = init_parameters(torch.nn.Linear(100, 3), seed=1)
    assert model.weight.dtype == torch.float64
    assert model.weight.abs().max() <= 0.1 and model.weight.abs().max() > 0.09
    again = init_parameters(torch.nn.Linear(100, 3), seed=1)
    torch.testing.assert_close(model.weight, again.weight, rtol=0, atol=0)
    torch.manual_seed(3)
    first = SmallCNN(4).classifier.fc.weight.clone()
    torch.manual_seed(3)
    torch.testing.assert_close(SmallCNN(4).classifier.fc.weight, first, rtol=0, atol=0)
    with pytest.raises(ValueError, match="`dtype`"):
        init_parameters(torch.nn.Linear(2, 2), seed=0, dtype=torch.int64)


_TRAIN_SCRIPT = """
import hashlib, torch
from lib import set_seed
from lib.data import shapes
from lib.models import SmallCNN
from lib.training import train
set_seed(0)
x, y, _ = shapes(64, seed=0)
model = SmallCNN(4)
start = hashlib.sha256(torch.cat([p.detach().flatten() for p in model.parameters()])
                       .numpy().tobytes()).hexdigest()
train(model, x, y, epochs=2, lr=0.005, batch_size=16)
print(start, f"{float(model(x).sum()):.9e}")
"""


def test_same_weights_and_training_whatever_the_cpu_kernels():
    """Poids initiaux identiques au bit près, entraînement identique à 10 chiffres près,
    avec les noyaux vectoriels de la machine et avec les noyaux génériques."""
    import os
    import subprocess
    import sys

    outputs = []
    for extra in ({}, {"ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "SSE41"}):
        env = {**os.environ, **extra}
        run = subprocess.run([sys.executable, "-c", _TRAIN_SCRIPT], env=env, check=True,
                             capture_output=True, text=True)
        outputs.append(run.stdout.split())
    assert outputs[0] == outputs[1]
