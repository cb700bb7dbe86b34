"""Input checks shared by every public function in :mod:`xent`.

Every public function turns its arguments into arrays through the helpers here, so a bad
input fails in the same way everywhere: a :class:`TypeError` when the value is not numeric
at all, a :class:`ValueError` for everything else, and a message that starts with the
argument's name and says what is wrong ("p has values outside [0, 1]: ...").

Conventions
-----------
* Arrays are converted to ``float64``; the caller's object is never modified.
* A probability distribution is an array of values in ``[0, 1]`` whose entries along
  ``axis`` sum to one within :data:`SUM_TOLERANCE`.
"""

from __future__ import annotations

import numbers
import sys
import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.rows import row_statistics, value_range

__all__ = [
    "SUM_TOLERANCE",
    "Result",
    "as_distribution",
    "as_finite_array",
    "as_float_array",
    "as_probabilities",
    "axis_or_none",
    "check_axis",
    "check_base",
    "check_same_shape",
    "clearly_distributions",
    "clearly_sum_to_one",
    "log_of_base",
    "to_result",
    "warn",
]

SUM_TOLERANCE = 1e-6
"""Largest accepted ``|sum(p) - 1|`` for a probability distribution.

Loose enough for float32 inputs (whose rounding moves a sum by at most about 6e-8) and
for rows normalised in float32, tight enough to catch counts, percentages or scores
passed where probabilities belong.
"""

FloatArray = NDArray[np.float64]
Result = float | NDArray[np.float64]
"""What the public functions return: a Python float for one value, else an array."""


def _preview(values: NDArray[Any], limit: int = 3) -> str:
    """A short, readable list of offending values for an error message."""
    flat = np.asarray(values).ravel()
    shown = ", ".join(repr(v.item() if isinstance(v, np.generic) else v) for v in flat[:limit])
    return shown + (", ..." if flat.size > limit else "")


def _all_finite(array: NDArray[Any]) -> bool:
    """True when no entry is NaN or infinite.

    One summing pass decides almost always: a NaN or an infinity makes the sum NaN or
    infinite, so a finite sum means finite entries. Only when the sum is not finite (a bad
    entry, or finite entries whose sum overflows) is every entry checked.
    """
    with np.errstate(all="ignore"):
        total = np.add.reduce(array, axis=None)
    return bool(np.isfinite(total)) or bool(np.isfinite(array).all())


def as_finite_array(
    value: ArrayLike, name: str, *, min_ndim: int = 0, keep_float_dtype: bool = False
) -> FloatArray:
    """Return ``value`` as a float array after checking it is usable.

    The result is float64 (a new array unless ``value`` already was float64), or, with
    ``keep_float_dtype=True``, keeps a float16 or float32 input's own precision.

    Raises
    ------
    TypeError
        If ``value`` is not numeric (strings, ``None``, objects).
    ValueError
        If it is ragged, empty, has fewer than ``min_ndim`` dimensions, or holds NaN or
        infinity.

    Examples
    --------
    >>> as_finite_array([0.5, 0.5], "p")
    array([0.5, 0.5])
    """
    array = as_float_array(value, name, min_ndim=min_ndim, keep_float_dtype=keep_float_dtype)
    if array.dtype != np.float64 or not _all_finite(array):
        _raise_if_not_finite(array, name)
    return array


