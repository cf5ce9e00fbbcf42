"""Le livre en classe : l'édition étudiante, la correction automatique et le livre sans solutions.

Trois commandes, lancées depuis la racine du dépôt (voir book/guide-enseignant.md) ::

    python -m tools.classe edition [01 05 …]      # notebooks étudiants : dossier et archive .zip
    python -m tools.classe corriger COPIES [--chapitres 01 05]   # notes (CSV), retours (HTML)
    python -m tools.classe livre [01 05 …]        # livre HTML sans les solutions

nbgrader travaille en coulisses, dans un répertoire de cours temporaire : l'enseignant ne voit
ni ses dossiers ``source/``, ``release/``, ``submitted/`` ni sa base de notes. Tout ce qui est
produit est rangé dans ``classe/`` (ignoré par git).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS_DIR = ROOT / "chapters"
OUT = ROOT / "classe"
PACKAGE = "transparence-rn-etudiant"
NOT_HANDED_IN = "non rendu"
NOT_GRADED = "non corrigé"

#: Paquets qui ne servent qu'à construire le livre HTML : inutiles à l'étudiant.
BOOK_ONLY = ("jupyter-book", "sphinx-book-theme", "sphinxcontrib-bibtex", "sphinx-exercise",
             "sphinx-mathjax-offline")

_SOLUTION_FENCE = re.compile(r"^`{3,}\{solution-(start|end)\}")
_LABEL = re.compile(r"^:label:\s*(\S+)", re.MULTILINE)


class ClasseError(Exception):
    """Une erreur de l'enseignant (chapitre inconnu, dossier absent), dite en français."""


# ---------------------------------------------------------------------------------------------
# Les chapitres


def chapters(wanted: list[str] | None = None) -> list[Path]:
    """Les notebooks des chapitres demandés (``["01", "5"]``), tous si ``wanted`` est vide."""
    every = sorted(CHAPTERS_DIR.glob("[0-9][0-9]_*.ipynb"))
    if not wanted:
        return every
    by_number = {p.name[:2]: p for p in every}
    chosen = []
    for item in wanted:
        digits = re.match(r"\s*(\d+)", Path(str(item)).name)
        key = digits.group(1).zfill(2) if digits else None
        if key not in by_number:
            raise ClasseError(f"chapitre inconnu : « {item} » ; chapitres disponibles : "
                              f"{', '.join(sorted(by_number))}")
        if by_number[key] not in chosen:
            chosen.append(by_number[key])
    return chosen


def assignment(path: Path) -> str:
    """Le nom du devoir nbgrader d'un chapitre : ``ch01`` pour ``01_neurone.ipynb``."""
    return f"ch{path.name[:2]}"


def _grade_ids(notebook, kind: str | None = None) -> list[str]:
    ids = []
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") and (kind is None or meta.get(kind)):
            ids.append(meta["grade_id"])
    return ids


@dataclass
class Exercise:
    """Un exercice noté d'un chapitre : numéro affiché (« 1.2 »), énoncé, cellules, points."""

    number: str
    label: str
    title: str
    statement: str
    answer_id: str | None
    check_id: str
    points: float


def exercises(path: Path) -> list[Exercise]:
    """Les exercices notés du chapitre, numérotés comme dans le livre (« 1.1 », « 1.2 », …)."""
    notebook = nbformat.read(path, as_version=4)
    chapter = int(path.name[:2])
    statements: dict[str, tuple[str, str]] = {}
    order: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and "{exercise}" in cell.source:
            label = _LABEL.search(cell.source)
            if label:
                first = cell.source.splitlines()[0]
                title = first.split("}", 1)[1].strip()
                body = cell.source.split(label.group(0), 1)[1]
                body = body.strip().removesuffix("````").rstrip("`").strip()
                statements[label.group(1)] = (title, body)
                order.append(label.group(1))
    found = []
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade"):
            continue
        check_id = meta["grade_id"]
        label = check_id.removesuffix("-verification")
        title, body = statements.get(label, (check_id, ""))
        number = f"{chapter}.{order.index(label) + 1}" if label in order else check_id
        answer = f"{label}-reponse"
        found.append(Exercise(number, label, title, body,
                              answer if answer in _grade_ids(notebook) else None, check_id,
                              float(meta.get("points", 0))))
    return found


# ---------------------------------------------------------------------------------------------
# nbgrader en coulisses


