"""Tests des aides communes de dessin (lib.viz._style) et de la vérification des axes."""

import inspect
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import Normalize
from matplotlib.text import Text
from matplotlib.ticker import LogFormatterSciNotation

from lib import _validation as check
from lib import activations as A
from lib import convolution as conv
from lib import data, neuron, viz
from lib import network as nw
from lib import unsupervised as U
from lib.attention import EXAMPLE_KEYS, EXAMPLE_WORDS, attention, query
from lib.explain import gradient
from lib.recurrent import through_time
from lib.repeat import Spread
from lib.viz._style import (
    FrenchFormatter,
    compact,
    french_ticks,
    memory,
    subscript,
    superscript,
)
from tests.explain._models import cnn, images


def test_superscript_and_subscript():
    assert superscript(-6) == "⁻⁶"
    assert superscript(10) == "¹⁰"
    assert subscript(12) == "₁₂"


def test_axes_accepts_matplotlib_axes_and_names_the_parameter_otherwise():
    _, ax = plt.subplots()
    assert check.axes("ax", ax) is ax
    with pytest.raises(TypeError, match="`axes` doit être des axes matplotlib"):
        check.axes("axes", [1, 2])


def test_array_accepts_a_tensor_that_requires_grad():
    import torch

    x = torch.ones(2, 3, requires_grad=True)
    out = check.array("x", x, ndim=2)
    assert out.shape == (2, 3) and out.dtype == float and (out == 1).all()


# --- nombres à la française ---------------------------------------------------------------


def _labels(axis) -> list:
    return [t.get_text() for t in axis.get_ticklabels()]


def test_french_formatter_writes_a_decimal_comma_and_a_french_offset():
    fig, ax = plt.subplots()
    ax.plot([-0.5, 1.0], [1e-5, 3e-5])
    french_ticks(ax)
    fig.canvas.draw()
    assert isinstance(ax.xaxis.get_major_formatter(), FrenchFormatter)
    assert _labels(ax.xaxis)[:4] == ["−0,6", "−0,4", "−0,2", "0,0"]  # signe moins typographique
    assert _labels(ax.yaxis)[:2] == ["0,75", "1,00"]
    assert ax.yaxis.get_offset_text().get_text() == "×10⁻⁵"
    fig, ax = plt.subplots()
    ax.plot([1000.1, 1000.5], [0, 1])
    french_ticks(ax)
    fig.canvas.draw()
    assert _labels(ax.xaxis)[:2] == ["0,05", "0,10"]
    assert ax.xaxis.get_offset_text().get_text() == "+1000"
    cursor = ax.xaxis.get_major_formatter().format_data_short(1000.25)  # barre d'état
    assert "," in cursor and "." not in cursor


def test_french_formatter_in_mathtext_keeps_the_comma_tight():
    fig, ax = plt.subplots()
    ax.plot([0.0, 0.5], [0.0, 1.0])
    ax.xaxis.set_major_formatter(FrenchFormatter(useMathText=True))
    fig.canvas.draw()
    assert r"$\mathdefault{0{,}1}$" in _labels(ax.xaxis)


def test_french_ticks_keeps_log_and_named_ticks():
    fig, ax = plt.subplots()
    ax.semilogy([1, 2, 3], [1e-3, 1e-1, 10])
    ax.set_xticks([1, 2, 3], ["un", "deux", "trois"])
    french_ticks(ax)
    fig.canvas.draw()
    assert _labels(ax.xaxis) == ["un", "deux", "trois"]
    assert isinstance(ax.yaxis.get_major_formatter(), LogFormatterSciNotation)


def test_colorbar_ticks_are_french():
    fig, ax = plt.subplots()
    viz.colorbar(ax, ax.imshow([[0.0, 0.5]]), "valeur")
    fig.canvas.draw()
    bar = memory(ax).colorbar.ax
    assert "0,5" in [t.get_text() for t in bar.get_yticklabels()]
    viz.colorbar(ax, ax.imshow([[0.0, 0.25]], norm=Normalize(0, 0.25)), "valeur")  # autre norme
    fig.canvas.draw()
    assert "0,25" in [t.get_text() for t in bar.get_yticklabels()]


def test_compact_is_a_french_general_format():
    assert [compact(v) for v in (0.25, -2e-5, 1.0, 1e6, 0.001)] == [
        "0,25", "−2 × 10⁻⁵", "1", "1 × 10⁶", "0,001"]
    assert compact(1 / 3, 2) == "0,33"


@pytest.mark.parametrize("name", sorted(n for n in viz.__dict__ if n.startswith("draw_")))
def test_every_draw_function_checks_its_axes_and_writes_french_ticks(name):
    draw = getattr(viz, name)
    assert getattr(draw, "is_drawing", False), f"{name} n'est pas décoré par @drawing"
    first = next(iter(inspect.signature(draw).parameters))
    with pytest.raises(TypeError, match=f"`{first}` doit être des axes matplotlib"):
        draw("ax", None)


