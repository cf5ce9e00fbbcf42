"""Tests de lib.viz.explain : chaque dessin appelé une fois (Agg) et ses erreurs d'entrée."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from lib import viz
from lib.explain import grad_cam, gradient
from lib.viz._style import memory
from tests.explain._models import cnn, images


def _colorbar_label(ax) -> str:
    return memory(ax).colorbar.ax.get_ylabel()


def test_draw_attribution_signed_map_is_centred_on_zero():
    model, x = cnn(size=16), images(1, size=16)
    fig, ax = plt.subplots()
    out = viz.draw_attribution(ax, x[0], gradient(model, x, 1)[0], title="Gradient")
    assert out is ax and ax.get_title() == "Gradient"
    overlay = ax.get_images()[-1]
    low, high = overlay.get_clim()
    assert low == -high and overlay.get_cmap().name == viz.CMAP_SIGNED
    assert _colorbar_label(ax) == "attribution (signée)"


def test_draw_attribution_stretches_a_low_resolution_positive_map():
    model, x = cnn(size=16), images(1, size=16)
    cam = grad_cam(model, x, 0, layer="3")  # 8×8 sur une image 16×16
    fig, ax = plt.subplots()
    viz.draw_attribution(ax, x, cam, title="Grad-CAM", alpha=0.4, label="importance Grad-CAM")
    gray, overlay = ax.get_images()
    assert overlay.get_extent() == gray.get_extent() == [-0.5, 15.5, 15.5, -0.5]
    assert overlay.get_cmap().name == viz.CMAP_HEAT and overlay.get_alpha() == 0.4
    assert _colorbar_label(ax) == "importance Grad-CAM"
    viz.draw_attribution(ax, np.zeros((16, 16)), np.zeros((8, 8)))  # carte nulle : pas d'erreur


def test_draw_attribution_row_draws_the_image_then_each_method():
    model, x = cnn(size=16), images(1, size=16)
    maps = {"Gradient": gradient(model, x, 0)[0], "Grad-CAM": grad_cam(model, x, 0, layer="3")}
    fig, axes = plt.subplots(1, 3, figsize=(9, 3))
    assert viz.draw_attribution_row(axes, x[0], maps) is axes
    assert [ax.get_title() for ax in axes] == ["Image", "Gradient", "Grad-CAM"]


def _overlays(axes):
    return [ax.get_images()[-1] for ax in axes[1:]]


def test_draw_attribution_row_relative_scale_divides_each_map_by_its_maximum():
    """Des méthodes d'unités différentes (×800 et ×0,1) : chaque carte va jusqu'à 1."""
    rng = np.random.default_rng(0)
    maps = {"A": rng.random((16, 16)) * 800, "B": rng.random((4, 4)) * 0.1,
            "nulle": np.zeros((4, 4))}
    fig, axes = plt.subplots(1, 4, figsize=(12, 3), layout="constrained")
    viz.draw_attribution_row(axes, rng.random((16, 16)), maps)
    overlays = _overlays(axes)
    for overlay, (title, value) in zip(overlays, maps.items(), strict=True):
        data = np.asarray(overlay.get_array())
        top = np.abs(value).max()
        np.testing.assert_allclose(data, value / top if top else value)
        assert overlay.get_clim() == (0.0, 1.0), title
    bars = [a for a in fig.axes if a not in list(axes)]
    assert len(bars) == 1 and bars[0].get_ylabel() == "importance relative (max = 1)"
    assert all(memory(ax).colorbar is None for ax in axes)  # pas de barre par carte


def test_draw_attribution_row_shared_scale_keeps_values_comparable():
    """Une même méthode pour deux classes : la carte 10 fois plus faible reste plus pâle."""
    rng = np.random.default_rng(1)
    strong = rng.normal(size=(16, 16))
    maps = {"classe 0": strong, "classe 1": strong / 10}
    fig, axes = plt.subplots(1, 3, figsize=(9, 3), layout="constrained")
    viz.draw_attribution_row(axes, rng.random((16, 16)), maps, scale="shared")
    top = np.abs(strong).max()
    for overlay, value in zip(_overlays(axes), maps.values(), strict=True):
        np.testing.assert_allclose(np.asarray(overlay.get_array()), value)
        assert overlay.get_clim() == (-top, top)
        assert overlay.get_cmap().name == viz.CMAP_SIGNED
    bars = [a for a in fig.axes if a not in list(axes)]
    assert len(bars) == 1 and bars[0].get_ylabel() == "attribution (signée)"


def test_draw_attribution_row_own_scale_gives_each_map_its_bar():
    rng = np.random.default_rng(2)
    maps = {"A": rng.random((16, 16)) * 5, "B": rng.random((16, 16))}
    fig, axes = plt.subplots(1, 3, figsize=(9, 3), layout="constrained")
    viz.draw_attribution_row(axes, rng.random((16, 16)), maps, scale="own")
    for overlay, value in zip(_overlays(axes), maps.values(), strict=True):
        assert overlay.get_clim() == (0.0, np.abs(value).max())
    assert all(memory(ax).colorbar is not None for ax in axes[1:])


def test_drawing_bad_inputs():
    fig, ax = plt.subplots()
    image, cam = torch.rand(1, 8, 8), torch.rand(1, 1, 4, 4)
    with pytest.raises(TypeError, match="`ax`"):
        viz.draw_attribution("axes", image, cam)
    with pytest.raises(ValueError, match="`map` doit avoir la forme"):
        viz.draw_attribution(ax, image, torch.rand(2, 1, 4, 4))
    with pytest.raises(ValueError, match="`image` doit avoir la forme"):
        viz.draw_attribution(ax, torch.rand(8), cam)
    with pytest.raises(TypeError, match="`map`"):
        viz.draw_attribution(ax, image, "carte")
    with pytest.raises(ValueError, match="`map` contient des valeurs infinies"):
        viz.draw_attribution(ax, image, torch.full((4, 4), float("nan")))
    with pytest.raises(ValueError, match="`alpha`"):
        viz.draw_attribution(ax, image, cam, alpha=1.5)
    with pytest.raises(TypeError, match="`title`"):
        viz.draw_attribution(ax, image, cam, title=3)
    fig, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="`axes` doit contenir 3 axes"):
        viz.draw_attribution_row(axes, image, {"a": cam, "b": cam})
    with pytest.raises(TypeError, match="`maps`"):
        viz.draw_attribution_row(axes, image, [cam])
    with pytest.raises(ValueError, match="`scale` doit valoir « relative », « shared » ou « own »"):
        viz.draw_attribution_row(axes, image, {"a": cam}, scale="relatif")
    with pytest.raises(ValueError, match="`top`"):
        viz.draw_attribution(ax, image, cam, top=0)
    with pytest.raises(TypeError, match="`bar`"):
        viz.draw_attribution(ax, image, cam, bar="non")
