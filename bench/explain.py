"""Chronomètre les méthodes de ``lib.explain`` contre leurs équivalents de captum.

Usage : ``python bench/explain.py [--batch 64] [--repeats 7]``.

Même modèle (un petit CNN pour images 32×32 : ``lib.models.SmallCNN`` s'il existe, sinon
le même réseau construit ici), même lot d'images, mêmes options ; chaque répétition
exécute notre méthode puis la référence, en alternance, pour que la charge de la machine
pèse autant sur les deux. On mesure le temps processeur du processus (``time.process_time``)
avec un seul fil de calcul par défaut : sur une machine partagée, le temps d'horloge compte
aussi l'attente du processeur, qui varie d'une mesure à l'autre. Le script affiche un
tableau : méthode, nous (ms), référence (ms) (médianes), rapport (médiane des rapports
référence / nous, répétition par répétition ; > 1 : nous sommes plus rapides) et l'écart
maximal entre les deux résultats. Grad-CAM++ n'existe pas dans captum : il est comparé à
une implémentation directe, image par image, de la même formule.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections import OrderedDict
from pathlib import Path

import torch
from captum.attr import IntegratedGradients, LayerGradCam, NoiseTunnel, Saliency
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib.explain import (  # noqa: E402
    grad_cam,
    grad_cam_pp,
    gradient,
    integrated_gradients,
    smoothgrad,
)


def small_cnn(classes: int = 4) -> tuple[nn.Module, str]:
    """Le petit CNN des chapitres et le nom de sa dernière couche de convolution."""
    try:
        from lib.models import SmallCNN

        return SmallCNN(classes, in_channels=1, width=8), "features.conv2"
    except (ImportError, TypeError):
        features = nn.Sequential(OrderedDict(
            conv1=nn.Conv2d(1, 8, 3, padding=1), relu1=nn.ReLU(), pool1=nn.MaxPool2d(2),
            conv2=nn.Conv2d(8, 16, 3, padding=1), relu2=nn.ReLU()))
        classifier = nn.Sequential(OrderedDict(
            pool=nn.AdaptiveAvgPool2d(4), flatten=nn.Flatten(), fc=nn.Linear(256, classes)))
        return nn.Sequential(OrderedDict(features=features, classifier=classifier)), \
            "features.conv2"


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


def cases(model, layer: str, x, target):
    """(méthode, notre appel, nom de la référence, appel de la référence)."""
    module = dict(model.named_modules())[layer]
    sigma = 0.15 * float(x.max() - x.min())
    return [
        ("gradient", lambda: gradient(model, x, target),
         "captum Saliency", lambda: Saliency(model).attribute(x, target=target, abs=False)),
        ("smoothgrad (25 éch.)",
         lambda: smoothgrad(model, x, target, noise=0.15, samples=25),
         "captum NoiseTunnel",
         lambda: NoiseTunnel(Saliency(model)).attribute(
             x, target=target, nt_type="smoothgrad", nt_samples=25, stdevs=sigma, abs=False)),
        ("integrated_gradients (50 pas)",
         lambda: integrated_gradients(model, x, target, steps=50),
         "captum IntegratedGradients",
         lambda: IntegratedGradients(model).attribute(
             x, target=target, n_steps=50, method="riemann_middle")),
        ("grad_cam", lambda: grad_cam(model, x, target, layer=layer),
         "captum LayerGradCam",
         lambda: LayerGradCam(model, module).attribute(x, target=target,
                                                       relu_attributions=True)),
        ("grad_cam_pp", lambda: grad_cam_pp(model, x, target, layer=layer),
         "directe (image par image)", lambda: naive_grad_cam_pp(model, x, target, layer)),
    ]


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
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    warnings.filterwarnings("ignore", message="Input Tensor 0 did not already require")
    torch.manual_seed(0)
    model, layer = small_cnn()
    model.eval()
    x = torch.rand(args.batch, 1, 32, 32)
    target = torch.arange(args.batch) % 4
    print(f"Lot : {args.batch} images 1×32×32, modèle {type(model).__name__}, couche {layer}, "
          f"{torch.get_num_threads()} fil(s), temps processeur, médiane de {args.repeats} "
          "répétitions.\n")
    print(f"| {'méthode':<30} | nous (ms) | {'référence':<27} | réf. (ms) | rapport | "
          f"écart max |")
    print(f"|{'-' * 32}|-----------|{'-' * 29}|-----------|---------|-----------|")
    for name, ours, reference_name, reference in cases(model, layer, x, target):
        timed(ours), timed(reference)  # échauffement
        ours_ms, reference_ms = [], []
        for _ in range(args.repeats):
            t, ours_out = timed(ours)
            ours_ms.append(t)
            t, reference_out = timed(reference)
            reference_ms.append(t)
        ours_median, reference_median = map(statistics.median, (ours_ms, reference_ms))
        ratio = statistics.median(r / o for o, r in zip(ours_ms, reference_ms, strict=True))
        gap = "—" if name.startswith("smoothgrad") else (
            f"{float((ours_out - reference_out.detach()).abs().max()):.1e}")
        print(f"| {name:<30} | {ours_median:>9.1f} | {reference_name:<27} | "
              f"{reference_median:>9.1f} | {ratio:>7.2f} | "
              f"{gap:>9} |")
    print("\nÉcart SmoothGrad : « — », les deux tirent des bruits différents.")


if __name__ == "__main__":
    main(sys.argv[1:])
