"""Conventions graphiques communes : cartes de couleurs lisibles et barres de couleur."""


#: Valeurs signées (poids, gradients) : bleu négatif, blanc zéro, rouge positif.
CMAP_SIGNED = "RdBu_r"
#: Valeurs positives (activations, probabilités) : perceptuellement uniforme.
CMAP_POSITIVE = "viridis"
#: Cartes d'attribution superposées à une image en niveaux de gris.
CMAP_HEAT = "inferno"
#: Couleurs des classes (palette accessible aux daltoniens, Okabe-Ito).
CLASS_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def superscript(value) -> str:
    """Un entier en exposant, en texte simple (« -6 » → « ⁻⁶ ») : plus rapide que mathtext."""
    return str(value).translate(_SUPERSCRIPTS)


def subscript(value) -> str:
    """Un entier en indice, en texte simple (« 12 » → « ₁₂ »)."""
    return str(value).translate(_SUBSCRIPTS)


def colorbar(ax, mappable, label: str = ""):
    """Ajoute à ``ax`` une barre de couleur étiquetée, réutilisée d'un dessin à l'autre.

    Dans une figure interactive, la barre est redessinée sur place au lieu d'être
    recréée à chaque mouvement de curseur. Voir le chapitre 1.
    """
    if not isinstance(label, str):
        raise TypeError(f"`label` doit être une chaîne de caractères ; reçu : {label!r}")
    bar = getattr(ax, "_lib_colorbar", None)
    if bar is None:
        bar = ax.get_figure().colorbar(mappable, ax=ax)
        ax._lib_colorbar = bar
    else:
        bar.ax.set_visible(True)
        bar.update_normal(mappable)
    bar.set_label(label)
    return ax
