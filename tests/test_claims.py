"""Every comparative sentence of the book is backed by a verdict that its notebook prints.

``tests/test_prose_numbers.py`` ties each number in the prose to an output. This test ties
each *conclusion* to one: a sentence that says one method is better, faster or worse than
another, that something happens on every split, or that one thing happens because of
another, carries a hidden label right after it (or inside it),

    ... lower on 86 of 100 splits <!-- claim: ce-ahead-at-10 -->, and ...

which a reader never sees (an HTML comment, dropped by the website, JupyterLab and Colab). A
code cell of the same notebook prints the label with its verdict, as
:func:`xent.evidence.claim_line` and :meth:`xent.evidence.Comparison.claim` write it:

    claim ce-ahead-at-10: holds: cross-entropy better than squared error on 86 of 100 splits ...

The test fails when

- a label in the prose is not printed, or is printed as ``DOES NOT HOLD``;
- a printed label is cited by no sentence (a verdict nobody reads);
- a *measured* section (a ``##`` section of a notebook whose code prints at least one claim,
  or splits data into training and test sets) has a sentence with a comparative or causal word and no label. A sentence whose word states
  a fact of mathematics rather than a measurement ("from zero weights every prediction is
  1/2") says so with ``<!-- no-claim: why -->``, which a reviewer reads like any other line.

The counts that the sentence quotes ("86 of 100") are checked against the printed ones by
``tests/test_prose_numbers.py``; the strength of the wording against the verdict is the
label's job: the code that prints the line states what the prose asserts
(``expect="cross-entropy better"`` or ``expect="not settled"``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))

LABEL = re.compile(r"<!--\s*claim:\s*([a-z][a-z0-9-]*)\s*-->")
NO_CLAIM = re.compile(r"<!--\s*no-claim:\s*[^>]*\S[^>]*-->")
PRINTED = re.compile(r"^claim ([a-z][a-z0-9-]*): (holds|DOES NOT HOLD): \S", re.MULTILINE)
COMPARATIVE = re.compile(
    r"\b(?:faster|slower|better|worse|outperforms?|beats?|improves?|improved|ahead|behind"
    r"|every|because|more calibrated|less calibrated|overconfident|underconfident)\b",
    re.IGNORECASE,
)
# A section that splits data into training and test sets is an experiment, whether or not it
# prints a verdict yet: its comparative sentences need one.
EXPERIMENT = re.compile(r"train_test_split|stratified_splits|StratifiedShuffleSplit|\bn_splits\b")
# A sentence ends at . ! ? followed by space and a capital, an opening bracket or markup; a
# label or a no-claim marker right after the end belongs to the sentence before it.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=(?:[A-Z(*_`$\[{]|<!--))")


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def without_imports(code: str) -> str:
    return re.sub(r"^(?:from|import) .*$(?:\n\s+.*$)*", "", code, flags=re.MULTILINE)


def printed(cell: dict) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        parts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def printed_claims(notebook: list[dict]) -> dict[str, list[str]]:
    verdicts: dict[str, list[str]] = {}
    for cell in notebook:
        if cell["cell_type"] == "code":
            for label, verdict in PRINTED.findall(printed(cell)):
                verdicts.setdefault(label, []).append(verdict)
    return verdicts


def sentences(markdown: str) -> list[str]:
    """The prose of a markdown cell cut into sentences and list items, each with the labels
    that follow it. Code blocks, directives' option lines and display math are left out."""
    text = re.sub(r"```.*?```|\$\$.*?\$\$", " ", markdown, flags=re.DOTALL)
    text = re.sub(r"^:::.*$|^:[a-z-]+:.*$|^#+ .*$", " ", text, flags=re.MULTILINE)
    pieces: list[str] = []
    for block in re.split(r"\n\s*\n|\n(?=\s*[-*] )", text):
        for piece in SENTENCE_END.split(" ".join(block.split())):
            if pieces and re.match(r"<!--", piece):
                marker, _, rest = piece.partition("-->")
                pieces[-1] += " " + marker + "-->"
                piece = rest.strip()
            if piece:
                pieces.append(piece)
    return pieces


