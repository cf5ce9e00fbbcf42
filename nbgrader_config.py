"""Réglages de nbgrader, lus par ``python -m tools.classe`` (voir book/guide-enseignant.md).

L'enseignant n'appelle pas nbgrader lui-même : ``tools.classe`` crée un répertoire de cours
temporaire, y lit ces réglages, puis range ce qu'il produit dans ``classe/``.
"""

c = get_config()  # noqa: F821 (fourni par nbgrader)

c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
# Ce qui remplace la solution dans l'édition étudiante. « pass » ne lève rien et n'affiche
# rien : « Exécuter tout » traverse un notebook vierge, et la cellule de vérification dit en
# français que l'exercice n'est pas encore fait.
c.ClearSolutions.code_stub = {"python": "# VOTRE CODE ICI\npass"}
c.ClearSolutions.text_stub = "VOTRE RÉPONSE ICI"
# Une cellule d'un chapitre peut entraîner un petit réseau : plus de 30 s sur un portable.
c.Execute.timeout = 300
# Le noyau qui exécute les copies ne signale que ses erreurs (pas d'avertissement sur la console).
c.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]
