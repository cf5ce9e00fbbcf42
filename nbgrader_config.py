"""Réglages de nbgrader pour produire l'édition étudiante et corriger les copies.

Voir book/guide-enseignant.md.
"""

c = get_config()  # noqa: F821 (fourni par nbgrader)

c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
# Ce qui remplace la solution dans l'édition étudiante.
c.ClearSolutions.code_stub = {"python": "# VOTRE CODE ICI\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "VOTRE RÉPONSE ICI"