# Un appel qui réussit pour chaque fonction de dessin, avec des nombres décimaux à l'écran.
def _network():
    return nw.Network([[[2.0, -1.0, 0.5], [1.0, 0.0, -3.0]], [[1.0], [-2.0], [0.1]]],
                      [np.zeros(3), np.zeros(1)])


def _step():
    x, target = data.logic_gate("ou exclusif")
    return nw.training_step(nw.init_network([2, 3, 1]), x, target, 0.5)


def _window():
    return conv.sliding_window(np.arange(25.0).reshape(5, 5) / 7, conv.kernel("flou"), 3)


def _view():
    x, target = data.points_2d("et", n=20)
    return neuron.inspect(x, target, [1.0, 1.0], -1.5, "sigmoid", index=2, size=20)


def _comparison():
    return U.compare([0, 0, 1, 1, 1], [2, 2, 0, 1, 1])


def _report(code_size):
    rng = np.random.default_rng(code_size)
    return U.AutoencoderReport(code_size, rng.random((4, 64)), rng.random((4, 64)), 0.02,
                               0.6 + 0.05 * code_size, _comparison())


def _attribution(ax):
    model, x = cnn(size=16), images(1, size=16)
    return viz.draw_attribution(ax, x[0], 0.5 * gradient(model, x, 1)[0])


