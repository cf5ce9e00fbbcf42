"""Méthodes de transparence : cartes d'attribution et mesures de leur qualité.

Toutes les méthodes d'attribution ont la même forme d'appel, pour qu'on les compare dans
une boucle : ``explication = methode(model, x, target, **options)``, options par mot-clé.
Le registre :data:`METHODS` (module :mod:`lib.explain.methods`) les range sous leur nom
français, avec ce qu'elles expliquent et ce que veut dire la forme de leur résultat ;
``METHODS[nom].heatmap(model, x, target)`` rend une carte de chaleur ``(N, H, W)``
comparable d'une méthode à l'autre. Le résultat brut est un tenseur détaché sur le CPU :
de la forme de ``x`` pour les méthodes de gradient (``gradient``, ``smoothgrad``,
``integrated_gradients``), ``(N, 1, h, w)`` à la résolution de la couche pour ``grad_cam``
et ``grad_cam_pp`` (par défaut la dernière couche de convolution ``nn.Conv2d``), une valeur
par position du carré pour ``occlusion``, un objet ``Perturbation`` pour
``meaningful_perturbation``. Les méthodes qui n'observent aucune couche refusent
l'option ``layer``. Des données sur un autre appareil (GPU)
ou dans un autre type de nombres (float32, float64) que le modèle y sont d'abord converties.
Une méthode rend le modèle exactement comme elle l'a trouvé, même quand elle lève une
erreur, et ne modifie pas ``x``.
Les outils communs aux méthodes (crochets, cibles, placement des données) sont dans
:mod:`lib.explain.hooks` ; les fonctions d'influence dans :mod:`lib.explain.influence`
(``explain.influence``, ou ``from lib.explain import influence``), NIT dans
:mod:`lib.explain.nit` (``explain.nit``).
Voir les chapitres 7, 8 et 12.
"""

from lib.explain import hooks, influence, nit
from lib.explain.gradcam import grad_cam, grad_cam_pp, normalize, upsample
from lib.explain.hooks import Capture, capture
from lib.explain.methods import METHODS, Method
from lib.explain.metrics import (
    completeness_error,
    curve_area,
    deletion_curve,
    energy_in_mask,
    insertion_curve,
    pointing_game,
    randomizable_layers,
    randomize_layers,
    rank_correlation,
)
from lib.explain.occlusions import class_probability, occlude, occlusion
from lib.explain.perturbation import meaningful_perturbation, perturb, random_masks
from lib.explain.saliency import gradient, integrated_gradients, smoothgrad

__all__ = [
    "hooks", "influence", "nit",  # modules : explain.influence.influence(...)
    "METHODS", "Method",
    "Capture", "capture",
    "gradient", "smoothgrad", "integrated_gradients",
    "grad_cam", "grad_cam_pp", "upsample", "normalize",
    "pointing_game", "energy_in_mask", "rank_correlation", "completeness_error",
    "randomizable_layers", "randomize_layers",
    "occlusion", "occlude", "class_probability",
    "meaningful_perturbation", "perturb", "random_masks",
    "deletion_curve", "insertion_curve", "curve_area",
]
