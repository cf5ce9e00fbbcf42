"""Tests de lib.convolution : comparaison à torch.nn.functional en float64, calculs à la main."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lib import convolution as conv


def torch_conv(image, weights, padding, stride, bias=0.0):
    x = torch.as_tensor(image, dtype=torch.float64)
    w = torch.as_tensor(weights, dtype=torch.float64)
    if x.ndim == 2:
        x, w = x[None], w[None]
    out = F.conv2d(x[None], w[None], torch.tensor([bias], dtype=torch.float64),
                   padding=padding, stride=stride)
    return out[0, 0].numpy()


@pytest.mark.parametrize("padding", [0, 1, 2])
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (1, 1)])
def test_conv2d_matches_torch(padding, stride, shape):
    rng = np.random.default_rng(0)
    image, weights = rng.normal(size=(9, 11)), rng.normal(size=shape)
    got = conv.conv2d(image, weights, padding=padding, stride=stride, bias=0.3)
    np.testing.assert_allclose(got, torch_conv(image, weights, padding, stride, 0.3), atol=1e-12)
    assert got.shape == (conv.output_size(9, shape[0], padding, stride),
                         conv.output_size(11, shape[1], padding, stride))


def test_conv2d_with_channels_matches_torch():
    rng = np.random.default_rng(1)
    image, weights = rng.normal(size=(3, 8, 7)), rng.normal(size=(3, 3, 3))
    np.testing.assert_allclose(conv.conv2d(image, weights, padding=1, stride=2),
                               torch_conv(image, weights, 1, 2), atol=1e-12)


def test_conv2d_by_hand_is_a_cross_correlation():
    image = np.arange(9.0).reshape(3, 3)  # [[0,1,2],[3,4,5],[6,7,8]]
    weights = np.array([[1.0, 0.0], [0.0, -1.0]])  # non symétrique : pas de retournement
    # sortie[i, j] = image[i, j] − image[i+1, j+1] = −4 partout
    np.testing.assert_allclose(conv.conv2d(image, weights), [[-4.0, -4.0], [-4.0, -4.0]])
    # Avec remplissage, la sortie (0, 1) voit un zéro puis image[0, 1] = 1 multiplié par −1.
    assert conv.conv2d(image, weights, padding=1)[0, 1] == -1.0


def test_conv2d_does_not_modify_its_inputs():
    image, weights = np.ones((5, 5)), conv.kernel("netteté")
    before = image.copy(), weights.copy()
    conv.conv2d(image, weights, padding=1)
    np.testing.assert_array_equal(image, before[0])
    np.testing.assert_array_equal(weights, before[1])


def test_classic_filters():
    ramp = np.tile(np.arange(6.0), (6, 1))  # intensité croissante de gauche à droite
    vertical = conv.conv2d(ramp, conv.kernel("contours verticaux (Sobel)"))
    horizontal = conv.conv2d(ramp, conv.kernel("contours horizontaux (Sobel)"))
    np.testing.assert_allclose(vertical, 8.0)  # (1+2+1) × pente 2
    np.testing.assert_allclose(horizontal, 0.0)
    flat = np.full((5, 5), 0.7)
    for name in ("identité", "flou", "flou gaussien", "netteté"):
        np.testing.assert_allclose(conv.conv2d(flat, conv.kernel(name)), 0.7)  # somme = 1
    np.testing.assert_allclose(conv.conv2d(flat, conv.kernel("contours (laplacien)")), 0.0)
    image = np.random.default_rng(2).random((6, 6))
    np.testing.assert_allclose(conv.conv2d(image, conv.kernel("identité"), padding=1), image)
    k = conv.kernel("flou")
    k[0, 0] = 5.0
    assert conv.FILTERS["flou"][0, 0] == pytest.approx(1 / 9)  # copie, pas l'original


@pytest.mark.parametrize(("size", "stride"), [(2, None), (3, None), (2, 1), (3, 2)])
def test_pool2d_matches_torch(size, stride):
    image = np.random.default_rng(3).normal(size=(2, 9, 10))
    x = torch.as_tensor(image)[None]
    expected_max = F.max_pool2d(x, size, stride=stride)[0].numpy()
    expected_mean = F.avg_pool2d(x, size, stride=stride)[0].numpy()
    np.testing.assert_allclose(conv.pool2d(image, size, stride=stride), expected_max)
    np.testing.assert_allclose(conv.pool2d(image, size, stride=stride, mode="mean"),
                               expected_mean, atol=1e-12)
    np.testing.assert_allclose(conv.pool2d(image[0], size, stride=stride), expected_max[0])


def test_output_size_and_pad():
    assert conv.output_size(32, 3, 1, 1) == 32
    assert conv.output_size(7, 3, 0, 2) == 3
    assert conv.output_size(8, 3, 1, 2) == 4
    padded = conv.pad(np.ones((2, 3)), 1)
    assert padded.shape == (4, 5) and padded.sum() == 6 and padded[0].sum() == 0


@pytest.mark.parametrize(("padding", "stride"), [(0, 1), (1, 1), (1, 2)])
def test_sliding_window_walks_over_the_output(padding, stride):
    image = np.random.default_rng(4).normal(size=(6, 7))
    weights = conv.kernel("relief")
    output = conv.conv2d(image, weights, padding=padding, stride=stride)
    for step in range(1, output.size + 1):
        w = conv.sliding_window(image, weights, step, padding=padding, stride=stride)
        assert (w.row, w.col) == divmod(step - 1, output.shape[1])
        assert w.value == pytest.approx(output[w.row, w.col])
        np.testing.assert_allclose(w.products, w.patch * weights)
        np.testing.assert_allclose(w.output, output)
    last = conv.sliding_window(image, weights, output.size + 10, padding=padding, stride=stride)
    assert last.step == output.size and (last.row, last.col) == (output.shape[0] - 1,
                                                                  output.shape[1] - 1)


@pytest.mark.parametrize(("call", "error", "name"), [
    (lambda: conv.kernel("flou fort"), ValueError, "name"),
    (lambda: conv.output_size(0, 3), ValueError, "n"),
    (lambda: conv.output_size(4, 0), ValueError, "k"),
    (lambda: conv.output_size(4, 7, padding=1), ValueError, "k"),
    (lambda: conv.output_size(4, 3, padding=-1), ValueError, "padding"),
    (lambda: conv.output_size(4, 3, stride=0), ValueError, "stride"),
    (lambda: conv.output_size(4, 3, stride=1.5), TypeError, "stride"),
    (lambda: conv.conv2d("image", np.ones((3, 3))), TypeError, "image"),
    (lambda: conv.conv2d(np.ones(5), np.ones((3, 3))), ValueError, "image"),
    (lambda: conv.conv2d(np.ones((5, 5)), np.ones(3)), ValueError, "weights"),
    (lambda: conv.conv2d(np.ones((2, 5, 5)), np.ones((3, 3, 3))), ValueError, "weights"),
    (lambda: conv.conv2d(np.ones((2, 2)), np.ones((3, 3))), ValueError, "weights"),
    (lambda: conv.conv2d(np.ones((5, 5)), np.ones((3, 3)), padding=-1), ValueError, "padding"),
    (lambda: conv.conv2d(np.ones((5, 5)), np.ones((3, 3)), stride=0), ValueError, "stride"),
    (lambda: conv.conv2d(np.ones((5, 5)), np.ones((3, 3)), bias="1"), TypeError, "bias"),
    (lambda: conv.conv2d(np.full((5, 5), np.nan), np.ones((3, 3))), ValueError, "image"),
    (lambda: conv.pad(np.ones((3, 3)), -2), ValueError, "padding"),
    (lambda: conv.pool2d(np.ones((4, 4)), 5), ValueError, "size"),
    (lambda: conv.pool2d(np.ones((4, 4)), 0), ValueError, "size"),
    (lambda: conv.pool2d(np.ones((4, 4)), 2, stride=0), ValueError, "stride"),
    (lambda: conv.pool2d(np.ones((4, 4)), 2, mode="min"), ValueError, "mode"),
    (lambda: conv.pool2d(np.ones(4), 2), ValueError, "image"),
    (lambda: conv.sliding_window(np.ones((4, 4)), np.ones((3, 3)), 0), ValueError, "step"),
    (lambda: conv.sliding_window(np.ones((2, 4, 4)), np.ones((3, 3)), 1), ValueError, "image"),
])
def test_bad_arguments(call, error, name):
    with pytest.raises(error, match=f"`{name}`"):
        call()
