"""Le livre HTML se construit sans avertissement, en français, avec figures et bibliographie.

La construction exécute chaque chapitre à neuf (comme la commande du README) dans un
dossier temporaire, puis on lit les pages produites.
"""

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.chapters import CHAPTERS

pytestmark = pytest.mark.book

#: Références du poster qui doivent figurer dans la bibliographie (nom du premier auteur).
POSTER_AUTHORS = ["Selvaraju", "Chattopadhay", "Tsang", "Koh", "Fong", "Molnar", "Iyer",
                  "CS231n"]


def _page(html: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((html / name).read_text(encoding="utf-8"), "html.parser")


def test_pages_are_french(html):
    for name in ["book/intro.html", *[f"chapters/{p.stem}.html" for p in CHAPTERS]]:
        page = _page(html, name)
        assert page.html["lang"] == "fr", name
        assert page.find(attrs={"aria-label": "Recherche"}), f"interface non traduite : {name}"
        assert "Search this book" not in str(page), name
        assert "Toggle" not in str(page), f"bouton du thème non traduit : {name}"
        assert 'aria-label="Main"' not in str(page), f"sommaire non traduit : {name}"


def test_chapters_have_figures_and_no_error(html):
    for path in CHAPTERS:
        page = _page(html, f"chapters/{path.stem}.html")
        images = page.select("div.cell_output img")
        assert images, f"aucune figure dans {path.stem}"
        for image in images:
            if "explore-image" in image.get("class", []):  # images des figures interactives
                assert image["src"].startswith("data:image/webp;base64,")
                continue
            assert (html / "chapters" / image["src"]).is_file(), image["src"]
        text = page.get_text()
        assert "Traceback" not in text and "Error" not in text.replace("Erreur", "")
        assert "Figure interactive." in text, "figure interactive absente"
        assert "widget-view" not in str(page) and "require.js" not in str(page)
        for figure in page.select("div.explore-live"):  # vivante : contrôles, image, table
            assert figure.select("[data-i]") and figure.select("img.explore-image[alt]")
            assert figure.select("script.explore-data")


def test_chapter_pages_stay_under_3_mb(html):
    """Budget d'une page : HTML (avec les images des figures interactives) et ses images,
    au plus 3 Mo (bench/book.py donne le tableau complet)."""
    for path in CHAPTERS:
        page = html / "chapters" / f"{path.stem}.html"
        size = page.stat().st_size + sum(
            (page.parent / image["src"]).stat().st_size
            for image in _page(html, f"chapters/{path.stem}.html").find_all("img")
            if image.get("src") and not image["src"].startswith(("data:", "http")))
        assert size <= 3 * 2**20, f"{path.stem} : {size / 2**20:.2f} Mo"


def test_executed_notebooks_carry_no_widget_state(html):
    """Le livre est exécuté sans widgets Jupyter : ni état ni vue ipywidgets enregistrés."""
    for path in CHAPTERS:
        executed = html.parent / "jupyter_execute" / "chapters" / f"{path.stem}.ipynb"
        if not executed.is_file():
            executed = html.parent / "jupyter_execute" / f"{path.stem}.ipynb"
        text = executed.read_text(encoding="utf-8")
        assert "application/vnd.jupyter.widget" not in text, path.stem
        assert "widgets" not in json.loads(text)["metadata"], path.stem


def test_exercises_and_hidden_solutions(html):
    for path in CHAPTERS:
        page = _page(html, f"chapters/{path.stem}.html")
        assert page.select("div.exercise"), f"exercices absents : {path.stem}"
        solutions = page.select("div.solution")
        assert solutions and all("dropdown" in s["class"] for s in solutions)
        assert "Exercice" in page.get_text() and "Solution" in page.get_text()


def test_bibliography_and_citations(html):
    references = _page(html, "book/references.html").get_text()
    for author in POSTER_AUTHORS:
        assert author in references, author
    # Étiquettes et citations auteur-année, en français.
    assert "[Koh et Liang, 2017]" in references
    intro = _page(html, "book/intro.html").get_text()
    assert "Fong et Vedaldi" in intro and "Fong and Vedaldi" not in intro
    for path in CHAPTERS:
        page = _page(html, f"chapters/{path.stem}.html")
        citations = page.select("span.cite a, a.reference.internal[href*='references']")
        assert citations, f"aucune citation dans {path.stem}"


def test_formulas_render_offline(html):
    """MathJax est servi avec le livre : les formules s'affichent sans connexion."""
    page = _page(html, "chapters/08_visualisation.html")
    sources = [s.get("src", "") for s in page.find_all("script")]
    mathjax = [s for s in sources if "mathjax" in s.lower()]
    assert mathjax and all(not s.startswith("http") for s in mathjax), mathjax
    for source in mathjax:
        assert (html / "chapters" / source).is_file(), source
