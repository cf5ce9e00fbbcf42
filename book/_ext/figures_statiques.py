"""Figures interactives du livre HTML : signale au noyau qu'il s'exécute pour le livre.

La construction du livre exécute chaque chapitre dans un noyau Python qui hérite de
l'environnement de ce processus. La variable ``LIB_WIDGETS_BOOK=1`` posée ici dit à
``lib.widgets.explore`` de dessiner d'avance les images de chaque figure interactive et de les
afficher avec des contrôles HTML natifs (voir ``lib/widgets.py``) au lieu des widgets de
Jupyter, qu'une page statique ne peut pas faire vivre. Déclarée dans ``_config.yml``
(``local_extensions``).
"""

import os

#: Même nom que ``lib.widgets.BOOK_ENV`` (lu par le noyau, pas importé ici : l'extension ne
#: dépend pas de ``lib``).
BOOK_ENV = "LIB_WIDGETS_BOOK"


def setup(app):
    os.environ[BOOK_ENV] = "1"
    return {"parallel_read_safe": True, "parallel_write_safe": True}
