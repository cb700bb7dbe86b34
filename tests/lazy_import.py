"""A module imported on first use, for the parity tests' heavy references (torch, keras).

Every pytest worker collects every test file; a module-level ``import torch`` would cost
each of them 2 to 4 s. With ``torch = LazyModule("torch")`` only the worker that runs the
tests pays, when the first test touches ``torch``.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["LazyModule"]


class LazyModule:
    """``LazyModule("torch").tensor`` imports torch on first use and reads its attribute."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)
