"""Petits modèles et aides communs aux tests de lib.explain."""

import torch
from torch import nn


def cnn(seed: int = 0, *, channels: int = 1, size: int = 8, inplace: bool = False,
        classes: int = 3, widths=(4, 8)) -> nn.Sequential:
    """Petit CNN ReLU / max-pooling en float64 : conv → ReLU → pool → conv → ReLU → pool → fc.

    Les couches s'appellent "0" (conv1), "3" (conv2), "7" (fc) dans ``named_modules()``.
    """
    torch.manual_seed(seed)
    first, second = widths
    return nn.Sequential(
        nn.Conv2d(channels, first, 3, padding=1), nn.ReLU(inplace=inplace), nn.MaxPool2d(2),
        nn.Conv2d(first, second, 3, padding=1), nn.ReLU(inplace=inplace), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(second * (size // 4) ** 2, classes),
    ).double()


def images(n: int = 3, *, channels: int = 1, size: int = 8, seed: int = 1) -> torch.Tensor:
    """Lot d'images aléatoires (N, C, H, W) en float64 dans [0, 1]."""
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(n, channels, size, size, generator=generator, dtype=torch.float64)


class Boom(nn.Module):
    """Couche qui lève une erreur quand ``armed`` est vrai (pour tester le nettoyage)."""

    def __init__(self):
        super().__init__()
        self.armed = True

    def forward(self, x):
        if self.armed:
            raise RuntimeError("panne simulée au milieu du passage avant")
        return x


def mixed_state_model() -> nn.Sequential:
    """Modèle avec BatchNorm et Dropout, modes mélangés, gradients et crochets déjà posés."""
    torch.manual_seed(3)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Dropout(0.5),
        nn.Conv2d(4, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 8 * 8, 3),
    ).double()
    model.train()
    model[3].eval()  # Dropout en évaluation, le reste en entraînement
    model[0].weight.requires_grad_(False)
    model[4].weight.grad = torch.full_like(model[4].weight, 0.5)  # gradient déjà présent
    model[7].register_forward_hook(lambda module, inputs, output: None)
    model[1].running_mean.add_(0.1)
    return model


def snapshot(model: nn.Module) -> dict:
    """Tout l'état observable du modèle : modes, requires_grad, .grad, crochets, tampons."""
    hooks = ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks", "_backward_pre_hooks",
             "_forward_hooks_with_kwargs", "_forward_pre_hooks_with_kwargs")
    return {
        "modes": [m.training for m in model.modules()],
        "requires_grad": [p.requires_grad for p in model.parameters()],
        "grads": [(p.grad, None if p.grad is None else p.grad.clone())
                  for p in model.parameters()],
        "hooks": [[list(getattr(m, h, {}).keys()) for h in hooks] for m in model.modules()],
        "state": {k: v.clone() for k, v in model.state_dict().items()},
    }


def assert_same_state(before: dict, model: nn.Module) -> None:
    after = snapshot(model)
    assert after["modes"] == before["modes"]
    assert after["requires_grad"] == before["requires_grad"]
    for (grad_before, value_before), (grad_after, _) in zip(before["grads"], after["grads"],
                                                            strict=True):
        assert grad_after is grad_before  # même objet (ou None)
        if grad_before is not None:
            torch.testing.assert_close(grad_after, value_before, rtol=0, atol=0)
    assert after["hooks"] == before["hooks"]
    for key, value in before["state"].items():
        torch.testing.assert_close(after["state"][key], value, rtol=0, atol=0)
