"""Tests des dessins du chapitre 1 (backend Agg) : chaque fonction appelée, erreurs d'appel."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lib import data, neuron, viz


@pytest.fixture
def view():
    x, target = data.points_2d("et", n=20, seed=0)
    return neuron.inspect(x, target, [1.0, 1.0], -1.5, "sigmoid", index=2, size=20)


def test_draw_decision_draws_map_boundary_and_points(view):
    fig, ax = plt.subplots()
    out = viz.draw_decision(ax, view.map, view.x, view.target, highlight=view.index)
    assert out is ax
    assert len(ax.images) == 1 and ax.images[0].get_array().shape == (20, 20)
    assert ax.images[0].get_clim() == (0.0, 1.0)  # sigmoïde : plage fixe
    line = ax.lines[0]
    np.testing.assert_allclose(np.c_[line.get_xdata(), line.get_ydata()], view.map.boundary)
    boundary, *points, ring = ax.lines  # frontière, deux classes, point entouré
    assert sum(len(p.get_xdata()) for p in points) == len(view.x)
    np.testing.assert_allclose(np.c_[ring.get_xdata(), ring.get_ydata()], view.x[[view.index]])
    assert ax.get_xlabel() == "entrée x₁" and "sigmoïde" in ax.get_title()
    assert ax.get_legend() is not None
    fig.canvas.draw()


def test_draw_decision_without_points_nor_boundary():
    fig, ax = plt.subplots()
    result = neuron.decision_map([0.0, 0.0], 1.0, "relu", size=4)
    viz.draw_decision(ax, result, legend=False)
    assert not ax.lines and not ax.collections and ax.get_legend() is None
    fig.canvas.draw()


def test_draw_steps_writes_the_three_steps():
    fig, ax = plt.subplots()
    steps = neuron.steps([0.5, -0.25], [2.0, 1.0], -1.5, "relu")
    assert viz.draw_steps(ax, steps, footer="fin") is ax
    assert ax.texts[0].get_text().splitlines() == [
        "1. s = 2×0,50 + 1×(−0,25) = 0,75",
        "2. z = 0,75 + (−1,5) = −0,75",
        "3. sortie = f(z) = 0,00",
        "",
        "fin",
    ]
    assert ax.get_title(loc="left") == "Les trois étapes"
    fig.canvas.draw()


def test_draw_inspection_uses_two_axes(view):
    fig, axes = plt.subplots(1, 2)
    assert viz.draw_inspection(axes, view) is not None
    assert len(axes[0].images) == 1
    ok = round(view.accuracy * len(view.x))
    assert axes[1].texts[0].get_text().endswith(f"bien classés : {ok} / {len(view.x)}")
    assert axes[1].get_title(loc="left") == f"Point n° 2, classe {view.target[2]}"
    fig.canvas.draw()


def test_bad_inputs(view):
    fig, axes = plt.subplots(1, 2)
    with pytest.raises(TypeError, match="`ax`"):
        viz.draw_decision("ax", view.map)
    with pytest.raises(TypeError, match="`result`"):
        viz.draw_decision(axes[0], view.steps)
    with pytest.raises(TypeError, match="`result`"):
        viz.draw_steps(axes[0], view.map)
    with pytest.raises(TypeError, match="`ax`"):
        viz.draw_steps(None, view.steps)
    with pytest.raises(TypeError, match="`result`"):
        viz.draw_inspection(axes, view.map)
    with pytest.raises(ValueError, match="`axes`"):
        viz.draw_inspection(axes[0], view)


def test_color_scale_follows_the_activation():
    fig, ax = plt.subplots()
    first = viz.draw_decision(ax, neuron.decision_map([1.0, 1.0], -1.0, "sigmoid", size=5))
    norm = ax.images[0].norm
    ax.images[0].remove()
    viz.draw_decision(ax, neuron.decision_map([2.0, 0.0], 0.0, "heaviside", size=5))
    assert ax.images[0].norm is norm  # même plage [0, 1] : même normalisation
    ax.images[0].remove()
    relu = neuron.decision_map([1.0, 1.0], 0.0, "relu", size=5)
    viz.draw_decision(first, relu)
    assert ax.images[0].get_clim() == (relu.output.min(), relu.output.max())
    assert len(fig.axes) == 2  # une seule barre de couleur, réutilisée
