"""Apprentissage non supervisé : regrouper des exemples sans étiquettes, puis comparer.

- :func:`kmeans` regroupe des points avec les k-moyennes (*k-means*) de scikit-learn ;
  :func:`assign` range de nouveaux points dans le groupe du centre le plus proche et
  :func:`representatives` désigne, pour chaque groupe, l'exemple le plus proche du centre ;
- :func:`fit_autoencoder`, :func:`encode` et :func:`reconstruct` entraînent un auto-encodeur
  (*autoencoder*, :class:`lib.models.Autoencoder`) et s'en servent ;
- SEULEMENT ENSUITE, :func:`contingency`, :func:`purity` et :func:`compare` confrontent les
  groupes trouvés aux vraies étiquettes (indice de Rand ajusté de scikit-learn, pureté,
  matrice groupes × étiquettes) ;
- :func:`kmeans_report` et :func:`autoencoder_report` préparent les figures interactives.

Voir le chapitre 4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib import _validation as check

__all__ = ["Clustering", "Comparison", "KMeansReport", "AutoencoderReport", "kmeans", "assign",
           "representatives", "contingency", "purity", "compare", "fit_autoencoder", "encode",
           "reconstruct", "kmeans_report", "autoencoder_report", "propagate"]


@dataclass(frozen=True)
class Clustering:
    """Un regroupement : groupe de chaque exemple ``(N,)``, centres ``(k, D)`` et inertie."""

    groups: np.ndarray
    centers: np.ndarray
    inertia: float

    @property
    def k(self) -> int:
        """Nombre de groupes."""
        return len(self.centers)

    @property
    def sizes(self) -> np.ndarray:
        """Nombre d'exemples dans chaque groupe ``(k,)``."""
        return np.bincount(self.groups, minlength=self.k)


@dataclass(frozen=True)
class Comparison:
    """Groupes confrontés aux étiquettes : table ``(k, C)``, pureté, indice de Rand ajusté.

    ``majority[g]`` est l'étiquette la plus fréquente du groupe ``g`` (−1 s'il est vide).
    """

    table: np.ndarray
    purity: float
    ari: float
    majority: np.ndarray


@dataclass(frozen=True)
class KMeansReport:
    """Un regroupement par k-moyennes et sa comparaison aux étiquettes (figure interactive)."""

    clustering: Clustering
    comparison: Comparison


@dataclass(frozen=True)
class AutoencoderReport:
    """Bilan d'un auto-encodeur : exemples et reconstructions ``(n, D)``, erreurs, regroupement.

    ``mse`` : erreur quadratique moyenne par pixel ; ``r2`` = 1 − mse / variance moyenne des
    pixels (part de la variance reconstruite : 1 parfait, 0 comme l'image moyenne).
    """

    code_size: int
    originals: np.ndarray
    reconstructions: np.ndarray
    mse: float
    r2: float
    comparison: Comparison


def _points(name: str, x) -> np.ndarray:
    """Convertit ``x`` (tableau ou tenseur ``(N, D)``) en tableau NumPy ``float64``."""
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    out = check.array(name, x, ndim=2)
    if len(out) == 0 or out.shape[1] == 0:
        raise ValueError(f"`{name}` ne doit pas être vide ; reçu : forme {out.shape}")
    return out


def _labels(name: str, y, n: int | None = None) -> np.ndarray:
    """Convertit ``y`` en entiers ``int64`` positifs ``(N,)`` (N = ``n`` si donné)."""
    if hasattr(y, "detach"):
        y = y.detach().cpu().numpy()
    out = check.array(name, y, ndim=1)
    if len(out) == 0:
        raise ValueError(f"`{name}` ne doit pas être vide")
    if np.any(out != np.round(out)) or np.any(out < 0):
        raise ValueError(f"`{name}` doit contenir des entiers positifs ou nuls ; reçu : "
                         f"{check.describe(y)}")
    if n is not None and len(out) != n:
        raise ValueError(f"`{name}` doit contenir {n} valeurs ; reçu : {len(out)}")
    return out.astype(np.int64)


def kmeans(x, k: int, *, seed: int = 0, n_init: int = 4) -> Clustering:
    """Regroupe les lignes de ``x`` en ``k`` groupes par les k-moyennes de scikit-learn.

    Minimise l'inertie Σᵢ ‖xᵢ − c_{g(i)}‖² (somme des carrés des distances au centre du
    groupe) en alternant affectation au centre le plus proche et recalcul des centres ;
    ``n_init`` départs (graine ``seed``), le meilleur est gardé. N'utilise aucune étiquette.
    Voir le chapitre 4 et Goodfellow et al. (2016), § 5.8.2.
    """
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    x = _points("x", x)
    k = check.number("k", k, low=1, high=len(x), integer=True)
    seed = check.number("seed", seed, low=0, integer=True)
    n_init = check.number("n_init", n_init, low=1, integer=True)
    with threadpool_limits(1):  # petits tableaux : un seul fil évite l'attente entre fils
        model = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(x)
    return Clustering(model.labels_.astype(np.int64), model.cluster_centers_.copy(),
                      float(model.inertia_))


