"""Batches of distributions as rows, read a cache-sized block at a time.

The losses and information measures of :mod:`xent` work on one distribution (or one
sample's scores) per row. The helpers here lay a batch out that way, add up rows quickly
and, where it matters, accurately, and find the class of one-hot rows, each reading its
input from memory once: on a batch of a million short rows, NumPy's reductions along the
last axis and the temporaries of a straightforward formula cost more than the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "BLOCK_ELEMENTS",
    "accurate_row_sums",
    "as_rows",
    "one_hot_pick",
    "one_hot_rows",
    "row_blocks",
    "row_statistics",
    "row_sums",
    "value_range",
]

FloatArray = NDArray[np.float64]


def value_range(array: NDArray[Any]) -> tuple[float, float]:
    """The smallest and largest entry (NaN if there is one), reading the memory once.

    Large arrays are read a block at a time, and each block's minimum and maximum are taken
    while it is in the cache.
    """
    flat = array.reshape(-1)
    parts = [flat[block] for block in row_blocks(flat.size, 1)]
    return float(np.min([p.min() for p in parts])), float(np.max([p.max() for p in parts]))


def row_statistics(array: NDArray[Any], axis: int) -> tuple[FloatArray, float, float]:
    """The sums along ``axis``, and the smallest and largest entry (NaN if there is one).

    For the last axis of a C-contiguous array, blocks of rows are read once and all three
    are taken while a block is in the cache; otherwise three NumPy reductions.
    """
    if not (axis == array.ndim - 1 and array.flags.c_contiguous):
        return row_sums(array, axis), float(array.min()), float(array.max())
    rows = array.reshape(-1, array.shape[-1])
    sums = np.empty(rows.shape[0], dtype=array.dtype)
    lows, highs = [], []
    for block in row_blocks(*rows.shape):
        part = rows[block]
        sums[block] = row_sums(part, 1)
        lows.append(part.min())
        highs.append(part.max())
    return sums.reshape(array.shape[:-1]), float(np.min(lows)), float(np.max(highs))


def row_sums(array: FloatArray, axis: int) -> FloatArray:
    """Sums along ``axis`` (a non-negative index), NaN or infinite where an entry is.

    Short rows (at most 32 entries, the last axis of a C-contiguous array) are added up by
    ``np.einsum``, several times faster than ``array.sum(axis=-1)`` there; longer ones by
    NumPy's pairwise summation, which keeps the rounding error of a long sum small. Either
    way each row is added up in an order that depends on that row alone, so a row gives
    the same sum in any batch.
    """
    with np.errstate(all="ignore"):
        if axis == array.ndim - 1 and array.flags.c_contiguous and array.shape[-1] <= 32:
            sums: FloatArray = np.einsum("...i->...", array)
        else:
            sums = array.sum(axis=axis)
    return sums


def accurate_row_sums(values: FloatArray) -> FloatArray:
    """Sums of the rows of a 2-D array, as if added exactly and rounded once (nearly).

    The error is at most about ``eps**2 log2(n)`` times the sum of the magnitudes, against
    ``eps log2(n)`` for NumPy's pairwise sum: what a sum that nearly cancels needs.

    Halves each row repeatedly, adding pairs and keeping every rounding error exactly
    (Knuth's TwoSum); the errors, tiny by then, are added up plainly at the end.
    """
    errors = np.zeros(values.shape[0])
    partial = values
    while partial.shape[1] > 1:
        half = partial.shape[1] // 2
        a, b = partial[:, :half], partial[:, half : 2 * half]
        total = a + b
        b_virtual = total - a
        error = (a - (total - b_virtual)) + (b - b_virtual)
        errors += row_sums(error, 1)
        if partial.shape[1] % 2:
            total = np.concatenate([total, partial[:, 2 * half :]], axis=1)
        partial = total
    return partial[:, 0] + errors


def one_hot_rows(
    y_true: ArrayLike, shape: tuple[int, ...], axis: int, *, tolerance: float
) -> tuple[NDArray[np.intp], FloatArray] | None:
    """The class of each one-hot distribution and the value there; or None.

    ``y_true`` qualifies if it is a numeric array of shape ``shape`` with one nonzero entry
    per distribution along ``axis`` (an index), within ``tolerance`` of 1 and at most 1:
    then it passes :func:`xent.validation.as_distribution` (with ``tolerance`` its
    :data:`~xent.validation.SUM_TOLERANCE`), and a cross-entropy needs just one
    log-probability per distribution. Anything else (soft targets, or a problem) gives
    None. The distributions are the rows of :func:`as_rows`.
    """
    found = _one_hot_blocks(y_true, shape, axis, tolerance)
    if found is None:
        return None
    n_rows = int(np.prod(shape)) // shape[axis]
    labels, weights = np.empty(n_rows, dtype=np.intp), np.empty(n_rows)
    for part in found:
        if part is None:
            return None
        block, labels[block], weights[block] = part
    return labels, weights


def one_hot_pick(
    y_true: ArrayLike, predictions: FloatArray, axis: int, *, tolerance: float
) -> tuple[FloatArray, FloatArray, FloatArray, float, float] | None:
    """For one-hot ``y_true`` (see :func:`one_hot_rows`) shaped like ``predictions``: the
    targets' values, the predictions at the targets' classes, the predictions' sums along
    ``axis`` and their smallest and largest entries; None for any other ``y_true``.

    One pass over both arrays: each block of rows is read once, and everything is taken
    from it while it is in the cache (picking the predictions of a million rows one by one
    from memory would cost another pass).
    """
    found = _one_hot_blocks(y_true, predictions.shape, axis, tolerance)
    if found is None:
        return None
    rows, _ = as_rows(predictions, axis)
    n_rows, n_columns = rows.shape
    weights, chosen, sums = np.empty(n_rows), np.empty(n_rows), np.empty(n_rows)
    lows, highs = [], []
    for part in found:
        if part is None:
            return None
        block, labels, values = part
        q = rows[block]
        labels += np.arange(0, q.size, n_columns)
        chosen[block] = q.reshape(-1)[labels]
        weights[block] = values
        sums[block] = row_sums(q, 1)
        lows.append(q.min())
        highs.append(q.max())
    return weights, chosen, sums, float(np.min(lows)), float(np.max(highs))


def _one_hot_blocks(
    y_true: ArrayLike, shape: tuple[int, ...], axis: int, tolerance: float
) -> Iterator[tuple[slice, NDArray[np.intp], FloatArray] | None] | None:
    """Blocks of rows of one-hot ``y_true`` with each row's class and value, one by one; a
    None in place of a block ends the search (a row that is not one-hot). None at once
    when ``y_true`` is not a numeric array of this ``shape``."""
    if not isinstance(y_true, np.ndarray) or y_true.dtype.kind not in "biuf":
        return None
    if y_true.shape != shape:
        return None
    rows, _ = as_rows(y_true, axis)
    n_rows, n_columns = rows.shape
    blocks = row_blocks(n_rows, n_columns)
    row_starts = np.arange(0, (blocks[0].stop - blocks[0].start) * n_columns, n_columns)
    low, high = 1.0 - tolerance * (1.0 - 1e-9), 1.0

    def generate() -> Iterator[tuple[slice, NDArray[np.intp], FloatArray] | None]:
        for block in blocks:  # each block's temporaries stay small and in the cache
            part = rows[block]
            found = np.flatnonzero(part != 0)  # (NaN counts as nonzero, and fails below)
            size = block.stop - block.start
            if found.size != size:
                yield None
                return
            values = part.reshape(-1)[found].astype(np.float64, copy=False)
            found -= row_starts[:size]
            if not (found.min() >= 0 and found.max() < n_columns):  # one nonzero in each row
                yield None
                return
            if not (values.min() >= low and values.max() <= high):  # also False for NaN
                yield None
                return
            yield block, found, values

    return generate()


BLOCK_ELEMENTS = 1 << 17
"""Entries per block when a kernel works through its rows a block at a time: the block and
its temporaries (1 MiB each in float64) stay in the processor's cache between steps."""


def row_blocks(n_rows: int, n_columns: int, elements: int = 0) -> list[slice]:
    """Slices of consecutive rows holding about ``elements`` entries each (by default
    :data:`BLOCK_ELEMENTS`)."""
    step = max(1, (elements or BLOCK_ELEMENTS) // max(n_columns, 1))
    return [slice(start, min(start + step, n_rows)) for start in range(0, n_rows, step)]


def as_rows(array: NDArray[Any], axis: int) -> tuple[NDArray[Any], tuple[int, ...]]:
    """``array`` as C-contiguous rows along ``axis`` (a 2-D array), and the other axes' shape.

    No copy when ``axis`` is already the last axis of a C-contiguous array.
    """
    moved = np.moveaxis(array, axis, -1)
    rows = np.ascontiguousarray(moved).reshape(-1, moved.shape[-1])
    return rows, moved.shape[:-1]
