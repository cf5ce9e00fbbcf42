"""Le code du livre (lib, tests, chapitres, outils) passe ruff avec les règles de pyproject.toml."""

import subprocess
import sys
from pathlib import Path

from tests.chapters import ROOT


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "--output-format", "concise", str(ROOT)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
