"""A lazy module imports nothing while pytest collects the file that holds it."""

from __future__ import annotations

import inspect

import pytest

from tests.lazy_import import LazyModule


def test_what_collection_probes_imports_nothing() -> None:
    lazy = LazyModule("no_such_module_xent")  # any import would raise ModuleNotFoundError
    for name in ("__test__", "__wrapped__", "__bases__", "_mock_name"):
        assert getattr(lazy, name, None) is None
    assert inspect.unwrap(lazy) is lazy  # type: ignore[arg-type]


def test_a_public_name_imports_the_module() -> None:
    with pytest.raises(ModuleNotFoundError, match="no_such_module_xent"):
        LazyModule("no_such_module_xent").tensor  # noqa: B018
    assert LazyModule("json").dumps([1]) == "[1]"
