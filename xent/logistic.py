"""From logits to probabilities to log loss: sigmoid, softmax and their stable logarithms.

Everything here is stable for any finite input: no overflow, no ``log(0)`` on the way,
no floating-point warnings. ``log_sigmoid(-1e4)`` is ``-1e4`` exactly, and a loss computed
from a logit stays accurate where computing the probability first would round it to 0 or 1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.validation import (
    Result,
    as_finite_array,
    as_probabilities,
    check_axis,
    check_same_shape,
    to_result,
    warn,
)

__all__ = [
    "binary_cross_entropy_with_logits",
    "log_loss",
    "logit",
    "log_sigmoid",
    "log_softmax",
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
    small = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0, small) / (1.0 + small)


def logit(p: ArrayLike) -> Result:
    r"""The log-odds of a probability, the inverse of :func:`sigmoid`.

    .. math:: \operatorname{logit}(p) = \log \frac{p}{1 - p} = \log p - \log(1 - p)

    ``logit(0) == -inf`` and ``logit(1) == inf``, returned without warnings.

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
    probabilities = as_probabilities(p, "p")
    with np.errstate(divide="ignore"):
        return to_result(np.log(probabilities) - np.log1p(-probabilities))


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
    return to_result(np.minimum(logits, 0.0) - np.log1p(np.exp(-np.abs(logits))))


def _checked_axis_logits(z: ArrayLike, axis: int) -> tuple[FloatArray, int]:
    logits = as_finite_array(z, "z", min_ndim=1)
    return logits, check_axis(logits, axis, "z")


def _shifted_log_normaliser(logits: FloatArray, axis: int) -> tuple[FloatArray, FloatArray]:
    """``z - max(z)`` and ``log(sum(exp(z - max(z))))`` along ``axis``, accurately.

    The largest logit contributes ``exp(0) = 1`` to the sum; adding up the *other* terms
    and taking ``log1p`` of them keeps full relative accuracy when they are tiny.
    """
    top = np.argmax(logits, axis=axis, keepdims=True)
    shifted = logits - np.take_along_axis(logits, top, axis=axis)
    others = np.exp(shifted)
    np.put_along_axis(others, top, 0.0, axis=axis)
    return shifted, np.log1p(others.sum(axis=axis, keepdims=True))


def log_softmax(z: ArrayLike, *, axis: int = -1) -> FloatArray:
    r"""Log-probabilities of the softmax of ``z`` along ``axis``, computed stably.

    .. math:: \log \operatorname{softmax}(z)_k = (z_k - m) - \log \sum_j e^{z_j - m},
              \qquad m = \max_j z_j

    Examples
    --------
    >>> log_softmax([0.0, 0.0])
    array([-0.69314718, -0.69314718])
    >>> log_softmax([1000.0, 0.0])
    array([    0., -1000.])
    """
    logits, axis = _checked_axis_logits(z, axis)
    shifted, log_normaliser = _shifted_log_normaliser(logits, axis)
    return shifted - log_normaliser


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
    shifted, log_normaliser = _shifted_log_normaliser(logits, axis)
    return np.exp(shifted - log_normaliser)


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
    logits = as_finite_array(z, "z")
    check_same_shape(targets, logits, "y_true", "z")
    return to_result(bce_with_logits_kernel(targets, logits))


def bce_with_logits_kernel(y: FloatArray, z: FloatArray) -> FloatArray:
    """:func:`binary_cross_entropy_with_logits` without input checks."""
    softplus = np.log1p(np.exp(-np.abs(z)))
    return softplus + y * np.maximum(-z, 0.0) + (1.0 - y) * np.maximum(z, 0.0)


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