_IMAGES = np.random.default_rng(0).random((2, 8, 8))
_CHAIN = [A.gradient_chain(n, 6) for n in ("sigmoid", "relu")]
EXAMPLES = {
    "draw_activations": lambda ax: viz.draw_activations(ax, A.curves(np.linspace(-2, 2, 21))),
    "draw_attribution": _attribution,
    "draw_attribution_row": lambda axes: viz.draw_attribution_row(
        axes, _IMAGES[0], {"Carte": _IMAGES[1] - 0.5}),
    "draw_autoencoder": lambda ax: viz.draw_autoencoder(ax, _report(2)),
    "draw_code": lambda ax: viz.draw_code(ax, _IMAGES[0, :, :2] / 3, np.arange(8) % 2),
    "draw_code_sizes": lambda ax: viz.draw_code_sizes(ax, [_report(1), _report(4)], current=2),
    "draw_completeness": lambda ax: viz.draw_completeness(ax, [1, 2.5, 10], [0.3, 0.02, 1e-3]),
    "draw_contingency": lambda ax: viz.draw_contingency(ax, _comparison()),
    "draw_decision": lambda ax: viz.draw_decision(ax, _view().map, _view().x, _view().target),
    "draw_descent": lambda ax: viz.draw_descent(ax, A.train_neuron(
        *data.logic_gate("ou"), [0.5, 0.5], -2.0, "sigmoid", steps=5)),
    "draw_digits": lambda ax: viz.draw_digits(ax, _IMAGES, labels=["0,5", "1"]),
    "draw_feature_map": lambda ax: viz.draw_feature_map(ax, _IMAGES[0] - 0.5),
    "draw_filtering": lambda axes: viz.draw_filtering(
        axes, _IMAGES[0], conv.kernel("flou"), conv.conv2d(_IMAGES[0], conv.kernel("flou"))),
    "draw_gallery": lambda axes: viz.draw_gallery(axes, _IMAGES, ["a", "b"]),
    "draw_gradient_chain": lambda ax: viz.draw_gradient_chain(ax, _CHAIN),
    "draw_inspection": lambda axes: viz.draw_inspection(axes, _view()),
    "draw_kernel": lambda ax: viz.draw_kernel(ax, conv.kernel("flou gaussien")),
    "draw_kmeans": lambda ax: viz.draw_kmeans(ax, U.kmeans_report(_IMAGES.reshape(2, 64).repeat(
        3, axis=0), [0, 1, 2, 0, 1, 2], 2)),
    "draw_loss_curve": lambda ax: viz.draw_loss_curve(ax, [0.9, 0.5, 0.25, 0.1], log=False),
    "draw_maps": lambda ax: viz.draw_maps(ax, _IMAGES),
    "draw_network": lambda ax: viz.draw_network(ax, _network(), values=[
        None, np.array([0.5, -0.25, 0.1]), np.array([0.9])], annotate=True),
    "draw_network_map": lambda ax: viz.draw_network_map(
        ax, nw.decision_map(_network(), size=10), *data.points_2d("ou", n=8)),
    "draw_probabilities": lambda ax: viz.draw_probabilities(ax, [0.125, 0.875], ["a", "b"]),
    "draw_representation": lambda ax: viz.draw_representation(
        ax, _IMAGES[0, :4, :2], [0, 1, 0, 1], weights=[1.0, -1.0], bias=0.25),
    "draw_sanity_checks": lambda ax: viz.draw_sanity_checks(
        ax, ["aucune", "fc"], {"gradient": [1.0, 0.35]}),
    "draw_scores": lambda ax: viz.draw_scores(ax, {"gradient": 0.375}, label="score"),
    "draw_sliding_window": lambda axes: viz.draw_sliding_window(axes, _window()),
    "draw_slope": lambda ax: viz.draw_slope(ax, A.tangent("sigmoid", 0.5, scale=1.5)),
    "draw_softmax": lambda ax: viz.draw_softmax(ax, A.softmax([0.5, 1.5]), scores=[0.5, 1.5]),
    "draw_square": lambda ax: viz.draw_square(ax.imshow(_IMAGES[0]).axes, 1, 2, 3),
    "draw_steps": lambda ax: viz.draw_steps(ax, neuron.steps([0.5, -0.25], [2.0, 1.5], -1.5)),
    "draw_tangent": lambda ax: viz.draw_tangent(ax, A.tangent("tanh", -0.5, shift=0.25)),
    "draw_training_step": lambda axes: viz.draw_training_step(axes, _step(), 4),
    "draw_transparency_map": lambda ax: viz.draw_transparency_map(ax),
    "draw_gates": lambda ax: viz.draw_gates(ax, np.array([[0.25, 1.0], [0.5, 0.0]])),
    "draw_shape": lambda ax: viz.draw_shape(ax, np.linspace(-1, 1, 5),
                                            np.outer(np.linspace(-1, 1, 5), np.linspace(-1, 1, 5)),
                                            ["x1", "x2"]),
    "draw_curves": lambda ax: viz.draw_curves(ax, {"gradient": np.linspace(1, 0, 9) ** 1.5}),
    "draw_mask": lambda ax: viz.draw_mask(ax, np.linspace(0, 1, 64).reshape(1, 1, 8, 8)),
    "draw_influence_scatter": lambda ax: viz.draw_influence_scatter(
        ax, np.linspace(-0.5, 1.5, 6), 0.75 * np.linspace(-0.5, 1.5, 6)),
    "draw_convergence": lambda ax: viz.draw_convergence(ax, np.geomspace(1, 1e-4, 11), depth=5),
    "draw_properties": lambda ax: viz.draw_properties(
        ax, {"gradient": [0.25, 0.5, 0.75], "Grad-CAM": [0.5, 0.625]}, title="insertion",
        better="↑"),
    "draw_examples": lambda ax: viz.draw_examples(ax, _IMAGES, columns=1, title="exemples"),
    "draw_removal": lambda ax: viz.draw_removal(ax, [0, 1, 3], {"a": [0.9, 0.85, 0.45],
                                                                 "b": [0.9, 0.95, 0.99]}),
    "draw_structure": lambda ax: viz.draw_structure(ax, "rnn"),
    "draw_learning_curve": lambda ax: viz.draw_learning_curve(ax, {"a": {
        10: Spread((0.5, 0.6)), 100: Spread((0.8, 0.85))}}),
    "draw_through_time": lambda axes: viz.draw_through_time(axes, through_time(1.5, 8)),
    "draw_attention": lambda axes: viz.draw_attention(
        axes, attention(query(20.0), EXAMPLE_KEYS), EXAMPLE_WORDS),
}
_AXES = {"draw_attribution_row": 2, "draw_gallery": 2, "draw_inspection": 2,
         "draw_training_step": 2, "draw_filtering": 3, "draw_sliding_window": 3,
         "draw_through_time": 2, "draw_attention": 2}
_DECIMAL_POINT = re.compile(r"\d\.\d")


def test_every_draw_function_has_an_example():
    missing = sorted(n for n in viz.__dict__ if n.startswith("draw_") and n not in EXAMPLES)
    assert not missing, f"ajoutez un exemple pour : {', '.join(missing)}"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_no_number_in_a_figure_has_a_decimal_point(name):
    fig, axes = plt.subplots(1, _AXES.get(name, 1), figsize=(9, 3))
    EXAMPLES[name](axes)
    fig.canvas.draw()
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible()]
    english = [t for t in texts if _DECIMAL_POINT.search(t)]
    assert not english, f"{name} écrit des nombres à l'anglaise : {english}"
    assert any("," in t for t in texts) or name in _NO_DECIMALS, texts


# Dessins sans nombre décimal à l'écran (images, schémas, effectifs entiers).
_NO_DECIMALS = {"draw_convergence", "draw_mask", "draw_contingency", "draw_digits", "draw_gallery",
                "draw_kmeans", "draw_maps", "draw_examples",
                "draw_square", "draw_transparency_map", "draw_completeness", "draw_feature_map",
                "draw_gradient_chain", "draw_structure"}
