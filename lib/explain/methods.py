"""Le registre des méthodes d'attribution : une seule forme d'appel, une seule liste.

Chaque méthode s'appelle ``methode(model, x, target, **options)`` (options par mot-clé) et
:data:`METHODS` les range dans l'ordre du livre, sous leur nom français : les chapitres,
les démonstrations et les mesures de temps bouclent sur ce dictionnaire, si bien qu'une
nouvelle méthode s'ajoute ici, en un seul endroit. Chaque entrée :class:`Method` dit ce que
la méthode explique (des pixels ou des régions), ce dont elle a besoin (gradients,
couche) et ce que veut dire la forme de son résultat ; :meth:`Method.heatmap` ramène
tous les résultats à une même carte de chaleur ``(N, H, W)``, positive, à la résolution de
l'entrée, pour les comparer. Voir les chapitres 8 et 12.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F

from lib import _validation as check
from lib.explain.gradcam import grad_cam, grad_cam_pp
from lib.explain.hooks import check_input
from lib.explain.occlusions import occlusion
from lib.explain.perturbation import Perturbation, meaningful_perturbation
from lib.explain.saliency import gradient, integrated_gradients, smoothgrad

__all__ = ["Method", "METHODS"]

#: Ce qu'une méthode peut expliquer : chaque pixel, ou des régions de l'image.
EXPLAINS = ("pixels", "régions")


def _option(function: Callable, options: dict, name: str):
    """Valeur de l'option ``name`` : celle donnée, sinon la valeur par défaut de ``function``."""
    if name in options:
        return options[name]
    return inspect.signature(function).parameters[name].default


def _input_map(result: torch.Tensor, x: torch.Tensor, options: dict) -> torch.Tensor:
    """Carte de même forme que ``x`` → |carte|, maximum sur les canaux (Simonyan et al.)."""
    return result.abs().amax(dim=1)


def _layer_map(result: torch.Tensor, x: torch.Tensor, options: dict) -> torch.Tensor:
    """Carte ``(N, 1, h, w)`` d'une couche → agrandie (bilinéaire) à la taille de l'entrée."""
    out = F.interpolate(result, size=tuple(x.shape[-2:]), mode="bilinear", align_corners=False)
    return out[:, 0]


def _occlusion_map(result: torch.Tensor, x: torch.Tensor, options: dict) -> torch.Tensor:
    """Baisse de probabilité par position du carré → chaque pixel reçoit la moyenne des
    baisses des carrés qui le cachent, partie positive (0 pour un pixel jamais caché)."""
    size = _option(occlusion, options, "size")
    stride = _option(occlusion, options, "stride")
    kernel = torch.ones(1, 1, size, size, dtype=result.dtype)
    total = F.conv_transpose2d(result, kernel, stride=stride)
    count = F.conv_transpose2d(torch.ones_like(result), kernel, stride=stride)
    height, width = x.shape[-2:]
    pad = (0, width - total.shape[-1], 0, height - total.shape[-2])
    total, count = F.pad(total, pad), F.pad(count, pad)
    mean = torch.where(count > 0, total / torch.where(count > 0, count, 1), 0)
    return mean[:, 0].clamp(min=0)


def _perturbation_map(result: Perturbation, x: torch.Tensor, options: dict) -> torch.Tensor:
    """Masque m (1 = pixel gardé) → importance : la part effacée 1 − m (jeu de la
    suppression), ou la part gardée m (jeu de la préservation)."""
    game = _option(meaningful_perturbation, options, "game")
    mask = result.mask[:, 0]
    return mask if game == "preservation" else 1 - mask


