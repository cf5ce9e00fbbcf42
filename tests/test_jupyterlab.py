"""Dans JupyterLab, les cellules Markdown des chapitres (énoncés d'exercices, formules, citations)
sont rendues par l'extension MyST, comme dans le livre en ligne, et non montrées en MyST brut."""

import subprocess
import sys
from pathlib import Path


def test_the_myst_renderer_is_installed_and_enabled_in_jupyterlab():
    jupyter = Path(sys.executable).parent / "jupyter"
    listing = subprocess.run([str(jupyter), "labextension", "list"], capture_output=True,
                             text=True, timeout=120)
    text = listing.stdout + listing.stderr
    line = next((row for row in text.splitlines() if "jupyterlab-myst" in row and "v" in row), "")
    assert "enabled" in line, f"extension jupyterlab-myst absente ou désactivée :\n{text[-2000:]}"
