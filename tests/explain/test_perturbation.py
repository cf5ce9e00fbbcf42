"""Tests de lib.explain.perturbation (perturbations significatives, masques aléatoires), de
l'occlusion publique et des courbes de suppression et d'insertion de lib.explain.metrics."""

import numpy as np
import pytest
import torch
from scipy import ndimage
from torch import nn

from lib import explain
from lib.explain.metrics import curve_area, deletion_curve, insertion_curve
from lib.explain.occlusions import class_probability, occlusion
from lib.explain.perturbation import blur, meaningful_perturbation, perturb, random_masks
from tests.explain._models import Boom, assert_same_state, cnn, images, mixed_state_model, snapshot


class RegionModel(nn.Module):
    """Score de la classe 1 = 40 × (moyenne des pixels de la région R − 0,5), classe 0 : 0.

    La région R (lignes 8–15, colonnes 16–23 d'une image 32×32) décide seule de la classe.
    """

    ROWS, COLS = slice(8, 16), slice(16, 24)

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.tensor(40.0, dtype=torch.float64))

    def forward(self, x):
        inside = x[:, 0, self.ROWS, self.COLS].mean(dim=(1, 2))
        s = self.scale * (inside - 0.5)
        return torch.stack([torch.zeros_like(s), s], dim=1)


def _region_image():
    x = torch.zeros(1, 1, 32, 32, dtype=torch.float64)
    x[:, :, 4:28, 4:28] = 0.3  # un fond qui ne compte pas
    x[:, :, RegionModel.ROWS, RegionModel.COLS] = 1.0
    return x


