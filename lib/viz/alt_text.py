"""Texte de remplacement (attribut ``alt``) des figures, en français, tiré de la figure elle-même.

Un lecteur d'écran, ou une image qui ne se charge pas, lit ce texte à la place de la figure. Il
est composé des titres que la figure porte déjà (titre général, titres des panneaux, noms des
axes) : « Figure : Sortie du neurone. Panneaux : ET ; OU. »

Dans un noyau Jupyter, :func:`install_alt_text` fait écrire ce texte dans les métadonnées de
chaque image de figure (``{"image/png": {"alt": ...}}``) ; le livre HTML le reprend comme
attribut ``alt`` de l'image (extension ``book/_ext/typographie_fr.py``). Les fonctions ``draw_*``
l'installent d'elles-mêmes (décorateur :func:`lib.viz._style.drawing`).
"""

import re

from matplotlib.figure import Figure

from lib import _validation as check

__all__ = ["figure_alt_text", "install_alt_text"]

_MATH = re.compile(r"\$([^$]*)\$")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_SYMBOLS = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "eta": "η",
            "theta": "θ", "lambda": "λ", "mu": "μ", "sigma": "σ", "tau": "τ", "phi": "φ",
            "nabla": "∇", "partial": "∂", "times": "×", "cdot": "·", "leq": "≤", "geq": "≥",
            "approx": "≈", "infty": "∞", "sum": "Σ", "ell": "ℓ"}


def _formula(tex: str) -> str:
    """Une formule de mathtext lue en clair : ``\\eta_1`` → « η_1 »."""
    tex = _COMMAND.sub(lambda m: _SYMBOLS.get(m.group(1), m.group(1)), tex)
    return tex.replace("{", "").replace("}", "")


def _plain(text: str) -> str:
    """Texte d'un titre matplotlib sans les ``$`` ni les commandes de mathtext."""
    return " ".join(_MATH.sub(lambda m: _formula(m.group(1)), text).split())


def figure_alt_text(fig) -> str:
    """Le texte de remplacement de la figure matplotlib ``fig`` : titre général, titres des
    panneaux, et à défaut noms des axes. Voir le chapitre 1.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.set_title("Sortie du neurone")
    >>> figure_alt_text(fig)
    'Figure : Sortie du neurone.'
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"`fig` doit être une figure matplotlib ; reçu : {check.describe(fig)}")
    parts = []
    suptitle = _plain(fig.get_suptitle())
    titles = [t for ax in fig.axes
              if (t := _plain(" ".join(ax.get_title(loc) for loc in ("left", "center", "right"))))]
    if suptitle:
        parts.append(suptitle)
    if titles:
        parts.append(("Panneaux : " if len(titles) > 1 else "") + " ; ".join(dict.fromkeys(titles)))
    if not parts:
        labels = [f"{_plain(ax.get_ylabel())} selon {_plain(ax.get_xlabel())}" for ax in fig.axes
                  if ax.get_xlabel() and ax.get_ylabel()]
        count = len(fig.axes)
        parts.append(" ; ".join(dict.fromkeys(labels)) if labels else
                     f"figure sans titre ({count} panneau{'x' if count > 1 else ''})")
    text = ". ".join(p[0].upper() + p[1:] for p in parts)
    return f"Figure : {text}."


def install_alt_text() -> bool:
    """Dans un noyau IPython, ajoute à l'image PNG de chaque figure affichée son texte de
    remplacement (:func:`figure_alt_text`) ; rend ``True`` s'il est installé, ``False`` hors
    d'IPython ou sans affichage PNG des figures. Sans effet la deuxième fois."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython vient avec Jupyter
        return False
    shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        printer = formatter.lookup_by_type(Figure)
    except KeyError:
        return False
    if getattr(printer, "adds_alt_text", False):
        return True

    def png_with_alt(fig, _printer=printer):
        data = _printer(fig)
        if data is None:  # figure vide : rien à afficher
            return None
        metadata = {}
        if isinstance(data, tuple):
            data, metadata = data
        return data, {**(metadata or {}), "alt": figure_alt_text(fig)}

    png_with_alt.adds_alt_text = True
    formatter.for_type(Figure, png_with_alt)
    return True
