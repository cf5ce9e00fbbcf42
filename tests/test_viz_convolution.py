"""Tests de lib.viz.convolution : chaque dessin une fois (Agg), et ses erreurs."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from lib import convolution as conv
from lib import viz
from lib.viz import convolution as vconv


def test_draw_kernel_writes_the_coefficients():
    _, ax = plt.subplots()
    assert viz.draw_kernel(ax, conv.kernel("netteté"), title="Netteté") is ax
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 9 and "5" in texts and "−1" in texts
    assert ax.get_title() == "Netteté"
    lo, hi = ax.images[0].get_clim()
    assert lo == -hi == -5


def test_draw_feature_map_chooses_signed_or_gray():
    _, (a, b) = plt.subplots(1, 2)
    viz.draw_feature_map(a, np.random.default_rng(0).random((6, 6)), title="Photo")
    viz.draw_feature_map(b, np.array([[-2.0, 1.0], [0.0, 0.5]]))
    assert a.images[0].get_cmap().name == "gray"
    assert b.images[0].get_clim() == (-2.0, 2.0)


@pytest.mark.parametrize(("name", "signed"),
                         [("flou", False), ("contours verticaux (Sobel)", True)])
def test_draw_filtering(name, signed):
    image = np.random.default_rng(1).random((16, 16))
    weights = conv.kernel(name)
    output = conv.conv2d(image, weights, padding=1)
    _, axes = plt.subplots(1, 3)
    assert viz.draw_filtering(axes, image, weights, output) is axes
    lo, hi = axes[2].images[0].get_clim()
    assert (lo < 0) == signed


@pytest.mark.parametrize(("padding", "stride", "step"), [(0, 1, 1), (1, 2, 5), (1, 1, 100)])
def test_draw_sliding_window(padding, stride, step):
    image = np.arange(25.0).reshape(5, 5) % 7
    window = conv.sliding_window(image, conv.kernel("contours (laplacien)"), step,
                                 padding=padding, stride=stride)
    _, axes = plt.subplots(1, 3)
    viz.draw_sliding_window(axes, window)
    shown = axes[2].images[0].get_array()
    assert int(np.ma.count(shown)) == window.step  # seuls les pixels déjà calculés
    assert "somme" in axes[1].get_title()
    assert len(axes[1].texts) == 9
    assert [t.get_text() for t in axes[2].texts] == [vconv._fmt(round(window.value, 2))]


def test_draw_maps_mosaic():
    _, (a, b) = plt.subplots(1, 2)
    weights = torch.randn(8, 1, 3, 3)
    viz.draw_maps(a, weights, signed=True, title="Filtres appris")
    assert a.images[0].get_array().shape == (3, 8 * 4 - 1)
    viz.draw_maps(b, np.random.default_rng(2).random((6, 5, 5)), ncols=3)
    assert b.images[0].get_array().shape == (2 * 6 - 1, 3 * 6 - 1)


@pytest.mark.parametrize(("call", "error", "name"), [
    (lambda ax, axes: viz.draw_kernel("ax", np.ones((3, 3))), TypeError, "ax"),
    (lambda ax, axes: viz.draw_kernel(ax, np.ones(3)), ValueError, "weights"),
    (lambda ax, axes: viz.draw_feature_map(ax, np.ones((2, 2, 2))), ValueError, "image"),
    (lambda ax, axes: viz.draw_feature_map(ax, np.ones((2, 2)), signed=True, vmax=0),
     ValueError, "vmax"),
    (lambda ax, axes: viz.draw_filtering(axes[:2], np.ones((4, 4)), np.ones((3, 3)),
                                         np.ones((4, 4))), ValueError, "axes"),
    (lambda ax, axes: viz.draw_filtering(axes, np.ones((4, 4)), np.ones((3, 3)), "x"),
     TypeError, "output"),
    (lambda ax, axes: viz.draw_sliding_window(axes, np.ones((3, 3))), TypeError, "window"),
    (lambda ax, axes: viz.draw_maps(ax, np.ones((3, 3))), ValueError, "maps"),
    (lambda ax, axes: viz.draw_maps(ax, np.ones((2, 3, 3)), ncols=0), ValueError, "ncols"),
])
def test_bad_arguments(call, error, name):
    _, axes = plt.subplots(1, 3)
    with pytest.raises(error, match=f"`{name}`"):
        call(axes[0], axes)


def test_everything_is_exported():
    for name in vconv.__all__:
        assert getattr(viz, name) is getattr(vconv, name)
