"""Mêmes sorties vérifiées sur tout processeur x86-64.

Les chapitres passent déjà nbval avec les noyaux vectoriels de cette machine (AVX2 ou
AVX-512) ; ici, chacun est réexécuté avec les noyaux génériques de PyTorch
(``ATEN_CPU_CAPABILITY=default``), de oneDNN limités à SSE4.1, et ceux de base de MKL, OpenBLAS
et NumPy ; ses cellules
vérifiées doivent redonner les mêmes sorties enregistrées. Un résultat qui dépend des
derniers bits d'un calcul en virgule flottante échoue ici.
"""

import os
import platform
import subprocess
import sys

import pytest

from tests.chapters import CHAPTERS, ROOT


def _other_kernels() -> dict:
    """Noyaux génériques pour PyTorch et oneDNN, et sur x86-64 pour MKL, OpenBLAS et NumPy
    (qui choisissent aussi leurs instructions d'après le processeur)."""
    env = {"ATEN_CPU_CAPABILITY": "default", "ONEDNN_MAX_CPU_ISA": "SSE41"}
    if platform.machine() in ("x86_64", "AMD64"):
        from numpy._core._multiarray_umath import __cpu_dispatch__

        env.update(MKL_ENABLE_INSTRUCTIONS="SSE4_2", MKL_CBWR="COMPATIBLE",
                   OPENBLAS_CORETYPE="Nehalem",
                   NPY_DISABLE_CPU_FEATURES=" ".join(__cpu_dispatch__))
    return env


OTHER_KERNELS = _other_kernels()


@pytest.mark.kernels
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_checked_outputs_do_not_depend_on_cpu_kernels(chapter):
    env = {**os.environ, **OTHER_KERNELS}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q",
                          str(chapter.relative_to(ROOT))],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, (f"{chapter.name} sous {OTHER_KERNELS} :\n"
                                 + run.stdout[-6000:] + run.stderr[-2000:])


def test_the_other_kernels_are_really_used():
    """La variable d'environnement change bien les noyaux de PyTorch (sinon le test ci-dessus
    ne prouverait rien)."""
    env = {**os.environ, **OTHER_KERNELS}
    code = "import torch; print(torch.backends.cpu.get_cpu_capability())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "DEFAULT"
