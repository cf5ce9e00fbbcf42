"""Tests de lib.unsupervised : k-moyennes, affectation, pureté, comparaison, auto-encodeur."""

import numpy as np
import pytest
import torch
from sklearn.metrics import adjusted_rand_score
from torch import nn

from lib import unsupervised as U
from lib.models import Autoencoder


def _blobs(seed=0, n=30):
    """Trois nuages très séparés autour de (0, 0), (10, 0) et (0, 10), étiquettes 0, 1, 2."""
    rng = np.random.default_rng(seed)
    means = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    labels = np.repeat(np.arange(3), n)
    return means[labels] + 0.3 * rng.standard_normal((3 * n, 2)), labels, means


class _TinyAutoencoder(nn.Module):
    """Auto-encodeur construit à la main : code = x₁ + x₂, reconstruction = (code, 2·code)."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Linear(2, 1, bias=False).double()
        self.decoder = nn.Linear(1, 2, bias=False).double()
        self.encoder.weight.data = torch.tensor([[1.0, 1.0]], dtype=torch.float64)
        self.decoder.weight.data = torch.tensor([[1.0], [2.0]], dtype=torch.float64)

    def forward(self, x):
        return self.decoder(self.encoder(x))


# ---------------------------------------------------------------- k-moyennes et affectation

def test_kmeans_finds_separated_blobs_and_their_centres():
    x, labels, means = _blobs()
    result = U.kmeans(x, 3)
    assert result.groups.shape == (90,) and result.centers.shape == (3, 2) and result.k == 3
    assert adjusted_rand_score(labels, result.groups) == pytest.approx(1.0)
    for g in range(3):  # chaque centre est la moyenne de son groupe
        np.testing.assert_allclose(result.centers[g], x[result.groups == g].mean(axis=0),
                                   atol=1e-6)
        assert np.min(np.linalg.norm(means - result.centers[g], axis=1)) < 0.3
    inertia = sum(((x[result.groups == g] - result.centers[g]) ** 2).sum() for g in range(3))
    assert result.inertia == pytest.approx(inertia, rel=1e-6)
    np.testing.assert_array_equal(result.sizes, [30, 30, 30])


def test_kmeans_is_deterministic_accepts_tensors_and_keeps_its_input():
    x, _, _ = _blobs(seed=1)
    before = x.copy()
    first, second = U.kmeans(x, 4, seed=3), U.kmeans(torch.as_tensor(x), 4, seed=3)
    np.testing.assert_array_equal(first.groups, second.groups)
    np.testing.assert_allclose(first.centers, second.centers)
    np.testing.assert_array_equal(x, before)


def test_kmeans_with_one_group_per_point_has_zero_inertia():
    x = np.array([[0.0, 1.0], [2.0, 3.0], [5.0, -1.0]])
    result = U.kmeans(x, 3)
    assert result.inertia == pytest.approx(0.0, abs=1e-12)
    assert sorted(result.groups) == [0, 1, 2]


@pytest.mark.parametrize("kwargs, error, name", [
    ({"x": np.zeros(5), "k": 2}, ValueError, "x"),
    ({"x": "points", "k": 2}, TypeError, "x"),
    ({"x": np.zeros((0, 2)), "k": 1}, ValueError, "x"),
    ({"x": np.zeros((4, 2)), "k": 5}, ValueError, "k"),
    ({"x": np.zeros((4, 2)), "k": 0}, ValueError, "k"),
    ({"x": np.zeros((4, 2)), "k": 2.5}, TypeError, "k"),
    ({"x": np.zeros((4, 2)), "k": 2, "seed": -1}, ValueError, "seed"),
    ({"x": np.zeros((4, 2)), "k": 2, "n_init": 0}, ValueError, "n_init"),
])
def test_kmeans_rejects_bad_input(kwargs, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        U.kmeans(**kwargs)


def test_assign_matches_hand_computed_nearest_centre():
    x = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 4.0], [2.0, 1.0]])
    centers = np.array([[0.0, 0.0], [3.0, 1.0]])
    # distances² : (0, 10) ; (9, 1) ; (16, 18) ; (5, 1)
    np.testing.assert_array_equal(U.assign(x, centers), [0, 1, 0, 1])


def test_assign_reproduces_the_kmeans_groups_on_the_training_points():
    x, _, _ = _blobs(seed=2)
    result = U.kmeans(x, 5)
    np.testing.assert_array_equal(U.assign(x, result.centers), result.groups)


def test_assign_rejects_bad_input():
    with pytest.raises(ValueError, match="`centers`"):
        U.assign(np.zeros((3, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="`x`"):
        U.assign(np.zeros(3), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="`centers`"):
        U.assign(np.zeros((3, 2)), [[np.nan, 0.0]])


def test_representatives_are_the_points_nearest_each_centre():
    x = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [12.0, 0.0]])
    clustering = U.Clustering(np.array([0, 0, 1, 1]), np.array([[0.4, 0.0], [11.5, 0.0]]), 0.0)
    np.testing.assert_array_equal(U.representatives(x, clustering), [0, 3])
    xb, _, _ = _blobs(seed=4)
    result = U.kmeans(xb, 3)
    chosen = U.representatives(xb, result)
    np.testing.assert_array_equal(result.groups[chosen], [0, 1, 2])


def test_representatives_rejects_bad_input():
    with pytest.raises(TypeError, match="`clustering`"):
        U.representatives(np.zeros((3, 2)), np.zeros((2, 2)))
    clustering = U.Clustering(np.array([0, 1]), np.zeros((2, 3)), 0.0)
    with pytest.raises(ValueError, match="`x`"):
        U.representatives(np.zeros((2, 2)), clustering)


# ---------------------------------------------------------------- comparaison aux étiquettes

def test_contingency_counts_by_hand():
    groups = [0, 0, 0, 1, 1, 2]
    labels = [1, 1, 2, 2, 2, 0]
    expected = np.array([[0, 2, 1], [0, 0, 2], [1, 0, 0]])
    np.testing.assert_array_equal(U.contingency(groups, labels), expected)
    wide = U.contingency(torch.tensor(groups), np.array(labels), n_groups=4, n_labels=5)
    assert wide.shape == (4, 5) and wide.sum() == 6
    np.testing.assert_array_equal(wide[:3, :3], expected)


def test_purity_by_hand_and_against_a_loop():
    assert U.purity([0, 0, 0, 1, 1], [1, 1, 2, 2, 2]) == pytest.approx(4 / 5)
    rng = np.random.default_rng(0)
    groups, labels = rng.integers(0, 6, 200), rng.integers(0, 10, 200)
    reference = sum(max(np.sum((groups == g) & (labels == c)) for c in range(10))
                    for g in range(6)) / 200
    assert U.purity(groups, labels) == pytest.approx(reference)


def test_purity_invariants():
    labels = np.array([3, 1, 4, 1, 5, 9, 2, 6])
    assert U.purity(np.arange(8), labels) == 1.0  # un groupe par exemple
    assert U.purity(np.zeros(8, dtype=int), labels) == pytest.approx(2 / 8)  # un seul groupe
    groups = np.array([0, 1, 0, 1, 2, 2, 0, 1])
    renamed = np.array([2, 0, 1])[groups]  # mêmes groupes, autres noms
    assert U.purity(renamed, labels) == pytest.approx(U.purity(groups, labels))


def test_compare_agrees_with_scikit_learn_and_names_the_majority():
    rng = np.random.default_rng(1)
    groups, labels = rng.integers(0, 4, 100), rng.integers(0, 3, 100)
    result = U.compare(groups, labels, n_groups=5)
    assert result.ari == pytest.approx(adjusted_rand_score(labels, groups))
    assert result.purity == pytest.approx(U.purity(groups, labels))
    assert result.table.shape == (5, 3)
    np.testing.assert_array_equal(result.majority[:4], result.table[:4].argmax(axis=1))
    assert result.majority[4] == -1  # groupe vide


def test_compare_renamed_identical_partition_is_perfect():
    labels = np.array([0, 0, 1, 1, 2, 2])
    result = U.compare(np.array([2, 2, 0, 0, 1, 1]), labels)
    assert result.ari == pytest.approx(1.0) and result.purity == 1.0
    np.testing.assert_array_equal(result.majority, [1, 2, 0])


@pytest.mark.parametrize("function", [U.contingency, U.purity, U.compare])
def test_comparisons_reject_bad_labels(function):
    with pytest.raises(ValueError, match="`labels`"):
        function([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="`groups`"):
        function([0, -1], [0, 1])
    with pytest.raises(ValueError, match="`labels`"):
        function([0, 1], [0.5, 1])
    with pytest.raises(ValueError, match="`groups`"):
        function([[0, 1]], [0, 1])
    with pytest.raises(ValueError, match="`groups`"):
        function([], [])


def test_contingency_rejects_too_few_rows_or_columns():
    with pytest.raises(ValueError, match="`n_groups`"):
        U.contingency([0, 2], [0, 1], n_groups=2)
    with pytest.raises(ValueError, match="`n_labels`"):
        U.contingency([0, 2], [0, 1], n_labels=1)


# ---------------------------------------------------------------- auto-encodeur

def test_encode_and_reconstruct_by_hand():
    model = _TinyAutoencoder()
    x = torch.tensor([[1.0, 2.0], [-1.0, 0.5]], dtype=torch.float64)
    np.testing.assert_allclose(U.encode(model, x), [[3.0], [-0.5]])
    np.testing.assert_allclose(U.reconstruct(model, x), [[3.0, 6.0], [-0.5, -1.0]])


def test_encode_restores_training_mode_and_leaves_no_gradient():
    model = _TinyAutoencoder()
    model.train()
    U.encode(model, torch.ones(3, 2, dtype=torch.float64))
    assert model.training
    model.eval()
    U.reconstruct(model, torch.ones(3, 2, dtype=torch.float64))
    assert not model.training
    assert all(p.grad is None for p in model.parameters())


@pytest.mark.parametrize("function", [U.encode, U.reconstruct])
def test_encode_and_reconstruct_reject_bad_input(function):
    with pytest.raises(TypeError, match="`model`"):
        function(nn.Linear(2, 2), torch.ones(3, 2))
    with pytest.raises(TypeError, match="`model`"):
        function("modèle", torch.ones(3, 2))
    with pytest.raises(TypeError, match="`x`"):
        function(_TinyAutoencoder(), np.ones((3, 2)))
    with pytest.raises(ValueError, match="`x`"):
        function(_TinyAutoencoder(), torch.ones(3, 2, 1, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"`x` doit convenir au modèle ; reçu : forme \(3, 5\)"):
        function(_TinyAutoencoder(), torch.ones(3, 5, dtype=torch.float64))
    with pytest.raises(ValueError, match="`x` doit avoir 4 colonnes, les entrées du modèle"):
        function(Autoencoder(4, 2), torch.ones(3, 5, dtype=torch.float64))


def test_autoencoder_report_by_hand():
    model = _TinyAutoencoder()
    x = torch.tensor([[1.0, 2.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], dtype=torch.float64)
    labels = [0, 0, 1, 1]
    report = U.autoencoder_report(model, x, labels, k=2, n_examples=2)
    rebuilt = np.array([[3.0, 6.0], [0.0, 0.0], [1.0, 2.0], [1.0, 2.0]])
    mse = np.mean((rebuilt - x.numpy()) ** 2)
    variance = np.mean((x.numpy() - x.numpy().mean(axis=0)) ** 2)
    assert report.code_size == 1
    assert report.mse == pytest.approx(mse)
    assert report.r2 == pytest.approx(1 - mse / variance)
    np.testing.assert_allclose(report.originals, x.numpy()[:2])
    np.testing.assert_allclose(report.reconstructions, rebuilt[:2])
    # codes 3, 0, 1, 1 : deux groupes {3} et {0, 1, 1}
    assert report.comparison.table.sum() == 4 and report.comparison.table.shape == (2, 2)
    assert report.comparison.purity == pytest.approx(3 / 4)


def test_autoencoder_report_rejects_bad_input():
    x = torch.ones(4, 2, dtype=torch.float64)
    with pytest.raises(ValueError, match="`labels`"):
        U.autoencoder_report(_TinyAutoencoder(), x, [0, 1])
    with pytest.raises(ValueError, match="`n_examples`"):
        U.autoencoder_report(_TinyAutoencoder(), x, [0, 1, 0, 1], k=2, n_examples=5)
    with pytest.raises(ValueError, match="`k`"):
        U.autoencoder_report(_TinyAutoencoder(), x, [0, 1, 0, 1], k=5, n_examples=2)


def test_kmeans_report_keeps_empty_rows_and_labels_unused_by_the_clustering():
    x, labels, _ = _blobs(seed=5)
    report = U.kmeans_report(x, labels, 3)
    clustering = U.kmeans(x, 3)  # mêmes groupes : les étiquettes n'interviennent pas
    np.testing.assert_array_equal(report.clustering.groups, clustering.groups)
    assert report.comparison.table.shape == (3, 3)
    assert report.comparison.ari == pytest.approx(1.0)
    with pytest.raises(ValueError, match="`labels`"):
        U.kmeans_report(x, labels[:-1], 3)


def test_propagate_gives_each_example_the_label_of_its_group():
    out = U.propagate([2, 0, 2, 1], [7, 1, 4])
    assert out.tolist() == [4, 7, 4, 1] and out.dtype == np.int64
    with pytest.raises(ValueError, match="`group_labels`"):
        U.propagate([3], [0, 1])
