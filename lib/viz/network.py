"""Dessins des chapitres 3 et 5 : le réseau et ses poids, ses régions de décision, sa perte."""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator

from lib import _validation as check
from lib import french
from lib.viz._style import (
    CLASS_COLORS,
    CMAP_POSITIVE,
    CMAP_SIGNED,
    colorbar,
    compact,
    drawing,
    memory,
    string,
    subscript,
)
from lib.viz._style import color as check_color

__all__ = ["draw_network", "draw_network_map", "draw_representation", "draw_loss_curve",
           "draw_training_step", "PHASES"]

_MARKERS = ("o", "^", "s", "D")
_INACTIVE = "#d0d0d0"


def _check_net(net):
    from lib.network import Network

    if not isinstance(net, Network):
        raise TypeError(f"`net` doit être un lib.network.Network ; reçu : {type(net).__name__}")


def _positions(sizes) -> list:
    """Ordonnées des neurones de chaque couche, centrées sur 0 (la couche l est en abscisse l)."""
    return [np.arange(n)[::-1] - (n - 1) / 2 for n in sizes]


def _per_layer(name: str, values, shapes) -> list:
    """Vérifie une liste (une entrée par couche, ``None`` = couche grisée) de formes ``shapes``."""
    if values is None:
        return [None] * len(shapes)
    if not isinstance(values, list | tuple) or len(values) != len(shapes):
        raise ValueError(f"`{name}` doit être une liste de {len(shapes)} tableaux (ou None) ; "
                         f"reçu : {type(values).__name__} de longueur "
                         f"{len(values) if hasattr(values, '__len__') else '?'}")
    out = []
    for i, (v, shape) in enumerate(zip(values, shapes, strict=True)):
        v = None if v is None else check.array(f"{name}[{i}]", v)
        if v is not None and v.shape != shape:
            raise ValueError(f"`{name}[{i}]` doit avoir la forme {shape} ; reçu : {v.shape}")
        out.append(v)
    return out


def _layer_names(n_layers: int) -> list:
    hidden = ["couche cachée"] if n_layers == 3 else [
        f"cachée {i}" for i in range(1, n_layers - 1)]
    return ["entrée", *hidden, "sortie"]


def _draw_edges(ax, net, ys, edges, edge_label):
    active, inactive, colors = [], [], []
    for layer, w in enumerate(edges):
        for j in range(net.sizes[layer]):
            for k in range(net.sizes[layer + 1]):
                segment = [(layer, ys[layer][j]), (layer + 1, ys[layer + 1][k])]
                if w is None:
                    inactive.append(segment)
                else:
                    active.append(segment)
                    colors.append(w[j, k])
    if inactive:
        ax.add_collection(LineCollection(inactive, colors=_INACTIVE, linewidths=0.8, zorder=1),
                          autolim=False)
    if active:
        colors = np.array(colors)
        vmax = max(float(np.abs(colors).max()), 1e-12)
        lines = LineCollection(active, cmap=CMAP_SIGNED, norm=Normalize(-vmax, vmax),
                               linewidths=0.6 + 5.0 * np.abs(colors) / vmax, zorder=1)
        lines.set_array(colors)
        ax.add_collection(lines, autolim=False)
        if edge_label is not None:
            colorbar(ax, lines, edge_label)
            memory(ax).colorbar.set_ticks([-vmax, 0.0, vmax], labels=[compact(-vmax, 2), "0",
                                                                  compact(vmax, 2)])


def _draw_nodes(ax, ys, values, annotate):
    """Tous les neurones en un seul nuage de points (un seul objet à dessiner : plus rapide)."""
    known = [v for v in values if v is not None]
    vmax = max([float(np.abs(v).max()) for v in known] + [1e-12])
    cmap = colormaps[CMAP_SIGNED]
    xs = np.concatenate([np.full(len(y), layer, dtype=float) for layer, y in enumerate(ys)])
    faces, edges = [], []
    for y, v in zip(ys, values, strict=True):
        faces.extend([(1.0, 1.0, 1.0, 1.0)] * len(y) if v is None else cmap(0.5 + 0.5 * v / vmax))
        edges.extend(["#808080" if v is None else "black"] * len(y))
    ax.scatter(xs, np.concatenate(ys), s=560 if annotate else 260, c=np.array(faces),
               edgecolors=edges,
               linewidths=1.0, zorder=3)
    if annotate:
        for layer, (y, v) in enumerate(zip(ys, values, strict=True)):
            for yy, value in zip(y, [] if v is None else v, strict=False):
                ax.text(layer, yy, french.number(value), ha="center", va="center", fontsize=8,
                        zorder=4, color="white" if abs(value) > 0.6 * vmax else "black")


