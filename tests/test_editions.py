"""The English and Korean editions must not drift apart.

Same notebooks in both folders; in each pair the same cells in the same
order with the same types; code cells byte-identical; and every markdown
cell with the same sequence of heading levels.
"""

import copy
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
EDITIONS = ("en", "ko")


def headings(markdown):
    """Heading levels of a markdown cell, outside fenced code."""
    levels, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and (m := re.match(r"(#{1,6})\s", line)):
            levels.append(len(m.group(1)))
    return levels


def drift(a, b):
    """Every way notebook ``b`` differs in structure or code from notebook ``a``."""
    problems = []
    if len(a.cells) != len(b.cells):
        problems.append(f"{len(a.cells)} cells against {len(b.cells)}")
    for i, (x, y) in enumerate(zip(a.cells, b.cells, strict=False)):
        if x.cell_type != y.cell_type:
            problems.append(f"cell {i}: {x.cell_type} against {y.cell_type}")
        elif x.cell_type == "code" and x.source != y.source:
            problems.append(f"cell {i}: code differs")
        elif x.cell_type == "markdown" and headings(x.source) != headings(y.source):
            problems.append(f"cell {i}: heading levels {headings(x.source)} against {headings(y.source)}")
    return problems


def test_both_editions_have_the_same_notebooks():
    names = [sorted(p.name for p in (NOTEBOOKS / e).glob("*.ipynb")) for e in EDITIONS]
    assert names[0], "no English notebooks"
    assert names[0] == names[1]


@pytest.mark.parametrize("name", sorted(p.name for p in (NOTEBOOKS / "en").glob("*.ipynb")))
def test_editions_have_identical_code_and_structure(name):
    en = nbformat.read(NOTEBOOKS / "en" / name, as_version=4)
    ko = nbformat.read(NOTEBOOKS / "ko" / name, as_version=4)
    assert drift(en, ko) == []
    # and the Korean edition is in Korean: Hangul in most markdown cells
    md = [c.source for c in ko.cells if c.cell_type == "markdown"]
    hangul = sum(bool(re.search("[\uac00-\ud7a3]", s)) for s in md)
    assert hangul >= 0.8 * len(md)


def test_drift_is_detected():
    nb = nbformat.read(NOTEBOOKS / "en" / "01_zero_init_symmetry.ipynb", as_version=4)
    code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    md = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and headings(c.source))
    edited, shorter, relevelled = (copy.deepcopy(nb) for _ in range(3))
    edited.cells[code].source += "\nprint(1)"
    shorter.cells.pop()
    relevelled.cells[md].source = "#" + relevelled.cells[md].source
    assert drift(nb, nb) == []
    assert drift(nb, edited) == [f"cell {code}: code differs"]
    assert drift(nb, shorter)[0].endswith(f"against {len(nb.cells) - 1}")
    assert "heading levels" in drift(nb, relevelled)[0]
    assert headings("```\n# a comment in code\n```\n## real") == [2]
