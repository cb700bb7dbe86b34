"""Re-execute the book's notebooks in place, so that their stored outputs are fresh.

Usage, from the repository root (with the test requirements installed)::

    python tools/refresh_notebooks.py                 # every notebook under book/
    python tools/refresh_notebooks.py book/entropy.ipynb

It also rewrites each notebook's Colab install cell (the first code cell, tagged
``colab-install``) from the repository URL in ``_config.yml``, drops per-cell execution
timestamps and any cell metadata other than ``tags`` and ``mystnb`` (figure captions, names
and alt text), and writes the files in nbformat's canonical layout. Running it twice in a
row leaves every file byte-identical.
"""

from __future__ import annotations

import argparse
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


def repository_url() -> str:
    """The repository URL configured in ``_config.yml`` (``repository: url:``)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return str(config["repository"]["url"]).rstrip("/")


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


def refresh(path: Path, url: str) -> None:
    """Execute ``path`` top to bottom in a fresh kernel and store the outputs in place."""
    notebook = nbformat.read(path, as_version=4)
    colab_cells = [c for c in notebook.cells if COLAB_TAG in c.metadata.get("tags", [])]
    for cell in colab_cells:
        cell.source = colab_cell_source(url)
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
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": KERNEL_NAME},
        "language_info": {"name": "python"},
    }
    nbformat.validate(notebook)
    nbformat.write(notebook, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: all of book/")
    args = parser.parse_args(argv)
    url = repository_url()
    for path in args.notebooks or book_notebooks():
        print(f"refreshing {path}", file=sys.stderr)
        refresh(path.resolve(), url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
