"""Re-execute the book's notebooks in place, so that their stored outputs are fresh.

Usage, from the repository root (with the test requirements installed)::

    python tools/refresh_notebooks.py                 # every notebook under book/
    python tools/refresh_notebooks.py book/entropy.ipynb

    python tools/refresh_notebooks.py --no-execute    # generated cells and metadata only

It also writes what each notebook needs to read right outside the website, all generated
from ``_config.yml``: the Colab install cell (the first code cell, tagged ``colab-install``)
from the repository URL, and the macros cell (the first cell, a markdown cell tagged
``remove-cell`` and ``macros``) that defines the book's LaTeX macros (``mathjax3_config``'s
``tex.macros``) for jupyterlab-myst, MathJax and Colab; the website drops that cell and takes
the macros from ``_config.yml``. It stores the kernelspec and ``language_info`` exactly as
ipykernel writes them, so that opening and saving a notebook in JupyterLab changes nothing,
drops per-cell execution timestamps and any cell metadata other than ``tags`` and ``mystnb``
(figure captions, names and alt text), and writes the files in nbformat's canonical layout.
Running it twice in a row leaves every file byte-identical.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path
from typing import Any

import nbformat
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
KEPT_CELL_METADATA = ("tags", "mystnb")
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


def repository_url() -> str:
    """The repository URL configured in ``_config.yml`` (``repository: url:``)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return str(config["repository"]["url"]).rstrip("/")


def book_macros() -> dict[str, str]:
    """The LaTeX macros of ``_config.yml`` (``mathjax3_config: tex: macros:``), by name."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    macros = config["sphinx"]["config"]["mathjax3_config"]["tex"]["macros"]
    return {str(name): str(body) for name, body in macros.items()}


def macros_cell_source(macros: dict[str, str]) -> str:
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
    """

    def quoted(text: str) -> str:  # a YAML single-quoted scalar: backslashes stay as they are
        return "'" + text.replace("'", "''") + "'"

    front_matter = "\n".join(
        f"  {quoted(chr(92) + name)}: {quoted(body)}" for name, body in macros.items()
    )
    definitions = " ".join(f"\\def\\{name}{{{body}}}" for name, body in macros.items())
    return (
        f"---\nmath:\n{front_matter}\n\n---\n"
        "<!-- The book's LaTeX macros, for JupyterLab, Binder and Colab; the website takes them"
        " from _config.yml. Written by tools/refresh_notebooks.py: edit _config.yml, not this."
        f" -->\n${definitions}$"
    )


def colab_cell_source(url: str) -> str:
    """The source of the guarded cell that installs ``xent`` on Colab, and only there."""
    return (
        "# Runs only on Google Colab, which opens this notebook without the rest of the book:\n"
        "# there it installs the book's `xent` package. Anywhere else this cell does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install --quiet "xent @ git+{url}"'
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


def with_macros_cell(notebook: nbformat.NotebookNode, macros: dict[str, str]) -> None:
    """Put the macros cell first in ``notebook``, replacing any earlier one."""
    notebook.cells = [c for c in notebook.cells if MACROS_TAG not in c.metadata.get("tags", [])]
    cell = nbformat.v4.new_markdown_cell(
        macros_cell_source(macros), metadata={"tags": ["remove-cell", MACROS_TAG]}
    )
    cell["id"] = "macros"  # a stable id, not a random one, so a refresh changes nothing
    notebook.cells.insert(0, cell)


def refresh(path: Path, url: str, execute: bool = True) -> None:
    """Execute ``path`` top to bottom in a fresh kernel and store the outputs in place.

    With ``execute=False`` only the generated cells and the metadata are rewritten.
    """
    notebook = nbformat.read(path, as_version=4)
    stored_language_info = dict(notebook.metadata.get("language_info", {}))
    colab_cells = [c for c in notebook.cells if COLAB_TAG in c.metadata.get("tags", [])]
    for cell in colab_cells:
        cell.source = colab_cell_source(url)
    with_macros_cell(notebook, book_macros())
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
