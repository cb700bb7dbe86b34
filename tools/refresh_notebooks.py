"""Re-execute the book's notebooks in place, so that their stored outputs are fresh.

Usage, from the repository root (with the test requirements installed)::

    python tools/refresh_notebooks.py                 # every notebook under book/
    python tools/refresh_notebooks.py book/entropy.ipynb

    python tools/refresh_notebooks.py --no-execute    # generated cells and metadata only

It also writes what each notebook needs to read right outside the website, all generated
from ``_config.yml``, ``_toc.yml`` and ``pyproject.toml``:

- the Colab install cell (the first code cell, tagged ``colab-install``), which installs
  ``xent`` from the repository URL at the release tag ``v<version>`` of ``pyproject.toml``;
- the macros cell (the first cell, a markdown cell tagged ``remove-cell`` and ``macros``) that
  defines the book's LaTeX macros (``mathjax3_config``'s ``tex.macros``) for jupyterlab-myst,
  MathJax and Colab, shows one line of text, and numbers a chapter's equations and exercises
  as the website does (jupyterlab-myst's ``numbering: enumerator: "3.%s"``); the website drops
  that cell and takes the macros from ``_config.yml``;
- the text of each cross-reference as the website shows it, for where it cannot be resolved
  (JupyterLab, Colab): ``{numref}`fig-x``` becomes ``{ref}`Fig. 3.4 <fig-x>``` and
  ``{eq}`eq-x``` becomes ``{eq}`(3.4) <eq-x>```, numbered from ``_toc.yml`` as Sphinx numbers
  them (the website shows the same text; for ``{eq}`` it computes the number itself);
- collapsed solutions: a markdown cell is split where a solution starts and after it ends, so
  that the cells of a solution (its prose and its code) are cells of their own, which are
  stored collapsed for JupyterLab (``jupyter: source_hidden, outputs_hidden``) under the
  "Solution to Exercise n" bar;
- the displayed size of each figure (``image/png`` output metadata ``width`` and
  ``height``): the PNGs have 192 pixels per inch, twice the CSS inch, and JupyterLab would
  show them at twice their size.

It stores the kernelspec and ``language_info`` exactly as ipykernel writes them, so that
opening and saving a notebook in JupyterLab changes nothing, drops per-cell execution
timestamps and any cell metadata other than ``tags``, ``mystnb`` (figure captions, names and
alt text) and ``jupyter`` (collapsed cells), and writes the files in nbformat's canonical
layout. Running it twice in a row leaves every file byte-identical.
"""

from __future__ import annotations

import argparse
import base64
import copy
import re
import struct
import sys
import tomllib
from pathlib import Path
from typing import Any

import nbformat
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
KEPT_CELL_METADATA = ("tags", "mystnb", "jupyter")
COLAB_TAG = "colab-install"
KERNEL_NAME = "python3"
# Exactly what ipykernel's kernelspec says (`jupyter kernelspec list --json`): JupyterLab
# copies it into a notebook when it opens it, and marks the notebook modified if it differs.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL_NAME}
MACROS_TAG = "macros"


def language_info(stored: dict[str, Any]) -> dict[str, Any]:
    """The notebook's ``language_info`` exactly as ipykernel reports it, which JupyterLab
    writes into a notebook when its kernel connects (so anything else marks it modified).

    The one machine-dependent field, Python's patch version, stays as stored when the minor
    version is the same, so that refreshing on another 3.11.x machine changes nothing.
    """
    from ipykernel.ipkernel import IPythonKernel

    info = copy.deepcopy(IPythonKernel.language_info)
    stored_version = str(stored.get("version", ""))
    if stored_version.split(".")[:2] == str(info["version"]).split(".")[:2]:
        info["version"] = stored_version
    return info


def xent_version() -> str:
    """The version of ``xent`` in ``pyproject.toml``; its release is tagged ``v<version>``."""
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


def repository_url() -> str:
    """The repository URL configured in ``_config.yml`` (``repository: url:``)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return str(config["repository"]["url"]).rstrip("/")


def book_macros() -> dict[str, str]:
    """The LaTeX macros of ``_config.yml`` (``mathjax3_config: tex: macros:``), by name."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    macros = config["sphinx"]["config"]["mathjax3_config"]["tex"]["macros"]
    return {str(name): str(body) for name, body in macros.items()}