@drawing
def draw_network(ax, net, *, values=None, edges=None, edge_label="poids", title=None,
                 annotate=False):
    """Dessine le réseau : une colonne de neurones par couche, une arête par poids.

    Couleur d'une arête = signe de la valeur (rouge positif, bleu négatif), épaisseur =
    amplitude (barre de couleur étiquetée ``edge_label``, aucune si ``None``). ``edges``
    (une matrice ``(n_{l−1}, n_l)`` par couche, ``None`` = arêtes grisées) remplace les
    poids, par exemple par leurs gradients ; ``values`` (un vecteur par couche, ``None`` =
    neurones blancs) colore les neurones, ``annotate`` écrit leurs valeurs. Voir les
    chapitres 3 et 5.
    """
    _check_net(net)
    string("edge_label", edge_label, optional=True)
    sizes = net.sizes
    edges = _per_layer("edges", net.weights if edges is None else edges,
                       [w.shape for w in net.weights])
    values = _per_layer("values", values, [(n,) for n in sizes])
    ys = _positions(sizes)
    _draw_edges(ax, net, ys, edges, edge_label)
    _draw_nodes(ax, ys, values, annotate)
    low = min(y.min() for y in ys)
    for layer, name in enumerate(_layer_names(len(sizes))):
        ax.text(layer, low - 0.6, name, ha="center", va="top", fontsize=8)
    ax.set_xlim(-0.4, len(sizes) - 0.6)
    ax.set_ylim(low - 1.1, -low + 0.5)
    ax.set_axis_off()
    if title is not None:
        ax.set_title(title)
    return ax


def _classes(names: tuple, x, target):
    """Vérifie des points ``(N, 2)`` et leurs classes (entiers ≥ 0, une par point)."""
    x = check.array(names[0], x, ndim=2, last=2)
    target = check.array(names[1], target, ndim=1)
    if len(target) != len(x) or np.any(target < 0) or np.any(target != target.round()):
        raise ValueError(f"`{names[1]}` doit contenir une classe (entier ≥ 0) par point de "
                         f"`{names[0]}` ({len(x)}) ; reçu : {check.describe(target)}")
    return x, target.astype(int)


def _scatter_classes(ax, x, target):
    for label in np.unique(target):
        keep = target == label
        ax.plot(*x[keep].T, ls="none", marker=_MARKERS[label % 4], ms=5.5,
                color=CLASS_COLORS[label % len(CLASS_COLORS)], mec="white", mew=0.7,
                label=f"classe {label}", zorder=3)


@drawing
def draw_network_map(ax, result, x=None, target=None, *, lines=True, legend=True,
                     title=None, colorbar_label="auto"):
    """Dessine la sortie d'un réseau sur le plan (un :class:`lib.network.NetworkMap`).

    ``lines`` ajoute la droite ``z = 0`` de chaque neurone de la 1re couche ; ``x``
    ``(N, 2)`` et ``target`` ajoutent le nuage de points ; ``colorbar_label=None`` retire
    la barre de couleur (plus rapide dans une figure interactive). Voir le chapitre 3.
    """
    from lib.network import NetworkMap

    if not isinstance(result, NetworkMap):
        raise TypeError(f"`result` doit être un NetworkMap ; reçu : {type(result).__name__}")
    string("colorbar_label", colorbar_label, optional=True)
    if x is not None:
        x, target = _classes(("x", "target"), x, target)
    bounded = result.kind in ("sigmoid", "softmax")
    low, high = (0.0, 1.0) if bounded else (result.output.min(), result.output.max())
    image = ax.imshow(result.output, origin="lower", extent=result.extent, cmap=CMAP_POSITIVE,
                      vmin=low, vmax=max(high, low + 1e-9), interpolation="nearest")
    if colorbar_label == "auto":
        colorbar_label = f"P(classe {result.unit if result.kind == 'softmax' else 1})" if (
            bounded) else f"sortie {result.unit}"
    if colorbar_label is not None:
        colorbar(ax, image, colorbar_label)
        if bounded:
            memory(ax).colorbar.set_ticks([0.0, 0.5, 1.0])
    if lines:
        for k, segment in enumerate(result.lines):
            if segment is not None:
                ax.plot(*segment.T, color="white", lw=1.2, ls="--",
                        label="droites des neurones cachés" if k == 0 else None)
    if x is not None:
        _scatter_classes(ax, x, target)
    ax.set_xlim(result.extent[:2])
    ax.set_ylim(result.extent[2:])
    ticks = [t for t in (0.0, 1.0) if result.extent[0] <= t <= result.extent[1]]
    ax.set_xticks(ticks)  # peu de graduations : le texte coûte cher à redessiner
    ax.set_yticks(ticks)
    ax.set_xlabel("entrée x₁")
    ax.set_ylabel("entrée x₂")
    ax.set_title("Sortie du réseau" if title is None else title)
    if legend and (x is not None or lines):
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize="small",
                  facecolor="0.7", edgecolor="none", handlelength=1.5, columnspacing=1.0)
    return ax


