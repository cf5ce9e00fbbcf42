"""Tests de lib.viz.learning : chaque dessin une fois (Agg), ses erreurs sur mauvaise entrée."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from lib import unsupervised as U
from lib import viz
from lib.viz.learning import _mosaic


def _comparison(k=3):
    rng = np.random.default_rng(0)
    return U.compare(rng.integers(0, k, 40), rng.integers(0, 10, 40), n_groups=k)


def _autoencoder_report(code_size, ari=0.5):
    rng = np.random.default_rng(code_size)
    return U.AutoencoderReport(code_size, rng.random((4, 64)), rng.random((4, 64)), 0.02,
                               0.6 + 0.05 * code_size, _comparison(10))


def test_mosaic_places_each_tile_and_leaves_gaps_blank():
    tiles = np.arange(3 * 2 * 2, dtype=float).reshape(3, 2, 2)
    out = _mosaic(tiles, 2)
    assert out.shape == (5, 5)
    np.testing.assert_array_equal(out[:2, :2], tiles[0])
    np.testing.assert_array_equal(out[:2, 3:], tiles[1])
    np.testing.assert_array_equal(out[3:, :2], tiles[2])
    assert np.isnan(out[2]).all() and np.isnan(out[:, 2]).all() and np.isnan(out[3:, 3:]).all()
    spaced = _mosaic(tiles, 2, row_gap=3)  # place pour les légendes sous chaque rangée
    assert spaced.shape == (10, 5) and np.isnan(spaced[2:5]).all() and np.isnan(spaced[7:]).all()
    np.testing.assert_array_equal(spaced[5:7, :2], tiles[2])


@pytest.mark.parametrize("shape", [(5, 64), (5, 8, 8), (5, 1, 8, 8)])
def test_draw_digits_accepts_the_three_shapes(shape):
    _, ax = plt.subplots()
    images = torch.rand(*shape)
    assert viz.draw_digits(ax, images, labels=list("abcde"), ncols=3, title="Chiffres") is ax
    assert ax.get_title() == "Chiffres"
    assert [t.get_text() for t in ax.texts] == list("abcde")
    assert ax.images[0].get_array().shape == (24, 26)  # 2 rangées légendées, 3 colonnes


def test_draw_digits_rejects_bad_input():
    _, ax = plt.subplots()
    with pytest.raises(TypeError, match="`ax`"):
        viz.draw_digits("axes", np.zeros((2, 64)))
    with pytest.raises(ValueError, match="`images`"):
        viz.draw_digits(ax, np.zeros((2, 63)))
    with pytest.raises(ValueError, match="`images`"):
        viz.draw_digits(ax, np.zeros(64))
    with pytest.raises(TypeError, match="`images`"):
        viz.draw_digits(ax, None)
    with pytest.raises(ValueError, match="`labels`"):
        viz.draw_digits(ax, np.zeros((2, 64)), labels=["a"])
    with pytest.raises(ValueError, match="`ncols`"):
        viz.draw_digits(ax, np.zeros((2, 64)), ncols=0)


def test_draw_code_writes_each_group_name_at_its_median():
    _, ax = plt.subplots()
    codes = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [10.0, 5.0], [12.0, 5.0]])
    groups = np.array([0, 0, 0, 1, 1])
    viz.draw_code(ax, codes, groups, names=["zéro", "un"], title="Code")
    positions = {t.get_text(): t.get_position() for t in ax.texts}
    assert positions == {"zéro": (1.0, 0.0), "un": (11.0, 5.0)}
    assert ax.get_xlabel() and ax.get_title() == "Code"


def test_draw_code_rejects_bad_input():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="`codes`"):
        viz.draw_code(ax, np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match="`groups`"):
        viz.draw_code(ax, np.zeros((4, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="`names`"):
        viz.draw_code(ax, np.zeros((2, 2)), np.array([0, 1]), names=["a"])
    with pytest.raises(TypeError, match="`ax`"):
        viz.draw_code(None, np.zeros((2, 2)), np.array([0, 1]))


def test_draw_contingency_annotates_the_nonzero_counts():
    _, ax = plt.subplots()
    comparison = U.compare([0, 0, 1, 1, 1], [2, 2, 0, 1, 1])
    viz.draw_contingency(ax, comparison)
    assert sorted(t.get_text() for t in ax.texts) == ["1", "2", "2"]
    assert "Pureté 0,80" in ax.get_title()
    viz.draw_contingency(ax, comparison, annotate=False, title="T")
    assert ax.get_title() == "T"
    _, bare = plt.subplots()
    viz.draw_contingency(bare, comparison, annotate=False, colorbar=False)
    assert not bare.texts and len(bare.get_figure().axes) == 1  # ni effectifs ni barre


def test_draw_contingency_rejects_bad_input():
    _, ax = plt.subplots()
    with pytest.raises(TypeError, match="`comparison`"):
        viz.draw_contingency(ax, np.zeros((2, 2)))


def test_draw_kmeans_draws_one_row_per_group():
    _, ax = plt.subplots()
    x = np.random.default_rng(0).random((30, 64))
    report = U.kmeans_report(x, np.arange(30) % 10, 4)
    assert viz.draw_kmeans(ax, report) is ax
    assert "4 groupes" in ax.get_ylabel() and "Pureté" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()] == list("0123456789")
    picture = ax.images[0].get_array()
    assert picture.shape == (4 * 9 - 1, 8 + 2 + 160, 3)
    g, c = np.unravel_index(report.comparison.table.argmax(), report.comparison.table.shape)
    brightest = matplotlib.colormaps[viz.CMAP_POSITIVE](1.0)[:3]  # case la plus peuplée
    np.testing.assert_allclose(picture[g * 9 + 3, 10 + 16 * c + 5], brightest)
    np.testing.assert_allclose(picture[9:17, :8, 0],  # centre du groupe 1, encre sombre
                               1 - report.clustering.centers[1].reshape(8, 8), atol=0.02)


def test_draw_autoencoder_places_original_reconstruction_pairs():
    _, ax = plt.subplots()
    report = _autoencoder_report(2)
    assert viz.draw_autoencoder(ax, report, per_row=2) is ax
    assert "taille 2" in ax.get_title() and "R² 0,70" in ax.get_title()
    mosaic = ax.images[0].get_array()  # 2 paires par rangée : o, r, vide, o, r
    assert mosaic.shape == (17, 44)
    np.testing.assert_allclose(mosaic[:8, :8], report.originals[0].reshape(8, 8))
    np.testing.assert_allclose(mosaic[:8, 9:17], report.reconstructions[0].reshape(8, 8))
    np.testing.assert_allclose(mosaic[:8, 27:35], report.originals[1].reshape(8, 8))
    np.testing.assert_allclose(mosaic[9:17, 36:44], report.reconstructions[3].reshape(8, 8))
    assert np.ma.getmaskarray(np.ma.masked_invalid(mosaic))[:, 18:26].all()  # colonne vide


def test_draw_code_sizes_plots_both_scores_sorted_by_size():
    _, ax = plt.subplots()
    reports = [_autoencoder_report(d) for d in (4, 1, 2)]
    assert viz.draw_code_sizes(ax, reports, current=2) is ax
    assert len(ax.lines) == 3  # deux courbes et la taille choisie
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 4])
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.65, 0.7, 0.8])
    assert ax.get_legend() is not None


def test_draw_kmeans_and_draw_autoencoder_reject_bad_input():
    _, axes = plt.subplots(1, 2)
    _, ax = plt.subplots()
    with pytest.raises(TypeError, match="`report`"):
        viz.draw_kmeans(ax, _comparison())
    with pytest.raises(TypeError, match="`ax`"):
        viz.draw_kmeans(axes, U.kmeans_report(np.eye(3), [0, 1, 2], 2))
    with pytest.raises(TypeError, match="`report`"):
        viz.draw_autoencoder(ax, _comparison())
    with pytest.raises(TypeError, match="`ax`"):
        viz.draw_autoencoder(axes, _autoencoder_report(2))
    with pytest.raises(ValueError, match="`per_row`"):
        viz.draw_autoencoder(ax, _autoencoder_report(2), per_row=0)
    with pytest.raises(TypeError, match="`reports`"):
        viz.draw_code_sizes(ax, [])
    with pytest.raises(TypeError, match="`reports`"):
        viz.draw_code_sizes(ax, [_comparison()])
