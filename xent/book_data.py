"""The book's data files, found wherever a notebook runs.

A notebook that shows stored results (the benchmark appendix reads ``benchmark.json``) finds
its file next to it in a checkout, in JupyterLab or on Binder. On Colab, or for a notebook
downloaded alone, the file is not there: it is fetched from the book's GitHub repository, at
the very commit of the ``xent`` that is installed (pip records where it installed ``xent``
from; the notebooks' Colab cell installs it from the repository set in ``_config.yml``).
"""

from __future__ import annotations

import json
import urllib.request
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

__all__ = ["book_file_url", "load_book_json"]

#: Where the book's files live in its repository.
BOOK_FOLDER = "book"
#: How long to wait for GitHub, in seconds.
TIMEOUT = 30.0


def _check_name(name: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a file name (str), got {type(name).__name__}")
    if not name or Path(name).name != name or name in {".", ".."}:
        raise ValueError(f"name must be a plain file name such as 'benchmark.json', got {name!r}")
    return name


def _install_record() -> dict[str, Any] | None:
    """What pip recorded about where ``xent`` came from (PEP 610 ``direct_url.json``)."""
    try:
        text = metadata.distribution("xent").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    return json.loads(text) if text else None


def book_file_url(name: str) -> str | None:
    """The raw GitHub URL of ``book/<name>`` at the commit ``xent`` was installed from.

    Parameters
    ----------
    name
        A file name in the book's folder, such as ``"benchmark.json"``.

    Returns
    -------
    str | None
        The file's raw address on GitHub, at ``raw.githubusercontent.com`` under the
        repository's owner, name and commit, when ``xent`` was installed with pip from a
        GitHub repository (as the notebooks' Colab cell installs it), else None.

    Raises
    ------
    TypeError, ValueError
        If ``name`` is not a plain file name.

    Examples
    --------
    >>> book_file_url("benchmark.json") is None or "/book/benchmark.json" in book_file_url(
    ...     "benchmark.json")
    True
    """
    _check_name(name)
    record = _install_record() or {}
    vcs = record.get("vcs_info") or {}
    url = urlparse(str(record.get("url", "")))
    parts = url.path.strip("/").removesuffix(".git").split("/")
    if vcs.get("vcs") != "git" or url.hostname != "github.com" or len(parts) != 2:
        return None
    commit = vcs.get("commit_id") or vcs.get("requested_revision") or "HEAD"
    owner, repo = parts
    return f"https://raw.githubusercontent.com/{owner}/{repo}/{commit}/{BOOK_FOLDER}/{name}"


def _local_candidates(name: str, folder: Path) -> list[Path]:
    """Where a copy of the book's file may be on this machine, most specific first."""
    candidates = [folder / name]
    # A checkout imported in place (PYTHONPATH) or installed from a local folder.
    candidates.append(Path(__file__).resolve().parent.parent / BOOK_FOLDER / name)
    record = _install_record() or {}
    url = urlparse(str(record.get("url", "")))
    if url.scheme == "file":
        candidates.append(Path(unquote(url.path)) / BOOK_FOLDER / name)
    return candidates


def load_book_json(name: str, folder: str | Path | None = None) -> Any:
    """Read the book's JSON file ``name``: next to the notebook, else from the repository.

    Looks, in order, in ``folder`` (default: the current directory, which is the notebook's
    folder in JupyterLab, Binder and the tests), in the ``book/`` folder of the checkout that
    ``xent`` comes from, and finally fetches it from GitHub (:func:`book_file_url`).

    Parameters
    ----------
    name
        A file name in the book's folder, such as ``"benchmark.json"``.
    folder
        Where to look first; default the current directory.

    Returns
    -------
    object
        The parsed JSON.

    Raises
    ------
    TypeError, ValueError
        If ``name`` is not a plain file name.
    FileNotFoundError
        If the file is on neither this machine nor GitHub's address for it is known (``xent``
        was not installed from a GitHub repository); the message says where to get it.
    OSError
        If fetching it from GitHub fails (no network, unknown commit).

    Examples
    --------
    >>> import json, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "numbers.json").write_text(json.dumps({"e": 2.718}))
    ...     load_book_json("numbers.json", folder=tmp)
    {'e': 2.718}
    """
    _check_name(name)
    here = Path.cwd() if folder is None else Path(folder)
    for path in _local_candidates(name, here):
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    url = book_file_url(name)
    if url is None:
        raise FileNotFoundError(
            f"{name} is not in {here} and xent was not installed from the book's GitHub "
            f"repository, so it cannot be fetched: download {BOOK_FOLDER}/{name} from the "
            "book's repository into the notebook's folder, or install xent with "
            '`pip install "xent @ git+https://github.com/OWNER/REPO"`.'
        )
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        return json.loads(response.read().decode("utf-8"))
