"""Mesurer plusieurs fois : un résultat avec sa dispersion, et un verdict qui résiste au hasard.

Une comparaison sur laquelle repose une conclusion (méthode A contre méthode B…) est
refaite pour plusieurs graines (données et entraînement tirés à nouveau) : on en donne la
moyenne ± l'écart-type, et on ne conclut que si la différence dépasse la dispersion.
Voir le chapitre 8.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats

from lib import _validation as check
from lib import french

__all__ = ["Spread", "repeat", "difference", "verdict", "separation", "claim", "table",
           "MIN_REPEATS"]

#: Nombre minimal de répétitions d'une mesure dont dépend une conclusion.
MIN_REPEATS = 5


@dataclass(frozen=True)
class Spread:
    """Les valeurs d'une même mesure répétée, avec leur moyenne et leur écart-type."""

    values: tuple

    def __post_init__(self):
        values = check.array("values", list(self.values), ndim=1)
        if len(values) < 2:
            raise ValueError(f"`values` doit contenir au moins 2 mesures ; reçu : {len(values)}")
        object.__setattr__(self, "values", tuple(float(v) for v in values))

    @property
    def mean(self) -> float:
        """Moyenne des mesures."""
        return float(np.mean(self.values))

    @property
    def std(self) -> float:
        """Écart-type des mesures (estimateur sans biais, divisé par n − 1)."""
        return float(np.std(self.values, ddof=1))

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Intervalle de confiance de la moyenne (loi de Student à n − 1 degrés de liberté)."""
        level = check.number("level", level, low=0, high=1, strict_low=True)
        n = len(self.values)
        half = stats.t.ppf(0.5 + level / 2, n - 1) * self.std / math.sqrt(n)
        return float(self.mean - half), float(self.mean + half)

    def format(self, digits: int = 2, *, percent: bool = False) -> str:
        """« 0,88 ± 0,03 » : moyenne ± écart-type, à la française (« 12,5 % ± 3,1 % »
        avec ``percent``)."""
        if percent:
            return f"{french.percent(self.mean, digits)} ± {french.percent(self.std, digits)}"
        return french.plusminus(self.mean, self.std, digits)

    def __str__(self) -> str:
        return self.format()


def repeat(measure: Callable, seeds: Iterable[int] = range(MIN_REPEATS)):
    """Refait ``measure(seed)`` pour chaque graine et rassemble les résultats.

    ``measure`` renvoie un nombre (on obtient un :class:`Spread`) ou un dictionnaire
    {nom: nombre} (on obtient {nom: Spread}), éventuellement imbriqué. Au moins
    :data:`MIN_REPEATS` graines. Voir le chapitre 8.
    """
    check.function("measure", measure)
    seeds = [check.number("seeds", s, low=0, integer=True) for s in _as_list(seeds)]
    if len(seeds) < MIN_REPEATS:
        raise ValueError(f"`seeds` doit contenir au moins {MIN_REPEATS} graines ; "
                         f"reçu : {len(seeds)}")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"`seeds` ne doit pas répéter une graine ; reçu : {seeds}")
    return _gather([measure(seed) for seed in seeds], "measure(seed)")


def _as_list(seeds) -> list:
    if isinstance(seeds, str | bytes) or not isinstance(seeds, Iterable):
        raise TypeError(f"`seeds` doit être une suite d'entiers ; reçu : {seeds!r}")
    return list(seeds)


def _gather(results: list, where: str):
    first = results[0]
    if isinstance(first, Mapping):
        for other in results[1:]:
            if not isinstance(other, Mapping) or set(other) != set(first):
                raise ValueError(f"`{where}` doit renvoyer les mêmes clés à chaque graine")
        return {key: _gather([r[key] for r in results], f"{where}[{key!r}]") for key in first}
    try:
        return Spread(tuple(float(r) for r in results))
    except (TypeError, ValueError):
        raise TypeError(f"`{where}` doit renvoyer un nombre ou un dictionnaire de nombres ; "
                        f"reçu : {check.describe(first)}") from None


def difference(a: Spread, b: Spread) -> Spread:
    """Différences a − b graine par graine (mesures appariées : mêmes graines, même ordre)."""
    for name, value in (("a", a), ("b", b)):
        if not isinstance(value, Spread):
            raise TypeError(f"`{name}` doit être un Spread (résultat de repeat) ; "
                            f"reçu : {check.describe(value)}")
    if len(a.values) != len(b.values):
        raise ValueError(f"`a` et `b` doivent avoir autant de mesures ; "
                         f"reçu : {len(a.values)} et {len(b.values)}")
    return Spread(tuple(x - y for x, y in zip(a.values, b.values, strict=True)))


def verdict(a: Spread, b: Spread, level: float = 0.95) -> int:
    """+1 si a dépasse b, −1 si b dépasse a, 0 si la mesure ne les sépare pas.

    On compare les mesures graine par graine : la différence moyenne a − b est retenue si
    son intervalle de confiance à ``level`` (Student, n − 1 degrés de liberté) exclut zéro.
    """
    low, high = difference(a, b).interval(level)
    return 1 if low > 0 else -1 if high < 0 else 0


def separation(a: Spread, b: Spread, level: float = 0.95) -> str:
    """La phrase qui dit si la mesure sépare ``a`` de ``b`` (voir :func:`verdict`)."""
    if verdict(a, b, level) == 0:
        return "la mesure ne les sépare pas"
    return "l'écart dépasse la dispersion"


def claim(verdicts) -> str:
    """Le verdict sur une affirmation, d'après les verdicts (+1, 0, −1) des mesures qui la
    testent, +1 allant dans le sens de l'affirmation : « Confirmé » si toutes la confirment,
    « Infirmé » si aucune ne la confirme et au moins une la contredit, « Non tranché » si
    aucune ne sépare, « Nuancé » sinon. Voir le chapitre 8.
    """
    if isinstance(verdicts, str) or not isinstance(verdicts, Iterable):
        raise TypeError(f"`verdicts` doit être une liste de +1, 0 ou −1 ; reçu : {verdicts!r}")
    values = list(verdicts)
    if not values or any(v not in (-1, 0, 1) for v in values):
        raise ValueError(f"`verdicts` doit être une liste non vide de +1, 0 ou −1 ; "
                         f"reçu : {values!r}")
    if all(v == 1 for v in values):
        return "Confirmé"
    if 1 not in values:
        return "Infirmé" if -1 in values else "Non tranché"
    return "Nuancé"


def table(rows: Mapping, *, first: str = "", digits: int = 2, percent: bool = False) -> str:
    """Tableau texte de mesures répétées : une ligne par clé de ``rows``, une colonne par clé
    des dictionnaires {colonne: Spread} ; chaque case « moyenne ± écart-type ». ``first``
    est l'en-tête de la première colonne. Voir le chapitre 8.
    """
    if not isinstance(rows, Mapping) or not rows:
        raise TypeError("`rows` doit être un dictionnaire non vide {ligne: {colonne: Spread}} ; "
                        f"reçu : {check.describe(rows)}")
    columns = list(next(iter(rows.values())))
    for name, row in rows.items():
        if not isinstance(row, Mapping) or list(row) != columns or not all(
                isinstance(v, Spread) for v in row.values()):
            raise ValueError(f"`rows[{name!r}]` doit être un dictionnaire {{colonne: Spread}} "
                             f"avec les colonnes {columns}")
    cells = {name: [row[c].format(digits, percent=percent) for c in columns]
             for name, row in rows.items()}
    left = max(len(first), *(len(str(name)) for name in rows))
    widths = [max(len(str(c)), *(len(v[i]) for v in cells.values()))
              for i, c in enumerate(columns)]
    def line(head, values):
        return f"{head:<{left}}" + "".join(
            f"  {v:>{w}}" for v, w in zip(values, widths, strict=True))

    return "\n".join([line(first, map(str, columns)),
                      *(line(str(name), values) for name, values in cells.items())])
