"""The book's table of contents, read from ``_toc.yml``, for the tests that visit every page."""

from __future__ import annotations

from pathlib import Path

import yaml

__all__ = ["toc_files"]

ROOT = Path(__file__).resolve().parent.parent


def toc_files() -> list[str]:
    """Every file named in _toc.yml, without its extension, relative to the root."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part["chapters"]:
            files.append(chapter["file"])
            files.extend(section["file"] for section in chapter.get("sections", []))
    return files
