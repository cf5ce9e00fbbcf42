"""Typographie française du livre HTML, appliquée à la construction (et non à la main).

- **Apostrophes** : les guillemets « intelligents » de docutils prennent l'apostrophe de
  ``l'**ajout**`` pour un guillemet fermant (« l”ajout », faute de voir le mot suivant, qui est
  dans un autre nœud). Le livre garde donc de docutils les tirets et les points de suspension
  (``smartquotes_action = "De"``) et écrit lui-même l'apostrophe typographique ’ dans le texte
  courant (jamais dans le code ni dans les formules).
- **Espaces insécables** : espace fine insécable avant « ; ? ! », espace insécable avant « : »
  et à l'intérieur des guillemets « », pour qu'aucune ligne ne commence par une ponctuation.
- **Marqueurs internes** : les lignes ``### BEGIN SOLUTION`` / ``### END SOLUTION`` (utiles à
  nbgrader pour l'édition étudiante) n'apparaissent pas dans le code montré au lecteur.
- **Titres des solutions** : « Solution de l’exercice 1.1 » au lieu de « Solution de Exercice 1.1 »
  (traduction de sphinx-exercise).
- **Texte de remplacement des figures** : myst-nb ne lit dans les métadonnées d'une sortie image
  que sa largeur et sa hauteur ; le livre y lit aussi ``alt``, que ``lib.viz`` écrit en français
  pour chaque figure matplotlib (voir :func:`lib.viz.figure_alt_text`).
"""

import re

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

NBSP = "\u00a0"  # espace insécable (avant « : », dans « »)
NNBSP = "\u202f"  # espace fine insécable (avant « ; ? ! »)

#: Nœuds dont le texte est du code, une formule ou du HTML brut : jamais modifié.
_VERBATIM = (nodes.FixedTextElement, nodes.literal, nodes.math, nodes.raw, nodes.math_block)

_APOSTROPHE = re.compile(r"(?<=\w)'")
_SPACE = r"[ \t\n]"


def french_text(text: str) -> str:
    """Le texte courant ``text`` avec la typographie française (apostrophes, espaces insécables).

    Une apostrophe droite après une lettre devient ’, même en fin de nœud (``l'**mot**``)."""
    text = _APOSTROPHE.sub("’", text)
    text = re.sub(_SPACE + r"+([;?!])", NNBSP + r"\1", text)
    text = re.sub(_SPACE + r"+:(?=[\s\d«(]|$)", NBSP + ":", text)
    text = re.sub(r"«" + _SPACE + "*", "«" + NBSP, text)
    text = re.sub(_SPACE + r"*»", NBSP + "»", text)
    return text


def _verbatim(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _VERBATIM):
            return True
        parent = parent.parent
    return False


def _retype(document: nodes.document) -> None:
    for text in list(document.findall(nodes.Text)):
        if text.parent is None or _verbatim(text):
            continue
        new = french_text(str(text))
        if new != str(text):
            text.parent.replace(text, nodes.Text(new))


class FrenchTypography(SphinxTransform):
    """Apostrophes et espaces insécables dans le texte courant de chaque page."""

    default_priority = 760  # après les guillemets de docutils (750)

    def apply(self, **kwargs) -> None:
        _retype(self.document)


class FrenchTypographyLate(SphinxPostTransform):
    """La même chose pour le texte ajouté après la lecture (titres des solutions, glue…)."""

    default_priority = 900

    def run(self, **kwargs) -> None:
        _retype(self.document)


_SOLUTION_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)


class HideSolutionMarkers(SphinxTransform):
    """Retire du code des cellules les lignes ``### BEGIN SOLUTION`` et ``### END SOLUTION``."""

    default_priority = 761

    def apply(self, **kwargs) -> None:
        for block in list(self.document.findall(nodes.literal_block)):
            if "cell_input" not in block.parent.get("classes", []):
                continue  # seulement le code des cellules (le guide de l'enseignant les montre)
            source = block.astext()
            if "SOLUTION" not in source or not _SOLUTION_MARKER.search(source):
                continue
            cleaned = _SOLUTION_MARKER.sub("", source)
            new = nodes.literal_block(cleaned, cleaned, **block.attributes)
            block.parent.replace(block, new)


class SolutionTitles(SphinxPostTransform):
    """« Solution de l’exercice 1.1 » : article élidé et minuscule (sphinx-exercise écrit
    « Solution de » suivi du titre de l'exercice, « Exercice 1.1 »)."""

    default_priority = 30  # après ResolveTitlesInSolutions de sphinx-exercise (21)

    def run(self, **kwargs) -> None:
        from sphinx_exercise.nodes import solution_node

        for solution in self.document.findall(solution_node):
            title = solution.children[0]
            first = title.children[0] if title.children else None
            if not isinstance(first, nodes.Text) or not str(first).startswith("Solution de"):
                continue
            title.replace(first, nodes.Text("Solution de l’"))
            for text in title.findall(nodes.Text):
                if str(text).startswith(" Exercice"):
                    text.parent.replace(text, nodes.Text("exercice" + str(text)[len(" Exercice"):]))
                    break


def _render_image_with_alt(render_image):
    """Enveloppe ``NbElementRenderer.render_image`` : lit aussi ``alt`` dans les métadonnées de
    la sortie (myst-nb 1.4 n'y lit que ``width`` et ``height``)."""

    def render(self, data):
        result = render_image(self, data)
        alt = data.output_metadata.get(data.mime_type, {}).get("alt")
        if alt:
            for node in result:
                if isinstance(node, nodes.image):
                    node["alt"] = str(alt)
        return result

    render.__wrapped__ = render_image
    return render


def _page_titles(app, pagename, templatename, context, doctree) -> None:
    """Le titre de l'onglet (``<title>``) et ceux de la navigation, pris avant nos
    transformations, reçoivent aussi les espaces insécables."""
    for key in ("title", "pagetitle"):
        if isinstance(context.get(key), str):
            context[key] = french_text(context[key])
    for key in ("prev", "next"):
        link = context.get(key)
        if isinstance(link, dict) and isinstance(link.get("title"), str):
            link["title"] = french_text(link["title"])


def setup(app):
    from myst_nb.core.render import NbElementRenderer

    if not hasattr(NbElementRenderer.render_image, "__wrapped__"):
        NbElementRenderer.render_image = _render_image_with_alt(NbElementRenderer.render_image)
    app.add_transform(FrenchTypography)
    app.add_transform(HideSolutionMarkers)
    app.add_post_transform(SolutionTitles)
    app.add_post_transform(FrenchTypographyLate)
    app.connect("html-page-context", _page_titles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
