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

import numbers
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.rows import accurate_row_sums, as_rows, one_hot_pick, row_blocks, row_sums
from xent.validation import (
    SUM_TOLERANCE,
    FloatArray,
    Result,
    as_distribution,
    as_float_array,
    as_probabilities,
    axis_or_none,
    check_same_shape,
    clearly_distributions,
    clearly_sum_to_one,
    log_of_base,
    to_result,
)

__all__ = ["cross_entropy", "entropy", "kl_divergence", "surprisal"]


def _rowwise(
    kernel: Callable[..., FloatArray], arrays: tuple[FloatArray, ...], axis: int
) -> NDArray[np.float64]:
    """``kernel`` applied to blocks of rows along ``axis``, one value per distribution.

    The distributions are laid out as rows (see :func:`xent.rows.as_rows`) and handed
    to ``kernel`` a few thousand at a time, so its temporaries stay small and in the cache.
    """
    laid_out = [as_rows(array, axis) for array in arrays]
    rows = [r for r, _ in laid_out]
    batch_shape = laid_out[0][1]
    n_rows, n_columns = rows[0].shape
    totals = np.empty(n_rows)
    with np.errstate(under="ignore"):  # p log p, p log q of tiny p: gradual underflow is fine
        for block in row_blocks(n_rows, n_columns):
            totals[block] = kernel(*(r[block] for r in rows))
    return totals.reshape(batch_shape)


def _p_log_p(p: FloatArray) -> FloatArray:
    """``sum(p log p)`` of each row, with ``0 log 0 = 0``."""
    logs = np.log(p + (p == 0.0))  # log 1 = 0 where p = 0; p + 0 is p exactly elsewhere
    logs *= p
    return row_sums(logs, 1)


def _p_log_q(p: FloatArray, q: FloatArray) -> FloatArray:
    """``sum(p log q)`` of each row: ``-inf`` where ``q = 0 < p``, nothing where ``p = 0``.

    With one-hot rows (one nonzero each, as in classification targets) only that entry's
    logarithm is taken.
    """
    nonzero = np.flatnonzero(p != 0.0)  # (a boolean array is much faster to scan)
    with np.errstate(divide="ignore"):  # log 0 = -inf is the answer where q = 0 < p
        if nonzero.size == p.shape[0]:  # rows sum to 1, so each has exactly one nonzero
            return p.ravel()[nonzero] * np.log(q.ravel()[nonzero])
        logs = np.log(np.where(p > 0.0, q, 1.0))
    logs *= p
    return row_sums(logs, 1)


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
    totals = _quick_entropy(p, axis)
    if totals is None:
        p, axis = as_distribution(p, "p", axis=axis)
        totals = _rowwise(_p_log_p, (p,), axis)
    return to_result(np.subtract(0.0, totals) / divisor)


def _quick_entropy(p: ArrayLike, axis: int) -> NDArray[np.float64] | None:
    """``sum(p log p)`` of each distribution along the last axis of a C-contiguous array,
    checking and computing in one pass over the memory; None if any check fails (or is too
    close to call), or for another layout: :func:`entropy` then checks in the usual way.

    Each block of rows is checked as :func:`xent.validation.as_distribution` would (sums,
    smallest and largest entries) while it is in the cache, then its logarithms are taken,
    all of them where the block has no zeros, with ``0 log 0 = 0`` taken care of elsewhere.
    """
    array = as_float_array(p, "p", min_ndim=1)
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        return None
    if axis not in (-1, array.ndim - 1) or not array.flags.c_contiguous:
        return None
    rows = array.reshape(-1, array.shape[-1])
    totals = np.empty(rows.shape[0])
    blocks = row_blocks(*rows.shape)
    buffer = np.empty((blocks[0].stop - blocks[0].start, rows.shape[1]))
    with np.errstate(all="ignore"):  # NaN, infinity, log 0 and underflow are all looked at
        for block in blocks:
            part = rows[block]
            if not clearly_sum_to_one(row_sums(part, 1)):
                return None
            lowest, highest = part.min(), part.max()
            if not (lowest >= 0.0 and highest <= 1.0):
                return None
            if lowest == 0.0:
                totals[block] = _p_log_p(part)
                continue
            logs = np.log(part, out=buffer[: part.shape[0]])
            if part.shape[1] <= 32:  # multiply and add up in one go, row by row
                totals[block] = np.einsum("ij,ij->i", part, logs)
            else:
                logs *= part
                totals[block] = row_sums(logs, 1)
    return totals.reshape(array.shape[:-1])


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
    quick = _one_hot_cross_entropy(p, q, axis)
    if quick is not None:
        return to_result(quick / divisor)
    p, q, axis = _checked_pair(p, q, axis)
    return to_result(np.subtract(0.0, _rowwise(_p_log_q, (p, q), axis)) / divisor)


def _one_hot_cross_entropy(p: ArrayLike, q: ArrayLike, axis: int) -> NDArray[np.float64] | None:
    """The cross-entropy when ``p`` is an array of one-hot distributions (classification
    targets) and ``q`` passes every check, from one pass over both and one logarithm per
    distribution (see :func:`xent.rows.one_hot_pick`); None for anything else, and
    the checks then run in their usual order."""
    if not isinstance(p, np.ndarray) or p.ndim < 1:
        return None
    index = axis_or_none(p, axis)
    if index is None:
        return None
    axis = index
    q_array = as_float_array(q, "q", min_ndim=1)
    picked = one_hot_pick(p, q_array, axis, tolerance=SUM_TOLERANCE)
    if picked is None:
        return None
    weights, chosen, sums, lowest, highest = picked
    if not clearly_distributions(sums, lowest, highest):
        return None
    with np.errstate(divide="ignore"):  # log 0 = -inf is the answer where q = 0 < p
        np.log(chosen, out=chosen)
    chosen *= weights
    batch_shape = p.shape[:axis] + p.shape[axis + 1 :]
    return np.subtract(0.0, chosen, out=chosen).reshape(batch_shape)


