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
# JupyterLab or one site session each, about 15-20 s) and the Keras parity tests (JAX compiles
# per shape). Started last they leave one worker running alone at the end; started first, each
# on its own worker, they overlap with everything else. The order below is the longest first;
# the notebooks (a few seconds each) come next, then the rest in collection order.
LONGEST_FIRST = (
    "tests/test_jupyterlab.py",
    "tests/test_site.py",
    "tests/test_keras_losses.py",
    "tests/test_torch",
)


def _schedule_rank(item: pytest.Item) -> int:
    path = item.nodeid.split("::", 1)[0]
    for rank, prefix in enumerate(LONGEST_FIRST):
        if path.startswith(prefix):
            return rank
    return len(LONGEST_FIRST) if path.endswith(".ipynb") else len(LONGEST_FIRST) + 1


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=_schedule_rank)  # stable: within a file the order does not change


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's `--dist loadfile`, in the order of the collection above (not by test count)."""
    from xdist.scheduler import LoadFileScheduling

    if config.getoption("dist") != "loadfile":
        return None  # any other mode: xdist's own scheduler
    config.option.loadscopereorder = False
    return LoadFileScheduling(config, log)
