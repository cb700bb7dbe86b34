"""Careful floating-point arithmetic behind the losses: row sums, and sums kept exact.

* :func:`row_sums` adds up each row on its own, so that a row's result never depends on
  the other rows of a batch.
* :func:`two_sum` gives ``a + b`` and the exact rounding error of that addition, and
  :func:`shift_error` the error of the shift ``z - max(z)`` of the softmax.
* :func:`accurate_sum` adds up values as if in exact arithmetic, rounded (nearly) once.

They are what lets :func:`xent.softmax` and :func:`xent.kl_divergence` keep full accuracy
where the textbook formula, evaluated in floating point, loses its last digits.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["accurate_sum", "row_dots", "row_sums", "shift_error", "total", "two_sum"]

FloatArray = NDArray[np.float64]
"""The arrays xent computes with; the one definition, which the other modules import."""

SHORT_ROW = 32
"""Rows of at most this many entries are added up in order (``np.einsum``), which is
several times faster there than NumPy's pairwise ``sum``; longer rows are added pairwise,
whose rounding error grows only like ``log n``."""


def row_sums(values: FloatArray) -> FloatArray:
    """The sum of each row along the last axis, NaN or infinite where an entry is.

    Either way each row is added up in an order that depends on that row alone.

    Examples
    --------
    >>> row_sums(np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([3., 7.])
    """
    rows = np.ascontiguousarray(values)
    with np.errstate(over="ignore", invalid="ignore"):
        if rows.shape[-1] <= SHORT_ROW:
            sums: FloatArray = np.einsum("...i->...", rows)
        else:
            sums = rows.sum(axis=-1)
    return sums


def row_dots(a: FloatArray, b: FloatArray) -> FloatArray:
    """``sum(a * b)`` of each row along the last axis, with ``0 * inf = 0``.

    The products are added in the order of :func:`row_sums`. A zero of ``a`` against an
    infinite ``b`` (a target of 0 against a probability of 0) counts as 0.

    Examples
    --------
    >>> row_dots(np.array([[0.0, 1.0]]), np.array([[np.inf, 2.0]]))
    array([2.])
    """
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        if a.shape[-1] <= SHORT_ROW:
            dots: FloatArray = np.einsum("...i,...i->...", a, b)
        else:
            dots = (a * b).sum(axis=-1)
        undefined = np.isnan(dots)  # only from 0 * inf, since a and b hold no NaN
        if undefined.any():
            products = np.where(a != 0.0, a * b, 0.0)
            dots = np.where(undefined, row_sums(products), dots)
    return dots


def two_sum(a: ArrayLike, b: ArrayLike) -> tuple[FloatArray, FloatArray]:
    r"""``s = fl(a + b)`` and the error ``e`` with ``a + b = s + e`` exactly (Knuth's TwoSum).

    .. math:: s = a \oplus b, \quad b' = s \ominus a, \quad
              e = (a \ominus (s \ominus b')) \oplus (b \ominus b')

    Exact for finite inputs whose sum does not overflow; ``e`` is 0 where ``s`` is not
    finite.

    Examples
    --------
    >>> s, e = two_sum(1.0, 1e-17)
    >>> float(s), float(e)
    (1.0, 1e-17)
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        s = a + b
        b_part = s - a
        error = (a - (s - b_part)) + (b - b_part)
    return s, np.where(np.isfinite(s), error, 0.0)


def shift_error(z: FloatArray, top: FloatArray, shifted: FloatArray) -> FloatArray:
    """The rounding error ``(z - top) - shifted`` of ``shifted = fl(z - top)``, exactly.

    :func:`two_sum` of ``z`` and ``-top``, worked in place with two temporary arrays; 0
    where ``shifted`` is not finite. ``exp`` turns this absolute error of the shift into a
    relative error of ``exp(z - top)``, up to ``|z - top| * 2**-53`` (20 ulps at
    ``z - top = -40``): ``exp(shifted) * (1 + error)`` puts it back.

    Examples
    --------
    >>> z, top = np.array([0.1]), np.array([40.3])
    >>> bool(shift_error(z, top, z - top)[0] != 0.0)  # 0.1 - 40.3 is not a float
    True
    """
    with np.errstate(over="ignore", invalid="ignore"):
        top_part = shifted - z  # the part of -top that made it into shifted
        z_part = shifted - top_part
        np.subtract(z, z_part, out=z_part)  # what was lost of z
        top_part += top  # what was lost of -top, negated
        z_part -= top_part
    return np.where(np.isfinite(shifted), z_part, 0.0)


def accurate_sum(values: ArrayLike, axis: int = -1) -> FloatArray:
    """The sum along ``axis``, nearly as accurate as adding exactly and rounding once.

    Halves the values repeatedly, adding pairs with :func:`two_sum` and keeping every
    rounding error; the errors, tiny by then, are added plainly at the end. The error is
    about ``eps**2 log2(n)`` times the sum of the magnitudes, against ``eps log2(n)`` for
    ``np.sum``: what a sum whose terms nearly cancel needs.

    Examples
    --------
    >>> float(np.sum([1.0, 1e-16, -1.0]))
    0.0
    >>> float(accurate_sum([1.0, 1e-16, -1.0]))
    1e-16
    """
    partial = np.moveaxis(np.asarray(values, dtype=np.float64), axis, -1)
    if partial.size and partial.shape[-1] > 1:
        scale = 2.0 ** (partial.shape[-1].bit_length() + 1)
        with np.errstate(invalid="ignore"):
            largest = np.abs(partial).max()
        if np.isfinite(largest) and largest > np.finfo(np.float64).max / (2 * scale):
            # Partial sums could overflow (1.5e308 + 1.5e308) where the exact sum does not:
            # add up the values scaled by a power of two, which is exact except for the
            # bits of tiny values that fall below the float range, added up on their own.
            with np.errstate(under="ignore"):
                scaled = partial / scale
                lost = partial - scaled * scale
            high = _pairwise_exact_sum(scaled)
            with np.errstate(over="ignore"):
                result: FloatArray = high * scale + _pairwise_exact_sum(lost)
            return result
    return _pairwise_exact_sum(partial)


def _pairwise_exact_sum(partial: FloatArray) -> FloatArray:
    """The sum along the last axis of :func:`accurate_sum`, for sums that stay finite."""
    errors = np.zeros(partial.shape[:-1])
    while partial.shape[-1] > 1:
        half = partial.shape[-1] // 2
        pair_sums, error = two_sum(partial[..., :half], partial[..., half : 2 * half])
        errors = errors + error.sum(axis=-1)
        partial = np.concatenate([pair_sums, partial[..., 2 * half :]], axis=-1)
    result: FloatArray = partial[..., 0] + errors
    return result


def total(values: ArrayLike, divisor: float = 1.0) -> float:
    """``sum(values) / divisor`` as a Python float, with no overflow on the way.

    Finite values whose sum passes the float range on the way (two losses of ``1e308``)
    are added up scaled by a power of two, which is exact, so a mean such as
    ``(1e308 + 1e308) / 2`` is ``1e308``; the result is ``inf`` only when it is beyond
    the float range itself. No floating-point warning either way.

    Examples
    --------
    >>> total([1e308, 1e308], 2.0)
    1e+308
    """
    array = np.asarray(values, dtype=np.float64)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        result = array.sum() / divisor
        if not np.isfinite(result) and np.isfinite(array).all():
            scale = 2.0 ** (int(array.size).bit_length() + 1)
            result = (array / scale).sum() / divisor * scale
    return float(result)
