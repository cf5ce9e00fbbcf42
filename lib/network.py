"""Un petit réseau de neurones multicouche écrit à la main avec NumPy.

Un réseau à L couches transforme un lot d'entrées ``X`` ``(N, n₀)`` couche après couche
(propagation avant) : ``Z_l = A_{l−1} W_l + b_l`` puis ``A_l = f(Z_l)``, avec ``A₀ = X``.
``f`` est l'activation des couches cachées (une clé de :data:`lib.activations.NAMES`) ; la
dernière couche a son activation de sortie, liée à sa perte (:data:`OUTPUTS`). La
rétropropagation (Rumelhart et al., 1986) calcule les gradients de la perte sous forme
matricielle, de la sortie vers l'entrée ; :func:`numerical_gradient` les estime par
différences finies pour les vérifier.

Convention : ``W_l`` a la forme ``(n_{l−1}, n_l)`` (une ligne par entrée, comme ``x @ W``),
c'est la transposée de ``weight`` dans ``torch.nn.Linear``. Les calculs sont séparés des
dessins (:mod:`lib.viz.network`). Voir les chapitres 3 et 5.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lib import _validation as check
from lib import activations

__all__ = [
    "OUTPUTS", "Network", "init_network", "Forward", "forward", "predict", "accuracy",
    "loss", "Gradients", "backward", "numerical_gradient", "relative_error",
    "gradient_check", "update", "TrainingStep", "training_step", "Descent",
    "gradient_descent", "NetworkMap", "decision_map", "to_torch",
]

#: Activations de sortie possibles et la perte associée à chacune.
OUTPUTS = {
    "sigmoid": "sigmoïde, perte d'entropie croisée binaire",
    "softmax": "softmax, perte d'entropie croisée",
    "identity": "identité, perte d'erreur quadratique moyenne",
}


# --- Le réseau ------------------------------------------------------------------------


def _layers(weights, biases):
    """Vérifie et copie les poids ``W_l`` ``(n_{l−1}, n_l)`` et les biais ``b_l`` ``(n_l,)``."""
    for name, value in (("weights", weights), ("biases", biases)):
        if not isinstance(value, list | tuple) or not value:
            raise TypeError(f"`{name}` doit être une liste non vide de tableaux (une entrée "
                            f"par couche) ; reçu : {check.describe(value)}")
    if len(weights) != len(biases):
        raise ValueError(f"`biases` doit avoir un vecteur par couche ({len(weights)}) ; "
                         f"reçu : {len(biases)}")
    ws, bs = [], []
    for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
        w = np.array(check.array(f"weights[{i}]", w, ndim=2))
        if ws and w.shape[0] != ws[-1].shape[1]:
            raise ValueError(f"`weights[{i}]` doit avoir {ws[-1].shape[1]} lignes (les sorties "
                             f"de la couche précédente) ; reçu : forme {w.shape}")
        bs.append(np.array(check.array(f"biases[{i}]", b, ndim=1, last=w.shape[1])))
        ws.append(w)
    return tuple(ws), tuple(bs)


@dataclass(frozen=True, eq=False)
class Network:
    """Un réseau multicouche : poids ``W_l`` ``(n_{l−1}, n_l)``, biais ``b_l`` ``(n_l,)``.

    ``activation`` est l'activation des couches cachées, ``output`` celle de la couche de
    sortie (une clé de :data:`OUTPUTS`). Les tableaux sont copiés à la création. Voir le
    chapitre 3.
    """

    weights: tuple
    biases: tuple
    activation: str = "tanh"
    output: str = "sigmoid"

    def __post_init__(self):
        weights, biases = _layers(self.weights, self.biases)
        check.choice("activation", self.activation, list(activations.NAMES))
        check.choice("output", self.output, list(OUTPUTS))
        n_out = weights[-1].shape[1]
        if self.output == "sigmoid" and n_out != 1:
            raise ValueError(f"`output`='sigmoid' demande une couche de sortie à 1 neurone ; "
                             f"reçu : {n_out} neurones")
        if self.output == "softmax" and n_out < 2:
            raise ValueError("`output`='softmax' demande au moins 2 neurones de sortie ; "
                             f"reçu : {n_out}")
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "biases", biases)

    @property
    def sizes(self) -> tuple:
        """Nombre de neurones de chaque couche, de l'entrée à la sortie."""
        return (self.weights[0].shape[0], *(w.shape[1] for w in self.weights))

    @property
    def n_parameters(self) -> int:
        """Nombre total de poids et de biais, ``Σ_l (n_{l−1} + 1)·n_l``."""
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases, strict=True))