@contextlib.contextmanager
def _quiet():
    """Ni avertissement SQLAlchemy ni journal de nbgrader sur la console."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


class Course:
    """Un répertoire de cours nbgrader temporaire, un devoir ``chNN`` par chapitre."""

    def __init__(self, root: Path):
        from traitlets.config.loader import PyFileConfigLoader

        self.root = root
        # nbgrader lance `alembic` (sa base de notes) : celui de l'environnement Python courant.
        bin_dir = str(Path(sys.executable).parent)
        if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
            os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
        config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
        config.CourseDirectory.root = str(root)
        self.config = config
        with _quiet():
            from nbgrader.apps.api import NbGraderAPI
            from nbgrader.coursedir import CourseDirectory

            self.api = NbGraderAPI(CourseDirectory(config=config), config=config)

    def _call(self, method: str, *args) -> dict:
        with _quiet():
            result = getattr(self.api, method)(*args)
        return result

    def release(self, path: Path) -> Path:
        """L'édition nbgrader du chapitre (solutions remplacées, sorties effacées)."""
        source = self.root / "source" / assignment(path)
        source.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, source / path.name)
        result = self._call("generate_assignment", assignment(path))
        if not result["success"]:
            raise ClasseError(f"nbgrader n'a pas pu produire l'édition étudiante de {path.name} :\n"
                              f"{result.get('log', '')}{result.get('error', '')}")
        return self.root / "release" / assignment(path) / path.name

    def autograde(self, student: str, path: Path) -> dict:
        return self._call("autograde", assignment(path), student)

    def grades(self, student: str, path: Path) -> dict[str, float]:
        """Les points de chaque cellule de vérification de la copie corrigée."""
        from nbgrader.api import Gradebook

        with _quiet(), Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as book:
            notebook = book.find_submission_notebook(path.stem, assignment(path), student)
            return {g.name: float(g.score) for g in notebook.grades}

    def graded(self, student: str, path: Path) -> Path:
        return self.root / "autograded" / student / assignment(path) / path.name


# ---------------------------------------------------------------------------------------------
# L'édition étudiante


def _code_is_valid(source: str) -> bool:
    """Vrai si la cellule est du Python valide (les commandes magiques d'IPython mises à part)."""
    lines = ["pass" if line.lstrip().startswith(("%", "!")) else line
             for line in source.splitlines()]
    try:
        ast.parse("\n".join(lines))
    except SyntaxError:
        return False
    return True


def student_notebook(release: Path):
    """Le notebook étudiant tiré de l'édition nbgrader : plus rien de la solution.

    Les cellules Markdown ``{solution-start}`` / ``{solution-end}`` (qui ouvrent et ferment le
    bloc caché du livre en ligne) disparaissent ; chaque cellule de code doit rester valide."""
    notebook = nbformat.read(release, as_version=4)
    notebook.cells = [c for c in notebook.cells
                      if not (c.cell_type == "markdown" and _SOLUTION_FENCE.match(c.source))]
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count"):
            raise ClasseError(f"{release.name} : la cellule {index + 1} garde une sortie")
        if not _code_is_valid(cell.source):
            raise ClasseError(f"{release.name} : la cellule {index + 1} n'est pas du Python "
                              f"valide dans l'édition étudiante :\n{cell.source}")
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("locked"):
            raise ClasseError(f"{release.name} : la cellule de vérification {meta['grade_id']} "
                              "n'est pas verrouillée")
    nbformat.validate(notebook)
    return notebook


def student_requirements() -> str:
    """requirements.txt de l'étudiant : celui du livre, sans les outils de construction du livre."""
    lines = ["# Ce qu'il faut pour exécuter les notebooks du livre (voir LISEZMOI.md)."]
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name = re.split(r"[=<>\s\[]", line.strip(), maxsplit=1)[0].lower()
        if line.startswith("#") or not line.strip() or line.startswith("-e") or name in BOOK_ONLY:
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def _torch_version() -> str:
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("torch=="):
            return line.split("==", 1)[1].strip()
    return ""