def sections(notebook: list[dict]) -> list[list[dict]]:
    """The notebook cut at its ``##`` headings."""
    result: list[list[dict]] = [[]]
    for cell in notebook:
        if cell["cell_type"] == "markdown" and re.match(r"##\s", source(cell)):
            result.append([])
        result[-1].append(cell)
    return result


def unbacked(notebook: list[dict]) -> list[str]:
    """The comparative sentences of measured sections that carry no label or marker."""
    found = []
    for section in sections(notebook):
        measured = any(
            PRINTED.search(printed(c)) for c in section if c["cell_type"] == "code"
        ) or any(EXPERIMENT.search(without_imports(source(c))) for c in section)
        if not measured:
            continue
        for cell in section:
            if cell["cell_type"] != "markdown":
                continue
            for sentence in sentences(source(cell)):
                if (
                    COMPARATIVE.search(LABEL.sub("", NO_CLAIM.sub("", sentence)))
                    and not LABEL.search(sentence)
                    and not NO_CLAIM.search(sentence)
                ):
                    found.append(sentence)
    return found


def test_sentences_keep_their_labels_and_leave_out_code_and_math() -> None:
    text = (
        "Cross-entropy is ahead on 9 of 10 splits <!-- claim: ce-ahead -->. It is a loss.\n\n"
        "- Squared error is slower <!-- claim: se-slower -->\n- every $x$ is 1.\n\n"
        "```python\nbetter = 1\n```\n$$\nx < y. Every z\n$$\n:::{exercise}\n:label: ex-1\n"
    )
    assert sentences(text) == [
        "Cross-entropy is ahead on 9 of 10 splits <!-- claim: ce-ahead -->.",
        "It is a loss.",
        "- Squared error is slower <!-- claim: se-slower -->",
        "- every $x$ is 1.",
    ]


def test_a_measured_section_needs_a_label_on_each_comparative_sentence() -> None:
    def markdown(text: str) -> dict:
        return {"cell_type": "markdown", "source": text}

    def code(output: str) -> dict:
        return {"cell_type": "code", "source": "", "outputs": [{"text": output}]}

    notebook = [
        markdown("## Intro\n\nEvery prediction is better here."),  # not measured
        markdown("## Study\n\nA is faster than B. It is blue."),
        code("claim a-faster: holds: A better than B on 9 of 10 splits"),
        markdown(
            "A is better <!-- claim: a-faster -->. Every p is 1/2 <!-- no-claim: algebra -->."
        ),
    ]
    assert unbacked(notebook) == ["A is faster than B."]
    assert printed_claims(notebook) == {"a-faster": ["holds"]}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cited_claim_is_printed_and_holds(path: Path) -> None:
    notebook = cells(path)
    cited = {
        label
        for cell in notebook
        if cell["cell_type"] == "markdown"
        for label in LABEL.findall(source(cell))
    }
    verdicts = printed_claims(notebook)
    missing = sorted(cited - set(verdicts))
    failing = sorted(label for label, said in verdicts.items() if "DOES NOT HOLD" in said)
    uncited = sorted(set(verdicts) - cited)
    assert not missing, f"{path.name}: claims in the prose that no cell prints: {missing}"
    assert not failing, f"{path.name}: claims printed as not holding: {failing}"
    assert not uncited, f"{path.name}: printed claims that no sentence cites: {uncited}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_comparative_sentences_of_measured_sections_carry_a_label(path: Path) -> None:
    sentences_without = unbacked(cells(path))
    assert not sentences_without, (
        f"{path.name}: comparative sentences without a claim label (add "
        f"<!-- claim: label --> and print its verdict, or <!-- no-claim: why --> for a fact "
        f"that is not a measurement): {sentences_without}"
    )
