"""Le livre en classe : les commandes du guide de l'enseignant, rejouées telles quelles.

Chaque commande de ``book/guide-enseignant.md`` est lancée comme l'enseignant la lance
(``python -m tools.classe …``), avec en plus ``--dossier`` pour écrire dans un dossier
temporaire plutôt que dans ``classe/`` : l'édition étudiante des chapitres 1, 5 et 7, la
correction de cinq copies, le livre HTML étudiant du chapitre 1.
"""

import csv
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from tests.chapters import CHAPTERS, ROOT, exercise_cells, read

pytestmark = pytest.mark.coursework

GUIDE = ROOT / "book" / "guide-enseignant.md"
EDITION = ["edition", "01", "05", "07"]
GRADING = ["corriger", "copies", "--chapitres", "01", "05", "07"]
BOOK = ["livre", "01"]
CHAPTER_1 = ROOT / "chapters" / "01_neurone.ipynb"
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)

#: Durée de chaque commande (secondes), affichée à la fin des tests (``pytest -s``).
TIMES: dict[str, float] = {}


def _classe(args: list[str], out: Path, cwd: Path = ROOT) -> str:
    """Lance ``python -m tools.classe`` comme le guide, sortie dans ``out``."""
    assert f".venv/bin/python -m tools.classe {' '.join(args)}\n" in GUIDE.read_text(
        encoding="utf-8"), f"commande absente du guide : {' '.join(args)}"
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "tools.classe", *args, "--dossier", str(out)],
                            cwd=cwd, capture_output=True, text=True, timeout=1800,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    TIMES[args[0]] = time.perf_counter() - started
    print(f"\n{' '.join(args)} : {TIMES[args[0]]:.0f} s")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result.stdout + result.stderr


def solution_lines(path: Path) -> list[str]:
    """Les lignes des solutions du chapitre qui n'apparaissent nulle part ailleurs dans le
    chapitre (hors cellules d'exercice) : aucune ne doit rester chez l'étudiant."""
    notebook = read(path)
    elsewhere = "\n".join(c.source for c in notebook.cells if not c.metadata.get("nbgrader"))
    lines = []
    for cell in exercise_cells(notebook, "solution"):
        for region in SOLUTION.findall(cell.source):
            for line in region.splitlines():
                line = line.strip()
                if len(line) > 3 and not line.startswith("#") and line not in elsewhere:
                    lines.append(line)
    return lines


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("edition")
    _classe(EDITION, out)
    return out


def test_student_edition(edition):
    package = edition / "transparence-rn-etudiant"
    with zipfile.ZipFile(edition / "transparence-rn-etudiant.zip") as archive:
        names = set(archive.namelist())
    for name in ("LISEZMOI.md", "requirements.txt", "lib/exercises.py", CHAPTER_1.name):
        assert f"transparence-rn-etudiant/{name}" in names, name
    readme = (package / "LISEZMOI.md").read_text(encoding="utf-8")
    assert "--index-url https://download.pytorch.org/whl/cpu" in readme
    assert "pip install -r requirements.txt" in readme and "jupyter lab" in readme
    assert (package / "lib" / "exercises.py").is_file()
    assert "torch==" in (package / "requirements.txt").read_text(encoding="utf-8")
    for number in EDITION[1:]:
        teacher_path = next((ROOT / "chapters").glob(f"{number}_*.ipynb"))
        student = read(package / teacher_path.name)
        teacher = read(teacher_path)
        text = "\n".join(c.source for c in student.cells)
        leaks = [line for line in solution_lines(teacher_path) if line in text]
        assert not leaks, f"{teacher_path.name} : solution chez l’étudiant : {leaks}"
        assert "{solution-start}" not in text and "{solution-end}" not in text
        assert "BEGIN SOLUTION" not in text
        assert len(exercise_cells(student, "solution")) == len(exercise_cells(teacher, "solution"))
        for cell in exercise_cells(student, "solution"):
            assert "# VOTRE CODE ICI" in cell.source
        checks = exercise_cells(student, "grade")
        assert len(checks) == len(exercise_cells(teacher, "grade"))
        assert all(c.metadata.nbgrader.locked for c in checks)
        for cell in student.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None
                code = "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line
                                 for line in cell.source.splitlines())
                compile(code, teacher_path.name, "exec")  # du Python valide


@pytest.fixture(scope="module")
def every_chapter(tmp_path_factory) -> Path:
    """L'édition étudiante de tout le livre (la commande du guide sans numéro)."""
    from tools import classe

    out = tmp_path_factory.mktemp("tout")
    classe.build_edition(None, out)
    return out / "transparence-rn-etudiant"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_chapter_student_edition(every_chapter, path):
    """Chaque chapitre : aucune ligne de solution, des cellules valides et verrouillées."""
    student = read(every_chapter / path.name)
    text = "\n".join(c.source for c in student.cells)
    leaks = [line for line in solution_lines(path) if line in text]
    assert not leaks, f"solution chez l’étudiant : {leaks}"
    assert all(c.metadata.nbgrader.locked for c in exercise_cells(student, "grade"))
    for cell in student.cells:
        if cell.cell_type == "code":
            code = "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line
                             for line in cell.source.splitlines())
            compile(code, path.name, "exec")


def _without_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines()
                     if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