def _check_network(net) -> Network:
    if not isinstance(net, Network):
        raise TypeError(f"`net` doit être un lib.network.Network ; reçu : {check.describe(net)}")
    return net


def init_network(sizes, *, activation: str = "tanh", output: str = "sigmoid",
                 seed: int = 0) -> Network:
    """Crée un réseau de tailles ``sizes`` (entrée, cachées…, sortie) aux poids tirés au hasard.

    Initialisation de Glorot et Bengio (2010) : ``W_l ~ U(−a, a)`` avec
    ``a = √(6 / (n_{l−1} + n_l))`` ; biais nuls. Voir le chapitre 3.
    """
    if not isinstance(sizes, list | tuple) or len(sizes) < 2:
        raise TypeError(f"`sizes` doit être une liste d'au moins deux tailles (entrée, "
                        f"sortie) ; reçu : {check.describe(sizes)}")
    sizes = [check.number(f"sizes[{i}]", n, low=1, integer=True) for i, n in enumerate(sizes)]
    rng = np.random.default_rng(check.number("seed", seed, low=0, integer=True))
    weights, biases = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        limit = np.sqrt(6.0 / (n_in + n_out))
        weights.append(rng.uniform(-limit, limit, (n_in, n_out)))
        biases.append(np.zeros(n_out))
    return Network(weights, biases, activation, output)


# --- Propagation avant ----------------------------------------------------------------


@dataclass(frozen=True)
class Forward:
    """Valeurs de la propagation avant : ``z[l]`` = ``Z_{l+1}``, ``a[l]`` = ``A_l``, ``a[0]`` = X.

    Voir le chapitre 3.
    """

    z: tuple
    a: tuple

    @property
    def output(self) -> np.ndarray:
        """Sortie du réseau ``A_L`` ``(N, n_L)``."""
        return self.a[-1]


def _output_activation(output: str, z: np.ndarray) -> np.ndarray:
    if output == "sigmoid":
        return np.asarray(activations.sigmoid(z))
    if output == "softmax":
        return activations.softmax(z, axis=-1)
    return z.copy()


def _forward(weights, biases, activation, output, x) -> Forward:
    """Propagation avant sans vérification : ``Z_l = A_{l−1} W_l + b_l``, ``A_l = f(Z_l)``."""
    f = activations.get(activation)
    zs, acts = [], [x]
    for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
        z = acts[-1] @ w + b
        last = i == len(weights) - 1
        zs.append(z)
        acts.append(_output_activation(output, z) if last else np.asarray(f(z), dtype=float))
    return Forward(tuple(zs), tuple(acts))


def _check_x(net: Network, x) -> np.ndarray:
    return check.array("x", x, ndim=2, last=net.sizes[0])


def forward(net: Network, x) -> Forward:
    """Propagation avant d'un lot ``x`` ``(N, n₀)`` : ``A_l = f(A_{l−1} W_l + b_l)``, couche par
    couche.

    Renvoie toutes les valeurs intermédiaires (utiles à la rétropropagation). Voir le
    chapitre 3.
    """
    net = _check_network(net)
    x = _check_x(net, x)
    return _forward(net.weights, net.biases, net.activation, net.output, x)


def predict(net: Network, x) -> np.ndarray:
    """Classe prédite pour chaque ligne de ``x`` : ``sortie > 0,5`` (sigmoïde) ou argmax (softmax).

    Voir le chapitre 3.
    """
    net = _check_network(net)
    if net.output == "identity":
        raise ValueError("`net` doit être un classifieur (`output` 'sigmoid' ou 'softmax') ; "
                         "reçu : output='identity'")
    out = forward(net, x).output
    return (out[:, 0] > 0.5).astype(np.int64) if net.output == "sigmoid" else out.argmax(1)


# --- Perte -----------------------------------------------------------------------------


