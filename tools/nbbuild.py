"""Petits outils pour écrire un chapitre (notebook) qui suit le squelette du livre.

Le fichier ``.ipynb`` reste la source du chapitre ; ces fonctions servent à le créer ou à
y ajouter des cellules depuis un script, sans écrire le JSON à la main :

    from tools.nbbuild import md, code, exercise, notebook
    cells = [md("# Titre"), code("from lib import set_seed\\nset_seed(0)"),
             *exercise("ex-01-somme", "Somme pondérée", "Écrivez ...",
                       solution="def f(x):\\n    return x", check="verifier(f)")]
    notebook(cells, "chapters/01_neurone.ipynb")

Puis ``python tools/store_outputs.py chapters/01_neurone.ipynb`` enregistre les sorties
vérifiées par nbval. La convention des exercices est décrite dans
``book/guide-enseignant.md``.
"""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def md(text: str):
    """Une cellule Markdown."""
    return new_markdown_cell(text.strip("\n"))


def code(source: str, *, tags=(), check_output: bool = False):
    """Une cellule de code ; ``check_output`` lui met l'étiquette nbval ``nbval-check-output``
    (nbval compare alors sa sortie à celle enregistrée ; le lecteur ne voit aucun marqueur)."""
    cell = new_code_cell(source.strip("\n"))
    tags = list(tags) + (["nbval-check-output"] if check_output else [])
    if tags:
        cell.metadata["tags"] = list(dict.fromkeys(tags))
    return cell


def _nbgrader(grade_id: str, *, solution: bool, grade: bool, points: int = 0) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution,
            "schema_version": 3, "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


def exercise(label: str, title: str, statement: str, *, solution: str, check: str,
             points: int = 1) -> list:
    """Les cinq cellules d'un exercice : énoncé, solution cachée, vérification automatique.

    ``solution`` est le code complet de la cellule de réponse ; la partie que l'étudiant
    doit écrire y est encadrée par ``### BEGIN SOLUTION`` / ``### END SOLUTION`` (nbgrader
    la remplace par ``raise NotImplementedError()`` dans l'édition étudiante).
    """
    if BEGIN not in solution or END not in solution:
        raise ValueError(f"`solution` de {label} doit contenir {BEGIN!r} et {END!r}")
    answer = code(solution)
    answer.metadata["nbgrader"] = _nbgrader(f"{label}-reponse", solution=True, grade=False)
    verify = code(check)
    verify.metadata["nbgrader"] = _nbgrader(f"{label}-verification", solution=False,
                                            grade=True, points=points)
    return [
        md(f"````{{exercise}} {title}\n:label: {label}\n\n{statement.strip()}\n````"),
        md(f"````{{solution-start}} {label}\n:class: dropdown\n````"),
        answer,
        md("````{solution-end}\n````"),
        verify,
    ]


def notebook(cells: list, path: str) -> None:
    """Écrit le notebook (noyau Python 3, langue française) et vérifie son format."""
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    nbformat.write(nb, path)
