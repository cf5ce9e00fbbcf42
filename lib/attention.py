"""L'attention en une image : une moyenne pondérée dont les poids viennent de similarités.

Une requête q compare chaque clé k_i par un produit scalaire divisé par √d (d la dimension) ;
une fonction softmax change ces scores en poids positifs de somme 1 ; la sortie est la
moyenne des valeurs v_i pondérée par ces poids :
attention(q, K, V) = softmax(K q / √d)ᵀ V (Vaswani et al., 2017). Voir le chapitre 3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib import _validation as check

__all__ = ["Attention", "attention", "query", "EXAMPLE_WORDS", "EXAMPLE_KEYS"]

#: Quatre « mots » et leurs clés dans le plan (les valeurs sont les clés elles-mêmes).
EXAMPLE_WORDS = ("chat", "chien", "voiture", "vélo")
EXAMPLE_KEYS = np.array([[1.0, 0.3], [0.8, 0.7], [-0.6, 0.9], [-1.0, -0.2]])


@dataclass(frozen=True)
class Attention:
    """Le calcul de l'attention étape par étape : requête(s), clés, valeurs, scores, poids,
    sortie. ``scores`` et ``weights`` ont la forme (requêtes, clés)."""

    query: np.ndarray
    keys: np.ndarray
    values: np.ndarray
    scores: np.ndarray
    weights: np.ndarray
    output: np.ndarray


def attention(query, keys, values=None) -> Attention:
    """Attention par produits scalaires normalisés, écrite à la main avec NumPy (float64).

    ``query`` : (d,) ou (m, d) ; ``keys`` : (n, d) ; ``values`` : (n, e) (par défaut les
    clés). Scores s_ji = q_j · k_i / √d, poids a_j = softmax(s_j), sortie o_j = Σ_i a_ji v_i.
    D'après Vaswani et al. (2017). Voir le chapitre 3.
    """
    q = check.array("query", query, ndim=(1, 2))
    k = check.array("keys", keys, ndim=2)
    v = k if values is None else check.array("values", values, ndim=2)
    single = q.ndim == 1
    q = np.atleast_2d(q)
    if q.shape[1] != k.shape[1]:
        raise ValueError(f"`query` doit avoir la dimension des clés ({k.shape[1]}) ; "
                         f"reçu : forme {q.shape}")
    if len(v) != len(k):
        raise ValueError(f"`values` doit avoir une valeur par clé ({len(k)}) ; "
                         f"reçu : forme {v.shape}")
    scores = q @ k.T / np.sqrt(k.shape[1])
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))   # softmax stable
    weights = exp / exp.sum(axis=1, keepdims=True)
    output = weights @ v
    if single:
        return Attention(q[0], k, v, scores[0], weights[0], output[0])
    return Attention(q, k, v, scores, weights, output)


def query(angle: float, norm: float = 1.0) -> np.ndarray:
    """Une requête du plan donnée par son angle (en degrés) et sa longueur : (2,).

    Une requête plus longue rend les poids plus tranchés. Voir le chapitre 3.
    """
    angle = check.number("angle", angle)
    norm = check.number("norm", norm, low=0)
    rad = np.deg2rad(angle)
    return norm * np.array([np.cos(rad), np.sin(rad)])