def readme(names: list[str]) -> str:
    """Le LISEZMOI de l'étudiant : installer, ouvrir, travailler, rendre."""
    torch = _torch_version()
    listed = "\n".join(f"- `{n}`" for n in names)
    return f"""# Transparence des réseaux de neurones — travaux pratiques

Chaque notebook est un chapitre du livre, avec ses exercices : complétez les cellules
marquées `# VOTRE CODE ICI` (remplacez la ligne `pass` par votre code), puis exécutez la
cellule de vérification qui suit. Elle répond « ✔ Bravo » quand la réponse est juste,
explique l'erreur sinon, et dit « pas encore fait » tant que l'exercice est vide. Ne
modifiez pas les cellules de vérification : elles servent à la correction.

{listed}

## Installer (une seule fois)

Il faut Python 3.11 ou plus récent. Dans ce dossier :

```bash
python3 -m venv .venv && .venv/bin/pip install torch=={torch} --index-url https://download.pytorch.org/whl/cpu
.venv/bin/pip install -r requirements.txt
```

La première ligne installe PyTorch **sans carte graphique** (environ 200 Mo) : sous Linux,
la version par défaut télécharge plusieurs gigaoctets de bibliothèques CUDA inutiles ici.
Sous Windows, remplacez `.venv/bin/` par `.venv\\Scripts\\`.

## Ouvrir

```bash
.venv/bin/jupyter lab
```

puis ouvrez un chapitre (`01_neurone.ipynb`, …) et « Run › Run All Cells » (« Exécuter
tout ») : tout s'exécute, les exercices encore vides compris. Rendez le notebook complété
(le fichier `.ipynb`, sans le renommer) sur la plateforme du cours.
"""


def build_edition(wanted: list[str] | None, out: Path) -> Path:
    """Écrit l'édition étudiante dans ``out/transparence-rn-etudiant/`` et son archive .zip."""
    paths = chapters(wanted)
    package = out / PACKAGE
    if package.exists():
        shutil.rmtree(package)
    package.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="cours-") as tmp:
        course = Course(Path(tmp))
        for path in paths:
            notebook = student_notebook(course.release(path))
            nbformat.write(notebook, package / path.name)
    shutil.copytree(ROOT / "lib", package / "lib",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (package / "requirements.txt").write_text(student_requirements(), encoding="utf-8")
    (package / "LISEZMOI.md").write_text(readme([p.name for p in paths]), encoding="utf-8")
    archive = shutil.make_archive(str(out / PACKAGE), "zip", root_dir=out, base_dir=PACKAGE)
    return Path(archive)


# ---------------------------------------------------------------------------------------------
# La correction


@dataclass
class Copy:
    """Une copie rendue : l'étudiant, le fichier, le chapitre reconnu."""

    student: str
    file: Path
    chapter: Path | None = None
    notes: list[str] = field(default_factory=list)


def _identify(notebook, name: str, known: dict[Path, set[str]]) -> Path | None:
    """Le chapitre d'une copie : par ses cellules nbgrader, sinon par son nom (« 01_… »)."""
    ids = set(_grade_ids(notebook))
    best = max(known, key=lambda p: len(ids & known[p]), default=None)
    if best is not None and ids & known[best]:
        return best
    for path in known:
        if name.startswith(path.name[:3]) or name == path.name:
            return path
    return None


def _collect(folder: Path, known: dict[Path, set[str]], report: list[str],
             ignored: dict[str, list[str]]) -> list[Copy]:
    """Les copies du dossier exporté par la plateforme : un sous-dossier par étudiant."""
    copies = []
    for entry in sorted(folder.iterdir()):
        if entry.is_file():
            report.append(f"« {entry.name} » est hors d'un dossier d'étudiant : ignoré "
                          "(rangez chaque copie dans le dossier de son auteur).")
            continue
        if entry.name.startswith("."):
            continue
        files = sorted(p for p in entry.rglob("*") if p.is_file()
                       and ".ipynb_checkpoints" not in p.parts and not p.name.startswith("."))
        if not files:
            report.append(f"{entry.name} : dossier vide, aucune copie.")
        unreadable = []
        for file in files:
            shown = file.relative_to(folder)
            try:
                notebook = nbformat.read(file, as_version=4)
            except Exception:  # JSON illisible, PDF, archive… : jamais d'arrêt
                unreadable.append(f"« {shown} »")
                continue
            chapter = _identify(notebook, file.name, known)
            if chapter is None:
                message = f"« {shown} » ne correspond à aucun chapitre du livre (ignoré)"
                report.append(f"{entry.name} : {message}.")
                ignored.setdefault(entry.name, []).append(message)
                continue
            copy = Copy(entry.name, file, chapter)
            if file.name != chapter.name:
                copy.notes.append(f"fichier renommé « {file.name} », reconnu comme le chapitre "
                                  f"{int(chapter.name[:2])} ({chapter.name}) d'après ses cellules")
            twin = next((c for c in copies if c.student == entry.name and c.chapter == chapter),
                        None)
            if twin is not None:
                keep, drop = sorted([twin, copy], key=lambda c: c.file.stat().st_mtime)[::-1]
                report.append(f"{entry.name} : deux copies du chapitre {int(chapter.name[:2])} "
                              f"(« {twin.file.name} » et « {file.name} ») ; la plus récente, "
                              f"« {keep.file.name} », est corrigée.")
                copies.remove(twin)
                copy = keep
            copies.append(copy)
        if unreadable:
            listed = ", ".join(unreadable[:5]) + (f" et {len(unreadable) - 5} autre(s)"
                                                  if len(unreadable) > 5 else "")
            message = (f"{listed} n'est pas un notebook Jupyter lisible (ignoré)"
                       if len(unreadable) == 1
                       else f"{listed} ne sont pas des notebooks Jupyter lisibles (ignorés)")
            report.append(f"{entry.name} : {message}.")
            ignored.setdefault(entry.name, []).append(message)
    return copies


def _student_id(name: str, taken: set[str]) -> str:
    """Un identifiant sûr pour nbgrader (lettres, chiffres, tirets) et unique."""
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "etudiant"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _error_text(output) -> str:
    """Le message d'une erreur, sans nom de classe quand il vient de ``lib.exercises`` (« ✘ … »)."""
    name, value = output.get("ename", "Erreur"), str(output.get("evalue", "")).strip()
    if value.startswith("✘"):
        return value
    undefined = re.fullmatch(r"name '(\w+)' is not defined", value)
    if name == "NameError" and undefined:
        return f"✘ `{undefined.group(1)}` n'est pas défini : exercice non fait ?"
    return f"{name} : {value}".strip()


def _check_sources(notebook) -> dict[str, str]:
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in notebook.cells
            if c.metadata.get("nbgrader", {}).get("grade")}


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


