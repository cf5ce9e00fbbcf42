"""Boucle d'entraînement PyTorch : elle renvoie un historique et ne dessine jamais.

Voir le chapitre 5 (le même entraînement que la rétropropagation écrite à la main).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch
from torch import nn

from lib import _validation as check

__all__ = ["History", "train", "accuracy", "predict"]

_LOSSES = {"cross_entropy": nn.functional.cross_entropy, "mse": nn.functional.mse_loss}
_OPTIMIZERS = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}


@dataclass
class History:
    """Historique d'un entraînement, une valeur par époque (``nan`` si non mesurée)."""

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def epochs(self) -> int:
        """Nombre d'époques effectuées."""
        return len(self.loss)


def _check_data(x, y, name_x: str, name_y: str) -> None:
    check.tensor(name_x, x)
    check.tensor(name_y, y)
    if len(x) != len(y):
        raise ValueError(
            f"`{name_x}` et `{name_y}` doivent avoir le même nombre d'exemples ; "
            f"reçu : {len(x)} et {len(y)}"
        )


@torch.no_grad()
def _evaluate(model, loss_fn, x, y, classify: bool, batch_size: int = 1024):
    total, correct = 0.0, 0
    for start in range(0, len(x), batch_size):
        out = model(x[start:start + batch_size])
        target = y[start:start + batch_size]
        total += float(loss_fn(out, target, reduction="sum"))
        if classify:
            correct += int((out.argmax(1) == target).sum())
    per_value = 1 if classify else y[0].numel()
    loss = total / (len(x) * per_value)
    return loss, (correct / len(x) if classify else float("nan"))


def train(model, x, y, *, epochs: int = 10, lr: float = 1e-2, batch_size: int = 64,
          loss: str = "cross_entropy", optimizer: str = "adam", weight_decay: float = 0.0,
          x_val=None, y_val=None, seed: int = 0) -> History:
    """Entraîne ``model`` par descente de gradient sur mini-lots et renvoie l'historique.

    À chaque époque : mélange des exemples (graine ``seed``), pour chaque lot
    θ ← θ − lr · ∇θ perte (ou la règle d'Adam), puis mesure de la perte et de la
    précision. Le modèle est laissé en mode évaluation. Voir le chapitre 5.
    """
    check.module("model", model)
    _check_data(x, y, "x", "y")
    if (x_val is None) != (y_val is None):
        raise ValueError("`x_val` et `y_val` doivent être donnés ensemble")
    if x_val is not None:
        _check_data(x_val, y_val, "x_val", "y_val")
    epochs = check.number("epochs", epochs, low=1, integer=True)
    lr = check.number("lr", lr, low=0, strict_low=True)
    batch_size = check.number("batch_size", batch_size, low=1, integer=True)
    weight_decay = check.number("weight_decay", weight_decay, low=0)
    loss_fn = _LOSSES[check.choice("loss", loss, list(_LOSSES))]
    make_optimizer = _OPTIMIZERS[check.choice("optimizer", optimizer, list(_OPTIMIZERS))]
    opt = make_optimizer(model.parameters(), lr=lr, weight_decay=weight_decay)
    generator = torch.Generator().manual_seed(check.number("seed", seed, low=0, integer=True))
    classify, history, start = loss == "cross_entropy", History(), time.perf_counter()
    for _ in range(epochs):
        model.train()
        for batch in torch.randperm(len(x), generator=generator).split(batch_size):
            opt.zero_grad()
            loss_fn(model(x[batch]), y[batch]).backward()
            opt.step()
        model.eval()
        for (xs, ys), (losses, accs) in (
            ((x, y), (history.loss, history.accuracy)),
            ((x_val, y_val), (history.val_loss, history.val_accuracy)),
        ):
            value, acc = _evaluate(model, loss_fn, xs, ys, classify) if xs is not None else (
                float("nan"), float("nan"))
            losses.append(value)
            accs.append(acc)
    history.seconds = time.perf_counter() - start
    return history


@torch.no_grad()
def predict(model, x) -> torch.Tensor:
    """Classe prédite (indice du score maximal) pour chaque exemple de ``x``. Voir le chapitre 4."""
    check.module("model", model)
    check.tensor("x", x)
    was_training = model.training
    model.eval()
    try:
        return model(x).argmax(1)
    finally:
        model.train(was_training)


def accuracy(model, x, y) -> float:
    """Part des exemples de ``x`` dont la classe prédite est ``y`` (entre 0 et 1). Voir le chapitre 4."""
    _check_data(x, y, "x", "y")
    return float((predict(model, x) == y).float().mean())
