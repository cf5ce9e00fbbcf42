"""Tests des dessins de lib.viz.network (backend Agg) : chaque fonction appelée, chaque erreur."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection

from lib import data, viz
from lib import network as nw


@pytest.fixture
def net():
    return nw.Network([[[2.0, -1.0, 0.5], [1.0, 0.0, -3.0]], [[1.0], [-2.0], [0.1]]],
                      [np.zeros(3), np.zeros(1)])


def test_draw_network_edges_show_sign_and_amplitude(net):
    fig, ax = plt.subplots()
    assert viz.draw_network(ax, net, title="Réseau") is ax
    lines = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(lines) == 1
    values = lines[0].get_array()
    assert len(values) == 2 * 3 + 3 * 1
    widths = lines[0].get_linewidths()
    assert widths[int(np.argmax(np.abs(values)))] == max(widths)  # |−3| : l'arête la plus épaisse
    norm = lines[0].norm
    assert norm.vmin == -norm.vmax == -3.0  # couleurs centrées sur 0
    assert ax.get_title() == "Réseau"
    assert {"entrée", "couche cachée", "sortie"} <= {t.get_text() for t in ax.texts}
    fig.canvas.draw()


def test_draw_network_with_values_and_greyed_layers(net):
    fig, ax = plt.subplots()
    values = [None, np.array([0.5, -0.2, 0.1]), np.array([0.9])]
    viz.draw_network(ax, net, values=values, edges=[None, np.ones((3, 1))], annotate=True,
                     edge_label="gradient")
    texts = {t.get_text() for t in ax.texts}
    assert {"0,50", "−0,20", "0,90"} <= texts
    assert len([c for c in ax.collections if isinstance(c, LineCollection)]) == 2
    fig.canvas.draw()


def test_draw_network_names_deep_layers():
    fig, ax = plt.subplots()
    viz.draw_network(ax, nw.init_network([3, 4, 4, 2], output="softmax"))
    assert {"cachée 1", "cachée 2"} <= {t.get_text() for t in ax.texts}


def test_draw_network_rejects_bad_arguments(net):
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match="ax"):
        viz.draw_network("axes", net)
    with pytest.raises(TypeError, match="net"):
        viz.draw_network(ax, "réseau")
    with pytest.raises(ValueError, match="edges"):
        viz.draw_network(ax, net, edges=[np.ones((2, 3))])
    with pytest.raises(ValueError, match=r"values\[1\]"):
        viz.draw_network(ax, net, values=[None, np.ones(2), None])


def test_draw_network_map_with_points():
    x, target = data.points_2d("ou exclusif", n=20)
    net = nw.init_network([2, 3, 1], seed=1)
    fig, ax = plt.subplots()
    assert viz.draw_network_map(ax, nw.decision_map(net, size=20), x, target) is ax
    assert len(ax.images) == 1 and ax.images[0].get_clim() == (0.0, 1.0)
    drawn = sum(line is not None for line in nw.decision_map(net, size=20).lines)
    assert drawn >= 1
    assert len(ax.lines) == drawn + 2  # les droites cachées, puis une courbe par classe
    assert [line.get_label() for line in ax.lines[-2:]] == ["classe 0", "classe 1"]
    assert len(ax.lines[-1].get_xdata()) == int(np.sum(target == 1))
    assert ax.get_xlabel() == "entrée x₁"
    fig.canvas.draw()


def test_draw_network_map_regression_without_lines():
    net = nw.Network([[[1.0], [2.0]]], [[0.0]], output="identity")
    fig, ax = plt.subplots()
    viz.draw_network_map(ax, nw.decision_map(net, size=10), lines=False, legend=False)
    low, high = ax.images[0].get_clim()
    assert low == pytest.approx(-1.5) and high == pytest.approx(4.5)
    assert not ax.lines


def test_draw_network_map_rejects_bad_arguments():
    fig, ax = plt.subplots()
    result = nw.decision_map(nw.init_network([2, 1]), size=5)
    with pytest.raises(TypeError, match="result"):
        viz.draw_network_map(ax, np.zeros((5, 5)))
    with pytest.raises(TypeError, match="ax"):
        viz.draw_network_map(None, result)
    with pytest.raises(ValueError, match="x"):
        viz.draw_network_map(ax, result, np.zeros((3, 3)), [0, 1, 0])


def test_draw_representation():
    fig, ax = plt.subplots()
    h = np.array([[0.1, 0.2], [0.9, 0.1], [0.8, 0.9]])
    assert viz.draw_representation(ax, h, [0, 1, 0]) is ax
    assert ax.get_xlabel() == "neurone caché h₁"
    with pytest.raises(ValueError, match="hidden"):
        viz.draw_representation(ax, np.zeros((3, 3)), [0, 1, 0])
    with pytest.raises(ValueError, match="weights"):
        viz.draw_representation(ax, h, [0, 1, 0], weights=[0.0, 0.0])


def test_draw_representation_output_line():
    fig, ax = plt.subplots()
    h = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]])
    viz.draw_representation(ax, h, [0, 1, 0], weights=[10.0, -10.0], bias=-5.0)
    line = ax.lines[-1]
    x1, x2 = line.get_xdata(), line.get_ydata()
    np.testing.assert_allclose(10 * x1 - 10 * x2 - 5, 0.0, atol=1e-12)  # h₂ = h₁ − 0,5
    vertical = plt.subplots()[1]
    viz.draw_representation(vertical, h, [0, 1, 0], weights=[2.0, 0.0], bias=-1.0)
    np.testing.assert_allclose(vertical.lines[-1].get_xdata(), [0.5, 0.5])
    with pytest.raises(TypeError, match="ax"):
        viz.draw_representation([], h, [0, 1, 0])


def test_draw_loss_curve():
    fig, ax = plt.subplots()
    loss = np.array([1.0, 0.5, 0.2, 0.1])
    assert viz.draw_loss_curve(ax, loss, label="η = 0,5", highlight=2) is ax
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), loss)
    assert ax.lines[1].get_ydata()[0] == 0.2
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "perte"
    fig.canvas.draw()
    with pytest.raises(ValueError, match="loss"):
        viz.draw_loss_curve(ax, np.ones((2, 2)))
    with pytest.raises(TypeError, match="ax"):
        viz.draw_loss_curve("ax", loss)


@pytest.mark.parametrize("phase, title", [
    (0, "propagation avant"), (1, "erreur"), (2, "gradients"), (3, "gradients"),
    (4, "mise à jour"),
])
def test_draw_training_step_every_phase(phase, title):
    x, target = data.logic_gate("ou exclusif")
    step = nw.training_step(nw.init_network([2, 3, 2], output="softmax"), x, target, 0.5)
    fig, axes = plt.subplots(1, 2)
    assert viz.draw_training_step(axes, step, phase, index=1) is not None
    assert title in axes[0].get_title()
    assert axes[1].get_title(loc="left") == "Exemple 1"
    body = axes[1].texts[0].get_text()
    if phase == 2:
        assert "couche 2" in body  # les gradients partent de la sortie…
    if phase == 3:
        assert "couche 1" in body  # … puis remontent vers l'entrée
    fig.canvas.draw()


def test_draw_training_step_rejects_bad_arguments():
    x, target = data.logic_gate("ou exclusif")
    step = nw.training_step(nw.init_network([2, 3, 1]), x, target, 0.5)
    fig, axes = plt.subplots(1, 2)
    with pytest.raises(TypeError, match="step"):
        viz.draw_training_step(axes, "étape", 0)
    with pytest.raises(ValueError, match="phase"):
        viz.draw_training_step(axes, step, 5)
    with pytest.raises(ValueError, match="index"):
        viz.draw_training_step(axes, step, 0, index=4)
    with pytest.raises(ValueError, match="axes"):
        viz.draw_training_step(axes[0], step, 0)


def test_colorbars_can_be_left_out(net):
    fig, axes = plt.subplots(1, 2)
    viz.draw_network(axes[0], net, edge_label=None)
    viz.draw_network_map(axes[1], nw.decision_map(net, size=5), colorbar_label=None)
    assert len(fig.axes) == 2  # aucune barre de couleur ajoutée
    viz.draw_network(axes[0], net)
    assert len(fig.axes) == 3
    ticks = fig.axes[2].get_yticks()
    np.testing.assert_allclose(ticks, [-3.0, 0.0, 3.0])  # −max|w|, 0, max|w|


@pytest.mark.parametrize("sizes, output", [([2, 3, 1], "sigmoid"), ([2, 3, 3, 2], "softmax")])
def test_draw_training_step_other_networks(sizes, output):
    x, target = data.logic_gate("ou exclusif")
    step = nw.training_step(nw.init_network(sizes, output=output), x, target, 0.5)
    n_phases = len(sizes) + 2  # avant, erreur, une phase par couche de poids, mise à jour
    fig, axes = plt.subplots(1, 2)
    for phase in range(n_phases):
        viz.draw_training_step(axes, step, phase, index=3)
        fig.canvas.draw()
        for ax in axes:
            ax.clear()
    viz.draw_training_step(axes, step, n_phases - 1)
    assert "perte après" in axes[1].texts[0].get_text()
    with pytest.raises(ValueError, match="phase"):
        viz.draw_training_step(axes, step, n_phases)
