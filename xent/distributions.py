"""Small, explicit probability distributions for the book's examples."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.validation import as_finite_array, check_real

__all__ = ["discretized_normal"]


def discretized_normal(outcomes: ArrayLike, mean: float, sd: float) -> NDArray[np.float64]:
    r"""A bell-shaped distribution on the given outcomes: normal weights, normalised to sum to one.

    .. math:: p_k = \frac{e^{-(x_k - \mu)^2 / (2 \sigma^2)}}{\sum_j e^{-(x_j - \mu)^2 / (2 \sigma^2)}}

    The weights are taken relative to the outcome nearest the mean, whose weight is 1, so
    a tiny ``sd`` gives (in the limit) all the probability to the nearest outcome(s), never
    ``0 / 0``.

    Raises
    ------
    TypeError
        If ``mean`` or ``sd`` is not a real number.
    ValueError
        If ``outcomes`` is empty or not finite, ``mean`` is not finite, or ``sd`` is not a
        finite positive number.

    Examples
    --------
    >>> discretized_normal([-1, 0, 1], mean=0.0, sd=1.0).round(4)
    array([0.2741, 0.4519, 0.2741])
    >>> discretized_normal([0, 1, 2], mean=1.2, sd=1e-300)
    array([0., 1., 0.])
    """
    points = as_finite_array(outcomes, "outcomes", min_ndim=1)
    mu = check_real(mean, "mean")
    sigma = check_real(sd, "sd", low=0.0, low_open=True)
    with np.errstate(over="ignore", under="ignore"):
        distance = np.abs(points - mu)
        nearest = distance.min()
        # (d^2 - d_min^2) / (2 sd^2), factored so that nothing overflows needlessly
        excess = ((distance - nearest) / sigma) * ((distance + nearest) / sigma) / 2.0
        weights = np.exp(-np.where(distance == nearest, 0.0, excess))
    normalised: NDArray[np.float64] = weights / weights.sum()
    return normalised
