"""A notebook that reads a data file of the book still runs when it is opened alone (Colab)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import nbformat
import pytest
import yaml
from IPython.core.inputtransformer2 import TransformerManager

from xent import book_data
from xent.book_data import book_file_url, load_book_json

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def configured_repository() -> str:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return str(config["repository"]["url"]).rstrip("/")


class FakeDistribution:
    """An installed ``xent`` whose ``direct_url.json`` says ``record``."""

    def __init__(self, record: dict[str, Any] | None) -> None:
        self.record = record

    def read_text(self, filename: str) -> str | None:
        assert filename == "direct_url.json"
        return None if self.record is None else json.dumps(self.record)


@pytest.fixture
def installed_like_colab(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """xent as the Colab cell installs it: from the configured GitHub repository, into
    site-packages (no book/ beside the package), in an empty working directory. Returns the
    list of URLs fetched, each answered with the repository's own copy of the file."""
    site = tmp_path / "site-packages" / "xent"
    monkeypatch.setattr(book_data, "__file__", str(site / "book_data.py"))
    record = {"url": configured_repository(), "vcs_info": {"vcs": "git", "commit_id": COMMIT}}
    real = book_data.metadata.distribution  # other packages (pyppmd asks for its version)
    monkeypatch.setattr(
        book_data.metadata,
        "distribution",
        lambda name: FakeDistribution(record) if name == "xent" else real(name),
    )
    work = tmp_path / "content"
    work.mkdir()
    monkeypatch.chdir(work)
    fetched: list[str] = []

    def urlopen(url: str, timeout: float) -> Any:
        fetched.append(url)
        name = url.rsplit("/", 1)[-1]
        response = mock.MagicMock()
        response.__enter__.return_value.read.return_value = (BOOK / name).read_bytes()
        return response

    monkeypatch.setattr(book_data.urllib.request, "urlopen", urlopen)
    return fetched


def expected_raw_url(name: str) -> str:
    """GitHub's raw address of book/<name>, written out from _config.yml's repository URL."""
    owner_repo = configured_repository().removeprefix("https://github.com/")
    return f"https://raw.githubusercontent.com/{owner_repo}/{COMMIT}/book/{name}"


def data_files(notebook: nbformat.NotebookNode) -> list[str]:
    """The book's data files (book/*.json) that a notebook's code names."""
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    return sorted({p.name for p in BOOK.glob("*.json") if re.search(re.escape(p.name), code)})


NOTEBOOKS_WITH_DATA = [
    p for p in sorted(BOOK.glob("*.ipynb")) if data_files(nbformat.read(p, as_version=4))
]


def test_the_benchmark_appendix_is_among_the_notebooks_that_need_data() -> None:
    assert BOOK / "benchmarks.ipynb" in NOTEBOOKS_WITH_DATA


@pytest.mark.parametrize("path", NOTEBOOKS_WITH_DATA, ids=lambda p: p.name)
def test_notebook_loads_its_data_when_opened_alone(
    path: Path, installed_like_colab: list[str]
) -> None:
    """Run the notebook's code, up to the last cell that names a data file, as Colab would:
    in an empty folder, with xent installed from the repository."""
    notebook = nbformat.read(path, as_version=4)
    names = data_files(notebook)
    cells = [c for c in notebook.cells if c.cell_type == "code"]
    last = max(i for i, c in enumerate(cells) if any(n in c.source for n in names))
    namespace: dict[str, Any] = {"get_ipython": mock.MagicMock}
    transform = TransformerManager().transform_cell
    with mock.patch.dict(sys.modules, {"google.colab": mock.MagicMock()}):
        for index, cell in enumerate(cells[: last + 1]):
            code = compile(transform(cell.source), f"{path.name}[{index}]", "exec")
            try:
                exec(code, namespace)  # noqa: S102 (the notebook's own code)
            except FileNotFoundError as error:
                pytest.fail(
                    f"{path.name} cannot find its data when it runs alone ({error}): read it "
                    f"with `xent.book_data.load_book_json({names[0]!r})`",
                    pytrace=False,
                )
    assert installed_like_colab == [expected_raw_url(name) for name in names]
    loaded = [v for v in namespace.values() if isinstance(v, dict) and v]
    for name in names:
        assert json.loads((BOOK / name).read_text()) in loaded, f"{name} was not loaded"


def test_a_file_next_to_the_notebook_is_read_without_fetching(
    installed_like_colab: list[str],
) -> None:
    Path("results.json").write_text('{"answer": 42}')
    assert load_book_json("results.json") == {"answer": 42}
    assert installed_like_colab == []


def test_the_file_is_fetched_from_the_installed_commit(installed_like_colab: list[str]) -> None:
    assert book_file_url("benchmark.json") == expected_raw_url("benchmark.json")
    assert load_book_json("benchmark.json") == json.loads((BOOK / "benchmark.json").read_text())
    assert installed_like_colab == [expected_raw_url("benchmark.json")]


def test_a_checkout_imported_in_place_reads_its_own_book_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_book_json("benchmark.json") == json.loads((BOOK / "benchmark.json").read_text())


def test_a_local_install_reads_the_book_folder_it_was_installed_from(
    installed_like_colab: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    checkout = tmp_path / "my checkout"
    (checkout / "book").mkdir(parents=True)
    (checkout / "book" / "results.json").write_text("[1, 2]")
    record = {"url": checkout.as_uri(), "dir_info": {}}
    monkeypatch.setattr(book_data.metadata, "distribution", lambda name: FakeDistribution(record))
    assert load_book_json("results.json") == [1, 2]
    assert book_file_url("results.json") is None
    assert installed_like_colab == []


def test_without_the_file_or_a_repository_the_error_says_what_to_do(
    installed_like_colab: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(book_data.metadata, "distribution", lambda name: FakeDistribution(None))
    with pytest.raises(FileNotFoundError, match=r"download book/benchmark\.json"):
        load_book_json("benchmark.json")
    gitlab = {"url": "https://gitlab.com/a/b", "vcs_info": {"vcs": "git", "commit_id": COMMIT}}
    monkeypatch.setattr(book_data.metadata, "distribution", lambda name: FakeDistribution(gitlab))
    assert book_file_url("benchmark.json") is None
    assert installed_like_colab == []


@pytest.mark.parametrize("name", ["../benchmark.json", "book/benchmark.json", "", "."])
def test_only_plain_file_names_are_accepted(name: str) -> None:
    with pytest.raises(ValueError, match="name"):
        load_book_json(name)


def test_a_name_that_is_not_a_string_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="name"):
        load_book_json(Path("benchmark.json"))  # type: ignore[arg-type]
