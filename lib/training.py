"""Boucle d'entraînement PyTorch : elle renvoie un historique et ne dessine jamais.

Voir le chapitre 5 (le même entraînement que la rétropropagation écrite à la main).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch
from torch import nn

from lib import _validation as check
from lib.explain.hooks import to_model

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
    for name, value in ((name_x, x), (name_y, y)):
        if value.ndim == 0 or len(value) == 0:
            raise ValueError(f"`{name}` doit contenir au moins un exemple (1re dimension) ; "
                             f"reçu : forme {tuple(value.shape)}")
    if len(x) != len(y):
        raise ValueError(
            f"`{name_x}` et `{name_y}` doivent avoir le même nombre d'exemples ; "
            f"reçu : {len(x)} et {len(y)}"
        )


def _compatible(model, x, y, loss: str, name_x: str = "x", name_y: str = "y"):
    """Vérifie ``y`` pour la perte ; renvoie ``x``, ``y`` sur l'appareil et dans le type du modèle.

    Des entrées float32 pour un modèle float64 (ou l'inverse), ou sur le CPU pour un modèle
    sur GPU, sont converties (des copies : ``x`` et ``y`` ne sont pas modifiés), des classes
    int32 passent en int64 ; des entrées entières lèvent une erreur française.
    """
    if loss == "cross_entropy" and (y.ndim != 1 or y.is_floating_point() or y.is_complex()):
        raise TypeError(f"`{name_y}` doit contenir des numéros de classe entiers (int64, forme "
                        f"(N,)) pour loss='cross_entropy' ; reçu : {y.dtype} de forme "
                        f"{tuple(y.shape)}")
    if loss == "mse" and not y.is_floating_point():
        raise TypeError(f"`{name_y}` doit contenir des nombres réels pour loss='mse' ; "
                        f"reçu : {y.dtype}")
    y = to_model(model, y, name=name_y, real=False)
    return to_model(model, x, name=name_x), y.long() if loss == "cross_entropy" else y


def _prepared(model, x, y, x_val, y_val, loss: str):
    """Vérifie les données d'entraînement et de validation ; les renvoie prêtes pour le modèle."""
    _check_data(x, y, "x", "y")
    if (x_val is None) != (y_val is None):
        raise ValueError("`x_val` et `y_val` doivent être donnés ensemble")
    x, y = _compatible(model, x, y, loss)
    _check_targets(model, x, y, loss, "y")
    if x_val is not None:
        _check_data(x_val, y_val, "x_val", "y_val")
        x_val, y_val = _compatible(model, x_val, y_val, loss, "x_val", "y_val")
        _check_targets(model, x_val, y_val, loss, "y_val")
    return x, y, x_val, y_val


@torch.no_grad()
def _check_targets(model, x, y, loss: str, name: str) -> None:
    """Vérifie que les cibles ``y`` vont avec la sortie du modèle (classes, forme)."""
    was_training = model.training
    model.eval()
    try:
        out = model(x[:1])
    finally:
        model.train(was_training)
    if loss == "cross_entropy" and (int(y.min()) < 0 or int(y.max()) >= out.shape[1]):
        raise ValueError(f"`{name}` doit contenir des classes entre 0 et {out.shape[1] - 1} "
                         f"(le modèle a {out.shape[1]} sorties) ; reçu : classes de "
                         f"{int(y.min())} à {int(y.max())}")
    if loss == "mse" and tuple(y.shape[1:]) != tuple(out.shape[1:]):
        raise ValueError(f"`{name}` doit avoir la forme de la sortie du modèle, (N, "
                         f"{', '.join(map(str, out.shape[1:]))}) ; reçu : forme {tuple(y.shape)}")


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
    θ ← θ − lr · ∇θ perte (ou la règle d'Adam), puis mesure de la perte et de
    l'exactitude. Le modèle est laissé en mode évaluation. Les données sont copiées sur
    l'appareil (CPU, GPU) et dans le type de nombres (float32, float64) des paramètres du
    modèle. Voir le chapitre 5.
    """
    check.module("model", model)
    loss_fn = _LOSSES[check.choice("loss", loss, list(_LOSSES))]
    epochs = check.number("epochs", epochs, low=1, integer=True)
    lr = check.number("lr", lr, low=0, strict_low=True)
    batch_size = check.number("batch_size", batch_size, low=1, integer=True)
    weight_decay = check.number("weight_decay", weight_decay, low=0)
    make_optimizer = _OPTIMIZERS[check.choice("optimizer", optimizer, list(_OPTIMIZERS))]
    seed = check.number("seed", seed, low=0, integer=True)
    x, y, x_val, y_val = _prepared(model, x, y, x_val, y_val, loss)
    opt = make_optimizer(model.parameters(), lr=lr, weight_decay=weight_decay)
    generator = torch.Generator().manual_seed(seed)
    classify, history, start = loss == "cross_entropy", History(), time.perf_counter()
    for epoch in range(epochs):
        model.train()
        # Aléa du modèle (dropout…) tiré d'une graine propre : même ``seed``, même résultat,
        # sans toucher au générateur global de PyTorch.
        with torch.random.fork_rng(devices=[]):
            torch.default_generator.manual_seed(seed * 100_003 + epoch)
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
    """Classe prédite (indice du score maximal) pour chaque exemple de ``x``.

    ``x`` est placé sur l'appareil et dans le type de nombres du modèle ; le résultat, des
    entiers ``(N,)``, revient sur le CPU. Voir le chapitre 4.
    """
    check.module("model", model)
    data = to_model(model, x)
    was_training = model.training
    model.eval()
    try:
        return model(data).argmax(1).cpu()
    finally:
        model.train(was_training)


def accuracy(model, x, y) -> float:
    """Part des exemples de ``x`` dont la classe prédite est ``y`` (entre 0 et 1).

    Voir le chapitre 4.
    """
    _check_data(x, y, "x", "y")
    return float((predict(model, x) == y.detach().cpu()).double().mean())
