"""Exécute des chapitres et n'y garde que les sorties vérifiées par nbval.

Usage : ``python tools/store_outputs.py chapters/01_neurone.ipynb [...]``

Chaque notebook est exécuté à neuf (répertoire de travail : ``chapters/``). On garde les
sorties des seules cellules étiquetées ``nbval-check-output`` (nbval les compare), on
efface les autres, les numéros d'exécution et l'état des widgets : le fichier reste petit
et son contenu ne change que si un résultat vérifié change.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CHECK_TAG = "nbval-check-output"


def store(path: Path, timeout: int = 600) -> None:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        # nbval ne compare que les cellules exécutées : on garde leur numéro.
        if CHECK_TAG not in cell.metadata.get("tags", []):
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("widgets", None)
    nbformat.validate(notebook)
    nbformat.write(notebook, path)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage : python tools/store_outputs.py CHAPITRE.ipynb [...]")
    for name in sys.argv[1:]:
        store(Path(name))
        print(f"{name} : sorties vérifiées enregistrées")
