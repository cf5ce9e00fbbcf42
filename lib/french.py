"""Les nombres tels que le lecteur les lit : virgule décimale, espaces et signes à la française.

Un seul endroit formate les nombres que voit le lecteur : sorties imprimées des chapitres,
nombres collés dans le texte (``glue``), étiquettes et annotations des figures, valeurs
affichées par les curseurs. Les graduations des figures passent par
:class:`lib.viz._style.FrenchFormatter`, qui appelle ce module. Voir le chapitre 1.

>>> number(0.975)
'0,97'
>>> percent(0.123)
'12 %'
>>> plusminus(0.8812, 0.031)
'0,88 ± 0,03'
"""

from __future__ import annotations

import math

from lib import _validation as check

__all__ = ["number", "integer", "percent", "plusminus", "scientific", "MINUS", "NNBSP"]

#: Signe moins typographique (celui des graduations de matplotlib).
MINUS = "\u2212"
#: Espace fine insécable : séparateur des milliers et espace avant « % ».
NNBSP = "\u202f"


def _finite(name: str, value) -> float:
    if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:
        value = value.item()
    return check.number(name, value)


def _french(text: str) -> str:
    """« -1234.5 » → « −1 234,5 » : groupes de trois chiffres, virgule, signe moins."""
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, decimals = body.partition(".")
    if len(whole) > 4:  # groupes à partir de 10 000 ; « 2092 » se lit sans espace
        whole = f"{int(whole):,}".replace(",", NNBSP)
    out = whole + ("," + decimals if decimals else "")
    if sign and out.strip("0,") == "":  # « -0,00 » s'écrit « 0,00 »
        sign = ""
    return (MINUS if sign else "") + out


def number(value, digits: int = 2) -> str:
    """Écrit ``value`` avec ``digits`` chiffres après la virgule : 0.975 → « 0,97 »."""
    value = _finite("value", value)
    digits = check.number("digits", digits, low=0, high=12, integer=True)
    return _french(f"{value:.{digits}f}")


def integer(value) -> str:
    """Écrit un entier à la française : 12345 → « 12 345 »."""
    value = check.number("value", value, integer=True)
    return _french(str(value))


def percent(value, digits: int = 0) -> str:
    """Écrit la proportion ``value`` (0,123) en pourcentage : « 12 % » (espace fine insécable)."""
    value = _finite("value", value)
    return number(100 * value, digits) + NNBSP + "%"


def plusminus(mean, spread, digits: int = 2) -> str:
    """Écrit une moyenne et sa dispersion : « 0,88 ± 0,03 »."""
    spread = _finite("spread", spread)
    if spread < 0:
        raise ValueError(f"`spread` doit être positif ou nul ; reçu : {spread!r}")
    return f"{number(mean, digits)} ± {number(spread, digits)}"


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(value, digits: int = 1) -> str:
    """Écrit un très petit ou très grand nombre en notation scientifique : « 3,2 × 10⁻⁷ »."""
    value = _finite("value", value)
    digits = check.number("digits", digits, low=0, high=12, integer=True)
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    mantissa = value / 10**exponent
    if round(abs(mantissa), digits) >= 10:  # 9,96 arrondi à 10,0 : on passe à l'exposant suivant
        exponent, mantissa = exponent + 1, mantissa / 10
    return f"{number(mantissa, digits)} × 10{str(exponent).translate(_SUPERSCRIPTS)}"
