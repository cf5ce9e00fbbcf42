"""Tests du registre lib.explain.METHODS : une seule forme d'appel pour toutes les méthodes.

Chaque méthode s'appelle ``method(model, x, target)`` sur le petit CNN de lib.models ; son
résultat a la forme annoncée, sa carte de chaleur est ``(N, H, W)``, positive ; les méthodes
à couche choisissent la dernière convolution, les autres refusent ``layer`` ; aucun module
de lib n'importe un nom privé d'un autre module.
"""

import ast
import dataclasses
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from lib import explain
from lib.explain import METHODS, Method
from lib.explain.hooks import last_conv_layer
from lib.explain.perturbation import Perturbation
from lib.models import SmallCNN
from tests.explain._models import assert_same_state, cnn, images, snapshot

NAMES = ["Gradient", "SmoothGrad", "Gradients intégrés", "Grad-CAM", "Grad-CAM++", "Occlusion",
         "Perturbation significative"]

#: Options qui gardent les tests rapides (la forme du résultat n'en dépend pas).
FAST = {"SmoothGrad": {"samples": 3}, "Gradients intégrés": {"steps": 4},
        "Perturbation significative": {"steps": 3}}

LIB = Path(__file__).resolve().parents[2] / "lib"


def _model() -> SmallCNN:
    return SmallCNN(4, seed=0)


def _x(n: int = 2) -> torch.Tensor:
    return images(n, size=32)


def test_registry_order_names_and_fields():
    assert list(METHODS) == NAMES
    functions = [explain.gradient, explain.smoothgrad, explain.integrated_gradients,
                 explain.grad_cam, explain.grad_cam_pp, explain.occlusion,
                 explain.meaningful_perturbation]
    for (name, method), function in zip(METHODS.items(), functions, strict=True):
        assert isinstance(method, Method) and method.name == name
        assert method.function is function
        assert method.explains in ("pixels", "régions")
        assert method.result and method.result[0].islower()
    assert [m.uses_layer for m in METHODS.values()] == [False] * 3 + [True] * 2 + [False] * 2
    assert [n for n, m in METHODS.items() if not m.needs_gradients] == ["Occlusion"]
    assert [n for n, m in METHODS.items() if m.explains == "pixels"] == NAMES[:3]
    with pytest.raises(dataclasses.FrozenInstanceError):
        METHODS["Gradient"].name = "autre"


@pytest.mark.parametrize("name", NAMES)
def test_every_method_is_called_the_same_way_and_gives_the_documented_shape(name):
    model, x, target = _model(), _x(), torch.tensor([0, 3])
    method = METHODS[name]
    before = snapshot(model)
    result = method(model, x, target, **FAST.get(name, {}))
    assert_same_state(before, model)
    if method.explains == "pixels":  # la forme de x
        assert result.shape == x.shape
    elif method.uses_layer:  # la résolution de la dernière convolution : 32 / 4
        assert result.shape == (2, 1, 8, 8)
    elif name == "Occlusion":  # une valeur par position du carré 8×8 de pas 4
        assert result.shape == (2, 1, 7, 7)
    else:
        assert isinstance(result, Perturbation) and result.mask.shape == (2, 1, 32, 32)
    heat = method.heatmap(model, x, target, **FAST.get(name, {}))
    assert heat.shape == (2, 32, 32) and heat.dtype == torch.float64
    assert bool((heat >= 0).all()) and bool(torch.isfinite(heat).all())
    assert not heat.requires_grad and heat.device.type == "cpu"


def test_heatmaps_are_what_chapter_8_computed_by_hand():
    model, x, target = _model(), _x(3), [1, 2, 0]
    for name in NAMES[:3]:
        by_hand = METHODS[name].function(model, x, target).abs()[:, 0]
        torch.testing.assert_close(METHODS[name].heatmap(model, x, target), by_hand,
                                   rtol=0, atol=0)
    for name in ("Grad-CAM", "Grad-CAM++"):
        raw = METHODS[name](model, x, target, layer="features.relu3")
        by_hand = explain.upsample(raw, 32)[:, 0]
        got = METHODS[name].heatmap(model, x, target, layer="features.relu3")
        torch.testing.assert_close(got, by_hand, rtol=0, atol=0)