@dataclass
class Result:
    """Ce que la correction d'une copie a donné."""

    copy: Copy
    points: dict[str, float] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    answers: dict[str, object] = field(default_factory=dict)
    checks: dict[str, object] = field(default_factory=dict)
    failed: str | None = None
    seconds: float = 0.0


def _read_graded(result: Result, graded: Path, exercises_: list[Exercise]) -> None:
    notebook = nbformat.read(graded, as_version=4)
    check_ids = {e.check_id for e in exercises_}
    answer_ids = {e.answer_id for e in exercises_}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if grade_id in check_ids:
            result.checks[grade_id] = cell
            if errors:
                result.messages[grade_id] = _error_text(errors[0])
            else:
                text = "".join(o.get("text", "") for o in cell.get("outputs", [])
                               if o.get("output_type") == "stream")
                result.messages[grade_id] = text.strip()
            continue
        if grade_id in answer_ids:
            result.answers[grade_id] = cell
        if errors:
            where = "dans une cellule de réponse" if grade_id in answer_ids else "hors exercice"
            result.copy.notes.append(f"la cellule {index + 1} ({where}) a levé « "
                                     f"{_error_text(errors[0])[:160]} » ; la suite a été exécutée")


def _failure(log: str) -> str:
    """Pourquoi nbgrader n'a pas pu corriger une copie, en français."""
    if "DeadKernelError" in log or "Kernel died" in log:
        return ("la copie arrête Python pendant son exécution (noyau mort : sortie forcée, "
                "mémoire épuisée…)")
    if "CellTimeoutError" in log or "TimeoutError" in log:
        return "une cellule de la copie dépasse le temps limite d'exécution (300 s)"
    errors = [line.strip() for line in log.splitlines()
              if re.match(r"\s*\w+(\.\w+)*(Error|Exception)\b", line)]
    reason = errors[0] if errors else "raison inconnue"
    return f"la copie n'a pas pu être exécutée ({reason[:200]})"