def _squared_distances(x: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Carrés des distances ``(N, k)`` entre chaque ligne de ``x`` et chaque centre."""
    return ((x[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)


def assign(x, centers) -> np.ndarray:
    """Groupe de chaque ligne de ``x`` : l'indice du centre le plus proche, argminⱼ ‖x − cⱼ‖².

    Voir le chapitre 4.
    """
    x = _points("x", x)
    centers = _points("centers", centers)
    if centers.shape[1] != x.shape[1]:
        raise ValueError(f"`centers` doit avoir {x.shape[1]} colonnes comme `x` ; reçu : "
                         f"forme {centers.shape}")
    return _squared_distances(x, centers).argmin(axis=1)


def representatives(x, clustering: Clustering) -> np.ndarray:
    """Indice ``(k,)`` de l'exemple de ``x`` le plus proche du centre de chaque groupe.

    Ce sont les seules images qu'une personne aurait à étiqueter pour nommer les groupes.
    Voir le chapitre 4.
    """
    x = _points("x", x)
    if not isinstance(clustering, Clustering):
        raise TypeError(f"`clustering` doit être un Clustering ; reçu : "
                        f"{check.describe(clustering)}")
    if clustering.centers.shape[1] != x.shape[1]:
        raise ValueError(f"`x` doit avoir {clustering.centers.shape[1]} colonnes comme les "
                         f"centres ; reçu : forme {x.shape}")
    return _squared_distances(x, clustering.centers).argmin(axis=0)


def contingency(groups, labels, *, n_groups: int | None = None,
                n_labels: int | None = None) -> np.ndarray:
    """Matrice groupes × étiquettes : ``table[g, c]`` = nombre d'exemples du groupe g d'étiquette c.

    Voir le chapitre 4.
    """
    groups = _labels("groups", groups)
    labels = _labels("labels", labels, len(groups))
    rows = int(groups.max()) + 1 if n_groups is None else check.number(
        "n_groups", n_groups, low=int(groups.max()) + 1, integer=True)
    cols = int(labels.max()) + 1 if n_labels is None else check.number(
        "n_labels", n_labels, low=int(labels.max()) + 1, integer=True)
    table = np.zeros((rows, cols), dtype=np.int64)
    np.add.at(table, (groups, labels), 1)
    return table


def purity(groups, labels) -> float:
    """Pureté d'un regroupement : (1/N) Σ_g max_c table[g, c], entre 0 et 1.

    Part des exemples dont l'étiquette est la plus fréquente de leur groupe ; elle vaut 1
    si chaque groupe ne contient qu'une étiquette (donc aussi avec un groupe par exemple).
    Voir le chapitre 4.
    """
    table = contingency(groups, labels)
    return float(table.max(axis=1).sum() / table.sum())


def propagate(groups, group_labels) -> np.ndarray:
    """L'étiquette de chaque exemple déduite de celle de son groupe : ``group_labels[g]`` pour
    un exemple du groupe ``g`` (tableau ``int64`` de la forme de ``groups``). Voir le
    chapitre 4, où quelques étiquettes nomment les groupes des k-moyennes."""
    groups = _labels("groups", groups)
    group_labels = _labels("group_labels", group_labels)
    if groups.max() >= len(group_labels):
        raise ValueError(f"`group_labels` doit donner une étiquette à chacun des "
                         f"{int(groups.max()) + 1} groupes ; reçu : {len(group_labels)}")
    return group_labels[groups]


def compare(groups, labels, *, n_groups: int | None = None,
            n_labels: int | None = None) -> Comparison:
    """Compare des groupes aux vraies étiquettes : matrice, pureté, indice de Rand ajusté.

    L'indice de Rand ajusté (scikit-learn) vaut 1 si les deux partitions coïncident (aux noms
    des groupes près) et environ 0 pour des groupes tirés au hasard. Voir le chapitre 4.
    """
    from sklearn.metrics import adjusted_rand_score

    table = contingency(groups, labels, n_groups=n_groups, n_labels=n_labels)
    majority = np.where(table.sum(axis=1) > 0, table.argmax(axis=1), -1)
    ari = float(adjusted_rand_score(_labels("labels", labels), _labels("groups", groups)))
    return Comparison(table, float(table.max(axis=1).sum() / table.sum()), ari, majority)


def fit_autoencoder(x, code_size: int = 2, *, hidden: int = 32, epochs: int = 40,
                    lr: float = 1e-2, batch_size: int = 64, seed: int = 0):
    """Entraîne un auto-encodeur à reconstruire ``x`` ; renvoie (modèle, historique).

    Perte : erreur quadratique moyenne ‖x − décodeur(encodeur(x))‖² / D, sans aucune
    étiquette (la cible est l'entrée elle-même) ; le modèle est un
    :class:`lib.models.Autoencoder`. L'initialisation dépend de ``seed`` seul
    (l'état aléatoire global n'est pas modifié) ; l'entraînement utilise un seul fil de calcul,
    plus rapide pour un si petit réseau. Voir le chapitre 4.
    """
    import torch

    from lib.models import Autoencoder
    from lib.training import train

    check.tensor("x", x, ndim=2)
    seed = check.number("seed", seed, low=0, integer=True)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = Autoencoder(x.shape[1], code_size, hidden=hidden)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # réseau minuscule : un seul fil évite l'attente entre fils
    try:
        history = train(model, x, x, loss="mse", epochs=epochs, lr=lr, batch_size=batch_size,
                        seed=seed)
    finally:
        torch.set_num_threads(threads)
    return model, history


def _run(model, part: str, x) -> np.ndarray:
    """Applique ``model.<part>`` à ``x`` sans gradient, en mode évaluation, puis le rétablit."""
    import torch

    check.module("model", model)
    for needed in ("encoder", "decoder"):
        if not isinstance(getattr(model, needed, None), torch.nn.Module):
            raise TypeError(f"`model` doit être un auto-encodeur (avec des modules `encoder` et "
                            f"`decoder`) ; reçu : {type(model).__name__}")
    check.tensor("x", x, ndim=2)
    width = getattr(model, "in_features", x.shape[1])
    if x.shape[1] != width:
        raise ValueError(f"`x` doit avoir {width} colonnes, les entrées du modèle ; "
                         f"reçu : forme {tuple(x.shape)}")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out = model.encoder(x)
            out = out if part == "encoder" else model.decoder(out)
    except RuntimeError as error:  # taille ou type de x incompatible avec le modèle
        raise ValueError(f"`x` doit convenir au modèle ; reçu : forme {tuple(x.shape)}, type "
                         f"{x.dtype} (PyTorch : {error})") from None
    finally:
        model.train(was_training)
    return out.numpy().astype(np.float64)


def encode(model, x) -> np.ndarray:
    """Code ``(N, code_size)`` donné par l'encodeur de l'auto-encodeur ``model`` à ``x``.

    Voir le chapitre 4.
    """
    return _run(model, "encoder", x)


def reconstruct(model, x) -> np.ndarray:
    """Reconstruction décodeur(encodeur(x)) ``(N, D)`` de chaque ligne de ``x``.

    Voir le chapitre 4.
    """
    return _run(model, "decoder", x)


def kmeans_report(x, labels, k: int, *, seed: int = 0) -> KMeansReport:
    """Regroupe ``x`` en ``k`` groupes SANS les étiquettes, puis compare les groupes à ``labels``.

    Voir le chapitre 4.
    """
    x = _points("x", x)
    labels = _labels("labels", labels, len(x))
    clustering = kmeans(x, k, seed=seed)
    return KMeansReport(clustering, compare(clustering.groups, labels, n_groups=k))


def autoencoder_report(model, x, labels, *, k: int = 10, n_examples: int = 8,
                       seed: int = 0) -> AutoencoderReport:
    """Bilan d'un auto-encodeur sur ``x`` : reconstructions, erreur quadratique moyenne,
    et k-moyennes sur les codes (sans étiquettes) comparées ensuite à ``labels``.

    Voir le chapitre 4.
    """
    codes = encode(model, x)
    labels = _labels("labels", labels, len(codes))
    n_examples = check.number("n_examples", n_examples, low=1, high=len(codes), integer=True)
    rebuilt = reconstruct(model, x)
    originals = x.detach().numpy().astype(np.float64)
    mse = float(np.mean((rebuilt - originals) ** 2))
    variance = float(np.mean((originals - originals.mean(axis=0)) ** 2))
    clustering = kmeans(codes, k, seed=seed)
    return AutoencoderReport(codes.shape[1], originals[:n_examples], rebuilt[:n_examples], mse,
                             1.0 - mse / variance if variance > 0 else float("nan"),
                             compare(clustering.groups, labels, n_groups=k))
