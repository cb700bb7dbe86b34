"""The book's notebooks follow the house rules that nbval alone does not check.

nbval (run by pytest on book/*.ipynb) re-executes each notebook and compares its text
outputs; the root conftest.py compares its figures. This module checks the rest: the table
of contents, the Colab install cell, the macros cell and the kernelspec (what JupyterLab,
Binder and Colab need), figure captions and alt text, seeded randomness and stored outputs
that are complete and in order.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import sys
import types
from pathlib import Path
from unittest import mock

import nbformat
import pytest
import tomllib
import yaml
from IPython.core.inputtransformer2 import TransformerManager

from tests.toc import toc_files
from tools.refresh_notebooks import (
    COLAB_TAG,
    _split_markdown,
    colab_cell_source,
    png_display_size,
    refresh,
    repository_url,
    site_numbers,
    with_reference_texts,
    xent_version,
)

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"


NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def code_cells(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_every_page_in_the_toc_exists_and_every_notebook_is_in_the_toc() -> None:
    files = toc_files()
    for name in files:
        assert (ROOT / f"{name}.ipynb").exists() or (ROOT / f"{name}.md").exists(), name
    for path in NOTEBOOKS:
        assert str(path.relative_to(ROOT).with_suffix("")) in files, (
            f"{path.name} is not in _toc.yml"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_cell_is_the_colab_install_cell_for_the_configured_repository(path: Path) -> None:
    first = code_cells(read(path))[0]
    assert COLAB_TAG in first.metadata.get("tags", [])
    assert "remove-cell" in first.metadata.get("tags", [])
    assert first.source == colab_cell_source(repository_url()), (
        "the Colab cell is stale: run `python tools/refresh_notebooks.py`"
    )
    assert first.outputs == []


def config_macros() -> dict[str, str]:
    """The book's LaTeX macros, as _config.yml gives them to the website's MathJax."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return dict(config["sphinx"]["config"]["mathjax3_config"]["tex"]["macros"])


