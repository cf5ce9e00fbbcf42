"""Les exercices ne livrent pas leur solution, et l'édition étudiante s'exécute de bout en bout.

- Aucune ligne de solution (entre ``### BEGIN SOLUTION`` et ``### END SOLUTION``) ni aucune
  valeur numérique qu'elle affecte n'apparaît ailleurs dans le chapitre : ni dans l'énoncé, ni
  dans la cellule de vérification (qui compare à ``lib`` ou à une empreinte, jamais à la
  réponse écrite en clair).
- L'édition étudiante (solutions remplacées par le code de ``nbgrader_config.py``), avec tous
  les exercices laissés vides, s'exécute sans erreur du début à la fin (« Exécuter tout ») ;
  chaque vérification y dit en français que l'exercice n'est pas encore fait.
"""

import ast
import re
from pathlib import Path

import pytest
from nbclient import NotebookClient
from traitlets.config import Config

from tests.chapters import CHAPTERS, ROOT, exercise_cells, read

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def solution_regions(notebook) -> list[str]:
    """Le code de chaque solution, entre ses marqueurs."""
    regions = []
    for cell in exercise_cells(notebook, "solution"):
        regions += re.findall(re.escape(BEGIN) + r"\n(.*?)\n[ \t]*" + re.escape(END),
                              cell.source, re.DOTALL)
    return regions


def solution_lines(notebook) -> list[str]:
    """Les lignes de solution assez longues pour qu'une copie ailleurs soit une fuite."""
    lines = [line.strip() for region in solution_regions(notebook) for line in
             region.splitlines()]
    return [line for line in lines if len(line) >= 12 and not line.startswith("#")]


def solution_numbers(notebook) -> set[float]:
    """Les nombres affectés par les solutions (``b_and = -1.5``), hors nombres banals."""
    numbers = set()
    for region in solution_regions(notebook):
        try:
            tree = ast.parse("\n".join(line.strip() for line in region.splitlines()))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    continue
                if isinstance(value, int | float) and not isinstance(value, bool):
                    numbers.add(float(value))
    return numbers - {0.0, 1.0, -1.0, 2.0}


def _others(notebook) -> list:
    solutions = {id(c) for c in exercise_cells(notebook, "solution")}
    return [c for c in notebook.cells if id(c) not in solutions]


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_solution_line_appears_outside_its_solution(path):
    notebook = read(path)
    lines = solution_lines(notebook)
    assert lines, "aucune solution trouvée"
    for cell in _others(notebook):
        leaked = [line for line in lines if line in cell.source]
        assert not leaked, f"solution recopiée hors de sa cellule : {leaked[:2]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_check_cell_contains_an_answer_value(path):
    notebook = read(path)
    prose = " ".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    stated = {float(t.replace(",", "."))
              for t in re.findall(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w.])", prose)}
    numbers = solution_numbers(notebook) - stated  # une borne de l'énoncé n'est pas une fuite
    for cell in exercise_cells(notebook, "grade"):
        for token in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?(?![\w.])", cell.source):
            assert float(token) not in numbers, f"valeur de la solution en clair : {token}"


def code_stub() -> str:
    """Le code qui remplace une solution dans l'édition étudiante (``nbgrader_config.py``)."""
    config = Config()
    exec((ROOT / "nbgrader_config.py").read_text(encoding="utf-8"),  # noqa: S102
         {"get_config": lambda: config})
    return config.ClearSolutions.code_stub["python"]


def student_edition(path: Path):
    """Le chapitre tel que l'étudiant le reçoit : solutions remplacées, sorties effacées."""
    from nbgrader.preprocessors import ClearSolutions

    notebook = read(path)
    notebook, _ = ClearSolutions(code_stub={"python": code_stub()}).preprocess(notebook, {})
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return notebook


def test_the_stub_never_raises():
    """« Exécuter tout » ne s'arrête pas sur un exercice vide."""
    stub = code_stub()
    assert "VOTRE CODE ICI" in stub
    exec(compile(stub, "<stub>", "exec"), {})  # noqa: S102


def test_every_student_cell_is_valid_python():
    for path in CHAPTERS:
        for cell in student_edition(path).cells:
            if cell.cell_type == "code":
                ast.parse("\n".join(line for line in cell.source.splitlines()
                                    if not line.lstrip().startswith(("%", "!"))))


@pytest.mark.coursework
@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_a_blank_student_edition_runs_to_the_end(path, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    notebook = student_edition(path)
    NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in exercise_cells(notebook, "grade"):
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert "pas encore fait" in text, f"vérification muette sur un exercice vide :\n" \
                                          f"{cell.source[:200]}"
        assert "Bravo" not in text, cell.source[:200]


@pytest.mark.book
def test_the_online_book_shows_solutions_only_in_their_blocks(html):
    """Dans le livre en ligne, hors des blocs « Solution » repliés, aucune ligne de solution."""
    from bs4 import BeautifulSoup

    for path in CHAPTERS:
        page = BeautifulSoup((html / "chapters" / f"{path.stem}.html").read_text(
            encoding="utf-8"), "html.parser")
        for block in page.select("div.solution"):
            block.decompose()
        text = page.get_text()
        leaked = [line for line in solution_lines(read(path)) if line in text]
        assert not leaked, f"{path.stem} : solution visible hors de son bloc : {leaked[:2]}"
