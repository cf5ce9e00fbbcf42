"""Figures interactives : le seul endroit où des curseurs sont reliés à un calcul et à un dessin.

Une figure interactive s'écrit ``explore(compute, draw, **controles)`` :

- ``compute(**valeurs)`` calcule un résultat à partir des valeurs des curseurs ;
- ``draw(ax, resultat)`` le dessine sur les axes donnés (des axes neufs à chaque fois) ;
- chaque contrôle est créé par :func:`slider`, :func:`choice` ou :func:`toggle`.

Dans Jupyter, déplacer un curseur recalcule et redessine la figure **sur place** (une
seule image mise à jour, pas de nouvelle figure). Dans une exécution non interactive
(construction du livre, nbval), la figure est dessinée une fois avec les valeurs par
défaut, suivie d'un texte qui décrit les curseurs. Voir le chapitre 1.
"""

from __future__ import annotations

import io
import math
import time
import weakref
from dataclasses import dataclass, field

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from lib import _validation as check
from lib import french

__all__ = ["slider", "choice", "toggle", "explore", "Explorer", "benchmark", "explorers"]

_REGISTRY: list[weakref.ref] = []


@dataclass(frozen=True)
class Slider:
    """Un curseur numérique : étiquette française, bornes, pas et valeur initiale."""

    label: str
    low: float
    high: float
    step: float
    value: float
    integer: bool = False

    def values(self, n: int = 5) -> list:
        """Quelques valeurs réparties sur l'intervalle (pour les mesures de vitesse)."""
        grid = np.linspace(self.low, self.high, n)
        return [int(round(v)) for v in grid] if self.integer else [float(v) for v in grid]

    def readout(self, value) -> str:
        """La valeur telle que le curseur l'affiche, à la française : « 0,25 », « 12 »."""
        if self.integer:
            return french.integer(int(round(value)))
        return french.number(value, _decimals(self.step))

    def describe(self) -> str:
        """« Poids (de −2,0 à 2,0, ici 0,5) » : le texte de la version statique du livre."""
        shown = (self.readout(v) for v in (self.low, self.high, self.value))
        return "{} (de {} à {}, ici {})".format(self.label, *shown)


def _decimals(step: float) -> int:
    """Décimales utiles pour un pas : 0,25 → 2 ; 0,1 → 1 ; 0,0333… → 3 ; 5 → 0."""
    exact = len(f"{step:.10f}".rstrip("0").partition(".")[2])
    return min(exact, max(0, 1 - math.floor(math.log10(step))))


@dataclass(frozen=True)
class Choice:
    """Un menu déroulant : étiquette française et options {texte affiché: valeur}."""

    label: str
    options: dict
    value: object

    def values(self, n: int = 5) -> list:
        return list(self.options.values())[:n]

    def describe(self) -> str:
        shown = next(k for k, v in self.options.items() if v == self.value)
        return f"{self.label} ({', '.join(self.options)} ; ici {shown})"


@dataclass(frozen=True)
class Toggle:
    """Une case à cocher : étiquette française et valeur initiale."""

    label: str
    value: bool = False

    def values(self, n: int = 5) -> list:
        return [not self.value, self.value]

    def describe(self) -> str:
        return f"{self.label} ({'oui' if self.value else 'non'} ici)"


def slider(label: str, low: float, high: float, step: float | None = None, value=None) -> Slider:
    """Crée un curseur de ``low`` à ``high`` (entier si les trois bornes sont entières).

    Voir le chapitre 1.
    """
    _check_label(label)
    # Entier si les bornes (et le pas) données sont des int, avant leur conversion en float.
    integer = all(isinstance(v, int) for v in (low, high)) and isinstance(step, int | None)
    low, high = check.number("low", low), check.number("high", high)
    if high <= low:
        raise ValueError(f"`high` doit être > `low` ; reçu : low={low:g}, high={high:g}")
    integer = integer and float(low).is_integer() and float(high).is_integer() and (
        step is None or float(step).is_integer()
    )
    step = check.number("step", step, low=0, strict_low=True) if step is not None else (
        1 if integer else (high - low) / 100
    )
    value = (low + high) / 2 if value is None else check.number("value", value, low=low, high=high)
    if integer:
        return Slider(label, int(low), int(high), int(step), int(round(value)), True)
    return Slider(label, low, high, step, value)


