"""Réglages communs des tests : dessin sans écran, graines fixées, livre construit une fois."""

import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _seed():
    from lib import set_seed

    set_seed(0)
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="session")
def html(tmp_path_factory) -> Path:
    """Le livre HTML construit une seule fois pour toute la session de tests (chaque chapitre
    exécuté à neuf, avertissements traités comme des erreurs), comme le fait la commande du README.

    ``LIVRE_HTML=dossier`` réutilise un livre déjà construit (``_build/html``), pour relire les
    pages sans tout reconstruire pendant le développement ; le journal de la construction est
    attendu dans ``dossier/../../construction.log``."""
    if os.environ.get("LIVRE_HTML"):
        return Path(os.environ["LIVRE_HTML"])
    root = Path(__file__).resolve().parents[1]
    out = tmp_path_factory.mktemp("livre")
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", "--all", "-W",
               "--keep-going", "--path-output", str(out), str(root)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=3000)
    # Journal gardé à côté du livre (relu par tests/test_parallel_execution.py).
    (out / "construction.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    return out / "_build" / "html"
