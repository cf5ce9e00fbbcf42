"""Méta-prédicteurs : expliquer un réseau par les perturbations de son entrée qui comptent.

Une explication est une règle qui prédit la réaction du réseau à une perturbation (« si l'on
efface la région R, la probabilité de la classe s'effondre »). :func:`meaningful_perturbation`
cherche par descente de gradient le plus petit masque dont l'effacement (jeu de la
suppression) ou la seule conservation (jeu de la préservation) décide du score, d'après Fong
et Vedaldi (2017), fong2017meaningful ; :func:`random_masks` explique sans aucun gradient un
modèle quelconque dont on ne connaît que la fonction de prédiction (Petsiuk et al., 2018,
petsiuk2018rise). Voir le chapitre 10.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from lib import _validation as check
from lib.explain.hooks import check_input, check_no_layer, evaluating, targets, to_model

__all__ = ["Perturbation", "blur", "perturb", "meaningful_perturbation", "random_masks"]

OPERATORS = ("blur", "constant", "noise")
GAMES = ("deletion", "preservation")


def blur(x, sigma: float) -> torch.Tensor:
    """Flou gaussien de largeur ``sigma`` (en pixels), canal par canal, bords en miroir.

    Noyau séparable g(k) ∝ exp(−k²/2σ²) sur |k| ≤ ⌈3σ⌉ ; ``sigma = 0`` rend une copie de ``x``.
    C'est l'opérateur de flou de Fong et Vedaldi (2017). Voir le chapitre 10.
    """
    check_input(x, ndims=(4,))
    sigma = check.number("sigma", sigma, low=0)
    radius = int(np.ceil(3 * sigma))
    if radius == 0:
        return x.detach().clone()
    if radius >= min(x.shape[-2:]):
        raise ValueError(f"`sigma` doit rester < {min(x.shape[-2:]) / 3:.4g} pour une image "
                         f"{x.shape[-2]}×{x.shape[-1]} ; reçu : {sigma!r}")
    k = torch.arange(-radius, radius + 1, dtype=x.dtype, device=x.device)
    kernel = torch.exp(-k**2 / (2 * sigma**2))
    kernel = kernel / kernel.sum()
    n, c, h, w = x.shape
    flat = x.detach().reshape(n * c, 1, h, w)
    flat = F.conv2d(F.pad(flat, (radius, radius, 0, 0), mode="reflect"), kernel.view(1, 1, 1, -1))
    flat = F.conv2d(F.pad(flat, (0, 0, radius, radius), mode="reflect"), kernel.view(1, 1, -1, 1))
    return flat.reshape(n, c, h, w)


def _background(x: torch.Tensor, perturbation: str, value: float, sigma: float,
                noise: float, seed: int) -> torch.Tensor:
    """p(x) : l'image floutée, la constante ``value`` ou un bruit gaussien N(value, noise²)."""
    if perturbation == "blur":
        return blur(x, sigma)
    if perturbation == "constant":
        return torch.full_like(x, value)
    generator = torch.Generator().manual_seed(seed)  # float64 randn : stable sur tout CPU
    eta = torch.randn(x.shape, generator=generator, dtype=torch.float64)
    return (value + noise * eta).to(dtype=x.dtype, device=x.device)


def _check_operator(perturbation, value, sigma, noise, seed):
    check.choice("perturbation", perturbation, OPERATORS)
    return (check.number("value", value), check.number("sigma", sigma, low=0),
            check.number("noise", noise, low=0), check.number("seed", seed, low=0, integer=True))


def perturb(x, mask, *, perturbation: str = "blur", value: float = 0.0, sigma: float = 2.0,
            noise: float = 0.2, seed: int = 0) -> torch.Tensor:
    """Image perturbée Φ(x; m) = m·x + (1 − m)·p(x), le masque m valant 1 là où l'on garde x.

    p(x) est l'image floutée (``"blur"``, largeur ``sigma``), la constante ``value``
    (``"constant"``) ou un bruit gaussien de moyenne ``value`` et d'écart-type ``noise``
    (``"noise"``, graine ``seed``). ``mask`` : ``(N, 1, H, W)`` dans [0, 1].
    D'après Fong et Vedaldi (2017). Voir le chapitre 10.
    """
    check_input(x, ndims=(4,))
    value, sigma, noise, seed = _check_operator(perturbation, value, sigma, noise, seed)
    m = _check_mask(mask, x)
    x = x.detach()
    p = _background(x, perturbation, value, sigma, noise, seed)
    m = m.to(dtype=x.dtype, device=x.device)
    return m * x + (1 - m) * p


def _check_mask(mask, x: torch.Tensor) -> torch.Tensor:
    check.tensor("mask", mask, ndim=4)
    wanted = (len(x), 1, *x.shape[-2:])
    if tuple(mask.shape) != wanted:
        raise ValueError(f"`mask` doit avoir la forme {wanted} ; reçu : {tuple(mask.shape)}")
    if not mask.is_floating_point() or not bool(((mask >= 0) & (mask <= 1)).all()):
        raise ValueError("`mask` doit contenir des nombres réels entre 0 et 1")
    return mask.detach()


