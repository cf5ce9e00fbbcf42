"""Réglages communs des tests : dessin sans écran, graines fixées."""

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _seed():
    from lib import set_seed

    set_seed(0)
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
