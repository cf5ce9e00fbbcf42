"""Le livre HTML tel qu'un lecteur le voit : typographie française, aucun marqueur interne,
figures décrites et entières, bibliographie des seuls travaux cités.

Chaque test lit toutes les pages construites (fixture ``html`` de ``conftest.py``) : un défaut
corrigé à sa racine (``book/_ext/typographie_fr.py``, ``lib.viz.alt_text``…) ne revient pas
avec un nouveau chapitre. ``LIVRE_HTML=…/_build/html pytest tests/test_typography.py`` relit
un livre déjà construit.
"""

import re
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.chapters import CHAPTERS, ROOT

pytestmark = pytest.mark.book

#: Mots anglais du thème (boutons, pied de page, navigation) qu'une page ne doit plus montrer.
ENGLISH_CHROME = ("Search", "Toggle", "Contents", "Previous", "Next", "Last updated", "By ",
                  "Download", "Print to PDF", "Fullscreen", "Skip to main content",
                  "Back to top", "Light", "Dark", "System", "On this page", "Launch")


def _pages(html: Path) -> list[Path]:
    pages = sorted(html.glob("book/*.html")) + sorted(html.glob("chapters/*.html"))
    assert len(pages) >= len(CHAPTERS) + 3, "pages du livre introuvables"
    return pages


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _prose(page: BeautifulSoup) -> str:
    """Le texte courant de la page : sans code, sorties de cellules, formules ni scripts."""
    for tag in page(["script", "style", "pre", "code", "kbd", "svg"]):
        tag.decompose()
    for tag in page.select(".math, .cell_output, mjx-container"):
        tag.decompose()
    return page.get_text()


def _around(text: str, match: re.Match) -> str:
    return repr(text[max(0, match.start() - 40):match.end() + 20])


def test_apostrophes_are_not_closing_quotes(html):
    for path in _pages(html):
        text = _prose(_soup(path))
        bad = [_around(text, m) for m in re.finditer(r"\w[”“]|\w'\w", text)]
        assert not bad, f"{path.name} : apostrophe prise pour un guillemet : {bad[:3]}"


def test_non_breaking_spaces_in_french_punctuation(html):
    """Espace insécable avant « : ; ? ! » et à l'intérieur des guillemets « »."""
    for path in _pages(html):
        text = _prose(_soup(path))
        bad = [_around(text, m) for m in re.finditer(r"[ \t\n][;:?!»]|«[ \t\n]", text)]
        assert not bad, f"{path.name} : espace sécable avant la ponctuation : {bad[:3]}"


def test_no_internal_marker_reaches_the_reader(html):
    """Aucun marqueur de nbval ou de nbgrader dans les chapitres (le guide de l'enseignant, lui,
    les explique)."""
    for path in [html / "chapters" / f"{c.stem}.html" for c in CHAPTERS]:
        text = _soup(path).get_text()
        for marker in ("NBVAL_", "BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS"):
            assert marker not in text, f"{path.name} : marqueur interne « {marker} » visible"


def test_solution_titles_are_french(html):
    for path in CHAPTERS:
        page = _soup(html / "chapters" / f"{path.stem}.html")
        titles = [t.get_text("", strip=True) for t in page.select("div.solution .admonition-title")]
        assert titles, path.stem
        for title in titles:
            assert title.startswith("Solution de l’exercice "), title


def test_theme_chrome_is_french(html):
    for path in _pages(html):
        page = _soup(path)
        parts = page.select(".bd-header, .bd-sidebar-primary, footer, .bd-header-article, "
                            ".bd-sidebar-secondary")
        chrome = [el.get_text(" ", strip=True) for el in parts]
        chrome += [value for part in parts for el in [part, *part.find_all(True)]
                   for attribute in ("aria-label", "title", "placeholder", "data-bs-title")
                   if isinstance(value := el.get(attribute), str)]
        for text in chrome:
            for word in ENGLISH_CHROME:
                assert word not in text, f"{path.name} : « {word} » dans « {text[:80]} »"
        assert "Mis à jour le" in page.get_text() and not re.search(
            r"Mis à jour le [a-zé]+\.? \d", page.get_text()), "date du pied de page à l'américaine"


def _output_images(html: Path):
    for path in CHAPTERS:
        page = _soup(html / "chapters" / f"{path.stem}.html")
        for image in page.select("div.cell_output img"):
            yield path.stem, image, html / "chapters" / image["src"]


def test_every_figure_has_a_french_alternative_text(html):
    count = 0
    for chapter, image, _ in _output_images(html):
        alt = image.get("alt", "")
        assert alt.startswith("Figure ") and len(alt) > 15, (chapter, alt)
        assert not re.search(r"\.(png|jpe?g|webp|svg)\b", alt), (chapter, alt)
        count += 1
    assert count >= 2 * len(CHAPTERS)


def _ink_on_top_edge(path: Path) -> bool:
    """Vrai si la première ligne de pixels de l'image n'est pas uniformément le fond : un titre
    ou un panneau coupé par le bord haut de la figure."""
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)
    top = pixels[:2].reshape(-1, 3)
    return bool(np.abs(top - pixels[0, 0]).max() > 40)


def test_no_figure_is_cut_at_its_top_edge(html):
    cut = [f"{chapter} : {file.name}" for chapter, _, file in _output_images(html)
           if file.suffix == ".png" and _ink_on_top_edge(file)]
    assert not cut, "figures coupées en haut : " + ", ".join(cut)


def _cited_keys() -> set[str]:
    sources = [p.read_text(encoding="utf-8") for p in [*CHAPTERS, *(ROOT / "book").glob("*.md")]]
    keys = set()
    for text in sources:
        for group in re.findall(r"\{cite(?::[pt])?\}`([^`]+)`", text.replace('\\"', '"')):
            keys.update(k.strip() for k in group.split(","))
    return keys


def test_the_bibliography_lists_only_cited_works(html):
    page = _soup(html / "book" / "references.html")
    entries = page.select("div.citation, dl.citation > dt, .bibliography dt")
    assert entries, "bibliographie vide"
    cited = _cited_keys()
    bib = set(re.findall(r"^@\w+\{([^,]+),", (ROOT / "book" / "references.bib")
                         .read_text(encoding="utf-8"), re.MULTILINE))
    assert cited <= bib, f"clés citées absentes de la bibliographie : {sorted(cited - bib)}"
    assert len(entries) == len(cited), (len(entries), len(cited))
    assert "Clever Hans" in page.get_text(), "majuscules des titres perdues"


def test_multiple_citations_are_separated_by_semicolons(html):
    for path in _pages(html):
        text = _prose(_soup(path))
        pairs = re.findall(r"\(([^()]*\d{4}[a-z]?), ([A-Z][^()]*\d{4}[a-z]?)\)", text)
        assert not pairs, f"{path.name} : citations séparées par une virgule : {pairs[:2]}"
