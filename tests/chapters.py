"""Outils communs aux tests qui lisent les chapitres."""

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def read(path: Path):
    return nbformat.read(path, as_version=4)


#: Étiquette de cellule lue par nbval : la sortie de la cellule est comparée à celle enregistrée.
CHECK_TAG = "nbval-check-output"


def is_checked(cell) -> bool:
    """Vrai pour une cellule de code dont nbval compare la sortie (étiquette ``CHECK_TAG``)."""
    return cell.cell_type == "code" and CHECK_TAG in cell.metadata.get("tags", [])


def exercise_cells(notebook, kind: str) -> list:
    """Les cellules nbgrader de réponse (``kind="solution"``) ou de vérification (``"grade"``)."""
    return [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get(kind)]
