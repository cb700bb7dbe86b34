"""Write the sections of ``book/how_xent_fails.ipynb`` from ``xent.bad_inputs.CATALOGUE``.

Usage, from the repository root::

    python tools/write_how_xent_fails.py && python tools/refresh_notebooks.py book/how_xent_fails.ipynb

The appendix has one section per module and one subsection per function, each a heading
(so the page has a contents list) and a cell that shows that function's rows of the
catalogue. The catalogue's rows are read when the notebook runs, so a new row of an existing
function appears by itself; a new *function* needs its section, which this script writes
(the notebook's last cell fails until it has one). The cells before the first section (the
Colab cell, the introduction and the imports) are kept as they are.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xent.bad_inputs import CATALOGUE

NOTEBOOK = ROOT / "book" / "how_xent_fails.ipynb"
FIRST_SECTION = "<!-- sections: written by tools/write_how_xent_fails.py -->"

CHECK = """shown_everywhere = set(GROUPS) == shown
assert shown_everywhere, (
    f"functions without a section: {sorted(set(GROUPS) - shown)}; "
    "run python tools/write_how_xent_fails.py"
)
print(f"{len(CATALOGUE)} bad inputs of {len(GROUPS)} functions,",
      "each rejected with a message")"""


def main() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    head = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith(FIRST_SECTION):
            break
        head.append(cell)
    groups: dict[str, list[str]] = {}
    for case in CATALOGUE:
        module = case.function.__module__
        groups.setdefault(module, [])
        if case.group not in groups[module]:
            groups[module].append(case.group)
    cells = []
    for number, (module, names) in enumerate(groups.items()):
        marker = f"{FIRST_SECTION}\n" if number == 0 else ""
        cells.append(nbformat.v4.new_markdown_cell(f"{marker}## `{module}`"))
        for name in names:
            cells.append(nbformat.v4.new_markdown_cell(f"### `{name}`"))
            cells.append(
                nbformat.v4.new_code_cell(f'show("{name}")', metadata={"tags": ["remove-input"]})
            )
    cells.append(nbformat.v4.new_markdown_cell("## Every function is covered"))
    cells.append(nbformat.v4.new_code_cell(CHECK, metadata={"tags": ["remove-input"]}))
    notebook.cells = head + cells
    nbformat.write(notebook, NOTEBOOK)


if __name__ == "__main__":
    main()
