"""Tests de lib.attention : l'attention à la main contre scaled_dot_product_attention."""

import numpy as np
import torch

from lib import attention as A


def test_attention_matches_torch_scaled_dot_product_attention():
    rng = np.random.default_rng(0)
    q, k, v = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2))
    ours = A.attention(q, k, v)
    reference = torch.nn.functional.scaled_dot_product_attention(
        *(torch.from_numpy(a)[None] for a in (q, k, v)))[0]
    assert np.allclose(ours.output, reference.numpy(), rtol=0, atol=1e-12)


def test_weights_are_a_softmax_of_scaled_dot_products():
    result = A.attention([1.0, 0.0], A.EXAMPLE_KEYS)
    scores = A.EXAMPLE_KEYS @ [1.0, 0.0] / np.sqrt(2)
    assert np.allclose(result.scores, scores)
    assert np.isclose(result.weights.sum(), 1.0) and (result.weights > 0).all()
    assert np.allclose(result.weights, np.exp(scores) / np.exp(scores).sum())
    assert np.allclose(result.output, result.weights @ A.EXAMPLE_KEYS)   # valeurs = clés


def test_query_direction_moves_the_weights_and_length_sharpens_them():
    towards_cat = A.attention(A.query(15), A.EXAMPLE_KEYS).weights
    towards_car = A.attention(A.query(130), A.EXAMPLE_KEYS).weights
    assert towards_cat.argmax() == 0 and towards_car.argmax() == 2
    sharp = A.attention(A.query(15, 4.0), A.EXAMPLE_KEYS).weights
    assert sharp.max() > towards_cat.max()
    flat = A.attention(A.query(15, 0.0), A.EXAMPLE_KEYS).weights
    assert np.allclose(flat, 0.25)
