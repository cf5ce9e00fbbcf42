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


def test_blank_exercises_say_not_done_without_error(capsys, monkeypatch):
    """Dans Jupyter, un exercice vide ne lève rien : « Exécuter tout » va jusqu'au bout."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)

    def weighted_sum(x, w):
        raise NotImplementedError()

    def stub(x, w):
        ...  # ce que l'édition étudiante laisse à la place de la solution

    exercises.check_function(weighted_sum, lambda x, w: 0.0, [(1.0, 2.0)])
    exercises.check_function(stub, lambda x, w: 0.0, [(1.0, 2.0)])
    exercises.check_close("w", None, 1.0)
    exercises.check_answer("b", ..., exercises.answer_digest(1.5))
    out = capsys.readouterr().out
    assert out.count("… Exercice pas encore fait") == 4, out
    assert "écrivez le corps de weighted_sum" in out and "Bravo" not in out


def test_blank_exercises_fail_when_nbgrader_grades(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(exercises.ExerciseError, match="^✘ exercice non fait : f ne renvoie"):
        exercises.check_function(lambda x: None, abs, [(1.0,)], name="f")
    with pytest.raises(exercises.ExerciseError, match="définissez pas_definie"):
        exercises.done("pas_definie")


def test_done_looks_up_the_notebook_variables(monkeypatch, capsys):
    import __main__

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr(__main__, "w_test", np.ones(2), raising=False)
    monkeypatch.setattr(__main__, "b_test", ..., raising=False)

    def stub(x, w):
        """Une fonction de l'édition étudiante."""
        # VOTRE CODE ICI
        ...

    monkeypatch.setattr(__main__, "f_test", stub, raising=False)
    monkeypatch.setattr(__main__, "g_test", lambda x: x + 1, raising=False)
    assert exercises.done("w_test", "g_test") is True
    assert exercises.done("f_test") is False
    assert exercises.done("w_test", "b_test", "absente") is False
    assert "définissez b_test et absente" in capsys.readouterr().out


def test_answers_are_compared_by_digest_never_in_clear():
    digest = exercises.answer_digest(0.25)
    assert len(digest) == 16 and "0.25" not in digest
    exercises.check_answer("maximum", 0.2500000001, digest)  # arrondi à 6 décimales
    exercises.check_answer("famille", "  Influence ", exercises.answer_digest("influence"))
    assert exercises.answer_digest(-0.0) == exercises.answer_digest(0.0)
    assert exercises.answer_digest([1, 2]) != exercises.answer_digest([[1, 2]])  # forme
    with pytest.raises(exercises.ExerciseError) as info:
        exercises.check_answer("maximum", 0.3, digest, hint="Regardez la courbe.")
    assert str(info.value) == "✘ maximum vaut 0,3 : ce n'est pas la réponse attendue. " \
                              "Regardez la courbe."


def test_a_wrong_answer_shows_only_the_french_line():
    with pytest.raises(exercises.ExerciseError) as info:
        exercises.check_true(False, "la frontière passe trop près")
    assert info.value._render_traceback_() == ["✘ la frontière passe trop près"]
    assert isinstance(info.value, AssertionError)  # nbgrader compte un échec


def test_failing_cases_show_small_arguments_by_their_values():
    with pytest.raises(exercises.ExerciseError) as info:
        exercises.check_function(lambda x: x.sum(), lambda x: x.sum() + 1,
                                 [(np.array([0.5, 1.0]),)], name="somme")
    assert str(info.value).startswith("✘ somme([0,5 ; 1]) vaut 1,5")


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
