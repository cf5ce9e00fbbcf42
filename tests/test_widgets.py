"""Tests de lib.widgets : contrôles, figure interactive dessinée sur place, mesure de vitesse."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lib import viz, widgets
from lib.viz._style import memory

# --- contrôles --------------------------------------------------------------------------


def test_float_slider_defaults():
    s = widgets.slider("Poids w₁", -2.0, 2.0)
    assert (s.low, s.high, s.value, s.integer) == (-2.0, 2.0, 0.0, False)
    assert s.step == pytest.approx(0.04)
    values = s.values()
    assert values[0] == -2.0 and values[-1] == 2.0 and len(values) == 5
    assert "Poids w₁" in s.describe() and "ici 0" in s.describe()


def test_integer_slider_stays_integer():
    s = widgets.slider("Point", 0, 39, 1, 3)
    assert s.integer and s.value == 3 and isinstance(s.value, int)
    assert all(isinstance(v, int) for v in s.values())
    assert widgets.slider("Point", 0, 10).step == 1
    assert not widgets.slider("Seuil", 0, 10, 0.5).integer
    assert not widgets.slider("Seuil", 0.0, 10.0, 1.0).integer


@pytest.mark.parametrize(
    ("args", "error", "name"),
    [
        ((3, 0, 1), TypeError, "label"),
        (("a", "0", 1), TypeError, "low"),
        (("a", 0, np.inf), ValueError, "high"),
        (("a", 1.0, 1.0), ValueError, "high"),
        (("a", 0.0, 1.0, 0.0), ValueError, "step"),
        (("a", 0.0, 1.0, 0.1, 2.0), ValueError, "value"),
        (("a", 0.0, 1.0, 0.1, "0.5"), TypeError, "value"),
    ],
)
def test_slider_bad_inputs(args, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        widgets.slider(*args)


def test_choice_from_list_and_dict():
    c = widgets.choice("Porte", ["et", "ou"])
    assert c.options == {"et": "et", "ou": "ou"} and c.value == "et"
    d = widgets.choice("Activation", {"sigmoïde": "sigmoid", "ReLU": "relu"}, "relu")
    assert d.value == "relu" and d.values() == ["sigmoid", "relu"]
    assert "ici ReLU" in d.describe()
    rates = widgets.choice("Pas η", [0.05, 0.5, 2])
    assert list(rates.options) == ["0,05", "0,5", "2"] and rates.value == 0.05


def test_choice_bad_inputs():
    with pytest.raises(TypeError, match="`options`"):
        widgets.choice("Porte", [])
    with pytest.raises(TypeError, match="`options`"):
        widgets.choice("Porte", "et")
    with pytest.raises(ValueError, match="`value`"):
        widgets.choice("Porte", ["et", "ou"], "non")


def test_toggle():
    t = widgets.toggle("Afficher la frontière", True)
    assert t.value is True and set(t.values()) == {True, False}
    assert t.describe() == "Afficher la frontière (ici : oui)"
    with pytest.raises(TypeError, match="`value`"):
        widgets.toggle("Afficher", 1)


# --- explore ----------------------------------------------------------------------------


class Counter:
    """Un calcul et un dessin qui comptent leurs appels."""

    def __init__(self):
        self.computed, self.drawn, self.axes = 0, 0, []

    def compute(self, a=1.0, show=False):
        self.computed += 1
        if a < 0:
            raise ValueError("`a` doit être positif")
        return np.full((4, 4), a)

    def draw(self, ax, result):
        self.drawn += 1
        self.axes.append(ax)
        image = ax.imshow(result, vmin=0, vmax=3)
        viz.colorbar(ax, image, "valeur")
        ax.set_title(f"a = {result[0, 0]:g}")


@pytest.fixture
def counter():
    return Counter()


def _explorer(counter, **kwargs):
    return widgets.explore(counter.compute, counter.draw, a=widgets.slider("a", 0.0, 3.0, 0.5, 1.0),
                           show=widgets.toggle("Afficher"), **kwargs)


def test_explore_draws_once_with_default_values(counter):
    explorer = _explorer(counter)
    assert (counter.computed, counter.drawn) == (1, 1)
    assert explorer.values == {"a": 1.0, "show": False}
    assert explorer.png.startswith(b"\x89PNG")
    assert counter.axes[0] is explorer.axes and hasattr(explorer.axes, "imshow")
    assert explorer in widgets.explorers()


def test_explore_gives_an_array_of_axes_for_a_grid_layout(counter):
    seen = []
    widgets.explore(lambda a: a, lambda axes, r: seen.append(axes), layout=(1, 2),
                    a=widgets.slider("a", 0.0, 1.0))
    assert seen[0].shape == (2,)


def test_update_changes_the_image_in_place(counter):
    explorer = _explorer(counter)
    before, figure = explorer.png, explorer.figure
    explorer.update(a=2.5)
    assert explorer.values["a"] == 2.5 and counter.drawn == 2
    assert explorer.png != before
    assert explorer.figure is figure and explorer.axes.get_title() == "a = 2.5"
    assert len(explorer.axes.images) == 1  # l'ancienne image a été retirée
    assert len(explorer.timings) == 1


def test_no_pyplot_figure_is_created(counter):
    before = plt.get_fignums()
    explorer = _explorer(counter)
    explorer.update(a=2.0)
    widgets.benchmark(explorer, repeats=1)
    assert plt.get_fignums() == before


def test_reset_does_not_pile_up_colorbars(counter):
    explorer = _explorer(counter)
    n_axes = len(explorer.figure.axes)
    assert n_axes == 2  # les axes et leur barre de couleur
    for a in (0.5, 1.5, 2.5, 3.0):
        explorer.update(a=a)
    assert len(explorer.figure.axes) == n_axes
    assert memory(explorer.axes).colorbar.ax.get_visible()


def test_reset_hides_a_colorbar_that_is_not_redrawn():
    def draw(ax, a):
        ax.plot([0, 1], [0, a])
        if a > 0.5:
            viz.colorbar(ax, ax.imshow([[a]]), "valeur")

    explorer = widgets.explore(lambda a: a, draw, a=widgets.slider("a", 0.0, 1.0, 0.1, 1.0))
    explorer.update(a=0.2)
    assert not memory(explorer.axes).colorbar.ax.get_visible()
    assert len(explorer.axes.lines) == 1


def test_update_with_an_error_keeps_the_last_image(counter):
    explorer = _explorer(counter)
    status = explorer._widget().children[-1]
    explorer.update(a=2.0)
    image = explorer.png
    explorer.update(a=-1.0)  # le calcul refuse : message en français, pas d'exception
    assert status.value == "Attention : `a` doit être positif"
    assert explorer.png == image and len(explorer.timings) == 1
    explorer.update(a=1.0)
    assert status.value == ""


def test_update_unknown_control(counter):
    with pytest.raises(ValueError, match="`b` : contrôle inconnu de cette figure ; contrôles "
                                         "connus : a, show"):
        _explorer(counter).update(b=1.0)


@pytest.mark.parametrize(("args", "shown"), [
    (("Poids", -2.0, 2.0, 0.25, -0.5), ["−2,00", "2,00", "−0,50"]),
    (("Seuil", 0.0, 1.0, 0.1, 0.3), ["0,0", "1,0", "0,3"]),
    (("Pas", 0.0, 10.0, 1 / 3, 5.0), ["0,00", "10,00", "5,00"]),
    (("Petit pas", 0.0, 1.0, 1 / 30, 0.5), ["0,000", "1,000", "0,500"]),
    (("Taille", 0, 20000, 100, 12000), ["0", "20\u202f000", "12\u202f000"]),
])
def test_slider_readout_is_french(args, shown):
    s = widgets.slider(*args)
    assert [s.readout(v) for v in (s.low, s.high, s.value)] == shown
    assert s.describe() == f"{args[0]} (de {shown[0]} à {shown[1]}, ici {shown[2]})"


def test_widget_slider_shows_a_french_readout(counter):
    explorer = widgets.explore(counter.compute, counter.draw,
                               a=widgets.slider("a", 0.0, 3.0, 0.25, 1.5))
    row = explorer._widget().children[0]
    slider, readout = row.children
    assert slider.readout is False  # l'affichage d'ipywidgets écrirait « 1.50 »
    assert readout.value == "1,50"
    slider.value = 2.25
    assert readout.value == "2,25" and explorer.values["a"] == 2.25


def test_describe_lists_the_controls(counter):
    text = _explorer(counter).describe()
    assert "Figure interactive" in text and "a (de 0,0 à 3,0, ici 1,0)" in text
    assert "Afficher" in text


def test_widget_controls_update_the_figure(counter):
    explorer = _explorer(counter)
    box = explorer._widget()
    row, checkbox, status = box.children
    slider, readout = row.children
    assert slider.description == "a" and checkbox.description == "Afficher"
    slider.value = 3.0
    assert explorer.values["a"] == 3.0 and counter.drawn == 2
    assert readout.value == "3,0"
    slider.value = 0.0
    assert status.value == ""


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"compute": 3}, TypeError, "`compute`"),
        ({"draw": None}, TypeError, "`draw`"),
        ({"a": 1.0}, TypeError, "`a`"),
        ({"layout": (0, 1)}, ValueError, "`layout`"),
        ({"layout": [1, 2]}, ValueError, "`layout`"),
        ({"figsize": "grand"}, TypeError, "`figsize`"),
        ({"figsize": (7, 0)}, ValueError, "`figsize`"),
    ],
)
def test_explore_bad_inputs(counter, kwargs, error, match):
    args = {"compute": counter.compute, "draw": counter.draw,
            "a": widgets.slider("a", 0.0, 1.0), **kwargs}
    with pytest.raises(error, match=match):
        widgets.explore(args.pop("compute"), args.pop("draw"), **args)


def test_explore_needs_a_control(counter):
    with pytest.raises(ValueError, match="au moins un contrôle"):
        widgets.explore(counter.compute, counter.draw)


# --- livre HTML : images dessinées d'avance ---------------------------------------------


@pytest.fixture
def book(monkeypatch):
    """Comme pendant la construction du livre : la variable posée par book/_ext."""
    monkeypatch.setenv(widgets.BOOK_ENV, "1")


def test_slider_positions_keep_ends_and_default():
    s = widgets.slider("a", 0.0, 3.0, 0.5, 1.0)
    assert s.positions() == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
    fine = widgets.slider("w", -3.0, 3.0, 0.1, 0.7)
    positions = fine.positions()
    assert len(positions) <= widgets.MAX_POSITIONS + 2
    assert positions[0] == -3.0 and positions[-1] == 3.0 and 0.7 in positions
    assert positions == sorted(positions)
    assert widgets.slider("k", 2, 15, 1, 10).positions() == list(range(2, 16))
    assert widgets.toggle("t").positions() == [False, True]


def test_book_mode_draws_every_combination_when_few(counter, book):
    explorer = _explorer(counter)
    assert explorer.dpi == widgets.BOOK_DPI
    frames = explorer.frames()
    assert frames.grid and len(frames) == 7 * 2
    assert all(image[:4] == b"RIFF" and image[8:12] == b"WEBP" for image in frames.images)
    # le dessin ne dépend pas de la case : 7 images distinctes pour 14 combinaisons
    assert len(frames.images) == 7
    index, alt, note = frames.table["2,0"]
    # espaces insécables à la française (le HTML brut n'est pas retouché par le livre)
    assert alt.startswith("Figure pour a = 1,0, Afficher\u00a0: non.")
    assert "«\u00a0a = 1\u00a0»" in alt
    assert note == ""
    assert explorer.values == {"a": 1.0, "show": False}  # valeurs par défaut rendues


def test_book_mode_moves_one_control_at_a_time_when_many(counter, book):
    explorer = widgets.explore(lambda a, b, show: counter.compute(a + b, show), counter.draw,
                               a=widgets.slider("a", 0.0, 3.0, 0.01, 1.0),
                               b=widgets.slider("b", 0, 3, 1, 0),
                               show=widgets.toggle("Afficher"))
    frames = explorer.frames()
    count, (default, _, _) = len(frames.positions[0]), frames.defaults
    assert frames.positions[1] == [0, 1, 2, 3]
    assert not frames.grid and len(frames) == count + 3 + 1
    assert set(frames.table) == ({f"{k},0,0" for k in range(count)}
                                 | {f"{default},{k},0" for k in range(4)} | {f"{default},0,1"})
    notes = frames.notes()
    assert notes[0].startswith("Un seul contrôle bouge à la fois")
    assert notes[1] == f"Le curseur « a » ({count} valeurs sur 301) avance ici par pas plus " \
                       "grands que dans Jupyter."


def test_book_mode_fits_the_budget(counter, book):
    explorer = widgets.explore(lambda a, b, show: counter.compute(a + b, show), counter.draw,
                               a=widgets.slider("a", 0.0, 3.0, 0.01, 1.0),
                               b=widgets.slider("b", 0.0, 3.0, 0.01, 1.0),
                               show=widgets.toggle("Afficher"))
    small = widgets.Frames.of(explorer, budget=1)
    assert small.notes()[1] == ("Les curseurs avancent ici par pas plus grands que dans Jupyter "
                                "(7 positions chacun).")
    # au moins 5 positions par curseur (plus les extrémités), toutes les valeurs de la case
    assert [len(p) for p in small.positions] == [7, 7, 2]
    large = widgets.Frames.of(explorer)
    assert len(large) > len(small) and large.nbytes() <= widgets.BUDGET * 1.2


def test_book_mode_with_a_single_slider_says_nothing_of_other_controls(counter, book):
    explorer = widgets.explore(counter.compute, counter.draw,
                               a=widgets.slider("a", 0.0, 3.0, 0.01, 1.0))
    frames = widgets.Frames.of(explorer, budget=1)
    assert frames.grid and len(frames) == len(frames.positions[0]) < 301
    assert [n for n in frames.notes() if "Un seul contrôle" in n] == []


def test_book_mode_html_is_self_contained(counter, book, monkeypatch):
    explorer = widgets.explore(lambda a, mode, show: counter.compute(a, show), counter.draw,
                               a=widgets.slider("a", 0.0, 3.0, 0.5, 1.0),
                               mode=widgets.choice("Mode", ["un", "deux"]),
                               show=widgets.toggle("Afficher <b>"))
    page = explorer.static_html()
    assert '<input type="range" data-i="0" min="0" max="6" step="1" value="2"' in page
    assert '<option value="1">deux</option>' in page and 'type="checkbox"' in page
    assert "Afficher &lt;b&gt;" in page and "<output>1,0</output>" in page
    assert "Figure interactive." in page and 'alt="Figure pour a = 1,0' in page
    assert "clavier)\u00a0: la figure change." in page
    for forbidden in ("http", "require", "widget", "cdn"):
        assert forbidden not in page.lower()
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    explorer._ipython_display_()
    assert len(shown) == 1 and set(shown[0]) == {"text/plain", "text/html"}


def test_book_mode_frame_with_an_error_shows_the_message(counter, book):
    explorer = widgets.explore(counter.compute, counter.draw,
                               a=widgets.slider("a", -1.0, 1.0, 1.0, 1.0))
    frames = explorer.frames()
    index, _, note = frames.table["0"]
    assert note == "Attention\u00a0: `a` doit être positif" and index == frames.table["2"][0]


def test_outside_the_book_the_widgets_are_live(counter, monkeypatch):
    monkeypatch.delenv(widgets.BOOK_ENV, raising=False)
    shown = []
    monkeypatch.setattr("IPython.display.display",
                        lambda obj, **kw: shown.append(obj))
    explorer = _explorer(counter)
    assert explorer.dpi == widgets.DPI
    explorer._ipython_display_()
    assert "application/vnd.jupyter.widget-view+json" in shown[0]


# --- benchmark --------------------------------------------------------------------------


def test_benchmark_moves_every_control_and_restores_defaults(counter):
    explorer = _explorer(counter)
    median = widgets.benchmark(explorer, repeats=2)
    # par passage : 5 valeurs + retour pour « a », 2 valeurs + retour pour « show »
    assert len(explorer.timings) == 2 * ((5 + 1) + (2 + 1))
    assert median == pytest.approx(1000 * np.median(explorer.timings))
    assert explorer.values == {"a": 1.0, "show": False}


def test_benchmark_bad_inputs(counter):
    with pytest.raises(TypeError, match="`explorer`"):
        widgets.benchmark("figure")
    with pytest.raises(ValueError, match="`repeats`"):
        widgets.benchmark(_explorer(counter), repeats=0)
