"""Les petits réseaux que les chapitres entraînent en quelques secondes sur un processeur.

- :class:`SmallCNN` : trois couches de convolution puis une couche linéaire (chapitres 6 à 10) ;
- :class:`MLP` : un perceptron multicouche entièrement connecté (chapitres 4 et 5) ;
- :class:`Autoencoder` : un auto-encodeur, encodeur puis décodeur (chapitre 4).

Les poids sont tirés par :func:`init_parameters` (NumPy, en float64) et les réseaux calculent
en float64 : leurs résultats ne dépendent ni des instructions vectorielles du processeur ni de
l'ordre des additions au-delà du seizième chiffre, et un même chapitre donne les mêmes sorties
sur toute machine.

Chaque sous-module porte un nom (``features.conv1``, ``features.relu2``, ``classifier.fc``…)
pour que les méthodes de transparence ciblent une couche par son nom dans
``model.named_modules()``.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import torch
from torch import nn

from lib import _validation as check

__all__ = ["SmallCNN", "MLP", "ACTIVATIONS", "layer", "Autoencoder", "init_parameters"]

#: Activations disponibles pour :class:`MLP`.
ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


_DTYPES = (torch.float32, torch.float64)


def init_parameters(model: nn.Module, seed: int | None = None, *,
                    dtype: torch.dtype = torch.float64) -> nn.Module:
    """Tire les poids de chaque couche linéaire ou convolutive, identiques sur tout processeur.

    Même loi que l'initialisation par défaut de PyTorch : poids et biais uniformes sur
    [−1/√n, 1/√n], n le nombre d'entrées d'un neurone (*fan-in*) ; mais les nombres viennent
    de NumPy, dont les tirages ne dépendent pas des instructions du processeur (ceux de
    PyTorch en float32, si). Sans ``seed``, la graine est tirée du générateur global de
    PyTorch (celui que fixe ``set_seed``). Le modèle est converti en ``dtype``.
    Voir le chapitre 6.
    """
    check.module("model", model)
    if dtype not in _DTYPES:
        raise ValueError(f"`dtype` doit être torch.float32 ou torch.float64 ; reçu : {dtype!r}")
    if seed is None:
        seed = int(torch.randint(0, 2**62, (1,)))
    rng = np.random.default_rng(check.number("seed", seed, low=0, integer=True))
    model.to(dtype)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Linear | nn.Conv2d):
                bound = 1.0 / np.sqrt(module.weight[0].numel())
                for parameter in (module.weight, module.bias):
                    if parameter is not None:
                        values = rng.uniform(-bound, bound, tuple(parameter.shape))
                        parameter.copy_(torch.from_numpy(values))
    return model


def _check_input(model: nn.Module, x, channels: int | None, ndim) -> torch.Tensor:
    """Vérifie l'entrée d'un modèle (message en français) et la met au type de ses poids.

    Une entrée float32 donnée à un réseau float64 (ou l'inverse) est convertie, et placée
    sur le même appareil (*device*) que les poids, plutôt que de lever l'erreur de PyTorch.
    """
    check.tensor("x", x, ndim=ndim)
    if channels is not None and x.shape[1] != channels:
        raise ValueError(
            f"`x` doit avoir {channels} canal(aux) (forme (N, {channels}, H, W)) pour "
            f"{type(model).__name__} ; reçu : forme {tuple(x.shape)}"
        )
    if not x.is_floating_point():
        raise TypeError(f"`x` doit contenir des nombres réels (float) ; reçu : {x.dtype} "
                        f"(convertissez avec x.double())")
    weight = next(model.parameters())
    return x.to(device=weight.device, dtype=weight.dtype)


class SmallCNN(nn.Module):
    """Un petit réseau convolutif : trois couches [convolution 3×3 → ReLU] puis une linéaire.

    ``features`` contient ``conv1``, ``relu1``, ``pool1``, ``conv2``, ``relu2``, ``pool2``,
    ``conv3``, ``relu3`` (``width``, ``width`` puis ``2·width`` filtres ; chaque
    max-pooling 2×2 divise la résolution par deux) : la dernière couche convolutive garde
    un quart de la résolution de l'entrée (8×8 pour une image 32×32), utile pour Grad-CAM.
    ``classifier`` garde le maximum de chaque carte sur chaque quart de l'image
    (``pool``, 2×2), l'aplatit (``flatten``) et le combine linéairement (``fc``).
    Architecture dans l'esprit de LeNet (LeCun et al., 1998). Poids tirés par
    :func:`init_parameters` (graine ``seed``, sinon tirée du générateur global de PyTorch),
    calcul en ``dtype`` (float64 par défaut). Voir le chapitre 6.
    """

    def __init__(self, n_classes: int, in_channels: int = 1, width: int = 8, *,
                 seed: int | None = None, dtype: torch.dtype = torch.float64):
        super().__init__()
        self.n_classes = check.number("n_classes", n_classes, low=2, integer=True)
        self.in_channels = check.number("in_channels", in_channels, low=1, integer=True)
        self.width = w = check.number("width", width, low=1, high=256, integer=True)
        self.features = nn.Sequential(OrderedDict(
            conv1=nn.Conv2d(self.in_channels, w, 3, padding=1),
            relu1=nn.ReLU(),
            pool1=nn.MaxPool2d(2),
            conv2=nn.Conv2d(w, w, 3, padding=1),
            relu2=nn.ReLU(),
            pool2=nn.MaxPool2d(2),
            conv3=nn.Conv2d(w, 2 * w, 3, padding=1),
            relu3=nn.ReLU(),
        ))
        self.classifier = nn.Sequential(OrderedDict(
            pool=nn.AdaptiveMaxPool2d(2),
            flatten=nn.Flatten(),
            fc=nn.Linear(2 * w * 4, self.n_classes),
        ))
        init_parameters(self, seed, dtype=dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Scores (logits) ``(N, n_classes)`` pour des images ``(N, in_channels, H ≥ 4, W ≥ 4)``."""
        x = _check_input(self, x, self.in_channels, ndim=4)
        if min(x.shape[-2:]) < 4:
            raise ValueError(
                f"`x` doit mesurer au moins 4×4 pixels ; reçu : forme {tuple(x.shape)}")
        return self.classifier(self.features(x))


class MLP(nn.Module):
    """Un perceptron multicouche : ``sizes = [entrée, cachée₁, …, sortie]``.

    Chaque couche cachée calcule h ← activation(W h + b) ; la dernière couche (``fc{k}``)
    renvoie des scores sans activation. Les images sont d'abord aplaties (``flatten``).
    Couches nommées ``fc1``, ``act1``, ``fc2``… Voir les chapitres 4 et 5.
    """

    def __init__(self, sizes, activation: str = "relu", *, seed: int | None = None,
                 dtype: torch.dtype = torch.float64):
        super().__init__()
        if isinstance(sizes, str) or not isinstance(sizes, list | tuple):
            raise TypeError(
                f"`sizes` doit être une liste d'entiers ; reçu : {check.describe(sizes)}")
        if len(sizes) < 2:
            raise ValueError(f"`sizes` doit contenir au moins 2 tailles (entrée, sortie) ; "
                             f"reçu : {list(sizes)!r}")
        self.sizes = tuple(check.number("sizes", s, low=1, integer=True) for s in sizes)
        check.choice("activation", activation, list(ACTIVATIONS))
        layers = OrderedDict(flatten=nn.Flatten())
        for k, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:], strict=True), 1):
            layers[f"fc{k}"] = nn.Linear(n_in, n_out)
            if k < len(self.sizes) - 1:
                layers[f"act{k}"] = ACTIVATIONS[activation]()
        self.layers = nn.Sequential(layers)
        init_parameters(self, seed, dtype=dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Scores ``(N, sortie)`` pour des entrées ``(N, entrée)`` ou des images à aplatir."""
        check.tensor("x", x)
        if x.ndim < 2 or x[0].numel() != self.sizes[0]:
            raise ValueError(f"`x` doit avoir {self.sizes[0]} valeurs par exemple (forme "
                             f"(N, {self.sizes[0]})) ; reçu : forme {tuple(x.shape)}")
        return self.layers(_check_input(self, x, None, None))


def layer(model: nn.Module, name: str) -> nn.Module:
    """Le sous-module de ``model`` nommé ``name`` (par exemple « features.conv2 »).

    Voir le chapitre 8.
    """
    check.module("model", model)
    modules = dict(model.named_modules())
    if not isinstance(name, str) or name not in modules or not name:
        known = ", ".join(repr(n) for n in modules if n)
        raise ValueError(f"`name` doit être le nom d'une couche du modèle ({known}) ; "
                         f"reçu : {name!r}")
    return modules[name]


class Autoencoder(nn.Module):
    """Un auto-encodeur (*autoencoder*) : un encodeur e puis un décodeur d, sortie d(e(x)).

    L'encodeur (``encoder`` : ``fc1`` → ``act1`` ReLU → ``code``) résume chaque exemple de
    ``in_features`` valeurs en un code de ``code_size`` nombres ; le décodeur (``decoder`` :
    ``fc1`` → ``act1`` ReLU → ``fc2`` → ``output`` sigmoïde, sortie dans [0, 1]) le
    reconstruit. Entraîné à reproduire son entrée (perte ‖x − d(e(x))‖²), il apprend sans
    étiquettes (Goodfellow et al., 2016, chapitre 14). Voir le chapitre 4.
    """

    def __init__(self, in_features: int = 64, code_size: int = 2, *, hidden: int = 32,
                 seed: int | None = None, dtype: torch.dtype = torch.float64):
        super().__init__()
        self.in_features = check.number("in_features", in_features, low=1, integer=True)
        self.code_size = check.number("code_size", code_size, low=1, integer=True)
        self.hidden = check.number("hidden", hidden, low=1, integer=True)
        self.encoder = nn.Sequential(OrderedDict(
            fc1=nn.Linear(self.in_features, self.hidden),
            act1=nn.ReLU(),
            code=nn.Linear(self.hidden, self.code_size),
        ))
        self.decoder = nn.Sequential(OrderedDict(
            fc1=nn.Linear(self.code_size, self.hidden),
            act1=nn.ReLU(),
            fc2=nn.Linear(self.hidden, self.in_features),
            output=nn.Sigmoid(),
        ))
        init_parameters(self, seed, dtype=dtype)

    def _check(self, x) -> torch.Tensor:
        check.tensor("x", x, ndim=2)
        if x.shape[1] != self.in_features:
            raise ValueError(f"`x` doit avoir {self.in_features} valeurs par exemple (forme "
                             f"(N, {self.in_features})) ; reçu : forme {tuple(x.shape)}")
        return _check_input(self, x, None, 2)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Code ``(N, code_size)`` de chaque exemple de ``x`` ``(N, in_features)``."""
        return self.encoder(self._check(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Reconstruction ``(N, in_features)`` de ``x`` : décodeur(encodeur(x))."""
        return self.decoder(self.encoder(self._check(x)))
