"""A Sphinx extension that removes duplicated inline scripts from every page.

sphinx-thebe and sphinx-togglebutton add inline scripts after the builder has started; Sphinx
7.4 then lists each of them twice (once with the file name ``None``, once ``''``), and the
second ``const THEBE_JS_URL = ...`` is a JavaScript error on every page. Keeping the first
of each identical script fixes it.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def _dedupe_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    unique = []
    for script in context.get("script_files", []):
        key = (script.filename or "", tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _dedupe_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
