"""Chaque fonction publique de lib refuse une mauvaise entrée en français, en nommant le paramètre.

La table ``ROWS`` donne, pour chaque fonction ou classe publique (et méthode publique d'une
classe publique), un appel fautif, l'exception attendue et le paramètre que le message doit
nommer entre accents graves. Les fonctions publiques sont trouvées automatiquement (les noms
de ``__all__`` de chaque module de lib) : une nouvelle fonction sans ligne fait échouer
:func:`test_every_public_callable_has_a_row`. Voir DESIGN.md, « Bad input ».
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from functools import cache
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

import lib

#: Un message d'erreur français contient au moins l'un de ces mots.
FRENCH_WORDS = ("doit", "doivent", "reçu", "contient", "attend", "inconnu", "ne peut")


def assert_french(message: str, name: str) -> None:
    """Le message nomme ``name`` entre accents graves et il est écrit en français."""
    assert f"`{name}`" in message, f"le message ne nomme pas `{name}` : {message!r}"
    assert any(word in message for word in FRENCH_WORDS), f"message non français : {message!r}"


def _is_public(module: str) -> bool:
    return not any(part.startswith("_") for part in module.split("."))


def _has_parameters(obj) -> bool:
    """Faux pour un appelable sans paramètre (hors ``self``) : rien à lui donner de faux."""
    try:
        parameters = inspect.signature(obj).parameters
    except (TypeError, ValueError):
        return True
    return any(name != "self" for name in parameters)


def _methods(cls) -> dict:
    """Les méthodes publiques écrites dans la classe (ni héritées, ni propriétés)."""
    return {f"{cls.__module__}.{cls.__qualname__}.{name}": member
            for name, member in vars(cls).items()
            if not name.startswith("_") and inspect.isfunction(member)}


def public_callables() -> dict:
    """{« module.nom » : objet} : fonctions et classes des ``__all__`` de lib, et leurs méthodes."""
    names = ["lib", *(m.name for m in pkgutil.walk_packages(lib.__path__, "lib."))]
    found = {}
    for module_name in filter(_is_public, names):
        module = importlib.import_module(module_name)
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if not obj.__module__.startswith("lib"):
                continue
            found[f"{obj.__module__}.{obj.__qualname__}"] = obj
            if inspect.isclass(obj):
                found.update(_methods(obj))
    return {key: obj for key, obj in found.items() if _has_parameters(obj)}


# --- Petits objets pour les appels ---------------------------------------------------------


def _ax():
    return plt.figure().subplots()


def _axes(n: int = 2):
    return plt.figure().subplots(1, n)


@cache
def _cnn():
    from tests.explain._models import cnn

    return cnn()


def _x():
    from tests.explain._models import images

    return images(1)


@cache
def _net():
    from lib import network

    return network.init_network([2, 3, 1])


def _xor():
    from lib import data

    return data.logic_gate("ou exclusif")


def _spread():
    from lib.repeat import Spread

    return Spread((0.1, 0.2, 0.3))


def _explorer():
    from lib import widgets

    return widgets.explore(lambda a: a, lambda ax, a: None, a=widgets.slider("a", 0.0, 1.0))


@cache
def _autoencoder():
    from lib.models import Autoencoder

    return Autoencoder(4, 2)


def _enter(context) -> None:
    with context:
        pass


# --- La table ----------------------------------------------------------------------------


class Row(NamedTuple):
    call: object  # appel fautif, sans argument
    error: type  # ValueError ou TypeError
    name: str  # paramètre que le message doit nommer
    xfail: str = ""  # raison, si la fonction ne vérifie pas encore cette entrée


def _rows_lib():
    from lib import activations as A
    from lib import convolution as C
    from lib import data as D
    from lib import exercises as E
    from lib import experiments as X
    from lib import french as F
    from lib import models as M
    from lib import repeat as R
    from lib import scenes as S
    from lib import set_seed

    return {
        "lib.set_seed": Row(lambda: set_seed("zéro"), TypeError, "seed"),
        "lib.activations.curves": Row(lambda: A.curves([0, 1], ["softplus"]), ValueError, "names"),
        "lib.activations.derivative": Row(lambda: A.derivative("softplus", 0.0), ValueError,
                                          "name"),
        "lib.activations.finite_difference": Row(lambda: A.finite_difference("relu", 1.0, h=0),
                                                 ValueError, "h"),
        "lib.activations.get": Row(lambda: A.get("softplus"), ValueError, "name"),
        "lib.activations.gradient_chain": Row(lambda: A.gradient_chain("sigmoid", 0),
                                              ValueError, "depth"),
        "lib.activations.heaviside": Row(lambda: A.heaviside("1"), TypeError, "z"),
        "lib.activations.heaviside_derivative": Row(lambda: A.heaviside_derivative(None),
                                                    TypeError, "z"),
        "lib.activations.leaky_relu": Row(lambda: A.leaky_relu(1.0, -0.1), ValueError, "slope"),
        "lib.activations.leaky_relu_derivative": Row(
            lambda: A.leaky_relu_derivative(1.0, "petite"), TypeError, "slope"),
        "lib.activations.relu": Row(lambda: A.relu([1.0, "a"]), TypeError, "z"),
        "lib.activations.relu_derivative": Row(lambda: A.relu_derivative([np.nan]), ValueError,
                                               "z"),
        "lib.activations.sigmoid": Row(lambda: A.sigmoid("0"), TypeError, "z"),
        "lib.activations.sigmoid_derivative": Row(lambda: A.sigmoid_derivative([np.inf]),
                                                  ValueError, "z"),
        "lib.activations.softmax": Row(lambda: A.softmax([1.0, 2.0], temperature=0),
                                       ValueError, "temperature"),
        "lib.activations.softmax_jacobian": Row(lambda: A.softmax_jacobian(np.ones((2, 2, 2))),
                                                ValueError, "z"),
        "lib.activations.tangent": Row(lambda: A.tangent("relu", "1"), TypeError, "z"),
        "lib.activations.tanh": Row(lambda: A.tanh(None), TypeError, "z"),
        "lib.activations.tanh_derivative": Row(lambda: A.tanh_derivative("x"), TypeError, "z"),
        "lib.activations.train_neuron": Row(
            lambda: A.train_neuron(*_xor(), [0.0, 0.0], 0.0, lr=0), ValueError, "lr"),
        "lib.convolution.conv2d": Row(lambda: C.conv2d(np.ones((3, 3)), np.ones((5, 5))),
                                      ValueError, "weights"),
        "lib.convolution.kernel": Row(lambda: C.kernel("flou fort"), ValueError, "name"),
        "lib.convolution.output_size": Row(lambda: C.output_size(5, 0), ValueError, "k"),
        "lib.convolution.pad": Row(lambda: C.pad(np.ones((3, 3)), -1), ValueError, "padding"),
        "lib.convolution.pool2d": Row(lambda: C.pool2d(np.ones((4, 4)), mode="min"),
                                      ValueError, "mode"),
        "lib.convolution.sliding_window": Row(
            lambda: C.sliding_window(np.ones((4, 4)), np.ones((3, 3)), 0), ValueError, "step"),
        "lib.data.digits": Row(lambda: D.digits(test_size=0), ValueError, "test_size"),
        "lib.data.logic_gate": Row(lambda: D.logic_gate("non"), ValueError, "gate"),
        "lib.data.photo": Row(lambda: D.photo("chat"), ValueError, "name"),
        "lib.data.points_2d": Row(lambda: D.points_2d("et", n=2), ValueError, "n"),
        "lib.data.shapes": Row(lambda: D.shapes(0), ValueError, "n"),
        "lib.data.mark_corners": Row(lambda: D.mark_corners(torch.zeros(2, 3, 32, 32)),
                                    ValueError, "images"),
        "lib.exercises.check_close": Row(lambda: E.check_close("x", 1.0, 1.0, atol=-1),
                                         ValueError, "atol"),
        "lib.exercises.check_function": Row(lambda: E.check_function("f", abs, [(1,)]),
                                            TypeError, "function"),
        "lib.exercises.check_true": Row(lambda: E.check_true(True, 3), TypeError, "message"),
        "lib.exercises.done": Row(lambda: E.done("w", 3), TypeError, "names"),
        "lib.exercises.answer_digest": Row(lambda: E.answer_digest(object()), TypeError, "value"),
        "lib.exercises.check_answer": Row(lambda: E.check_answer("x", 1.0, None), TypeError,
                                          "digest"),
        "lib.exercises.success": Row(lambda: E.success(None), TypeError, "message"),
        "lib.experiments.shapes_network": Row(lambda: X.shapes_network(n=2), ValueError, "n"),
        "lib.experiments.heldout_seed": Row(lambda: X.heldout_seed(-1), ValueError, "seed"),
        "lib.experiments.train_seed": Row(lambda: X.train_seed("0"), TypeError, "seed"),
        "lib.french.integer": Row(lambda: F.integer(1.5), TypeError, "value"),
        "lib.french.number": Row(lambda: F.number("0,5"), TypeError, "value"),
        "lib.french.percent": Row(lambda: F.percent(np.nan), ValueError, "value"),
        "lib.french.plusminus": Row(lambda: F.plusminus(1.0, -0.1), ValueError, "spread"),
        "lib.french.scientific": Row(lambda: F.scientific(1e-7, digits=-1), ValueError,
                                     "digits"),
        "lib.models.Autoencoder": Row(lambda: M.Autoencoder(64, 0), ValueError, "code_size"),
        "lib.models.Autoencoder.encode": Row(lambda: _autoencoder().encode(torch.ones(2, 3)),
                                             ValueError, "x"),
        "lib.models.Autoencoder.forward": Row(lambda: _autoencoder()("x"), TypeError, "x"),
        "lib.models.MLP": Row(lambda: M.MLP("4-2"), TypeError, "sizes"),
        "lib.models.MLP.forward": Row(lambda: M.MLP([4, 2])(torch.ones(2, 3)), ValueError, "x"),
        "lib.models.SmallCNN": Row(lambda: M.SmallCNN(1), ValueError, "n_classes"),
        "lib.models.SmallCNN.forward": Row(lambda: M.SmallCNN(2)(torch.ones(1, 1, 2, 2)),
                                           ValueError, "x"),
        "lib.models.init_parameters": Row(lambda: M.init_parameters(_cnn(), dtype=torch.int64),
                                          ValueError, "dtype"),
        "lib.models.layer": Row(lambda: M.layer(_cnn(), "conv9"), ValueError, "name"),
        "lib.repeat.Spread": Row(lambda: R.Spread((1.0,)), ValueError, "values"),
        "lib.repeat.Spread.format": Row(lambda: _spread().format(-1), ValueError, "digits"),
        "lib.repeat.Spread.interval": Row(lambda: _spread().interval(2.0), ValueError, "level"),
        "lib.repeat.difference": Row(lambda: R.difference(_spread(), 0.2), TypeError, "b"),
        "lib.repeat.repeat": Row(lambda: R.repeat(lambda seed: 1.0, [0, 1]), ValueError,
                                 "seeds"),
        "lib.repeat.claim": Row(lambda: R.claim([1, 2]), ValueError, "verdicts"),
        "lib.repeat.separation": Row(lambda: R.separation(_spread(), [0.1, 0.2]), TypeError, "b"),
        "lib.repeat.table": Row(lambda: R.table([]), TypeError, "rows"),
        "lib.repeat.verdict": Row(lambda: R.verdict(_spread(), _spread(), level=0), ValueError,
                                  "level"),
        "lib.scenes.two_objects": Row(lambda: S.two_objects(np.ones((2, 1, 8, 8)), None, None, 0),
                                      TypeError, "images"),
    }


def _rows_explain():
    from lib.explain import (
        METHODS,
        Method,
        capture,
        completeness_error,
        energy_in_mask,
        grad_cam,
        grad_cam_pp,
        gradient,
        integrated_gradients,
        normalize,
        pointing_game,
        randomizable_layers,
        randomize_layers,
        rank_correlation,
        smoothgrad,
        upsample,
    )
    from lib.explain import hooks as H
    from lib.explain import metrics as M
    from lib.explain import occlusions as occ
    from lib.explain import perturbation as P

    maps, masks = torch.rand(2, 1, 4, 4), torch.ones(2, 1, 4, 4, dtype=torch.bool)
    return {
        "lib.explain.hooks.capture": Row(lambda: _enter(capture(_cnn(), "conv9")), ValueError,
                                         "layer"),
        "lib.explain.hooks.check_baseline": Row(lambda: H.check_baseline(torch.ones(3), _x()),
                                                ValueError, "baseline"),
        "lib.explain.hooks.check_input": Row(lambda: H.check_input(_x()[0]), ValueError, "x"),
        "lib.explain.hooks.check_no_layer": Row(lambda: H.check_no_layer("3", "gradient"),
                                                ValueError, "layer"),
        "lib.explain.hooks.evaluating": Row(lambda: _enter(H.evaluating("cnn")), TypeError,
                                            "model"),
        "lib.explain.hooks.last_conv_layer": Row(
            lambda: H.last_conv_layer(torch.nn.Linear(2, 2)), ValueError, "layer"),
        "lib.explain.hooks.model_placement": Row(lambda: H.model_placement("cnn"), TypeError,
                                                 "model"),
        "lib.explain.hooks.resolve_layer": Row(lambda: H.resolve_layer(_cnn(), 3), TypeError,
                                               "layer"),
        "lib.explain.hooks.target_scores": Row(
            lambda: H.target_scores(_cnn(), _x(), torch.tensor([7])), ValueError, "target"),
        "lib.explain.hooks.targets": Row(lambda: H.targets([0, 1], 3), ValueError, "target"),
        "lib.explain.hooks.to_model": Row(lambda: H.to_model(_cnn(), [1.0]), TypeError, "x"),
        "lib.explain.methods.Method": Row(
            lambda: Method("X", gradient, "interactions", True, False, "une carte"), ValueError,
            "explains"),
        "lib.explain.methods.Method.heatmap": Row(
            lambda: METHODS["Occlusion"].heatmap(_cnn(), _x(), 0, layer="3"), ValueError,
            "layer"),
        "lib.explain.gradcam.grad_cam": Row(lambda: grad_cam(_cnn(), _x(), 0, layer="conv9"),
                                            ValueError, "layer"),
        "lib.explain.gradcam.grad_cam_pp": Row(lambda: grad_cam_pp(_cnn(), _x(), 7, layer="3"),
                                               ValueError, "target"),
        "lib.explain.gradcam.normalize": Row(lambda: normalize(np.ones((1, 4))), TypeError,
                                             "map"),
        "lib.explain.gradcam.upsample": Row(lambda: upsample(maps, 0), ValueError, "size"),
        "lib.explain.metrics.completeness_error": Row(
            lambda: completeness_error(_cnn(), _x(), 0, torch.ones(3)), ValueError,
            "attributions"),
        "lib.explain.metrics.energy_in_mask": Row(lambda: energy_in_mask(maps, masks[:1]),
                                                  ValueError, "masks"),
        "lib.explain.metrics.pointing_game": Row(lambda: pointing_game("carte", masks),
                                                 TypeError, "maps"),
        "lib.explain.metrics.randomizable_layers": Row(lambda: randomizable_layers("cnn"),
                                                       TypeError, "model"),
        "lib.explain.metrics.randomize_layers": Row(lambda: randomize_layers(_cnn(), 99),
                                                    ValueError, "count"),
        "lib.explain.metrics.rank_correlation": Row(lambda: rank_correlation(maps, maps[:1]),
                                                    ValueError, "b"),
        "lib.explain.occlusions.class_probability": Row(
            lambda: occ.class_probability(_cnn(), _x(), 7), ValueError, "target"),
        "lib.explain.occlusions.occlude": Row(lambda: occ.occlude(_x(), -1, 0, size=2), ValueError,
                                             "row"),
        "lib.explain.occlusions.occlusion": Row(lambda: occ.occlusion(_cnn(), _x(), 0, stride=0),
                                               ValueError, "stride"),
        "lib.explain.metrics.curve_area": Row(lambda: M.curve_area(torch.ones(2, 1)), ValueError,
                                              "curves"),
        "lib.explain.metrics.deletion_curve": Row(
            lambda: M.deletion_curve(_cnn(), _x(), 0, maps, steps=4), ValueError, "maps"),
        "lib.explain.metrics.insertion_curve": Row(
            lambda: M.insertion_curve(_cnn(), _x(), 0, torch.rand(1, 1, 8, 8), steps=0),
            ValueError, "steps"),
        "lib.explain.perturbation.blur": Row(lambda: P.blur(_x(), -1.0), ValueError, "sigma"),
        "lib.explain.perturbation.perturb": Row(
            lambda: P.perturb(_x(), torch.ones(1, 1, 8, 8), perturbation="flou"), ValueError,
            "perturbation"),
        "lib.explain.perturbation.meaningful_perturbation": Row(
            lambda: P.meaningful_perturbation(_cnn(), _x(), 0, game="jeu"), ValueError, "game"),
        "lib.explain.perturbation.random_masks": Row(
            lambda: P.random_masks("modèle", _x(), 0), TypeError, "predict"),
        "lib.explain.saliency.gradient": Row(lambda: gradient(_cnn(), _x(), 0, layer="3"),
                                             ValueError, "layer"),
        "lib.explain.saliency.integrated_gradients": Row(
            lambda: integrated_gradients(_cnn(), _x(), 0, steps=0), ValueError, "steps"),
        "lib.explain.saliency.smoothgrad": Row(lambda: smoothgrad(_cnn(), _x(), 0, noise=-1.0),
                                               ValueError, "noise"),
        **_rows_nit(),
    }


def _draw_nit():
    from lib.viz import nit

    return nit


def _rows_nit():
    from lib import interactions_data as I
    from lib.explain import nit as T

    la, x4 = torch.zeros(2, dtype=torch.float64), np.zeros((3, 4))
    return {
        "lib.explain.nit.NIT": Row(lambda: T.NIT(4, max_order=0), ValueError, "max_order"),
        "lib.explain.nit.NIT.block_outputs": Row(lambda: T.NIT(4).block_outputs(np.zeros((3, 5))),
                                                 ValueError, "x"),
        "lib.explain.nit.NIT.forward": Row(lambda: T.NIT(4)(np.full((3, 4), np.nan)), ValueError,
                                           "x"),
        "lib.explain.nit.NIT.gates": Row(lambda: T.NIT(4).gates(torch.zeros(2, 2)), ValueError,
                                         "u"),
        "lib.explain.nit.gate_open_probability": Row(lambda: T.gate_open_probability("a"),
                                                     TypeError, "log_alpha"),
        "lib.explain.nit.gate_sample": Row(lambda: T.gate_sample(la, torch.tensor([0.0, 0.5])),
                                           ValueError, "u"),
        "lib.explain.nit.gate_test": Row(lambda: T.gate_test([np.inf]), ValueError, "log_alpha"),
        "lib.explain.nit.train_nit": Row(lambda: T.train_nit(T.NIT(4), x4, np.zeros(2)),
                                         ValueError, "y"),
        "lib.interactions_data.interaction_data": Row(lambda: I.interaction_data("F11"),
                                                      ValueError, "name"),
        "lib.explain.nit.pairs": Row(lambda: T.pairs("ab"), TypeError, "groups"),
        "lib.explain.nit.recovery": Row(lambda: T.recovery([(0, 1)], [(0, -1)]), ValueError,
                                        "truth"),
        "lib.explain.nit.shape_function": Row(lambda: T.shape_function(T.NIT(4), (0, 9), [0.0]),
                                              ValueError, "group"),
        "lib.viz.nit.draw_gates": Row(lambda: _draw_nit().draw_gates(_ax(), np.ones((2, 3)),
                                                                     ["a"]), ValueError,
                                      "features"),
        "lib.viz.nit.draw_shape": Row(lambda: _draw_nit().draw_shape(_ax(), [0.0, 1.0],
                                                                     np.ones(3), ["a"]),
                                      ValueError, "values"),
    }


def _rows_network():
    from lib import network as N
    from lib import neuron as U

    identity = N.Network([np.ones((2, 1))], [np.zeros(1)], output="identity")
    points = np.array([[0.0, 0.0], [1.0, 1.0]])
    return {
        "lib.network.Network": Row(lambda: N.Network([], []), TypeError, "weights"),
        "lib.network.accuracy": Row(lambda: N.accuracy("réseau", *_xor()), TypeError, "net"),
        "lib.network.backward": Row(lambda: N.backward(_net(), np.ones((4, 3)), _xor()[1]),
                                    ValueError, "x"),
        "lib.network.decision_map": Row(lambda: N.decision_map(_net(), size=1), ValueError,
                                        "size"),
        "lib.network.forward": Row(lambda: N.forward(_net(), "x"), TypeError, "x"),
        "lib.network.gradient_check": Row(lambda: N.gradient_check(_net(), *_xor(), h=0),
                                          ValueError, "h"),
        "lib.network.gradient_descent": Row(lambda: N.gradient_descent(_net(), *_xor(), keep=5),
                                            TypeError, "keep"),
        "lib.network.init_network": Row(lambda: N.init_network([2]), TypeError, "sizes"),
        "lib.network.loss": Row(lambda: N.loss(_net(), _xor()[0], [0, 1, 2, 3]), ValueError,
                                "target"),
        "lib.network.numerical_gradient": Row(
            lambda: N.numerical_gradient(_net(), *_xor(), h=-1e-5), ValueError, "h"),
        "lib.network.predict": Row(lambda: N.predict(identity, points), ValueError, "net"),
        "lib.network.relative_error": Row(lambda: N.relative_error([], []), TypeError, "a"),
        "lib.network.to_torch": Row(lambda: N.to_torch("réseau"), TypeError, "net"),
        "lib.network.training_step": Row(lambda: N.training_step(_net(), *_xor(), 0.0),
                                         ValueError, "lr"),
        "lib.network.update": Row(lambda: N.update(_net(), "gradients", 0.1), TypeError,
                                  "grads"),
        "lib.neuron.accuracy": Row(lambda: U.accuracy(points, [0, 2], [1, 1], 0), ValueError,
                                   "target"),
        "lib.neuron.decision_map": Row(lambda: U.decision_map([1, 1], 0, size=1), ValueError,
                                       "size"),
        "lib.neuron.inspect": Row(lambda: U.inspect(points, [0, 1], [1, 1], 0, index=5),
                                  ValueError, "index"),
        "lib.neuron.neuron": Row(lambda: U.neuron([1, 2], [1], 0), ValueError, "w"),
        "lib.neuron.pre_activation": Row(lambda: U.pre_activation([1, 2], [1, 2], "b"),
                                         TypeError, "b"),
        "lib.neuron.search_weights": Row(lambda: U.search_weights(points, [0, 1], []),
                                         ValueError, "values"),
        "lib.neuron.separates": Row(lambda: U.separates([1.0, 2.0], [0, 1], [1, 1], 0),
                                    ValueError, "x"),
        "lib.neuron.steps": Row(lambda: U.steps(points, [1, 1], 0), ValueError, "x"),
        "lib.neuron.weighted_sum": Row(lambda: U.weighted_sum("x", [1.0]), TypeError, "x"),
    }


def _rows_training():
    from lib import training as T
    from lib import unsupervised as U

    x, y = torch.ones(4, 2, dtype=torch.float64), torch.tensor([0, 1, 0, 1])
    points = np.random.default_rng(0).random((6, 2))
    return {
        "lib.training.accuracy": Row(lambda: T.accuracy(_cnn(), "x", y), TypeError, "x"),
        "lib.training.predict": Row(lambda: T.predict("modèle", x), TypeError, "model"),
        "lib.training.train": Row(lambda: T.train(_cnn(), x, y, epochs=0), ValueError, "epochs"),
        "lib.unsupervised.assign": Row(lambda: U.assign(points, np.ones((2, 3))), ValueError,
                                       "centers"),
        "lib.unsupervised.autoencoder_report": Row(
            lambda: U.autoencoder_report("modèle", x, y), TypeError, "model"),
        "lib.unsupervised.compare": Row(lambda: U.compare([0, 1], [0]), ValueError, "labels"),
        "lib.unsupervised.contingency": Row(lambda: U.contingency([-1, 0], [0, 1]), ValueError,
                                            "groups"),
        "lib.unsupervised.encode": Row(lambda: U.encode(_cnn(), x), TypeError, "model"),
        "lib.unsupervised.fit_autoencoder": Row(lambda: U.fit_autoencoder(np.ones((4, 2))),
                                                TypeError, "x"),
        "lib.unsupervised.kmeans": Row(lambda: U.kmeans(points, 0), ValueError, "k"),
        "lib.unsupervised.kmeans_report": Row(lambda: U.kmeans_report(points, [0] * 5, 2),
                                              ValueError, "labels"),
        "lib.unsupervised.propagate": Row(lambda: U.propagate([0, 1], [-1]), ValueError,
                                         "group_labels"),
        "lib.unsupervised.purity": Row(lambda: U.purity([0, 1], [0, 1, 2]), ValueError,
                                       "labels"),
        "lib.unsupervised.reconstruct": Row(lambda: U.reconstruct(_autoencoder(), "x"),
                                            TypeError, "x"),
        "lib.unsupervised.representatives": Row(lambda: U.representatives(points, "groupes"),
                                                TypeError, "clustering"),
    }


def _rows_widgets():
    from lib import widgets as W

    return {
        "lib.widgets.Explorer.update": Row(lambda: _explorer().update(b=1.0), ValueError, "b"),
        "lib.widgets.benchmark": Row(lambda: W.benchmark("figure"), TypeError, "explorer"),
        "lib.widgets.choice": Row(lambda: W.choice(3, ["et", "ou"]), TypeError, "label"),
        "lib.widgets.explore": Row(lambda: W.explore("calcul", print, a=W.toggle("a")),
                                   TypeError, "compute"),
        "lib.widgets.slider": Row(lambda: W.slider("a", 1.0, 0.0), ValueError, "high"),
        "lib.widgets.toggle": Row(lambda: W.toggle(None), TypeError, "label"),
    }


def _rows_viz():
    from lib import viz as V

    images, image = np.ones((2, 8, 8)), np.ones((8, 8))
    return {
        "lib.viz._style.colorbar": Row(lambda: V.colorbar("ax", None), TypeError, "ax"),
        "lib.viz._style.french_ticks": Row(lambda: V.french_ticks([_ax()]), TypeError, "ax"),
        "lib.viz.alt_text.figure_alt_text": Row(lambda: V.alt_text.figure_alt_text(_ax()),
                                                TypeError, "fig"),
        "lib.viz.activations.draw_activations": Row(lambda: V.draw_activations(_ax(), "courbes"),
                                                    TypeError, "result"),
        "lib.viz.activations.draw_descent": Row(lambda: V.draw_descent(_ax(), 3), TypeError,
                                                "descents"),
        "lib.viz.activations.draw_gradient_chain": Row(lambda: V.draw_gradient_chain(_ax(), []),
                                                       ValueError, "chains"),
        "lib.viz.activations.draw_slope": Row(lambda: V.draw_slope(_ax(), None), TypeError,
                                              "result"),
        "lib.viz.activations.draw_softmax": Row(lambda: V.draw_softmax(_ax(), [0.5, 0.5],
                                                                       labels=3), TypeError,
                                                "labels"),
        "lib.viz.activations.draw_tangent": Row(lambda: V.draw_tangent("ax", None), TypeError,
                                                "ax"),
        "lib.viz.convolution.draw_feature_map": Row(lambda: V.draw_feature_map(_ax(), images),
                                                    ValueError, "image"),
        "lib.viz.convolution.draw_filtering": Row(
            lambda: V.draw_filtering(_axes(3), image, np.ones((3, 3)), "sortie"), TypeError,
            "output"),
        "lib.viz.convolution.draw_kernel": Row(lambda: V.draw_kernel(_ax(), np.ones(3)),
                                               ValueError, "weights"),
        "lib.viz.convolution.draw_maps": Row(lambda: V.draw_maps(_ax(), images, ncols=0),
                                             ValueError, "ncols"),
        "lib.viz.convolution.draw_sliding_window": Row(
            lambda: V.draw_sliding_window(_axes(3), image), TypeError, "window"),
        "lib.viz.explain.draw_attribution": Row(lambda: V.draw_attribution(_ax(), image, "carte"),
                                                TypeError, "map"),
        "lib.viz.explain.draw_attribution_row": Row(
            lambda: V.draw_attribution_row(_axes(2), image, [image]), TypeError, "maps"),
        "lib.viz.perturbation.draw_curves": Row(lambda: V.draw_curves(_ax(), [0.5, 0.2]),
                                                TypeError, "curves"),
        "lib.viz.perturbation.draw_mask": Row(lambda: V.draw_mask(_ax(), images * 2), ValueError,
                                              "mask"),
        "lib.viz.learning.draw_autoencoder": Row(lambda: V.draw_autoencoder(_ax(), None),
                                                 TypeError, "report"),
        "lib.viz.learning.draw_code": Row(lambda: V.draw_code(_ax(), [["a", "b"]], [0]),
                                          TypeError, "codes"),
        "lib.viz.learning.draw_code_sizes": Row(lambda: V.draw_code_sizes(_ax(), []), TypeError,
                                                "reports"),
        "lib.viz.learning.draw_contingency": Row(lambda: V.draw_contingency(_ax(), image),
                                                 TypeError, "comparison"),
        "lib.viz.learning.draw_digits": Row(lambda: V.draw_digits(_ax(), images, labels=1),
                                            TypeError, "labels"),
        "lib.viz.learning.draw_kmeans": Row(lambda: V.draw_kmeans(_ax(), None), TypeError,
                                            "report"),
        "lib.viz.network.draw_loss_curve": Row(lambda: V.draw_loss_curve(_ax(), "abc"),
                                               TypeError, "loss"),
        "lib.viz.network.draw_network": Row(lambda: V.draw_network(_ax(), "réseau"), TypeError,
                                            "net"),
        "lib.viz.network.draw_network_map": Row(lambda: V.draw_network_map(_ax(), image),
                                                TypeError, "result"),
        "lib.viz.network.draw_representation": Row(
            lambda: V.draw_representation(_ax(), images[0, :3, :2], [0, 1]), ValueError,
            "target"),
        "lib.viz.network.draw_training_step": Row(lambda: V.draw_training_step(_axes(), None, 0),
                                                  TypeError, "step"),
        "lib.viz.neuron.draw_decision": Row(lambda: V.draw_decision(_ax(), image), TypeError,
                                            "result"),
        "lib.viz.neuron.draw_inspection": Row(lambda: V.draw_inspection(_axes(), image),
                                              TypeError, "result"),
        "lib.viz.neuron.draw_steps": Row(lambda: V.draw_steps(_ax(), None), TypeError, "result"),
        "lib.viz.transparency.draw_completeness": Row(
            lambda: V.draw_completeness(_ax(), [0, 10], [0.1, 0.01]), ValueError, "steps"),
        "lib.viz.transparency.draw_gallery": Row(lambda: V.draw_gallery("ax", images),
                                                 TypeError, "axes"),
        "lib.viz.transparency.draw_probabilities": Row(
            lambda: V.draw_probabilities(_ax(), [0.5, 0.5], 2), TypeError, "classes"),
        "lib.viz.transparency.draw_sanity_checks": Row(
            lambda: V.draw_sanity_checks(_ax(), 3, {"gradient": [1.0]}), TypeError, "layers"),
        "lib.viz.transparency.draw_scores": Row(lambda: V.draw_scores(_ax(), {"g": 0.5},
                                                                      label=None), TypeError,
                                                "label"),
        "lib.viz.transparency.draw_square": Row(lambda: V.draw_square(_ax(), 0, 0, 2,
                                                                      color="bleuâtre"),
                                                ValueError, "color"),
        "lib.viz.transparency.draw_transparency_map": Row(
            lambda: V.draw_transparency_map(None), TypeError, "ax"),
    }


def _rows_influence():
    from lib import comparison as CMP
    from lib.explain import influence as INF
    from lib.viz import comparison as VC
    from lib.viz import influence as VI

    model, f64 = torch.nn.Linear(2, 1).double(), torch.float64
    data = (torch.ones(3, 2, dtype=f64), torch.ones(3, dtype=f64))

    def bce(out, y):
        return torch.nn.functional.binary_cross_entropy_with_logits(out.squeeze(1), y)

    return {
        "lib.explain.influence.influence": Row(
            lambda: INF.influence(model, bce, data, data, method="newton"), ValueError, "method"),
        "lib.explain.influence.self_influence": Row(
            lambda: INF.self_influence(model, bce, data, damping=-1.0), ValueError, "damping"),
        "lib.explain.influence.perturbation_influence": Row(
            lambda: INF.perturbation_influence(model, bce, data, data[0]), TypeError, "test"),
        "lib.explain.influence.leave_one_out": Row(
            lambda: INF.leave_one_out(model, bce, data, data, indices=[7]), ValueError,
            "indices"),
        "lib.explain.influence.fit": Row(lambda: INF.fit(model, bce, data, tol=0), ValueError,
                                         "tol"),
        "lib.explain.influence.hessian": Row(
            lambda: INF.hessian(torch.nn.Flatten(), bce, data), ValueError, "model"),
        "lib.explain.influence.test_loss": Row(
            lambda: INF.test_loss(model, bce, (data[0], data[1][:2])), ValueError, "test"),
        "lib.viz.influence.draw_influence_scatter": Row(
            lambda: VI.draw_influence_scatter(_ax(), np.ones(3), np.ones(4)), ValueError,
            "actual"),
        "lib.comparison.measure_method": Row(
            lambda: CMP.measure_method(len, model, data[0], [0], None), TypeError, "method"),
        "lib.comparison.head_features": Row(
            lambda: CMP.head_features(model, data[0], layer="fc9"), ValueError, "layer"),
        "lib.comparison.head_influence": Row(
            lambda: CMP.head_influence(model, data[0], data, layer=""), TypeError, "train"),
        "lib.viz.comparison.draw_properties": Row(lambda: VC.draw_properties(_ax(), []),
                                                  TypeError, "rows"),
        "lib.viz.comparison.draw_examples": Row(
            lambda: VC.draw_examples(_ax(), np.ones((2, 3, 4, 4))), ValueError, "images"),
        "lib.viz.influence.draw_convergence": Row(
            lambda: VI.draw_convergence(_ax(), np.ones(5), depth=9), ValueError, "depth"),
        "lib.viz.influence.draw_removal": Row(lambda: VI.draw_removal(_ax(), [0, 1], []),
                                              TypeError, "curves"),
    }


def _rows_structures():
    from lib import attention as At
    from lib import learning_curve as L
    from lib import recurrent as R
    from lib import viz as V

    seqs, classes = torch.zeros(3, 4, 1, dtype=torch.float64), torch.tensor([0, 1, 0])
    return {
        "lib.attention.attention": Row(lambda: At.attention([1.0, 0.0, 0.0], At.EXAMPLE_KEYS),
                                       ValueError, "query"),
        "lib.attention.query": Row(lambda: At.query(30.0, -1.0), ValueError, "norm"),
        "lib.learning_curve.learning_curve": Row(lambda: L.learning_curve(0, sizes=[5]),
                                                 ValueError, "sizes"),
        "lib.learning_curve.smallest_size": Row(lambda: L.smallest_size({10: 0.5}, 2.0),
                                                ValueError, "threshold"),
        "lib.learning_curve.subset": Row(lambda: L.subset([0, 1, 1], 4), ValueError, "n"),
        "lib.recurrent.ElmanRNN": Row(lambda: R.ElmanRNN(hidden_size=0), ValueError,
                                      "hidden_size"),
        "lib.recurrent.ElmanRNN.forward": Row(lambda: R.ElmanRNN()(torch.zeros(3, 4, 2)),
                                              ValueError, "x"),
        "lib.recurrent.ElmanRNN.states": Row(lambda: R.ElmanRNN().states(np.zeros((3, 4, 1))),
                                             TypeError, "x"),
        "lib.recurrent.sequence_task": Row(lambda: R.sequence_task(10, length=0), ValueError,
                                           "length"),
        "lib.recurrent.through_time": Row(lambda: R.through_time(1.0, 5, "relu"), ValueError,
                                          "activation"),
        "lib.recurrent.train_rnn": Row(lambda: R.train_rnn(R.ElmanRNN(), seqs, classes[:2]),
                                       ValueError, "y"),
        "lib.viz.learning_curve.draw_learning_curve": Row(
            lambda: V.draw_learning_curve(_ax(), {"a": [0.5]}), TypeError, "curves['a']"),
        "lib.viz.structures.draw_attention": Row(
            lambda: V.draw_attention(_axes(), At.attention([1.0, 0.0], At.EXAMPLE_KEYS), ["a"]),
            ValueError, "words"),
        "lib.viz.structures.draw_structure": Row(lambda: V.draw_structure(_ax(), "lstm"),
                                                 ValueError, "kind"),
        "lib.viz.structures.draw_through_time": Row(
            lambda: V.draw_through_time(_axes(), "états"), TypeError, "result"),
    }


def _rows() -> dict:
    return {**_rows_lib(), **_rows_explain(), **_rows_network(), **_rows_training(),
            **_rows_widgets(), **_rows_viz(), **_rows_influence(), **_rows_structures()}


ROWS = _rows()

#: Classes de résultats : des dataclasses que lib construit et renvoie, jamais le lecteur.
RESULTS = {
    "lib.activations.Curves", "lib.activations.Descent", "lib.activations.GradientChain",
    "lib.activations.Tangent", "lib.attention.Attention", "lib.recurrent.ThroughTime",
    "lib.convolution.SlidingWindow", "lib.data.Split",
    "lib.explain.hooks.Capture", "lib.explain.nit.NITHistory",
    "lib.explain.perturbation.Perturbation",
    "lib.network.Descent", "lib.network.Forward",
    "lib.network.Gradients", "lib.network.NetworkMap", "lib.network.TrainingStep",
    "lib.neuron.DecisionMap", "lib.neuron.Inspection", "lib.neuron.NeuronSteps",
    "lib.neuron.WeightSearch", "lib.training.History", "lib.unsupervised.AutoencoderReport",
    "lib.unsupervised.Clustering", "lib.unsupervised.Comparison", "lib.unsupervised.KMeansReport",
    "lib.widgets.Explorer",
}


def _more_rows() -> list:
    """D'autres mauvaises entrées, dont celles que lib ne vérifie pas encore (``xfail``)."""
    from lib import data, training, viz
    from lib.explain import gradient
    from lib.models import SmallCNN

    x = torch.rand(2, 1, 8, 8, dtype=torch.float64)
    return [
        ("lib.viz.network.draw_representation",
         Row(lambda: viz.draw_representation(_ax(), [[0.5, 1.0, 2.0]], [0]), ValueError,
             "hidden")),
        ("lib.viz.network.draw_loss_curve",
         Row(lambda: viz.draw_loss_curve(_ax(), [1.0, 0.5], highlight=2), ValueError,
             "highlight")),
        ("lib.viz.transparency.draw_gallery",
         Row(lambda: viz.draw_gallery(_axes(), np.ones((2, 4, 4)), titles=3), TypeError,
             "titles")),
        ("lib.viz.neuron.draw_decision",
         Row(lambda: viz.draw_decision(_ax(), _decision(), [[0.0, 1.0]], [2]), ValueError,
             "target")),
        ("lib.training.train",
         Row(lambda: training.train(SmallCNN(2), x, torch.tensor([0, 7]), epochs=1),
             ValueError, "y")),
        ("lib.training.train",
         Row(lambda: training.train(SmallCNN(2), x, torch.rand(2, 3, dtype=torch.float64),
                                    loss="mse", epochs=1), ValueError, "y")),
        ("lib.explain.saliency.gradient",
         Row(lambda: gradient(_cnn(), torch.rand(1, 3, 8, 8, dtype=torch.float64), 0),
             ValueError, "x", "image à 3 canaux pour un modèle à 1 canal : RuntimeError de "
             "PyTorch « expected input[1, 3, 8, 8] to have 1 channels »")),
        ("lib.data.digits",
         Row(lambda: data.digits(images="oui"), TypeError, "images")),
    ]


