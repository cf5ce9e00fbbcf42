"""Texte de remplacement des figures : tiré des titres, en français, transmis à Jupyter."""

import matplotlib.pyplot as plt
import nbformat
from nbclient import NotebookClient

from lib.viz.alt_text import figure_alt_text, install_alt_text


def test_alt_text_uses_the_titles_of_the_figure():
    fig, axes = plt.subplots(1, 2)
    fig.suptitle("sorties du neurone")
    axes[0].set_title(r"ET, pas $\eta = 0{,}5$")
    axes[1].set_title("OU")
    assert figure_alt_text(fig) == "Figure : Sorties du neurone. Panneaux : ET, pas η = 0,5 ; OU."


def test_alt_text_falls_back_on_axis_labels_then_on_a_count():
    fig, ax = plt.subplots()
    ax.set_xlabel("époque")
    ax.set_ylabel("perte")
    assert figure_alt_text(fig) == "Figure : Perte selon époque."
    fig, _ = plt.subplots(1, 3)
    assert figure_alt_text(fig) == "Figure : Figure sans titre (3 panneaux)."


def test_install_outside_ipython_does_nothing():
    assert install_alt_text() is False


def test_a_kernel_gives_the_alt_text_in_the_image_metadata():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import matplotlib.pyplot as plt\nfrom lib import viz\n"
        "fig, ax = plt.subplots()\nax.set_title('Sortie du neurone')\nviz.french_ticks(ax)")])
    NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    images = [o for o in notebook.cells[0].outputs if "image/png" in o.get("data", {})]
    assert images and images[0].metadata["image/png"]["alt"] == "Figure : Sortie du neurone."
