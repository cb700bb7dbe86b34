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
from numpy.typing import ArrayLike

from xent.arithmetic import accurate_sum, row_dots, two_sum
from xent.validation import (
    FloatArray,
    Result,
    as_distribution,
    as_float_array,
    as_probabilities,
    check_same_shape,
    log_of_base,
    to_result,
)

__all__ = ["cross_entropy", "entropy", "kl_divergence", "surprisal"]


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
    with np.errstate(divide="ignore"):  # -log 0 = inf is the answer
        return to_result((0.0 - np.log(probabilities)) / divisor)


def _expected_log(p: FloatArray, q: FloatArray, axis: int) -> FloatArray:
    """``sum(p log q)`` along ``axis``, with ``0 log q = 0`` (also for ``q = 0``) and
    ``-inf`` where ``q = 0 < p``; the outcomes laid out last, so each distribution is added
    up on its own, whatever else is in the batch."""
    logs = np.zeros_like(q)
    with np.errstate(divide="ignore"):  # log 0 = -inf where q = 0 < p
        np.log(q, out=logs, where=p > 0.0)
    return row_dots(np.moveaxis(p, axis, -1), np.moveaxis(logs, axis, -1))


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
    return to_result((0.0 - _expected_log(p, p, axis)) / divisor)


def _checked_pair(p: ArrayLike, q: ArrayLike, axis: int) -> tuple[FloatArray, FloatArray, int]:
    """``p`` and ``q`` checked as distributions of the same shape (the shape first)."""
    check_same_shape(as_float_array(p, "p"), as_float_array(q, "q"), "p", "q")
    p_array, axis = as_distribution(p, "p", axis=axis)
    q_array, _ = as_distribution(q, "q", axis=axis)
    return p_array, q_array, axis


def cross_entropy(
    p: ArrayLike, q: ArrayLike, *, base: float | None = None, axis: int = -1
) -> Result:
    r"""Cross-entropy of ``q`` relative to ``p``: the cost of coding ``p`` with a code built for ``q``.

    .. math:: H(p, q) = -\sum_i p_i \log q_i

    with ``0 log q = 0`` where ``p = 0``, and ``+inf`` where ``q = 0 < p``. By Gibbs'
    inequality ``H(p, q) >= H(p)``, with equality exactly when ``p == q``.

    Parameters
    ----------
    p
        The true distribution, probabilities along ``axis`` summing to one.
    q
        The predicted distribution, of the same shape.
    base
        Logarithm base: ``None`` for nats, ``2`` for bits.
    axis
        The axis that holds the outcomes; the other axes index distributions.

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
    return to_result((0.0 - _expected_log(p, q, axis)) / divisor)


def kl_divergence(
    p: ArrayLike, q: ArrayLike, *, base: float | None = None, axis: int = -1
) -> Result:
    r"""Kullback–Leibler divergence of ``q`` from ``p``: the extra cost of coding ``p`` with ``q``.

    .. math:: \mathrm{KL}(p \,\|\, q) = \sum_i p_i \log \frac{p_i}{q_i} = H(p, q) - H(p)

    with ``0 log(0/q) = 0`` where ``p = 0``, and ``+inf`` where ``q = 0 < p``. It is zero
    exactly when ``p == q``, not symmetric in ``p`` and ``q``, and never negative for
    distributions that sum to exactly one.

    Where ``q`` is close to ``p`` the terms of the textbook sum, of both signs, cancel to
    about ``sum((q - p)**2 / p) / 2`` and take the digits with them. So each term with
    ``q/p`` in [1/4, 4] is split into two parts computed without loss,

    .. math:: p \log \frac{p}{q} = (p - q) + p\,\varphi\!\left(\frac{q - p}{p}\right),
              \qquad \varphi(x) = x - \log(1 + x) \ge 0,

    ``p - q`` exactly (:func:`xent.arithmetic.two_sum`) and ``p φ`` from a series; the
    other terms are taken as they are, and all the parts are added up as if exactly
    (:func:`xent.arithmetic.accurate_sum`). Float inputs sum to one only to within rounding,
    so the ``p - q`` need not add up to 0, and a result can be a few times ``1e-17``
    below zero: the exact value for those inputs.

    Parameters
    ----------
    p
        The true distribution, probabilities along ``axis`` summing to one.
    q
        The predicted distribution, of the same shape.
    base
        Logarithm base: ``None`` for nats, ``2`` for bits.
    axis
        The axis that holds the outcomes; the other axes index distributions.

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
    counted = p > 0.0  # 0 log(0/q) = 0: those entries add nothing
    p_c, q_c = np.where(counted, p, 1.0), np.where(counted, q, 1.0)
    difference, rounding = two_sum(p_c, -q_c)  # p - q = difference + rounding, exactly
    u = (q_c - p_c) / (q_c + p_c)  # q/p in [1/4, 4] is |u| <= 3/5
    near = counted & (np.abs(u) <= 0.6)
    with np.errstate(divide="ignore", over="ignore", under="ignore"):
        far = np.where(counted & ~near, _p_log_ratio(p_c, q_c), 0.0)
        series = np.where(near, _p_phi(p_c, u), 0.0)
    parts = [far, series, np.where(near, difference, 0.0), np.where(near, rounding, 0.0)]
    return to_result(accurate_sum(np.concatenate(parts, axis=axis), axis=axis) / divisor)


_SERIES_TERMS = 40
"""Terms of the series of :func:`_p_phi` for ``|u| <= 3/5``: the first one left out is
below ``0.36**41 / 85 < 1e-20`` times ``1/3``, the first one kept."""


def _p_phi(p: FloatArray, u: FloatArray) -> FloatArray:
    r"""``p φ(x)`` with ``x = (q - p)/p`` and ``u = (q - p)/(q + p) = x/(2 + x)``, for ``|u| <= 3/5``.

    With :math:`\log(1 + x) = 2\,\mathrm{atanh}(u)` and :math:`x = 2u/(1 - u)`,

    .. math:: p\,\varphi(x) = u\left((q - p) - 2 p u^2 \sum_{k \ge 0} \frac{u^{2k}}{2k + 3}\right),

    whose two terms have the same sign for ``q < p``, and whose second is at most a third
    of the first for ``q > p``: nothing cancels.
    """
    w = u * u
    series = np.zeros_like(u)
    for k in range(_SERIES_TERMS, -1, -1):  # Horner: sum_k w^k / (2k + 3)
        series = series * w + 1.0 / (2 * k + 3)
    q_minus_p = u * 2.0 * p / (1.0 - u)  # (q - p), from u without another rounding of q
    return u * (q_minus_p - 2.0 * p * w * series)


def _p_log_ratio(p: FloatArray, q: FloatArray) -> FloatArray:
    """``p log(p/q)``, with the logarithms taken one by one where ``p/q`` leaves the normal
    range (``inf`` where ``q = 0``)."""
    log_ratio = np.log(p / q)
    outside = ~(np.abs(log_ratio) < 700.0) & (q > 0.0)
    return p * np.where(outside, np.log(p) - np.log(np.where(q > 0, q, 1.0)), log_ratio)
