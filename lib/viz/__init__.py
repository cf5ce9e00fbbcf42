"""Fonctions de dessin du livre : ``draw_x(ax, résultat, ...) -> ax``.

Elles dessinent sur les axes reçus, ne calculent rien de coûteux et n'appellent jamais
la fonction ``show`` de pyplot. Elles sont regroupées par thème dans des sous-modules et toutes
accessibles depuis ``lib.viz``. Leurs graduations sont écrites à la française (« 0,5 ») ;
:func:`french_ticks` fait de même pour une figure dessinée directement avec matplotlib.

Ce qu'un dessin garde sur des axes pour le dessin suivant (barre de couleur, normalisation des
couleurs) passe par ``lib.viz._style.memory(ax)`` : voir :class:`lib.viz._style.AxesMemory`,
qui décrit ce contrat avec :mod:`lib.widgets`.
"""

from lib.viz._style import (
    CLASS_COLORS,
    CMAP_HEAT,
    CMAP_POSITIVE,
    CMAP_SIGNED,
    colorbar,
    french_ticks,
)
from lib.viz.activations import *  # noqa: F403
from lib.viz.comparison import *  # noqa: F403
from lib.viz.convolution import *  # noqa: F403
from lib.viz.explain import draw_attribution, draw_attribution_row  # noqa: F401
from lib.viz.influence import *  # noqa: F403
from lib.viz.learning import *  # noqa: F403
from lib.viz.learning_curve import *  # noqa: F403
from lib.viz.network import *  # noqa: F403
from lib.viz.neuron import draw_decision, draw_inspection, draw_steps  # noqa: F401
from lib.viz.nit import draw_gates, draw_shape  # noqa: F401
from lib.viz.perturbation import draw_curves, draw_mask  # noqa: F401
from lib.viz.structures import *  # noqa: F403
from lib.viz.transparency import *  # noqa: F403

__all__ = ["CMAP_HEAT", "CMAP_POSITIVE", "CMAP_SIGNED", "CLASS_COLORS", "colorbar",
           "french_ticks"]
