"""Give every notebook cell slide metadata, so `jupyter nbconvert --to slides` makes a reveal.js deck.

The rule (one idea a slide): a markdown cell with a heading starts a slide;
a code cell that shows a figure (``ic.show(``) and a markdown cell without
a heading each start a sub-slide (below the current one); other code cells
stay on the current slide, under the question they answer.

    python notebooks/slides.py                  # apply the rule to every notebook
    jupyter nbconvert --to slides notebooks/en/02_scale_effects.ipynb   # build one deck
"""

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent


def slide_type(cell):
    if cell.cell_type == "markdown":
        return "slide" if re.match(r"#{1,2}\s", cell.source) else "subslide"
    return "subslide" if "ic.show(" in cell.source else "-"


def apply(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata["slideshow"] = {"slide_type": slide_type(cell)}
    nbformat.write(nb, path)


def main():
    paths = [Path(p) for p in sys.argv[1:]] or sorted(ROOT.glob("*/*.ipynb"))
    for path in paths:
        apply(path)
        print(f"slide metadata: {path}")


if __name__ == "__main__":
    main()
