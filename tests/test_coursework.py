"""L'édition étudiante et la correction automatique (nbgrader) fonctionnent sur les chapitres.

Voir book/guide-enseignant.md : ces tests rejouent exactement les commandes du guide.
"""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.chapters import CHAPTERS, ROOT, exercise_cells, read

pytestmark = pytest.mark.coursework


def _nbgrader(course: Path, *args: str) -> None:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """Un répertoire de cours où chaque chapitre est un devoir (ch01, ch02, ...)."""
    course = tmp_path_factory.mktemp("cours")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for path in CHAPTERS:
        target = course / "source" / f"ch{path.name[:2]}"
        target.mkdir(parents=True)
        shutil.copy(path, target)
        _nbgrader(course, "generate_assignment", f"ch{path.name[:2]}", "--force")
    return course


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_student_edition_has_no_solution(course, path):
    student = read(course / "release" / f"ch{path.name[:2]}" / path.name)
    teacher = read(path)
    answers = exercise_cells(student, "solution")
    assert len(answers) == len(exercise_cells(teacher, "solution"))
    for cell in answers:
        assert "BEGIN SOLUTION" not in cell.source
        assert "raise NotImplementedError()" in cell.source
    assert not any(c.get("outputs") for c in student.cells if c.cell_type == "code")
    assert len(exercise_cells(student, "grade")) == len(exercise_cells(teacher, "grade"))


def test_autograding_gives_full_marks_to_solutions_and_zero_to_blank(course):
    """Deux copies du chapitre 1 : celle du livre (solutions) et l'édition étudiante vierge."""
    path = CHAPTERS[0]
    assignment = f"ch{path.name[:2]}"
    for student, source in (("solutions", course / "source"), ("vierge", course / "release")):
        target = course / "submitted" / student / assignment
        target.mkdir(parents=True)
        shutil.copy(source / assignment / path.name, target)
    _nbgrader(course, "autograde", assignment, "--force")
    _nbgrader(course, "export", "--to", str(course / "notes.csv"))
    with open(course / "notes.csv", encoding="utf-8") as handle:
        scores = {row["student_id"]: (float(row["score"]), float(row["max_score"]))
                  for row in csv.DictReader(handle) if row["assignment"] == assignment}
    total = sum(c.metadata.nbgrader.points for c in exercise_cells(read(path), "grade"))
    assert scores["solutions"] == (total, total)
    assert scores["vierge"] == (0.0, total)
