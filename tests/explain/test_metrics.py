"""Tests de lib.explain.metrics : jeu du pointage, énergie dans le masque, corrélation de rang,
complétude, randomisation en cascade (tests de cohérence)."""

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr
from torch import nn

from lib.explain import (
    completeness_error,
    energy_in_mask,
    integrated_gradients,
    pointing_game,
    randomizable_layers,
    randomize_layers,
    rank_correlation,
)
from tests.explain._models import cnn, images

F64 = {"dtype": torch.float64}


def _masks():
    """Deux masques 3×3 : le coin haut-gauche 2×2, puis la colonne de droite."""
    masks = torch.zeros(2, 1, 3, 3, dtype=torch.bool)
    masks[0, 0, :2, :2] = True
    masks[1, 0, :, 2] = True
    return masks


def test_pointing_game_hits_and_misses():
    maps = torch.zeros(2, 1, 3, 3, **F64)
    maps[0, 0, 1, 1] = 5.0  # maximum dans le coin haut-gauche : réussite
    maps[1, 0, 0, 0] = 5.0  # maximum hors de la colonne de droite : échec
    torch.testing.assert_close(pointing_game(maps, _masks()), torch.tensor([True, False]))
    # Même résultat pour des lots (N, H, W) et des masques 0/1 en float.
    assert pointing_game(maps[:, 0], _masks()[:, 0].double()).tolist() == [True, False]


def test_pointing_game_ties_require_every_maximum_inside():
    maps = torch.zeros(3, 1, 3, 3, **F64)
    maps[0, 0, 0, 0] = maps[0, 0, 1, 1] = 2.0  # deux maxima, tous deux dans le masque
    maps[1, 0, 0, 2] = maps[1, 0, 0, 0] = 2.0  # deux maxima, un seul dans le masque
    masks = _masks()[[0, 1, 0]]
    # Carte 3 nulle (Grad-CAM n'a rien trouvé) : pas de réussite.
    assert pointing_game(maps, masks).tolist() == [True, False, False]
    assert float(pointing_game(maps, masks).float().mean()) == pytest.approx(1 / 3)


def test_energy_in_mask_by_hand():
    maps = torch.tensor([[[[1.0, 2.0, 0.0], [3.0, -4.0, 0.0], [0.0, 0.0, 0.0]]],
                         [[[-1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, -2.0]]]], **F64)
    # Image 1 : énergie positive 1 + 2 + 3 = 6 (le −4 ne compte pas) ; le masque (coin 2×2
    # privé du pixel qui vaut 3) en contient 1 + 2 = 3, soit 0,5.
    # Image 2 : aucune valeur positive, part nulle par convention.
    masks = _masks()
    masks[0, 0, 1, 0] = False
    got = energy_in_mask(maps, masks)
    torch.testing.assert_close(got, torch.tensor([0.5, 0.0], **F64))


def test_rank_correlation_matches_scipy_with_ties():
    generator = torch.Generator().manual_seed(0)
    a = torch.randint(0, 4, (3, 1, 5, 5), generator=generator).double()  # beaucoup d'égalités
    b = a + torch.randn(3, 1, 5, 5, generator=generator, **F64)
    got = rank_correlation(a, b)
    expected = [spearmanr(a[i].flatten(), b[i].flatten()).statistic for i in range(3)]
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(rank_correlation(a, a).numpy(), 1.0)
    np.testing.assert_allclose(rank_correlation(a, -a).numpy(), -1.0)
    assert got.dtype == torch.float64


def test_rank_correlation_absolute_and_constant_maps():
    a = torch.tensor([[1.0, -2.0, 3.0, -4.0]], **F64)
    b = torch.tensor([[1.0, 2.0, 3.0, 4.0]], **F64)
    assert float(rank_correlation(a, b, absolute=True)) == pytest.approx(1.0)
    assert float(rank_correlation(a, b)) == pytest.approx(
        spearmanr(a[0], b[0]).statistic)
    assert float(rank_correlation(torch.zeros(1, 4, **F64), b)) == 0.0


