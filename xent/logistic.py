"""From logits to probabilities to log loss: sigmoid, softmax and their stable logarithms.

Everything here is stable for any finite input: no overflow, no ``log(0)`` on the way,
no floating-point warnings. ``log_sigmoid(-1e4)`` is ``-1e4`` exactly, and a loss computed
from a logit stays accurate where computing the probability first would round it to 0 or 1.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.rows import accurate_row_sums, as_rows, row_blocks, row_sums
from xent.validation import (
    Result,
    as_finite_array,
    as_float_array,
    as_probabilities,
    check_axis,
    check_same_shape,
    to_result,
    warn,
)

__all__ = [
    "binary_cross_entropy_with_logits",
    "log_loss",
    "log_sigmoid",
    "log_softmax",
    "logit",
    "sigmoid",
    "softmax",
]

FloatArray = NDArray[np.float64]


def sigmoid(z: ArrayLike) -> Result:
    r"""The logistic sigmoid, which turns a logit into a probability.

    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}} = \frac{e^{z}}{1 + e^{z}}

    The first form is used for ``z >= 0`` and the second for ``z < 0``, so ``exp`` never
    overflows. ``sigmoid(-z) == 1 - sigmoid(z)`` mathematically; in floating point the
    smaller of the two is the accurate one.

    Raises
    ------
    ValueError
        If ``z`` is empty or holds NaN or infinity.

    Examples
    --------
    >>> sigmoid(0.0)
    0.5
    >>> sigmoid([-800.0, 800.0])
    array([0., 1.])
    """
    return to_result(sigmoid_kernel(as_finite_array(z, "z")))


def sigmoid_kernel(z: FloatArray) -> FloatArray:
    """:func:`sigmoid` without input checks, for callers that have validated ``z``."""
    with np.errstate(under="ignore"):  # exp(-800) is 0 and that is fine
        small = np.exp(-np.abs(z))  # in (0, 1]: never overflows
        return np.where(z >= 0, 1.0, small) / (1.0 + small)


def logit(p: ArrayLike) -> Result:
    r"""The log-odds of a probability, the inverse of :func:`sigmoid`.

    .. math:: \operatorname{logit}(p) = \log \frac{p}{1 - p} = \log p - \log(1 - p)

    ``logit(0) == -inf`` and ``logit(1) == inf``, returned without warnings. Near
    ``p = 1/2``, where the two logarithms nearly cancel, it is computed as
    ``log1p((2p - 1) / (1 - p))`` (or ``-log1p((1 - 2p) / p)`` below 1/2), whose numerator
    and denominator are exact there.

    Raises
    ------
    ValueError
        If ``p`` is empty, NaN or outside [0, 1].

    Examples
    --------
    >>> logit(0.5)
    0.0
    >>> round(logit(0.75), 6)  # odds of 3 to 1
    1.098612
    """
    x = as_probabilities(p, "p")
    with np.errstate(all="ignore"):  # each branch's poles (x = 0, x = 1) lie outside the
        # range where np.where takes it
        outer = np.log(x) - np.log1p(-x)
        upper = np.log1p((2.0 * x - 1.0) / (1.0 - x))  # 2x - 1 and 1 - x exact on [1/2, 3/4]
        lower = -np.log1p((1.0 - 2.0 * x) / x)  # 1 - 2x exact on [1/4, 1/2]
    middle = np.where(x >= 0.5, upper, lower)
    return to_result(np.where((x >= 0.25) & (x <= 0.75), middle, outer))


def log_sigmoid(z: ArrayLike) -> Result:
    r"""The logarithm of the sigmoid, computed without forming the sigmoid.

    .. math:: \log \sigma(z) = \min(z, 0) - \log\left(1 + e^{-|z|}\right)

    Both terms are non-positive, so nothing cancels; ``log_sigmoid(z)`` is ``z`` to the
    last digit for ``z`` below about -37 and ``-exp(-z)`` for large positive ``z``.

    Examples
    --------
    >>> log_sigmoid(-1e4)
    -10000.0
    >>> round(log_sigmoid(0.0), 6)
    -0.693147
    """
    logits = as_finite_array(z, "z")
    with np.errstate(under="ignore"):
        return to_result(np.minimum(logits, 0.0) - np.log1p(np.exp(-np.abs(logits))))


def _checked_axis_logits(z: ArrayLike, axis: int) -> tuple[FloatArray, int]:
    logits = as_finite_array(z, "z", min_ndim=1)
    return logits, check_axis(logits, axis, "z")


def _log1p(x: FloatArray, out: FloatArray | None = None) -> FloatArray:
    """``log(1 + x)`` for ``x >= 0`` as accurately as ``np.log1p``, in about half its time.

    ``u = 1 + x`` is rounded, but ``u - 1`` is exact, so ``x - (u - 1)`` is what the
    rounding dropped, and ``log(1 + x) = log(u) + log(1 + (x - (u - 1)) / u)``, whose last
    logarithm is its small argument to float64 precision (Goldberg, 1991). On this
    processor NumPy's ``log`` is vectorised and its ``log1p`` is not.
    """
    u = 1.0 + x
    dropped = u - 1.0
    np.subtract(x, dropped, out=dropped)
    dropped /= u
    result = np.log(u, out=out)
    result += dropped
    return result


def _row_max(block: FloatArray) -> FloatArray:
    """The largest entry of each row; for short rows column by column, which is faster."""
    if block.shape[1] > 32:
        largest: FloatArray = block.max(axis=1)
        return largest
    top = block[:, 0].copy()
    for column in range(1, block.shape[1]):
        np.maximum(top, block[:, column], out=top)
    return top


def _shift_error(block: FloatArray, reference: FloatArray) -> FloatArray:
    """The rounding error of ``block - reference[:, None]``, exactly (Knuth's TwoSum).

    ``exp(z - r)`` computed from the rounded difference is off by a factor
    ``exp(error) ~ 1 + error``: up to ``|z - r| * 2**-53`` relatively, 20 ulps at ``|z - r| = 40``.
    """
    r = reference[:, np.newaxis]
    difference = block - r
    r_virtual = difference - block  # the part of -r that made it into the difference
    z_virtual = difference - r_virtual
    return (block - z_virtual) - (r + r_virtual)


def _refine(
    others: FloatArray,
    block: FloatArray,
    reference: FloatArray,
    terms: FloatArray,
    threshold: float,
) -> None:
    """Add the exact-shift correction to ``others`` (in place) in the rows below ``threshold``.

    ``others = sum_j exp(z_j - r)`` (the reference's own term left out) needs relative
    accuracy where it is small, since ``log1p(others)`` is then about ``others``: a
    confident prediction's loss, or the log-probability of a dominant logit. There each
    term gets its ``exp(error) ~ 1 + error`` factor back. Where ``others`` is larger the
    logarithm takes the rounding away and nothing needs doing.
    """
    rows = np.flatnonzero(others < threshold)
    if rows.size:
        chosen = terms[rows]
        chosen *= _shift_error(block[rows], reference[rows])
        others[rows] += row_sums(chosen, 1)


def _refine_threshold(n_columns: int) -> float:
    """Below this sum of the other terms :func:`_refine` corrects them.

    The relative error that the rounded shifts leave in ``log1p(others)`` is at most about
    ``2**-53 * log(n_columns / others)`` (the terms' mean ``|z - r|``, weighted by the
    terms), times ``others / ((1 + others) log1p(others)) < 0.73`` for ``others >= 1``:
    about 2 ulps at most with this threshold.
    """
    return max(1.0, n_columns / 256.0)


def _log_softmax_rows(logits: FloatArray) -> FloatArray:
    """``log_softmax`` of each row of a C-contiguous 2-D array of finite logits.

    ``(z - m) - log1p(others)`` with ``m`` the row's largest logit and ``others`` the sum of
    ``exp(z_j - m)`` over the entries other than one largest one: every largest entry's
    term is left out exactly (set to 0) and each tie beyond the first adds its 1 back.
    """
    n_rows, n_columns = logits.shape
    result = np.empty_like(logits)
    threshold = _refine_threshold(n_columns)
    blocks = row_blocks(n_rows, n_columns)
    buffer = np.empty((blocks[0].stop - blocks[0].start, n_columns))
    for rows in blocks:
        block = logits[rows]
        top = _row_max(block)
        shifted = result[rows]
        np.subtract(block, top[:, np.newaxis], out=shifted)
        terms = np.exp(shifted, out=buffer[: block.shape[0]])
        at_top = shifted == 0.0
        np.copyto(terms, 0.0, where=at_top)
        others = row_sums(terms, 1)
        if np.count_nonzero(at_top) > at_top.shape[0]:  # ties for the largest logit
            others += np.count_nonzero(at_top, axis=1) - 1
        _refine(others, block, top, terms, threshold)
        shifted -= _log1p(others)[:, np.newaxis]
    return result


def _softmax_rows(logits: FloatArray) -> FloatArray:
    """``softmax`` of each row: ``exp(z - m) / sum(exp(z - m))``, each ``exp`` exact-shifted.

    Unlike the logarithm, the exponential keeps the relative rounding error of ``z - m``,
    up to ``|z - m| * 2**-53`` (700 ulps near the underflow), so every term gets its
    :func:`_shift_error` correction.
    """
    n_rows, n_columns = logits.shape
    result = np.empty_like(logits)
    for rows in row_blocks(n_rows, n_columns):
        block = logits[rows]
        top = _row_max(block)
        terms = result[rows]
        np.subtract(block, top[:, np.newaxis], out=terms)
        np.exp(terms, out=terms)
        terms += terms * _shift_error(block, top)
        sums = row_sums(terms, 1) if n_columns <= 32 else accurate_row_sums(terms)
        terms /= sums[:, np.newaxis]
    return result


def _nll_by_max(logits: FloatArray, labels: NDArray[np.intp]) -> FloatArray:
    """``-log_softmax(z)[label]`` per row, shifted by the row's largest logit.

    ``(m - z_label) + log1p(others)``: two terms of the same sign. The fallback of
    :func:`_nll_rows` for rows where shifting by the label's logit overflows, which makes
    the loss at least 709, so the rounding of the shifts is immaterial.
    """
    top = np.argmax(logits, axis=1)
    row = np.arange(logits.shape[0])
    largest = logits[row, top]
    terms = np.exp(logits - largest[:, np.newaxis])
    terms[row, top] = 0.0
    losses: FloatArray = (largest - logits[row, labels]) + np.log1p(row_sums(terms, 1))
    return losses


def _nll_shifted(logits: FloatArray, labels: NDArray[np.intp]) -> FloatArray:
    """:func:`_nll_rows` for rows with logits beyond ``exp``'s range: shifted by the label's
    own logit, refined where the loss is small, and shifted by the row maximum where
    another logit lies more than 709 above the label's (the loss is then above 709)."""
    n_rows, n_columns = logits.shape
    positions = np.arange(0, n_rows * n_columns, n_columns) + labels
    reference = logits.ravel()[positions]
    terms = logits - reference[:, np.newaxis]
    np.exp(terms, out=terms)
    terms.ravel()[positions] = 0.0
    others = row_sums(terms, 1)
    _refine(others, logits, reference, terms, _refine_threshold(n_columns))
    losses = np.log1p(others)
    overflowed = np.flatnonzero(~np.isfinite(others))
    if overflowed.size:
        losses[overflowed] = _nll_by_max(logits[overflowed], labels[overflowed])
    return losses


def _nll_rows(logits: FloatArray, labels: NDArray[np.intp]) -> FloatArray | None:
    """``-log_softmax(z)[label]`` for each row of a C-contiguous 2-D array of logits.

    The loss is ``log1p(others / own)``, with ``own = exp(z_label)`` and ``others`` the sum
    of ``exp(z_j)`` over the other classes: every exponential is taken of a logit as given,
    so each is accurate to its last digit, and so is a small loss (a confident, right
    prediction), with no row maximum to find and no shift to round. That needs every
    ``exp(z)`` to be a normal float64 and their sum not to overflow, which holds for the
    logits of any ordinary model; a block of rows with a logit outside that range takes
    :func:`_nll_shifted`.

    Short rows are worked on transposed (classes by rows), so that the sums over classes
    are a few additions of long vectors instead of many short sums; each row's terms are
    still added in class order, so a row's loss does not depend on the rest of the batch.

    The logits need not have been checked: None means that some are NaN or infinite.
    """
    n_rows, n_columns = logits.shape
    losses = np.empty(n_rows)
    blocks = row_blocks(n_rows, n_columns)
    block_rows = blocks[0].stop - blocks[0].start
    transposed = n_columns <= 32
    buffer = np.empty((n_columns, block_rows) if transposed else (block_rows, n_columns))
    steps = np.arange(block_rows) if transposed else np.arange(0, buffer.size, n_columns)
    for rows in blocks:
        block, block_labels = logits[rows], labels[rows]
        size = block.shape[0]
        if block.min() >= -708.0:  # exp(z) >= exp(-708) > 2**-1022, a normal number (not NaN)
            if transposed:
                terms = buffer[:, :size] if size == block_rows else np.empty((n_columns, size))
                np.exp(block.T, out=terms)
                positions = block_labels * size + steps[:size]
            else:
                terms = np.exp(block, out=buffer[:size])
                positions = steps[:size] + block_labels
            flat = terms.reshape(-1)
            own = flat[positions]
            flat[positions] = 0.0
            others = np.add.reduce(terms, axis=0) if transposed else row_sums(terms, 1)
            if np.isfinite(np.add.reduce(others) + np.add.reduce(own)):  # no overflow
                others /= own
                _log1p(others, out=losses[rows])
                continue
        if not np.isfinite(block).all():
            return None
        losses[rows] = _nll_shifted(block, block_labels)
    return losses


def _by_rows(
    kernel: Callable[[FloatArray], FloatArray], logits: FloatArray, axis: int
) -> FloatArray:
    """``kernel`` on the rows along ``axis`` of ``logits``, with the result laid out as they are."""
    rows, batch_shape = as_rows(logits, axis)
    with np.errstate(under="ignore", over="ignore"):  # exp(-800) = 0; overflow is handled
        result = kernel(rows)
    return np.moveaxis(result.reshape(*batch_shape, rows.shape[1]), -1, axis)


def log_softmax(z: ArrayLike, *, axis: int = -1) -> FloatArray:
    r"""Log-probabilities of the softmax of ``z`` along ``axis``, computed stably.

    .. math:: \log \operatorname{softmax}(z)_k = (z_k - m) - \log \sum_j e^{z_j - m},
              \qquad m = \max_j z_j

    The sum is 1 plus the terms of the other logits, and its logarithm is taken as
    ``log1p`` of those terms, so the log-probability of a dominant logit,
    ``-log(1 + e^{-580})``, keeps all its digits.

    Examples
    --------
    >>> log_softmax([0.0, 0.0])
    array([-0.69314718, -0.69314718])
    >>> log_softmax([1000.0, 0.0])
    array([    0., -1000.])
    """
    logits, axis = _checked_axis_logits(z, axis)
    return _by_rows(_log_softmax_rows, logits, axis)


def softmax(z: ArrayLike, *, axis: int = -1) -> FloatArray:
    r"""The softmax of ``z`` along ``axis``: a probability distribution from logits.

    .. math:: \operatorname{softmax}(z)_k = \frac{e^{z_k - m}}{\sum_j e^{z_j - m}},
              \qquad m = \max_j z_j

    Examples
    --------
    >>> softmax([0.0, 0.0])
    array([0.5, 0.5])
    >>> softmax([1000.0, 0.0])
    array([1., 0.])
    """
    logits, axis = _checked_axis_logits(z, axis)
    return _by_rows(_softmax_rows, logits, axis)


def binary_cross_entropy_with_logits(y_true: ArrayLike, z: ArrayLike) -> Result:
    r"""Binary cross-entropy of targets ``y_true`` in [0, 1] and logits ``z``, element by element.

    .. math::
        \ell(y, z) = -y \log \sigma(z) - (1 - y) \log \sigma(-z)
                   = \log\left(1 + e^{-|z|}\right) + y \max(-z, 0) + (1 - y) \max(z, 0)

    This equals the more common ``max(z, 0) - z y + log(1 + exp(-|z|))``, but every term of
    the form used here is non-negative, so soft targets lose no accuracy to cancellation.
    It never forms ``sigmoid(z)``, so it stays exact for ``|z|`` up to the float range.

    Raises
    ------
    ValueError
        If the shapes differ, ``y_true`` leaves [0, 1], or ``z`` holds NaN or infinity.

    Examples
    --------
    >>> binary_cross_entropy_with_logits(1.0, -1e4)
    10000.0
    >>> round(binary_cross_entropy_with_logits(1.0, 0.0), 6)
    0.693147
    """
    targets = as_probabilities(y_true, "y_true")
    logits = as_float_array(z, "z")
    if targets.shape != logits.shape:
        as_finite_array(logits, "z")
        check_same_shape(targets, logits, "y_true", "z")
    losses, finite = _bce_with_logits(targets, logits)
    if not finite:  # only NaN or infinity in z makes a loss that is not finite
        as_finite_array(logits, "z")
    return to_result(losses)


def bce_with_logits_kernel(y: FloatArray, z: FloatArray) -> FloatArray:
    """:func:`binary_cross_entropy_with_logits` without input checks."""
    return _bce_with_logits(y, z)[0]


def _bce_with_logits(y: FloatArray, z: FloatArray) -> tuple[FloatArray, bool]:
    """The losses, and whether they are all finite (they are unless ``z`` is not).

    ``log1p(exp(-|z|)) + y max(-z, 0) + (1 - y) max(z, 0)``, the formula of
    :func:`binary_cross_entropy_with_logits`, worked through in blocks that stay in the
    cache, with no temporary arrays beyond three blocks' worth of scratch space.
    """
    logits, targets = np.ravel(z), np.ravel(y)
    losses = np.empty(logits.shape)
    blocks = row_blocks(logits.size, 1, elements=1 << 14)  # (scratch: 3 x 128 KiB)
    scratch = np.empty((3, blocks[0].stop - blocks[0].start))
    total = 0.0
    with np.errstate(under="ignore", invalid="ignore"):  # exp(-|z|) underflows to 0 for
        for block in blocks:  # |z| > 745, rightly; NaN and infinity are reported, not raised
            zb, yb, loss = logits[block], targets[block], losses[block]
            positive, negative, weight = scratch[:, : zb.size]
            np.maximum(zb, 0.0, out=positive)  # max(z, 0)
            np.subtract(positive, zb, out=negative)  # max(-z, 0), exactly
            np.add(positive, negative, out=loss)
            np.negative(loss, out=loss)  # -|z|
            np.exp(loss, out=loss)
            np.log1p(loss, out=loss)
            negative *= yb
            loss += negative
            np.subtract(1.0, yb, out=weight)
            positive *= weight
            loss += positive
            total += np.add.reduce(loss)
    finite = bool(np.isfinite(total)) or bool(np.isfinite(losses).all())
    return losses.reshape(np.shape(z)), finite


def _label_indices(y_true: ArrayLike, labels: ArrayLike | None) -> tuple[NDArray[np.intp], int]:
    """Map labels to column indices in sorted order, as scikit-learn's LabelBinarizer does."""
    truth = np.asarray(y_true)
    if truth.ndim != 1:
        raise ValueError(
            f"y_true must be a 1-D array of class labels, got shape {truth.shape}; "
            "for one-hot or probability targets use categorical_crossentropy"
        )
    if truth.size == 0:
        raise ValueError("y_true is empty; it needs at least one label")
    try:
        classes = np.unique(truth if labels is None else np.asarray(labels))
    except TypeError as error:
        raise ValueError(f"labels cannot be sorted: they mix types ({error})") from None
    if labels is not None:
        unknown = np.setdiff1d(truth, classes)
        if unknown.size:
            raise ValueError(
                f"y_true contains labels {unknown.tolist()} that are not in labels "
                f"{np.asarray(labels).tolist()}"
            )
        if not np.array_equal(classes, np.asarray(labels)):
            warn(
                f"labels {np.asarray(labels).tolist()} are not in sorted order; like "
                f"scikit-learn, log_loss assumes y_pred's columns follow {classes.tolist()}"
            )
    if classes.size < 2:
        where = "y_true" if labels is None else "labels"
        raise ValueError(
            f"{where} contains only one class ({classes.tolist()}); log loss needs at least "
            "two: pass every possible class with labels=[...]"
        )
    return np.searchsorted(classes, truth), classes.size


def log_loss(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    sample_weight: ArrayLike | None = None,
    normalize: bool = True,
) -> float:
    r"""Log loss (cross-entropy) of class labels and predicted probabilities, as scikit-learn computes it.

    .. math:: L = -\frac{1}{\sum_i w_i} \sum_i w_i \log \hat p_i(y_i)

    where :math:`\hat p_i(y_i)` is the probability that row ``i`` of ``y_pred`` gives to the
    true label. The semantics are those of :func:`sklearn.metrics.log_loss` (version 1.9):

    * labels may be of any sortable type (numbers, strings); the columns of ``y_pred``
      follow the labels in sorted order (``labels`` if given, else those in ``y_true``);
    * a 1-D ``y_pred`` is the probability of the positive (larger) class;
    * probabilities are clipped to ``[eps, 1 - eps]`` for the float type's ``eps``, so the
      worst loss per sample is ``-log(eps)`` (about 36.04 in float64), never ``inf``;
    * rows of ``y_pred`` that do not sum to one (relative tolerance ``sqrt(eps)``) give a
      warning, and are used as they are;
    * with ``normalize=False`` the (weighted) sum is returned instead of the mean.

    Raises
    ------
    ValueError
        If ``y_pred`` has values outside [0, 1], NaN, or the wrong number of rows or
        columns; if ``y_true`` holds a single class and ``labels`` is not given; if a label
        is not in ``labels``; if ``sample_weight`` has the wrong length or sums to zero.

    Examples
    --------
    >>> log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]])
    0.21616187468057912
    """
    probabilities = as_probabilities(y_pred, "y_pred", min_ndim=1, keep_float_dtype=True)
    if probabilities.ndim > 2:
        raise ValueError(f"y_pred must be 1-D or 2-D, got shape {probabilities.shape}")
    columns, n_classes = _label_indices(y_true, labels)
    if probabilities.shape[0] != columns.size:
        raise ValueError(
            f"y_true and y_pred must have the same number of samples, got {columns.size} "
            f"and {probabilities.shape[0]}"
        )
    if probabilities.ndim == 1 or probabilities.shape[1] == 1:
        positive = probabilities.reshape(-1)
        probabilities = np.column_stack([1 - positive, positive])
    if probabilities.shape[1] != n_classes:
        raise ValueError(
            f"y_pred has {probabilities.shape[1]} columns but there are {n_classes} classes; "
            "pass labels=[...] to list every class in the order of y_pred's columns"
        )
    eps = np.finfo(probabilities.dtype).eps
    if not np.isclose(probabilities.sum(axis=1), 1, rtol=np.sqrt(eps)).all():
        warn("y_pred's rows do not sum to one; make sure to pass probabilities")
    chosen = np.clip(probabilities[np.arange(columns.size), columns], eps, 1 - eps)
    losses = -np.log(chosen)
    weights = None
    if sample_weight is not None:
        weights = as_finite_array(sample_weight, "sample_weight", min_ndim=1)
        check_same_shape(weights, losses, "sample_weight", "y_true")
        if normalize and weights.sum() == 0:
            raise ValueError("sample_weight sums to zero, so the weighted mean is undefined")
    if normalize:
        return float(np.average(losses, weights=weights))
    return float(losses.sum() if weights is None else np.dot(losses, weights))
