"""Tests de lib.viz.transparency : chaque dessin une fois (Agg), et chaque erreur d'appel."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lib import viz
from lib.viz.transparency import (
    draw_completeness,
    draw_gallery,
    draw_probabilities,
    draw_sanity_checks,
    draw_scores,
    draw_square,
    draw_transparency_map,
)

CLASSES = ["cercle", "carré", "triangle", "croix"]


def test_reexported_by_lib_viz():
    assert viz.draw_probabilities is draw_probabilities
    assert viz.draw_transparency_map is draw_transparency_map


def test_draw_probabilities_highlights_the_target():
    ax = plt.figure().subplots()
    assert draw_probabilities(ax, [0.1, 0.6, 0.2, 0.1], CLASSES, target=1) is ax
    bars = ax.patches
    assert len(bars) == 4
    assert [b.get_width() for b in bars] == pytest.approx([0.1, 0.6, 0.2, 0.1])
    grey = [b.get_facecolor() for b in bars]
    assert grey[0] == grey[2] == grey[3] != grey[1]
    assert [t.get_text() for t in ax.get_yticklabels()] == CLASSES
    assert len(ax.texts) == 4  # une valeur écrite par barre
    bare = plt.figure().subplots()
    draw_probabilities(bare, [0.1, 0.6, 0.2, 0.1], CLASSES, values=False)
    assert not bare.texts and len({b.get_facecolor() for b in bare.patches}) == 4


def test_draw_square_outlines_the_right_pixels():
    ax = plt.figure().subplots()
    ax.imshow(np.zeros((8, 8)))
    draw_square(ax, 2, 3, 4)
    (square,) = ax.patches
    assert square.get_xy() == (2.5, 1.5)
    assert square.get_width() == square.get_height() == 4


def test_draw_transparency_map_names_the_four_families():
    ax = plt.figure().subplots()
    draw_transparency_map(ax)
    text = " ".join(t.get_text() for t in ax.texts)
    for family in ("Visualisation", "NIT", "Méta-prédicteurs", "Fonctions d'influence"):
        assert family in text


def test_draw_completeness_sanity_and_scores():
    axes = plt.figure().subplots(1, 3)
    draw_completeness(axes[0], [1, 10, 100], [0.5, 0.05, 0.0])
    assert axes[0].get_xscale() == "log" and len(axes[0].lines) == 1
    draw_sanity_checks(axes[1], ["aucune", "fc", "conv1"],
                       {"gradient": [1, 0.8, 0.6], "Grad-CAM": [1, 0.1, 0.0]})
    assert len(axes[1].get_legend().get_texts()) == 2
    draw_scores(axes[2], {"gradient": 0.4, "Grad-CAM": 0.9}, label="jeu du pointage")
    assert [b.get_height() for b in axes[2].patches] == pytest.approx([0.4, 0.9])


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda ax: draw_probabilities(ax, [[0.5]], CLASSES), ValueError, "probabilities"),
        (lambda ax: draw_probabilities(ax, [0.5, 0.5], CLASSES), ValueError, "classes"),
        (lambda ax: draw_probabilities(ax, [0.5, 0.5], ["a", "b"], target=2), ValueError,
         "target"),
        (lambda ax: draw_probabilities(ax, [0.5, 0.5], ["a", "b"], values=1), TypeError,
         "values"),
        (lambda ax: draw_square(ax, -1, 0, 3), ValueError, "row"),
        (lambda ax: draw_square(ax, 0, 1.5, 3), TypeError, "col"),
        (lambda ax: draw_square(ax, 0, 0, 0), ValueError, "size"),
        (lambda ax: draw_completeness(ax, [1, 2], [0.1]), ValueError, "errors"),
        (lambda ax: draw_completeness(ax, "12", [0.1]), TypeError, "steps"),
        (lambda ax: draw_sanity_checks(ax, ["a"], []), TypeError, "correlations"),
        (lambda ax: draw_sanity_checks(ax, ["a", "b"], {"g": [1]}), ValueError, "correlations"),
        (lambda ax: draw_scores(ax, {}, label="x"), TypeError, "scores"),
        (lambda ax: draw_scores(ax, {"g": "haut"}, label="x"), TypeError, "scores"),
        (lambda ax: draw_scores(ax, {"g": 0.5}, label=3), TypeError, "label"),
    ],
)
def test_bad_inputs_name_the_parameter(call, error, name):
    ax = plt.figure().subplots()
    with pytest.raises(error, match=name):
        call(ax)


def test_draw_gallery_one_image_per_axis():
    import torch

    axes = plt.figure().subplots(1, 3)
    draw_gallery(axes, torch.rand(3, 1, 8, 8), ["a", "b", "c"])
    assert [ax.get_title() for ax in axes] == ["a", "b", "c"]
    assert all(len(ax.images) == 1 for ax in axes)
    for bad, name in ((torch.rand(2, 1, 8, 8), "images"), (torch.rand(8, 8), "images")):
        with pytest.raises(ValueError, match=name):
            draw_gallery(axes, bad)
    with pytest.raises(ValueError, match="titles"):
        draw_gallery(axes, torch.rand(3, 8, 8), ["a"])
