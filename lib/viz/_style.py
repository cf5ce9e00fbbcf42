"""Conventions graphiques communes : couleurs lisibles, barres de couleur, nombres à la française.

Toute fonction publique ``draw_*`` de :mod:`lib.viz` est décorée par :func:`drawing`, qui vérifie
les axes reçus et met leurs graduations à la française (:class:`FrenchFormatter`).
"""

import functools
import inspect
import re
import weakref
from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import ScalarFormatter

from lib import _validation as check
from lib import french
from lib.viz.alt_text import install_alt_text

#: Valeurs signées (poids, gradients) : bleu négatif, blanc zéro, rouge positif.
CMAP_SIGNED = "RdBu_r"
#: Valeurs positives (activations, probabilités) : perceptuellement uniforme.
CMAP_POSITIVE = "viridis"
#: Cartes d'attribution superposées à une image en niveaux de gris.
CMAP_HEAT = "inferno"
#: Couleurs des classes (palette accessible aux daltoniens, Okabe-Ito).
CLASS_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def superscript(value) -> str:
    """Un entier en exposant, en texte simple (« -6 » → « ⁻⁶ ») : plus rapide que mathtext."""
    return str(value).translate(_SUPERSCRIPTS)


def subscript(value) -> str:
    """Un entier en indice, en texte simple (« 12 » → « ₁₂ »)."""
    return str(value).translate(_SUBSCRIPTS)


@dataclass
class AxesMemory:
    """Ce qu'un dessin laisse sur des axes pour le dessin suivant sur les mêmes axes.

    Une figure interactive (:mod:`lib.widgets`) redessine sur les mêmes axes à chaque mouvement
    de curseur ; recréer la barre de couleur ou la normalisation des couleurs coûterait cher.
    Le contrat, en entier :

    - une fonction de dessin lit et écrit ces champs par :func:`memory` (``memory(ax).colorbar``),
      jamais par des attributs cachés posés sur les axes ;
    - :func:`colorbar` crée la barre au premier dessin, la réutilise et la remontre ensuite ;
    - avant chaque nouveau dessin, ``lib.widgets`` vide les axes puis appelle :meth:`hide` :
      une barre que le nouveau dessin ne redemande pas reste cachée.
    """

    #: La barre de couleur des axes (``matplotlib.colorbar.Colorbar``), ou None.
    colorbar: object = None
    #: La normalisation des couleurs réutilisée tant que la plage ne change pas, ou None.
    norm: object = None

    def hide(self) -> None:
        """Cache la barre de couleur jusqu'à ce qu'un dessin la redemande."""
        if self.colorbar is not None:
            self.colorbar.ax.set_visible(False)


_MEMORY: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def memory(ax) -> AxesMemory:
    """La mémoire des axes ``ax`` (vide au premier appel) : voir :class:`AxesMemory`."""
    check.axes("ax", ax)
    if ax not in _MEMORY:
        _MEMORY[ax] = AxesMemory()
    return _MEMORY[ax]


def colorbar(ax, mappable, label: str = ""):
    """Ajoute à ``ax`` une barre de couleur étiquetée, réutilisée d'un dessin à l'autre.

    Dans une figure interactive, la barre est redessinée sur place au lieu d'être
    recréée à chaque mouvement de curseur. Voir le chapitre 1.
    """
    check.axes("ax", ax)
    if not hasattr(mappable, "get_cmap"):
        raise TypeError(f"`mappable` doit être un dessin en couleurs (ce que renvoie imshow) ; "
                        f"reçu : {check.describe(mappable)}")
    if not isinstance(label, str):
        raise TypeError(f"`label` doit être une chaîne de caractères ; reçu : {label!r}")
    kept = memory(ax)
    bar = kept.colorbar
    if bar is None:
        bar = kept.colorbar = ax.get_figure().colorbar(mappable, ax=ax)
    else:
        bar.ax.set_visible(True)
        bar.update_normal(mappable)
    bar.set_label(label)
    french_ticks(ax)
    return ax


def compact(value, significant: int = 3) -> str:
    """Comme ``f"{value:g}"``, à la française : 0.25 → « 0,25 », −2e-05 → « −2 × 10⁻⁵ »."""
    text = f"{float(value):.{significant}g}"
    mantissa, _, exponent = text.partition("e")
    decimals = len(mantissa.partition(".")[2])
    if exponent:
        return french.scientific(value, decimals)
    return french.number(value, decimals)


_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def _comma(text: str) -> str:
    """« 0.5 » → « 0,5 » ; en mathtext « 0{,}5 » (sans l'espace qu'il met après une virgule)."""
    return _DECIMAL_POINT.sub("{,}" if "$" in text else ",", text)