@dataclass
class Perturbation:
    """Résultat de :func:`meaningful_perturbation` (tenseurs sur le CPU).

    ``mask`` : ``(N, 1, H, W)`` dans [0, 1], 1 = pixel gardé (la saillance est 1 − mask) ;
    ``losses`` et ``probabilities`` : ``(N, steps)``, la perte et la probabilité de la classe à
    chaque pas ; ``probability`` : ``(N,)``, la probabilité de la classe sur Φ(x; mask) à la
    fin ; ``perturbed`` : l'image Φ(x; mask). Voir le chapitre 10.
    """

    mask: torch.Tensor
    losses: torch.Tensor
    probabilities: torch.Tensor
    probability: torch.Tensor
    perturbed: torch.Tensor

    @property
    def deleted(self) -> torch.Tensor:
        """Part de l'image effacée, image par image : moyenne de 1 − m, ``(N,)``."""
        return (1 - self.mask).mean(dim=(1, 2, 3))


def total_variation(m: torch.Tensor, beta: float) -> torch.Tensor:
    """TV_β(m) = moyenne sur les pixels de ‖∇m(u)‖^β (différences finies, isotrope) : ``(N,)``."""
    dy = (m[..., 1:, :-1] - m[..., :-1, :-1]) ** 2
    dx = (m[..., :-1, 1:] - m[..., :-1, :-1]) ** 2
    return ((dx + dy + 1e-12) ** (beta / 2)).mean(dim=(1, 2, 3))


def _shift(images: torch.Tensor, dy: int, dx: int, jitter: int) -> torch.Tensor:
    """x(· − τ) : l'image décalée de τ = (dy, dx) pixels, bords prolongés."""
    if jitter == 0:
        return images
    h, w = images.shape[-2:]
    padded = F.pad(images, (jitter,) * 4, mode="replicate")
    return padded[..., jitter - dy:jitter - dy + h, jitter - dx:jitter - dx + w]


