"""Vérifications automatiques des exercices, avec un retour en français.

Chaque exercice du livre suit la même convention (détaillée dans ``DESIGN.md`` et le guide de
l'enseignant) : une cellule « réponse » de l'étudiant, dont la solution est entre les marqueurs
nbgrader ``### BEGIN SOLUTION`` / ``### END SOLUTION``, puis une cellule de vérification qui
appelle les fonctions de ce module.

- Une réponse juste affiche « ✔ Bravo… », sans redire la réponse.
- Une réponse fausse lève :class:`ExerciseError` : Jupyter n'en montre que la ligne « ✘ … »
  en français, avec les valeurs en cause (pas de pile d'appels à travers ``lib``) ; nbgrader la
  compte comme un échec lors de la correction automatique.
- Un exercice laissé vide (l'édition étudiante remplace la solution par ``pass``) affiche
  « … pas encore fait » **sans erreur**, pour que « Exécuter tout » aille jusqu'au bout du
  chapitre ; pendant la correction automatique (variable ``NBGRADER_EXECUTION`` posée par
  nbgrader), il lève :class:`ExerciseError` et vaut 0 point.
- Une valeur attendue n'est jamais écrite en clair dans la cellule de vérification :
  :func:`check_answer` compare l'empreinte (:func:`answer_digest`) de la réponse à celle de la
  solution, et les fonctions se comparent à celles de ``lib`` (:func:`check_function`).

Voir le chapitre 1.
"""

from __future__ import annotations

import dis
import hashlib
import os
import sys
import unicodedata
from collections.abc import Callable, Iterable

import numpy as np

from lib import _validation as check
from lib import french

# ExerciseError n'est levée que par ce module : les chapitres ne l'importent pas.
__all__ = ["answer_digest", "check_answer", "check_close", "check_function", "check_true", "done",
           "success"]


class ExerciseError(AssertionError):
    """Réponse fausse (ou absente pendant la correction) : Jupyter n'en affiche que le message."""

    def _render_traceback_(self) -> list[str]:  # lu par IPython à la place de la pile d'appels
        return [str(self)]


def _message(name: str, value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"`{name}` doit être une chaîne de caractères ; "
                        f"reçu : {check.describe(value)}")
    return value


def success(message: str) -> None:
    """Affiche le message de réussite d'un exercice."""
    print(f"✔ Bravo : {_message('message', message)}")


def _fail(message: str):
    raise ExerciseError(f"✘ {message}")


def _grading() -> bool:
    """Vrai pendant la correction automatique par nbgrader (autograde, validate)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def _not_done(what: str) -> bool:
    """Exercice encore vide : message sans erreur dans Jupyter, échec pendant la correction."""
    if _grading():
        _fail(f"exercice non fait : {what}")
    print(f"… Exercice pas encore fait : {what}. Complétez la cellule de réponse, puis "
          "exécutez de nouveau cette cellule.")
    return False


def _instructions(code) -> list:
    return [(i.opname, i.argval) for i in dis.get_instructions(code)
            if i.opname not in ("RESUME", "NOP", "CACHE")]


def _empty_function():
    ...


def _blank(value) -> bool:
    """Une réponse pas encore donnée (``None``, ``...``), ou une fonction dont le corps n'est
    encore que ``pass`` (ce que laisse l'édition étudiante) : le code d'une fonction vide."""
    if value is None or value is Ellipsis:
        return True
    code = getattr(value, "__code__", None)
    return code is not None and _instructions(code) == _instructions(_empty_function.__code__)


def done(*names: str) -> bool:
    """Vrai si les variables ``names`` de la cellule de réponse existent et ne valent ni
    ``None`` ni ``...`` (ni une fonction au corps vide) ; sinon dit en français que l'exercice
    n'est pas encore fait.

    Une cellule de vérification commence par ``if done("w_and", "b_and"):``, ce qui évite
    une ``NameError`` quand l'exercice est vide.
    """
    if not names:
        raise TypeError("`names` doit contenir au moins un nom de variable, comme \"w_and\"")
    for name in names:
        _message("names", name)
    space = vars(sys.modules["__main__"])
    missing = [n for n in names if n not in space or _blank(space[n])]
    if missing:
        return _not_done("définissez " + " et ".join(missing))
    return True


def _canonical(value, decimals: int) -> str:
    """Écriture canonique d'une réponse : texte normalisé, ou nombres arrondis et forme."""
    if isinstance(value, str):
        return "texte:" + unicodedata.normalize("NFC", " ".join(value.split())).casefold()
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"`value` doit être un texte, un nombre ou un tableau de nombres ; "
                        f"reçu : {check.describe(value)}") from None
    rounded = np.round(array, decimals) + 0.0  # + 0.0 : pas de « -0 »
    numbers = ",".join(f"{x:.{decimals}f}" for x in rounded.ravel())
    return f"nombres:{array.shape}:{numbers}"