class FrenchFormatter(ScalarFormatter):
    """Graduations à la française : « 0,5 » et non « 0.5 », signe moins « − », « ×10⁻⁵ ».

    Même choix des chiffres que le ``ScalarFormatter`` de matplotlib ; seule l'écriture change.
    Voir le chapitre 1.
    """

    def __call__(self, x, pos=None):
        return _comma(super().__call__(x, pos))

    def format_data_short(self, value):
        return _comma(super().format_data_short(value))

    def get_offset(self):
        """Le facteur commun écrit au bout de l'axe : « ×10⁻⁵ », « +1000 »."""
        if not len(self._locs) or self._useMathText or self._usetex:
            return _comma(super().get_offset())
        parts = []
        if self._orderOfMagnitude:
            parts.append("×10" + superscript(self._orderOfMagnitude))
        if self.offset:
            parts.append(("+" if self.offset > 0 else "") + compact(self.offset, 10))
        return " ".join(parts)


def _frenchify(axis) -> None:
    """Remplace le ``ScalarFormatter`` par défaut d'un axe ; garde tout autre choix (log, noms)."""
    if type(axis.get_major_formatter()) is ScalarFormatter:
        axis.set_major_formatter(FrenchFormatter())


def french_ticks(ax):
    """Met à la française les graduations linéaires de ``ax`` et de sa barre de couleur.

    Les axes logarithmiques (« 10⁻⁵ », sans décimales) et les graduations nommées sont gardés.
    Voir le chapitre 1.
    """
    check.axes("ax", ax)
    _frenchify(ax.xaxis)
    _frenchify(ax.yaxis)
    bar = memory(ax).colorbar
    if bar is not None and type(bar.formatter) is ScalarFormatter:
        bar.formatter = FrenchFormatter()
    install_alt_text()  # texte de remplacement des figures affichées dans Jupyter
    return ax


def _axes_of(name: str, value) -> list:
    """Les axes reçus, vérifiés : un seul pour ``ax``, un tableau ou une liste pour ``axes``."""
    if name != "axes" or hasattr(value, "imshow"):
        return [check.axes(name, value)]
    flat = list(np.ravel(np.asarray(value, dtype=object)))
    return [check.axes(name, ax) for ax in flat]


def drawing(function):
    """Décorateur des fonctions ``draw_*`` : vérifie les axes (premier paramètre, ``ax`` ou
    ``axes``) avant le dessin, puis met leurs graduations à la française (:func:`french_ticks`).

    Voir le chapitre 1.
    """
    name = next(iter(inspect.signature(function).parameters))

    @functools.wraps(function)
    def draw(*args, **kwargs):
        if not args and name not in kwargs:
            return function(*args, **kwargs)  # Python signale l'argument manquant
        axes = _axes_of(name, args[0] if args else kwargs[name])
        out = function(*args, **kwargs)
        for ax in axes:
            french_ticks(ax)
        return out

    draw.is_drawing = True  # marque vérifiée par les tests
    return draw


def color(name: str, value):
    """Vérifie que ``value`` est une couleur de matplotlib (« red », « #0072B2 »…) ou ``None``."""
    from matplotlib.colors import is_color_like

    if value is not None and not is_color_like(value):
        raise ValueError(f"`{name}` doit être une couleur de matplotlib (par exemple "
                         f"'#0072B2' ou 'black') ; reçu : {check.describe(value)}")
    return value


def colormap(name: str, value):
    """Vérifie que ``value`` est le nom d'une carte de couleurs de matplotlib."""
    from matplotlib import colormaps

    if not isinstance(value, str) or value not in colormaps:
        raise ValueError(f"`{name}` doit être le nom d'une carte de couleurs de matplotlib "
                         f"(par exemple 'gray' ou 'viridis') ; reçu : {check.describe(value)}")
    return value


def string(name: str, value, *, optional: bool = False):
    """Vérifie que ``value`` est une chaîne de caractères (ou ``None`` si ``optional``)."""
    if not (isinstance(value, str) or (optional and value is None)):
        raise TypeError(f"`{name}` doit être une chaîne de caractères"
                        f"{' ou None' if optional else ''} ; reçu : {check.describe(value)}")
    return value


def names(name: str, value) -> list:
    """Vérifie une liste de noms (ou un tableau, un tenseur) ; renvoie des chaînes (« 0,5 »)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, list | tuple | range):
        raise TypeError(f"`{name}` doit être une liste de noms ; reçu : {check.describe(value)}")
    return [compact(v) if isinstance(v, float) else str(v) for v in value]
