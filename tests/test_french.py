"""Tests de lib.french : les nombres tels que le lecteur les lit."""

import numpy as np
import pytest
import torch

from lib import french
from lib.french import MINUS, NNBSP


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (0.5, 2, "0,50"), (1.0, 0, "1"), (-0.25, 2, f"{MINUS}0,25"), (-0.001, 2, "0,00"),
    (12345.678, 1, f"12{NNBSP}345,7"), (2092.0, 0, "2092"), (np.float64(0.125), 3, "0,125"),
    (torch.tensor(0.75), 2, "0,75"),
])
def test_number(value, digits, expected):
    assert french.number(value, digits) == expected


def test_integer_percent_plusminus_scientific():
    assert french.integer(1797) == "1797"
    assert french.integer(-123456) == f"{MINUS}123{NNBSP}456"
    assert french.percent(0.123) == f"12{NNBSP}%"
    assert french.percent(1.0, 1) == f"100,0{NNBSP}%"
    assert french.plusminus(0.8812, 0.031) == "0,88 ± 0,03"
    assert french.scientific(3.2e-7) == "3,2 × 10⁻⁷"
    assert french.scientific(0.00996) == "1,0 × 10⁻²"  # l'arrondi passe à l'exposant suivant
    assert french.scientific(-1500.0, 2) == f"{MINUS}1,50 × 10³"
    assert french.scientific(0.0) == "0"


@pytest.mark.parametrize(("call", "error", "name"), [
    (lambda: french.number("0.5"), TypeError, "value"),
    (lambda: french.number(float("nan")), ValueError, "value"),
    (lambda: french.number(0.5, -1), ValueError, "digits"),
    (lambda: french.integer(0.5), TypeError, "value"),
    (lambda: french.plusminus(1.0, -0.1), ValueError, "spread"),
    (lambda: french.scientific(None), TypeError, "value"),
])
def test_bad_input_is_refused_in_french(call, error, name):
    with pytest.raises(error, match=f"`{name}` doit"):
        call()
