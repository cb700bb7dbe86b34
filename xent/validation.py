"""Input checks shared by every public function in :mod:`xent`.

Every public function turns its arguments into arrays and numbers through the helpers here,
so a bad input fails in the same way everywhere: a :class:`TypeError` when the value is not
of a usable type at all, a :class:`ValueError` for everything else, and a message that
starts with the argument's name and says what is wrong ("p has values outside [0, 1]: ...").

Conventions
-----------
* Arrays are converted to ``float64``; the caller's object is never modified.
* A probability distribution is an array of values in ``[0, 1]`` whose entries along
  ``axis`` sum to one within :func:`sum_tolerance`, which follows the input's dtype and
  the number of values.
* Flags are ``True`` or ``False`` (Python or NumPy booleans), never strings or ``None``.
* Low-precision floats (float16, bfloat16; NumPy, ml_dtypes, JAX, PyTorch) are converted
  to float64 exactly; a tensor that requires grad is refused (pass ``.detach()``).
* No NaN and no floating-point warning from finite, valid input, anywhere in xent: a
  weight of 0 against an infinite logarithm counts 0, and a result beyond the float range
  is ``inf``, without a warning.
* Negation is written ``0.0 - x`` throughout xent, not ``-x``: ``-0.0`` is a float of its
  own that prints as ``-0.0``, while ``0.0 - 0.0`` is ``0.0`` (a loss of exactly zero
  should read ``0.0``).
"""

from __future__ import annotations

import numbers
import sys
import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.arithmetic import FloatArray, row_sums

__all__ = [
    "Result",
    "as_distribution",
    "as_finite_array",
    "as_float_array",
    "as_probabilities",
    "check_axis",
    "check_base",
    "check_flag",
    "check_integer",
    "check_real",
    "check_same_shape",
    "check_sums",
    "log_of_base",
    "sum_tolerance",
    "to_result",
    "unit_roundoff",
    "value_range",
    "warn",
]

_UNIT_ROUNDOFF = {"bfloat16": 2.0**-8, "float16": 2.0**-11}
"""Unit roundoff ``u = eps / 2`` of the low-precision float types, by the dtype's name (so
NumPy, ml_dtypes, JAX and PyTorch dtypes are all recognised); every other input is held
to float32's ``2**-24``."""

FLOAT32_UNIT_ROUNDOFF = 2.0**-24


def unit_roundoff(dtype: object) -> float:
    """``u = eps / 2`` of ``dtype`` for the sum check: bfloat16 ``2**-8``, float16 ``2**-11``,
    and float32's ``2**-24`` for everything finer (see :func:`sum_tolerance`).

    Examples
    --------
    >>> unit_roundoff(np.dtype(np.float16)) == 2.0**-11, unit_roundoff("torch.bfloat16")
    (True, 0.00390625)
    """
    name = str(dtype)
    for kind, u in _UNIT_ROUNDOFF.items():
        if name.endswith(kind):
            return u
    return FLOAT32_UNIT_ROUNDOFF


def sum_tolerance(n_terms: int, dtype: object = np.float64) -> float:
    r"""Largest accepted ``|sum(p) - 1|`` for a distribution of ``n_terms`` values of ``dtype``.

    .. math:: \tau(n) = \bigl(\lambda \sqrt{n} + 2\bigr)\, u, \qquad \lambda = 10,

    with ``u`` the unit roundoff of the precision the distribution was computed in. A
    softmax (or any normalisation) computed in that precision divides by a sum of ``n``
    rounded terms. The worst case of that sum's error grows like ``(n - 1) u``, which at
    128k float32 terms would accept rows off by 0.8 % (and every float16 row beyond 2048
    terms); rounding errors that behave like independent random variables (Higham and
    Mary, "A new approach to probabilistic rounding error analysis", SIAM J. Sci. Comput.
    2019) stay below ``λ √n u`` with probability at least ``1 - 2 exp(-λ²/2)``, which is
    ``1 - 4e-22`` for λ = 10. Each value also carries its own rounding, a relative ``u``,
    which moves the sum by at most ``u`` in all, and about ``u`` from its exponential and
    division: the ``2 u``. Measured: PyTorch 2.13's float32 softmax of 262,144 normal
    logits (sd 3) sums to 1 within 3.6e-5 over 32 rows; the bound there is 3.1e-4.

    ``u`` is ``2**-11`` for float16 and ``2**-8`` for bfloat16, and ``2**-24`` (float32's)
    for float32 *and finer*: a float64 array or a list is often a float32 result widened,
    so it is held to float32's bound, not to float64's (about 1e-6 for two or three values,
    as before). Counts, percentages, scores and unnormalised weights are off by far more.

    Examples
    --------
    >>> print(f"{sum_tolerance(3):.2g} {sum_tolerance(131_072, np.float32):.2g}")
    1.2e-06 0.00022
    """
    u = unit_roundoff(np.dtype(dtype) if isinstance(dtype, type) else dtype)
    return (10.0 * float(np.sqrt(int(n_terms))) + 2.0) * u


