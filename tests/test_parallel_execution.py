"""Les chapitres s'exécutent en parallèle avant la lecture des pages.

Voir book/_ext/execution_parallele.py.

Trois choses à tenir : l'ordre (le plus long d'abord), le nombre de processus, et qu'un
notebook en échec fasse toujours échouer la construction (rien n'est caché par le cache).
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.chapters import CHAPTERS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import execution_parallele as ext  # noqa: E402


def test_longest_first_uses_previous_durations():
    paths = [Path(f"/livre/chapters/{n:02d}.ipynb") for n in range(1, 5)]
    previous = {str(paths[0]): 5.0, str(paths[1]): 80.0, str(paths[2]): 20.0}
    order = ext.longest_first(paths, previous)
    # jamais mesuré d'abord (04), puis du plus long au plus court
    assert order == [paths[3], paths[1], paths[2], paths[0]]


def test_longest_first_without_history_puts_last_chapters_first():
    paths = [Path(f"/livre/chapters/{n:02d}.ipynb") for n in range(1, 4)]
    assert ext.longest_first(paths, {}) == paths[::-1]


def test_workers(monkeypatch):
    monkeypatch.setenv(ext.WORKERS_ENV, "3")
    assert ext.workers(12) == 3
    assert ext.workers(2) == 2  # jamais plus que de notebooks
    monkeypatch.delenv(ext.WORKERS_ENV)
    assert 1 <= ext.workers(12) <= 12
    for wrong in ["zéro", "0", "-1"]:
        monkeypatch.setenv(ext.WORKERS_ENV, wrong)
        with pytest.raises(ValueError, match="JUPYTER_BOOK_PROCESSUS"):
            ext.workers(12)


def _notebook(code: str) -> dict:
    return {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Titre"},
                      {"cell_type": "code", "metadata": {}, "execution_count": None,
                       "outputs": [], "source": code}],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def _tiny_book(folder: Path, codes: dict, execute: str = "") -> Path:
    (folder / "_ext").mkdir(parents=True)
    (folder / "_ext" / "execution_parallele.py").write_text(
        (ROOT / "book" / "_ext" / "execution_parallele.py").read_text(encoding="utf-8"),
        encoding="utf-8")
    (folder / "_config.yml").write_text(
        "title: Essai\nexecute:\n  execute_notebooks: cache\n" + execute +
        "sphinx:\n  local_extensions:\n    execution_parallele: _ext\n", encoding="utf-8")
    names = list(codes)
    (folder / "_toc.yml").write_text(
        f"format: jb-book\nroot: {names[0]}\nchapters:\n"
        + "".join(f"- file: {name}\n" for name in names[1:]), encoding="utf-8")
    for name, code in codes.items():
        (folder / f"{name}.ipynb").write_text(json.dumps(_notebook(code)), encoding="utf-8")
    return folder


def _build(folder: Path) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", "-W",
               "--keep-going", str(folder)]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


@pytest.mark.book
def test_small_book_executes_in_parallel_and_failures_still_fail(tmp_path):
    transport = ("from ipykernel.kernelapp import IPKernelApp\n"
                 "print('transport :', IPKernelApp.instance().transport)")
    book = _tiny_book(tmp_path / "bon", {"a": "print(6 * 7)\n" + transport,
                                         "b": "print('b' * 3)", "c": "print('exclu')"},
                      execute="  exclude_patterns: ['c.ipynb']\n")
    result = _build(book)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    ran = re.findall(r"Exécuté en parallèle : (\w)\.ipynb en [\d,]+ s", log)
    assert sorted(ran) == ["a", "b"], log  # c exclu de l'exécution, comme pour myst-nb
    assert log.count("Using cached notebook") == 2, log  # myst-nb n'a rien réexécuté
    page = (book / "_build" / "html" / "a.html").read_text(encoding="utf-8")
    assert "42" in page
    # noyau relié par des sockets Unix : pas de port TCP à se disputer entre processus
    assert "transport : ipc" in page, page[-2000:]

    book = _tiny_book(tmp_path / "casse", {"a": "print(1)", "b": "1 / 0"})
    result = _build(book)
    log = result.stdout + result.stderr
    assert result.returncode != 0, "un notebook en échec doit faire échouer la construction"
    assert "b.ipynb" in log and "réexécutés à la lecture" in log, log[-3000:]


@pytest.mark.book
def test_every_chapter_of_the_book_ran_in_parallel(html):
    log_path = html.parent.parent / "construction.log"
    assert log_path.is_file(), f"journal de construction absent : {log_path}"
    log = log_path.read_text(encoding="utf-8")
    for path in CHAPTERS:
        assert re.search(rf"Exécuté en parallèle : chapters/{path.name} en [\d,]+ s", log), path
        assert re.search(rf"{path.name}: Using cached notebook", log), path
    assert "Executed notebook in" not in log, "un chapitre a été réexécuté pendant la lecture"
