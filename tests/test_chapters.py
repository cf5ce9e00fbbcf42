"""Chaque chapitre suit le squelette du livre (DESIGN.md, « Chapters »)."""

import re

import pytest

from tests.chapters import CHAPTERS, exercise_cells, is_checked, read


def test_every_chapter_is_in_the_table_of_contents():
    toc = (CHAPTERS[0].parents[1] / "_toc.yml").read_text(encoding="utf-8")
    assert CHAPTERS, "aucun chapitre trouvé"
    for path in CHAPTERS:
        assert f"chapters/{path.stem}" in toc, path.name


@pytest.fixture(params=CHAPTERS, ids=[p.stem for p in CHAPTERS])
def notebook(request):
    return read(request.param)


def _markdown(notebook) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def test_skeleton_sections(notebook):
    text = _markdown(notebook)
    assert notebook.cells[0].cell_type == "markdown"
    assert notebook.cells[0].source.startswith("# "), "le chapitre doit s'ouvrir sur son titre"
    assert not re.match(r"# \d", notebook.cells[0].source), "le livre numérote les chapitres"
    for section in ("Objectifs", "Durée estimée", "Démonstration interactive", "Exercices",
                    "À retenir"):
        assert section in text, f"section manquante : {section}"


def test_estimated_duration_has_the_one_form(notebook):
    found = re.findall(r"\*\*Durée estimée\*\* : (\d+) min, dont (\d+) pour les exercices\.",
                       notebook.cells[0].source)
    assert len(found) == 1, "« **Durée estimée** : N min, dont M pour les exercices. »"
    total, exercises = map(int, found[0])
    assert 0 < exercises < total


def test_single_setup_cell_with_seed(notebook):
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "set_seed(" in code[0].source, "la première cellule de code fixe la graine"
    hidden = [c for c in code if {"remove-input", "remove-cell"} & set(c.metadata.get("tags", []))]
    assert not hidden, "rien n'est caché au lecteur"


def test_checked_outputs_are_stored_and_nothing_else(notebook):
    checked = [c for c in notebook.cells if is_checked(c)]
    assert len(checked) >= 2, "au moins deux cellules vérifiées par nbval"
    for cell in checked:
        assert cell.outputs, f"sortie vérifiée non enregistrée :\n{cell.source[:80]}"
        assert cell.execution_count is not None
    others = [c for c in notebook.cells if c.cell_type == "code" and not is_checked(c)]
    assert not any(c.outputs for c in others), "sorties non vérifiées enregistrées"


def test_no_nbval_marker_in_the_code_readers_see(notebook):
    """nbval lit l'étiquette de la cellule : aucun commentaire NBVAL_ dans le code montré."""
    for cell in notebook.cells:
        assert "NBVAL_" not in cell.source, cell.source[:80]
    assert "widgets" not in notebook.metadata, "état des widgets enregistré"


def test_interactive_figures_go_through_lib_widgets(notebook):
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "explore(" in code
    assert "ipywidgets" not in code, "aucun chapitre ne relie ipywidgets à la main"
    assert "sys.path" not in code


def test_exercises_follow_the_convention(notebook):
    solutions = exercise_cells(notebook, "solution")
    grades = exercise_cells(notebook, "grade")
    assert len(solutions) >= 2 and len(grades) == len(solutions)
    ids = [c.metadata.nbgrader.grade_id for c in solutions + grades]
    assert len(set(ids)) == len(ids), "identifiants nbgrader en double"
    for cell in solutions:
        assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
    for cell in grades:
        assert cell.metadata.nbgrader.points >= 1 and cell.metadata.nbgrader.locked
    labels = re.findall(r"\{exercise\}.*\n:label: (\S+)", _markdown(notebook))
    assert len(labels) == len(solutions)
    for label in labels:
        assert f"{{solution-start}} {label}" in _markdown(notebook)


# Nombres que le texte peut écrire à la main : des constantes de l'énoncé (un seuil, un
# niveau de confiance, une géométrie), pas des résultats de calcul.
TYPED_CONSTANTS = {"95 %", "90 %", "1 %"}
TYPED_BY_CHAPTER = {
    "02_activations": {"0,1"},  # température proposée au lecteur
    "05_retropropagation": {"0,01"},  # perte visée par l'exercice
    "08_visualisation": {"2,4 %"},  # zone 5×5 sur 32×32 pixels
    "11_influence": {"98 %", "0,86", "57 %"},  # chiffres du poster et de l'article cités
}


def test_prose_numbers_are_glued_not_typed(notebook, request):
    """Un nombre décimal ou un pourcentage du texte vient d'un calcul par ``glue``."""
    name = request.node.callspec.id
    allowed = TYPED_CONSTANTS | TYPED_BY_CHAPTER.get(name, set())
    typed = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`", "", cell.source, flags=re.S)
        for match in re.finditer(r"(?<![\w.])\d+,\d+(?:\s?%)?|\b\d+\s?%", text):
            if re.sub(r"\s", " ", match.group()) not in allowed:
                typed.append(match.group())
    assert not typed, f"nombres tapés à la main (à coller avec glue) : {typed}"


def test_no_line_starts_a_list_by_accident(notebook):
    """Une ligne de paragraphe qui commence par « 1) » devient un élément de liste numérotée
    (CommonMark) : le livre numérote ses listes « 1. » et ne coupe pas « (entre 0 et 1) »."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            bad = re.findall(r"^[ \t]*\d+\) .*", cell.source, re.MULTILINE)
            assert not bad, f"ligne prise pour un élément de liste : {bad[0][:60]!r}"


def test_glue_from_another_chapter_names_a_key_that_chapter_glues(notebook):
    """``{glue:text}`NN_x.ipynb::clé:s``` (chapitre 12) : le chapitre cité colle bien cette clé
    (dans son code, ou son propre texte la colle déjà) ; sinon le livre, construit avec -W,
    échoue. Le format ``:s`` final est obligatoire pour une clé d'un autre notebook."""
    here = _markdown(notebook)
    assert not re.findall(r"\{glue:text\}`[\w.]+\.ipynb::\w+`", here), "ajoutez « :s » à la clé"
    for doc, key in re.findall(r"\{glue:text\}`([\w.]+\.ipynb)::(\w+):s`", here):
        other = read(CHAPTERS[0].parent / doc)
        code = "\n".join(c.source for c in other.cells if c.cell_type == "code")
        assert f'"{key}"' in code or f"{{glue:text}}`{key}`" in _markdown(other), f"{doc}::{key}"
