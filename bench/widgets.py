"""Mesure la réactivité des figures interactives des chapitres.

Usage : ``python bench/widgets.py [chapters/01_neurone.ipynb ...]`` (tous par défaut).

Chaque chapitre est exécuté dans un vrai noyau ; on y ajoute une cellule qui, pour chaque
figure créée par ``lib.widgets.explore``, déplace chaque contrôle sur quelques valeurs
(3 passages) et mesure le temps entre le changement et l'image PNG redessinée. Le script
affiche un tableau : médiane et 90e centile en millisecondes (objectif : médiane ≤ 50 ms).
"""

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, numpy as _np
from lib import widgets as _w
_rows = []
for _i, _e in enumerate(_w.explorers(), 1):
    _median = _w.benchmark(_e, repeats=3)
    _p90 = 1000 * float(_np.percentile(_e.timings, 90))
    _label = ", ".join(c.label for c in _e.controls.values())
    _rows.append((_i, _label, len(_e.timings), _median, _p90))
print("BENCH" + json.dumps(_rows))
"""


def measure(path: Path) -> list:
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
    NotebookClient(notebook, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for output in notebook.cells[-1].outputs:
        text = output.get("text", "")
        if text.startswith("BENCH"):
            return json.loads(text[len("BENCH"):])
    raise RuntimeError(f"{path.name} : la mesure n'a rien renvoyé")


def main(paths: list[str]) -> None:
    chapters = [Path(p) for p in paths] or sorted((ROOT / "chapters").glob("*.ipynb"))
    print(f"| {'chapitre':<26} | n° | {'contrôles':<48} | mesures | médiane (ms) | p90 (ms) |")
    print(f"|{'-' * 28}|----|{'-' * 50}|---------|--------------|----------|")
    for path in chapters:
        for index, label, count, median, p90 in measure(path):
            print(f"| {path.stem:<26} | {index:>2} | {label[:48]:<48} | {count:>7} "
                  f"| {median:>12.1f} | {p90:>8.1f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
