"""Un petit réseau récurrent (réseau d'Elman) écrit à la main, et son gradient à travers le temps.

Un réseau récurrent lit une séquence x₁, …, x_T un élément à la fois et garde un **état
caché** h_t, sa mémoire : h_t = tanh(W_ih x_t + W_hh h_{t−1} + b) (Elman, 1990). Les mêmes
poids servent à chaque pas de temps. Le gradient qui remonte le temps est multiplié, à chaque
pas, par W_hh et par la dérivée de l'activation : il s'évanouit ou explose (Bengio et al.,
1994), d'où les LSTM (Hochreiter et Schmidhuber, 1997). Voir le chapitre 3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from lib import _validation as check
from lib._threads import single_thread

__all__ = ["ElmanRNN", "sequence_task", "train_rnn", "through_time", "ThroughTime", "ACTIVATIONS"]

#: Activations de :func:`through_time` : nom → fonction de PyTorch.
ACTIVATIONS = {"tanh": torch.tanh, "identity": lambda z: z}


class ElmanRNN(nn.Module):
    """Réseau récurrent d'Elman : h_t = tanh(W_ih x_t + W_hh h_{t−1} + b), h₀ = 0, puis une
    couche linéaire ``readout`` lit le dernier état et donne ``n_classes`` scores.

    Les poids (``weight_ih`` de forme (hidden, input), ``weight_hh`` (hidden, hidden),
    ``bias`` (hidden)) suivent la loi par défaut de ``torch.nn.RNN`` (uniforme sur
    [−1/√hidden, 1/√hidden]), tirés par NumPy (graine ``seed``) en float64 : mêmes nombres
    sur tout processeur. D'après Elman (1990). Voir le chapitre 3.
    """

    def __init__(self, input_size: int = 1, hidden_size: int = 8, n_classes: int = 2, *,
                 seed: int = 0):
        super().__init__()
        self.input_size = check.number("input_size", input_size, low=1, integer=True)
        self.hidden_size = check.number("hidden_size", hidden_size, low=1, integer=True)
        self.n_classes = check.number("n_classes", n_classes, low=1, integer=True)
        rng = np.random.default_rng(check.number("seed", seed, low=0, integer=True))
        bound = 1.0 / np.sqrt(self.hidden_size)

        def draw(*shape):
            return nn.Parameter(torch.from_numpy(rng.uniform(-bound, bound, shape)))

        self.weight_ih = draw(self.hidden_size, self.input_size)
        self.weight_hh = draw(self.hidden_size, self.hidden_size)
        self.bias = draw(self.hidden_size)
        self.readout = nn.Linear(self.hidden_size, self.n_classes, dtype=torch.float64)
        bound = 1.0 / np.sqrt(self.hidden_size)
        with torch.no_grad():
            self.readout.weight.copy_(torch.from_numpy(
                rng.uniform(-bound, bound, (self.n_classes, self.hidden_size))))
            self.readout.bias.copy_(torch.from_numpy(rng.uniform(-bound, bound, self.n_classes)))

    def states(self, x: torch.Tensor) -> torch.Tensor:
        """Les états cachés h₁, …, h_T, forme (N, T, hidden), pour des séquences (N, T, input)."""
        check.tensor("x", x, ndim=3)
        if x.shape[2] != self.input_size:
            raise ValueError(f"`x` doit avoir {self.input_size} valeur(s) par pas de temps "
                             f"(forme (N, T, {self.input_size})) ; reçu : forme {tuple(x.shape)}")
        if not x.is_floating_point():
            raise TypeError(f"`x` doit contenir des nombres réels (float) ; reçu : {x.dtype}")
        x = x.to(self.weight_ih.dtype)
        h = x.new_zeros(x.shape[0], self.hidden_size)
        out = []
        for t in range(x.shape[1]):   # la même cellule, les mêmes poids à chaque pas
            h = torch.tanh(x[:, t] @ self.weight_ih.T + h @ self.weight_hh.T + self.bias)
            out.append(h)
        return torch.stack(out, dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Scores (N, n_classes) lus sur le dernier état caché h_T."""
        return self.readout(self.states(x)[:, -1])

    def to_torch(self) -> nn.RNN:
        """Un ``torch.nn.RNN`` (tanh, ``batch_first``) aux mêmes poids : la référence
        indépendante de :meth:`states` (son second biais est nul)."""
        rnn = nn.RNN(self.input_size, self.hidden_size, batch_first=True, dtype=torch.float64)
        with torch.no_grad():
            rnn.weight_ih_l0.copy_(self.weight_ih)
            rnn.weight_hh_l0.copy_(self.weight_hh)
            rnn.bias_ih_l0.copy_(self.bias)
            rnn.bias_hh_l0.zero_()
        return rnn