def as_float_array(
    value: ArrayLike, name: str, *, min_ndim: int = 0, keep_float_dtype: bool = False
) -> FloatArray:
    """The checks of :func:`as_finite_array` except the one for NaN and infinity.

    For callers that check the values more cheaply on their own, and on any doubt call
    :func:`as_finite_array` for its message.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be numeric, got {type(value).__name__} {value!r}")
    try:
        raw = np.asarray(value)
    except ValueError:  # NumPy refuses ragged nested lists
        raise ValueError(
            f"{name} is ragged: its rows have different lengths; pad them or pass one array"
        ) from None
    if raw.dtype.kind not in "biuf":
        kind = {"U": "strings", "S": "bytes", "O": "Python objects"}.get(
            raw.dtype.kind, str(raw.dtype)
        )
        raise TypeError(
            f"{name} must be numeric, got an array of {kind} (for example {_preview(raw, 1)})"
        )
    if raw.ndim < min_ndim:
        got = f"the scalar {raw.item()!r}" if raw.ndim == 0 else f"shape {raw.shape}"
        plural = "s" if min_ndim > 1 else ""
        raise ValueError(f"{name} must have at least {min_ndim} dimension{plural}, got {got}")
    if raw.size == 0:
        raise ValueError(f"{name} is empty (shape {raw.shape}); it needs at least one value")
    keep = keep_float_dtype and raw.dtype in (np.float16, np.float32)
    float_dtype = raw.dtype if keep else np.float64
    return raw.astype(float_dtype, copy=False)


def _raise_if_not_finite(array: NDArray[Any], name: str) -> None:
    if not np.isfinite(array).all():
        bad = array[~np.isfinite(array)]
        kind = "NaN" if np.isnan(bad).any() else "infinite values"
        raise ValueError(f"{name} contains {kind} ({_preview(bad)})")


def as_probabilities(
    value: ArrayLike, name: str, *, min_ndim: int = 0, keep_float_dtype: bool = False
) -> FloatArray:
    """Like :func:`as_finite_array`, and also require every value to lie in ``[0, 1]``.

    Examples
    --------
    >>> as_probabilities([0.2, 1.0], "y_pred")
    array([0.2, 1. ])
    """
    array = as_float_array(value, name, min_ndim=min_ndim, keep_float_dtype=keep_float_dtype)
    lowest, highest = value_range(array)
    if lowest >= 0.0 and highest <= 1.0:  # also says "finite": NaN fails both comparisons
        return array
    _raise_if_not_finite(array, name)
    _raise_if_outside_unit_interval(array, name)
    return array


def _raise_if_outside_unit_interval(array: NDArray[Any], name: str) -> None:
    outside = (array < 0.0) | (array > 1.0)
    if outside.any():
        raise ValueError(
            f"{name} has values outside [0, 1]: {_preview(array[outside])}; "
            "probabilities must lie between 0 and 1"
        )


def check_axis(array: NDArray[Any], axis: int, name: str) -> int:
    """Return ``axis`` as a non-negative index into ``array``'s dimensions.

    Raises
    ------
    TypeError
        If ``axis`` is not an integer.
    ValueError
        If ``array`` has no such axis.
    """
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an integer, got {type(axis).__name__} {axis!r}")
    if not -array.ndim <= axis < array.ndim:
        raise ValueError(
            f"axis {axis} is out of range for {name} with {array.ndim} dimension(s) "
            f"(shape {array.shape})"
        )
    return int(axis) % array.ndim


def as_distribution(value: ArrayLike, name: str, *, axis: int = -1) -> tuple[FloatArray, int]:
    """Check that ``value`` holds probability distributions along ``axis``.

    Returns the float64 array and the axis as a non-negative index.

    Raises
    ------
    ValueError
        As :func:`as_probabilities`, for a scalar, and when some distribution's sum
        differs from one by more than :data:`SUM_TOLERANCE`.

    Examples
    --------
    >>> as_distribution([[0.5, 0.5], [1.0, 0.0]], "p")
    (array([[0.5, 0.5],
           [1. , 0. ]]), 1)
    """
    array = as_float_array(value, name, min_ndim=1)
    quick = _quick_distribution_axis(array, axis)
    if quick is not None:
        return array, quick
    # Something is wrong (or too close to the tolerance to decide quickly): the checks in
    # their documented order find it and say what it is.
    _raise_if_not_finite(array, name)
    _raise_if_outside_unit_interval(array, name)
    axis = check_axis(array, axis, name)
    sums = array.sum(axis=axis)
    off = np.abs(sums - 1.0) > SUM_TOLERANCE
    if off.any():
        raise ValueError(
            f"{name} must sum to 1 along axis {axis} (within {SUM_TOLERANCE:g}), "
            f"but sums to {_preview(sums[off])}; divide by the sum to normalise it"
        )
    return array, axis


def _quick_distribution_axis(array: FloatArray, axis: int) -> int | None:
    """``axis`` as an index when ``array`` clearly holds distributions along it, else None.

    One pass (:func:`row_statistics`) instead of five: finite sums mean finite entries, and
    the smallest and largest entries settle the range. Sums within a hair of the tolerance
    are left to the exact check, which adds them up in NumPy's order.
    """
    index = axis_or_none(array, axis)
    if index is None or not clearly_distributions(*row_statistics(array, index)):
        return None
    return index


def clearly_distributions(sums: NDArray[Any], lowest: float, highest: float) -> bool:
    """True when the entries lie in [0, 1] and every sum is within :data:`SUM_TOLERANCE` of 1
    with room to spare.

    The fast paths use it to skip the checks one by one; NaN and infinity give False, and so
    do sums within a hair of the tolerance, which are left to :func:`as_distribution`.
    """
    return lowest >= 0.0 and highest <= 1.0 and clearly_sum_to_one(sums)  # NaN gives False


def clearly_sum_to_one(sums: NDArray[Any]) -> bool:
    """True when every sum is within :data:`SUM_TOLERANCE` of 1 with room to spare (so not
    for NaN or infinity)."""
    with np.errstate(invalid="ignore"):
        return bool(np.abs(sums - 1.0).max() <= SUM_TOLERANCE * (1.0 - 1e-9))


def axis_or_none(array: NDArray[Any], axis: object, min_length: int = 1) -> int | None:
    """``axis`` as a non-negative index into ``array`` with at least ``min_length`` entries
    along it; None for anything else, which the fast paths leave to :func:`check_axis`."""
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        return None
    index = int(axis)
    if not -array.ndim <= index < array.ndim or array.shape[index] < min_length:
        return None
    return index % array.ndim


def check_same_shape(a: NDArray[Any], b: NDArray[Any], name_a: str, name_b: str) -> None:
    """Raise a :class:`ValueError` unless ``a`` and ``b`` have the same shape."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}"
        )


def check_base(base: float | None) -> None:
    """Accept ``None`` (natural log) or a finite real base greater than 0 and not 1."""
    if base is None:
        return
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise TypeError(f"base must be a number or None, got {type(base).__name__} {base!r}")
    if not (np.isfinite(base) and base > 0 and base != 1):
        raise ValueError(
            f"base must be a finite number greater than 0 and not 1, got {base!r}; "
            "use base=2 for bits or None for nats"
        )


def log_of_base(base: float | None) -> float:
    """The divisor that converts nats to units of ``base`` (1.0 for nats)."""
    check_base(base)
    return 1.0 if base is None else float(np.log(base))


def to_result(value: NDArray[np.float64]) -> Result:
    """A 0-d result becomes a Python float, so it prints as ``0.6931`` and not ``np.float64``."""
    return float(value) if value.ndim == 0 else value


def warn(message: str) -> None:
    """A :class:`UserWarning` attributed to the first caller outside :mod:`xent`."""
    frame, level = sys._getframe(1), 2
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith("xent."):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, UserWarning, stacklevel=level)
