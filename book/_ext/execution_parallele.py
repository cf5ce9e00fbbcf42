"""Exécuter les chapitres en parallèle, un par cœur, avant que Sphinx ne les lise.

Jupyter Book 1 exécute les notebooks l'un après l'autre, pendant la lecture des pages : sur
deux cœurs, l'un attend. Ici, juste avant la lecture (événement ``env-before-read-docs``),
chaque notebook à lire est exécuté à neuf par jupyter-cache, dans un groupe de processus
(un par cœur) ; myst-nb, réglé sur ``execute_notebooks: cache`` (``_config.yml``), trouve
ensuite chaque notebook exécuté dans le cache et en lit les sorties.

- À neuf à chaque construction : le cache est vidé avant (il ne connaît que le code des
  cellules, pas celui de ``lib`` : le garder donnerait des sorties périmées).
- Le plus long d'abord : l'ordre suit la durée mesurée à la construction précédente (lue dans
  le cache avant de le vider) ; à la première construction, les derniers chapitres d'abord
  (ce sont eux qui entraînent le plus de réseaux). Les courts remplissent la fin.
- Un notebook en échec n'est pas caché : myst-nb le réexécute en lisant la page et signale
  l'erreur comme d'habitude (la construction avec ``-W`` échoue).
- Le journal donne la durée de chaque notebook : « Exécuté en parallèle : chapters/… en 12,3 s ».

Hors Linux et macOS, rien n'est fait ici : myst-nb exécute les notebooks l'un après l'autre.
Déclarée dans ``_config.yml`` (``local_extensions``). ``JUPYTER_BOOK_PROCESSUS=1`` exécute un
notebook à la fois (pour mesurer un chapitre seul).
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from pathlib import Path, PurePosixPath

from jupyter_cache import get_cache
from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc, ProcessData
from jupyter_cache.executors.utils import copy_assets, single_nb_execution
from sphinx.util import logging
from traitlets.config import Config

LOGGER = logging.getLogger(__name__)

#: Variable d'environnement : nombre de processus (par défaut, les cœurs disponibles).
WORKERS_ENV = "JUPYTER_BOOK_PROCESSUS"


def workers(count: int) -> int:
    """Nombre de processus : la variable ``JUPYTER_BOOK_PROCESSUS``, sinon un par cœur
    disponible, jamais plus que de notebooks."""
    wanted = os.environ.get(WORKERS_ENV)
    if wanted:
        try:
            cores = int(wanted)
        except ValueError:
            raise ValueError(f"`{WORKERS_ENV}` doit être un entier positif ; "
                             f"reçu : {wanted!r}") from None
        if cores < 1:
            raise ValueError(f"`{WORKERS_ENV}` doit être un entier positif ; reçu : {wanted!r}")
    else:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else (os.cpu_count() or 1)
    return max(1, min(cores, count))


def longest_first(paths: list[Path], previous: dict[str, float]) -> list[Path]:
    """Les notebooks du plus long au plus court d'après ``previous`` (uri → secondes) ; ceux
    qu'on n'a jamais mesurés d'abord, les derniers du livre en tête."""
    rank = {path: i for i, path in enumerate(paths)}
    return sorted(paths, key=lambda p: (str(p) in previous, -previous.get(str(p), 0.0),
                                        -rank[p]))


class IpcWorker(ExecutionWorkerLocalMProc):
    """Le travailleur de jupyter-cache, dont le noyau est relié par des sockets Unix.

    Par défaut, chaque noyau tire des ports TCP libres ; deux noyaux lancés au même instant
    par deux processus tiraient parfois le même (« Address already in use », puis « Kernel
    died before replying to kernel_info »). Ici chaque noyau parle par des fichiers (transport
    ``ipc``) rangés dans un dossier temporaire qui lui est propre : aucun port, aucune course.
    ``in_temp`` : exécuter dans un dossier temporaire (``execution_in_temp`` de myst-nb) plutôt
    que dans celui du notebook.
    """

    def __init__(self, in_temp: bool = False):
        super().__init__()
        self.in_temp = in_temp

    def execute(self, project_nb, data):
        with tempfile.TemporaryDirectory(prefix="noyau-") as sockets, \
                tempfile.TemporaryDirectory(prefix="notebook-") as temporary:
            cwd = str(Path(project_nb.uri).parent)
            if self.in_temp:
                copy_assets(project_nb.uri, project_nb.assets, temporary)
                cwd = temporary
            config = Config({"KernelManager": {"transport": "ipc",
                                               "ip": os.path.join(sockets, "k")}})
            return single_nb_execution(project_nb.nb, cwd=cwd, timeout=data.timeout,
                                       allow_errors=data.allow_errors, config=config)


def execute_all(app, env, docnames: list[str]) -> None:
    """Exécute en parallèle les notebooks de ``docnames`` et range leurs sorties dans le cache
    de myst-nb."""
    config = env.mystnb_config  # réglages de myst-nb, chemin du cache compris
    if config.execution_mode != "cache" or os.name != "posix":
        return  # hors Linux et macOS (sockets Unix absents) : myst-nb exécute un par un
    paths = [Path(env.doc2path(name)).resolve() for name in docnames]
    paths = [path for path in paths if path.suffix == ".ipynb" and not any(
        PurePosixPath(path.as_posix()).match(pattern)  # comme myst-nb
        for pattern in config.execution_excludepatterns)]
    if not paths:
        return
    cache = get_cache(config.execution_cache_path)
    previous = {}
    for record in cache.list_cache_records():
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is not None:
            previous[str(Path(record.uri).resolve())] = float(seconds)
    cache.clear_cache()
    cache = get_cache(config.execution_cache_path)
    order = longest_first(paths, previous)
    records = [cache.add_nb_to_project(str(path)) for path in order]
    jobs = [ProcessData(record.pk, record.uri, cache, config.execution_timeout,
                        config.execution_allow_errors) for record in records]
    count = workers(len(jobs))
    LOGGER.info(f"Exécution de {len(jobs)} notebooks sur {count} processus…")
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(count) as pool:
        failed = [uri for status, uri in pool.imap_unordered(
            IpcWorker(config.execution_in_temp), jobs, chunksize=1) if status != 0]
    source = Path(app.srcdir).resolve()  # résolu comme les chemins des notebooks
    for record in cache.list_cache_records():
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is not None:
            duration = f"{seconds:.1f}".replace(".", ",")
            LOGGER.info(f"Exécuté en parallèle : {os.path.relpath(record.uri, source)} "
                        f"en {duration} s")
    LOGGER.info(f"Notebooks exécutés en {time.perf_counter() - start:.0f} s"
                + (f" ; en échec, réexécutés à la lecture : {', '.join(failed)}"
                   if failed else ""))


def setup(app):
    app.connect("env-before-read-docs", execute_all)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