def _options(l1, tv, beta, mask_scale, steps, lr, jitter, shape):
    l1 = check.number("l1", l1, low=0)
    tv = check.number("tv", tv, low=0)
    beta = check.number("beta", beta, low=1)
    mask_scale = check.number("mask_scale", mask_scale, low=1, integer=True)
    if shape[-2] % mask_scale or shape[-1] % mask_scale:
        raise ValueError(f"`mask_scale` doit diviser la taille de l'image {shape[-2]}×"
                         f"{shape[-1]} ; reçu : {mask_scale}")
    steps = check.number("steps", steps, low=1, integer=True)
    lr = check.number("lr", lr, low=0, strict_low=True)
    jitter = check.number("jitter", jitter, low=0, high=min(shape[-2:]) // 4, integer=True)
    return l1, tv, beta, mask_scale, steps, lr, jitter


def _upsampled(low: torch.Tensor, size) -> torch.Tensor:
    return F.interpolate(low, size=size, mode="bilinear", align_corners=False)


def _probability(model, images, index):
    return torch.softmax(model(images), dim=1).gather(1, index[:, None]).squeeze(1)


def meaningful_perturbation(model, x, target, *, layer=None, perturbation: str = "blur",
                            game: str = "deletion", l1: float = 1.0, tv: float = 2.0,
                            beta: float = 3.0, mask_scale: int = 4, steps: int = 300,
                            lr: float = 0.1, jitter: int = 1, value: float = 0.0,
                            sigma: float = 4.0, noise: float = 0.2,
                            seed: int = 0) -> Perturbation:
    """Masque de perturbation significative : le plus petit effacement qui décide du score.

    Suppression : min_m λ₁·moy(1 − m) + λ₂·TV_β(m) + E_τ[f_c(Φ(x(· − τ); m))] ;
    préservation : min_m λ₁·moy(m) + λ₂·TV_β(m) + E_τ[1 − f_c(Φ(x(· − τ); m))], f_c la
    probabilité softmax de la classe, Φ comme dans :func:`perturb`, τ un décalage tiré dans
    [−``jitter``, ``jitter``]² à chaque pas. Le masque est optimisé (Adam, pas ``lr``) à la
    résolution H/``mask_scale`` puis agrandi (bilinéaire) : ces défenses évitent les masques
    adverses ; il part de 0,5 partout (un départ à 1 resterait bloqué quand le softmax est
    saturé). D'après Fong et Vedaldi (2017). Voir le chapitre 10.
    """
    check_no_layer(layer, "meaningful_perturbation")
    check.module("model", model)
    check_input(x, ndims=(4,))
    check.choice("game", game, GAMES)
    value, sigma, noise, seed = _check_operator(perturbation, value, sigma, noise, seed)
    l1, tv, beta, scale, steps, lr, jitter = _options(l1, tv, beta, mask_scale, steps, lr,
                                                     jitter, x.shape)
    index = targets(target, len(x))
    with evaluating(model):
        data = to_model(model, x)
        index = index.to(data.device)
        p = _background(data, perturbation, value, sigma, noise, seed)
        size = data.shape[-2:]
        low = torch.full((len(data), 1, size[0] // scale, size[1] // scale), 0.5,
                         dtype=data.dtype, device=data.device, requires_grad=True)
        optimizer = torch.optim.Adam([low], lr=lr)
        shifts = np.random.default_rng(seed).integers(-jitter, jitter + 1, size=(steps, 2))
        losses, probabilities = [], []
        for dy, dx in shifts.tolist():
            m = _upsampled(low, size)
            image, back = _shift(data, dy, dx, jitter), _shift(p, dy, dx, jitter)
            prob = _probability(model, m * image + (1 - m) * back, index)
            area = (1 - m).mean(dim=(1, 2, 3)) if game == "deletion" else m.mean(dim=(1, 2, 3))
            loss = l1 * area + tv * total_variation(m, beta) + (
                prob if game == "deletion" else 1 - prob)
            optimizer.zero_grad()
            loss.sum().backward()
            optimizer.step()
            with torch.no_grad():
                low.clamp_(0, 1)
            losses.append(loss.detach())
            probabilities.append(prob.detach())
        with torch.no_grad():
            m = _upsampled(low, size)
            perturbed = m * data + (1 - m) * p
            final = _probability(model, perturbed, index)
    return Perturbation(mask=m.detach().cpu(), losses=torch.stack(losses, 1).cpu(),
                        probabilities=torch.stack(probabilities, 1).cpu(),
                        probability=final.cpu(), perturbed=perturbed.detach().cpu())


def _grid_masks(count: int, shape, cell: int, keep: float, rng) -> np.ndarray:
    """``count`` masques lisses (1, H, W) : grille binaire (probabilité ``keep``) agrandie."""
    h, w = shape
    rows, cols = -(-h // cell) + 1, -(-w // cell) + 1
    grid = (rng.random((count, 1, rows, cols)) < keep).astype(np.float64)
    big = F.interpolate(torch.from_numpy(grid), size=(rows * cell, cols * cell),
                        mode="bilinear", align_corners=False).numpy()
    offsets = rng.integers(0, cell, size=(count, 2))
    return np.stack([big[i, :, dy:dy + h, dx:dx + w] for i, (dy, dx) in enumerate(offsets)])


def random_masks(predict, x, target, *, masks: int = 500, cell: int = 4, keep: float = 0.5,
                 value: float = 0.0, batch: int = 250, seed: int = 0) -> torch.Tensor:
    """Carte d'importance d'un modèle boîte noire : S_c = Σ_i f_c(x ⊙ M_i) M_i / (n·p).

    ``predict`` reçoit un tableau NumPy ``(M, C, H, W)`` et renvoie les probabilités
    ``(M, K)`` (par exemple le ``predict_proba`` d'un modèle scikit-learn) : aucun gradient,
    aucune modification du modèle. Les n = ``masks`` masques M_i (grille de cases ``cell``
    gardées avec la probabilité p = ``keep``, agrandie puis décalée au hasard) remplacent les
    pixels cachés par ``value``. D'après Petsiuk et al. (2018). Voir le chapitre 10.
    """
    check.function("predict", predict)
    check_input(x, ndims=(4,))
    count = check.number("masks", masks, low=1, integer=True)
    cell = check.number("cell", cell, low=1, high=min(x.shape[-2:]), integer=True)
    keep = check.number("keep", keep, low=0, high=1, strict_low=True)
    value = check.number("value", value)
    batch = check.number("batch", batch, low=1, integer=True)
    index = targets(target, len(x)).numpy()
    images = x.detach().cpu().double().numpy()
    drawn = _grid_masks(count, images.shape[-2:], cell, keep,
                        np.random.default_rng(check.number("seed", seed, low=0, integer=True)))
    out = np.zeros((len(images), 1, *images.shape[-2:]))
    for n, image in enumerate(images):
        for start in range(0, count, batch):
            m = drawn[start:start + batch]
            probs = _predicted(predict, m * image + (1 - m) * value, index[n])
            out[n] += np.tensordot(probs, m, axes=1)
    return torch.from_numpy(out / (count * keep))


def _predicted(predict, images: np.ndarray, k: int) -> np.ndarray:
    """Colonne ``k`` des probabilités renvoyées par ``predict``, vérifiées."""
    probs = np.asarray(predict(images), dtype=np.float64)
    if probs.ndim != 2 or len(probs) != len(images):
        raise ValueError(f"`predict` doit renvoyer des probabilités de forme ({len(images)}, K) ;"
                         f" reçu : forme {probs.shape}")
    if k >= probs.shape[1]:
        raise ValueError(f"`target` doit être < {probs.shape[1]} (nombre de classes) ; "
                         f"reçu : {k}")
    return probs[:, k]
