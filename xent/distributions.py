"""Small, explicit probability distributions for the book's examples."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.validation import as_finite_array

__all__ = ["discretized_normal"]


def discretized_normal(outcomes: ArrayLike, mean: float, sd: float) -> NDArray[np.float64]:
    r"""A bell-shaped distribution on the given outcomes: normal weights, normalised to sum to one.

    .. math:: p_k = \frac{e^{-(x_k - \mu)^2 / (2 \sigma^2)}}{\sum_j e^{-(x_j - \mu)^2 / (2 \sigma^2)}}

    Raises
    ------
    ValueError
        If ``outcomes`` is empty or not finite, or ``sd`` is not positive.

    Examples
    --------
    >>> discretized_normal([-1, 0, 1], mean=0.0, sd=1.0).round(4)
    array([0.2741, 0.4519, 0.2741])
    """
    points = as_finite_array(outcomes, "outcomes", min_ndim=1)
    if not sd > 0:
        raise ValueError(f"sd must be positive, got {sd!r}")
    log_weights = -0.5 * ((points - mean) / sd) ** 2
    weights = np.exp(log_weights - log_weights.max())
    normalised: NDArray[np.float64] = weights / weights.sum()
    return normalised
