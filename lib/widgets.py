"""Figures interactives : le seul endroit où des curseurs sont reliés à un calcul et à un dessin.

Une figure interactive s'écrit ``explore(compute, draw, **controles)`` :

- ``compute(**valeurs)`` calcule un résultat à partir des valeurs des curseurs ;
- ``draw(ax, resultat)`` le dessine sur les axes donnés (des axes neufs à chaque fois) ;
- chaque contrôle est créé par :func:`slider`, :func:`choice` ou :func:`toggle`.

Dans Jupyter, déplacer un curseur recalcule et redessine la figure **sur place** (une
seule image mise à jour, pas de nouvelle figure). Voir le chapitre 1.

Dans le livre HTML (aucun noyau Python derrière la page), la même cellule produit une
figure qui bouge quand même. Pendant la construction du livre, l'extension
``book/_ext/figures_statiques.py`` pose la variable d'environnement :data:`BOOK_ENV`,
héritée par le noyau qui exécute les chapitres. ``explore`` dessine alors d'avance une image
(WebP) par valeur des contrôles et affiche une sortie HTML autonome : contrôles HTML natifs
(curseur, menu, case à cocher, utilisables au clavier), l'image et son texte de remplacement
en français, la table des images et quelques lignes de JavaScript, sans bibliothèque ni
réseau. Toutes les combinaisons sont dessinées quand elles sont peu nombreuses (au plus
:data:`MAX_GRID`) ; sinon un seul contrôle bouge à la fois, les autres revenant à leur valeur
par défaut, et la figure le dit. Un curseur de plus de :data:`MAX_POSITIONS` positions avance
en ligne par pas plus grands.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import math
import os
import re
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

#: Variable d'environnement posée par la construction du livre HTML (``book/_ext``).
BOOK_ENV = "LIB_WIDGETS_BOOK"
#: Au plus ce nombre de combinaisons : toutes sont dessinées ; au-delà, un contrôle à la fois.
MAX_GRID = 64
#: Au plus ce nombre de positions par curseur dans le livre HTML (les extrémités, la valeur
#: par défaut et des pas réguliers autour d'elle).
MAX_POSITIONS = 25
#: Poids visé des images d'une figure dans le livre HTML (octets, avant base64) : le nombre de
#: positions des curseurs est choisi d'après le poids de la première image.
BUDGET = 450_000
#: Résolution des figures : dans Jupyter, et dans le livre HTML (images plus nettes).
DPI, BOOK_DPI = 100, 110
#: Qualité WebP des images du livre HTML (avec perte ; 100 = la meilleure).
WEBP_QUALITY = 80

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

    def positions(self, limit: int = MAX_POSITIONS) -> list:
        """Les valeurs que prend le curseur dans le livre HTML : tous les pas, ou environ
        ``limit`` (extrémités, valeur par défaut et pas réguliers autour d'elle)."""
        count = int(math.floor((self.high - self.low) / self.step + 1e-9)) + 1
        stride = max(1, math.ceil(count / limit))
        start = round((self.value - self.low) / self.step)
        steps = {0, count - 1, *range(start % stride, count, stride)}
        values = [self.low + k * self.step for k in sorted(steps)]
        if self.high - values[-1] > self.step * 1e-6:
            values.append(self.high)
        values = [int(round(v)) if self.integer else float(round(v, 12)) for v in values]
        near = min(range(len(values)), key=lambda i: abs(values[i] - self.value))
        values[near] = self.value
        return values

    def readout(self, value) -> str:
        """La valeur telle que le curseur l'affiche, à la française : « 0,25 », « 12 »."""
        if self.integer:
            return french.integer(int(round(value)))
        return french.number(value, _decimals(self.step))

    def describe(self) -> str:
        """« Poids (de −2,0 à 2,0, ici 0,5) » : le curseur décrit en texte."""
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

    def positions(self, limit: int | None = None) -> list:
        return list(self.options.values())

    def readout(self, value) -> str:
        return next(k for k, v in self.options.items() if v == value)

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

    def positions(self, limit: int | None = None) -> list:
        return [False, True]

    def readout(self, value) -> str:
        return "oui" if value else "non"

    def describe(self) -> str:
        return f"{self.label} (ici : {self.readout(self.value)})"


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
    """Vide des axes sans les recréer (recréer les graduations coûte cher).

    La barre de couleur n'est pas retirée mais cachée (:meth:`lib.viz._style.AxesMemory.hide`) :
    la fonction de dessin la remontre si elle la redemande (contrat décrit dans
    :class:`lib.viz._style.AxesMemory`).
    """
    from lib.viz._style import memory

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
    memory(ax).hide()


def in_book() -> bool:
    """Vrai pendant la construction du livre HTML (variable :data:`BOOK_ENV` posée)."""
    return os.environ.get(BOOK_ENV, "") == "1"


@dataclass
class Explorer:
    """Une figure interactive : des contrôles, une fonction de calcul et une fonction de dessin."""

    compute: object
    draw: object
    controls: dict
    figsize: tuple
    layout: tuple
    dpi: int = DPI
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
        self._draw()
        buffer = io.BytesIO()
        PILImage.fromarray(self._pixels()).save(buffer, format="png", compress_level=1)
        self.png = buffer.getvalue()
        return self.png

    def _draw(self) -> None:
        result = self.compute(**self.values)
        for ax in np.atleast_1d(self.axes).flat:
            _reset(ax)
        self.draw(self.axes, result)
        self.figure.canvas.draw()

    def _pixels(self) -> np.ndarray:
        return np.asarray(self.figure.canvas.buffer_rgba())

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
        """Texte décrivant les contrôles, montré là où les widgets ne s'affichent pas (page
        exportée sans noyau) ; le livre HTML a ses propres contrôles (:meth:`static_html`)."""
        items = "".join(f"<li>{c.describe()}</li>" for c in self.controls.values())
        return (
            "<div class='explore-static'><p><strong>Figure interactive.</strong> "
            "Dans Jupyter, ces contrôles modifient la figure en direct ; "
            f"ici, sans noyau Python, la figure garde ces valeurs :</p><ul>{items}</ul></div>"
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

    def frames(self) -> Frames:
        """Dessine d'avance les images du livre HTML (voir :class:`Frames`)."""
        return Frames.of(self)

    def static_html(self) -> str:
        """La figure du livre HTML : contrôles natifs, images précalculées, JavaScript simple."""
        return self.frames().html()

    def _ipython_display_(self) -> None:
        from IPython.display import Image, display

        if in_book():
            display({"text/plain": "Figure interactive (" + ", ".join(
                c.label for c in self.controls.values()) + ")",
                "text/html": self.static_html()}, raw=True)
            return
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
    explorer = Explorer(compute, draw, dict(controls), figsize, layout,
                        BOOK_DPI if in_book() else DPI)
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


@dataclass
class Frames:
    """Les images d'une figure interactive dessinées d'avance pour le livre HTML.

    ``positions[i]`` : les valeurs que prend le contrôle ``i`` en ligne ; ``defaults[i]`` : la
    position de sa valeur par défaut ; ``grid`` : toutes les combinaisons sont dessinées (sinon
    un contrôle bouge à la fois) ; ``table`` : « i,j,k » (positions des contrôles) →
    (numéro d'image, texte de remplacement, message) ; ``images`` : les images WebP distinctes.
    """

    explorer: Explorer
    positions: list
    defaults: list
    grid: bool
    table: dict
    images: list
    size: tuple
    seconds: float = 0.0  # durée du dessin de toutes les images

    @classmethod
    def of(cls, explorer: Explorer, budget: int = BUDGET) -> Frames:
        start = time.perf_counter()
        controls = list(explorer.controls.values())
        explorer.values = {name: c.value for name, c in explorer.controls.items()}
        explorer._draw()
        room = max(1, budget // len(_webp(explorer._pixels())))  # images permises
        full = [c.positions(10**9) for c in controls]
        grid = math.prod(len(p) for p in full) <= min(MAX_GRID, room)
        positions = full if grid else _thin(controls, full, room)
        grid = grid or len(controls) == 1  # un seul contrôle : rien à ramener par défaut
        defaults = [_position(p, c.value) for p, c in zip(positions, controls, strict=True)]
        counts = [len(p) for p in positions]
        if grid:
            keys = list(itertools.product(*(range(n) for n in counts)))
            keys.sort(key=lambda k: k != tuple(defaults))
        else:
            keys = [tuple(defaults)] + [
                tuple(defaults[:i]) + (k,) + tuple(defaults[i + 1:])
                for i, n in enumerate(counts) for k in range(n) if k != defaults[i]]
        saved = dict(explorer.values)
        table, images, seen = {}, [], {}
        try:
            for key in keys:
                values = {name: positions[i][k] for i, name in enumerate(explorer.controls)
                          for k in [key[i]]}
                explorer.values = dict(values)
                note = ""
                try:
                    explorer._draw()
                    picture = _webp(explorer._pixels())
                except (ValueError, TypeError) as error:
                    note, picture = f"Attention : {error}", images[0]
                if picture not in seen:
                    seen[picture] = len(images)
                    images.append(picture)
                table[",".join(map(str, key))] = (seen[picture], _typeset(_alt(explorer, values)),
                                                  _typeset(note))
        finally:
            explorer.values = saved
            explorer._render()
        width, height = explorer.figure.canvas.get_width_height()
        return cls(explorer, positions, defaults, grid, table, images, (width, height),
                   time.perf_counter() - start)

    def __len__(self) -> int:
        return len(self.table)

    def nbytes(self) -> int:
        """Taille des images (octets, avant leur écriture en base64 dans la page)."""
        return sum(len(image) for image in self.images)

    def notes(self) -> list[str]:
        """Les phrases qui disent ce que la version en ligne fait autrement que Jupyter."""
        notes = []
        if not self.grid:
            notes.append("Un seul contrôle bouge à la fois dans cette version en ligne : "
                         "les autres reviennent à leur valeur par défaut.")
        thinned = [f"« {c.label} » ({len(p)} valeurs sur {len(_all_steps(c))})"
                   for c, p in zip(self.explorer.controls.values(), self.positions, strict=True)
                   if isinstance(c, Slider) and len(p) < len(_all_steps(c))]
        sliders = [len(p) for c, p in zip(self.explorer.controls.values(), self.positions,
                                          strict=True) if isinstance(c, Slider)]
        if len(thinned) > 1 and len(thinned) == len(sliders):  # phrase courte : tous éclaircis
            low, high = min(sliders), max(sliders)
            counts = f"{low} positions" if low == high else f"de {low} à {high} positions"
            notes.append(f"Les curseurs avancent ici par pas plus grands que dans Jupyter "
                         f"({counts} chacun).")
        elif thinned:
            notes.append(("Le curseur " if len(thinned) == 1 else "Les curseurs ")
                         + _french_list(thinned) + (" avance" if len(thinned) == 1 else " avancent")
                         + " ici par pas plus grands que dans Jupyter.")
        return notes

    def html(self) -> str:
        """La sortie HTML autonome : contrôles natifs, image, table des images, script."""
        rows = []
        for i, (control, positions) in enumerate(zip(self.explorer.controls.values(),
                                                     self.positions, strict=True)):
            label = html.escape(control.label)
            if isinstance(control, Toggle):
                checked = " checked" if self.defaults[i] else ""
                rows.append(f'<label><input type="checkbox" data-i="{i}"{checked}> {label}</label>')
            elif isinstance(control, Choice):
                options = "".join(
                    f'<option value="{k}"{" selected" if k == self.defaults[i] else ""}>'
                    f"{html.escape(control.readout(v))}</option>" for k, v in enumerate(positions))
                rows.append(f'<label>{label} <select data-i="{i}">{options}</select></label>')
            else:
                shown = html.escape(control.readout(positions[self.defaults[i]]))
                rows.append(
                    f'<label>{label} <input type="range" data-i="{i}" min="0" '
                    f'max="{len(positions) - 1}" step="1" value="{self.defaults[i]}" '
                    f'aria-valuetext="{shown}"> <output>{shown}</output></label>')
        data = {
            "grid": self.grid,
            "defaults": self.defaults,
            "labels": [[c.readout(v) for v in p] for c, p in
                       zip(self.explorer.controls.values(), self.positions, strict=True)],
            "images": ["data:image/webp;base64," + base64.b64encode(b).decode("ascii")
                       for b in self.images],
            "table": self.table,
            "seconds": round(self.seconds, 2),
        }
        # « < » écrit \u003c : aucune chaîne ne peut fermer la balise <script>.
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace(
            "<", "\\u003c")
        first, alt, _ = self.table[",".join(map(str, self.defaults))]
        width, height = self.size
        notes = " ".join(self.notes())
        return (
            '<div class="explore-live">'
            "<p><strong>Figure interactive.</strong> "
            + html.escape(_typeset("Déplacez les contrôles (souris ou flèches du clavier) : la "
                                   f"figure change. {notes}")) + "</p>"
            '<div class="explore-controls" style="display:flex;flex-wrap:wrap;'
            f'gap:0.3em 1.5em;margin-bottom:0.5em">{"".join(rows)}</div>'
            f'<img class="explore-image" src="{data["images"][first]}" '
            f'alt="{html.escape(alt)}" width="{width}" height="{height}" '
            'style="max-width:100%;height:auto">'
            '<p class="explore-status" role="status" aria-live="polite"></p>'
            f'<script type="application/json" class="explore-data">{payload}</script>'
            f"<script>{_SCRIPT}</script></div>"
        )


#: Le JavaScript de chaque figure : lit la position des contrôles et montre l'image.
_SCRIPT = """(function (root) {
  var data = JSON.parse(root.querySelector("script.explore-data").textContent);
  var image = root.querySelector("img.explore-image");
  var status = root.querySelector(".explore-status");
  var inputs = Array.prototype.slice.call(root.querySelectorAll("[data-i]"));
  function read(el) { return el.type === "checkbox" ? (el.checked ? 1 : 0) : Number(el.value); }
  function write(el, k) {
    if (el.type === "checkbox") { el.checked = k === 1; } else { el.value = String(k); }
  }
  function show(changed) {
    var key = inputs.map(function (el, i) {
      if (!data.grid && el !== changed) { write(el, data.defaults[i]); }
      var k = read(el), out = el.parentNode.querySelector("output");
      if (out) {
        out.textContent = data.labels[i][k];
        el.setAttribute("aria-valuetext", data.labels[i][k]);
      }
      return k;
    }).join(",");
    var frame = data.table[key];
    image.src = data.images[frame[0]];
    image.alt = frame[1];
    status.textContent = frame[2];
  }
  var pictures = null;
  function prepare() {  // images décodées dès que le lecteur approche : changement plus rapide
    if (pictures) { return; }
    pictures = data.images.map(function (src) {
      var picture = new Image();
      picture.src = src;
      return picture;
    });
    root.exploreReady = Promise.all(pictures.map(function (picture) {
      return picture.decode().catch(function () {});
    }));
  }
  root.addEventListener("pointerenter", prepare);
  root.addEventListener("focusin", prepare);
  inputs.forEach(function (el) {
    el.addEventListener(el.type === "checkbox" ? "change" : "input", function () {
      prepare();
      show(el);
    });
  });
})(document.currentScript.parentNode);"""


def _french_list(items: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _thin(controls: list, full: list, room: int) -> list:
    """Les positions des curseurs quand un contrôle bouge à la fois : les menus et cases
    gardent toutes leurs valeurs, les curseurs se partagent les ``room`` images permises."""
    fixed = sum(len(p) - 1 for c, p in zip(controls, full, strict=True)
                if not isinstance(c, Slider))
    sliders = sum(isinstance(c, Slider) for c in controls)
    limit = max(5, min(MAX_POSITIONS, (room - 1 - fixed) // max(1, sliders) + 1))
    return [c.positions(limit) if isinstance(c, Slider) else p
            for c, p in zip(controls, full, strict=True)]


def _all_steps(control: Slider) -> range:
    return range(int(math.floor((control.high - control.low) / control.step + 1e-9)) + 1)


def _position(positions: list, value) -> int:
    return next(i for i, v in enumerate(positions) if v == value)


def _webp(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    PILImage.fromarray(pixels).convert("RGB").save(buffer, format="webp", quality=WEBP_QUALITY,
                                                    method=4)
    return buffer.getvalue()


def _typeset(text: str) -> str:
    """Espaces insécables à la française (comme book/_ext/typographie_fr.py, qui ne touche pas
    au HTML brut) : avant « : », espace fine avant « ; ? ! », à l'intérieur de « »."""
    text = re.sub(r" +:", "\u00a0:", text)
    text = re.sub(r" +([;?!])", "\u202f\\1", text)
    return re.sub(r"« +", "«\u00a0", re.sub(r" +»", "\u00a0»", text))


def _plain(text: str) -> str:
    """Un texte de figure sans les marques de mathtext (« $x_1$ » → « x_1 »)."""
    return " ".join(text.replace("$", "").replace("\\", "").split())


def _alt(explorer: Explorer, values: dict) -> str:
    """Le texte de remplacement d'une image : les valeurs des contrôles et ce que montre chaque
    panneau (titre, axes), en français."""
    shown = []
    for name, control in explorer.controls.items():
        text = control.readout(values[name])
        shown.append(f"{control.label} = {text}" if isinstance(control, Slider)
                     else f"{control.label} : {text}")
    panels = []
    for ax in np.atleast_1d(explorer.axes).flat:
        if not ax.get_visible():
            continue
        title = " ".join(t for t in (ax.get_title("left"), ax.get_title(), ax.get_title("right"))
                         if t)
        parts = [f"« {_plain(title)} »"] if title else []
        if ax.get_xlabel():
            parts.append(f"en abscisse {_plain(ax.get_xlabel())}")
        if ax.get_ylabel():
            parts.append(f"en ordonnée {_plain(ax.get_ylabel())}")
        if parts:
            panels.append(", ".join(parts))
    text = "Figure pour " + ", ".join(shown) + "."
    if len(panels) == 1:
        text += " Elle montre " + panels[0] + "."
    elif panels:
        text += " " + " ".join(f"Panneau {k} : {p}." for k, p in enumerate(panels, 1))
    return text
