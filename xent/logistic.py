"""From logits to probabilities to log loss: sigmoid, softmax and their stable logarithms.

Everything here is stable for any finite input: no overflow, no ``log(0)`` on the way,
no floating-point warnings. ``log_sigmoid(-1e4)`` is ``-1e4`` exactly, and a loss computed
from a logit stays accurate where computing the probability first would round it to 0 or 1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.arithmetic import row_sums, shift_error
from xent.validation import (
    FloatArray,
    Result,
    as_finite_array,
    as_probabilities,
    check_axis,
    check_flag,
    check_same_shape,
    to_result,
    value_range,
    warn,
)

__all__ = [
    "binary_cross_entropy_with_logits",
    "log_loss",
    "log_normalize",
    "log_sigmoid",
    "log_softmax",
    "log_softmax_parts",
    "logit",
    "sigmoid",
    "softmax",
]


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
    logits = as_finite_array(z, "z")
    with np.errstate(under="ignore"):  # exp(-800) is 0, and that is fine
        small = np.exp(-np.abs(logits))  # in (0, 1]: never overflows
        return to_result(np.where(logits >= 0, 1.0, small) / (1.0 + small))


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


def _last(values: FloatArray, axis: int) -> FloatArray:
    """``values`` with ``axis`` moved last, in C order, so each row is reduced on its own."""
    return np.ascontiguousarray(np.moveaxis(values, axis, -1))


def _moved_back(values: FloatArray, axis: int) -> FloatArray:
    return np.moveaxis(values, -1, axis)


def _shifted_terms(
    z: FloatArray, *, exact: bool
) -> tuple[FloatArray, FloatArray, NDArray[np.intp], FloatArray]:
    """The pieces of the log-sum-exp identity for rows ``z`` along the last axis.

    Returns ``z - m`` (``m`` the row's largest logit), the terms ``exp(z_j - m)`` with the
    largest one's own term set to 0, its position, and ``others``, the sum of the terms:
    ``log sum_j exp(z_j) = m + log1p(others)``. Every term is at most 1, so nothing
    overflows, and ``log1p`` keeps the digits of a dominant logit's ``-log(1 + tiny)``.

    ``z - m`` is rounded, which costs ``exp(z - m)`` a relative error of up to
    ``|z - m| 2**-53``. With ``exact`` every term gets its exact shift back
    (:func:`~xent.arithmetic.shift_error`); without, only the sums that need it: where
    ``others`` is small, ``log1p(others)`` is about ``others`` and keeps its relative
    error, while a larger sum is dominated by terms with small shifts.
    """
    rows = z.reshape(-1, z.shape[-1])  # (a view: the batch flattened)
    top = np.argmax(rows, axis=-1, keepdims=True)
    largest = np.take_along_axis(rows, top, axis=-1)
    with np.errstate(over="ignore", under="ignore"):  # logits 1.8e308 apart: -inf, exp 0
        shifted = rows - largest
        terms = np.exp(shifted)
        if exact:  # (the correction of a tiny term is tinier still)
            terms += terms * shift_error(rows, largest, shifted)
    np.put_along_axis(terms, top, 0.0, axis=-1)
    others = row_sums(terms)
    if not exact:
        small = np.flatnonzero(others < max(1.0, rows.shape[1] / 256.0))
        if small.size:
            with np.errstate(under="ignore"):
                error = shift_error(rows[small], largest[small], shifted[small])
                others[small] += row_sums(terms[small] * error)
    batch = z.shape[:-1]
    return (
        shifted.reshape(z.shape),
        terms.reshape(z.shape),
        top.reshape(*batch, 1),
        others.reshape(batch),
    )


def log_softmax_parts(z: ArrayLike, *, axis: int = -1) -> tuple[FloatArray, FloatArray]:
    r"""The two parts of every log-probability of the softmax: ``z - m`` and ``log(1 + others)``.

    .. math:: \log \operatorname{softmax}(z)_k = (z_k - m) - \log\Big(1 + \sum_{j \ne t} e^{z_j - m}\Big),
              \qquad m = z_t = \max_j z_j

    Both parts have the same sign, so a loss ``-log softmax(z)_y`` is the sum of two
    non-negative numbers, ``(m - z_y) + log(1 + others)``, and keeps its digits whether it
    is tiny (a confident, right prediction) or huge. The second part has ``axis`` kept with
    length 1.

    Raises
    ------
    ValueError
        If ``z`` is a scalar, empty, or holds NaN or infinity, or ``axis`` is out of range.

    Examples
    --------
    >>> shifted, normalizer = log_softmax_parts([0.0, 0.0])
    >>> shifted, normalizer
    (array([0., 0.]), array([0.69314718]))
    """
    logits, axis = _checked_axis_logits(z, axis)
    shifted, _, _, others = _shifted_terms(_last(logits, axis), exact=False)
    with np.errstate(under="ignore"):  # log1p of a subnormal sum is that sum, rounded
        normalizer = np.log1p(others)[..., np.newaxis]
    return _moved_back(shifted, axis), _moved_back(normalizer, axis)


def log_softmax(z: ArrayLike, *, axis: int = -1) -> FloatArray:
    r"""Log-probabilities of the softmax of ``z`` along ``axis``, computed stably.

    .. math:: \log \operatorname{softmax}(z)_k = (z_k - m) - \log \sum_j e^{z_j - m},
              \qquad m = \max_j z_j

    The sum is 1 (the largest logit's own term) plus the terms of the others, and its
    logarithm is taken as ``log1p`` of those, so the log-probability of a dominant logit,
    ``-log(1 + e^{-580})``, keeps all its digits. Where that sum is small, its terms get the
    rounding error of ``z_j - m`` back (:func:`xent.arithmetic.shift_error`), and the result
    for one row never depends on the other rows of a batch. Logits more than about ``1.8e308`` apart give ``-inf``, the
    correctly rounded value.

    Raises
    ------
    ValueError
        If ``z`` is a scalar, empty, or holds NaN or infinity, or ``axis`` is out of range.

    Examples
    --------
    >>> log_softmax([0.0, 0.0])
    array([-0.69314718, -0.69314718])
    >>> log_softmax([1000.0, 0.0])
    array([    0., -1000.])
    """
    shifted, normalizer = log_softmax_parts(z, axis=axis)
    return shifted - normalizer


def softmax(z: ArrayLike, *, axis: int = -1) -> FloatArray:
    r"""The softmax of ``z`` along ``axis``: a probability distribution from logits.

    .. math:: \operatorname{softmax}(z)_k = \frac{e^{z_k - m}}{\sum_j e^{z_j - m}},
              \qquad m = \max_j z_j

    The largest logit's term is exactly 1, so nothing overflows, and each term is the
    exponential of the exact difference ``z_k - m``.

    Raises
    ------
    ValueError
        If ``z`` is a scalar, empty, or holds NaN or infinity, or ``axis`` is out of range.

    Examples
    --------
    >>> softmax([0.0, 0.0])
    array([0.5, 0.5])
    >>> softmax([1000.0, 0.0])
    array([1., 0.])
    """
    logits, axis = _checked_axis_logits(z, axis)
    _, terms, top, others = _shifted_terms(_last(logits, axis), exact=True)
    np.put_along_axis(terms, top, 1.0, axis=-1)  # the largest logit's term, e^0
    with np.errstate(under="ignore"):  # a tiny share may be subnormal, or 0
        return _moved_back(terms / (1.0 + others[..., np.newaxis]), axis)


def log_normalize(q: ArrayLike, *, axis: int = -1) -> FloatArray:
    r"""``log(q_k / sum_j q_j)`` along ``axis``: the log-probabilities of renormalised ``q``.

    .. math:: \log \frac{q_k}{\sum_j q_j} = \log r_k - \log\Big(1 + \sum_{j \ne t} r_j\Big),
              \qquad r_k = \frac{q_k}{q_t}, \quad q_t = \max_j q_j

    the form of :func:`log_softmax` for weights instead of logits (``log_normalize(q)``
    equals ``log_softmax(log q)``). The largest entry's ratio is exactly 1 and the others'
    are accurate, so a probability of nearly 1 in a row whose sum is off by an ulp keeps
    its digits, where ``log(q / q.sum())`` would round the quotient first. ``q_k = 0``
    gives ``-inf``.

    Raises
    ------
    ValueError
        If ``q`` is a scalar, empty, NaN, negative or infinite, if a row along ``axis`` is
        all zeros, or if ``axis`` is out of range.

    Examples
    --------
    >>> log_normalize([1.0, 1.0])
    array([-0.69314718, -0.69314718])
    >>> log_normalize([2.0, 0.0])
    array([  0., -inf])
    """
    weights = as_finite_array(q, "q", min_ndim=1)
    axis = check_axis(weights, axis, "q")
    if value_range(weights)[0] < 0.0:
        raise ValueError(f"q has negative values (for example {weights[weights < 0][0]:g})")
    w = _last(weights, axis)
    top = np.argmax(w, axis=-1, keepdims=True)
    largest = np.take_along_axis(w, top, axis=-1)
    if (largest == 0).any():
        raise ValueError(f"q has rows of zeros along axis {axis}; they are not distributions")
    with np.errstate(divide="ignore", under="ignore"):  # log 0 = -inf where q = 0
        ratios = w / largest
        log_ratios = np.log(ratios)
    np.put_along_axis(ratios, top, 0.0, axis=-1)  # the sum of the others' ratios follows
    with np.errstate(under="ignore"):  # log1p of a subnormal sum is that sum, rounded
        normalizer = np.log1p(row_sums(ratios))[..., np.newaxis]
    return _moved_back(log_ratios - normalizer, axis)


def binary_cross_entropy_with_logits(y_true: ArrayLike, z: ArrayLike) -> Result:
    r"""Binary cross-entropy of targets ``y_true`` in [0, 1] and logits ``z``, element by element.

    .. math::
        \ell(y, z) &= -y \log \sigma(z) - (1 - y) \log \sigma(-z) \\
                   &= \log\left(1 + e^{-|z|}\right) + y \max(-z, 0) + (1 - y) \max(z, 0)

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
    logits = as_finite_array(z, "z")
    check_same_shape(targets, logits, "y_true", "z")
    with np.errstate(under="ignore"):  # exp(-|z|) is 0 for |z| > 745, rightly
        losses = (
            np.log1p(np.exp(-np.abs(logits)))
            + targets * np.maximum(-logits, 0.0)
            + (1.0 - targets) * np.maximum(logits, 0.0)
        )
    return to_result(losses)


def _label_vector(y_true: ArrayLike) -> NDArray[np.generic]:
    """``y_true`` as an array of class labels, refused where scikit-learn refuses it.

    Labels are integers, strings, booleans or floats with no fractional part; NaN,
    infinity, complex numbers, fractional values (probabilities passed as labels, often
    with the arguments swapped) and a mix of strings and numbers are errors.
    """
    if isinstance(y_true, np.ma.MaskedArray):
        raise TypeError("y_true is a masked array, whose mask xent would ignore")
    truth = np.asarray(y_true)
    if truth.dtype.kind == "c":
        raise ValueError("y_true holds complex numbers; class labels must be real")
    if truth.dtype.kind == "O":
        kinds = {isinstance(v, str) for v in truth.ravel()}
        if len(kinds) > 1:
            raise ValueError("y_true mixes strings and numbers; use one type of label")
    if truth.dtype.kind == "f":
        if not np.isfinite(truth).all():
            raise ValueError("y_true contains NaN or infinity; class labels must be finite")
        fractional = truth != np.round(truth)
        if fractional.any():
            raise ValueError(
                f"y_true must hold class labels, got the fractional value "
                f"{truth[fractional].ravel()[0]:g}; did you swap y_true and y_pred?"
            )
    return truth


def _label_indices(y_true: ArrayLike, labels: ArrayLike | None) -> tuple[NDArray[np.intp], int]:
    """Map labels to column indices in sorted order, as scikit-learn's LabelBinarizer does."""
    truth = _label_vector(y_true)
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
        listed = np.asarray(labels)
        if classes.size < listed.size:
            values, counts = np.unique(listed, return_counts=True)
            repeated = ", ".join(map(str, values[counts > 1].tolist()))
            raise ValueError(
                f"labels lists {repeated} more than once; list each class once, in the order "
                "of y_pred's columns"
            )
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
      worst loss per sample is ``-log(eps)`` (about 36.04 in float64), never ``inf``; the
      logarithms and the sum are then taken in float64 (scikit-learn stays in a float32 or
      float16 input's precision: its float16 sum of 100,000 losses is ``inf``);
    * rows of ``y_pred`` that do not sum to one (relative tolerance ``sqrt(eps)``) give a
      warning, and are used as they are;
    * with ``normalize=False`` the (weighted) sum is returned instead of the mean.

    Parameters
    ----------
    y_true
        Class labels, one per sample (numbers, strings or bools).
    y_pred
        Predicted probabilities: one row per sample and one column per class, or one
        probability of the positive class per sample.
    labels
        Every class, in the order of ``y_pred``'s columns (sorted); needed when ``y_true``
        misses a class.
    sample_weight
        One weight per sample.
    normalize
        ``True`` for the (weighted) mean, ``False`` for the sum.

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
    normalize = check_flag(normalize, "normalize")
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
    # clipped at the input's eps, as scikit-learn does, then (exactly) widened: the logs and
    # their sum in float64, so 100,000 float16 losses of log 2 add up to 69314.7, beyond
    # float16's range, and not to inf
    losses = 0.0 - np.log(chosen.astype(np.float64))
    weights = None
    if sample_weight is not None:
        weights = as_finite_array(sample_weight, "sample_weight", min_ndim=1)
        check_same_shape(weights, losses, "sample_weight", "y_true")
        if normalize and weights.sum() == 0:
            raise ValueError("sample_weight sums to zero, so the weighted mean is undefined")
    if normalize:
        return float(np.average(losses, weights=weights))
    return float(losses.sum() if weights is None else np.dot(losses, weights))
