"""Vérifications des arguments : des messages d'erreur en français qui nomment le paramètre.

Chaque fonction publique de ``lib`` appelle ces fonctions avant tout calcul, pour
qu'une erreur d'appel donne un message clair et non une longue trace de PyTorch.
"""

from collections.abc import Callable, Sequence
from numbers import Integral, Real

import numpy as np


def describe(value) -> str:
    """Décrit brièvement une valeur reçue, pour un message d'erreur."""
    shape = getattr(value, "shape", None)
    if shape is not None:
        return f"{type(value).__module__}.{type(value).__name__} de forme {tuple(shape)}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def number(name: str, value, *, low=None, high=None, integer=False, strict_low=False):
    """Vérifie que ``value`` est un nombre (entier si ``integer``) dans [low, high]."""
    kind = Integral if integer else Real
    if isinstance(value, bool) or not isinstance(value, kind | np.number):
        expected = "un entier" if integer else "un nombre"
        raise TypeError(f"`{name}` doit être {expected} ; reçu : {describe(value)}")
    if integer and not isinstance(value, Integral | np.integer):
        raise TypeError(f"`{name}` doit être un entier ; reçu : {describe(value)}")
    if not np.isfinite(value):
        raise ValueError(f"`{name}` doit être un nombre fini ; reçu : {value!r}")
    if low is not None and (value <= low if strict_low else value < low):
        sign = ">" if strict_low else "≥"
        raise ValueError(f"`{name}` doit être {sign} {low} ; reçu : {value!r}")
    if high is not None and value > high:
        raise ValueError(f"`{name}` doit être ≤ {high} ; reçu : {value!r}")
    return int(value) if integer else float(value)


def choice(name: str, value, options: Sequence):
    """Vérifie que ``value`` fait partie de ``options``."""
    if value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"`{name}` doit être l'une des valeurs {listed} ; reçu : {value!r}")
    return value


def function(name: str, value) -> Callable:
    """Vérifie que ``value`` est appelable (une fonction)."""
    if not callable(value):
        raise TypeError(f"`{name}` doit être une fonction ; reçu : {describe(value)}")
    return value


def array(name: str, value, *, ndim=None, last=None, dtype=float, finite=True) -> np.ndarray:
    """Convertit ``value`` (tableau, liste ou tenseur PyTorch) en tableau NumPy et vérifie sa
    dimension et sa dernière taille. Un tenseur est détaché et ramené sur le CPU.
    ``finite=False`` accepte NaN et infinis (cases vides d'une mosaïque, perte divergente)."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if isinstance(value, str) or value is None:
        raise TypeError(f"`{name}` doit être un tableau de nombres ; reçu : {describe(value)}")
    try:
        out = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise TypeError(
            f"`{name}` doit être un tableau de nombres ; reçu : {describe(value)}"
        ) from None
    dims = (ndim,) if isinstance(ndim, int) else ndim
    if dims is not None and out.ndim not in dims:
        wanted = " ou ".join(str(d) for d in dims)
        raise ValueError(
            f"`{name}` doit avoir {wanted} dimension(s) ; reçu : forme {out.shape}"
        )
    if last is not None and out.ndim > 0 and out.shape[-1] != last:
        raise ValueError(
            f"`{name}` doit avoir {last} valeurs sur sa dernière dimension ; "
            f"reçu : forme {out.shape}"
        )
    if finite and dtype is float and not np.all(np.isfinite(out)):
        raise ValueError(f"`{name}` contient des valeurs infinies ou NaN")
    return out


def tensor(name: str, value, *, ndim=None):
    """Vérifie que ``value`` est un ``torch.Tensor`` (avec ``ndim`` dimensions si donné)."""
    import torch

    if not isinstance(value, torch.Tensor):
        hint = " ; convertissez-le avec torch.as_tensor(...)" if isinstance(
            value, np.ndarray | list | tuple
        ) else ""
        raise TypeError(f"`{name}` doit être un torch.Tensor ; reçu : {describe(value)}{hint}")
    dims = (ndim,) if isinstance(ndim, int) else ndim
    if dims is not None and value.ndim not in dims:
        wanted = " ou ".join(str(d) for d in dims)
        raise ValueError(
            f"`{name}` doit avoir {wanted} dimensions ; reçu : forme {tuple(value.shape)}"
        )
    return value


def module(name: str, value):
    """Vérifie que ``value`` est un ``torch.nn.Module``."""
    import torch

    if not isinstance(value, torch.nn.Module):
        raise TypeError(f"`{name}` doit être un torch.nn.Module ; reçu : {describe(value)}")
    return value


def axes(name: str, value):
    """Vérifie que ``value`` est un objet d'axes matplotlib (ce que renvoie ``plt.subplots``)."""
    if not hasattr(value, "imshow"):
        raise TypeError(f"`{name}` doit être des axes matplotlib ; reçu : {describe(value)}")
    return value