@pytest.fixture(scope="module")
def grading(edition, tmp_path_factory):
    """Cinq copies du chapitre 1 (aucune des chapitres 5 et 7), corrigées par la commande."""
    work = tmp_path_factory.mktemp("classe")
    copies = work / "copies"
    blank = edition / "transparence-rn-etudiant" / CHAPTER_1.name
    solutions = {c.metadata.nbgrader.grade_id: c.source
                 for c in exercise_cells(read(CHAPTER_1), "solution")}
    for name in ("alice", "bruno", "chloe", "david", "emma"):
        (copies / name).mkdir(parents=True)
    (copies / "alice" / CHAPTER_1.name).write_bytes(CHAPTER_1.read_bytes())  # les solutions
    (copies / "bruno" / CHAPTER_1.name).write_bytes(blank.read_bytes())  # copie vierge
    half = read(blank)  # à moitié faite : le premier exercice seul, renommée, une vérification
    answers = exercise_cells(half, "solution")  # modifiée pour tricher
    answers[0].source = _without_markers(solutions[answers[0].metadata.nbgrader.grade_id])
    exercise_cells(half, "grade")[-1].source = 'print("✔ Bravo")'
    nbformat.write(half, copies / "chloe" / "tp1.ipynb")
    crash = read(CHAPTER_1)  # les solutions, et une cellule qui plante
    crash.cells.insert(2, nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(crash, copies / "david" / CHAPTER_1.name)
    (copies / "emma" / "01_neurone.pdf").write_bytes(b"%PDF-1.4 pas un notebook")
    out = work / "correction"
    log = _classe(GRADING, out, cwd=work)
    with open(out / "notes.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {row["étudiant"]: row for row in csv.DictReader(handle, delimiter=";")}
    return out, rows, log


def _column(rows, prefix: str) -> str:
    return next(k for k in next(iter(rows.values())) if k.startswith(prefix))


def test_grading_points(grading):
    _, rows, _ = grading
    total = len(exercise_cells(read(CHAPTER_1), "grade"))
    chapter_1, chapter_5 = _column(rows, "chapitre 1 "), _column(rows, "chapitre 5 ")
    assert chapter_1 == f"chapitre 1 (/{total})"
    assert rows["alice"][chapter_1] == str(total)  # les solutions : tous les points
    assert rows["bruno"][chapter_1] == "0"  # copie vierge : 0
    assert rows["chloe"][chapter_1] == "1"  # à moitié faite : le premier exercice
    assert rows["chloe"][_column(rows, "exercice 1.1 ")] == "1"
    assert rows["chloe"][_column(rows, f"exercice 1.{total} ")] == "0"  # triche déjouée
    assert rows["david"][chapter_1] == str(total)  # la cellule qui plante n'arrête rien
    assert rows["emma"][chapter_1] == "non rendu"  # pas un notebook
    for student in rows:
        assert rows[student][chapter_5] == "non rendu"  # chapitre que personne n'a rendu
        assert rows[student][_column(rows, "chapitre 7 ")] == "non rendu"


def test_grading_report(grading):
    out, _, log = grading
    report = (out / "rapport.txt").read_text(encoding="utf-8")
    assert report.strip() in log
    assert "« emma/01_neurone.pdf » n'est pas un notebook Jupyter lisible" in report
    assert "fichier renommé « tp1.ipynb », reconnu comme le chapitre 1" in report
    assert "a été modifiée : la correction utilise la cellule d'origine" in report
    assert "ZeroDivisionError" in report and "hors exercice" in report
    for noise in ("Warning", "WARNING", "SAWarning", "Traceback", "[IPKernelApp]"):
        assert noise not in log, noise


def test_feedback_pages(grading):
    out, rows, _ = grading
    folder = out / "retours"
    assert (folder / "mathjax" / "tex-chtml.js").is_file()
    for student in rows:
        page = BeautifulSoup((folder / f"{student}.html").read_text(encoding="utf-8"),
                             "html.parser")
        assert page.html["lang"] == "fr"
        assert [s["src"] for s in page.select("script[src]")] == ["mathjax/tex-chtml.js"]
        text = page.get_text()
        assert f"Retour de correction\u00a0: {student}" in text
        assert "Copie non rendue" in text  # chapitres 5 et 7
    alice = (folder / "alice.html").read_text(encoding="utf-8")
    assert "Exercice 1.1" in alice and "\\(\\sum_i w_i x_i\\)" in alice  # formule pour MathJax
    assert "n’est pas un notebook" in (folder / "emma.html").read_text(encoding="utf-8")


def test_student_book(edition, tmp_path_factory):
    """Le livre étudiant du chapitre 1 : aucune solution dans le HTML, notebook étudiant servi."""
    out = tmp_path_factory.mktemp("livre")
    _classe(BOOK, out)
    html = out / "_build" / "html"
    page = BeautifulSoup((html / "chapters" / f"{CHAPTER_1.stem}.html").read_text(
        encoding="utf-8"), "html.parser")
    assert page.select("div.exercise") and not page.select("div.solution")
    link = f"../_sources/chapters/{CHAPTER_1.name}"
    assert page.find("a", href=link), "bouton de téléchargement du notebook absent"
    served = (html / "_sources" / "chapters" / CHAPTER_1.name).read_text(encoding="utf-8")
    student = edition / "transparence-rn-etudiant" / CHAPTER_1.name
    assert served == student.read_text(encoding="utf-8")
    texts = []  # le texte de chaque page (le code y est découpé par la coloration), l'index
    for path in html.rglob("*"):  # de recherche et les notebooks servis
        if path.suffix == ".html":
            texts.append(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text())
        elif path.suffix in {".js", ".ipynb"} and "_static" not in path.parts:
            texts.append(path.read_text(encoding="utf-8"))
    everything = "\n".join(texts)
    leaks = [line for line in solution_lines(CHAPTER_1) if line in everything]
    assert not leaks, f"solution dans le livre étudiant : {leaks}"
