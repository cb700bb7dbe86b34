"""Information measures: surprisal, entropy, cross-entropy and KL divergence.

Conventions used throughout
---------------------------
* Logarithms are natural (results in nats) unless ``base`` is given; ``base=2`` gives bits.
* ``0 * log 0 = 0`` and ``0 * log q = 0``: outcomes with ``p = 0`` contribute nothing.
* ``p * log 0 = -inf`` for ``p > 0``: a prediction that rules out an outcome which does
  happen costs an infinite number of nats. This is an exact result, returned as ``inf``
  without a warning.
* Each input must be a probability distribution along ``axis`` (see
  :func:`xent.validation.as_distribution`); other axes index a batch.
* A single distribution gives a Python ``float``; a batch gives a NumPy array.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.validation import (
    Result,
    as_distribution,
    as_probabilities,
    check_same_shape,
    log_of_base,
    to_result,
)

__all__ = ["cross_entropy", "entropy", "kl_divergence", "surprisal"]

def _negative_sum(terms: NDArray[np.float64], axis: int, divisor: float) -> Result:
    """``-sum(terms) / divisor`` along ``axis``, written so that it never returns ``-0.0``."""
    return to_result(np.subtract(0.0, terms.sum(axis=axis)) / divisor)


def _log_where_positive(values: NDArray[np.float64], positive: NDArray[np.bool_]) -> NDArray[np.float64]:
    """``log(values)`` where ``positive`` is true and 0 elsewhere, without warnings.

    ``log(0)`` is ``-inf`` by IEEE rules; the divide warning it raises is suppressed
    because that infinity is the documented answer.
    """
    with np.errstate(divide="ignore"):
        return np.log(values, out=np.zeros_like(values), where=positive)


def surprisal(p: ArrayLike, *, base: float | None = None) -> Result:
    r"""Surprisal (self-information) of outcomes with probability ``p``.

    .. math:: I(p) = -\log p

    It is 0 for a certain outcome and grows without bound as ``p`` approaches 0
    (``surprisal(0) == inf``).

    Raises
    ------
    ValueError
        If ``p`` is empty, NaN or outside [0, 1]; or if ``base`` is not a valid base.

    Examples
    --------
    >>> surprisal(0.5, base=2)
    1.0
    >>> surprisal([1.0, 0.25], base=2)
    array([0., 2.])
    """
    divisor = log_of_base(base)
    probabilities = as_probabilities(p, "p")
    with np.errstate(divide="ignore"):
        return to_result(np.subtract(0.0, np.log(probabilities)) / divisor)


def entropy(p: ArrayLike, *, base: float | None = None, axis: int = -1) -> Result:
    r"""Shannon entropy of the distribution ``p``, or of each distribution in a batch.

    .. math:: H(p) = -\sum_i p_i \log p_i, \qquad 0 \log 0 = 0.

    Parameters
    ----------
    p
        Probabilities along ``axis``, each distribution summing to one.
    base
        Logarithm base: ``None`` for nats, ``2`` for bits.
    axis
        The axis that holds the outcomes; the other axes index distributions.

    Returns
    -------
    float or ndarray
        ``0 <= H(p) <= log(n)`` for ``n`` outcomes; a float for one distribution.

    Raises
    ------
    ValueError
        If ``p`` is empty, contains NaN or values outside [0, 1], does not sum to one,
        or if ``axis`` or ``base`` is invalid.

    Examples
    --------
    >>> entropy([0.5, 0.5], base=2)
    1.0
    >>> entropy([[1.0, 0.0], [0.5, 0.5]])
    array([0.        , 0.69314718])
    """
    divisor = log_of_base(base)
    p, axis = as_distribution(p, "p", axis=axis)
    return _negative_sum(p * _log_where_positive(p, p > 0), axis, divisor)


def _checked_pair(
    p: ArrayLike, q: ArrayLike, axis: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], int]:
    """Validate ``p`` and ``q`` as distributions of the same shape."""
    p_array, axis = as_distribution(p, "p", axis=axis)
    q_array, _ = as_distribution(q, "q", axis=axis)
    check_same_shape(p_array, q_array, "p", "q")
    return p_array, q_array, axis


def cross_entropy(
    p: ArrayLike, q: ArrayLike, *, base: float | None = None, axis: int = -1
) -> Result:
    r"""Cross-entropy of ``q`` relative to ``p``: the cost of coding ``p`` with a code built for ``q``.

    .. math:: H(p, q) = -\sum_i p_i \log q_i

    with ``0 log q = 0`` where ``p = 0``, and ``+inf`` where ``q = 0 < p``. By Gibbs'
    inequality ``H(p, q) >= H(p)``, with equality exactly when ``p == q``.

    Raises
    ------
    ValueError
        If either argument is not a distribution along ``axis``, or their shapes differ.

    Examples
    --------
    >>> cross_entropy([0.5, 0.5], [0.5, 0.5], base=2)
    1.0
    >>> cross_entropy([1.0, 0.0], [0.25, 0.75], base=2)
    2.0
    >>> cross_entropy([0.5, 0.5], [1.0, 0.0])
    inf
    """
    divisor = log_of_base(base)
    p, q, axis = _checked_pair(p, q, axis)
    return _negative_sum(p * _log_where_positive(q, p > 0), axis, divisor)


def kl_divergence(
    p: ArrayLike, q: ArrayLike, *, base: float | None = None, axis: int = -1
) -> Result:
    r"""Kullback–Leibler divergence of ``q`` from ``p``: the extra cost of coding ``p`` with ``q``.

    .. math:: \mathrm{KL}(p \,\|\, q) = \sum_i p_i \log \frac{p_i}{q_i} = H(p, q) - H(p)

    with ``0 log(0/q) = 0`` where ``p = 0``, and ``+inf`` where ``q = 0 < p``. It is never
    negative, zero exactly when ``p == q``, and not symmetric in ``p`` and ``q``.

    Raises
    ------
    ValueError
        If either argument is not a distribution along ``axis``, or their shapes differ.

    Examples
    --------
    >>> kl_divergence([0.5, 0.5], [0.5, 0.5])
    0.0
    >>> kl_divergence([1.0, 0.0], [0.5, 0.5], base=2)
    1.0
    """
    divisor = log_of_base(base)
    p, q, axis = _checked_pair(p, q, axis)
    positive = p > 0
    with np.errstate(divide="ignore"):
        ratio = np.divide(p, q, out=np.ones_like(p), where=positive)
    terms = p * np.log(ratio)
    return to_result(terms.sum(axis=axis) / divisor)