def _shown(option) -> str:
    """Le texte d'une option de menu : un nombre à virgule s'écrit à la française (« 0,5 »)."""
    from lib.viz._style import compact

    return compact(option) if isinstance(option, float) else str(option)


def _check_label(label) -> None:
    if not isinstance(label, str):
        raise TypeError(f"`label` doit être une chaîne de caractères ; reçu : {label!r}")


def choice(label: str, options, value=None) -> Choice:
    """Crée un menu déroulant ; ``options`` est une liste ou un dict {texte affiché: valeur}.

    Voir le chapitre 2.
    """
    _check_label(label)
    if isinstance(options, list | tuple):
        options = {_shown(o): o for o in options}
    if not isinstance(options, dict) or not options:
        raise TypeError(f"`options` doit être une liste ou un dict non vide ; reçu : {options!r}")
    values = list(options.values())
    if value is None:
        value = values[0]
    check.choice("value", value, values)
    return Choice(label, dict(options), value)


def toggle(label: str, value: bool = False) -> Toggle:
    """Crée une case à cocher. Voir le chapitre 1."""
    _check_label(label)
    if not isinstance(value, bool):
        raise TypeError(f"`value` doit être True ou False ; reçu : {value!r}")
    return Toggle(label, value)


def _reset(ax) -> None:
    """Vide des axes sans les recréer (recréer les graduations coûte cher)."""
    artists = [*ax.lines, *ax.collections, *ax.images, *ax.patches, *ax.texts, *ax.tables]
    for artist in artists:
        artist.remove()
    if ax.legend_ is not None:
        ax.legend_.remove()
    for loc in ("center", "left", "right"):
        ax.set_title("", loc=loc)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.relim()
    ax.set_autoscale_on(True)
    ax.set_prop_cycle(None)
    colorbar = getattr(ax, "_lib_colorbar", None)
    if colorbar is not None:
        colorbar.ax.set_visible(False)


@dataclass
class Explorer:
    """Une figure interactive : des contrôles, une fonction de calcul et une fonction de dessin."""

    compute: object
    draw: object
    controls: dict
    figsize: tuple
    layout: tuple
    dpi: int = 80
    values: dict = field(init=False)
    timings: list = field(init=False, default_factory=list)

    def __post_init__(self):
        self.values = {name: c.value for name, c in self.controls.items()}
        self.figure = Figure(figsize=self.figsize, dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(*self.layout, squeeze=True)
        self._handle = None
        self._status = None
        self._render()
        # La mise en page est calculée au premier dessin puis figée : la recalculer à
        # chaque mouvement de curseur coûterait plus que tout le reste.
        self.figure.set_layout_engine("none")

    def _render(self) -> bytes:
        """Recalcule, redessine sur les axes vidés et rend l'image PNG."""
        result = self.compute(**self.values)
        for ax in np.atleast_1d(self.axes).flat:
            _reset(ax)
        self.draw(self.axes, result)
        self.figure.canvas.draw()
        pixels = np.asarray(self.figure.canvas.buffer_rgba())
        buffer = io.BytesIO()
        PILImage.fromarray(pixels).save(buffer, format="png", compress_level=1)
        self.png = buffer.getvalue()
        return self.png

    def update(self, **values) -> None:
        """Change des valeurs (comme un curseur), recalcule et remplace l'image sur place."""
        for name in values:
            if name not in self.controls:
                raise ValueError(f"`{name}` : contrôle inconnu de cette figure ; contrôles "
                                 f"connus : {', '.join(self.controls)}")
        start = time.perf_counter()
        self.values.update(values)
        try:
            self._render()
        except (ValueError, TypeError) as error:
            self._show_status(f"Attention : {error}")
            return
        self._show_status("")
        if self._handle is not None:
            from IPython.display import Image

            self._handle.update(Image(data=self.png, format="png"))
        self.timings.append(time.perf_counter() - start)

    def _show_status(self, text: str) -> None:
        if self._status is not None:
            self._status.value = text

    def describe(self) -> str:
        """Texte décrivant les contrôles (version statique du livre, accessibilité)."""
        items = "".join(f"<li>{c.describe()}</li>" for c in self.controls.values())
        return (
            "<div class='explore-static'><p><strong>Figure interactive.</strong> "
            "Dans Jupyter, ces contrôles modifient la figure en direct ; "
            f"la version en ligne montre les valeurs par défaut :</p><ul>{items}</ul></div>"
        )

    def _widget(self):
        import ipywidgets as w

        rows = []
        for name, c in self.controls.items():
            control, row = _control_widget(w, c)
            control.observe(lambda change, n=name: self.update(**{n: change["new"]}), "value")
            rows.append(row)
        self._status = w.HTML("")
        return w.VBox([*rows, self._status])

    def _ipython_display_(self) -> None:
        from IPython.display import Image, display

        box = self._widget()
        bundle = {
            "text/plain": "Contrôles de la figure interactive",
            "text/html": self.describe(),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": box.model_id,
            },
        }
        display(bundle, raw=True)
        self._handle = display(Image(data=self.png, format="png"), display_id=True)


