"""Le glossaire : une ligne par terme (français, anglais, chapitre, définition), par ordre
alphabétique, sans doublon."""

import re
import unicodedata

from tests.chapters import CHAPTERS, ROOT


def _rows():
    text = (ROOT / "book" / "glossaire.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[1:]]


def _key(term: str) -> str:
    plain = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z+]", "", plain.lower())


def test_every_row_has_term_english_chapter_and_definition():
    rows = _rows()
    assert len(rows) >= 40
    for cells in rows:
        assert len(cells) == 4 and all(cells), cells
        assert cells[1].startswith("*"), f"terme anglais en italique : {cells}"
        assert 1 <= int(cells[2]) <= len(CHAPTERS), cells


def test_terms_are_sorted_and_unique():
    keys = [_key(cells[0]) for cells in _rows()]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
