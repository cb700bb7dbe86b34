"""The ``xent-api`` directive: one module of the API reference from one line.

In ``book/api.md``::

    ```{xent-api} xent.information
    ```

documents the module: its docstring, a summary table of every name in its ``__all__``, and
the full description (signature, docstring, example) of each of those names, through
``sphinx.ext.autodoc`` and ``sphinx.ext.autosummary`` with numpydoc docstrings read by
``sphinx.ext.napoleon``. A function re-exported by a module documented earlier on the page
(``xent.entropy`` is ``xent.information.entropy``) is described once, where it first
appears; autodoc records its defining module as the canonical name, so links to either name
reach that description.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


def public_names(module_name: str) -> list[str]:
    """The names a module exports: its ``__all__``."""
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        raise ValueError(f"{module_name} has no __all__; the API page documents only __all__")
    return list(names)


def _kind(value: Any) -> str:
    if inspect.isclass(value):
        return "autoclass"
    if callable(value):
        return "autofunction"
    return "autodata"


def _home(module_name: str, name: str, value: Any) -> str:
    """The module that defines ``value``: its ``__module__`` for a function or class; for data,
    the module among ``module_name`` and its submodules whose source assigns ``name``."""
    if _kind(value) != "autodata":
        return str(value.__module__)
    assignment = re.compile(rf"^{re.escape(name)}\b[^=\n]*=", re.MULTILINE)
    for candidate in sorted(sys.modules):
        module = sys.modules[candidate]
        if candidate != module_name and not candidate.startswith(f"{module_name}."):
            continue
        if getattr(module, name, None) is not value:
            continue
        try:
            if assignment.search(inspect.getsource(module)):
                return candidate
        except (OSError, TypeError):
            continue
    return module_name


def _summary_entry(module_name: str, name: str, value: Any) -> str:
    """A row of the summary table: data re-exported from another module is summarised from
    the module that defines it (where its docstring is), functions and classes by name."""
    home = _home(module_name, name, value)
    if _kind(value) != "autodata" or home == module_name:
        return name
    return f"~{home.removeprefix(module_name + '.')}.{name}"


class XentApi(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        module_name = self.arguments[0]
        module = importlib.import_module(module_name)
        described: dict[int, str] = self.env.temp_data.setdefault("xent_api_described", {})
        names = public_names(module_name)
        lines = [
            f".. automodule:: {module_name}",
            "   :no-members:",
            "",
            f".. currentmodule:: {module_name}",
            "",
            ".. autosummary::",
            "   :nosignatures:",
            "",
            *(f"   {_summary_entry(module_name, name, getattr(module, name))}" for name in names),
            "",
        ]
        aliases: list[tuple[str, str, str]] = []  # (alias, target, object type)
        for name in names:
            value = getattr(module, name)
            kind = _kind(value)
            objtype = {"autoclass": "class", "autofunction": "function", "autodata": "data"}[kind]
            here = f"{module_name}.{name}"
            if id(value) in described:
                aliases.append((here, described[id(value)], objtype))
                continue
            home = f"{_home(module_name, name, value)}.{name}"
            target = home if kind == "autodata" else here
            described[id(value)] = target
            aliases += [(other, target, objtype) for other in {here, home} - {target}]
            lines += [f".. {kind}:: {target}"]
            lines += {"autoclass": ["   :members:"], "autodata": ["   :no-value:"]}.get(kind, [])
            lines += [""]
        content = nodes.container(classes=["xent-api"])
        self.state.nested_parse(StringList(lines, source=module_name), self.content_offset, content)
        domain = self.env.get_domain("py")
        for alias, target, objtype in aliases:
            if alias in domain.objects:  # type: ignore[attr-defined]  # autodoc's canonical name
                continue
            domain.note_object(alias, objtype, target, aliased=True, location=self.get_location())  # type: ignore[attr-defined]
        return [content]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("xent-api", XentApi)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
