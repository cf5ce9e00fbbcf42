"""Tests des aides communes de dessin (lib.viz._style) et de la vérification des axes."""

import matplotlib.pyplot as plt
import pytest

from lib import _validation as check
from lib.viz._style import subscript, superscript


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