@drawing
def draw_representation(ax, hidden, target, *, weights=None, bias=0.0,
                        title="Ce que voit la couche de sortie"):
    """Place chaque exemple selon les sorties ``(h₁, h₂)`` de deux neurones cachés.

    Dans cet espace, des classes inséparables par une droite à l'entrée peuvent le devenir :
    ``weights`` ``(2,)`` et ``bias`` ajoutent la droite ``w₁h₁ + w₂h₂ + b = 0`` du neurone
    de sortie. Voir le chapitre 3.
    """
    hidden, target = _classes(("hidden", "target"), hidden, target)
    bias = check.number("bias", bias)
    _scatter_classes(ax, hidden, target)
    if weights is not None:
        w = check.array("weights", weights).ravel()
        if w.shape != (2,) or not np.any(w):
            raise ValueError(f"`weights` doit contenir deux poids finis non tous nuls ; "
                             f"reçu : {weights!r}")
        low, high = min(hidden.min(), 0.0) - 0.05, max(hidden.max(), 1.0) + 0.05
        t = np.array([low, high])
        x1, x2 = (t, -(w[0] * t + bias) / w[1]) if w[1] != 0 else (np.full(2, -bias / w[0]), t)
        ax.plot(x1, x2, color="black", ls="--", lw=1.2, label="droite du neurone de sortie")
        ax.set_xlim(low, high)
        ax.set_ylim(low, high)
    ax.set_xlabel("neurone caché h₁")
    ax.set_ylabel("neurone caché h₂")
    ax.set_title(title)
    ax.legend(loc="best", fontsize="small", framealpha=0.8)
    return ax


@drawing
def draw_loss_curve(ax, loss, *, label=None, color=None, highlight=None, log=True,
                    title="Perte pendant l'entraînement"):
    """Trace la perte en fonction du nombre de pas (échelle logarithmique si ``log``).

    ``highlight`` marque d'un point le pas de ce numéro. Voir le chapitre 5.
    """
    loss = check.array("loss", loss, finite=False)  # nan après une divergence
    if loss.ndim != 1 or len(loss) < 1:
        raise ValueError(f"`loss` doit être une suite de pertes (1 dimension) ; reçu : "
                         f"forme {loss.shape}")
    string("label", label, optional=True)
    check_color("color", color)
    if highlight is not None:
        highlight = check.number("highlight", highlight, low=0, high=len(loss) - 1, integer=True)
    ax.plot(np.arange(len(loss)), loss, color=color, lw=1.6, label=label)
    if highlight is not None:
        ax.plot([highlight], [loss[highlight]], "o", color="black", ms=6, zorder=3)
    if log:
        ax.set_yscale("log")
        ax.minorticks_off()  # moins de graduations : plus lisible et plus rapide à redessiner
        ax.yaxis.set_major_locator(LogLocator(numticks=4))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: compact(value)))
    ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    ax.set_xlabel("pas de descente de gradient")
    ax.set_ylabel("perte")
    ax.set_title(title)
    if label is not None:
        ax.legend(fontsize="small")
    return ax


#: Les phases d'une étape d'entraînement, dans l'ordre de :func:`draw_training_step`.
PHASES = ("propagation avant", "erreur", "gradients", "mise à jour")


def _phase(n_layers: int, phase: int):
    """(nom, couche) : la phase 2 + i remonte les gradients jusqu'à la couche ``L − i``."""
    if phase < 2:
        return PHASES[phase], None
    if phase < 2 + n_layers:
        return PHASES[2], n_layers - (phase - 2)
    return PHASES[3], None


