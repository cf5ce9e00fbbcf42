"""Fonctions d'influence : quels exemples d'entraînement expliquent une prédiction ?

On suit les définitions et les signes de Koh et Liang (ICML 2017). L'entraînement a minimisé
R(θ) = (1/n) Σᵢ L(zᵢ, θ) + (l2/2)‖θ‖² sur les paramètres entraînables ; H est la hessienne de
R en θ̂, plus ``damping``·I. Pour un exemple z et un point de test z_test :

- I_up,params(z) = −H⁻¹ ∇θL(z) ;
- I_up,loss(z, z_test) = −∇θL(z_test)ᵀ H⁻¹ ∇θL(z) (> 0 : z nuit à z_test) ;
- retirer z, c'est ε = −1/n : la perte de test change d'environ −I_up,loss / n ;
- I_pert,loss(z, z_test) = −∇θL(z_test)ᵀ H⁻¹ ∇x∇θL(z) (attaque par l'ensemble d'entraînement).

Conventions des autres bibliothèques (même quantité, autre signe ou autre échelle) :

=================================  ==============================================
bibliothèque                       valeur renvoyée, en fonction de la nôtre
=================================  ==============================================
kohpangwei/influence-release       −I_up,loss / n (positif : exemple utile)
nimarb/pytorch_influence_functions +I_up,loss / n
captum ``NaiveInfluenceFunction``  −I_up,loss / n (perte non réduite,
                                   ``hessian_reg`` = n·l2)
=================================  ==============================================

L'amortissement (*damping*) est ici H + damping·I ; influence-release inverse
H + scale·damping·I. Voir le chapitre 11.
"""

from __future__ import annotations

import copy

import torch
from torch.func import functional_call, grad, jacrev, vjp, vmap

from lib import _validation as check
from lib.explain.hooks import evaluating, to_model

__all__ = ["influence", "self_influence", "perturbation_influence", "leave_one_out", "fit",
           "hessian", "test_loss", "METHODS"]

#: Méthodes d'inversion de la hessienne.
METHODS = ("exact", "cg", "lissa")
_OPTIONS = {"exact": set(), "cg": {"tol", "max_iter"},
            "lissa": {"scale", "depth", "repeats"}}


# --------------------------------------------------------------------------- vérifications
def _pair(name: str, pair, model) -> tuple[torch.Tensor, torch.Tensor]:
    if not isinstance(pair, tuple | list) or len(pair) != 2:
        raise TypeError(f"`{name}` doit être un couple (x, y) ; reçu : {check.describe(pair)}")
    x, y = pair
    check.tensor(f"{name}[0]", x)
    check.tensor(f"{name}[1]", y)
    if x.ndim < 2 or len(x) == 0 or len(x) != len(y):
        raise ValueError(f"`{name}` doit être un couple (x, y) de même longueur non nulle ; "
                         f"reçu : x de forme {tuple(x.shape)} et y de forme {tuple(y.shape)}")
    return to_model(model, x, name=f"{name}[0]"), to_model(model, y, name=f"{name}[1]",
                                                           real=y.is_floating_point())


def _trainable(model) -> dict:
    check.module("model", model)
    params = {k: p for k, p in model.named_parameters() if p.requires_grad}
    if not params:
        raise ValueError("`model` doit avoir au moins un paramètre entraînable "
                         "(requires_grad=True) ; reçu : aucun")
    return params


def _numbers(l2, damping) -> tuple[float, float]:
    return check.number("l2", l2, low=0), check.number("damping", damping, low=0)


class _Problem:
    """Le modèle vu comme une fonction de ses paramètres aplatis θ (vecteur de taille p)."""

    def __init__(self, model, loss_fn, l2: float):
        self.model, self.loss_fn, self.l2 = model, check.function("loss_fn", loss_fn), l2
        params = _trainable(model)
        self.names = list(params)
        self.shapes = [p.shape for p in params.values()]
        self.theta = torch.cat([p.detach().reshape(-1) for p in params.values()])

    def unflatten(self, theta) -> dict:
        out, start = {}, 0
        for name, shape in zip(self.names, self.shapes, strict=True):
            size = shape.numel()
            out[name] = theta[start:start + size].view(shape)
            start += size
        return out

    def loss(self, theta, x, y):
        value = self.loss_fn(functional_call(self.model, self.unflatten(theta), (x,)), y)
        if not isinstance(value, torch.Tensor) or value.numel() != 1:
            raise ValueError("`loss_fn` doit renvoyer une perte scalaire (moyenne du lot) ; "
                             f"reçu : {check.describe(value)}")
        return value.reshape(())

    def objective(self, theta, x, y):
        return self.loss(theta, x, y) + 0.5 * self.l2 * (theta * theta).sum()

    def grads(self, x, y, theta=None) -> torch.Tensor:
        """Gradients ∇θL(zᵢ) de chaque exemple, sans la pénalité : ``(N, p)``."""
        theta = self.theta if theta is None else theta

        def one(t, xi, yi):
            return self.loss(t, xi[None], yi[None])

        try:  # un exemple à la fois, vectorisé par vmap
            return vmap(grad(one), in_dims=(None, 0, 0))(theta, x, y).detach()
        except (RuntimeError, ValueError):  # modèle que vmap ne sait pas traiter : boucle
            return torch.stack([grad(one)(theta, x[i], y[i]) for i in range(len(x))]).detach()


