"""The PDF edition, read back from the PDF itself.

Build it first (README.md, "The PDF edition")::

    .venv/bin/jupyter-book build --builder pdflatex .

These tests are not part of the README's test command (``tests/editions`` is in pytest's
``norecursedirs``): they need a TeX installation and a PDF build. ``.ci/run`` runs them in its
own step, "the PDF edition", after building the PDF and then the site again::

    .venv/bin/python -m pytest tests/editions/test_pdf.py

Everything expected is derived from ``_toc.yml``, ``_config.yml`` and the notebooks: the
chapters, appendices and back matter with their numbers, in order; no unresolved reference
("??"); no glyph missing from the fonts (XeLaTeX's log); every font embedded; cells that the
website folds away (``hide-input``) absent and the others present; every figure present
(interactive figures as their PNG); and, when the site was built after the PDF, the site's
link to it. The PDF's page count and size are printed (``-s``) and bounded.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import Destination

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TARGET = Path(CONFIG["latex"]["latex_documents"]["targetname"])
LATEX = ROOT / "_build" / "latex"
PDF = LATEX / TARGET.with_suffix(".pdf")
LOG = LATEX / TARGET.with_suffix(".log")
SITE = ROOT / "_build" / "html"
APPENDICES = "Appendices"  # the part of _toc.yml whose chapters are appendices A, B, ...
BUILD_HINT = (
    "build the PDF first, from the repository root: "
    "`.venv/bin/jupyter-book build --builder pdflatex .` (README.md, 'The PDF edition')"
)
POPPLER_HINT = "install poppler's command-line tools: `apt-get install -y poppler-utils`"
MAX_MEGABYTES = 30  # a guard against, say, figures embedded at full resolution many times
HIDING_TAGS = {"hide-input", "hide-cell"}  # the website folds the source away
REMOVING_TAGS = {"remove-cell", "remove-input"}  # MyST-NB leaves the source out everywhere


def poppler(tool: str, *arguments: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} not found: {POPPLER_HINT}", pytrace=False)
    result = subprocess.run(
        [path, *arguments], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module", autouse=True)
def built() -> None:
    if not PDF.is_file():
        pytest.fail(f"{PDF.relative_to(ROOT)} does not exist: {BUILD_HINT}", pytrace=False)


@cache
def pdf_text() -> str:
    return poppler("pdftotext", "-enc", "UTF-8", str(PDF), "-")


def plain(text: str) -> str:
    """Typographic quotes and the minus sign made plain (Sphinx's smart quotes)."""
    table = {"’": "'", "‘": "'", "“": '"', "”": '"', "−": "-"}
    return text.translate(str.maketrans(table))


def squeeze(text: str) -> str:
    """Plain text without any whitespace, so that a line of code is found however the PDF
    broke or spaced it."""
    return re.sub(r"\s+", "", plain(text))


# --- what _toc.yml promises ---------------------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    docname: str
    title: str
    number: str | None  # "1", "A", or None for an unnumbered chapter


def source(docname: str) -> Path:
    for suffix in (".ipynb", ".md"):
        if (path := ROOT / f"{docname}{suffix}").is_file():
            return path
    raise FileNotFoundError(f"{docname} (in _toc.yml) has no .ipynb or .md file")


def plain_title(markdown: str) -> str:
    """A heading's text as typeset: no backticks, emphasis or role markup."""
    text = re.sub(r"\{[a-z:]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", markdown)
    return re.sub(r"[`*_]", "", text).strip()


def title(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = [
            cell.source
            for cell in nbformat.read(path, as_version=4).cells
            if cell.cell_type == "markdown"
            and not REMOVING_TAGS & set(cell.metadata.get("tags", []))
        ]
    else:
        cells = [path.read_text()]
    for text in cells:
        for line in text.splitlines():
            if line.startswith("# "):
                return plain_title(line[2:])
    raise ValueError(f"{path} has no '# ' title")


def letters(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def toc_chapters() -> list[Chapter]:
    """Every top-level page of _toc.yml in order, numbered as the PDF numbers it: the root
    unnumbered, the numbered parts 1, 2, ..., the appendices A, B, ..., the parts after
    them unnumbered."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    chapters = [Chapter(toc["root"], title(source(toc["root"])), None)]
    count = appendix = 0
    after_appendices = False
    for part in toc.get("parts", []):
        for entry in part["chapters"]:
            docname = entry["file"]
            if part.get("caption") == APPENDICES:
                number: str | None = letters(appendix)
                appendix += 1
            elif after_appendices:
                number = None
            else:
                count += 1
                number = str(count)
            chapters.append(Chapter(docname, title(source(docname)), number))
        after_appendices |= part.get("caption") == APPENDICES
    return chapters


CHAPTERS = toc_chapters()


@cache
def outline() -> list[tuple[str, int]]:
    """The PDF's top-level bookmarks: (title, page index)."""
    reader = PdfReader(PDF)
    return [
        (str(item.title), reader.get_destination_page_number(item))
        for item in reader.outline
        if isinstance(item, Destination)
    ]


# --- the tests ----------------------------------------------------------------------------


def test_the_pdf_size_and_page_count() -> None:
    pages = len(PdfReader(PDF).pages)
    megabytes = PDF.stat().st_size / 1e6
    print(f"\n{PDF.relative_to(ROOT)}: {pages} pages, {megabytes:.1f} MB")
    assert megabytes < MAX_MEGABYTES
    assert pages > 2 * len(CHAPTERS)


def test_every_chapter_and_appendix_of_the_toc_in_order_with_its_number() -> None:
    expected = [
        f"{chapter.number} {chapter.title}" if chapter.number else chapter.title
        for chapter in CHAPTERS
    ]
    found = [plain(name) for name, _ in outline()]
    assert found[: len(expected)] == expected, "the PDF's bookmarks are not _toc.yml's pages"
    assert found[len(expected) :] == ["Index"]


def test_every_chapter_starts_on_its_own_page_with_its_title() -> None:
    text = squeeze(pdf_text()).casefold()
    pages = [page for _, page in outline()]
    assert pages == sorted(set(pages)), f"two chapters on one page, or out of order: {pages}"
    for chapter in CHAPTERS:
        assert squeeze(chapter.title).casefold() in text, chapter


def test_no_unresolved_reference() -> None:
    text = pdf_text()
    unresolved = [line for line in text.splitlines() if "??" in line]
    assert not unresolved, f"'??' in the PDF (an undefined reference or citation): {unresolved}"


def test_no_missing_glyph() -> None:
    """XeLaTeX logs each character that the font lacks ("Missing character: There is no …")
    and typesets nothing in its place."""
    assert LOG.is_file(), BUILD_HINT
    assert LOG.stat().st_mtime >= PDF.stat().st_mtime - 120, "the log is not this PDF's"
    log = LOG.read_text(errors="replace")
    assert "Output written on" in log
    missing = sorted(set(re.findall(r"Missing character: There is no (.+?)!", log)))
    assert not missing, f"glyphs missing from the fonts: {missing}"


def test_every_font_is_embedded() -> None:
    lines = poppler("pdffonts", str(PDF)).splitlines()
    header = lines[0].split()
    assert header[:2] == ["name", "type"] and "emb" in header, lines[:2]
    rows = lines[2:]
    assert rows, "no fonts listed"
    # the columns are fixed-width: emb, sub and uni come after the encoding
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, f"fonts not embedded: {not_embedded}"


# --- cells and figures --------------------------------------------------------------------


def notebooks() -> list[Path]:
    return [path for c in CHAPTERS if (path := source(c.docname)).suffix == ".ipynb"]


def code_cells() -> list[tuple[Path, nbformat.NotebookNode]]:
    """The code cells that MyST-NB keeps, of every notebook of _toc.yml."""
    return [
        (path, cell)
        for path in notebooks()
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "code"
        and not REMOVING_TAGS & set(cell.metadata.get("tags", []))
    ]


@cache
def chapter_text(docname: str) -> str:
    """The text of the chapter's pages, up to the next chapter's first page."""
    pages = [page for _, page in outline()]
    index = [chapter.docname for chapter in CHAPTERS].index(docname)
    first = pages[index] + 1  # pdftotext counts from 1
    last = pages[index + 1] if index + 1 < len(pages) else len(PdfReader(PDF).pages)
    return poppler("pdftotext", "-enc", "UTF-8", "-f", str(first), "-l", str(last), str(PDF), "-")


def test_hidden_cells_are_hidden_and_the_others_shown() -> None:
    """A cell the website folds (``hide-input``: a figure's plotting code) is left out of
    the PDF, its figure kept; every other cell's code is in the PDF. Each cell is looked
    for in its own chapter's pages, by its lines that are in no other cell or text of the
    notebook (and fit one line of the PDF)."""
    hidden = shown = 0
    wrong: list[str] = []
    for chapter in CHAPTERS:
        path = source(chapter.docname)
        if path.suffix != ".ipynb":
            continue
        text = squeeze(chapter_text(chapter.docname))
        cells = nbformat.read(path, as_version=4).cells
        for index, cell in enumerate(cells):
            tags = set(cell.metadata.get("tags", []))
            if cell.cell_type != "code" or REMOVING_TAGS & tags:
                continue
            others = "\n".join(
                squeeze(other.source) + "".join(
                    squeeze(str(output.get("text", output.get("data", ""))))
                    for output in other.get("outputs", [])
                )
                for i, other in enumerate(cells)
                if i != index
            )
            lines = [
                line
                for line in cell.source.splitlines()
                if 20 <= len(line.strip()) <= 70 and squeeze(line) not in others
            ]
            if not lines:
                continue
            present = [line for line in lines if squeeze(line) in text]
            if HIDING_TAGS & tags:
                hidden += 1
                if present:
                    wrong.append(f"{path.name}: hidden, but in the PDF: {present[0]!r}")
            else:
                shown += 1
                if not present:
                    wrong.append(f"{path.name}: not in the PDF: {lines[0]!r}")
    assert hidden and shown, "nothing to compare: no hidden cell, or no shown cell"
    assert not wrong, "\n".join(wrong)


def test_every_figure_is_in_the_pdf_interactive_ones_as_their_png() -> None:
    """Each image output of a shown cell is one image in the PDF: MyST-NB picks the PNG for
    LaTeX, also beside an interactive (Vega-Lite) output, which a PDF cannot show."""
    expected = sum(
        1
        for _, cell in code_cells()
        if "remove-output" not in cell.metadata.get("tags", [])
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    )
    rows = poppler("pdfimages", "-list", str(PDF)).splitlines()[2:]
    images = [row for row in rows if row.split()[2] == "image"]
    assert len(images) == expected


# --- the website's link -------------------------------------------------------------------


def test_the_site_built_after_the_pdf_offers_it_on_every_page() -> None:
    copy = SITE / PDF.name
    assert copy.is_file(), (
        f"{copy.relative_to(ROOT)} is missing: build the website after the PDF"
        " (.ci/run does), and the site copies it"
    )
    assert copy.read_bytes() == PDF.read_bytes(), "the site's copy is stale: build the site again"
    for chapter in CHAPTERS:
        page = SITE / f"{chapter.docname}.html"
        depth = chapter.docname.count("/")
        href = f'href="{"../" * depth}{PDF.name}"'
        assert href in page.read_text(), f"{page.relative_to(ROOT)} has no {href}"
