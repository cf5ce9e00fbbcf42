"""Tests des dessins du chapitre 2 : chaque fonction appelée une fois, et ses erreurs."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lib import activations as A
from lib import data, viz


@pytest.fixture
def ax():
    return plt.subplots()[1]


def test_exported_by_lib_viz():
    for name in ("draw_activations", "draw_tangent", "draw_slope", "draw_gradient_chain",
                 "draw_descent", "draw_softmax"):
        assert callable(getattr(viz, name))


@pytest.mark.parametrize("derivative", (False, True))
def test_draw_activations(ax, derivative):
    result = A.curves(np.linspace(-4, 4, 41))
    assert viz.draw_activations(ax, result, derivative=derivative) is ax
    assert len(ax.lines) == 5 + 2  # cinq courbes et les deux axes z = 0, f = 0
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == list(A.NAMES.values())
    np.testing.assert_array_equal(ax.lines[1].get_ydata(),
                                  result.derivatives[1] if derivative else result.values[1])
    assert ax.get_title() == ("Leurs dérivées" if derivative else "Fonctions d'activation")


def test_draw_tangent_and_slope():
    result = A.tangent("sigmoid", 1.0, scale=2.0, shift=-1.0)
    fig, (left, right) = plt.subplots(1, 2)
    assert viz.draw_tangent(left, result) is left
    assert viz.draw_slope(right, result) is right
    tangent_line = left.lines[1]
    u, y = tangent_line.get_xdata(), tangent_line.get_ydata()
    assert (y[1] - y[0]) / (u[1] - u[0]) == pytest.approx(result.slope)
    assert left.lines[2].get_ydata()[0] == pytest.approx(result.value)
    assert right.lines[-1].get_ydata()[0] == pytest.approx(result.slope)
    assert left.get_title() == "sigmoïde : g(1,00) = 0,731"
    slope = f"{result.slope:.3f}".replace(".", ",")
    assert right.get_title() == f"pente de la tangente : g′(1,00) = {slope}"
    assert left.get_ylabel() == "g(z) = f(2·z − 1)"


def test_draw_gradient_chain_puts_zeros_on_the_floor(ax):
    chains = [A.gradient_chain(n, 6) for n in A.NAMES]
    assert viz.draw_gradient_chain(ax, chains) is ax
    assert ax.get_yscale() == "log"
    heaviside = ax.lines[0].get_ydata()
    np.testing.assert_array_equal(heaviside, 1e-12)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "10⁰" in labels and "10⁻¹²" in labels
    viz.draw_gradient_chain(plt.subplots()[1], chains[1])  # une seule chaîne


def test_draw_descent(ax):
    x, t = data.logic_gate("ou")
    runs = [A.train_neuron(x, t, [0.5, 0.5], -2.0, n, steps=5) for n in ("relu", "sigmoid")]
    assert viz.draw_descent(ax, runs) is ax
    assert len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), runs[1].losses)


def test_draw_softmax(ax):
    p = A.softmax([1.0, 2.0, 0.5])
    assert viz.draw_softmax(ax, p, scores=[1.0, 2.0, 0.5], labels=["chat", "chien", "oiseau"]) is ax
    assert [round(b.get_height(), 12) for b in ax.patches] == list(np.round(p, 12))
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[1] == "chien\nscore 2,00"
    viz.draw_softmax(plt.subplots()[1], p)  # étiquettes par défaut


def test_drawing_errors(ax):
    result = A.tangent("relu", 0.5)
    with pytest.raises(TypeError, match="`ax`"):
        viz.draw_tangent("axes", result)
    with pytest.raises(TypeError, match="`result`"):
        viz.draw_tangent(ax, A.curves([0.0, 1.0]))
    with pytest.raises(TypeError, match="`result`"):
        viz.draw_slope(ax, None)
    with pytest.raises(TypeError, match="`result`"):
        viz.draw_activations(ax, result)
    with pytest.raises(TypeError, match="`ax`"):
        viz.draw_activations(None, A.curves([0.0, 1.0]))
    with pytest.raises(ValueError, match="`chains`"):
        viz.draw_gradient_chain(ax, [])
    with pytest.raises(TypeError, match="`chains`"):
        viz.draw_gradient_chain(ax, [result])
    with pytest.raises(TypeError, match="`descents`"):
        viz.draw_descent(ax, [result])
    with pytest.raises(ValueError, match="`probabilities`"):
        viz.draw_softmax(ax, np.ones((2, 2)) / 4)
    with pytest.raises(ValueError, match="`labels`"):
        viz.draw_softmax(ax, [0.5, 0.5], labels=["a"])
    with pytest.raises(ValueError, match="`scores`"):
        viz.draw_softmax(ax, [0.5, 0.5], scores=[1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="`probabilities`"):
        viz.draw_softmax(ax, ["a", "b"])
    with pytest.raises(TypeError, match="`scores`"):
        viz.draw_softmax(ax, [0.5, 0.5], scores="ab")
