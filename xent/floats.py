"""Two error-free floating-point tools that keep the losses exact where plain sums are not.

* :func:`two_sum` gives ``a + b`` and the exact rounding error of that addition.
* :func:`accurate_sum` adds up values as if in exact arithmetic, rounded (nearly) once.

They are what lets :func:`xent.softmax` and :func:`xent.kl_divergence` keep full accuracy
where the textbook formula, evaluated in floating point, loses its last digits.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["accurate_sum", "two_sum"]

FloatArray = NDArray[np.float64]


def two_sum(a: ArrayLike, b: ArrayLike) -> tuple[FloatArray, FloatArray]:
    r"""``s = fl(a + b)`` and the error ``e`` with ``a + b = s + e`` exactly (Knuth's TwoSum).

    .. math:: s = a \oplus b, \quad b' = s \ominus a, \quad
              e = (a \ominus (s \ominus b')) \oplus (b \ominus b')

    Exact for finite inputs whose sum does not overflow; ``e`` is 0 where ``s`` is not
    finite. Used for the shift ``z - max(z)`` of the softmax: ``exp`` turns an absolute
    error of the shift into a relative error of the result, so it is put back.

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
    errors = np.zeros(partial.shape[:-1])
    while partial.shape[-1] > 1:
        half = partial.shape[-1] // 2
        total, error = two_sum(partial[..., :half], partial[..., half : 2 * half])
        errors = errors + error.sum(axis=-1)
        partial = np.concatenate([total, partial[..., 2 * half :]], axis=-1)
    result: FloatArray = partial[..., 0] + errors
    return result
