"""Chronomètre chaque méthode du registre ``lib.explain.METHODS`` contre son équivalent de captum.

Usage : ``python bench/explain.py [--batch 64] [--repeats 15] [--methods Gradient Grad-CAM]``.

La boucle parcourt ``explain.METHODS`` : une méthode ajoutée au registre est chronométrée
sans toucher à ce script. Même modèle (``lib.models.SmallCNN``, float64), même lot d'images,
mêmes options, même appel ``method(model, x, target, **options)`` (Grad-CAM observe sa
couche par défaut, la dernière convolution) ; chaque répétition exécute notre méthode puis
la référence, en alternance, pour que la charge de la machine pèse autant sur les deux. On
mesure le temps processeur du processus (``time.process_time``) avec un seul fil de calcul
par défaut : sur une machine partagée, le temps d'horloge compte aussi l'attente du
processeur, qui varie d'une mesure à l'autre. Le script affiche un tableau : méthode, nous
(ms), référence (ms) (médianes), rapport (médiane des rapports référence / nous,
répétition par répétition ; > 1 : nous sommes plus rapides) et l'écart maximal entre les
deux résultats. Grad-CAM++ n'existe pas dans captum : il est comparé à une implémentation
directe, image par image, de la même formule ; la perturbation significative n'a pas de
référence (colonnes « — »).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import torch
from captum.attr import IntegratedGradients, LayerGradCam, NoiseTunnel, Occlusion, Saliency

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib import explain  # noqa: E402
from lib.explain.hooks import last_conv_layer  # noqa: E402
from lib.models import SmallCNN  # noqa: E402

#: Options de chaque méthode (les mêmes pour la référence) ; les autres gardent leurs défauts.
OPTIONS = {"SmoothGrad": {"noise": 0.15, "samples": 25}, "Gradients intégrés": {"steps": 50},
           "Occlusion": {"size": 8, "stride": 4}, "Perturbation significative": {"steps": 100}}


def naive_grad_cam_pp(model, x, target, layer):
    """Grad-CAM++ directe : une image à la fois, crochet avant, même formule (éq. 19)."""
    module = dict(model.named_modules())[layer]
    maps = []
    for image, label in zip(x, target.tolist(), strict=True):
        saved = {}
        handle = module.register_forward_hook(lambda m, i, o, saved=saved: saved.update(a=o))
        try:
            score = model(image[None].clone().requires_grad_(True))[0, label]
        finally:
            handle.remove()
        (g,) = torch.autograd.grad(score, saved["a"])
        a = saved["a"].detach()
        denominator = 2 * g**2 + a.sum(dim=(2, 3), keepdim=True) * g**3
        alpha = torch.where(denominator != 0, g**2 / denominator, torch.zeros_like(g))
        weights = (alpha * torch.relu(torch.exp(score.detach()) * g)).sum(dim=(2, 3),
                                                                           keepdim=True)
        maps.append(torch.relu((weights * a).sum(dim=1, keepdim=True)))
    return torch.cat(maps)


def references(model, layer: str, x, target) -> dict:
    """{nom de la méthode : (nom de la référence, appel de la référence)}."""
    module = dict(model.named_modules())[layer]
    sigma = 0.15 * float(x.max() - x.min())

    def occlusion_drop():
        # captum : baisse de probabilité moyennée par pixel ; la nôtre : par position du carré
        probability = torch.nn.Sequential(model, torch.nn.Softmax(dim=1))
        return Occlusion(probability).attribute(x, target=target, sliding_window_shapes=(1, 8, 8),
                                                strides=(1, 4, 4), baselines=0.0)

    return {
        "Gradient": ("captum Saliency",
                     lambda: Saliency(model).attribute(x, target=target, abs=False)),
        "SmoothGrad": ("captum NoiseTunnel", lambda: NoiseTunnel(Saliency(model)).attribute(
            x, target=target, nt_type="smoothgrad", nt_samples=25, stdevs=sigma, abs=False)),
        "Gradients intégrés": ("captum IntegratedGradients",
                               lambda: IntegratedGradients(model).attribute(
                                   x, target=target, n_steps=50, method="riemann_middle")),
        "Grad-CAM": ("captum LayerGradCam", lambda: LayerGradCam(model, module).attribute(
            x, target=target, relu_attributions=True)),
        "Grad-CAM++": ("directe (image par image)",
                       lambda: naive_grad_cam_pp(model, x, target, layer)),
        "Occlusion": ("captum Occlusion", occlusion_drop),
    }


def gap(name: str, ours, reference) -> str:
    """Écart maximal entre les deux résultats, quand ils sont comparables."""
    if name == "Occlusion":  # captum moyenne par pixel : on compare nos cartes de chaleur
        ours = explain.METHODS[name].to_heatmap(ours, reference, OPTIONS[name])
        reference = reference.clamp(min=0)[:, 0]
    elif name == "SmoothGrad" or not isinstance(ours, torch.Tensor):
        return "—"  # bruits différents, ou pas de référence
    return f"{float((ours - reference.detach()).abs().max()):.1e}"


def timed(call) -> tuple[float, torch.Tensor]:
    start = time.process_time()
    out = call()
    return 1000 * (time.process_time() - start), out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64, help="nombre d'images du lot")
    parser.add_argument("--repeats", type=int, default=15, help="répétitions (médiane)")
    parser.add_argument("--threads", type=int, default=1,
                        help="fils de calcul de torch (1 : mesures stables sur une machine "
                             "partagée)")
    parser.add_argument("--methods", nargs="*", default=list(explain.METHODS),
                        help="noms des méthodes du registre à chronométrer (toutes par défaut)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    warnings.filterwarnings("ignore", message="Input Tensor 0 did not already require")
    model = SmallCNN(4, in_channels=1, width=8, seed=0).eval()
    layer = last_conv_layer(model)
    x = torch.rand(args.batch, 1, 32, 32, generator=torch.Generator().manual_seed(0),
                   dtype=torch.float64)
    target = torch.arange(args.batch) % 4
    refs = references(model, layer, x, target)
    print(f"Lot : {args.batch} images 1×32×32, modèle {type(model).__name__}, couche {layer}, "
          f"{torch.get_num_threads()} fil(s), temps processeur, médiane de {args.repeats} "
          "répétitions.\n")
    print(f"| {'méthode':<30} | nous (ms) | {'référence':<27} | réf. (ms) | rapport | "
          f"écart max |")
    print(f"|{'-' * 32}|-----------|{'-' * 29}|-----------|---------|-----------|")
    for name, method in explain.METHODS.items():
        if name not in args.methods:
            continue
        options = OPTIONS.get(name, {})
        reference_name, reference = refs.get(name, ("—", lambda: None))

        def ours(method=method, options=options):
            return method(model, x, target, **options)

        timed(ours), timed(reference)  # échauffement
        ours_ms, reference_ms = [], []
        for _ in range(args.repeats):
            t, ours_out = timed(ours)
            ours_ms.append(t)
            t, reference_out = timed(reference)
            reference_ms.append(t)
        ours_median = statistics.median(ours_ms)
        if reference_out is None:
            reference_text, ratio_text = "—", "—"
        else:
            reference_text = f"{statistics.median(reference_ms):.1f}"
            ratio = statistics.median(r / o for o, r in zip(ours_ms, reference_ms, strict=True))
            ratio_text = f"{ratio:.2f}"
        shown = gap(name, ours_out, reference_out) if reference_out is not None else "—"
        print(f"| {name:<30} | {ours_median:>9.1f} | {reference_name:<27} | "
              f"{reference_text:>9} | {ratio_text:>7} | {shown:>9} |")
    print("\nÉcart SmoothGrad : « — », les deux tirent des bruits différents.")


if __name__ == "__main__":
    main(sys.argv[1:])
