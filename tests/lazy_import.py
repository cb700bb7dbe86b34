"""A module imported on first use, for the parity tests' heavy references (torch, keras).

Every pytest worker collects every test file; a module-level ``import torch`` would cost
each of them 2 to 4 s. With ``torch = LazyModule("torch")`` only the worker that runs the
tests pays, when the first test touches ``torch``.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

__all__ = ["LazyModule", "keras_on_jax"]


def keras_on_jax() -> Any:
    """Keras 3 on its JAX backend, which must be chosen before the first ``import keras``."""
    os.environ["KERAS_BACKEND"] = "jax"
    module = importlib.import_module("keras")
    assert module.backend.backend() == "jax"
    return module


class LazyModule:
    """``LazyModule("torch").tensor`` imports torch on first use and reads its attribute;
    ``load`` imports the module another way (:func:`keras_on_jax`)."""

    def __init__(self, name: str, load: Callable[[], Any] | None = None) -> None:
        self._load = load or (lambda: importlib.import_module(name))

    def __getattr__(self, attribute: str) -> Any:
        # Collection probes every name in a test module (__test__, __wrapped__, __bases__,
        # _mock_name, ...): private names must not import, or every worker pays anyway.
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        return getattr(self._load(), attribute)