def sequence_task(n: int, length: int = 20, seed: int = 0):
    """Tâche de séquences générée : le total d'un signal est-il positif ?

    Chaque séquence a ``length`` valeurs tirées d'une loi normale centrée réduite (forme
    (n, length, 1), float64) ; sa classe vaut 1 si leur somme est positive, 0 sinon. Le réseau
    doit **accumuler** le signal dans son état caché. Voir le chapitre 3.
    """
    n = check.number("n", n, low=1, integer=True)
    length = check.number("length", length, low=1, integer=True)
    rng = np.random.default_rng(check.number("seed", seed, low=0, integer=True))
    x = rng.normal(size=(n, length, 1))
    y = (x.sum(axis=(1, 2)) > 0).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def train_rnn(model: ElmanRNN, x, y, *, steps: int = 150, lr: float = 0.05,
              batch_size: int = 100, seed: int = 0) -> list:
    """Entraîne ``model`` par ``steps`` pas d'Adam sur des mini-lots tirés au hasard (graine
    ``seed``), perte d'entropie croisée ; renvoie la perte de chaque pas. Les gradients
    remontent le temps à travers la boucle de :meth:`ElmanRNN.states` (rétropropagation à
    travers le temps). Voir les chapitres 3 et 5.
    """
    if not isinstance(model, ElmanRNN):
        raise TypeError(f"`model` doit être un ElmanRNN ; reçu : {check.describe(model)}")
    check.tensor("x", x, ndim=3)
    check.tensor("y", y, ndim=1)
    if len(x) != len(y):
        raise ValueError(f"`y` doit avoir une classe par séquence ({len(x)}) ; reçu : {len(y)}")
    steps = check.number("steps", steps, low=1, integer=True)
    lr = check.number("lr", lr, low=0, strict_low=True)
    batch_size = check.number("batch_size", batch_size, low=1, integer=True)
    generator = torch.Generator().manual_seed(check.number("seed", seed, low=0, integer=True))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    model.train()
    with single_thread():   # petits calculs : un seul fil est bien plus rapide
        for _ in range(steps):
            rows = torch.randint(len(x), (min(batch_size, len(x)),), generator=generator)
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x[rows]), y[rows].long())
            loss.backward()
            optimizer.step()
            losses.append(float(loss.detach()))
    model.eval()
    return losses


@dataclass(frozen=True)
class ThroughTime:
    """États h₀, …, h_T d'un neurone récurrent et gradients ∂h_T/∂h_t (t = 0 … T)."""

    weight: float
    activation: str
    states: np.ndarray
    gradients: np.ndarray


def through_time(weight: float, length: int, activation: str = "tanh",
                 start: float = 1.0) -> ThroughTime:
    """Un neurone récurrent seul, h_t = f(w·h_{t−1}) depuis h₀ = ``start`` : ses états et le
    gradient ∂h_T/∂h_t, calculé par rétropropagation à travers le temps (autograd).

    La règle de dérivation en chaîne donne ∂h_T/∂h_t = Π_{s>t} w·f′(w·h_{s−1}) : un produit
    de T − t facteurs, qui s'évanouit si les facteurs sont petits (|w| < 1, ou tanh saturée)
    et explose s'ils sont grands (|w| > 1 sans saturation). Voir les chapitres 3 et 5.
    """
    weight = check.number("weight", weight)
    length = check.number("length", length, low=1, high=1000, integer=True)
    f = ACTIVATIONS[check.choice("activation", activation, list(ACTIVATIONS))]
    start = check.number("start", start)
    h = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    states = [h]
    for _ in range(length):
        states.append(f(weight * states[-1]))
    for state in states[:-1]:
        state.retain_grad()
    states[-1].backward()
    gradients = [float(s.grad) for s in states[:-1]] + [1.0]
    return ThroughTime(weight, activation, np.array([float(s.detach()) for s in states]),
                       np.array(gradients))
