"""Tests de lib.repeat : mesures répétées, dispersion et verdicts."""

import re

import numpy as np
import pytest
from scipy import stats

from lib import repeat
from lib.repeat import Spread


def test_spread_mean_std_and_interval_match_scipy():
    values = (0.2, 0.4, 0.35, 0.1, 0.3)
    spread = Spread(values)
    assert spread.mean == pytest.approx(np.mean(values))
    assert spread.std == pytest.approx(np.std(values, ddof=1))
    low, high = spread.interval(0.95)
    expected = stats.t.interval(0.95, len(values) - 1, loc=np.mean(values),
                                scale=stats.sem(values))
    assert (low, high) == pytest.approx(expected)
    assert str(spread) == "0,27 ± 0,12"
    assert spread.format(1, percent=True) == "27,0\u202f% ± 12,0\u202f%"


def test_repeat_calls_each_seed_once_and_nests_dictionaries():
    seen = []

    def measure(seed):
        seen.append(seed)
        return {"a": {"x": seed, "y": 2.0}, "b": seed * 10}

    result = repeat.repeat(measure, seeds=[3, 1, 4, 5, 9])
    assert seen == [3, 1, 4, 5, 9]
    assert result["a"]["x"].values == (3.0, 1.0, 4.0, 5.0, 9.0)
    assert result["a"]["y"].std == 0.0
    assert result["b"].mean == pytest.approx(44.0)


def test_verdict_is_paired_and_needs_the_interval_to_exclude_zero():
    base = Spread((0.1, 0.5, 0.9, 0.3, 0.7))
    shifted = Spread(tuple(v + 0.01 for v in base.values))  # petit écart, toujours du même côté
    noisy = Spread((0.2, 0.4, 0.9, 0.35, 0.65))
    assert repeat.verdict(shifted, base) == 1 and repeat.verdict(base, shifted) == -1
    assert repeat.verdict(noisy, base) == 0
    assert repeat.separation(shifted, base) == "l'écart dépasse la dispersion"
    assert repeat.separation(noisy, base) == "la mesure ne les sépare pas"
    assert repeat.difference(shifted, base).mean == pytest.approx(0.01)


@pytest.mark.parametrize(("verdicts", "label"), [
    ([1, 1], "Confirmé"), ([1, 0], "Nuancé"), ([1, -1], "Nuancé"), ([0, 0], "Non tranché"),
    ([0, -1], "Infirmé"),
])
def test_claim(verdicts, label):
    assert repeat.claim(verdicts) == label


def test_table_aligns_french_cells():
    result = repeat.repeat(lambda s: {"méthode A": {"x": s / 10, "y": 1.0},
                                      "B": {"x": 0.5, "y": float(s)}})
    lines = repeat.table(result, first="méthode").splitlines()
    assert lines[0].split() == ["méthode", "x", "y"]
    assert lines[1].startswith("méthode A") and "0,20 ± 0,16" in lines[1]
    assert len({len(line) for line in lines}) == 1


@pytest.mark.parametrize(("call", "error", "name"), [
    (lambda: repeat.repeat(3), TypeError, "measure"),
    (lambda: repeat.repeat(float, seeds=[0, 1, 2]), ValueError, "seeds"),
    (lambda: repeat.repeat(float, seeds=[0, 0, 1, 2, 3]), ValueError, "seeds"),
    (lambda: repeat.repeat(float, seeds="01234"), TypeError, "seeds"),
    (lambda: repeat.repeat(lambda s: "x"), TypeError, "measure(seed)"),
    (lambda: Spread((1.0,)), ValueError, "values"),
    (lambda: Spread((1.0, 2.0)).interval(2), ValueError, "level"),
    (lambda: repeat.verdict(1.0, Spread((1.0, 2.0))), TypeError, "a"),
    (lambda: repeat.difference(Spread((1.0, 2.0)), Spread((1.0, 2.0, 3.0))), ValueError, "a"),
    (lambda: repeat.claim([2]), ValueError, "verdicts"),
    (lambda: repeat.claim("oui"), TypeError, "verdicts"),
    (lambda: repeat.table({}), TypeError, "rows"),
    (lambda: repeat.table({"a": {"x": 1.0}}), ValueError, "rows['a']"),
])
def test_bad_input_is_refused_in_french(call, error, name):
    with pytest.raises(error, match=re.escape(f"`{name}`")):
        call()