def _targets(net: Network, target, n: int) -> np.ndarray:
    """Met ``target`` sous la forme ``Y`` ``(N, n_L)`` de la sortie (« one-hot » en softmax)."""
    k = net.sizes[-1]
    if net.output == "identity":
        y = check.array("target", target, ndim=(1, 2))
        y = y.reshape(-1, 1) if y.ndim == 1 and k == 1 else y
        if y.shape != (n, k):
            raise ValueError(f"`target` doit avoir la forme {(n, k)} ; reçu : forme {y.shape}")
        return y
    y = check.array("target", target, ndim=1)
    if len(y) != n:
        raise ValueError(f"`target` doit avoir une étiquette par exemple ({n}) ; reçu : {len(y)}")
    if net.output == "sigmoid":
        if np.any((y < 0) | (y > 1)):
            raise ValueError(f"`target` doit être entre 0 et 1 ; reçu : {check.describe(y)}")
        return y.reshape(-1, 1)
    if np.any((y != np.round(y)) | (y < 0) | (y >= k)):
        raise ValueError(f"`target` doit contenir des classes entières de 0 à {k - 1} ; "
                         f"reçu : {check.describe(y)}")
    return np.eye(k)[y.astype(np.int64)]


def _loss(output: str, z: np.ndarray, y: np.ndarray) -> float:
    """Perte moyenne calculée à partir des scores ``Z_L`` (forme stable, sans log(0))."""
    if output == "sigmoid":  # −[y log σ(z) + (1 − y) log(1 − σ(z))] = log(1 + e^z) − y z
        return float(np.mean(np.logaddexp(0.0, z) - y * z))
    if output == "softmax":  # −log softmax(z)_y = log Σ_j e^{z_j} − z_y
        top = z.max(axis=1, keepdims=True)
        lse = top[:, 0] + np.log(np.exp(z - top).sum(axis=1))
        return float(np.mean(lse - (y * z).sum(axis=1)))
    return float(np.mean((z - y) ** 2))


def loss(net: Network, x, target) -> float:
    """Perte moyenne du réseau sur le lot ``(x, target)`` : entropie croisée (binaire) ou EQM.

    Sigmoïde : ``−moy[y log ŷ + (1 − y) log(1 − ŷ)]`` ; softmax : ``−moy log ŷ_cible`` ;
    identité : ``moy (ŷ − y)²`` (les mêmes définitions que PyTorch). Voir le chapitre 5.
    """
    net = _check_network(net)
    x = _check_x(net, x)
    y = _targets(net, target, len(x))
    return _loss(net.output, _forward(net.weights, net.biases, net.activation, net.output,
                                      x).z[-1], y)


def accuracy(net: Network, x, target) -> float:
    """Proportion des exemples de ``x`` dont la classe prédite est ``target``.

    Voir le chapitre 3.
    """
    predicted = predict(net, x)
    y = _targets(net, target, len(predicted))
    labels = y[:, 0] > 0.5 if net.output == "sigmoid" else y.argmax(1)
    return float(np.mean(predicted == labels))


# --- Rétropropagation ------------------------------------------------------------------


@dataclass(frozen=True)
class Gradients:
    """Gradients de la perte : ``weights[l]`` = ∂L/∂W_{l+1}, ``biases[l]`` = ∂L/∂b_{l+1}.

    ``deltas[l]`` = ∂L/∂Z_{l+1} ``(N, n_{l+1})`` (vide pour les différences finies).
    """

    weights: tuple
    biases: tuple
    deltas: tuple = field(default=())


def _backward(weights, activation, output, fwd: Forward, y) -> Gradients:
    """Rétropropagation matricielle (voir :func:`backward`), sans vérification."""
    n_examples, n_out = y.shape
    # δ_L = ∂L/∂Z_L : (Ŷ − Y)/N pour les deux entropies croisées, 2(Ŷ − Y)/(N·n_L) pour l'EQM.
    scale = 2.0 / (n_examples * n_out) if output == "identity" else 1.0 / n_examples
    delta = (fwd.output - y) * scale
    grads_w, grads_b, deltas = [], [], [delta]
    for layer in range(len(weights) - 1, -1, -1):
        grads_w.append(fwd.a[layer].T @ delta)
        grads_b.append(delta.sum(axis=0))
        if layer > 0:
            slope = np.asarray(activations.derivative(activation, fwd.z[layer - 1]))
            delta = (delta @ weights[layer].T) * slope
            deltas.append(delta)
    return Gradients(tuple(grads_w[::-1]), tuple(grads_b[::-1]), tuple(deltas[::-1]))


