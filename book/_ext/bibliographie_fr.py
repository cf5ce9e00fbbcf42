"""Style de bibliographie en français pour sphinxcontrib-bibtex (« et », « Dans », « volume … de »).

Il reprend le style ``unsrt`` de pybtex et n'en traduit que les mots. Activé dans
``_config.yml`` par ``bibtex_default_style: fr``.
"""

from pybtex.plugin import register_plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import date, pages
from pybtex.style.template import field, names, optional, optional_field, sentence, together, words


class FrenchStyle(UnsrtStyle):
    """Style ``unsrt`` de pybtex avec ses mots en français."""

    default_sorting_style = "author_year_title"

    def format_names(self, role, as_sentence=True):
        formatted = names(role, sep=", ", sep2=" et ", last_sep=" et ")
        return sentence[formatted] if as_sentence else formatted

    def format_volume_and_series(self, e, as_sentence=True):
        volume = optional[words[together["volume", field("volume")],
                                optional[words["de", field("series")]]]]
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


def setup(app):
    register_plugin("pybtex.style.formatting", "fr", FrenchStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