def test_completeness_error_is_zero_for_exact_attributions():
    model = nn.Linear(3, 2).double()
    x = torch.tensor([[1.0, 2.0, -1.0]], **F64)
    exact = integrated_gradients(model, x, 1, steps=1)  # exact pour un modèle linéaire
    assert float(completeness_error(model, x, 1, exact)) == pytest.approx(0.0, abs=1e-12)
    with torch.no_grad():
        gap = float(model(x)[0, 1] - model(torch.zeros_like(x))[0, 1])
    doubled = completeness_error(model, x, 1, 2 * exact)
    assert float(doubled) == pytest.approx(1.0)  # Σ = 2Δ : écart relatif 100 %
    baseline = torch.ones(3, **F64)
    shifted = integrated_gradients(model, x, 1, baseline=baseline, steps=1)
    assert float(completeness_error(model, x, 1, shifted, baseline=baseline)) == pytest.approx(
        0.0, abs=1e-12)
    assert gap != 0


def test_randomizable_layers_are_listed_top_down():
    assert randomizable_layers(cnn()) == ["7", "3", "0"]


def test_randomize_layers_cascades_from_the_top_and_leaves_the_original_intact():
    model = cnn()
    original = {k: v.clone() for k, v in model.state_dict().items()}
    state = torch.random.get_rng_state()
    one, two = randomize_layers(model, 1, seed=5), randomize_layers(model, 2, seed=5)
    assert torch.equal(torch.random.get_rng_state(), state)
    for key, value in model.state_dict().items():
        assert torch.equal(value, original[key])
    assert not torch.equal(one[7].weight, model[7].weight)
    assert torch.equal(one[3].weight, model[3].weight) and torch.equal(one[0].bias, model[0].bias)
    assert not torch.equal(two[3].weight, model[3].weight)
    assert torch.equal(two[0].weight, model[0].weight)
    assert one[7].weight.dtype == torch.float64
    torch.testing.assert_close(randomize_layers(model, 1, seed=5)[7].weight, one[7].weight)
    assert not torch.equal(randomize_layers(model, 1, seed=6)[7].weight, one[7].weight)
    zero = randomize_layers(model, 0)
    assert zero is not model and torch.equal(zero[0].weight, model[0].weight)


def test_randomize_layers_without_reset_parameters():
    class Scale(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(torch.ones(3))

        def forward(self, x):
            return x * self.scale

    model = nn.Sequential(nn.Linear(3, 3), Scale())
    copy = randomize_layers(model, 1)
    assert not torch.equal(copy[1].scale, model[1].scale)
    assert float(copy[1].scale.detach().abs().max()) < 0.1  # N(0, 0,01²)


def test_metrics_bad_inputs():
    maps, masks = torch.rand(2, 1, 3, 3), _masks()
    for metric in (pointing_game, energy_in_mask):
        with pytest.raises(ValueError, match="`masks` doit avoir la forme"):
            metric(maps, masks[:, :, :2])
        with pytest.raises(TypeError, match="`maps` doit être un torch.Tensor"):
            metric(maps.numpy(), masks)
        with pytest.raises(ValueError, match="`maps` doit avoir 3 ou 4 dimensions"):
            metric(maps[0, 0], masks[0, 0])
        with pytest.raises(TypeError, match="`maps` doit contenir des nombres réels"):
            metric(maps.long(), masks)
        with pytest.raises(ValueError, match="`masks` doit être booléen"):
            metric(maps, masks.double() * 0.5)
    with pytest.raises(ValueError, match="`b` doit avoir la forme de `a`"):
        rank_correlation(maps, maps[:1])
    with pytest.raises(TypeError, match="`a` doit être un torch.Tensor"):
        rank_correlation(maps.numpy(), maps)
    with pytest.raises(TypeError, match="`a` et `b` doivent contenir des nombres réels"):
        rank_correlation(maps.long(), maps.long())
    with pytest.raises(ValueError, match="`absolute`"):
        rank_correlation(maps, maps, absolute="oui")
    model, x = cnn(), images(2)
    with pytest.raises(ValueError, match="`attributions` doit avoir la forme de x"):
        completeness_error(model, x, 0, x[:1])
    with pytest.raises(ValueError, match="`count` doit être ≤ 3"):
        randomize_layers(model, 4)
    with pytest.raises(ValueError, match="`count`"):
        randomize_layers(model, -1)
    with pytest.raises(TypeError, match="`model`"):
        randomize_layers("modèle", 1)
    with pytest.raises(ValueError, match="`seed`"):
        randomize_layers(model, 1, seed=-2)