def answer_digest(value, decimals: int = 6) -> str:
    """Empreinte d'une réponse (16 caractères hexadécimaux) : texte sans casse ni espaces
    superflus, ou nombres arrondis à ``decimals`` décimales. La cellule de vérification
    contient cette empreinte, pas la réponse."""
    decimals = int(check.number("decimals", decimals, low=0, integer=True))
    return hashlib.sha256(_canonical(value, decimals).encode()).hexdigest()[:16]


def check_answer(name: str, value, digest: str, *, decimals: int = 6, hint: str = "") -> None:
    """Échoue si l'empreinte de ``value`` (la réponse ``name``) n'est pas ``digest``.

    Le message montre la valeur reçue, jamais la valeur attendue ; ``hint`` l'oriente."""
    _message("name", name)
    _message("digest", digest)
    _message("hint", hint)
    if _blank(value):
        _not_done(f"donnez une valeur à {name}")
        return
    if answer_digest(value, decimals) != digest:
        shown = value if isinstance(value, str) else _shown_value(value)
        _fail(f"{name} vaut {shown} : ce n'est pas la réponse attendue." + (
            f" {hint}" if hint else ""))


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
    if _blank(got):
        _not_done(f"donnez une valeur à {name}")
        return
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

    ``reference`` vient de ``lib`` (ou d'une autre bibliothèque), jamais de la solution écrite
    en clair. Une fonction encore vide (elle rend ``None``, ou lève ``NotImplementedError``)
    donne le message « pas encore fait ».
    """
    check.function("function", function)
    check.function("reference", reference)
    name = getattr(function, "__name__", "votre fonction") if name is None else _message(
        "name", name)
    atol = check.number("atol", atol, low=0)
    cases = _cases(cases)
    for args in cases:
        shown = ", ".join(_shown_argument(a) for a in args)
        try:
            got = function(*args)
        except NotImplementedError:
            _not_done(f"écrivez le corps de {name}")
            return
        except Exception as error:  # l'erreur de l'étudiant est traduite, pas cachée
            _fail(f"{name}({shown}) a levé {type(error).__name__} : {error}")
        if _blank(got):
            _not_done(f"{name} ne renvoie encore rien : écrivez son corps")
            return
        check_close(f"{name}({shown})", got, reference(*args), atol=atol, rtol=atol)
    success(f"{name} donne le résultat attendu sur les {len(cases)} cas testés.")


def _shown_argument(value) -> str:
    """Un argument d'un cas d'essai : ses valeurs s'il est petit, sinon sa forme."""
    if isinstance(value, int | float | np.number):
        return _shown(value)
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray | list | tuple):
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return check.describe(value)
        if array.size <= 6:
            return _shown_value(array)
    return check.describe(value)


def _shown_value(value) -> str:
    """Une réponse numérique en clair, à la française : « 0,25 » ou « [1 ; 0,5] »."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return _shown(array)
    if array.size > 6:
        return f"un tableau de forme {array.shape}"
    return "[" + " ; ".join(_shown(v) for v in array.ravel()) + "]"
