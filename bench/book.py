"""Mesure les budgets du livre HTML : poids des pages, durée de construction, changement d'image.

Usage : ``python bench/book.py`` (construit le livre dans un dossier temporaire et le mesure)
ou ``python bench/book.py --html chemin/_build/html`` (mesure un livre déjà construit).

Le script affiche :

- un tableau par chapitre : poids de la page (HTML, qui contient les images des figures
  interactives, plus ses images PNG), nombre de figures interactives, d'images précalculées
  (combinaisons de valeurs) et d'images distinctes ; budget : 3 Mo par page ;
- la durée de ``jupyter-book build --all`` (budget : 4 min sur 2 cœurs) et, lue dans son
  journal, la durée d'exécution de chaque chapitre, dont celle du dessin des images des
  figures interactives (écrite dans chaque figure) ;
- le temps d'un changement d'image dans Chromium (Playwright), une fois les images de la
  figure décodées (ce que la figure fait dès que la souris ou le clavier l'approche) : au
  début d'une image (``requestAnimationFrame``), ``performance.now()`` avant le changement de
  valeur d'un contrôle puis après ``img.decode()`` (script et nouvelle image prête) ; budget :
  moins de 16 ms (une image à 60 Hz). Aussi l'écart entre cette image et le
  ``requestAnimationFrame`` suivant : environ 16,7 ms quand le changement tient dans une image.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.chapters import CHAPTERS  # noqa: E402
from tests.test_browser import browser, serve  # noqa: E402

PAGE_BUDGET = 3 * 1024 * 1024
BUILD_BUDGET = 4 * 60
SWITCH_BUDGET = 16.0

SWITCH = """async ([figure, index, position]) => {
  const root = document.querySelectorAll("div.explore-live")[figure];
  const el = root.querySelectorAll("[data-i]")[index];
  const image = root.querySelector("img.explore-image");
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  root.dispatchEvent(new Event("focusin"));  // le lecteur approche : images décodées d'avance
  await root.exploreReady;
  const before = await frame();  // début d'une image : le changement part d'ici
  const start = performance.now();
  if (el.type === "checkbox") { el.checked = !el.checked; } else { el.value = String(position); }
  el.dispatchEvent(new Event(el.type === "checkbox" ? "change" : "input"));
  await image.decode();  // image décodée : prête à peindre
  const work = performance.now() - start;
  const after = await frame();
  return [work, after - before];
}"""


def build() -> tuple[Path, float, dict, float]:
    """Construit le livre ; rend le dossier HTML, la durée (s), la durée d'exécution de chaque
    chapitre et celle de l'exécution parallèle de tous les chapitres."""
    out = Path(tempfile.mkdtemp(prefix="livre-"))
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", "--all",
               "--path-output", str(out), str(ROOT)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    elapsed = time.perf_counter() - start
    if result.returncode:
        raise RuntimeError(result.stdout[-3000:] + result.stderr[-3000:])
    log = result.stdout + result.stderr
    executed = {}  # journal de book/_ext/execution_parallele.py
    for name, seconds in re.findall(r"Exécuté en parallèle : \S*?(\d\d_\w+)\.ipynb en "
                                     r"([\d,]+) s", log):
        executed[name] = float(seconds.replace(",", "."))
    executed_in = re.search(r"Notebooks exécutés en (\d+) s", log)
    wall = float(executed_in.group(1)) if executed_in else float("nan")
    return out / "_build" / "html", elapsed, executed, wall


def page_sizes(html: Path) -> list[tuple]:
    rows = []
    for path in CHAPTERS:
        page = html / "chapters" / f"{path.stem}.html"
        if not page.is_file():  # chapitre ajouté après la construction
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        size = page.stat().st_size
        for image in soup.find_all("img"):
            source = image.get("src", "")
            if source and not source.startswith(("data:", "http")):
                size += (page.parent / source).stat().st_size
        figures = soup.select("script.explore-data")
        frames = images = 0
        seconds = 0.0
        for script in figures:
            data = json.loads(script.string)
            frames += len(data["table"])
            images += len(data["images"])
            seconds += data.get("seconds", float("nan"))
        rows.append((path.stem, size, len(figures), frames, images, seconds))
    return rows


