"""Scènes composées à partir des formes synthétiques : deux objets de la même classe par image.

Grad-CAM et Grad-CAM++ se ressemblent souvent sur une image à un seul objet ; l'article de
Grad-CAM++ les distingue sur des images qui contiennent plusieurs objets de la même classe.
Ce module fabrique de telles images, avec le masque de chaque objet. Voir le chapitre 8.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lib import _validation as check

__all__ = ["two_objects"]


def _check_dataset(images, labels, masks) -> None:
    check.tensor("images", images, ndim=4)
    check.tensor("labels", labels, ndim=1)
    check.tensor("masks", masks, ndim=4)
    if masks.dtype != torch.bool:
        raise TypeError(f"`masks` doit être un tenseur booléen ; reçu : type {masks.dtype}")
    if tuple(masks.shape) != (images.shape[0], 1, *images.shape[2:]):
        raise ValueError(f"`masks` doit avoir la forme {(images.shape[0], 1, *images.shape[2:])}"
                         f" ; reçu : forme {tuple(masks.shape)}")
    if len(labels) != len(images):
        raise ValueError(f"`labels` doit contenir {len(images)} étiquettes, une par image ; "
                         f"reçu : {len(labels)}")


def _dilate(mask: torch.Tensor, gap: int) -> torch.Tensor:
    """Élargit un masque booléen (N, 1, H, W) de ``gap`` pixels dans toutes les directions."""
    if gap == 0:
        return mask
    return F.max_pool2d(mask.float(), 2 * gap + 1, stride=1, padding=gap) > 0


def two_objects(images, labels, masks, target: int, *, count: int = 1, gap: int = 2):
    """Images à deux objets de la classe ``target`` : l'objet de l'image j est collé dans l'image i.

    On parcourt les paires (i, j), i < j, d'images de la classe ``target`` (dans l'ordre) et
    on garde les ``count`` premières dont les objets, élargis de ``gap`` pixels, ne se
    touchent pas ; la nouvelle image vaut x_j sur le masque de l'objet j et x_i ailleurs.
    Chaque image sert au plus une fois. Renvoie ``(x, object_masks)`` : ``(count, C, H, W)``
    et ``(count, 2, H, W)`` booléen (canal 0 : objet de i, canal 1 : objet de j).
    Voir le chapitre 8.
    """
    _check_dataset(images, labels, masks)
    target = check.number("target", target, low=0, integer=True)
    count = check.number("count", count, low=1, integer=True)
    gap = check.number("gap", gap, low=0, integer=True)
    chosen = (labels == target).nonzero().flatten().tolist()
    wide = _dilate(masks, gap)
    used, pairs = set(), []
    for a, i in enumerate(chosen):
        if len(pairs) == count:
            break
        for j in chosen[a + 1:]:
            if len(pairs) == count:
                break
            if i in used or j in used or bool((wide[i] & wide[j]).any()):
                continue
            pairs.append((i, j))
            used.update((i, j))
    if len(pairs) < count:
        raise ValueError(f"`count` doit être ≤ {len(pairs)} : seules {len(pairs)} paires "
                         f"d'objets disjoints de la classe {target} ; reçu : {count}")
    first, second = (torch.tensor(k) for k in zip(*pairs, strict=True))
    x = torch.where(masks[second], images[second], images[first]).detach().clone()
    object_masks = torch.cat([masks[first], masks[second]], dim=1)
    return x, object_masks