Result = float | NDArray[np.float64]
"""The type the public functions return, a Python float for one value and an array for a batch."""


def _preview(values: NDArray[Any], limit: int = 3) -> str:
    """A short, readable list of offending values for an error message."""
    flat = np.asarray(values).ravel()
    shown = ", ".join(repr(v.item() if isinstance(v, np.generic) else v) for v in flat[:limit])
    return shown + (", ..." if flat.size > limit else "")


def _shown(value: object) -> str:
    """``repr(value)``, shortened when it is long (an integer of 400 digits, say)."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:12]}...{text[-6:]} ({len(text)} characters)"


def as_float_array(
    value: ArrayLike, name: str, *, min_ndim: int = 0, keep_float_dtype: bool = False
) -> FloatArray:
    """``value`` as a float array, after checking that it is a non-empty numeric array.

    The result is float64 (a new array unless ``value`` already was float64), or, with
    ``keep_float_dtype=True``, keeps a float16 or float32 input's own precision. NaN and
    infinity are let through: :func:`as_finite_array` rejects them.

    Low-precision input, one policy everywhere: float16 and bfloat16 arrays (NumPy,
    ml_dtypes, JAX) and tensors (PyTorch) are converted to float64, which is exact, and
    computed in float64; only the tolerance of a distribution's sum
    (:func:`sum_tolerance`) remembers their precision. A PyTorch tensor that requires grad
    is refused with a :class:`TypeError` that says to pass ``.detach()``.

    Raises
    ------
    TypeError
        If ``value`` is not numeric (strings, ``None``, objects, complex numbers), is a
        masked array (its mask would be lost silently) or a tensor that requires grad.
    ValueError
        If it is ragged, empty or has fewer than ``min_ndim`` dimensions.

    Examples
    --------
    >>> as_float_array([1, 2], "x")
    array([1., 2.])
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be numeric, got {type(value).__name__} {value!r}")
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(
            f"{name} is a masked array, whose mask xent would ignore; pass "
            f"{name}.compressed() or {name}.filled(...) instead"
        )
    if getattr(value, "requires_grad", False) is True:
        raise TypeError(
            f"{name} is a tensor that requires grad, which NumPy cannot read; pass "
            f"{name}.detach() (xent computes values, not gradients through them)"
        )
    if str(getattr(value, "dtype", "")) == "torch.bfloat16":
        value = value.double()  # type: ignore[union-attr]  # exact: bfloat16 is in float64
    try:
        raw = np.asarray(value)
    except ValueError:  # NumPy refuses ragged nested lists
        raise ValueError(
            f"{name} is ragged: its rows have different lengths; pad them or pass one array"
        ) from None
    if str(raw.dtype) == "bfloat16":  # ml_dtypes' (JAX's) bfloat16: every value is a float64
        raw = raw.astype(np.float64)
    if raw.dtype.kind not in "biuf":
        kind = {"U": "strings", "S": "bytes", "O": "Python objects", "c": "complex numbers"}
        raise TypeError(
            f"{name} must be numeric, got an array of "
            f"{kind.get(raw.dtype.kind, str(raw.dtype))} (for example {_preview(raw, 1)})"
        )
    if raw.ndim < min_ndim:
        got = f"the scalar {raw.item()!r}" if raw.ndim == 0 else f"shape {raw.shape}"
        plural = "s" if min_ndim > 1 else ""
        raise ValueError(f"{name} must have at least {min_ndim} dimension{plural}, got {got}")
    if raw.size == 0:
        raise ValueError(f"{name} is empty (shape {raw.shape}); it needs at least one value")
    keep = keep_float_dtype and raw.dtype.kind == "f" and raw.dtype.itemsize in (2, 4)
    # (a big-endian '>f4' is float32 too: kept, in the machine's byte order)
    return raw.astype(raw.dtype.newbyteorder("=") if keep else np.float64, copy=False)


