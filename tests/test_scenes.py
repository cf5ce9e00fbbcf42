"""Tests de lib.scenes : images à deux objets de la même classe."""

import pytest
import torch

from lib.data import shapes
from lib.scenes import two_objects


def _hand_made():
    """Trois images 1×8×8 de classe 0 (et une de classe 1) aux objets placés à la main."""
    images = torch.stack([torch.full((1, 8, 8), float(k)) for k in range(4)])
    masks = torch.zeros(4, 1, 8, 8, dtype=torch.bool)
    masks[0, 0, 0:2, 0:2] = True  # en haut à gauche
    masks[1, 0, 1:3, 1:3] = True  # chevauche l'objet 0
    masks[2, 0, 5:7, 5:7] = True  # en bas à droite, loin de l'objet 0
    masks[3, 0, 5:7, 0:2] = True  # classe 1
    labels = torch.tensor([0, 0, 0, 1])
    return images, labels, masks


def test_pairs_disjoint_objects_and_pastes_the_second():
    images, labels, masks = _hand_made()
    x, object_masks = two_objects(images, labels, masks, 0, gap=1)
    assert x.shape == (1, 1, 8, 8) and object_masks.shape == (1, 2, 8, 8)
    expected = torch.zeros(1, 8, 8)  # fond et objet de l'image 0
    expected[0, 5:7, 5:7] = 2.0  # objet collé de l'image 2
    torch.testing.assert_close(x[0], expected)
    assert torch.equal(object_masks[0, 0], masks[0, 0])
    assert torch.equal(object_masks[0, 1], masks[2, 0])


def test_gap_rejects_objects_that_are_too_close():
    images, labels, masks = _hand_made()
    # Écart de 3 pixels entre les objets 0 et 2 : un élargissement de 2 les fait se toucher.
    with pytest.raises(ValueError, match="count"):
        two_objects(images, labels, masks, 0, gap=2)
    with pytest.raises(ValueError, match="count"):
        two_objects(images, labels, masks, 0, count=2, gap=0)


def test_on_shapes_objects_are_disjoint_same_class_and_inputs_kept():
    images, labels, masks = shapes(400, seed=0)
    before = images.clone()
    x, object_masks = two_objects(images, labels, masks, 3, count=4, gap=2)
    assert x.shape == (4, 1, 32, 32)
    assert not bool((object_masks[:, 0] & object_masks[:, 1]).any())
    assert bool(object_masks.flatten(2).any(2).all())  # deux objets non vides par image
    torch.testing.assert_close(images, before)
    again, _ = two_objects(images, labels, masks, 3, count=4, gap=2)
    torch.testing.assert_close(x, again)


@pytest.mark.parametrize(
    ("change", "error", "name"),
    [
        (lambda i, y, m: (i[0], y, m), ValueError, "images"),
        (lambda i, y, m: (i, y[:2], m), ValueError, "labels"),
        (lambda i, y, m: (i, y, m.float()), TypeError, "masks"),
        (lambda i, y, m: (i, y, m[:, :, :4]), ValueError, "masks"),
        (lambda i, y, m: (i.numpy(), y, m), TypeError, "images"),
    ],
)
def test_bad_datasets_name_the_parameter(change, error, name):
    args = change(*_hand_made())
    with pytest.raises(error, match=name):
        two_objects(*args, 0, gap=0)


@pytest.mark.parametrize(
    ("options", "error", "name"),
    [({"target": -1}, ValueError, "target"), ({"target": 0.5}, TypeError, "target"),
     ({"target": 0, "count": 0}, ValueError, "count"),
     ({"target": 0, "gap": -1}, ValueError, "gap")],
)
def test_bad_options_name_the_parameter(options, error, name):
    with pytest.raises(error, match=name):
        two_objects(*_hand_made(), **options)
