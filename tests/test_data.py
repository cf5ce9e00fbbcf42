"""Tests de lib.data : portes logiques, nuages du plan, chiffres manuscrits, photos."""

import numpy as np
import pytest
import torch

from lib import data

TRUTH = {"et": [0, 0, 0, 1], "ou": [0, 1, 1, 1], "ou exclusif": [0, 1, 1, 0]}


# --- logic_gate -------------------------------------------------------------------------

@pytest.mark.parametrize("gate", list(TRUTH))
def test_logic_gate_truth_tables(gate):
    x, y = data.logic_gate(gate)
    np.testing.assert_array_equal(x, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, TRUTH[gate])
    assert x.dtype == np.float64 and y.dtype == np.int64


def test_logic_gate_truth_tables_follow_boolean_logic():
    x, _ = data.logic_gate("et")
    a, b = x[:, 0].astype(bool), x[:, 1].astype(bool)
    np.testing.assert_array_equal(data.logic_gate("et")[1], a & b)
    np.testing.assert_array_equal(data.logic_gate("ou")[1], a | b)
    np.testing.assert_array_equal(data.logic_gate("ou exclusif")[1], a ^ b)


def test_logic_gate_returns_fresh_arrays():
    x, _ = data.logic_gate("et")
    x[:] = 7.0
    assert data.logic_gate("et")[0].max() == 1.0


def test_logic_gate_bad_name():
    with pytest.raises(ValueError, match="`gate`"):
        data.logic_gate("xor")


# --- points_2d --------------------------------------------------------------------------

def test_points_2d_shapes_and_balanced_corners():
    x, y = data.points_2d("ou", n=41)
    assert x.shape == (41, 2) and y.shape == (41,)
    corners = np.round(data.points_2d("ou", n=41, noise=0.0)[0])
    _, counts = np.unique(corners, axis=0, return_counts=True)
    assert sorted(counts) == [10, 10, 10, 11]


@pytest.mark.parametrize("gate", list(TRUTH))
def test_points_2d_labels_follow_their_corner(gate):
    x, y = data.points_2d(gate, n=40, noise=0.0, seed=3)
    corner = (2 * x[:, 0] + x[:, 1]).astype(int)  # (0,0)→0, (0,1)→1, (1,0)→2, (1,1)→3
    np.testing.assert_array_equal(y, np.array(TRUTH[gate])[corner])


def test_points_2d_noise_has_the_requested_spread():
    x, _ = data.points_2d("et", n=4000, noise=0.2, seed=1)
    offsets = x - np.round(x)
    assert offsets.std() == pytest.approx(0.2, rel=0.05)
    assert abs(offsets.mean()) < 0.02


def test_points_2d_is_deterministic():
    a, b = data.points_2d("et", seed=5), data.points_2d("et", seed=5)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], data.points_2d("et", seed=6)[0])


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"gate": "non"}, ValueError, "gate"),
        ({"n": 3}, ValueError, "n"),
        ({"n": 10.0}, TypeError, "n"),
        ({"noise": -0.1}, ValueError, "noise"),
        ({"noise": "fort"}, TypeError, "noise"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
    ],
)
def test_points_2d_bad_inputs(kwargs, error, name):
    kwargs = {"gate": "et", **kwargs}
    with pytest.raises(error, match=f"`{name}`"):
        data.points_2d(**kwargs)


# --- digits -----------------------------------------------------------------------------

def test_digits_images_and_split():
    split = data.digits()
    assert split.x_train.shape[1:] == (1, 8, 8)
    assert len(split.x_train) + len(split.x_test) == 1797
    assert len(split.x_test) == pytest.approx(0.25 * 1797, abs=1)
    assert split.x_train.dtype == torch.float64 and split.y_train.dtype == torch.int64
    assert 0.0 <= float(split.x_train.min()) and float(split.x_train.max()) <= 1.0
    assert float(split.x_train.max()) == 1.0
    assert split.classes == tuple("0123456789")


def test_digits_flat_and_stratified():
    split = data.digits(test_size=0.5, images=False)
    assert split.x_train.shape[1] == 64
    train = torch.bincount(split.y_train, minlength=10).float()
    test = torch.bincount(split.y_test, minlength=10).float()
    assert torch.all((train - test).abs() <= 1)  # stratifié : mêmes effectifs à 1 près


def test_digits_matches_scikit_learn():
    from sklearn.datasets import load_digits

    split = data.digits(images=False)
    bunch = load_digits()
    row = split.x_train[0].numpy().astype(np.float64) * 16
    matches = np.flatnonzero(np.all(np.isclose(bunch.data, row), axis=1))
    assert int(split.y_train[0]) in bunch.target[matches]


def test_digits_is_deterministic():
    a, b, c = data.digits(seed=1), data.digits(seed=1), data.digits(seed=2)
    assert torch.equal(a.x_test, b.x_test) and torch.equal(a.y_test, b.y_test)
    assert not torch.equal(a.y_test, c.y_test)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"test_size": 0.0}, ValueError, "test_size"),
        ({"test_size": 0.95}, ValueError, "test_size"),
        ({"test_size": "0.2"}, TypeError, "test_size"),
        ({"seed": -2}, ValueError, "seed"),
    ],
)
def test_digits_bad_inputs(kwargs, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        data.digits(**kwargs)


# --- photo ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["china", "flower"])
def test_photo_is_square_gray_in_unit_range(name):
    image = data.photo(name, size=64)
    assert image.shape == (64, 64) and image.dtype == np.float64
    assert 0.0 <= image.min() < image.max() <= 1.0


def test_photo_full_size_is_the_central_square():
    image = data.photo("china", size=None)
    assert image.shape == (427, 427)  # photo d'origine 427 × 640


def test_photo_is_deterministic_and_names_differ():
    np.testing.assert_array_equal(data.photo("china", 32), data.photo("china", 32))
    assert not np.allclose(data.photo("china", 32), data.photo("flower", 32))


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"name": "paris"}, ValueError, "name"),
        ({"size": 4}, ValueError, "size"),
        ({"size": 1000}, ValueError, "size"),
        ({"size": 32.0}, TypeError, "size"),
    ],
)
def test_photo_bad_inputs(kwargs, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        data.photo(**kwargs)


def test_mark_corners_finds_where_shapes_put_the_mark():
    from lib.data import mark_corners, shapes

    x, y, _ = shapes(200, seed=3, mark="class")
    assert torch.equal(mark_corners(x), y)  # marque dans le coin de la classe
    x, _, _ = shapes(200, seed=3, mark="random")
    corners = mark_corners(x)
    assert set(corners.tolist()) == {0, 1, 2, 3}
    x, _, _ = shapes(50, seed=3)
    assert (mark_corners(x) == -1).all()