def kl_divergence(
    p: ArrayLike, q: ArrayLike, *, base: float | None = None, axis: int = -1
) -> Result:
    r"""Kullback–Leibler divergence of ``q`` from ``p``: the extra cost of coding ``p`` with ``q``.

    .. math:: \mathrm{KL}(p \,\|\, q) = \sum_i p_i \log \frac{p_i}{q_i} = H(p, q) - H(p)

    with ``0 log(0/q) = 0`` where ``p = 0``, and ``+inf`` where ``q = 0 < p``. It is zero
    exactly when ``p == q``, not symmetric in ``p`` and ``q``, and never negative for
    distributions that sum to exactly one.

    The sum keeps nearly full float64 accuracy also where ``q`` is close to ``p`` and its
    terms, of both signs, cancel to about ``sum((q - p)**2 / p) / 2``: each term is split
    into ``(p - q) + p (x - log1p(x))`` with ``x = (q - p) / p``, and the parts are added
    separately (see the comments in the source). Float inputs sum to one only to within
    rounding, so ``sum(p - q)`` need not be exactly 0, and a result can be a few times
    ``1e-17`` below zero, as the exact value for those inputs is.

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
    return to_result(_rowwise(_kl_rows, (p, q), axis) / divisor)


# --- KL divergence, accurate also where p and q nearly agree ----------------------------------
#
# The textbook sum of p log(p/q) adds terms of both signs, about as large as |p - q| each,
# to a total that is about (p - q)^2 / p: where q is close to p nearly all of their digits
# cancel. With x = (q - p) / p, each term splits exactly into
#
#     p log(p/q) = -p log1p(x) = (p - q) + p phi(x),    phi(x) = x - log1p(x) >= 0.
#
# Where q is within a factor 2 of p the split is used: p phi(x) >= 0 comes from a series
# with nothing to cancel, and the (p - q), exact there (Sterbenz's lemma), are added up with
# error-free transformations, so that their sum, which nearly vanishes, keeps its digits.
# Where q and p are further apart the term p log(p/q) itself is accurate, and at most 3.6
# times its own p phi(x), a part of the divergence.

_PHI_SERIES_TERMS = 20
"""The most terms of the series in ``u**2`` beyond the first, for ``|u| <= 1/3``: the first
one left out is below ``(1/9)**21 / 43 < 1e-21``, far below float64's resolution."""


def _kl_terms(p: FloatArray, q: FloatArray) -> tuple[FloatArray, FloatArray]:
    r"""For ``p > 0``: ``p log(p/q)`` split as ``(p - q, p phi(x))`` where ``q/p`` is in
    [1/2, 2], and as ``(0, p log(p/q))`` elsewhere.

    With :math:`u = (q - p)/(q + p) = x/(2 + x)`, :math:`\log(1 + x) = 2\,\mathrm{atanh}(u)`
    and

    .. math:: p\,\varphi(x) = u\left((q - p) - 2 p u^2 \sum_{k \ge 0} \frac{u^{2k}}{2k + 3}\right),

    in which the two terms in the bracket have the same sign for ``q < p`` and the second
    is at most 8 % of the first for ``q > p`` (``|u| <= 1/3``). The series is cut where
    its next term no longer matters for the largest ``u`` at hand, so nearly equal ``p``
    and ``q`` need only a few terms.
    """
    difference = q - p
    u = difference / (q + p)
    far = np.abs(u) > 1.0 / 3.0
    any_far = bool(far.any())
    w = u * u
    if any_far:
        w[far] = 0.0  # (those take the other formula)
    # Horner, from the last term that matters for the largest u**2 here.
    largest = float(w.max())
    terms = next(
        (k for k in range(1, _PHI_SERIES_TERMS) if largest**k <= 2.0**-60 * (2 * k + 1)),
        _PHI_SERIES_TERMS,
    )
    series = np.full_like(u, 1.0 / (2 * terms + 3))
    for k in range(terms - 1, -1, -1):
        series *= w
        series += 1.0 / (2 * k + 3)
    series *= w
    series *= p
    series *= -2.0
    series += difference
    positive = np.multiply(u, series, out=series)
    linear = np.subtract(0.0, difference, out=difference)
    if any_far:
        pf, qf = p[far], q[far]
        log_ratio = np.log(pf / qf)  # inf where q = 0, and then so is the term
        extreme = ~((log_ratio > -690.0) & (log_ratio < 690.0))  # the ratio may have left
        if extreme.any():  # the normal range (or q = 0): the logarithms one by one
            log_ratio[extreme] = np.log(pf[extreme]) - np.log(qf[extreme])
        positive[far] = pf * log_ratio
        linear[far] = 0.0
    return linear, positive


def _kl_rows(p: FloatArray, q: FloatArray) -> FloatArray:
    """``sum(p log(p/q))`` of each row, accurate also where ``q`` nearly equals ``p``."""
    counted = p > 0.0  # 0 log(0/q) = 0: give those entries p = q = 1, which adds exactly 0
    p = np.where(counted, p, 1.0)
    q = np.where(counted, q, 1.0)
    with np.errstate(divide="ignore", over="ignore"):  # q = 0 < p: KL = inf
        linear, positive = _kl_terms(p, q)
    return accurate_row_sums(linear) + row_sums(positive, 1)