def test_gradient_heatmap_takes_the_largest_channel():
    model, x = cnn(channels=3), images(2, channels=3)
    grad = explain.gradient(model, x, 1)
    torch.testing.assert_close(METHODS["Gradient"].heatmap(model, x, 1),
                               grad.abs().amax(dim=1), rtol=0, atol=0)


def test_occlusion_heatmap_averages_the_squares_that_hide_each_pixel():
    model, x = _model(), _x(1)
    drops = explain.occlusion(model, x, 2, size=8, stride=8)  # carrés disjoints : 4×4
    heat = METHODS["Occlusion"].heatmap(model, x, 2, size=8, stride=8)
    expected = drops.repeat_interleave(8, 2).repeat_interleave(8, 3)[:, 0].clamp(min=0)
    torch.testing.assert_close(heat, expected, rtol=0, atol=0)
    # carrés qui se chevauchent, pas qui ne tombe pas juste : pixels du bord jamais cachés
    drops = explain.occlusion(model, x, 2, size=6, stride=5)  # positions 0, 5, …, 25
    heat = METHODS["Occlusion"].heatmap(model, x, 2, size=6, stride=5)
    assert heat.shape == (1, 32, 32)
    assert float(heat[0, 31].abs().max()) == 0.0 and float(heat[0, :, 31].abs().max()) == 0.0
    mean = (drops[0, 0, 0, 0] + drops[0, 0, 1, 0]) / 2  # pixel (5, 0) : carrés (0, 0), (1, 0)
    assert float(heat[0, 5, 0]) == pytest.approx(max(float(mean), 0.0))


def test_perturbation_heatmap_is_the_deleted_part():
    model, x = _model(), _x(1)
    options = {"steps": 3}
    mask = explain.meaningful_perturbation(model, x, 1, **options).mask
    torch.testing.assert_close(METHODS["Perturbation significative"].heatmap(
        model, x, 1, **options), 1 - mask[:, 0], rtol=0, atol=0)
    kept = METHODS["Perturbation significative"].heatmap(model, x, 1, game="preservation",
                                                         **options)
    mask = explain.meaningful_perturbation(model, x, 1, game="preservation", **options).mask
    torch.testing.assert_close(kept, mask[:, 0], rtol=0, atol=0)


@pytest.mark.parametrize("name", ["Grad-CAM", "Grad-CAM++"])
def test_default_layer_is_the_last_conv2d(name):
    model, x, target = _model(), _x(), [1, 3]
    assert last_conv_layer(model) == "features.conv3"
    assert last_conv_layer(cnn()) == "3"
    default = METHODS[name](model, x, target)
    explicit = METHODS[name](model, x, target, layer="features.conv3")
    torch.testing.assert_close(default, explicit, rtol=0, atol=0)
    module = METHODS[name](model, x, target, layer=model.features.conv3)
    torch.testing.assert_close(default, module, rtol=0, atol=0)
    after_relu = METHODS[name](model, x, target, layer="features.relu3")  # chapitre 8
    assert not torch.equal(default, after_relu)  # la convolution, avant sa ReLU


def test_a_model_without_convolution_has_no_default_layer():
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(16, 3)).double()
    with pytest.raises(ValueError, match=r"`layer` doit être donné.*aucune couche de "
                                         r"convolution \(nn\.Conv2d\)"):
        METHODS["Grad-CAM"](mlp, images(1, size=4), 0)
    with pytest.raises(ValueError, match="`layer`"):
        last_conv_layer(mlp)


