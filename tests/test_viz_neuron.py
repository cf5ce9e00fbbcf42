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
    (line,) = ax.lines
    np.testing.assert_allclose(np.c_[line.get_xdata(), line.get_ydata()], view.map.boundary)
    offsets = np.concatenate([c.get_offsets() for c in ax.collections[:2]])
    assert len(offsets) == len(view.x)
    assert len(ax.collections) == 3  # deux classes + le point entouré
    assert ax.get_xlabel() == "entrée x₁" and "sigmoïde" in ax.get_title()
    assert ax.get_legend() is not None
    fig.canvas.draw()


def test_draw_decision_without_points_nor_boundary():
    fig, ax = plt.subplots()
    result = neuron.decision_map([0.0, 0.0], 1.0, "relu", size=4)
    viz.draw_decision(ax, result, legend=False)
    assert not ax.lines and not ax.collections and ax.get_legend() is None
    fig.canvas.draw()


def test_draw_steps_writes_the_three_steps(view):
    fig, ax = plt.subplots()
    assert viz.draw_steps(ax, view.steps) is ax
    text = ax.texts[0].get_text()
    for part in ("somme pondérée", "biais", "activation", f"{view.steps.pre_activation:.3f}",
                 f"{view.steps.output:.3f}"):
        assert part in text
    fig.canvas.draw()


def test_draw_inspection_uses_two_axes(view):
    fig, axes = plt.subplots(1, 2)
    assert viz.draw_inspection(axes, view) is not None
    assert len(axes[0].images) == 1
    assert any("bien classés" in t.get_text() for t in axes[1].texts)
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