def switch_times(html: Path) -> list[tuple]:
    """Pour chaque chapitre : (médiane, maximum) des temps de changement, en ms."""
    rows = []
    with serve(html) as base, browser(Path(tempfile.mkdtemp(prefix="profil-"))) as context:
        page = context.new_page()
        for path in CHAPTERS:
            if not (html / "chapters" / f"{path.stem}.html").is_file():
                continue
            page.goto(f"{base}/chapters/{path.stem}.html", wait_until="load")
            controls = page.evaluate("""() => Array.from(document.querySelectorAll(
                "div.explore-live"), (root) => Array.from(root.querySelectorAll("[data-i]"),
                (el) => el.tagName === "SELECT" ? el.options.length
                        : el.type === "checkbox" ? 2 : Number(el.max) + 1))""")
            work, gaps = [], []
            for figure, counts in enumerate(controls):
                for index, count in enumerate(counts):
                    for position in [*range(count), 0]:
                        a, b = page.evaluate(SWITCH, [figure, index, position])
                        work.append(a)
                        gaps.append(b)
            if work:
                rows.append((path.stem, len(work), float(np.median(work)),
                             float(np.percentile(work, 95)), float(np.max(work)),
                             float(np.median(gaps)), float(np.max(gaps))))
        page.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, help="livre déjà construit (_build/html)")
    args = parser.parse_args()
    if args.html:
        html, elapsed, executed, wall = args.html, None, {}, float("nan")
    else:
        html, elapsed, executed, wall = build()
    print(f"Livre : {html}  (processeurs visibles : {os.cpu_count()})")
    if elapsed is not None:
        print(f"Construction complète : {elapsed:.0f} s (budget {BUILD_BUDGET} s) : "
              f"{'tenu' if elapsed <= BUILD_BUDGET else 'DÉPASSÉ'}", flush=True)
    print()
    print("| chapitre                   | poids (Mo) | figures | images (combinaisons) "
          "| images distinctes | exécution (s) | dont images (s) |")
    print("|----------------------------|------------|---------|-----------------------"
          "|-------------------|---------------|-----------------|")
    worst, drawing = 0, 0.0
    for name, size, figures, frames, images, seconds in page_sizes(html):
        worst = max(worst, size)
        drawing += seconds
        run = f"{executed[name]:.1f}" if name in executed else "–"
        print(f"| {name:<26} | {size / 2**20:>10.2f} | {figures:>7} | {frames:>21} "
              f"| {images:>17} | {run:>13} | {seconds:>15.1f} |")
    print(f"\nPage la plus lourde : {worst / 2**20:.2f} Mo (budget 3 Mo) : "
          f"{'tenu' if worst <= PAGE_BUDGET else 'DÉPASSÉ'}")
    if executed:
        print(f"Exécution des chapitres (lue dans le journal) : {sum(executed.values()):.0f} s "
              f"l'un après l'autre, {wall:.0f} s en parallèle "
              f"(book/_ext/execution_parallele.py) ; dessin des images des figures "
              f"interactives : {drawing:.0f} s")
    print("\n| chapitre                   | changements | médiane (ms) | 95 % (ms) | max (ms) "
          "| écart entre images : médiane | max (ms) |")
    print("|----------------------------|-------------|--------------|-----------|----------"
          "|------------------------------|----------|")
    slowest, p95 = 0.0, 0.0
    for name, count, median, high, top, dmedian, dtop in switch_times(html):
        slowest, p95 = max(slowest, top), max(p95, high)
        print(f"| {name:<26} | {count:>11} | {median:>12.2f} | {high:>9.2f} | {top:>8.2f} "
              f"| {dmedian:>28.2f} | {dtop:>8.2f} |")
    print(f"\nChangement d'image (script et décodage), budget {SWITCH_BUDGET:.0f} ms : "
          f"95e centile le plus haut {p95:.1f} ms "
          f"({'tenu' if p95 < SWITCH_BUDGET else 'DÉPASSÉ'}), plus lent {slowest:.1f} ms "
          f"({'tenu' if slowest < SWITCH_BUDGET else 'DÉPASSÉ'})")


if __name__ == "__main__":
    main()