def backward(net: Network, x, target) -> Gradients:
    """Rétropropagation (Rumelhart et al., 1986) : gradients de la perte sous forme matricielle.

    De la sortie vers l'entrée : ``δ_L = ∂L/∂Z_L`` (``(Ŷ − Y)/N`` avec l'entropie croisée),
    ``∂L/∂W_l = A_{l−1}ᵀ δ_l``, ``∂L/∂b_l = Σ_n δ_l``, puis
    ``δ_{l−1} = (δ_l W_lᵀ) ⊙ f'(Z_{l−1})``. Voir le chapitre 5.
    """
    net = _check_network(net)
    x = _check_x(net, x)
    y = _targets(net, target, len(x))
    fwd = _forward(net.weights, net.biases, net.activation, net.output, x)
    return _backward(net.weights, net.activation, net.output, fwd, y)


def numerical_gradient(net: Network, x, target, *, h: float = 1e-5) -> Gradients:
    """Gradients estimés par différences centrées, ``∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / 2h``.

    Un paramètre à la fois : lent (deux propagations avant par paramètre), mais sans
    aucune dérivée écrite à la main. Voir le chapitre 5.
    """
    net = _check_network(net)
    x = _check_x(net, x)
    y = _targets(net, target, len(x))
    h = check.number("h", h, low=0, strict_low=True)
    params = [p.copy() for p in (*net.weights, *net.biases)]
    depth = len(net.weights)

    def value() -> float:
        fwd = _forward(params[:depth], params[depth:], net.activation, net.output, x)
        return _loss(net.output, fwd.z[-1], y)

    grads = []
    for p in params:
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            saved = p[i]
            p[i] = saved + h
            up = value()
            p[i] = saved - h
            g[i] = (up - value()) / (2 * h)
            p[i] = saved
        grads.append(g)
    return Gradients(tuple(grads[:depth]), tuple(grads[depth:]))


def _arrays(name: str, value) -> list:
    if isinstance(value, Gradients):
        return [*value.weights, *value.biases]
    if isinstance(value, Network):
        return [*value.weights, *value.biases]
    if isinstance(value, list | tuple) and value:
        return [check.array(f"{name}[{i}]", v) for i, v in enumerate(value)]
    raise TypeError(f"`{name}` doit être des Gradients ou une liste de tableaux ; "
                    f"reçu : {check.describe(value)}")


def relative_error(a, b) -> float:
    """Plus grande erreur relative entre deux jeux de gradients, tableau par tableau.

    ``max_k ‖a_k − b_k‖ / (‖a_k‖ + ‖b_k‖)`` (0 si les deux sont nuls) : 0 pour des
    gradients identiques, 1 pour des gradients opposés. Voir le chapitre 5.
    """
    first, second = _arrays("a", a), _arrays("b", b)
    if len(first) != len(second):
        raise ValueError(f"`b` doit avoir autant de tableaux que `a` ({len(first)}) ; "
                         f"reçu : {len(second)}")
    worst = 0.0
    for i, (u, v) in enumerate(zip(first, second, strict=True)):
        u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
        if u.shape != v.shape:
            raise ValueError(f"`b[{i}]` doit avoir la forme {u.shape} ; reçu : forme {v.shape}")
        scale = np.linalg.norm(u) + np.linalg.norm(v)
        if scale > 0:
            worst = max(worst, float(np.linalg.norm(u - v) / scale))
    return worst


def gradient_check(net: Network, x, target, *, h: float = 1e-5) -> float:
    """Erreur relative maximale entre la rétropropagation et les différences finies.

    Quelques 10⁻⁸ ou moins : les gradients sont justes ; au-delà de 10⁻³ : une erreur
    dans la rétropropagation. Voir le chapitre 5.
    """
    return relative_error(backward(net, x, target), numerical_gradient(net, x, target, h=h))


# --- Descente de gradient ---------------------------------------------------------------


def _check_lr(lr) -> float:
    return check.number("lr", lr, low=0, strict_low=True)


def update(net: Network, grads: Gradients, lr: float) -> Network:
    """Un pas de descente de gradient : ``θ ← θ − lr · ∂L/∂θ`` ; renvoie un nouveau réseau.

    Voir le chapitre 5.
    """
    net = _check_network(net)
    if not isinstance(grads, Gradients):
        raise TypeError(f"`grads` doit être des Gradients ; reçu : {check.describe(grads)}")
    lr = _check_lr(lr)
    for i, (p, g) in enumerate(zip((*net.weights, *net.biases), (*grads.weights, *grads.biases),
                                   strict=False)):
        if p.shape != np.shape(g):
            raise ValueError(f"`grads` doit avoir les formes des paramètres de `net` ; "
                             f"reçu : {np.shape(g)} au lieu de {p.shape} (tableau {i})")
    if len(grads.weights) != len(net.weights) or len(grads.biases) != len(net.biases):
        raise ValueError(f"`grads` doit avoir un gradient par couche ({len(net.weights)}) ; "
                         f"reçu : {len(grads.weights)}")
    weights = [w - lr * g for w, g in zip(net.weights, grads.weights, strict=True)]
    biases = [b - lr * g for b, g in zip(net.biases, grads.biases, strict=True)]
    return Network(weights, biases, net.activation, net.output)


