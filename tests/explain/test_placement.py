"""Tests de lib.explain.hooks.to_model : données converties au type et à l'appareil du modèle.

Sans GPU, deux substituts : un modèle float64 reçoit des images float32 (le résultat doit
être celui des mêmes images en float64), et un modèle sur l'appareil ``meta`` enregistre
l'appareil et le type de ce que reçoit son passage avant (puis s'arrête : un tenseur
``meta`` n'a pas de valeurs).
"""

import pytest
import torch
from torch import nn

from lib.explain import (
    completeness_error,
    grad_cam,
    grad_cam_pp,
    gradient,
    integrated_gradients,
    smoothgrad,
)
from lib.explain.hooks import model_placement, to_model
from lib.explain.occlusions import class_probability, occlusion
from tests.explain._models import assert_same_state, cnn, images, snapshot

pytestmark = pytest.mark.filterwarnings("ignore:Input Tensor 0 did not already require")

#: Chaque fonction qui fait tourner le modèle, appelée comme un chapitre l'appellerait.
CALLS = {
    "gradient": lambda m, x: gradient(m, x, [0, 2, 1]),
    "smoothgrad": lambda m, x: smoothgrad(m, x, 1, samples=4),
    "integrated_gradients": lambda m, x: integrated_gradients(m, x, 2, steps=5),
    "grad_cam": lambda m, x: grad_cam(m, x, [0, 2, 1], layer="3"),
    "grad_cam_pp": lambda m, x: grad_cam_pp(m, x, 1, layer="3"),
    "class_probability": lambda m, x: class_probability(m, x, [0, 2, 1]),
    "occlusion": lambda m, x: occlusion(m, x, 1, size=4, stride=2),
    "completeness_error": lambda m, x: completeness_error(
        m, x, 1, torch.ones(x.shape, dtype=torch.float64)),
}


@pytest.mark.parametrize("name", CALLS)
def test_float32_images_on_a_float64_model_give_the_float64_result(name):
    model, x = cnn(), images().float()
    before, x_before = snapshot(model), x.clone()
    got = CALLS[name](model, x)
    expected = CALLS[name](model, x.double())
    torch.testing.assert_close(got, expected, rtol=0, atol=0)
    assert got.dtype == torch.float64 and got.device.type == "cpu" and not got.requires_grad
    assert x.dtype == torch.float32 and torch.equal(x, x_before)  # x n'est pas modifié
    assert_same_state(before, model)


@pytest.mark.parametrize("name", CALLS)
def test_float64_images_on_a_float32_model_give_the_float32_result(name):
    model, x = cnn().float(), images()
    got = CALLS[name](model, x)
    torch.testing.assert_close(got, CALLS[name](model, x.float()), rtol=0, atol=0)
    assert got.device.type == "cpu"
    assert all(p.dtype == torch.float32 for p in model.parameters())  # modèle non converti


class Stop(Exception):
    """Levée par :class:`Recorder` une fois l'entrée enregistrée."""


class Recorder(nn.Module):
    """Modèle dont le paramètre est sur ``device`` ; il note l'appareil et le type reçus."""

    def __init__(self, device="meta", dtype=torch.float64):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(3, device=device, dtype=dtype))
        self.seen = []

    def forward(self, x):
        self.seen.append((x.device, x.dtype))
        raise Stop


@pytest.mark.parametrize("name", CALLS)
def test_images_are_moved_to_the_device_of_the_model(name):
    model, x = Recorder(), images().float()
    model.train()
    call = CALLS[name]
    if name.startswith("grad_cam"):  # la couche observée : le modèle entier
        call = {"grad_cam": grad_cam, "grad_cam_pp": grad_cam_pp}[name]
        call = (lambda method: lambda m, x: method(m, x, 0, layer=""))(call)
    with pytest.raises(Stop):
        call(model, x)
    assert model.seen == [(model.weight.device, torch.float64)]
    assert model.weight.device.type == "meta"  # le modèle n'a pas bougé
    assert model.training and model.weight.requires_grad and model.weight.grad is None
    assert x.device.type == "cpu" and x.dtype == torch.float32


def test_to_model_converts_a_copy_and_never_the_input():
    model = nn.Linear(3, 2).double()
    x = torch.tensor([[1.0, 2.0, 3.0]])
    got = to_model(model, x)
    assert got.dtype == torch.float64 and got.device == model.weight.device
    same = to_model(model, got)
    assert same.data_ptr() != got.data_ptr()  # une copie même quand rien ne change
    same.zero_()
    assert x.dtype == torch.float32 and float(got.sum()) == 6.0
    leaf = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
    assert not to_model(model, leaf).requires_grad
    labels = to_model(model, torch.tensor([0, 1]), name="y", real=False)
    assert labels.dtype == torch.int64  # des numéros de classe ne deviennent pas des réels
    assert to_model(nn.ReLU(), x).dtype == torch.float32  # modèle sans paramètre
    assert model_placement(nn.ReLU()) == (None, None)
    assert model_placement(nn.BatchNorm1d(2).double()) == (torch.float64, torch.device("cpu"))


def test_to_model_refuses_integer_images_in_french():
    model = nn.Linear(3, 2).double()
    with pytest.raises(TypeError, match=r"`x` doit contenir des nombres réels ; reçu : type "
                                        r"torch.uint8 \(convertissez avec x.to\(torch.float64"):
        to_model(model, torch.zeros(1, 3, dtype=torch.uint8))
    with pytest.raises(TypeError, match="`x_val` doit contenir des nombres réels"):
        to_model(model, torch.zeros(1, 3, dtype=torch.int64), name="x_val")
    with pytest.raises(TypeError, match="`x` doit être un torch.Tensor"):
        to_model(model, [[1.0, 2.0, 3.0]])
    with pytest.raises(TypeError, match="`model`"):
        to_model("modèle", torch.zeros(1, 3))


@pytest.mark.parametrize("name", CALLS)
def test_integer_images_raise_a_french_error_naming_x(name):
    with pytest.raises(TypeError, match="`x` doit contenir des nombres réels"):
        CALLS[name](cnn(), (images() * 255).to(torch.uint8))


@pytest.mark.parametrize("name", ["grad_cam", "class_probability", "occlusion",
                                  "completeness_error"])
def test_a_model_computing_in_place_does_not_modify_the_input(name):
    model = nn.Sequential(nn.ReLU(inplace=True), *cnn())  # écrirait dans x reçu tel quel
    x = images() - 0.5
    before = x.clone()
    call = (lambda m, x: grad_cam(m, x, 0, layer="4")) if name == "grad_cam" else CALLS[name]
    call(model, x)
    torch.testing.assert_close(x, before, rtol=0, atol=0)