# --------------------------------------------------------------------------- solveurs
def _cg(hvp, b: torch.Tensor, tol: float, max_iter: int) -> torch.Tensor:
    """Gradient conjugué : résout A s = b pour A symétrique définie positive (produits A·v)."""
    s, r = torch.zeros_like(b), b.clone()
    d, rr = r.clone(), r @ r
    for _ in range(max_iter):
        if rr.sqrt() <= tol * b.norm():
            break
        ad = hvp(d)
        step = rr / (d @ ad)
        s, r = s + step * d, r - step * ad
        rr, rr_old = r @ r, rr
        d = r + (rr / rr_old) * d
    return s


def _largest_eigenvalue(hvp, p: int, dtype) -> float:
    """Plus grande valeur propre (en module) par la méthode de la puissance, 50 produits."""
    v = torch.ones(p, dtype=dtype) / p ** 0.5
    value = 0.0
    for _ in range(50):
        w = hvp(v)
        value = float(w.norm())
        v = w / max(value, 1e-300)
    return value


def _lissa(hvp, b, scale, depth: int, repeats: int) -> torch.Tensor:
    """LiSSA : h ← b + h − A h / scale, résultat h / scale → A⁻¹ b si scale > λ_max(A)/2."""
    total = torch.zeros_like(b)
    for _ in range(repeats):  # la hessienne est celle de tout le jeu : répétitions identiques
        h = b.clone()
        for _ in range(depth):
            h = b + h - hvp(h) / scale
        total += h / scale
    return total / repeats


def _solver(problem, x, y, damping: float, method: str, options: dict):
    """Renvoie solve(B) = (H + damping·I)⁻¹ B, B de forme (p, k)."""
    check.choice("method", method, METHODS)
    unknown = set(options) - _OPTIONS[method]
    if unknown:
        raise ValueError(f"`{sorted(unknown)[0]}` n'est pas une option de method={method!r} ; "
                         f"options possibles : {sorted(_OPTIONS[method]) or 'aucune'}")
    p = problem.theta.numel()
    if method == "exact":
        h = _hessian(problem, x, y) + damping * torch.eye(p, dtype=problem.theta.dtype)
        return lambda b: torch.linalg.solve(h, b)
    _, vjp_fn = vjp(grad(lambda t: problem.objective(t, x, y)), problem.theta)

    def hvp(v):
        return vjp_fn(v)[0].detach() + damping * v

    if method == "cg":
        tol = check.number("tol", options.get("tol", 1e-10), low=0, strict_low=True)
        max_iter = check.number("max_iter", options.get("max_iter", 10 * p), low=1,
                                integer=True)
        return lambda b: torch.stack([_cg(hvp, c, tol, max_iter) for c in b.T], 1)
    scale = options.get("scale")
    scale = (1.1 * _largest_eigenvalue(hvp, p, problem.theta.dtype) if scale is None
             else check.number("scale", scale, low=0, strict_low=True))
    depth = check.number("depth", options.get("depth", 1000), low=1, integer=True)
    repeats = check.number("repeats", options.get("repeats", 1), low=1, integer=True)
    return lambda b: torch.stack([_lissa(hvp, c, scale, depth, repeats) for c in b.T], 1)


def _hessian(problem, x, y) -> torch.Tensor:
    return jacrev(jacrev(lambda t: problem.objective(t, x, y)))(problem.theta).detach()