def _step_view(step, phase: int, index: int):
    """Valeurs des neurones, valeurs des arêtes, légende et texte d'une phase de l'étape."""
    fwd, grads, n_layers = step.forward, step.gradients, len(step.network.weights)
    name, layer = _phase(n_layers, phase)
    blank = [None] * (n_layers + 1)
    error = fwd.output[index] - _target_row(step, index)
    if name == PHASES[0]:
        return [a[index] for a in fwd.a], list(step.network.weights), "poids", _forward_text(
            fwd, index)
    if name == PHASES[1]:
        return blank[:-1] + [error], [None] * n_layers, "poids", (
            f"sortie ŷ = {_vector(fwd.output[index])}\ncible  y = "
            f"{_vector(_target_row(step, index))}\nerreur ŷ − y = {_vector(error)}\n\n"
            f"perte du lot : L = {french.number(step.loss, 5)}")
    if name == PHASES[2]:
        values = blank[:layer] + [d[index] for d in grads.deltas[layer - 1:]]
        edges = [None] * (layer - 1) + list(grads.weights[layer - 1:])
        norm = np.linalg.norm(grads.weights[layer - 1])
        k, up, down = (subscript(n) for n in (layer, layer + 1, layer - 1))
        return values, edges, "gradient ∂L/∂W", (
            f"couche {layer} (δ remonte de la sortie)\n"
            + (f"δ{k} = ∂L/∂Z{k} = (Ŷ − Y)/N\n" if layer == n_layers else
               f"δ{k} = (δ{up} W{up}ᵀ) ⊙ f'(Z{k})\n")
            + f"∂L/∂W{k} = A{down}ᵀ δ{k}\n‖∂L/∂W{k}‖ = {french.number(norm, 4)}")
    change = max(float(np.abs(g).max()) for g in grads.weights) * step.lr
    return blank, list(step.updated.weights), "poids mis à jour", (
        f"W ← W − η ∂L/∂W   (η = {compact(step.lr)})\nb ← b − η ∂L/∂b\n"
        f"plus grand changement : {french.number(change, 5)}\n\n"
        f"perte avant : {french.number(step.loss, 5)}\n"
        f"perte après : {french.number(step.updated_loss, 5)}")


def _vector(v) -> str:
    """« (0,50 ; −1,25) » : le point-virgule sépare les nombres écrits avec une virgule."""
    return "(" + " ; ".join(french.number(x) for x in np.atleast_1d(v)) + ")"


def _target_row(step, index: int) -> np.ndarray:
    k = step.network.sizes[-1]
    if step.network.output == "softmax":
        return np.eye(k)[int(step.target[index])]
    return np.atleast_1d(step.target[index]).astype(float)


def _forward_text(fwd, index: int) -> str:
    lines = [f"x = {_vector(fwd.a[0][index])}"]
    for layer in range(1, len(fwd.a) - 1):
        k = subscript(layer)
        lines.append(f"h{k} = f(Z{k}) = {_vector(fwd.a[layer][index])}")
    lines.append(f"ŷ = {_vector(fwd.output[index])}")
    return "\n".join(lines)


@drawing
def draw_training_step(axes, step, phase: int, *, index: int = 0):
    """Dessine une phase d'une :class:`lib.network.TrainingStep` sur deux axes (réseau, texte).

    Phases : 0 propagation avant, 1 erreur, 2 … L + 1 gradients de la couche L à la
    couche 1 (ils remontent le réseau), L + 2 mise à jour. ``index`` est l'exemple dont
    on montre les valeurs. Les couleurs (rouge positif, bleu négatif) sont normalisées dans
    chaque phase : ce sont les nombres du texte qui donnent les valeurs. Voir le chapitre 5.
    """
    from lib.network import TrainingStep

    if not isinstance(step, TrainingStep):
        raise TypeError(f"`step` doit être une TrainingStep ; reçu : {type(step).__name__}")
    axes = np.atleast_1d(axes)
    if axes.size != 2:
        raise ValueError(f"`axes` doit contenir deux axes ; reçu : {axes.size}")
    n_phases = len(step.network.weights) + 3
    if not isinstance(phase, int | np.integer) or not 0 <= phase < n_phases:
        raise ValueError(f"`phase` doit être un entier de 0 à {n_phases - 1} ; reçu : {phase!r}")
    if not isinstance(index, int | np.integer) or not 0 <= index < len(step.x):
        raise ValueError(f"`index` doit être un entier de 0 à {len(step.x) - 1} ; "
                         f"reçu : {index!r}")
    diagram, text = axes.flat
    values, edges, label, body = _step_view(step, int(phase), int(index))
    name, _ = _phase(len(step.network.weights), int(phase))
    draw_network(diagram, step.network, values=values, edges=edges, edge_label=None,
                 annotate=True, title=f"Phase {phase + 1}/{n_phases} : {name}")
    text.set_axis_off()
    text.text(0.0, 1.0, f"{body}\n\n(arêtes : {label})", transform=text.transAxes, va="top",
              ha="left", family="monospace", fontsize=10)
    text.set_title(f"Exemple {index}", loc="left")
    return axes