def grade(folder: Path, wanted: list[str] | None, out: Path) -> dict:
    """Corrige toutes les copies de ``folder`` ; écrit notes.csv, rapport.txt et retours/."""
    started = time.perf_counter()
    folder = Path(folder)
    if not folder.is_dir():
        raise ClasseError(f"dossier des copies introuvable : {folder}")
    report: list[str] = []
    every = chapters(None)
    known = {p: set(_grade_ids(nbformat.read(p, as_version=4))) for p in every}
    ignored: dict[str, list[str]] = {}
    copies = _collect(folder, known, report, ignored)
    chosen = chapters(wanted) if wanted else sorted({c.chapter for c in copies})
    for copy in [c for c in copies if c.chapter not in chosen]:
        report.append(f"{copy.student} : « {copy.file.name} » (chapitre "
                      f"{int(copy.chapter.name[:2])}) n'est pas parmi les chapitres corrigés.")
    copies = [c for c in copies if c.chapter in chosen]
    students = sorted({p.name for p in folder.iterdir() if p.is_dir()
                       and not p.name.startswith(".")})
    taken: set[str] = set()
    ids = {s: _student_id(s, taken) for s in students}
    for old in (out / "retours", out / "notes.csv", out / "rapport.txt"):  # rien d'autre
        if old.is_dir():
            shutil.rmtree(old)
        elif old.exists():
            old.unlink()
    (out / "retours").mkdir(parents=True)
    results: list[Result] = []
    table = {p: exercises(p) for p in chosen}
    with tempfile.TemporaryDirectory(prefix="cours-") as tmp:
        course = Course(Path(tmp))
        releases = {p: _check_sources(nbformat.read(course.release(p), as_version=4))
                    for p in chosen}
        for copy in copies:
            result = Result(copy)
            results.append(result)
            begin = time.perf_counter()
            sid, path = ids[copy.student], copy.chapter
            notebook = nbformat.read(copy.file, as_version=4)
            mine = _check_sources(notebook)
            for exercise in table[path]:
                if exercise.check_id not in mine:
                    copy.notes.append(f"la cellule de vérification de l'exercice "
                                      f"{exercise.number} a été supprimée : elle est remise "
                                      "pour la correction")
                elif mine[exercise.check_id].strip() != releases[path][exercise.check_id].strip():
                    copy.notes.append(f"la cellule de vérification de l'exercice "
                                      f"{exercise.number} a été modifiée : la correction "
                                      "utilise la cellule d'origine")
            target = course.root / "submitted" / sid / assignment(path)
            target.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, target / path.name)
            outcome = course.autograde(sid, path)
            graded = course.graded(sid, path)
            if outcome["success"] and graded.is_file():
                try:
                    result.points = course.grades(sid, path)
                except Exception as error:  # base de notes incomplète : dit, pas d'arrêt
                    result.failed = f"notes illisibles ({type(error).__name__})"
                _read_graded(result, graded, table[path])
            else:
                result.failed = _failure(outcome.get("log", "") + outcome.get("error", ""))
            result.seconds = time.perf_counter() - begin
    _write_csv(out / "notes.csv", students, chosen, table, results)
    _write_feedback(out / "retours", students, chosen, table, results, ignored)
    lines = _report(students, chosen, table, results, report, time.perf_counter() - started)
    (out / "rapport.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"results": results, "report": lines, "out": out}


def _chapter_cells(student: str, path: Path, table, results) -> tuple[list[str], float | None]:
    """Les cases d'un chapitre pour un étudiant : points par exercice, puis total."""
    result = next((r for r in results if r.copy.student == student and r.copy.chapter == path),
                  None)
    if result is None:
        return [NOT_HANDED_IN] * (len(table[path]) + 1), None
    if result.failed:
        return [NOT_GRADED] * (len(table[path]) + 1), 0.0
    cells = [_number(result.points.get(e.check_id, 0.0)) for e in table[path]]
    total = sum(result.points.get(e.check_id, 0.0) for e in table[path])
    return [*cells, _number(total)], total


def _write_csv(file: Path, students, chosen, table, results) -> None:
    """Une ligne par étudiant, une colonne par exercice ; séparateur « ; », virgule décimale."""
    header = ["étudiant"]
    for path in chosen:
        header += [f"exercice {e.number} (/{_number(e.points)})" for e in table[path]]
        header.append(f"chapitre {int(path.name[:2])} (/"
                      f"{_number(sum(e.points for e in table[path]))})")
    header.append(f"total (/{_number(sum(e.points for p in chosen for e in table[p]))})")
    with open(file, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        for student in students:
            row, total = [student], 0.0
            for path in chosen:
                cells, points = _chapter_cells(student, path, table, results)
                row += cells
                total += points or 0.0
            writer.writerow([*row, _number(total)])


def _report(students, chosen, table, results, report, seconds) -> list[str]:
    lines = [f"Correction de {len(results)} copie(s), {len(students)} étudiant(s), chapitre(s) "
             f"{', '.join(str(int(p.name[:2])) for p in chosen)} : {seconds:.0f} s."]
    lines += [f"- {line}" for line in report]
    for student in students:
        mine = [r for r in results if r.copy.student == student]
        for path in chosen:
            result = next((r for r in mine if r.copy.chapter == path), None)
            chapter = int(path.name[:2])
            if result is None:
                lines.append(f"- {student}, chapitre {chapter} : {NOT_HANDED_IN}.")
                continue
            if result.failed:
                lines.append(f"- {student}, chapitre {chapter} : {result.failed} ; "
                             f"{NOT_GRADED}.")
            else:
                got = sum(result.points.get(e.check_id, 0.0) for e in table[path])
                full = sum(e.points for e in table[path])
                lines.append(f"- {student}, chapitre {chapter} : {_number(got)} / "
                             f"{_number(full)} ({result.seconds:.0f} s).")
            for note in result.copy.notes:
                lines.append(f"    · {note}")
    return lines


# ---------------------------------------------------------------------------------------------
# Les retours (une page HTML par étudiant, formules rendues sans connexion)

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #222; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #ddd; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .3rem .7rem; }
.exercice { border-left: 4px solid #4a7; padding: .2rem 1rem; margin: 1.5rem 0; }
.exercice.faux { border-left-color: #c44; } .exercice.vide { border-left-color: #aaa; }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; }
.message { font-weight: bold; } .note { color: #a50; }
"""


def _markdown(text: str) -> str:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    def math(content: str, options: dict) -> str:
        content = html.escape(content)
        return f"\\[{content}\\]" if options.get("display_mode") else f"\\({content}\\)"

    parser = MarkdownIt("commonmark").enable("table").use(dollarmath_plugin, renderer=math,
                                                          double_inline=True)
    return parser.render(text)


def _mathjax_dir() -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax"


def _copy_mathjax(target: Path) -> bool:
    source = _mathjax_dir()
    if source is None or not (source / "tex-chtml.js").is_file():
        return False
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "tex-chtml.js", target)
    shutil.copytree(source / "output" / "chtml" / "fonts", target / "output" / "chtml" / "fonts",
                    dirs_exist_ok=True)
    return True


def _outputs(cell) -> str:
    parts = []
    for output in cell.get("outputs", []) if cell is not None else []:
        kind = output.get("output_type")
        if kind == "stream":
            parts.append(f"<pre>{html.escape(output.get('text', ''))}</pre>")
        elif kind == "error":
            parts.append(f"<pre class='note'>{html.escape(_error_text(output))}</pre>")
        elif kind in ("display_data", "execute_result"):
            data = output.get("data", {})
            if "image/png" in data:
                parts.append(f"<img alt='figure de votre réponse' "
                             f"src='data:image/png;base64,{data['image/png'].strip()}'>")
            elif "text/plain" in data and data["text/plain"] != "Ellipsis":
                parts.append(f"<pre>{html.escape(data['text/plain'])}</pre>")
    return "\n".join(parts)


def _fr(text: str) -> str:
    """Du texte courant pour la page HTML : échappé, apostrophes et espaces insécables."""
    text = html.escape(re.sub(r"(?<=\w)'", "’", text), quote=False)
    text = re.sub(r" ([;?!])", "\u202f\\1", text)
    text = re.sub(r" :(?=\s|$)", "\u00a0:", text)
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")


def _feedback_page(student: str, chosen, table, results, mathjax: bool,
                   ignored: list[str]) -> str:
    body = [f"<h1>Retour de correction : {html.escape(student)}</h1>"]
    body += [f"<p class='note'>Remarque : {_fr(m)}.</p>" for m in ignored]
    rows = []
    for path in chosen:
        cells, points = _chapter_cells(student, path, table, results)
        full = _number(sum(e.points for e in table[path]))
        shown = cells[-1] if points is None or cells[-1] == NOT_GRADED else f"{cells[-1]} / {full}"
        rows.append(f"<tr><td>Chapitre {int(path.name[:2])}</td><td>{shown}</td></tr>")
    body.append("<table><tr><th>Chapitre</th><th>Points</th></tr>" + "".join(rows) + "</table>")
    for path in chosen:
        result = next((r for r in results if r.copy.student == student
                       and r.copy.chapter == path), None)
        body.append(f"<h2>Chapitre {int(path.name[:2])}</h2>")
        if result is None:
            body.append("<p>Copie non rendue.</p>")
            continue
        for note in result.copy.notes:
            body.append(f"<p class='note'>Remarque : {_fr(note)}.</p>")
        if result.failed:
            body.append(f"<p class='note'>{_fr(result.failed)} : copie "
                        f"{NOT_GRADED}, à voir avec l’enseignant.</p>")
            continue
        for exercise in table[path]:
            got = result.points.get(exercise.check_id, 0.0)
            message = result.messages.get(exercise.check_id, "")
            status = ("" if got >= exercise.points and exercise.points
                      else " vide" if re.search(r"pas encore fait|non fait", message)
                      else " faux")
            answer = result.answers.get(exercise.answer_id)
            body.append(f"<div class='exercice{status}'>")
            body.append(f"<h3>Exercice {exercise.number} : {_fr(exercise.title)} — "
                        f"{_number(got)} / {_number(exercise.points)} point(s)</h3>")
            body.append(_markdown(exercise.statement))
            if answer is not None:
                body.append("<p>Votre réponse :</p>")
                body.append(f"<pre>{html.escape(answer.source)}</pre>")
                body.append(_outputs(answer))
            body.append("<p>Vérification :</p>")
            body.append(f"<p class='message'>{html.escape(message) or '(aucun message)'}</p>")
            body.append("</div>")
    script = ("<script>window.MathJax = {tex: {inlineMath: [['\\\\(', '\\\\)']]}};</script>\n"
              "<script defer src='mathjax/tex-chtml.js'></script>") if mathjax else ""
    return (f"<!DOCTYPE html>\n<html lang='fr'>\n<head>\n<meta charset='utf-8'>\n"
            f"<title>Retour de correction : {html.escape(student)}</title>\n"
            f"<style>{_STYLE}</style>\n{script}\n</head>\n<body>\n" + "\n".join(body)
            + "\n</body>\n</html>\n")


def _write_feedback(folder: Path, students, chosen, table, results, ignored) -> None:
    mathjax = _copy_mathjax(folder / "mathjax")
    for student in students:
        page = _feedback_page(student, chosen, table, results, mathjax,
                              ignored.get(student, []))
        name = re.sub(r"[^\w.-]+", "_", student) or "etudiant"
        (folder / f"{name}.html").write_text(page, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Le livre en ligne sans les solutions


def _toc(paths: list[Path]) -> str:
    """La table des matières du livre réduite aux chapitres choisis."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    keep = {f"chapters/{p.stem}" for p in paths}
    parts = []
    for part in toc.get("parts", []):
        entries = [e for e in part["chapters"]
                   if not e["file"].startswith("chapters/") or e["file"] in keep]
        if entries:
            parts.append({**part, "chapters": entries})
    toc["parts"] = parts
    return yaml.safe_dump(toc, allow_unicode=True, sort_keys=False)


def build_book(wanted: list[str] | None, out: Path, *, strict: bool | None = None) -> Path:
    """Construit le livre HTML à partir de l'édition étudiante : aucune solution dans le HTML.

    Les cellules de vérification y sont montrées sans leur sortie (l'exercice est vide), et le
    bouton de téléchargement sert le notebook étudiant."""
    paths = chapters(wanted)
    strict = (not wanted) if strict is None else strict
    with tempfile.TemporaryDirectory(prefix="livre-") as tmp:
        stage = Path(tmp) / "livre"
        stage.mkdir()
        for name in ("_config.yml", "references.bib"):
            if (ROOT / name).is_file():
                shutil.copy(ROOT / name, stage / name)
        shutil.copytree(ROOT / "book", stage / "book",
                        ignore=shutil.ignore_patterns("__pycache__"))
        (stage / "_toc.yml").write_text(_toc(paths), encoding="utf-8")
        (stage / "chapters").mkdir()
        students = {}
        course = Course(Path(tmp) / "cours")
        for path in paths:
            notebook = student_notebook(course.release(path))
            students[path.name] = notebook
            shown = nbformat.from_dict(json.loads(json.dumps(notebook)))
            for cell in shown.cells:  # ni « Ellipsis » sous une réponse vide ni vérification
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("grade") or meta.get("solution"):
                    tags = cell.metadata.setdefault("tags", [])
                    tags += [t for t in ("raises-exception", "remove-output") if t not in tags]
            nbformat.write(shown, stage / "chapters" / path.name)
        for asset in CHAPTERS_DIR.iterdir():  # images ou données lues par les chapitres
            if asset.suffix != ".ipynb" and asset.is_file():
                shutil.copy(asset, stage / "chapters" / asset.name)
        if (out / "_build").exists():
            shutil.rmtree(out / "_build")
        command = [str(Path(sys.executable).parent / "jupyter-book"), "build", "--all",
                   *(["-W"] if strict else []), "--keep-going", "--path-output", str(out),
                   str(stage)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=stage)
        if done.returncode != 0:
            raise ClasseError("la construction du livre étudiant a échoué :\n"
                              + done.stdout[-4000:] + done.stderr[-2000:])
    html_dir = out / "_build" / "html"
    for name, notebook in students.items():  # le bouton « .ipynb » sert l'édition étudiante
        target = html_dir / "_sources" / "chapters" / name
        if target.parent.is_dir():
            nbformat.write(notebook, target)
    return html_dir


# ---------------------------------------------------------------------------------------------
# La ligne de commande


class _French(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups,
                          "utilisation : " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """La ligne de commande en français : aide, titres et erreurs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, formatter_class=_French, add_help=False, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", help="affiche cette aide")

    def error(self, message):
        self.print_usage(sys.stderr)
        message = (message.replace("the following arguments are required:", "arguments requis :")
                   .replace("invalid choice:", "choix invalide :")
                   .replace("unrecognized arguments:", "arguments inconnus :")
                   .replace("choose from", "choisir parmi"))
        message = re.sub(r"^argument (\S+):", r"argument \1 :", message)
        self.exit(2, f"Erreur : {message}\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(
        prog="python -m tools.classe",
        description="Le livre en classe : édition étudiante, correction, livre sans solutions.")
    commands = parser.add_subparsers(dest="commande", required=True, title="commandes",
                                     parser_class=_Parser)
    edition = commands.add_parser("edition", help="notebooks étudiants (dossier et archive .zip)")
    edition.add_argument("chapitres", nargs="*", help="numéros des chapitres (tous par défaut)")
    edition.add_argument("--dossier", type=Path, default=OUT / "edition",
                         help="où écrire (par défaut : classe/edition)")
    corriger = commands.add_parser("corriger", help="corrige un dossier de copies")
    corriger.add_argument("copies", type=Path, help="un sous-dossier par étudiant")
    corriger.add_argument("--chapitres", nargs="*", default=None,
                          help="chapitres corrigés (par défaut : ceux des copies)")
    corriger.add_argument("--dossier", type=Path, default=OUT / "correction",
                          help="où écrire (par défaut : classe/correction)")
    livre = commands.add_parser("livre", help="livre HTML sans les solutions")
    livre.add_argument("chapitres", nargs="*", help="numéros des chapitres (tous par défaut)")
    livre.add_argument("--dossier", type=Path, default=OUT / "livre",
                       help="où écrire (par défaut : classe/livre)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        if args.commande == "edition":
            archive = build_edition(args.chapitres, args.dossier.resolve())
            print(f"Édition étudiante : {archive.with_suffix('')}/ et {archive} "
                  f"({time.perf_counter() - started:.0f} s).")
        elif args.commande == "corriger":
            done = grade(args.copies, args.chapitres, args.dossier.resolve())
            print("\n".join(done["report"]))
            print(f"Notes : {done['out'] / 'notes.csv'} ; retours : {done['out'] / 'retours'}/ ; "
                  f"rapport : {done['out'] / 'rapport.txt'}.")
        else:
            html_dir = build_book(args.chapitres, args.dossier.resolve())
            print(f"Livre étudiant : {html_dir / 'index.html'} "
                  f"({time.perf_counter() - started:.0f} s).")
    except ClasseError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