@pytest.mark.parametrize("name", [n for n in NAMES if not METHODS[n].uses_layer])
def test_methods_without_a_layer_refuse_one_in_french(name):
    model, x = _model(), _x(1)
    before = snapshot(model)
    with pytest.raises(ValueError, match=r"`layer` doit être None pour \w+, qui attribue "
                                         r"l'importance aux entrées"):
        METHODS[name](model, x, 0, layer="features.conv3")
    with pytest.raises(ValueError, match="`layer` doit être None"):
        METHODS[name].heatmap(model, x, 0, layer="features.conv3")
    assert_same_state(before, model)


def test_method_checks_its_fields_in_french():
    with pytest.raises(TypeError, match="`function` doit être une fonction"):
        Method("X", "gradient", "pixels", True, False, "une carte")
    with pytest.raises(ValueError, match="`explains` doit être l'une des valeurs"):
        Method("X", explain.gradient, "interactions", True, False, "une carte")
    with pytest.raises(TypeError, match="`uses_layer` doit être True ou False"):
        Method("X", explain.gradient, "pixels", True, "non", "une carte")
    with pytest.raises(TypeError, match="`name` doit être un texte non vide"):
        Method("", explain.gradient, "pixels", True, False, "une carte")


def test_a_new_method_is_added_in_one_place():
    def doubled(model, x, target, *, factor: float = 2.0):
        return factor * explain.gradient(model, x, target)

    method = Method("Gradient doublé", doubled, "pixels", needs_gradients=True,
                    uses_layer=False, result="le double du gradient, de la forme de x")
    model, x = _model(), _x(1)
    torch.testing.assert_close(method.heatmap(model, x, 0, factor=3.0),
                               3 * METHODS["Gradient"].heatmap(model, x, 0))
    pooled = Method("Grad-CAM réduit", explain.grad_cam, "régions", True, True, "une carte",
                    to_heatmap=lambda r, x, options: F.interpolate(r, size=x.shape[-2:])[:, 0])
    assert pooled.heatmap(model, x, 0).shape == (1, 32, 32)


def _imports(path: Path):
    """Les ``from lib.… import nom`` d'un fichier : (module, nom, ligne)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and (
                node.module == "lib" or node.module.startswith("lib.")):
            for alias in node.names:
                yield node.module, alias.name, node.lineno


def _is_module(module: str, name: str) -> bool:
    """Vrai si ``from module import name`` importe un module (un fichier ou un paquet)."""
    folder = LIB.parent.joinpath(*module.split("."))
    return (folder / f"{name}.py").exists() or (folder / name / "__init__.py").exists()


def test_no_module_of_lib_imports_a_private_name_of_another():
    """``from lib.x import _y`` est interdit ; un module privé du paquet (``lib._validation``,
    ``lib.viz._style``), partagé à dessein par ses modules, s'importe comme module."""
    offenders = [f"{path.relative_to(LIB.parent)}:{line} : from {module} import {name}"
                 for path in sorted(LIB.rglob("*.py"))
                 for module, name, line in _imports(path)
                 if name.startswith("_") and not _is_module(module, name)]
    assert not offenders, "imports de noms privés :\n" + "\n".join(offenders)


def test_the_import_check_sees_private_names(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text("from lib.explain.saliency import _batched_gradient\n"
                    "from lib import _validation as check\n", encoding="utf-8")
    assert list(_imports(path)) == [("lib.explain.saliency", "_batched_gradient", 1),
                                    ("lib", "_validation", 2)]
    assert not _is_module("lib.explain.saliency", "_batched_gradient")
    assert _is_module("lib", "_validation") and _is_module("lib", "explain")


def test_occlusion_module_no_longer_hides_behind_the_function():
    import lib.explain.occlusions as module

    assert explain.occlusion is module.occlusion
    assert explain.class_probability is module.class_probability
    assert explain.influence.__name__ == "lib.explain.influence"