def as_finite_array(
    value: ArrayLike, name: str, *, min_ndim: int = 0, keep_float_dtype: bool = False
) -> FloatArray:
    """Like :func:`as_float_array`, and also reject NaN and infinity.

    Raises
    ------
    TypeError, ValueError
        As :func:`as_float_array`; ValueError also if ``value`` holds NaN or infinity.

    Examples
    --------
    >>> as_finite_array([0.5, 0.5], "p")
    array([0.5, 0.5])
    """
    array = as_float_array(value, name, min_ndim=min_ndim, keep_float_dtype=keep_float_dtype)
    lowest, highest = value_range(array)
    if not (np.isfinite(lowest) and np.isfinite(highest)):
        bad = array[~np.isfinite(array)]
        kind = "NaN" if np.isnan(bad).any() else "infinite values"
        raise ValueError(f"{name} contains {kind} ({_preview(bad)})")
    return array


def value_range(array: NDArray[Any]) -> tuple[float, float]:
    """The smallest and largest entry; NaN if there is one (two fast passes, no masks)."""
    return float(array.min()), float(array.max())


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
    if lowest >= 0.0 and highest <= 1.0:  # False for NaN too
        return array
    as_finite_array(array, name)  # NaN or infinity: that error first
    outside = (array < 0.0) | (array > 1.0)  # finite, and not all in [0, 1]: some outside
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
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an integer, got {type(axis).__name__} {axis!r}")
    if not -array.ndim <= axis < array.ndim:
        raise ValueError(
            f"axis {axis} is out of range for {name} with {array.ndim} dimension(s) "
            f"(shape {array.shape})"
        )
    return int(axis) % array.ndim


def as_distribution(
    value: ArrayLike, name: str, *, axis: int = -1, dtype_of: object = None
) -> tuple[FloatArray, int]:
    """Check that ``value`` holds probability distributions along ``axis``.

    Returns the float64 array and the axis as a non-negative index. The tolerance of the
    sums follows the dtype of ``value`` (or of ``dtype_of``, when ``value`` is already a
    converted copy) and the number of values along ``axis``: :func:`sum_tolerance`.

    Raises
    ------
    ValueError
        As :func:`as_probabilities`, for a scalar, and when some distribution's sum
        differs from one by more than :func:`sum_tolerance`.

    Examples
    --------
    >>> as_distribution([[0.5, 0.5], [1.0, 0.0]], "p")
    (array([[0.5, 0.5],
           [1. , 0. ]]), 1)
    """
    array = as_probabilities(value, name, min_ndim=1)
    axis = check_axis(array, axis, name)
    source = value if dtype_of is None else dtype_of
    check_sums(row_sums(np.moveaxis(array, axis, -1)), array.shape[axis], source, name, axis)
    return array, axis


def check_sums(sums: FloatArray, n_terms: int, value: object, name: str, axis: int) -> None:
    """Raise a :class:`ValueError` unless every sum is within :func:`sum_tolerance` of 1
    (for ``n_terms`` values of ``value``'s dtype).

    Examples
    --------
    >>> check_sums(np.array([1.0 + 1e-7]), 3, [0.5, 0.3, 0.2], "p", 0)  # within 1.2e-6
    """
    tolerance = sum_tolerance(n_terms, getattr(value, "dtype", np.float64))
    off = np.abs(sums - 1.0) > tolerance
    if off.any():
        raise ValueError(
            f"{name} must sum to 1 along axis {axis} (within {tolerance:.2g}, the rounding "
            f"error of {n_terms} values), but sums to {_preview(sums[off])}; divide by the "
            "sum to normalise it"
        )


