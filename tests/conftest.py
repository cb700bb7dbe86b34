"""Shared test helpers: hypothesis strategies for probability distributions, and the order
in which xdist hands the test files to its workers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays


@st.composite
def distributions(
    draw: st.DrawFn, min_size: int = 1, max_size: int = 12, size: int | None = None
) -> np.ndarray:
    """A probability vector: non-negative weights (some exactly 0) divided by their sum."""
    n = size if size is not None else draw(st.integers(min_size, max_size))
    weights = draw(
        arrays(np.float64, n, elements=st.one_of(st.just(0.0), st.floats(1e-6, 1.0))).filter(
            lambda w: w.sum() > 0
        )
    )
    return weights / weights.sum()


@st.composite
def distribution_pairs(draw: st.DrawFn, max_size: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Two distributions over the same outcomes."""
    n = draw(st.integers(1, max_size))
    return draw(distributions(size=n)), draw(distributions(size=n))


# --- Scheduling for `pytest -n 2 --dist loadfile` (the README's command) ----------------------
# xdist hands each worker one file at a time, by default the files with the most tests first.
# A few files take far longer than their count of tests suggests: the two browser tests (one
# JupyterLab or one site session each) and the files that import Keras on JAX and PyTorch
# (seconds of imports, then a JAX compile per shape). Started last they leave one worker
# running alone at the end; started first, each on its own worker, they overlap with
# everything else. The order below is the longest first; the notebooks (a few seconds each)
# come next, then the rest in collection order.
LONGEST_FIRST = (
    "tests/test_jupyterlab.py",
    "tests/test_site.py",
    "tests/test_keras_losses.py",
    "tests/test_torch_losses.py",
    "tests/test_divergence.py",
    "tests/test_rosetta.py",
    "tests/test_bench.py",
)
# The files that import Keras and PyTorch go to one worker as one unit, which imports them
# once (each import costs seconds of CPU, which the other worker's tests would wait for).
FRAMEWORK_FILES = frozenset(LONGEST_FIRST[2:])


def _schedule_rank(item: pytest.Item) -> int:
    path = item.nodeid.split("::", 1)[0]
    if path in LONGEST_FIRST:
        return LONGEST_FIRST.index(path)
    return len(LONGEST_FIRST) if path.endswith(".ipynb") else len(LONGEST_FIRST) + 1


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=_schedule_rank)  # stable: within a file the order does not change


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's `--dist loadfile`, in the order of the collection above (not by test count),
    with the framework files as one unit."""
    from xdist.scheduler import LoadFileScheduling

    class Scheduling(LoadFileScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "the framework files" if path in FRAMEWORK_FILES else path

    if config.getoption("dist") != "loadfile":
        return None  # any other mode: xdist's own scheduler
    config.option.loadscopereorder = False
    return Scheduling(config, log)
