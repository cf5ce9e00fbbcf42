"""Tests de lib.exercises (retours en français des exercices) et de lib.set_seed."""

import random

import numpy as np
import pytest
import torch

from lib import exercises, set_seed

# --- réussites --------------------------------------------------------------------------


def test_success_message(capsys):
    exercises.success("c'est juste.")
    assert capsys.readouterr().out == "✔ Bravo : c'est juste.\n"


def test_passing_checks_print_nothing_but_check_function(capsys):
    exercises.check_true(1 + 1 == 2, "jamais affiché")
    exercises.check_close("z", [1.0, 2.0], np.array([1.0, 2.0 + 1e-9]))
    exercises.check_close("z", torch.tensor([0.5]), [0.5])
    assert capsys.readouterr().out == ""
    exercises.check_function(lambda x, w: float(np.dot(x, w)), lambda x, w: x @ w,
                             [(np.ones(3), np.arange(3.0)), (np.zeros(2), np.ones(2))],
                             name="weighted_sum")
    assert capsys.readouterr().out == (
        "✔ Bravo : weighted_sum donne le résultat attendu sur les 2 cas testés.\n"
    )


def test_check_function_uses_the_function_name(capsys):
    def double(x):
        return 2 * x

    exercises.check_function(double, lambda x: x + x, [(1.0,)])
    assert "✔ Bravo : double donne" in capsys.readouterr().out


# --- échecs -----------------------------------------------------------------------------


def test_check_true_fails_with_the_message():
    with pytest.raises(AssertionError, match="^✘ les poids ne réalisent pas ET$"):
        exercises.check_true(False, "les poids ne réalisent pas ET")


def test_check_close_wrong_value_names_position_and_values():
    with pytest.raises(AssertionError) as info:
        exercises.check_close("sortie", [0.0, 1.0, 1.0], [0.0, 0.0, 1.0])
    assert str(info.value) == "✘ sortie vaut 1 (position (1,)) ; valeur attendue : 0"
    with pytest.raises(AssertionError, match="vaut 0,25 ; valeur attendue : −1,5$"):
        exercises.check_close("sortie", 0.25, -1.5)


def test_check_close_wrong_shape():
    with pytest.raises(AssertionError, match=r"a la forme \(2,\) ; forme attendue : \(3,\)"):
        exercises.check_close("z", [1.0, 2.0], [1.0, 2.0, 3.0])


def test_check_close_not_a_number():
    with pytest.raises(AssertionError, match="z doit être un nombre ou un tableau de nombres"):
        exercises.check_close("z", "un", 1.0)


def test_check_close_tolerance():
    exercises.check_close("z", 1.05, 1.0, atol=0.1)
    with pytest.raises(AssertionError, match="vaut 1,05 ; valeur attendue : 1$"):
        exercises.check_close("z", 1.05, 1.0)


def test_check_function_wrong_result():
    with pytest.raises(AssertionError) as info:
        exercises.check_function(lambda x, w: x[0] * w[0], lambda x, w: x @ w,
                                 [(np.array([1.0, 2.0]), np.array([3.0, 4.0]))], name="somme")
    message = str(info.value)
    assert message.startswith("✘ somme(")
    assert message.endswith("vaut 3 ; valeur attendue : 11")


def test_check_function_not_implemented_is_translated():
    def weighted_sum(x, w):
        raise NotImplementedError()

    with pytest.raises(AssertionError, match="weighted_sum n'est pas encore écrite"):
        exercises.check_function(weighted_sum, lambda x, w: 0.0, [(1.0, 2.0)])


def test_check_function_other_errors_are_shown_not_hidden():
    with pytest.raises(AssertionError, match=r"a levé ZeroDivisionError : division by zero"):
        exercises.check_function(lambda x: x / 0, lambda x: x, [(1,)], name="f")


def test_check_function_bad_inputs():
    with pytest.raises(TypeError, match="`function`"):
        exercises.check_function(None, lambda x: x, [(1,)])
    with pytest.raises(TypeError, match="`reference`"):
        exercises.check_function(lambda x: x, 2, [(1,)])


# --- set_seed ---------------------------------------------------------------------------


def _draws():
    return (random.random(),
            float(np.random.rand()),  # noqa: NPY002 (graine globale de NumPy)
            float(torch.rand(1)))


def test_set_seed_makes_python_numpy_and_torch_reproducible():
    set_seed(7)
    first = _draws()
    set_seed(7)
    assert _draws() == first
    set_seed(8)
    assert all(a != b for a, b in zip(_draws(), first, strict=True))


def test_set_seed_uses_one_thread_for_machine_independent_results():
    torch.set_num_threads(2)
    set_seed(0)
    assert torch.get_num_threads() == 1


def test_set_seed_accepts_numpy_integers():
    set_seed(np.int64(3))
    first = _draws()
    set_seed(3)
    assert _draws() == first


@pytest.mark.parametrize(("seed", "error"), [(True, TypeError), (1.0, TypeError),
                                             ("0", TypeError), (-1, ValueError)])
def test_set_seed_bad_inputs(seed, error):
    with pytest.raises(error, match="`seed`"):
        set_seed(seed)
