"""Les figures interactives du livre HTML vivent dans un vrai navigateur, sans réseau.

Chromium (paquet Debian ``chromium``, jamais téléchargé par ``playwright install``) piloté par
Playwright ouvre chaque chapitre servi par un serveur HTTP local (127.0.0.1), déplace chaque
contrôle de chaque figure interactive (clavier pour les curseurs et les cases, choix d'une
autre option pour les menus) et vérifie que l'image change, que son texte de remplacement suit,
qu'aucune erreur n'apparaît dans la console et qu'aucune requête ne sort du serveur local.
Le livre est celui de la fixture ``html`` (tests/conftest.py), construit une fois.
"""

import contextlib
import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.chapters import CHAPTERS

pytestmark = pytest.mark.book

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: Message qu'une construction Jupyter Book 1 ordinaire écrit déjà sur chaque page (toléré) ;
#: Chromium l'écrit « Identifier 'THEBE_JS_URL' has already been declared ».
TOLERATED = re.compile(r"THEBE_JS_URL\W* has already been declared")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(root: Path):
    """Sert ``root`` sur 127.0.0.1 (port libre) ; rend l'adresse de base."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def browser(profile: Path):
    """Chromium du système, sans tête, avec un profil neuf (``profile``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1280, "height": 900})
        try:
            yield context
        finally:
            context.close()


class Watch:
    """Ce qu'une page fait de travers : erreurs de console ou de script, requêtes sorties."""

    def __init__(self, page, base: str):
        self.errors, self.outside = [], []
        host = urlsplit(base).netloc
        page.on("console", lambda m: m.type == "error" and not TOLERATED.search(m.text)
                and self.errors.append(f"{page.url} : {m.text}"))
        page.on("pageerror", lambda e: not TOLERATED.search(str(e))
                and self.errors.append(f"{page.url} : {e}"))

        def request(r):
            parts = urlsplit(r.url)
            if parts.scheme not in ("data", "blob", "about") and parts.netloc != host:
                self.outside.append(r.url)

        page.on("request", request)


def _state(figure) -> tuple:
    image = figure.locator("img.explore-image")
    return image.get_attribute("src"), image.get_attribute("alt")


def move(page, figure, control) -> list[str]:
    """Déplace ``control`` comme un lecteur ; rend les problèmes vus (liste vide : tout va bien).

    Curseur : touches Fin puis Début ; case : barre d'espace ; menu : chaque autre option.
    L'image et son texte de remplacement doivent changer au moins une fois.
    """
    kind = control.evaluate("el => el.tagName === 'SELECT' ? 'select' : el.type")
    label = control.evaluate("el => el.closest('label').textContent.trim()")
    before = _state(figure)
    seen = []
    if kind == "select":
        values = control.evaluate("el => Array.from(el.options, o => o.value)")
        current = control.input_value()
        moves = [lambda v=v: control.select_option(v) for v in values if v != current]
    elif kind == "checkbox":
        moves = [lambda: (control.focus(), page.keyboard.press("Space"))] * 2
    else:
        moves = [lambda: (control.focus(), page.keyboard.press("End")),
                 lambda: (control.focus(), page.keyboard.press("Home"))]
    for action in moves:
        action()
        seen.append(_state(figure))
    problems = []
    if all(src == before[0] for src, _ in seen):
        problems.append(f"« {label} » ({kind}) : l'image ne change pas")
    if all(alt == before[1] for _, alt in seen):
        problems.append(f"« {label} » : le texte de remplacement ne change pas")
    if not all(alt and alt.startswith("Figure pour ") for _, alt in [before, *seen]):
        problems.append(f"« {label} » : texte de remplacement absent")
    return problems


def test_every_control_of_every_figure_moves_the_image(html, tmp_path):
    problems, figures = [], 0
    with serve(html) as base, browser(tmp_path / "profil") as context:
        page = context.new_page()
        watch = Watch(page, base)
        for path in CHAPTERS:
            response = page.goto(f"{base}/chapters/{path.stem}.html", wait_until="load")
            assert response.ok, f"page absente : {path.stem}"
            for figure in page.locator("div.explore-live").all():
                figures += 1
                figure.scroll_into_view_if_needed()
                for control in figure.locator("[data-i]").all():
                    problems += [f"{path.stem} : {p}" for p in move(page, figure, control)]
        page.close()
    assert figures > 0, "aucune figure interactive dans le livre"
    assert not problems, "\n".join(problems)
    assert not watch.errors, watch.errors
    assert not watch.outside, f"requêtes hors du serveur local : {watch.outside[:10]}"
