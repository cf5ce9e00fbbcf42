"""Méthodes de transparence : cartes d'attribution et mesures de leur qualité.

Toutes les méthodes ont la même forme d'appel, pour qu'on les compare dans une boucle :
``explication = methode(model, x, target, *, layer=None, **options)``. Le résultat est un
tenseur détaché sur le CPU : de la forme de ``x`` pour les méthodes de gradient
(``gradient``, ``smoothgrad``, ``integrated_gradients``), ``(N, 1, h, w)`` à la résolution
de la couche pour ``grad_cam`` et ``grad_cam_pp``. Des données sur un autre appareil (GPU)
ou dans un autre type de nombres (float32, float64) que le modèle y sont d'abord converties.
Une méthode rend le modèle exactement comme elle l'a trouvé, même quand elle lève une
erreur, et ne modifie pas ``x``.
Voir les chapitres 7 et 8.
"""

from lib.explain._hooks import Capture, capture
from lib.explain.gradcam import grad_cam, grad_cam_pp, normalize, upsample
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
from lib.explain.occlusion import occlusion
from lib.explain.perturbation import meaningful_perturbation, perturb, random_masks
from lib.explain.saliency import gradient, integrated_gradients, smoothgrad

__all__ = [
    "Capture", "capture",
    "gradient", "smoothgrad", "integrated_gradients",
    "grad_cam", "grad_cam_pp", "upsample", "normalize",
    "pointing_game", "energy_in_mask", "rank_correlation", "completeness_error",
    "randomizable_layers", "randomize_layers",
    "occlusion", "meaningful_perturbation", "perturb", "random_masks",
    "deletion_curve", "insertion_curve", "curve_area",
]