@pytest.fixture
def float64_default():
    """captum accumule dans le type par défaut : float64 le temps du test."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


def test_occlusion_is_public_and_equals_captum(float64_default):
    captum = pytest.importorskip("captum.attr")
    model, x = cnn(size=16), images(2, size=16)
    ours = explain.occlusion(model, x, [0, 2], size=4, stride=4, value=0.1)
    assert explain.occlusion is occlusion
    # captum moyenne, en chaque pixel, les baisses de toutes les fenêtres qui le couvrent
    spread = torch.zeros(2, 1, 16, 16, dtype=torch.float64)
    count = torch.zeros(1, 1, 16, 16, dtype=torch.float64)
    for i in range(ours.shape[2]):
        for j in range(ours.shape[3]):
            spread[:, :, 4 * i:4 * i + 4, 4 * j:4 * j + 4] += ours[:, :, i:i + 1, j:j + 1]
            count[:, :, 4 * i:4 * i + 4, 4 * j:4 * j + 4] += 1
    reference = captum.Occlusion(lambda a: torch.softmax(model(a), 1)).attribute(
        x, sliding_window_shapes=(1, 4, 4), strides=(1, 4, 4), baselines=0.1,
        target=torch.tensor([0, 2]))
    torch.testing.assert_close(spread / count, reference, rtol=0, atol=1e-8)  # captum : float32


def test_occlusion_with_overlapping_windows_equals_captum(float64_default):
    captum = pytest.importorskip("captum.attr")
    model, x = cnn(size=8), images(1, size=8)
    ours = occlusion(model, x, 1, size=4, stride=2)
    spread = torch.zeros(1, 1, 8, 8, dtype=torch.float64)
    count = torch.zeros(1, 1, 8, 8, dtype=torch.float64)
    for i in range(3):
        for j in range(3):
            spread[..., 2 * i:2 * i + 4, 2 * j:2 * j + 4] += ours[..., i:i + 1, j:j + 1]
            count[..., 2 * i:2 * i + 4, 2 * j:2 * j + 4] += 1
    reference = captum.Occlusion(lambda a: torch.softmax(model(a), 1)).attribute(
        x, sliding_window_shapes=(1, 4, 4), strides=(1, 2, 2), baselines=0.0, target=1)
    torch.testing.assert_close(spread / count, reference, rtol=0, atol=1e-8)  # captum : float32


@pytest.mark.parametrize("sigma", [1.0, 1.5, 2.0])
def test_blur_equals_scipy_gaussian_filter(sigma):
    x = images(2, channels=2, size=16)
    expected = ndimage.gaussian_filter(x.numpy(), sigma=(0, 0, sigma, sigma), mode="mirror",
                                       truncate=3.0)
    torch.testing.assert_close(blur(x, sigma), torch.from_numpy(expected), rtol=0, atol=1e-12)
    torch.testing.assert_close(blur(x, 0.0), x)


def test_perturb_pixel_by_pixel_for_the_three_operators():
    x = images(2, size=8)
    mask = torch.rand(2, 1, 8, 8, generator=torch.Generator().manual_seed(5), dtype=torch.float64)
    blurred = blur(x, 1.0)
    noise = 0.5 + 0.3 * torch.randn(x.shape, generator=torch.Generator().manual_seed(7),
                                    dtype=torch.float64)
    cases = {"constant": lambda n, i, j: 0.25, "blur": lambda n, i, j: blurred[n, 0, i, j],
             "noise": lambda n, i, j: noise[n, 0, i, j]}
    for name, background in cases.items():
        out = perturb(x, mask, perturbation=name, value=0.5 if name == "noise" else 0.25,
                      sigma=1.0, noise=0.3, seed=7)
        for n in range(2):
            for i in range(8):
                for j in range(8):
                    m = float(mask[n, 0, i, j])
                    want = m * float(x[n, 0, i, j]) + (1 - m) * float(background(n, i, j))
                    assert abs(float(out[n, 0, i, j]) - want) < 1e-12, (name, n, i, j)


def test_deletion_mask_removes_the_region_that_decides_and_little_else():
    model, x = RegionModel(), _region_image()
    result = meaningful_perturbation(model, x, 1, perturbation="constant", value=0.0,
                                     l1=1.0, tv=2.0, steps=300, seed=0)
    assert float(class_probability(model, x, 1)[0]) > 0.99
    assert float(result.probability[0]) < 0.5
    deleted = 1 - result.mask[0, 0]
    region = torch.zeros(32, 32, dtype=torch.bool)
    region[RegionModel.ROWS, RegionModel.COLS] = True
    assert float(deleted[region].mean()) > 0.4  # la région est largement effacée
    assert float(deleted[~region].mean()) < 0.05  # et presque rien ailleurs
    assert float(deleted[region].sum() / deleted.sum()) > 0.5
    assert result.losses.shape == result.probabilities.shape == (1, 300)
    assert result.mask.shape == (1, 1, 32, 32)
    assert float(result.mask.min()) >= 0 and float(result.mask.max()) <= 1


def test_preservation_mask_keeps_the_region():
    model, x = RegionModel(), _region_image()
    result = meaningful_perturbation(model, x, 1, game="preservation", perturbation="constant",
                                     l1=1.0, steps=300)
    kept = result.mask[0, 0]
    region = torch.zeros(32, 32, dtype=torch.bool)
    region[RegionModel.ROWS, RegionModel.COLS] = True
    assert float(kept[region].mean()) > float(kept[~region].mean()) + 0.3


def test_perturbed_image_and_probability_agree_with_perturb():
    model, x = cnn(size=16), images(2, size=16)
    result = meaningful_perturbation(model, x, [0, 1], steps=5, sigma=1.0, jitter=1)
    expected = perturb(x, result.mask, sigma=1.0)
    torch.testing.assert_close(result.perturbed, expected, rtol=0, atol=1e-12)
    torch.testing.assert_close(result.probability, class_probability(model, expected, [0, 1]))


def test_same_seed_same_mask_state_restored_and_x_untouched():
    model, x = mixed_state_model(), images(2)
    before, x_before = snapshot(model), x.clone()
    first = meaningful_perturbation(model, x, 1, steps=4, sigma=1.0, mask_scale=2, seed=3)
    second = meaningful_perturbation(model, x, 1, steps=4, sigma=1.0, mask_scale=2, seed=3)
    torch.testing.assert_close(first.mask, second.mask, rtol=0, atol=0)
    assert_same_state(before, model)
    torch.testing.assert_close(x, x_before, rtol=0, atol=0)
    assert first.mask.device.type == "cpu"


def test_state_restored_on_error_and_layer_refused():
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 3), Boom()).double()
    modes = [m.training for m in model.modules()]
    with pytest.raises(RuntimeError):
        meaningful_perturbation(model, images(1), 0, steps=2, sigma=1.0, mask_scale=2)
    assert [m.training for m in model.modules()] == modes
    assert all(p.requires_grad for p in model.parameters())
    with pytest.raises(ValueError, match="`layer`"):
        meaningful_perturbation(cnn(), images(1), 0, layer="0")
    with pytest.raises(ValueError, match="`mask_scale`"):
        meaningful_perturbation(cnn(), images(1), 0, mask_scale=3)


def test_random_masks_find_the_pixels_a_black_box_reads():
    def predict(batch):  # boîte noire NumPy : seule la région R compte
        inside = batch[:, 0, RegionModel.ROWS, RegionModel.COLS].mean(axis=(1, 2))
        p = 1 / (1 + np.exp(-40 * (inside - 0.5)))
        return np.stack([1 - p, p], axis=1)

    x = _region_image()
    heat = random_masks(predict, x, 1, masks=400, cell=4, seed=0)
    region = torch.zeros(32, 32, dtype=torch.bool)
    region[RegionModel.ROWS, RegionModel.COLS] = True
    assert heat.shape == (1, 1, 32, 32)
    assert float(heat[0, 0][region].min()) > float(heat[0, 0][~region].mean()) + 0.05
    again = random_masks(predict, x, 1, masks=400, cell=4, seed=0, batch=37)
    torch.testing.assert_close(heat, again, rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="`predict`"):
        random_masks(lambda b: np.ones(3), x, 1, masks=4)


def test_random_masks_formula_on_a_constant_predictor():
    """f_c ≡ 0,3 : S = 0,3 · moyenne des masques / p, proche de 0,3 partout."""
    x = images(1, size=16)
    heat = random_masks(lambda b: np.full((len(b), 2), [0.7, 0.3]), x, 1, masks=2000,
                        cell=4, keep=0.5)
    assert abs(float(heat.mean()) - 0.3) < 0.01


def _direct_curve(model, x, k, order_map, steps, baseline, reveal):
    """Courbe calculée pixel par pixel, sans vectorisation : la référence."""
    values = order_map[0].sum(0).flatten().tolist()
    order = sorted(range(len(values)), key=lambda p: (-values[p], p))
    curve = []
    for step in range(steps + 1):
        count = round(step * len(values) / steps)
        image = (torch.full_like(x, baseline) if reveal else x.clone()).flatten()
        for p in order[:count]:
            image[p] = x.flatten()[p] if reveal else baseline
        curve.append(float(class_probability(model, image.view_as(x), k)[0]))
    return torch.tensor(curve, dtype=torch.float64)


def test_deletion_and_insertion_curves_against_a_direct_computation():
    model, x = cnn(size=8), images(2, size=8)
    maps = torch.rand(2, 1, 8, 8, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    deletion = deletion_curve(model, x, [0, 2], maps, steps=8, baseline=0.1)
    insertion = insertion_curve(model, x, [0, 2], maps, steps=8, baseline=0.1)
    for n, k in enumerate([0, 2]):
        torch.testing.assert_close(deletion[n], _direct_curve(model, x[n:n + 1], k, maps[n:n + 1],
                                                              8, 0.1, False))
        torch.testing.assert_close(insertion[n], _direct_curve(model, x[n:n + 1], k,
                                                               maps[n:n + 1], 8, 0.1, True))
    torch.testing.assert_close(deletion[:, 0], class_probability(model, x, [0, 2]))
    torch.testing.assert_close(insertion[:, -1], class_probability(model, x, [0, 2]))


def test_curve_area_is_the_trapezoid_rule():
    curves = torch.tensor([[1.0, 0.5, 0.0], [0.0, 0.0, 1.0]], dtype=torch.float64)
    torch.testing.assert_close(curve_area(curves), torch.tensor([0.5, 0.25], dtype=torch.float64))


def test_defaults_keep_their_promise_on_a_trained_cnn():
    """Défauts : probabilité divisée par deux sur ≥ 90 % des images bien classées, ≤ 20 % effacé."""
    from lib.data import shapes
    from lib.experiments import heldout_seed, shapes_network
    from lib.training import predict

    model = shapes_network(1)
    x, y, _ = shapes(120, seed=heldout_seed(1))
    correct = (predict(model, x) == y).nonzero()[:, 0][:60]
    x, y = x[correct], y[correct]
    result = meaningful_perturbation(model, x, y)
    kept = (result.probability < class_probability(model, x, y) / 2) & (result.deleted <= 0.2)
    assert float(kept.double().mean()) >= 0.9


def test_drawings_of_chapter_10():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from lib import viz

    fig, (left, right) = plt.subplots(1, 2)
    curve = torch.linspace(1, 0, 9, dtype=torch.float64)
    assert viz.draw_curves(left, {"gradient": curve, "masque": curve**2}) is left
    assert len(left.lines) == 2 and left.get_xlabel() == "part des pixels traités"
    assert viz.draw_mask(right, torch.rand(1, 1, 8, 8)) is right
    plt.close(fig)
