"""Vérifications automatiques des exercices, avec un retour en français.

Chaque exercice du livre suit la même convention (détaillée dans le guide de l'enseignant) :
une cellule « réponse » de l'étudiant, dont la solution est entre les marqueurs nbgrader
``### BEGIN SOLUTION`` / ``### END SOLUTION``, puis une cellule de vérification qui appelle
les fonctions de ce module. Une réponse juste affiche « ✔ Bravo… » ; une réponse fausse lève
une ``AssertionError`` dont le message explique ce qui ne va pas (c'est ce que nbgrader
compte comme un échec lors de la correction automatique). Voir le chapitre 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from lib import _validation as check
from lib import french

__all__ = ["check_true", "check_close", "check_function", "success"]


def _message(name: str, value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"`{name}` doit être une chaîne de caractères ; "
                        f"reçu : {check.describe(value)}")
    return value


def success(message: str) -> None:
    """Affiche le message de réussite d'un exercice."""
    print(f"✔ Bravo : {_message('message', message)}")


def _fail(message: str):
    raise AssertionError(f"✘ {message}")


def check_true(condition: bool, message: str) -> None:
    """Échoue avec ``message`` si ``condition`` est fausse."""
    _message("message", message)
    if not bool(condition):
        _fail(message)


def _as_array(name: str, value):
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        _fail(f"{name} doit être un nombre ou un tableau de nombres ; "
              f"reçu : {check.describe(value)}")


def check_close(name: str, got, expected, *, atol: float = 1e-6, rtol: float = 1e-6) -> None:
    """Échoue si ``got`` n'est pas proche de ``expected``.

    Même forme exigée, et écart ≤ atol + rtol·|attendu| élément par élément.
    """
    _message("name", name)
    atol = check.number("atol", atol, low=0)
    rtol = check.number("rtol", rtol, low=0)
    got_a, expected_a = _as_array(name, got), _as_array("la valeur attendue", expected)
    if got_a.shape != expected_a.shape:
        _fail(f"{name} a la forme {got_a.shape} ; forme attendue : {expected_a.shape}")
    if not np.allclose(got_a, expected_a, atol=atol, rtol=rtol):
        worst = np.unravel_index(np.argmax(np.abs(got_a - expected_a)), got_a.shape)
        where = f" (position {tuple(int(i) for i in worst)})" if got_a.ndim else ""
        _fail(
            f"{name} vaut {_shown(got_a[worst])}{where} ; "
            f"valeur attendue : {_shown(expected_a[worst])}"
        )


def _cases(cases) -> list:
    """Les cas d'essai : une liste de tuples d'arguments."""
    if isinstance(cases, str) or not isinstance(cases, Iterable):
        raise TypeError(f"`cases` doit être une liste de tuples d'arguments ; "
                        f"reçu : {check.describe(cases)}")
    cases = list(cases)
    for args in cases:
        if not isinstance(args, tuple | list):
            raise TypeError(f"`cases` doit contenir des tuples d'arguments, comme (0.5,) ; "
                            f"reçu : {check.describe(args)}")
    return cases


def _shown(value) -> str:
    """Un nombre à au plus six décimales, à la française : 0.5 → « 0,5 »."""
    if not np.isfinite(value):
        return str(float(value))
    text = french.number(float(value), 6)
    return text.rstrip("0").rstrip(",")


def check_function(
    function: Callable, reference: Callable, cases: Iterable[tuple], *, name: str | None = None,
    atol: float = 1e-6,
) -> None:
    """Compare ``function(*cas)`` à ``reference(*cas)`` sur chaque cas, puis félicite.

    Un ``NotImplementedError`` (cellule encore vide) donne un message d'encouragement.
    """
    check.function("function", function)
    check.function("reference", reference)
    name = getattr(function, "__name__", "votre fonction") if name is None else _message(
        "name", name)
    atol = check.number("atol", atol, low=0)
    cases = _cases(cases)
    for args in cases:
        shown = ", ".join(check.describe(a) for a in args)
        try:
            got = function(*args)
        except NotImplementedError:
            _fail(f"{name} n'est pas encore écrite : complétez la cellule de réponse.")
        except Exception as error:  # l'erreur de l'étudiant est traduite, pas cachée
            _fail(f"{name}({shown}) a levé {type(error).__name__} : {error}")
        check_close(f"{name}({shown})", got, reference(*args), atol=atol, rtol=atol)
    success(f"{name} donne le résultat attendu sur les {len(cases)} cas testés.")