def macros_cell_source(macros: dict[str, str], chapter: int | None = None) -> str:
    r"""The source of the hidden first cell that defines ``macros`` in the notebook itself.

        JupyterLab, Binder and Colab never read ``_config.yml``. The cell serves each renderer:

        - jupyterlab-myst (JupyterLab, Binder) renders every formula with KaTeX and takes macros
          only from the notebook's front matter, the ``math:`` block at the top of the first cell;
        - JupyterLab's MathJax (without jupyterlab-myst) and Colab keep a definition typeset in
          an earlier cell: the inline ``\def``\ s. ``\def``, not ``
    ewcommand``: KaTeX refuses
          ``
    ewcommand`` for a name it knows already (``\H``, a text accent, or a front-matter
          macro) and ``
    enewcommand`` for one it does not; ``\def`` works in both cases.

        The website drops the cell (tag ``remove-cell``) and takes the macros from _config.yml.
        In JupyterLab the cell shows one line of small text. In a chapter (``chapter`` given),
        the front matter also numbers equations and exercises as the website does, "3.1".
    """

    def quoted(text: str) -> str:  # a YAML single-quoted scalar: backslashes stay as they are
        return "'" + text.replace("'", "''") + "'"

    front_matter = "\n".join(
        f"  {quoted(chr(92) + name)}: {quoted(body)}" for name, body in macros.items()
    )
    definitions = " ".join(f"\\def\\{name}{{{body}}}" for name, body in macros.items())
    numbering = f"numbering:\n  enumerator: '{chapter}.%s'\n" if chapter is not None else ""
    return (
        f"---\n{numbering}math:\n{front_matter}\n\n---\n"
        "<!-- The book's LaTeX macros, for JupyterLab, Binder and Colab; the website takes them"
        " from _config.yml. Written by tools/refresh_notebooks.py: edit _config.yml, not this."
        f" -->\n<small>The book's LaTeX macros, for JupyterLab and Colab.</small> ${definitions}$"
    )


def colab_cell_source(url: str, version: str | None = None) -> str:
    """The source of the guarded cell that installs ``xent`` on Colab, and only there: the
    release the notebook was made with (tag ``v<version>``, by default ``pyproject.toml``'s),
    not the moving default branch."""
    version = version or xent_version()
    return (
        "# Runs only on Google Colab, which opens this notebook without the rest of the book:\n"
        "# there it installs the book's `xent` package, at the release this notebook was made\n"
        "# with. Anywhere else this cell does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install --quiet "xent @ git+{url}@v{version}"'
    )


