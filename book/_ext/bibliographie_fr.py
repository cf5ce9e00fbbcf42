"""Style de bibliographie en français pour sphinxcontrib-bibtex (« et », « Dans », « volume … de »).

Il reprend le style ``unsrt`` de pybtex et n'en traduit que les mots ; les étiquettes de la
liste sont en auteur-année (« Koh et Liang, 2017 »), comme les citations du texte. Activé
dans ``_config.yml`` par ``bibtex_default_style: fr`` ; ``bibtex_reference_style:
author_year_fr`` écrit de même les citations du texte (« Fong et Vedaldi, 2017 »).
"""

from collections import Counter
from dataclasses import dataclass, field
from string import ascii_lowercase

import sphinxcontrib.bibtex.plugin
from pybtex.plugin import register_plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import date, pages
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import field as bib_field
from pybtex.style.template import names, optional, optional_field, sentence, together, words
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle


class AuthorYearLabelStyle(BaseLabelStyle):
    """Étiquettes « Nom, année », « Nom et Nom, année » ou « Nom et al., année » ;
    une lettre distingue deux étiquettes identiques (« 2017a », « 2017b »)."""

    @staticmethod
    def _label(entry):
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        last = [" ".join(p.last_names) for p in people]
        if not last:
            who = entry.fields.get("title", entry.key).split(":")[0]
        elif len(last) == 1:
            who = last[0]
        elif len(last) == 2:
            who = f"{last[0]} et {last[1]}"
        else:
            who = f"{last[0]} et al."
        return f"{who}, {entry.fields.get('year', 's. d.')}".replace("{", "").replace("}", "")

    def format_labels(self, sorted_entries):
        labels = [self._label(entry) for entry in sorted_entries]
        counts, seen = Counter(labels), Counter()
        for label in labels:
            if counts[label] > 1:
                seen[label] += 1
                yield label + ascii_lowercase[seen[label] - 1]
            else:
                yield label


class FrenchStyle(UnsrtStyle):
    """Style ``unsrt`` de pybtex avec ses mots en français et des étiquettes auteur-année."""

    default_sorting_style = "author_year_title"
    default_label_style = AuthorYearLabelStyle

    def format_names(self, role, as_sentence=True):
        formatted = names(role, sep=", ", sep2=" et ", last_sep=" et ")
        return sentence[formatted] if as_sentence else formatted

    def format_title(self, e, which_field, as_sentence=True):
        """Le titre tel que la bibliographie l'écrit : pybtex le mettrait en minuscules sauf la
        première lettre (« Unmasking clever hans predictors ») ; les noms propres y restent."""
        title = bib_field(which_field)
        return sentence[title] if as_sentence else title

    def format_volume_and_series(self, e, as_sentence=True):
        volume = optional[words[together["volume", bib_field("volume")],
                                optional[words["de", bib_field("series")]]]]
        return sentence(capfirst=True)[volume] if as_sentence else volume

    def get_inproceedings_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            words["Dans", sentence[
                self.format_btitle(e, "booktitle", as_sentence=False),
                self.format_volume_and_series(e, as_sentence=False),
                optional[words["pages", pages]],
            ]],
            sentence[optional_field("publisher"), date],
            self.format_web_refs(e),
        ]


def _french_persons() -> PersonStyle:
    return PersonStyle(sep2=" et ", last_sep=" et ")


def _semicolons() -> BracketStyle:
    return BracketStyle(sep=" ; ")


@dataclass
class FrenchAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    """Citations auteur-année du texte avec « et » : « Koh et Liang, 2017 » ; plusieurs
    citations séparées par un point-virgule : « (Fong et Vedaldi, 2017 ; Koh et Liang, 2017) »."""

    person: PersonStyle = field(default_factory=_french_persons)
    bracket_parenthetical: BracketStyle = field(default_factory=_semicolons)
    bracket_textual: BracketStyle = field(default_factory=_semicolons)


def setup(app):
    register_plugin("pybtex.style.formatting", "fr", FrenchStyle)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_fr",
        FrenchAuthorYearReferenceStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
