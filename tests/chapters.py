"""Outils communs aux tests qui lisent les chapitres."""

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def read(path: Path):
    return nbformat.read(path, as_version=4)


def exercise_cells(notebook, kind: str) -> list:
    """Les cellules nbgrader de réponse (``kind="solution"``) ou de vérification (``"grade"``)."""
    return [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get(kind)]