@dataclass(frozen=True)
class TrainingStep:
    """Une étape d'entraînement : réseau avant, propagation avant, perte, gradients, réseau après.

    ``updated_loss`` est la perte du réseau mis à jour sur le même lot.
    """

    network: Network
    x: np.ndarray
    target: np.ndarray
    forward: Forward
    loss: float
    gradients: Gradients
    lr: float
    updated: Network
    updated_loss: float


def training_step(net: Network, x, target, lr: float) -> TrainingStep:
    """Détaille une étape : propagation avant, erreur, rétropropagation, mise à jour des poids.

    Voir le chapitre 5.
    """
    net = _check_network(net)
    x = _check_x(net, x)
    y = _targets(net, target, len(x))
    lr = _check_lr(lr)
    fwd = _forward(net.weights, net.biases, net.activation, net.output, x)
    grads = _backward(net.weights, net.activation, net.output, fwd, y)
    after = update(net, grads, lr)
    new_z = _forward(after.weights, after.biases, net.activation, net.output, x).z[-1]
    return TrainingStep(net, x, np.asarray(target, dtype=float), fwd,
                        _loss(net.output, fwd.z[-1], y), grads, lr, after,
                        _loss(net.output, new_z, y))


@dataclass(frozen=True)
class Descent:
    """Résultat de :func:`gradient_descent` : pertes, exactitudes, réseau final, réseaux gardés.

    ``loss[t]`` et ``accuracy[t]`` sont mesurées après ``t`` pas (``t = 0`` : au départ) ;
    ``nan`` après une divergence (``network`` vaut alors ``None``). ``snapshots[t]`` est le
    réseau après ``t`` pas.
    """

    loss: np.ndarray
    accuracy: np.ndarray
    network: Network
    snapshots: dict


def _correct(output: str, a_last: np.ndarray, y: np.ndarray) -> float:
    if output == "sigmoid":
        return float(np.mean((a_last[:, 0] > 0.5) == (y[:, 0] > 0.5)))
    if output == "softmax":
        return float(np.mean(a_last.argmax(1) == y.argmax(1)))
    return float("nan")


def gradient_descent(net: Network, x, target, *, lr: float = 0.5, steps: int = 1000,
                     keep=()) -> Descent:
    """Descente de gradient sur tout le lot : ``steps`` fois ``θ ← θ − lr · ∂L/∂θ``.

    Les gradients viennent de la rétropropagation ; ``keep`` liste les numéros de pas dont
    on garde le réseau. S'arrête si les poids divergent. Voir les chapitres 3 et 5.
    """
    net = _check_network(net)
    x = _check_x(net, x)
    y = _targets(net, target, len(x))
    lr = _check_lr(lr)
    steps = check.number("steps", steps, low=0, high=1_000_000, integer=True)
    if not isinstance(keep, list | tuple | range | set):
        raise TypeError(f"`keep` doit être une liste de numéros de pas ; reçu : {keep!r}")
    keep = {check.number("keep", t, low=0, high=steps, integer=True) for t in keep}
    weights, biases = list(net.weights), list(net.biases)
    losses, accs = np.full(steps + 1, np.nan), np.full(steps + 1, np.nan)
    snapshots = {}
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps + 1):
            if not all(np.all(np.isfinite(p)) for p in (*weights, *biases)):
                break  # divergence : les pertes suivantes restent nan
            if t in keep:
                snapshots[t] = Network(weights, biases, net.activation, net.output)
            fwd = _forward(weights, biases, net.activation, net.output, x)
            losses[t], accs[t] = _loss(net.output, fwd.z[-1], y), _correct(net.output,
                                                                           fwd.output, y)
            if t < steps:
                grads = _backward(weights, net.activation, net.output, fwd, y)
                weights = [w - lr * g for w, g in zip(weights, grads.weights, strict=True)]
                biases = [b - lr * g for b, g in zip(biases, grads.biases, strict=True)]
    final = Network(weights, biases, net.activation, net.output) if np.isfinite(
        losses[-1]) else None
    return Descent(losses, accs, final, snapshots)