def _control_widget(w, c):
    """Le widget ipywidgets d'un contrôle, et la ligne qui l'affiche.

    Un curseur est suivi de sa valeur écrite à la française (« 0,25 ») : l'affichage
    intégré d'ipywidgets ne sait pas écrire la virgule décimale.
    """
    style = {"description_width": "initial"}
    if isinstance(c, Choice):
        control = w.Dropdown(options=list(c.options.items()), value=c.value,
                             description=c.label, style=style)
        return control, control
    if isinstance(c, Toggle):
        control = w.Checkbox(value=c.value, description=c.label, style=style)
        return control, control
    kind = w.IntSlider if c.integer else w.FloatSlider
    control = kind(value=c.value, min=c.low, max=c.high, step=c.step, description=c.label,
                   style=style, continuous_update=True, readout=False,
                   layout=w.Layout(width="380px"))
    shown = w.Label(c.readout(c.value))
    control.observe(lambda change: setattr(shown, "value", c.readout(change["new"])), "value")
    return control, w.HBox([control, shown])


def explore(compute, draw, *, figsize=(7.0, 3.5), layout=(1, 1), **controls) -> Explorer:
    """Relie des contrôles (curseurs, menus, cases) à un calcul et à un dessin.

    ``compute(**valeurs) -> résultat`` puis ``draw(ax, résultat)`` ; ``ax`` est un tableau
    d'axes si ``layout`` en demande plusieurs. Voir le chapitre 1.
    """
    check.function("compute", compute)
    check.function("draw", draw)
    if not controls:
        raise ValueError("`explore` attend au moins un contrôle (slider, choice ou toggle)")
    for name, c in controls.items():
        if not isinstance(c, Slider | Choice | Toggle):
            raise TypeError(
                f"`{name}` doit être créé par slider(...), choice(...) ou toggle(...) ; "
                f"reçu : {check.describe(c)}"
            )
    if not isinstance(figsize, tuple | list) or len(figsize) != 2:
        raise TypeError(f"`figsize` doit être un couple (largeur, hauteur) en pouces ; "
                        f"reçu : {check.describe(figsize)}")
    figsize = tuple(check.number("figsize", v, low=0, strict_low=True) for v in figsize)
    if (not isinstance(layout, tuple) or len(layout) != 2
            or not all(isinstance(n, int) and n >= 1 for n in layout)):
        raise ValueError(f"`layout` doit être un couple (lignes, colonnes) ; reçu : {layout!r}")
    explorer = Explorer(compute, draw, dict(controls), figsize, layout)
    _REGISTRY.append(weakref.ref(explorer))
    return explorer


def explorers() -> list[Explorer]:
    """Les figures interactives encore vivantes, dans l'ordre de création."""
    return [e for e in (ref() for ref in _REGISTRY) if e is not None]


def benchmark(explorer: Explorer, repeats: int = 3) -> float:
    """Temps médian (en millisecondes) entre un changement de contrôle et l'image redessinée.

    Chaque contrôle parcourt quelques valeurs de son intervalle, ``repeats`` fois.
    """
    if not isinstance(explorer, Explorer):
        raise TypeError(f"`explorer` doit être un Explorer ; reçu : {check.describe(explorer)}")
    defaults = dict(explorer.values)
    explorer.timings.clear()
    for _ in range(check.number("repeats", repeats, low=1, integer=True)):
        for name, control in explorer.controls.items():
            for value in control.values():
                explorer.update(**{name: value})
            explorer.update(**{name: defaults[name]})
    return 1000 * float(np.median(explorer.timings))