def markdown_math(notebook: nbformat.NotebookNode) -> str:
    """Every formula ($...$, $$...$$, amsmath environments) in a notebook's markdown cells."""
    text = "\n".join(c.source for c in notebook.cells[1:] if c.cell_type == "markdown")
    return "\n".join(
        re.findall(r"\$\$.+?\$\$|\$[^$]+\$|\\begin\{.+?\\end\{\w+\*?\}", text, re.DOTALL)
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_cell_defines_the_macros_of_config_yml_for_jupyterlab_and_colab(path: Path) -> None:
    notebook = read(path)
    first = notebook.cells[0]
    assert first.cell_type == "markdown", "the first cell is the macros cell"
    assert {"remove-cell", "macros"} <= set(first.metadata.get("tags", [])), first.metadata
    macros = config_macros()
    # jupyterlab-myst reads the front matter of the first cell (its `math:` block) ...
    front_matter = re.match(r"---\n(.*?)\n---\n", first.source, re.DOTALL)
    assert front_matter, "no front matter at the top of the macros cell"
    math = yaml.safe_load(front_matter.group(1))["math"]
    assert math == {f"\\{name}": body for name, body in macros.items()}, (
        "the macros cell is stale: run `python tools/refresh_notebooks.py`"
    )
    # ... MathJax (JupyterLab without it) and Colab keep definitions typeset in a first cell.
    rest = first.source[front_matter.end() :]
    definitions = dict(
        re.findall(r"\\def\\([A-Za-z]+)\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}", rest)
    )
    assert definitions == macros, (
        "the macros cell is stale: run `python tools/refresh_notebooks.py`"
    )
    # Every book macro a formula of this notebook uses is among them.
    commands = set(re.findall(r"\\([A-Za-z]+)", markdown_math(notebook)))
    assert commands & set(macros) <= set(definitions)


def test_the_notebooks_use_the_macros() -> None:
    """The macro check above has something to check: the chapters do use \\H and \\KL."""
    used = set()
    for path in NOTEBOOKS:
        used |= set(re.findall(r"\\([A-Za-z]+)", markdown_math(read(path)))) & set(config_macros())
    assert {"H", "KL"} <= used


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernel_metadata_is_stored_as_ipykernel_writes_it(path: Path) -> None:
    """Else JupyterLab rewrites it when the kernel connects, and marks the notebook modified."""
    from ipykernel.ipkernel import IPythonKernel
    from ipykernel.kernelspec import get_kernel_dict

    spec = get_kernel_dict()
    metadata = read(path).metadata
    assert metadata.kernelspec == {
        "display_name": spec["display_name"],
        "language": spec["language"],
        "name": "python3",
    }
    info = dict(metadata.language_info)
    expected = dict(IPythonKernel.language_info)
    # The patch release of Python is the refreshing machine's; the minor one is the book's.
    assert info.pop("version").split(".")[:2] == expected.pop("version").split(".")[:2]
    assert info == expected


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_generated_cells_and_metadata_are_up_to_date(path: Path, tmp_path: Path) -> None:
    """What `tools/refresh_notebooks.py --no-execute` writes is what is committed."""
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    refresh(copy, repository_url(), execute=False)
    assert copy.read_text() == path.read_text(), (
        "run `python tools/refresh_notebooks.py` on this notebook"
    )


def run_colab_cell(on_colab: bool) -> mock.MagicMock:
    """Execute the Colab cell as IPython would, with a stand-in shell; return the shell."""
    python = TransformerManager().transform_cell(colab_cell_source(repository_url()))
    shell = mock.MagicMock()
    modules = {"google.colab": types.ModuleType("google.colab")} if on_colab else {}
    with mock.patch.dict(sys.modules, modules):
        if not on_colab:
            sys.modules.pop("google.colab", None)
        exec(compile(python, "colab-cell", "exec"), {"get_ipython": lambda: shell})  # noqa: S102 (the cell under test)
    return shell


def test_colab_cell_installs_xent_from_the_repository_on_colab() -> None:
    shell = run_colab_cell(on_colab=True)
    shell.run_line_magic.assert_called_once()
    magic, line = shell.run_line_magic.call_args.args
    assert magic == "pip"
    assert f"git+{repository_url()}" in line and line.startswith("install")


def test_colab_cell_installs_the_release_the_notebooks_were_made_with() -> None:
    """Not the moving default branch: the tag of pyproject.toml's version (CONTRIBUTING.md)."""
    shell = run_colab_cell(on_colab=True)
    _, line = shell.run_line_magic.call_args.args
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert line.endswith(f'"xent @ git+{repository_url()}@v{version}"'), line
    assert xent_version() == version


def test_colab_cell_does_nothing_elsewhere() -> None:
    shell = run_colab_cell(on_colab=False)
    shell.run_line_magic.assert_not_called()
    shell.system.assert_not_called()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_are_complete_and_in_order(path: Path) -> None:
    cells = [c for c in code_cells(read(path)) if c.source.strip()]
    counts = [c.execution_count for c in cells]
    assert counts == list(range(1, len(cells) + 1)), "run the notebook top to bottom in one go"
    for cell in cells:
        assert "execution" not in cell.metadata, "per-cell timestamps: refresh without timing"
        for output in cell.outputs:
            assert output.output_type != "error", cell.source
            text = "".join(output.get("text", "")) + "".join(
                output.get("data", {}).get("text/plain", "")
            )
            assert not re.search(r"at 0x[0-9a-fA-F]{6,}", text), f"a memory address in: {text}"
            assert not re.match(r"\[?<matplotlib|Text\(", text.strip()), f"a stray repr: {text}"
            assert output.get("name") != "stderr", f"stderr output: {text}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_has_a_caption_a_name_and_alt_text(path: Path) -> None:
    for cell in code_cells(read(path)):
        if not any("image/png" in o.get("data", {}) for o in cell.outputs):
            continue
        mystnb = cell.metadata.get("mystnb", {})
        assert mystnb.get("figure", {}).get("caption"), f"no caption: {cell.source}"
        assert mystnb.get("figure", {}).get("name", "").startswith("fig-"), cell.source
        assert len(mystnb.get("image", {}).get("alt", "")) > 40, (
            f"no useful alt text: {cell.source}"
        )
        explorable = any(
            "application/vnd.vegalite.v5+json" in o.get("data", {}) for o in cell.outputs
        )  # an explorable (xent.plotting.explorable) brings its PNG: shown with .show()
        assert explorable or cell.source.rstrip().endswith("plt.show()"), (
            "end figure cells with plt.show()"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_installs_downloads_or_unseeded_randomness(path: Path) -> None:
    for cell in code_cells(read(path)):
        if COLAB_TAG in cell.metadata.get("tags", []):
            continue
        source = cell.source
        assert not re.search(r"^\s*[!%]", source, re.MULTILINE), f"shell or magic in: {source}"
        assert not re.search(r"urllib|requests|fetch_openml|http", source), source
        assert not re.search(r"default_rng\(\s*\)", source), f"unseeded generator: {source}"
        assert not re.search(r"np\.random\.(rand|randn|normal|uniform|choice|seed)\b", source), (
            source
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_visible_code_fits_the_page(path: Path) -> None:
    """The site's code boxes show about 76 characters before a reader has to scroll."""
    for cell in code_cells(read(path)):
        if {"hide-input", "remove-cell"} & set(cell.metadata.get("tags", [])):
            continue
        for line in cell.source.splitlines():
            assert len(line) <= 76, f"{len(line)} characters: {line}"


# --- What tools/refresh_notebooks.py generates for JupyterLab --------------------------------


def test_reference_texts_are_the_websites() -> None:
    numbers = {"figure": {"fig-a": "3.4", "fig-b": "1"}, "equation": {"eq-a": "2.1"}}
    source = (
        "See {numref}`fig-a`, {numref}`Fig. 9.9 <fig-a>`, {numref}`Figure %s <fig-b>`,"
        " {eq}`eq-a` and {eq}`(7) <eq-a>`; {numref}`fig-unknown` and {cite}`key` stay."
    )
    once = with_reference_texts(source, numbers)
    assert with_reference_texts(once, numbers) == once  # a second refresh changes nothing
    assert once == (
        "See {ref}`Fig. 3.4 <fig-a>`, {ref}`Fig. 3.4 <fig-a>`, {ref}`Fig. 1 <fig-b>`,"
        " {eq}`(2.1) <eq-a>` and {eq}`(2.1) <eq-a>`; {numref}`fig-unknown` and {cite}`key` stay."
    )


def test_a_solution_gets_cells_of_its_own() -> None:
    source = (
        ":::{exercise}\n:label: ex-a\n\nDo it.\n:::\n\n"
        ":::{solution-start} ex-a\n:class: dropdown\n:::\n\nDone.\n\n"
        ":::{solution-end}\n:::\n\nNext."
    )
    assert _split_markdown(source) == [
        ":::{exercise}\n:label: ex-a\n\nDo it.\n:::",
        ":::{solution-start} ex-a\n:class: dropdown\n:::",
        "Done.",
        ":::{solution-end}\n:::",
        "Next.",
    ]


def test_a_figure_is_shown_at_its_size_in_inches() -> None:
    """A 5 in by 2.5 in figure saved at 192 pixels per inch is 480 by 240 CSS px."""
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(5, 2.5), dpi=192)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    assert png_display_size(buffer.getvalue()) == (480, 240)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_records_the_size_it_is_shown_at(path: Path) -> None:
    for cell in code_cells(read(path)):
        for output in cell.outputs:
            if "image/png" in output.get("data", {}):
                size = output.get("metadata", {}).get("image/png", {})
                width, height = png_display_size(base64.b64decode(output.data["image/png"]))
                assert size == {"width": width, "height": height}, "refresh the notebook"


SITE = ROOT / "_build" / "html"


@pytest.mark.skipif(not SITE.exists(), reason="the website is not built")
def test_the_reference_numbers_are_the_built_websites() -> None:
    """The numbers written into the references are those the website gives its figures and
    equations (their captions and equation numbers, which Sphinx computes)."""
    numbers = site_numbers()
    found: dict[str, dict[str, str]] = {"figure": {}, "equation": {}}
    for page in SITE.glob("book/*.html"):
        html = page.read_text()
        for label, number in re.findall(
            # a figure's id, then its caption's number, with no other id between them
            r'id="([\w-]+)"[^>]*>(?:(?!id=").)*?<span class="caption-number">Fig\. ([\d.]+) ',
            html,
            re.DOTALL,
        ):
            found["figure"].setdefault(label, number)
        for label, number in re.findall(
            r'id="equation-([\w-]+)">\s*<span class="eqno">\(([\d.]+)\)', html
        ):
            found["equation"][label] = number
    for kind in ("figure", "equation"):
        missing = sorted(set(numbers[kind]) - set(found[kind]))
        assert not missing, f"not found in the built site: {missing}"
        for label, number in found[kind].items():
            if label in numbers[kind]:
                assert numbers[kind][label] == number, f"{label}: site {number}"
