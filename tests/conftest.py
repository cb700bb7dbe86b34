"""Shared test helpers: hypothesis strategies for probability distributions."""

from __future__ import annotations

import numpy as np
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