def book_notebooks() -> list[Path]:
    """Every notebook of the book, in a stable order."""
    return sorted(p for p in BOOK.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def merged_streams(outputs: list[Any]) -> list[Any]:
    """Consecutive outputs to the same stream joined into one.

    How a kernel splits a cell's printing into chunks depends on timing; joined, the stored
    text is the same on every run (nbval joins them the same way before comparing).
    """
    merged: list[Any] = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and output.output_type == previous.output_type == "stream"
            and output.name == previous.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def with_macros_cell(
    notebook: nbformat.NotebookNode, macros: dict[str, str], chapter: int | None = None
) -> None:
    """Put the macros cell first in ``notebook``, replacing any earlier one."""
    notebook.cells = [c for c in notebook.cells if MACROS_TAG not in c.metadata.get("tags", [])]
    cell = nbformat.v4.new_markdown_cell(
        macros_cell_source(macros, chapter), metadata={"tags": ["remove-cell", MACROS_TAG]}
    )
    cell["id"] = "macros"  # a stable id, not a random one, so a refresh changes nothing
    notebook.cells.insert(0, cell)


# --- Numbers as the website shows them ------------------------------------------------------

EQUATION_LABEL = re.compile(r"\$\$[ \t]*\(([\w-]+)\)")
REFERENCE = re.compile(r"\{(numref|ref|eq)\}`([^`]*)`")


def toc_documents() -> list[tuple[Path, int | None]]:
    """Every document of ``_toc.yml`` in reading order, with its chapter number (``None`` in
    an unnumbered part). Numbered parts count on from one another (``use_multitoc_numbering``).
    """
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    documents: list[tuple[Path, int | None]] = [(ROOT / toc["root"], None)]
    chapter = 0
    for part in toc.get("parts", []):
        for entry in part["chapters"]:
            number = None
            if part.get("numbered"):
                chapter += 1
                number = chapter
            documents.append((ROOT / entry["file"], number))
    return documents


def _document_targets(stem: Path) -> tuple[list[str], list[str]]:
    """The figure names and the labelled display equations of one document, in order."""
    notebook_path, markdown_path = stem.with_suffix(".ipynb"), stem.with_suffix(".md")
    if notebook_path.exists():
        notebook = nbformat.read(notebook_path, as_version=4)
        figures = [
            cell.metadata["mystnb"]["figure"]["name"]
            for cell in notebook.cells
            if cell.cell_type == "code"
            and cell.metadata.get("mystnb", {}).get("figure", {}).get("name")
        ]
        text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    elif markdown_path.exists():
        figures, text = [], markdown_path.read_text()
    else:
        return [], []
    return figures, EQUATION_LABEL.findall(text)


def site_numbers() -> dict[str, dict[str, str]]:
    """The number the website gives each figure and labelled equation, by kind and label.

    As Sphinx numbers them (``numfig``, ``math_numfig``, ``numfig_secnum_depth`` 1): in
    chapter c, the k-th figure is "c.k" and so is the k-th labelled equation; the documents of
    unnumbered parts share one counter per kind, in reading order. ``tests/test_notebooks.py``
    checks the result against the built website when there is one.
    """
    numbers: dict[str, dict[str, str]] = {"figure": {}, "equation": {}}
    unnumbered = {"figure": 0, "equation": 0}
    for stem, chapter in toc_documents():
        figures, equations = _document_targets(stem)
        for kind, labels in (("figure", figures), ("equation", equations)):
            for k, label in enumerate(labels, start=1):
                if chapter is None:
                    unnumbered[kind] += 1
                    numbers[kind][label] = str(unnumbered[kind])
                else:
                    numbers[kind][label] = f"{chapter}.{k}"
    return numbers


def with_reference_texts(source: str, numbers: dict[str, dict[str, str]]) -> str:
    """``source`` with each ``{numref}`` and ``{eq}`` given the text the website shows.

    ``{numref}`fig-x``` (or an earlier generated text) becomes ``{ref}`Fig. 3.4 <fig-x>```:
    a ``{numref}`` with an explicit text must hold ``%s`` or ``{number}`` (else Sphinx warns),
    which JupyterLab would show as they are, while ``{ref}`` shows its text on the website
    and in JupyterLab alike. ``{eq}`eq-x``` becomes ``{eq}`(3.4) <eq-x>```, whose text only
    JupyterLab shows: the website computes the number itself. A label with no known number
    is left alone (the website's build reports it).
    """

    def replace(match: re.Match[str]) -> str:
        role, content = match.groups()
        explicit = re.fullmatch(r"(.*?)\s*<([^<>]+)>", content, re.DOTALL)
        label = explicit.group(2) if explicit else content.strip()
        if role in ("numref", "ref") and label in numbers["figure"]:
            return f"{{ref}}`Fig. {numbers['figure'][label]} <{label}>`"
        if role == "eq" and label in numbers["equation"]:
            return f"{{eq}}`({numbers['equation'][label]}) <{label}>`"
        return match.group(0)

    return REFERENCE.sub(replace, source)


# --- Collapsed solutions -----------------------------------------------------------------

SOLUTION_START = re.compile(r"^:::\{solution-start\}[^\n]*\n(?:[^\n]*\n)*?:::[ \t]*(?:\n|$)", re.M)
SOLUTION_END = re.compile(r"^:::\{solution-end\}[^\n]*\n:::[ \t]*(?:\n|$)", re.M)


def _split_markdown(source: str) -> list[str]:
    """A markdown cell's source cut before each solution start, after its directive, and after
    each solution end, so that a solution's own prose is a cell of its own."""
    cuts = {0, len(source)}
    for match in SOLUTION_START.finditer(source):
        cuts |= {match.start(), match.end()}
    for match in SOLUTION_END.finditer(source):
        cuts |= {match.start(), match.end()}
    bounds = sorted(cuts)
    parts = [source[a:b] for a, b in zip(bounds, bounds[1:])]
    return [part.strip("\n") for part in parts if part.strip()]


def with_collapsed_solutions(notebook: nbformat.NotebookNode) -> None:
    """Give each solution's cells their own cells, stored collapsed for JupyterLab.

    The cell that starts a solution shows the "Solution to Exercise n" bar; the cells after
    it, up to the one that ends the solution, are stored with their input and outputs
    collapsed (``metadata.jupyter``), which JupyterLab shows as a thin bar to click open.
    The website ignores that metadata.
    """
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or MACROS_TAG in cell.metadata.get("tags", []):
            cells.append(cell)
            continue
        parts = _split_markdown(cell.source)
        if len(parts) <= 1:
            cells.append(cell)
            continue
        for k, part in enumerate(parts):
            piece = copy.deepcopy(cell)
            piece.source = part
            if k:
                piece["id"] = f"{cell.get('id', 'cell')}-{k}"[:64]
            cells.append(piece)
    inside = False
    for cell in cells:
        cell.metadata.pop("jupyter", None)
        source = cell.source if cell.cell_type == "markdown" else ""
        if SOLUTION_END.match(source):
            inside = False
        if inside:
            cell.metadata["jupyter"] = {"source_hidden": True}
            if cell.cell_type == "code":
                cell.metadata["jupyter"]["outputs_hidden"] = True
        if SOLUTION_START.match(source):
            inside = True
    notebook.cells = cells


# --- Figures at their size ---------------------------------------------------------------


def png_display_size(png: bytes) -> tuple[int, int]:
    """The CSS size at which the website shows a PNG: its pixels at its recorded resolution
    (matplotlib writes it in the ``pHYs`` chunk), 96 CSS px to the inch."""
    width, height = struct.unpack(">II", png[16:24])
    dpi = 96.0
    at = png.find(b"pHYs")
    if at > 0:
        per_metre_x, _, unit = struct.unpack(">IIB", png[at + 4 : at + 13])
        if unit == 1 and per_metre_x:
            dpi = per_metre_x * 0.0254
    return round(width * 96 / dpi), round(height * 96 / dpi)


def with_figure_sizes(notebook: nbformat.NotebookNode) -> None:
    """Record in each PNG output the size at which to show it (JupyterLab honours it)."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" not in data:
                continue
            width, height = png_display_size(base64.b64decode(data["image/png"]))
            metadata = dict(output.get("metadata", {}))
            metadata["image/png"] = {"height": height, "width": width}
            output["metadata"] = metadata


def chapter_of(path: Path) -> int | None:
    """The chapter number of the notebook named like ``path`` (``None`` outside the numbered
    parts); by name, so that a copy elsewhere (the tests refresh one) gets its number too."""
    for stem, chapter in toc_documents():
        if stem.name == path.stem:
            return chapter
    return None


def refresh(path: Path, url: str, execute: bool = True) -> None:
    """Execute ``path`` top to bottom in a fresh kernel and store the outputs in place.

    With ``execute=False`` only the generated cells and the metadata are rewritten.
    """
    notebook = nbformat.read(path, as_version=4)
    stored_language_info = dict(notebook.metadata.get("language_info", {}))
    colab_cells = [c for c in notebook.cells if COLAB_TAG in c.metadata.get("tags", [])]
    for cell in colab_cells:
        cell.source = colab_cell_source(url)
    with_macros_cell(notebook, book_macros(), chapter_of(path))
    numbers = site_numbers()
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = with_reference_texts(cell.source, numbers)
    if execute:
        NotebookClient(
            notebook,
            timeout=600,
            kernel_name=KERNEL_NAME,
            record_timing=False,
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
    for cell in notebook.cells:
        cell.metadata = {k: cell.metadata[k] for k in KEPT_CELL_METADATA if k in cell.metadata}
        if cell.cell_type == "code":
            cell.outputs = merged_streams(cell.outputs)
    with_collapsed_solutions(notebook)
    with_figure_sizes(notebook)
    notebook.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": language_info(stored_language_info),
    }
    nbformat.validate(notebook)
    nbformat.write(notebook, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: all of book/")
    parser.add_argument(
        "--no-execute",
        action="store_true",
        help="only rewrite the generated cells and the metadata; keep the stored outputs",
    )
    args = parser.parse_args(argv)
    url = repository_url()
    for path in args.notebooks or book_notebooks():
        print(f"refreshing {path}", file=sys.stderr)
        refresh(path.resolve(), url, execute=not args.no_execute)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