# --------------------------------------------------------------------------- API publique
def hessian(model, loss_fn, train, *, l2: float = 0.0) -> torch.Tensor:
    """Hessienne ``(p, p)`` de R(θ) = (1/n) Σᵢ L(zᵢ, θ) + (l2/2)‖θ‖² aux paramètres actuels.

    Formée par ``torch.func`` (dérivée de la dérivée) ; p est le nombre de paramètres
    entraînables. Voir le chapitre 11.
    """
    l2, _ = _numbers(l2, 0.0)
    problem = _Problem(model, loss_fn, l2)
    with evaluating(model):
        x, y = _pair("train", train, model)
        return _hessian(problem, x, y)


def influence(model, loss_fn, train, test, *, l2: float = 0.0, damping: float = 0.0,
              method: str = "exact", **options) -> torch.Tensor:
    """I_up,loss(zᵢ, z_test) = −∇θL(z_test)ᵀ (H + damping·I)⁻¹ ∇θL(zᵢ) : tenseur ``(n_test, n)``.

    ``train`` et ``test`` sont des couples ``(x, y)`` ; le modèle est supposé entraîné (θ̂
    minimise (1/n) Σᵢ loss_fn(model(xᵢ), yᵢ) + (l2/2)‖θ‖²). Retirer zᵢ change la perte de
    z_test d'environ −I_up,loss / n (Koh et Liang, 2017). ``method`` : ``"exact"`` (hessienne
    formée puis système résolu), ``"cg"`` (gradient conjugué ; options ``tol=1e-10``,
    ``max_iter=10·p``) ou ``"lissa"`` (série de Neumann de Agarwal et al. ; options
    ``scale`` — par défaut 1,1 × la plus grande valeur propre, sinon LiSSA diverge si
    ``scale`` < λ_max/2 —, ``depth=1000``, ``repeats=1``). Voir le chapitre 11.
    """
    l2, damping = _numbers(l2, damping)
    problem = _Problem(model, loss_fn, l2)
    with evaluating(model):
        x, y = _pair("train", train, model)
        x_test, y_test = _pair("test", test, model)
        solve = _solver(problem, x, y, damping, method, options)
        s_test = solve(problem.grads(x_test, y_test).T)  # (p, n_test)
        return -(problem.grads(x, y) @ s_test).T.contiguous()


def self_influence(model, loss_fn, train, *, l2: float = 0.0, damping: float = 0.0,
                   method: str = "exact", **options) -> torch.Tensor:
    """I_up,loss(zᵢ, zᵢ) = −∇θL(zᵢ)ᵀ (H + damping·I)⁻¹ ∇θL(zᵢ) pour chaque exemple : ``(n,)``.

    Très négative pour un exemple que le modèle a du mal à apprendre (souvent une étiquette
    fausse, Koh et Liang, 2017, § 5.4). Mêmes options que :func:`influence`.
    Voir le chapitre 11.
    """
    l2, damping = _numbers(l2, damping)
    problem = _Problem(model, loss_fn, l2)
    with evaluating(model):
        x, y = _pair("train", train, model)
        solve = _solver(problem, x, y, damping, method, options)
        g = problem.grads(x, y)
        return -(g * solve(g.T).T).sum(1)


def perturbation_influence(model, loss_fn, train, test, *, l2: float = 0.0,
                           damping: float = 0.0, method: str = "exact",
                           **options) -> torch.Tensor:
    """I_pert,loss(zᵢ, z_test) = −∇θL(z_test)ᵀ H⁻¹ ∇x∇θL(zᵢ) : forme ``(n_test, *x.shape)``.

    Déplacer xᵢ de δ (poids 1/n) change la perte de z_test d'environ I_pert,lossᵀ δ / n :
    l'attaque par l'ensemble d'entraînement pousse xᵢ selon le signe de ce gradient
    (Koh et Liang, 2017, § 5.2). Mêmes options que :func:`influence`. Voir le chapitre 11.
    """
    l2, damping = _numbers(l2, damping)
    problem = _Problem(model, loss_fn, l2)
    with evaluating(model):
        x, y = _pair("train", train, model)
        x_test, y_test = _pair("test", test, model)
        s_test = _solver(problem, x, y, damping, method, options)(
            problem.grads(x_test, y_test).T)
        out = []
        for s in s_test.T:
            def score(x_, s=s):  # Σᵢ −s_testᵀ ∇θL(zᵢ) ; chaque terme ne dépend que de xᵢ
                g = grad(lambda t: problem.loss(t, x_, y) * len(x_))(problem.theta)
                return -(g @ s)
            out.append(grad(score)(x).detach())
        return torch.stack(out)


