"""Dessins du chapitre 11 : chaque fonction dessine une fois (Agg) et refuse une mauvaise entrée."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lib.viz.influence import draw_convergence, draw_influence_scatter, draw_removal  # noqa: E402


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_scatter(ax):
    x = np.linspace(-1e-3, 1e-3, 20)
    assert draw_influence_scatter(ax, x, 0.9 * x) is ax
    assert "Pearson" in ax.get_title() and "," in ax.get_title()


def test_convergence_accepts_divergence(ax):
    errors = np.r_[np.logspace(0, -8, 50), [np.inf, np.nan]]
    assert draw_convergence(ax, errors, depth=10) is ax


def test_removal(ax):
    assert draw_removal(ax, [0, 1, 3], {"a": [0.9, 0.8, 0.4], "b": [0.9, 0.95, 0.99]},
                        count=1) is ax


def test_errors(ax):
    with pytest.raises(ValueError, match="`actual`"):
        draw_influence_scatter(ax, np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="`depth`"):
        draw_convergence(ax, np.ones(5), depth=9)
    with pytest.raises(ValueError, match="`curves"):
        draw_removal(ax, [0, 1], {"a": [0.5]})