@dataclass(frozen=True)
class Method:
    """Une méthode d'attribution du registre :data:`METHODS` et ce qu'il faut savoir d'elle.

    ``name`` : nom français affiché ; ``function`` : la fonction, appelée
    ``function(model, x, target, **options)`` ; ``explains`` : ``"pixels"`` ou
    ``"régions"`` ; ``needs_gradients`` : vrai si elle dérive le modèle (il doit être
    différentiable) ; ``uses_layer`` : vrai si elle observe une couche interne (option
    ``layer``, par défaut la dernière convolution) ; ``result`` : une phrase qui dit ce que
    veut dire la forme du résultat ; ``to_heatmap`` : ``(résultat, x, options) → carte
    (N, H, W)`` utilisée par :meth:`heatmap` (None : valeur absolue d'une carte de la forme
    de ``x``, maximum sur les canaux). Voir les chapitres 8 et 12.
    """

    name: str
    function: Callable
    explains: str
    needs_gradients: bool
    uses_layer: bool
    result: str
    to_heatmap: Callable | None = field(default=None, repr=False)

    def __post_init__(self):
        for name in ("name", "result"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise TypeError(f"`{name}` doit être un texte non vide ; reçu : "
                                f"{check.describe(value)}")
        check.function("function", self.function)
        check.choice("explains", self.explains, EXPLAINS)
        for name in ("needs_gradients", "uses_layer"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"`{name}` doit être True ou False ; reçu : "
                                f"{check.describe(getattr(self, name))}")
        if self.to_heatmap is not None:
            check.function("to_heatmap", self.to_heatmap)

    def __call__(self, model, x, target, **options):
        """Appelle la méthode : ``function(model, x, target, **options)``."""
        return self.function(model, x, target, **options)

    def heatmap(self, model, x, target, **options) -> torch.Tensor:
        """Carte de chaleur ``(N, H, W)`` positive, à la résolution de l'entrée ``x``.

        Gradient, SmoothGrad, gradients intégrés : valeur absolue, maximum sur les canaux ;
        Grad-CAM, Grad-CAM++ : carte de la couche agrandie (bilinéaire) à la taille de
        l'image ; occlusion : moyenne des baisses de probabilité des carrés qui cachent le
        pixel (partie positive) ; perturbation significative : la part effacée 1 − masque.
        Les options vont à la méthode. Renvoie un tenseur détaché sur le CPU.
        Voir les chapitres 8 et 12.
        """
        result = self(model, x, target, **options)
        check_input(x, ndims=(4,))
        heat = (self.to_heatmap or _input_map)(result, x, options)
        return heat.detach().cpu()


#: Les méthodes d'attribution, dans l'ordre du livre : {nom français : Method}.
METHODS: dict[str, Method] = {method.name: method for method in (
    Method("Gradient", gradient, "pixels", needs_gradients=True, uses_layer=False,
           result="un tenseur de la forme de x : ∂S_c/∂x, signé, une valeur par pixel et "
                  "par canal"),
    Method("SmoothGrad", smoothgrad, "pixels", needs_gradients=True, uses_layer=False,
           result="un tenseur de la forme de x : la moyenne des gradients sur des copies "
                  "bruitées de l'image, signée"),
    Method("Gradients intégrés", integrated_gradients, "pixels", needs_gradients=True,
           uses_layer=False,
           result="un tenseur de la forme de x : la part signée de S_c(x) − S_c(x′) "
                  "attribuée à chaque pixel (leur somme approche cet écart)"),
    Method("Grad-CAM", grad_cam, "régions", needs_gradients=True, uses_layer=True,
           result="un tenseur (N, 1, h, w) à la résolution de la couche observée : "
                  "l'importance positive de chaque case, ni normalisée ni agrandie",
           to_heatmap=_layer_map),
    Method("Grad-CAM++", grad_cam_pp, "régions", needs_gradients=True, uses_layer=True,
           result="un tenseur (N, 1, h, w) à la résolution de la couche observée, "
                  "positif, multiplié par exp(S_c)",
           to_heatmap=_layer_map),
    Method("Occlusion", occlusion, "régions", needs_gradients=False, uses_layer=False,
           result="un tenseur (N, 1, h, w), une valeur par position du carré caché : la "
                  "baisse de probabilité de la classe quand on le cache",
           to_heatmap=_occlusion_map),
    Method("Perturbation significative", meaningful_perturbation, "régions",
           needs_gradients=True, uses_layer=False,
           result="un objet Perturbation dont le masque mask (N, 1, H, W) vaut 1 là où "
                  "l'image est gardée : la zone effacée 1 − mask porte l'importance",
           to_heatmap=_perturbation_map),
)}
