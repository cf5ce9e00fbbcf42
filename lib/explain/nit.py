"""Neural Interaction Transparency (NIT) : un réseau dont chaque bloc lit peu de variables.

La première couche est coupée en ``blocks`` blocs ; chaque bloc est un petit perceptron à lui,
et la sortie est la somme des sorties des blocs plus un biais : f(x) = Σ_b g_b(x_{I_b}) + c.
Une porte « hard-concrete » (Louizos et al., 2018) par couple (variable j, bloc b) multiplie
les poids de la variable j dans le bloc b ; le régulariseur pénalise l'ordre d'interaction
attendu de chaque bloc au-delà de ``max_order`` (Tsang et al., 2018). Le modèle appris est un
modèle additif généralisé (GAM) avec interactions, lisible bloc par bloc.

L'article n'a pas pu être lu en entier : l'architecture, le régulariseur et les deux phases
sont reconstruits à partir de ses définitions (voir le chapitre 9).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from lib import _validation as check

__all__ = ["NIT", "NITHistory", "train_nit", "recovery", "pairs",
           "shape_function", "gate_sample", "gate_test",
           "gate_open_probability", "GAMMA", "ZETA", "TEMPERATURE"]

#: Bornes de l'étirement des portes hard-concrete (γ, ζ) et température β (Louizos et al.).
GAMMA, ZETA, TEMPERATURE = -0.1, 1.1, 2.0 / 3.0
_LOG_ALPHA_RANGE = (math.log(1e-2), math.log(1e2))
#: Un groupe de variables dont les blocs (additionnés) varient de moins de cette part de
#: l'écart-type de la prédiction est retiré à la fin (portes fermées, moyenne dans la constante).
PRUNE = 0.05


def _log_alpha(log_alpha) -> torch.Tensor:
    if not isinstance(log_alpha, torch.Tensor):
        log_alpha = torch.as_tensor(check.array("log_alpha", log_alpha), dtype=torch.float64)
    if not torch.isfinite(log_alpha).all():
        raise ValueError("`log_alpha` doit contenir des nombres finis")
    return log_alpha


def gate_sample(log_alpha, u) -> torch.Tensor:
    """Porte tirée au hasard : z = min(1, max(0, σ((log u − log(1−u) + log α)/β)(ζ−γ) + γ)).

    ``u`` uniforme sur ]0, 1[, de la forme de ``log_alpha`` (Louizos et al., 2018).
    Voir le chapitre 9.
    """
    log_alpha = _log_alpha(log_alpha)
    if not isinstance(u, torch.Tensor):
        u = torch.as_tensor(check.array("u", u), dtype=log_alpha.dtype)
    if u.shape != log_alpha.shape:
        raise ValueError(f"`u` doit avoir la forme de `log_alpha` {tuple(log_alpha.shape)} ; "
                         f"reçu : forme {tuple(u.shape)}")
    if not ((u > 0) & (u < 1)).all():
        raise ValueError("`u` doit être strictement entre 0 et 1")
    s = torch.sigmoid((torch.log(u) - torch.log1p(-u) + log_alpha) / TEMPERATURE)
    return torch.clamp(s * (ZETA - GAMMA) + GAMMA, 0.0, 1.0)


def gate_test(log_alpha) -> torch.Tensor:
    """Porte déterministe (test) : z = min(1, max(0, σ(log α)(ζ − γ) + γ)).

    Exactement 0 quand log α ≤ log(−γ/ζ) : la variable est alors absente du bloc.
    Voir le chapitre 9.
    """
    log_alpha = _log_alpha(log_alpha)
    return torch.clamp(torch.sigmoid(log_alpha) * (ZETA - GAMMA) + GAMMA, 0.0, 1.0)


def gate_open_probability(log_alpha) -> torch.Tensor:
    """Probabilité qu'une porte soit ouverte : P(z ≠ 0) = σ(log α − β log(−γ/ζ)).

    Sa somme sur les variables d'un bloc est l'ordre d'interaction attendu du bloc.
    Voir le chapitre 9.
    """
    log_alpha = _log_alpha(log_alpha)
    return torch.sigmoid(log_alpha - TEMPERATURE * math.log(-GAMMA / ZETA))


class NIT(nn.Module):
    """Réseau NIT : ``blocks`` petits perceptrons (``hidden`` neurones par couche), un par
    groupe de variables, sommés ; une porte hard-concrete par couple (variable, bloc).

    f(x) = Σ_b g_b(z_{·b} ⊙ x) + c (Tsang et al., 2018, reconstruit). ``max_order`` est
    l'ordre d'interaction K visé (1 : modèle additif sans interaction). Voir le chapitre 9.
    """

    def __init__(self, n_features: int, *, blocks: int = 10, hidden: int = 16,
                 max_order: int = 2, seed: int = 0):
        super().__init__()
        n = check.number("n_features", n_features, low=1, integer=True)
        b = check.number("blocks", blocks, low=1, integer=True)
        h = check.number("hidden", hidden, low=1, integer=True)
        self.max_order = check.number("max_order", max_order, low=1, integer=True)
        rng = np.random.default_rng(check.number("seed", seed, low=0, integer=True))
        self.n_features, self.blocks, self.hidden = n, b, h

        def draw(shape, fan_in):
            bound = 1.0 / math.sqrt(fan_in)
            return nn.Parameter(torch.from_numpy(rng.uniform(-bound, bound, shape)))

        self.w1, self.b1 = draw((b, h, n), n), draw((b, h), n)
        self.w2, self.b2 = draw((b, h, h), h), draw((b, h), h)
        self.w3 = draw((b, h), h)
        self.bias = nn.Parameter(torch.zeros((), dtype=torch.float64))
        self.log_alpha = nn.Parameter(torch.from_numpy(rng.normal(0.0, 1.0, (n, b))))
        for name, size in (("x_mean", n), ("x_scale", n)):
            self.register_buffer(name, torch.zeros(size, dtype=torch.float64) + (name == "x_scale"))
        self.register_buffer("y_mean", torch.zeros((), dtype=torch.float64))
        self.register_buffer("y_scale", torch.ones((), dtype=torch.float64))
        self.register_buffer("mask", torch.ones((n, b), dtype=torch.float64))
        self.gates_frozen = False

    def gates(self, u=None) -> torch.Tensor:
        """Portes (variables × blocs) : tirées avec ``u`` en phase 1, déterministes sinon."""
        z = gate_test(self.log_alpha) if u is None else gate_sample(self.log_alpha, u)
        return z * self.mask

    def _blocks(self, x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        x = (x - self.x_mean) / self.x_scale
        w = (self.w1 * z.T[:, None, :]).reshape(self.blocks * self.hidden, self.n_features)
        a = torch.relu(x @ w.T + self.b1.reshape(-1)).reshape(len(x), self.blocks, self.hidden)
        a = torch.relu(torch.bmm(a.transpose(0, 1), self.w2.transpose(1, 2)) + self.b2[:, None])
        return (a * self.w3[:, None]).sum(2).T * self.y_scale

    def _check(self, x) -> torch.Tensor:
        return _features(x, self.n_features)

    def block_outputs(self, x) -> torch.Tensor:
        """Les termes additifs g_b(x) (N, blocs), portes déterministes ; leur somme plus
        :attr:`intercept` est la prédiction. Voir le chapitre 9."""
        return self._blocks(self._check(x), self.gates())

    @property
    def intercept(self) -> torch.Tensor:
        """Le terme constant c de la prédiction."""
        return self.bias * self.y_scale + self.y_mean

    def forward(self, x, u=None) -> torch.Tensor:
        """Prédiction (N,) : somme des blocs plus le terme constant."""
        return self._blocks(self._check(x), self.gates(u)).sum(1) + self.intercept

    def expected_order(self) -> torch.Tensor:
        """Ordre d'interaction attendu de chaque bloc : ω̂_b = Σ_j P(z_jb ≠ 0)."""
        return (gate_open_probability(self.log_alpha) * self.mask).sum(0)

    def groups(self) -> list[tuple[int, ...]]:
        """Les variables (indices à partir de 0) de chaque bloc, portes déterministes."""
        with torch.no_grad():
            open_ = (self.gates() > 0).numpy()
        return [tuple(int(j) for j in np.flatnonzero(open_[:, b])) for b in range(self.blocks)]

    def interactions(self) -> list[tuple[int, ...]]:
        """Groupes de variables appris : un par bloc actif, doublons fusionnés, triés ;
        un effet principal est un 1-uplet. Lu sur les portes déterministes. Voir le chapitre 9."""
        return sorted({g for g in self.groups() if g})


def _features(x, n_features: int, name: str = "x") -> torch.Tensor:
    values = check.array(name, x, ndim=2)
    if values.shape[1] != n_features:
        raise ValueError(f"`{name}` doit avoir {n_features} colonnes (une par variable) ; "
                         f"reçu : forme {values.shape}")
    if len(values) == 0:
        raise ValueError(f"`{name}` doit contenir au moins un point ; reçu : forme {values.shape}")
    return torch.from_numpy(np.ascontiguousarray(values, dtype=np.float64))


@dataclass(frozen=True)
class NITHistory:
    """Déroulé d'un entraînement NIT : pertes par époque (phase 1 puis phase 2), ordre attendu
    de chaque bloc à la fin de chaque époque de la phase 1, secondes de chaque phase."""

    loss: tuple
    order: np.ndarray
    seconds: tuple
    disentangle_epochs: int


def _check_training(model, x, y, l0, epochs, lr, batch_size, seed):
    if not isinstance(model, NIT):
        raise TypeError(f"`model` doit être un modèle NIT ; reçu : {check.describe(model)}")
    x = _features(x, model.n_features)
    target = check.array("y", y, ndim=1)
    if len(target) != len(x):
        raise ValueError(f"`y` doit avoir un point par ligne de `x` ({len(x)}) ; "
                         f"reçu : {len(target)}")
    check.number("l0", l0, low=0)
    check.number("epochs", epochs, low=1, integer=True)
    check.number("lr", lr, low=0, strict_low=True)
    check.number("batch_size", batch_size, low=1, integer=True)
    check.number("seed", seed, low=0, integer=True)
    return x, torch.from_numpy(np.ascontiguousarray(target, dtype=np.float64))


def _standardise(model: NIT, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        model.x_mean.copy_(x.mean(0))
        model.x_scale.copy_(torch.clamp(x.std(0), min=1e-12))
        model.y_mean.copy_(y.mean())
        model.y_scale.copy_(torch.clamp(y.std(), min=1e-12))
    return (y - model.y_mean) / model.y_scale


def _penalty(model: NIT) -> torch.Tensor:
    order = model.expected_order()
    return torch.relu(order - model.max_order).sum() + order.mean()


def _epoch(model, x, t, optimiser, rng, batch_size, strength) -> float:
    total = 0.0
    for index in np.array_split(rng.permutation(len(x)), max(1, len(x) // batch_size)):
        i = torch.from_numpy(index)
        u = None
        if strength is not None:
            u = torch.from_numpy(rng.uniform(1e-6, 1 - 1e-6, tuple(model.log_alpha.shape)))
        z = model.gates(u)
        scaled = (model._blocks(x[i], z).sum(1) / model.y_scale + model.bias)
        loss = torch.mean((scaled - t[i]) ** 2)
        total += float(loss.detach()) * len(index)
        if strength is not None:
            loss = loss + strength * _penalty(model)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        if strength is not None:
            with torch.no_grad():
                model.log_alpha.clamp_(*_LOG_ALPHA_RANGE)
    return total / len(x)


def _orders_reached(model: NIT) -> bool:
    with torch.no_grad():
        return bool(((model.gates() > 0).sum(0) <= model.max_order).all())


def _prune(model: NIT, x: torch.Tensor) -> None:
    """Retire les groupes presque constants (blocs de même groupe additionnés)."""
    with torch.no_grad():
        g = model._blocks(x, model.gates()) / model.y_scale
        scale, groups = g.sum(1).std(), model.groups()
        for group in set(groups):
            same = torch.tensor([other == group for other in groups])
            if g[:, same].sum(1).std() < PRUNE * scale:
                model.bias += g[:, same].mean(0).sum()
                model.mask[:, same] = 0.0


def _freeze(model: NIT) -> None:
    """Fin de la phase 1 : chaque bloc garde au plus K variables (les plus grands log α)."""
    with torch.no_grad():
        rank = torch.argsort(torch.argsort(-model.log_alpha, dim=0), dim=0)
        model.mask.copy_((rank < model.max_order).to(torch.float64) * model.mask)
    model.log_alpha.requires_grad_(False)
    model.gates_frozen = True


def train_nit(model: NIT, x, y, *, l0: float = 0.05, epochs: int = 60, lr: float = 2e-2,
              batch_size: int = 256, seed: int = 0) -> NITHistory:
    """Entraîne un :class:`NIT` en deux phases et renvoie son :class:`NITHistory`.

    Phase 1 (démêlage) : erreur quadratique + λ·(Σ_b max(0, ω̂_b − K) + moyenne_b ω̂_b), λ = ``l0``
    croissant sur le premier quart, portes tirées au hasard, au plus ``epochs`` époques (arrêt
    dès que chaque bloc a un ordre attendu ≤ K après la montée de λ). Phase 2 : portes figées
    (déterministes, K variables au plus par bloc), erreur seule, ``epochs`` époques. Données
    centrées réduites dans le modèle (Tsang et al., 2018, reconstruit). Voir le chapitre 9.
    """
    x, y = _check_training(model, x, y, l0, epochs, lr, batch_size, seed)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # petits produits : un fil est plus rapide, et reproductible
    try:
        return _train(model, x, _standardise(model, x, y), l0, epochs, lr, batch_size, seed)
    finally:
        torch.set_num_threads(threads)


def _train(model, x, t, l0, epochs, lr, batch_size, seed) -> NITHistory:
    rng = np.random.default_rng(seed)
    model.train()
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    losses, orders, start = [], [], time.perf_counter()
    ramp = max(1, epochs // 4)
    for epoch in range(epochs):
        strength = l0 * min(1.0, (epoch + 1) / ramp)
        losses.append(_epoch(model, x, t, optimiser, rng, batch_size, strength))
        orders.append(model.expected_order().detach().numpy().copy())
        if epoch + 1 >= ramp and _orders_reached(model):
            break
    middle = time.perf_counter()
    _freeze(model)
    optimiser = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
    for epoch in range(epochs):  # taux d'apprentissage décroissant jusqu'à lr/100
        optimiser.param_groups[0]["lr"] = lr * 0.01 ** (epoch / max(1, epochs - 1))
        losses.append(_epoch(model, x, t, optimiser, rng, batch_size, None))
    _prune(model, x)
    model.eval()
    seconds = (middle - start, time.perf_counter() - middle)
    return NITHistory(tuple(losses), np.array(orders), seconds, len(orders))


def _group_list(name: str, groups) -> list[tuple[int, ...]]:
    if isinstance(groups, str) or not hasattr(groups, "__iter__"):
        raise TypeError(f"`{name}` doit être une liste de groupes (tuples d'indices) ; "
                        f"reçu : {check.describe(groups)}")
    out = []
    for g in groups:
        if isinstance(g, str) or not hasattr(g, "__iter__"):
            raise TypeError(f"`{name}` doit contenir des tuples d'indices ; reçu : {g!r}")
        out.append(tuple(sorted(check.number(name, j, low=0, integer=True) for j in g)))
    return out


def pairs(groups) -> set[tuple[int, int]]:
    """Les paires de variables (i < j) qui agissent ensemble dans au moins un groupe.
    Voir le chapitre 9."""
    return {(a, b) for g in _group_list("groups", groups) for a in g for b in g if a < b}


def recovery(learned, truth) -> dict:
    """Précision et rappel des groupes appris (égalité exacte) et des paires, contre les
    interactions vraies ; ``exact`` vaut 1 si les ensembles de groupes d'ordre ≥ 2 sont égaux.

    Précision = |appris ∩ vrais| / |appris|, rappel = |appris ∩ vrais| / |vrais| (1 pour un
    ensemble vide). Voir le chapitre 9.
    """
    found = {g for g in _group_list("learned", learned) if len(g) > 1}
    true = {g for g in _group_list("truth", truth) if len(g) > 1}
    out = {"exact": float(found == true)}
    for kind, a, b in (("group", found, true), ("pair", pairs(found), pairs(true))):
        out[f"{kind}_precision"] = len(a & b) / len(a) if a else 1.0
        out[f"{kind}_recall"] = len(a & b) / len(b) if b else 1.0
    return out


def shape_function(model: NIT, group, grid) -> np.ndarray:
    """Contribution du groupe ``group`` (somme de ses blocs) sur une grille : (G,) pour une
    variable, (G, G) pour deux (ligne : 1re variable), les autres à leur moyenne.
    Voir le chapitre 9."""
    if not isinstance(model, NIT):
        raise TypeError(f"`model` doit être un modèle NIT ; reçu : {check.describe(model)}")
    group = _group_list("group", [group])[0]
    if not 1 <= len(group) <= 2 or max(group) >= model.n_features:
        raise ValueError(f"`group` doit contenir 1 ou 2 variables parmi {model.n_features} ; "
                         f"reçu : {group!r}")
    grid = check.array("grid", grid, ndim=1)
    mesh = np.meshgrid(*[grid] * len(group), indexing="ij")
    x = np.tile(model.x_mean.numpy(), (mesh[0].size, 1))
    for j, values in zip(group, mesh, strict=True):
        x[:, j] = values.ravel()
    same = [g == group for g in model.groups()]
    with torch.no_grad():
        out = model.block_outputs(x)[:, torch.tensor(same)].sum(1).numpy()
    return out.reshape(mesh[0].shape)
