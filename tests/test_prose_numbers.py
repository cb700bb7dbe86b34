"""Every decimal number or percentage quoted in a chapter's prose is printed by its code.

The book's rule: numbers are computed, never typed (``STYLE.md``). MyST-NB's ``glue`` would
tie text to outputs on the website, but JupyterLab, Binder and Colab do not render it, so the
notebooks would read wrong there. Instead this test reads each notebook as stored: every
decimal number (``1.75``, ``2.06``) and percentage (``59%``) in a markdown cell, figure
captions included, must appear, with the same digits and so the same rounding, in a printed
output of that notebook, or in a code cell's source when it is an input that the code uses
(the loaded die ``(0.05, ..., 0.75)``). Section and chapter numbers of references are not
quantities and are left out.

Every notebook of the book is checked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKED = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "book").glob("*.ipynb"))
NUMBER = re.compile(r"(?<![\w.^{])(\d+\.\d+%?|\d+%)(?![\w.]*\d)")
NOT_QUANTITIES = re.compile(
    r"\{(?:cite|numref|eq|doc|term)[^`]*`[^`]*`"  # roles: labels, keys, chapter numbers
    r"|\b(?:section|chapter|theorem|version)s?\s+[\d.]+(?:\s+and\s+[\d.]+)*",
    flags=re.IGNORECASE,
)


def quoted_numbers(text: str) -> list[str]:
    return NUMBER.findall(NOT_QUANTITIES.sub("", text))


def cell_text(cell: dict, *, outputs: bool) -> str:
    if not outputs:
        return "".join(cell["source"])
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        parts += ["".join(v) for k, v in output.get("data", {}).items() if k.startswith("text/")]
    return "\n".join(parts)


def test_the_number_pattern_finds_quantities_and_not_references() -> None:
    assert quoted_numbers("it needs 2.25 bits, 59% kept, $\\approx 2.06 \\times 10^{-9}$") == [
        "2.25",
        "59%",
        "2.06",
    ]
    assert quoted_numbers("see section 5.4 and {cite:p}`cover2006{chapter 2.3}`; 10^{-7}") == []


@pytest.mark.parametrize("path", CHECKED)
def test_numbers_in_the_prose_are_printed_by_the_notebook(path: str) -> None:
    notebook = json.loads((ROOT / path).read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    printed = "\n".join(cell_text(cell, outputs=True) for cell in code)
    inputs = "\n".join(cell_text(cell, outputs=False) for cell in code)
    unprinted = []
    for index, cell in enumerate(notebook["cells"]):
        prose = "".join(cell["source"]) if cell["cell_type"] == "markdown" else ""
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
        prose += "\n" + figure.get("caption", "")
        for number in quoted_numbers(prose):
            pattern = rf"(?<![\d.]){re.escape(number)}(?!\d)"
            if not re.search(pattern, printed) and not re.search(pattern, inputs):
                unprinted.append(f"cell {index}: {number}")
    assert not unprinted, f"{path}: numbers in the text that no cell prints: {unprinted}"


# --- Counts: "13 of the 20 splits" ------------------------------------------------------------
# A count quoted as "k of n" (or "k of the n", "k out of n") is a result too: a change to the
# experiment that changes it must fail here, like a changed decimal. The notebook must print
# the same pair as "k of n" (whitespace and a "the" between them are ignored).
COUNT = re.compile(r"\b(\d+)\s+(?:out\s+)?of\s+(?:the\s+)?(\d+)\b")


def quoted_counts(text: str) -> list[tuple[str, str]]:
    return COUNT.findall(NOT_QUANTITIES.sub("", text))


def printed_counts(text: str) -> set[tuple[str, str]]:
    return set(COUNT.findall(text))


def test_the_count_pattern_finds_k_of_n() -> None:
    assert quoted_counts("on 13 of the 20 splits, 178 of 200 and 3 out of 4; section 2 of 5") == [
        ("13", "20"),
        ("178", "200"),
        ("3", "4"),
    ]  # "section 2 of 5" is a reference, not a count
    assert printed_counts("lower in  7 of 20 splits") == {("7", "20")}


@pytest.mark.parametrize("path", CHECKED)
def test_counts_in_the_prose_are_printed_by_the_notebook(path: str) -> None:
    notebook = json.loads((ROOT / path).read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    printed = printed_counts("\n".join(cell_text(cell, outputs=True) for cell in code))
    unprinted = []
    for index, cell in enumerate(notebook["cells"]):
        prose = "".join(cell["source"]) if cell["cell_type"] == "markdown" else ""
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
        prose += "\n" + figure.get("caption", "")
        unprinted += [
            f"cell {index}: {k} of {n}" for k, n in quoted_counts(prose) if (k, n) not in printed
        ]
    assert not unprinted, f"{path}: counts in the text that no cell prints: {unprinted}"
