"""Every notebook is also a reveal.js deck: slides for its sections, its figures on them."""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from nbconvert import SlidesExporter

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*/*.ipynb"))

spec = importlib.util.spec_from_file_location("slides", NOTEBOOKS / "slides.py")
slides = importlib.util.module_from_spec(spec)
spec.loader.exec_module(slides)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_cell_carries_the_slide_rule(path):
    nb = nbformat.read(path, as_version=4)
    assert [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells] == \
        [slides.slide_type(c) for c in nb.cells]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_deck_builds_with_its_slides_and_figures(path):
    nb = nbformat.read(path, as_version=4)
    html, _ = SlidesExporter().from_notebook_node(nb)
    headings = sum(bool(re.match(r"#{1,2}\s", c.source)) for c in nb.cells if c.cell_type == "markdown")
    figures = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs
                  if o.output_type == "display_data" and "image/png" in o.get("data", {}))
    assert headings >= 6 and (figures >= 1 or path.name.startswith("05"))
    # reveal.js: one <section> per slide, nested ones for sub-slides
    assert html.count("<section") >= headings
    assert html.count("data:image/png;base64") >= figures
    assert "reveal" in html.lower()


def test_the_rule():
    md = nbformat.v4.new_markdown_cell
    code = nbformat.v4.new_code_cell
    assert slides.slide_type(md("## 2. Section")) == "slide"
    assert slides.slide_type(md("# Title")) == "slide"
    assert slides.slide_type(md("### detail")) == "subslide"
    assert slides.slide_type(md("Some prose.")) == "subslide"
    assert slides.slide_type(code("ic.show(ic.stats_figure(runs, 't'))")) == "subslide"
    assert slides.slide_type(code("x = 1")) == "-"