def _decision():
    from lib import neuron

    return neuron.decision_map([1.0, 1.0], -1.0, size=4)


MORE_ROWS = _more_rows()


def _params(rows) -> list:
    return [pytest.param(row, marks=pytest.mark.xfail(strict=True, reason=row.xfail), id=key)
            if row.xfail else pytest.param(row, id=key) for key, row in rows]


def test_every_public_callable_has_a_row():
    public = public_callables()
    missing = sorted(set(public) - set(ROWS) - RESULTS)
    assert not missing, "ajoutez une ligne à ROWS pour : " + ", ".join(missing)
    stale = sorted((set(ROWS) | RESULTS | {key for key, _ in MORE_ROWS}) - set(public))
    assert not stale, "lignes sans fonction publique : " + ", ".join(stale)
    assert all(dataclasses.is_dataclass(public[name]) for name in RESULTS)


@pytest.mark.parametrize("row", _params(sorted(ROWS.items())) + _params(MORE_ROWS))
def test_bad_input_gives_a_french_error_naming_the_parameter(row):
    with pytest.raises((ValueError, TypeError)) as info:
        row.call()
    assert isinstance(info.value, row.error), f"{type(info.value).__name__} : {info.value}"
    assert_french(str(info.value), row.name)


def test_discovery_finds_functions_classes_and_methods():
    public = public_callables()
    for key in ("lib.set_seed", "lib.widgets.slider", "lib.network.Network",
                "lib.repeat.Spread.interval", "lib.explain.hooks.capture"):
        assert key in public
    assert "lib.widgets.explorers" not in public  # aucun paramètre : rien à lui donner de faux
    assert not any(".viz._style.FrenchFormatter" in key for key in public)  # module privé


def test_assert_french_rejects_english_and_unnamed_messages():
    assert_french("`x` doit être un tableau ; reçu : 'a'", "x")
    with pytest.raises(AssertionError):
        assert_french("could not convert string to float: 'abc'", "x")
    with pytest.raises(AssertionError):
        assert_french("`y` doit être un tableau", "x")
