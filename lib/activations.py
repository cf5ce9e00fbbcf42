"""Fonctions d'activation et leurs dérivées (version provisoire : API fixée, à compléter).

Voir le chapitre 2.
"""

import numpy as np

#: Noms des fonctions d'activation et leur nom affiché en français.
NAMES = {
    "heaviside": "Heaviside (seuil)",
    "sigmoid": "sigmoïde",
    "tanh": "tangente hyperbolique",
    "relu": "ReLU",
    "leaky_relu": "ReLU avec fuite",
}


def heaviside(z):
    return (np.asarray(z, dtype=float) >= 0).astype(float)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def tanh(z):
    return np.tanh(np.asarray(z, dtype=float))


def relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def leaky_relu(z, slope=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, z, slope * z)


def get(name):
    """La fonction d'activation appelée ``name`` (une clé de ``NAMES``)."""
    return {"heaviside": heaviside, "sigmoid": sigmoid, "tanh": tanh, "relu": relu,
            "leaky_relu": leaky_relu}[name]