def check_same_shape(a: NDArray[Any], b: NDArray[Any], name_a: str, name_b: str) -> None:
    """Raise a :class:`ValueError` unless ``a`` and ``b`` have the same shape."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}"
        )


def check_flag(value: object, name: str) -> bool:
    """``value`` as a Python bool, after checking that it is ``True`` or ``False``.

    Strings such as ``"no"`` (which Python would read as true), ``None`` and numbers are
    refused, so a flag is never decided by truthiness.

    Raises
    ------
    TypeError
        If ``value`` is not a Python or NumPy boolean.

    Examples
    --------
    >>> check_flag(True, "from_logits")
    True
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def check_real(
    value: object,
    name: str,
    *,
    low: float = -np.inf,
    high: float = np.inf,
    low_open: bool = False,
) -> float:
    """``value`` as a finite Python float in ``[low, high]`` (``(low, high]`` with ``low_open``).

    Any real number is accepted (int, float, NumPy scalars, ``fractions.Fraction``),
    booleans are not.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If it is NaN, infinite, too large for a float, or outside the range.

    Examples
    --------
    >>> check_real(0.5, "alpha", low=0.0, high=1.0)
    0.5
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    try:
        number = float(value)
    except OverflowError:
        number = np.inf
    below = number <= low if low_open else number < low
    if not np.isfinite(number) or below or number > high:
        opening = "(" if low_open else "["
        wanted = {
            (True, True): "",
            (False, True): f" {'greater than' if low_open else 'at least'} {low:g}",
            (True, False): f" at most {high:g}",
        }.get((low == -np.inf, high == np.inf), f" in {opening}{low:g}, {high:g}]")
        raise ValueError(f"{name} must be a finite number{wanted}, got {_shown(value)}")
    return number


_LARGEST_INTEGER = 2**62
"""Counts and sizes above this are refused: far beyond any array that fits in memory."""


def check_integer(value: object, name: str, *, low: int = 0, high: int = _LARGEST_INTEGER) -> int:
    """``value`` as a Python int in ``[low, high]``.

    Python and NumPy integers are accepted; booleans, floats and strings are not.

    Raises
    ------
    TypeError
        If ``value`` is not an integer.
    ValueError
        If it lies outside ``[low, high]``.

    Examples
    --------
    >>> check_integer(3, "n_steps", low=1)
    3
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    number = int(value)
    if not low <= number <= high:
        wanted = {0: "a non-negative integer", 1: "a positive integer"}.get(
            low, f"an integer of at least {low}"
        )
        if high != _LARGEST_INTEGER:
            wanted = f"an integer in [{low}, {high}]"
        raise ValueError(f"{name} must be {wanted}, got {_shown(number)}")
    return number


def check_base(base: object) -> None:
    """Accept ``None`` (natural log) or a finite real base greater than 0 and not 1."""
    if base is None:
        return
    number = check_real(base, "base", low=0.0, low_open=True)
    if number == 1.0:
        raise ValueError(
            "base must be greater than 0 and not 1, got 1; use base=2 for bits or None for nats"
        )


def log_of_base(base: object) -> float:
    """The divisor that converts nats to units of ``base`` (1.0 for nats)."""
    check_base(base)
    return 1.0 if base is None else float(np.log(float(base)))  # type: ignore[arg-type]


def to_result(value: NDArray[np.float64]) -> Result:
    """A 0-d result becomes a Python float, so it prints as ``0.6931`` and not ``np.float64``."""
    return float(value) if np.ndim(value) == 0 else value


def warn(message: str) -> None:
    """A :class:`UserWarning` attributed to the first caller outside :mod:`xent`."""
    frame, level = sys._getframe(1), 2
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith("xent."):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, UserWarning, stacklevel=level)