# --- Carte de décision et passage à PyTorch ---------------------------------------------


@dataclass(frozen=True)
class NetworkMap:
    """Sortie d'un réseau à deux entrées sur une grille du plan et droites de sa 1re couche.

    ``output[i, j]`` est la sortie ``unit`` au point ``(grid[j], grid[i])`` ; ``lines[k]``
    est le segment ``(2, 2)`` où le neurone ``k`` de la 1re couche vaut ``z = 0`` (ou ``None``).
    """

    grid: np.ndarray
    output: np.ndarray
    extent: tuple
    lines: tuple
    unit: int
    kind: str


def _segment(w, b, low: float, high: float):
    """Segment de la droite ``w₁x₁ + w₂x₂ + b = 0`` visible dans le carré [low, high]²."""
    points = []
    for axis in (0, 1):
        other = 1 - axis
        if w[other] == 0:
            continue
        for t in (low, high):
            u = -(b + w[axis] * t) / w[other]
            if low - 1e-12 <= u <= high + 1e-12:
                point = np.empty(2)
                point[axis], point[other] = t, u
                points.append(point)
    if len(points) < 2:
        return None
    points = np.array(points)
    ends = points[np.argsort(points[:, 0] + 1e-6 * points[:, 1])]
    return None if np.allclose(ends[0], ends[-1]) else ends[[0, -1]]


def decision_map(net: Network, *, limits=(-0.5, 1.5), size: int = 60,
                 unit: int | None = None) -> NetworkMap:
    """Calcule la sortie ``unit`` d'un réseau à deux entrées sur une grille ``size × size``.

    Par défaut la dernière sortie (la probabilité de la classe 1 d'un classifieur à deux
    classes). Donne aussi la droite ``z = 0`` de chaque neurone de la 1re couche : la
    couche cachée découpe le plan en régions. Voir le chapitre 3.
    """
    net = _check_network(net)
    if net.sizes[0] != 2:
        raise ValueError(f"`net` doit avoir 2 entrées pour être dessiné sur le plan ; "
                         f"reçu : {net.sizes[0]} entrées")
    low, high = check.array("limits", limits, ndim=1, last=2)
    if high <= low:
        raise ValueError(f"`limits` doit être (bas, haut) avec bas < haut ; reçu : {limits!r}")
    size = check.number("size", size, low=2, high=1000, integer=True)
    n_out = net.sizes[-1]
    unit = n_out - 1 if unit is None else check.number("unit", unit, low=0, high=n_out - 1,
                                                        integer=True)
    grid = np.linspace(low, high, size)
    x1, x2 = np.meshgrid(grid, grid)
    points = np.column_stack([x1.ravel(), x2.ravel()])
    out = _forward(net.weights, net.biases, net.activation, net.output, points).output
    w, b = net.weights[0], net.biases[0]
    lines = tuple(_segment(w[:, k], b[k], low, high) for k in range(w.shape[1]))
    return NetworkMap(grid, out[:, unit].reshape(size, size), (low, high, low, high), lines,
                      unit, net.output)


_TORCH_ACTIVATIONS = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU",
                      "leaky_relu": "LeakyReLU"}


def to_torch(net: Network):
    """Le même réseau en PyTorch (float64) : ``nn.Linear`` et activations, ``weight = W_lᵀ``.

    Le modèle renvoie les scores de la dernière couche avant l'activation de sortie (ce
    qu'attendent ``F.cross_entropy`` ou ``F.binary_cross_entropy_with_logits``).
    Voir le chapitre 5.
    """
    import torch
    from torch import nn

    net = _check_network(net)
    if net.activation not in _TORCH_ACTIVATIONS:
        raise ValueError(f"`net` doit utiliser une activation dérivable de PyTorch "
                         f"({', '.join(_TORCH_ACTIVATIONS)}) ; reçu : {net.activation!r}")
    layers = []
    for i, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        linear = nn.Linear(*w.shape, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(w.T.copy()))
            linear.bias.copy_(torch.from_numpy(b))
        layers.append(linear)
        if i < len(net.weights) - 1:
            layers.append(getattr(nn, _TORCH_ACTIVATIONS[net.activation])())
    return nn.Sequential(*layers)