def _lbfgs(problem, theta, x, y, tol: float, max_iter: int) -> torch.Tensor:
    """Minimise R(θ) par L-BFGS (recherche linéaire de Wolfe) depuis ``theta`` (départ à chaud)."""
    theta = theta.detach().clone().requires_grad_(True)
    optimizer = torch.optim.LBFGS([theta], lr=1, max_iter=max_iter, tolerance_grad=tol,
                                  tolerance_change=0, history_size=50,
                                  line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        value = problem.objective(theta, x, y)
        value.backward()
        return value

    optimizer.step(closure)
    return theta.detach()


def _check_fit(tol, max_iter) -> tuple[float, int]:
    return (check.number("tol", tol, low=0, strict_low=True),
            check.number("max_iter", max_iter, low=1, integer=True))


def fit(model, loss_fn, train, *, l2: float = 0.0, tol: float = 1e-10,
        max_iter: int = 500) -> torch.nn.Module:
    """Copie de ``model`` entraînée jusqu'au minimum de (1/n) Σᵢ L(zᵢ, θ) + (l2/2)‖θ‖².

    L-BFGS (recherche linéaire de Wolfe) sur tout le jeu, depuis les poids actuels, arrêté
    quand chaque composante du gradient est < ``tol`` ou après ``max_iter`` itérations. Les
    fonctions d'influence supposent θ̂ à ce minimum. ``model`` n'est pas modifié.
    Voir le chapitre 11.
    """
    l2, _ = _numbers(l2, 0.0)
    tol, max_iter = _check_fit(tol, max_iter)
    problem = _Problem(model, loss_fn, l2)
    with evaluating(model):
        x, y = _pair("train", train, model)
        theta = _lbfgs(problem, problem.theta, x, y, tol, max_iter)
    fitted = copy.deepcopy(model)
    with torch.no_grad():
        for name, value in problem.unflatten(theta).items():
            fitted.get_parameter(name).copy_(value)
    return fitted


def test_loss(model, loss_fn, test) -> torch.Tensor:
    """Perte L(z_test, θ) de chaque point de test : tenseur ``(n_test,)``. Voir le chapitre 11."""
    problem = _Problem(model, loss_fn, 0.0)
    with evaluating(model), torch.no_grad():
        x, y = _pair("test", test, model)
        return torch.stack([problem.loss(problem.theta, x[i:i + 1], y[i:i + 1])
                            for i in range(len(x))])


def leave_one_out(model, loss_fn, train, test, *, indices=None, l2: float = 0.0,
                  tol: float = 1e-10, max_iter: int = 500) -> torch.Tensor:
    """Vraie variation de la perte de test quand on retire zᵢ et réentraîne : ``(n_test, k)``.

    Réentraînement par L-BFGS, départ à chaud : on réajuste d'abord θ̂ sur tout le jeu, puis,
    pour chaque indice de ``indices`` (tous par défaut), on réajuste depuis θ̂ sans zᵢ, jusqu'à
    un gradient < ``tol``. Renvoie L(z_test, θ̂₋ᵢ) − L(z_test, θ̂), que −I_up,loss / n
    approche (Koh et Liang, 2017). Voir le chapitre 11.
    """
    l2, _ = _numbers(l2, 0.0)
    tol, max_iter = _check_fit(tol, max_iter)
    problem = _Problem(model, loss_fn, l2)
    with evaluating(model):
        x, y = _pair("train", train, model)
        x_test, y_test = _pair("test", test, model)
        indices = _indices(indices, len(x))
        full = _lbfgs(problem, problem.theta, x, y, tol, max_iter)

        def losses(theta):
            with torch.no_grad():
                return torch.stack([problem.loss(theta, x_test[j:j + 1], y_test[j:j + 1])
                                    for j in range(len(x_test))])

        base, out = losses(full), []
        for i in indices:
            keep = torch.arange(len(x)) != i
            out.append(losses(_lbfgs(problem, full, x[keep], y[keep], tol, max_iter)) - base)
        return torch.stack(out, 1)


def _indices(indices, n: int) -> list[int]:
    if indices is None:
        return list(range(n))
    if isinstance(indices, torch.Tensor):
        indices = indices.tolist()
    if isinstance(indices, int) or not isinstance(indices, list | tuple | range):
        raise TypeError(f"`indices` doit être une liste d'indices ; reçu : "
                        f"{check.describe(indices)}")
    if not indices:
        raise ValueError("`indices` doit contenir au moins un indice ; reçu : une liste vide")
    return [check.number("indices", i, low=0, high=n - 1, integer=True) for i in indices]
