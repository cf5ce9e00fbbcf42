"""Tests de lib.data.shapes : formes synthétiques, masques de vérité terrain et marques."""

import numpy as np
import pytest
import torch

from lib.data import SHAPE_CLASSES, shapes

CORNER = 3  # côté de la marque
GAP = 1  # écart de la marque au bord


def _slices(size, corner):
    """Lignes et colonnes du coin ``corner`` (0 haut-gauche, 1 haut-droite, 2 bas-gauche…)."""
    far = size - GAP - CORNER
    top = far if corner >= 2 else GAP
    left = far if corner % 2 else GAP
    return slice(top, top + CORNER), slice(left, left + CORNER)


def corner_patch(images, corner: int):
    """Le carré 3×3 du coin ``corner`` de chaque image."""
    return images[:, 0, *_slices(images.shape[-1], corner)]


def test_shapes_types_and_bounds():
    images, labels, masks = shapes(40, size=32, seed=1)
    assert images.shape == (40, 1, 32, 32) and images.dtype == torch.float64
    assert labels.shape == (40,) and labels.dtype == torch.int64
    assert masks.shape == (40, 1, 32, 32) and masks.dtype == torch.bool
    assert images.min() >= 0 and images.max() <= 1
    assert set(labels.tolist()) <= set(range(len(SHAPE_CLASSES)))
    assert len(SHAPE_CLASSES) >= 3 and all(isinstance(c, str) for c in SHAPE_CLASSES)


@pytest.mark.parametrize("size", [24, 32, 48])
def test_masks_are_non_empty_and_match_the_object(size):
    images, _, masks = shapes(60, size=size, seed=2)
    area = masks.flatten(1).sum(1)
    assert (area >= 0.03 * size * size).all()
    for image, mask in zip(images[:, 0], masks[:, 0], strict=True):
        inside, outside = image[mask], image[~mask]
        # L'objet est uniforme (au bruit près) et plus clair que le fond en moyenne.
        assert inside.std() < 0.08
        assert inside.mean() > outside.mean() + 0.2
        assert inside.min() > 0.4


def test_masks_avoid_the_corners_reserved_for_marks():
    _, _, masks = shapes(200, size=24, seed=3)
    for corner in range(4):
        assert not corner_patch(masks, corner).any()


def test_same_seed_same_data_other_seed_other_data():
    first, second = shapes(30, seed=5), shapes(30, seed=5)
    for a, b in zip(first, second, strict=True):
        assert torch.equal(a, b)
    assert not torch.equal(first[0], shapes(30, seed=6)[0])


def test_classes_are_balanced():
    _, labels, _ = shapes(101, seed=0)
    counts = torch.bincount(labels, minlength=len(SHAPE_CLASSES))
    assert counts.max() - counts.min() <= 1


def test_class_mark_sits_in_the_corner_given_by_the_label():
    images, labels, masks = shapes(80, seed=4, mark="class")
    for corner in range(4):
        patch = corner_patch(images, corner)
        bright = (patch == 1.0).flatten(1).all(1)
        assert torch.equal(bright, labels == corner)


def test_random_mark_is_in_one_corner_unrelated_to_the_label():
    images, labels, _ = shapes(400, seed=4, mark="random")
    bright = torch.stack([(corner_patch(images, c) == 1.0).flatten(1).all(1) for c in range(4)], 1)
    assert (bright.sum(1) == 1).all()
    agreement = float((bright.int().argmax(1) == labels).float().mean())
    assert 0.15 < agreement < 0.35  # le hasard : environ une chance sur quatre


def test_mark_changes_only_the_corner_and_never_the_mask():
    plain, labels, masks = shapes(50, seed=7)
    marked, labels_m, masks_m = shapes(50, seed=7, mark="class")
    assert torch.equal(labels, labels_m) and torch.equal(masks, masks_m)
    changed = (plain != marked)[:, 0]
    assert changed.any()
    for corner in range(4):
        changed[:, *_slices(32, corner)] = False
    assert not changed.any()
    no_mark = torch.stack([(corner_patch(plain, c) == 1.0).flatten(1).all(1) for c in range(4)])
    assert not no_mark.any()


def test_a_pixel_classifier_without_the_object_is_at_chance():
    # Sans marque, la moyenne du fond hors de l'objet ne dit rien de la classe.
    images, labels, masks = shapes(400, seed=8)
    background = np.array([float(i[~m].mean()) for i, m in zip(images, masks, strict=True)])
    means = [background[labels.numpy() == k].mean() for k in range(4)]
    assert max(means) - min(means) < 0.02


@pytest.mark.parametrize(("kwargs", "error", "name"), [
    ({"n": 0}, ValueError, "n"),
    ({"n": 2.5}, TypeError, "n"),
    ({"n": 10, "size": 16}, ValueError, "size"),
    ({"n": 10, "size": "32"}, TypeError, "size"),
    ({"n": 10, "seed": -1}, ValueError, "seed"),
    ({"n": 10, "mark": "coin"}, ValueError, "mark"),
])
def test_bad_arguments(kwargs, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        shapes(**kwargs)
