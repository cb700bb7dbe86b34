"""The cross-entropy losses of Keras 3, in float64 NumPy, loud where Keras is silent.

Each loss takes the arguments and defaults of the Keras function of the same name and
returns what that function returns before reduction: one loss per sample, with ``axis``
removed. :func:`reduce_loss` then turns them into one number the way a ``keras.losses``
object does, so these two lines agree (to float32 precision, in which Keras computes)::

    keras.losses.BinaryCrossentropy(reduction="sum")(y, p, sample_weight=w)
    reduce_loss(binary_crossentropy(y, p), sample_weight=w, reduction="sum")

Conventions
-----------
* Everything is computed in float64. Keras's float32 clip puts ``1 - 1e-7`` at
  ``1 - 2**-23``, so where a probability of exactly 1 meets a target below 1 Keras charges
  ``23 log 2 ≈ 15.94`` nats, and xent ``7 log 10 ≈ 16.12``.
* Probabilities are clipped to ``[EPSILON, 1 - EPSILON]`` before the logarithm, as Keras
  does, so a certain and wrong prediction costs ``-log(1e-7) ≈ 16.12`` nats, not ``inf``.
* Logits never become probabilities on the way to the loss: the log-probabilities come
  from :func:`~xent.logistic.log_sigmoid` and :func:`~xent.logistic.log_softmax`, which are
  exact for any finite logit (``binary_crossentropy([1], [-1e4], from_logits=True)`` is
  1e4).
* Label smoothing moves the targets towards the uniform distribution over ``C`` classes,
  ``y <- (1 - label_smoothing) y + label_smoothing / C``, with ``C = 2`` for binary losses.

Where xent deliberately differs from Keras 3.15
-----------------------------------------------
* Inputs Keras silently turns into a number are errors here: labels out of range
  (Keras gives a loss of 0 for ``-1``), fractional labels (Keras truncates 1.7 to 1),
  probabilities outside [0, 1] (usually logits passed without ``from_logits=True``),
  targets that are not probabilities, predicted rows of zeros or a single class, NaN,
  infinity, empty input, mismatched shapes, and a ``sample_weight`` that NumPy would
  line up with the last axes of the losses rather than the first.
* ``label_smoothing`` counts the classes along ``axis``; Keras always counts the last axis.
* ``sparse_categorical_crossentropy`` accepts any ``axis``; Keras's JAX backend raises
  unless the classes are on the last axis.
* The focal losses take the stable path for logits too; Keras computes ``sigmoid`` or
  ``softmax`` first and clips, which caps each element's cross-entropy near 16.1.
* ``"mean_with_sample_weight"`` divides by the sum of the weights broadcast to the losses
  (a weighted mean); Keras divides by the sum of ``sample_weight`` as passed, so a single
  weight gives the *sum* of the losses.
* A mean over nothing (every entry masked, or weights summing to zero) is an error; Keras
  returns 0.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.logistic import (
    _log_softmax_rows,
    _nll_rows,
    _softmax_rows,
    bce_with_logits_kernel,
    sigmoid_kernel,
)
from xent.rows import (
    as_rows,
    one_hot_pick,
    one_hot_rows,
    row_blocks,
    row_statistics,
    row_sums,
    value_range,
)
from xent.validation import (
    SUM_TOLERANCE,
    Result,
    as_distribution,
    as_finite_array,
    as_float_array,
    as_probabilities,
    axis_or_none,
    check_axis,
    check_same_shape,
    clearly_distributions,
    clearly_sum_to_one,
    to_result,
    warn,
)

__all__ = [
    "EPSILON",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "reduce_loss",
    "smooth_labels",
    "sparse_categorical_crossentropy",
]

FloatArray = NDArray[np.float64]

EPSILON = 1e-7
"""Keras's fuzz factor (``keras.config.epsilon()``): probabilities are clipped to
``[EPSILON, 1 - EPSILON]`` before their logarithm is taken."""

_REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


# --- shared steps ---------------------------------------------------------------------------


def _checked_number(value: float, name: str, low: float, high: float = np.inf) -> float:
    """``value`` as a float, after checking it is a finite real number in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not (np.isfinite(value) and low <= value <= high):
        wanted = f"in [{low:g}, {high:g}]" if np.isfinite(high) else f"at least {low:g}"
        raise ValueError(f"{name} must be a finite number {wanted}, got {value!r}")
    return float(value)


def _checked_predictions(y_pred: ArrayLike, from_logits: bool) -> FloatArray:
    """``y_pred`` as finite logits, or as probabilities with a hint for passed logits."""
    if not from_logits:
        array = as_float_array(y_pred, "y_pred", min_ndim=1)
        lowest, highest = value_range(array)
        if lowest >= 0.0 and highest <= 1.0:  # one pass; NaN fails both comparisons
            return array
    array = as_finite_array(y_pred, "y_pred", min_ndim=1)
    if not from_logits:
        outside = array[(array < 0.0) | (array > 1.0)]
        if outside.size:
            raise ValueError(
                f"y_pred has values outside [0, 1] (for example {outside[0]:g}); "
                "did you pass logits? use from_logits=True"
            )
    return array


def _smoothed(targets: FloatArray, label_smoothing: float, n_classes: int) -> FloatArray:
    """``(1 - ls) * targets + ls / n_classes``: targets pulled towards the uniform distribution."""
    smoothing = _checked_number(label_smoothing, "label_smoothing", 0.0, 1.0)
    if smoothing == 0.0:
        return targets  # (1 - 0) * y + 0 is y
    return targets * (1.0 - smoothing) + smoothing / n_classes


def smooth_labels(y_true: ArrayLike, label_smoothing: float, n_classes: int) -> Result:
    r"""The targets that the ``label_smoothing`` option of the Keras losses trains against.

    .. math:: y \leftarrow (1 - \varepsilon)\, y + \varepsilon / C

    for ``C`` classes: ``C = 2`` for the binary losses, the length of ``axis`` for the
    categorical ones.

    Raises
    ------
    ValueError
        If ``y_true`` leaves [0, 1], ``label_smoothing`` is outside [0, 1], or ``n_classes``
        is not a positive integer.

    Examples
    --------
    >>> smooth_labels([1.0, 0.0], 0.1, 2)
    array([0.95, 0.05])
    >>> smooth_labels([0.0, 1.0, 0.0], 0.3, 3)
    array([0.1, 0.8, 0.1])
    """
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral) or n_classes < 1:
        raise ValueError(f"n_classes must be a positive integer, got {n_classes!r}")
    targets = as_probabilities(y_true, "y_true")
    return to_result(_smoothed(targets, label_smoothing, int(n_classes)))


class _BinaryTerms(NamedTuple):
    """The element-wise pieces of the binary losses, before the mean over ``axis``."""

    targets: FloatArray  # smoothed y
    cross_entropy: FloatArray  # -y log p - (1 - y) log(1 - p)
    miss: FloatArray | None  # 1 - p_t = y (1 - p) + (1 - y) p, with p unclipped (focal only)
    axis: int


def _binary_terms(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    from_logits: bool,
    label_smoothing: float,
    axis: int,
    with_miss: bool = False,
) -> _BinaryTerms:
    """Checked, smoothed targets and the element-wise terms, from probabilities or logits.

    From logits the cross-entropy is :func:`~xent.logistic.bce_with_logits_kernel`'s
    ``log(1 + e^{-|z|}) + y max(-z, 0) + (1 - y) max(z, 0)``, which equals
    ``-y log_sigmoid(z) - (1 - y) log_sigmoid(-z)`` with only non-negative terms.
    """
    predictions = _checked_predictions(y_pred, from_logits)
    targets = as_probabilities(y_true, "y_true")
    check_same_shape(targets, predictions, "y_true", "y_pred")
    axis = check_axis(predictions, axis, "y_pred")
    targets = _smoothed(targets, label_smoothing, 2)
    miss = None
    with np.errstate(under="ignore"):  # products of tiny probabilities may be subnormal
        if from_logits:
            cross_entropy = bce_with_logits_kernel(targets, predictions)
            if with_miss:
                p, q = sigmoid_kernel(predictions), sigmoid_kernel(-predictions)
                miss = targets * q + (1.0 - targets) * p
        else:
            clipped = np.clip(predictions, EPSILON, 1.0 - EPSILON)
            log_p, log_q = np.log(clipped), np.log1p(-clipped)
            cross_entropy = 0.0 - (targets * log_p + (1.0 - targets) * log_q)
            if with_miss:
                miss = targets * (1.0 - predictions) + (1.0 - targets) * predictions
    return _BinaryTerms(targets=targets, cross_entropy=cross_entropy, miss=miss, axis=axis)


def _checked_class_predictions(
    y_pred: ArrayLike, from_logits: bool, axis: int
) -> tuple[FloatArray, int, FloatArray | None]:
    """``y_pred`` checked as logits or probabilities with at least two classes along
    ``axis``; for probabilities also their sums along ``axis`` (see :func:`_prediction_sums`).
    """
    if not from_logits:
        quick = _quick_class_probabilities(y_pred, axis)
        if quick is not None:
            return quick
    predictions = _checked_predictions(y_pred, from_logits)
    axis = check_axis(predictions, axis, "y_pred")
    if predictions.shape[axis] < 2:
        raise ValueError(
            f"y_pred has a single class along axis {axis} (shape {predictions.shape}); "
            "for one probability per sample use binary_crossentropy"
        )
    sums = None if from_logits else _prediction_sums(predictions, axis)
    return predictions, axis, sums


def _quick_class_probabilities(
    y_pred: ArrayLike, axis: int
) -> tuple[FloatArray, int, FloatArray] | None:
    """The result of :func:`_checked_class_predictions` for probabilities that pass every
    check, from one pass over them (:func:`~xent.rows.row_statistics`); None if any
    check fails or is too close to call, and the checks then run one by one."""
    array = as_float_array(y_pred, "y_pred", min_ndim=1)
    index = axis_or_none(array, axis, min_length=2)
    if index is None:
        return None
    sums, lowest, highest = row_statistics(array, index)
    if not clearly_distributions(sums, lowest, highest):
        return None
    return array, index, np.expand_dims(sums, index)


def _structure_and_axis(y_pred: ArrayLike, axis: int) -> tuple[FloatArray, int] | None:
    """``y_pred`` as a float64 array and ``axis`` as an index, if the axis holds at least two
    classes; None otherwise. NaN and infinity are left to the kernel to find, which then
    hands over to the full checks (so the errors come in the documented order)."""
    predictions = as_float_array(y_pred, "y_pred", min_ndim=1)
    index = axis_or_none(predictions, axis, min_length=2)
    return None if index is None else (predictions, index)


def _quick_one_hot_categorical(
    y_true: ArrayLike, y_pred: ArrayLike, from_logits: bool, axis: int
) -> FloatArray | None:
    """:func:`categorical_crossentropy` (without label smoothing) of one-hot targets, which
    need one log-probability per row, when every check passes; None when anything is amiss
    (or the targets are soft), and the checks then run one by one, in their order.

    Logits go to the negative log-likelihood kernel, which reports NaN and infinity itself.
    Probabilities are checked, and the ones at the targets' classes picked, in one pass over
    both arrays (:func:`~xent.rows.one_hot_pick`).
    """
    structure = _structure_and_axis(y_pred, axis)
    if structure is None:
        return None
    predictions, axis = structure
    batch_shape = predictions.shape[:axis] + predictions.shape[axis + 1 :]
    if from_logits:
        one_hot = one_hot_rows(y_true, predictions.shape, axis, tolerance=SUM_TOLERANCE)
        if one_hot is None:
            return None
        rows, _ = as_rows(predictions, axis)
        with np.errstate(under="ignore", over="ignore", invalid="ignore"):
            losses = _nll_rows(rows, one_hot[0])
        if losses is None:  # NaN or infinity
            return None
        losses *= one_hot[1]
        return losses.reshape(batch_shape)
    picked = one_hot_pick(y_true, predictions, axis, tolerance=SUM_TOLERANCE)
    if picked is None:
        return None
    weights, chosen, sums, lowest, highest = picked
    if not clearly_distributions(sums, lowest, highest):
        return None  # (also rows of zeros, or rows to renormalise with a warning)
    chosen /= sums
    np.clip(chosen, EPSILON, 1.0 - EPSILON, out=chosen)
    np.log(chosen, out=chosen)
    chosen *= weights
    return np.subtract(0.0, chosen, out=chosen).reshape(batch_shape)


def _no_smoothing(label_smoothing: float) -> bool:
    """True for a label smoothing of exactly 0 (which :func:`_smoothed` accepts)."""
    return (
        isinstance(label_smoothing, numbers.Real)
        and not isinstance(label_smoothing, bool)
        and label_smoothing == 0
    )


def _prediction_sums(predictions: FloatArray, axis: int) -> FloatArray:
    """The sums of predicted probabilities along ``axis``, kept as a size-1 axis.

    Rows of zeros raise an error; rows that do not sum to 1 give a warning (Keras divides
    by the sums without a word, and so does the caller).
    """
    sums = np.expand_dims(row_sums(predictions, axis), axis)
    if not clearly_sum_to_one(sums):
        # A zero row, a row off by more than the tolerance, or one too close to call: decide
        # on NumPy's own sums, which the messages quote.
        sums = predictions.sum(axis=axis, keepdims=True)
        if (sums == 0.0).any():
            raise ValueError(
                f"y_pred has rows of zeros along axis {axis}; they are not distributions"
            )
        off = sums[np.abs(sums - 1.0) > SUM_TOLERANCE]
        if off.size:
            warn(
                f"y_pred's rows along axis {axis} do not all sum to 1 (one sums to {off[0]:g}); "
                "they are divided by their sums, as Keras does"
            )
    return sums


def _class_probabilities(
    y_pred: ArrayLike, from_logits: bool, axis: int
) -> tuple[FloatArray, FloatArray, FloatArray, int]:
    """``log q``, ``q``, ``1 - q`` and the class axis of the predictions along ``axis``.

    Logits go through the log-softmax and softmax kernels, and ``1 - q`` of a class holding
    more than half the probability is ``-expm1(log q)``, which keeps its digits as ``q``
    nears 1. Probabilities are divided by their sum along ``axis`` (with a warning when it
    is not 1) and clipped, as Keras does.
    """
    predictions, axis, sums = _checked_class_predictions(y_pred, from_logits, axis)
    with np.errstate(under="ignore", over="ignore"):
        if sums is None:
            rows, batch_shape = as_rows(predictions, axis)

            def laid_out(values: FloatArray) -> FloatArray:
                return np.moveaxis(values.reshape(*batch_shape, rows.shape[1]), -1, axis)

            log_q, q = laid_out(_log_softmax_rows(rows)), laid_out(_softmax_rows(rows))
            return log_q, q, np.where(q > 0.5, -np.expm1(log_q), 1.0 - q), axis
        clipped = np.clip(predictions / sums, EPSILON, 1.0 - EPSILON)
        return np.log(clipped), clipped, 1.0 - clipped, axis


def _class_targets(
    y_true: ArrayLike, predictions: FloatArray, axis: int, label_smoothing: float
) -> FloatArray:
    """``y_true`` checked as distributions shaped like ``y_pred``, then smoothed."""
    targets, _ = as_distribution(y_true, "y_true", axis=axis)
    check_same_shape(targets, predictions, "y_true", "y_pred")
    return _smoothed(targets, label_smoothing, predictions.shape[axis])


def _categorical_rows(
    targets: FloatArray, predictions: FloatArray, sums: FloatArray | None
) -> FloatArray:
    """``-sum_k y_k log q_k`` for each row of targets and logits (``sums`` None) or of
    probabilities with their row ``sums``, a block of rows at a time."""
    n_rows, n_columns = targets.shape
    losses = np.empty(n_rows)
    for rows in row_blocks(n_rows, n_columns):
        z = predictions[rows]
        if sums is None:
            log_q = _log_softmax_rows(z)
        else:
            log_q = np.log(np.clip(z / sums[rows, np.newaxis], EPSILON, 1.0 - EPSILON))
        log_q *= targets[rows]
        losses[rows] = 0.0 - row_sums(log_q, 1)
    return losses


def _checked_nll(rows: FloatArray, labels: NDArray[np.intp]) -> FloatArray:
    """:func:`~xent.logistic._nll_rows` of logits already checked to be finite."""
    losses = _nll_rows(rows, labels)
    assert losses is not None, "the logits were checked"
    return losses


def _quick_integer_labels(
    y_true: ArrayLike, shape: tuple[int, ...], axis: int, ignore_class: int | None
) -> tuple[NDArray[np.intp], NDArray[np.bool_] | None] | None:
    """Labels of an integer array already in range: two passes (its smallest and largest
    entry) instead of :func:`_class_labels`'s float conversion and checks; else None.

    The mask is None when every label counts.
    """
    if not isinstance(y_true, np.ndarray) or y_true.dtype.kind not in "iu" or y_true.size == 0:
        return None
    labels = y_true
    if labels.ndim == len(shape) and labels.shape[axis] == 1:
        labels = np.squeeze(labels, axis=axis)
    if labels.shape != shape[:axis] + shape[axis + 1 :]:
        return None
    valid = None if ignore_class is None else labels != ignore_class
    counted = labels if valid is None else labels[valid]
    if counted.size and not (counted.min() >= 0 and counted.max() < shape[axis]):
        return None
    if valid is not None:
        labels = np.where(valid, labels, 0)
    return labels.astype(np.intp, copy=False), valid


def _class_labels(
    y_true: ArrayLike, shape: tuple[int, ...], axis: int, ignore_class: int | None
) -> tuple[NDArray[np.intp], NDArray[np.bool_] | None]:
    """Integer labels (0 where ignored) and the mask of labels that count."""
    if ignore_class is not None and (
        isinstance(ignore_class, bool) or not isinstance(ignore_class, numbers.Integral)
    ):
        raise TypeError(f"ignore_class must be an integer or None, got {ignore_class!r}")
    quick = _quick_integer_labels(y_true, shape, axis, ignore_class)
    if quick is not None:
        return quick
    labels = as_finite_array(y_true, "y_true")
    if labels.ndim == len(shape) and labels.shape[axis] == 1:
        labels = np.squeeze(labels, axis=axis)
    expected = shape[:axis] + shape[axis + 1 :]
    if labels.shape != expected:
        raise ValueError(
            f"y_true must have shape {expected} (y_pred's shape without axis {axis}), "
            f"got {labels.shape}"
        )
    fractional = labels != np.floor(labels)
    if fractional.any():
        raise ValueError(
            f"y_true must hold integer class labels, got {labels[fractional][0]:g} "
            "(Keras would truncate it)"
        )
    valid = labels != ignore_class if ignore_class is not None else np.ones(expected, bool)
    outside = valid & ((labels < 0) | (labels >= shape[axis]))
    if outside.any():
        raise ValueError(
            f"y_true has labels outside 0..{shape[axis] - 1} (for example "
            f"{labels[outside][0]:g}); Keras would give them a loss of 0 without a word. "
            "To leave a label out of the loss, pass ignore_class"
        )
    return np.where(valid, labels, 0).astype(np.intp), valid


# --- the losses -----------------------------------------------------------------------------


def binary_crossentropy(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Result:
    r"""Binary cross-entropy, averaged over ``axis``, as ``keras.losses.binary_crossentropy``.

    .. math:: \ell = -\operatorname{mean}_{\text{axis}}
              \left[ y \log \hat p + (1 - y) \log(1 - \hat p) \right]

    ``y_true`` holds targets in [0, 1] (hard 0/1 labels or soft ones), smoothed to
    ``y (1 - label_smoothing) + label_smoothing / 2``. With probabilities, ``p̂`` is clipped
    to ``[1e-7, 1 - 1e-7]``; with ``from_logits=True`` the logarithms are
    ``log_sigmoid(±z)``, exact for any finite logit.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If the shapes differ, an input is empty or holds NaN or infinity, ``y_true`` leaves
        [0, 1], ``y_pred`` leaves [0, 1] without ``from_logits=True``, ``label_smoothing``
        is outside [0, 1], or ``axis`` is out of range.

    Examples
    --------
    >>> binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    array([0.91629073, 0.71355818])
    >>> binary_crossentropy([1.0], [-1e4], from_logits=True)
    10000.0
    """
    terms = _binary_terms(y_true, y_pred, from_logits, label_smoothing, axis)
    return to_result(terms.cross_entropy.mean(axis=terms.axis))


def binary_focal_crossentropy(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Result:
    r"""Binary focal cross-entropy (Lin et al. 2018), as ``keras.losses.binary_focal_crossentropy``.

    .. math:: \ell = \operatorname{mean}_{\text{axis}}
              \left[ w \, (1 - p_t)^\gamma \, \mathrm{BCE}(y, \hat p) \right],
              \qquad 1 - p_t = y (1 - \hat p) + (1 - y) \hat p

    where BCE is the element-wise term of :func:`binary_crossentropy` (same smoothing,
    clipping and logits), and ``w = y alpha + (1 - y)(1 - alpha)`` with
    ``apply_class_balancing=True``, else 1. The focal factor uses the unclipped ``p̂`` (as
    Keras does); ``gamma=0`` without balancing gives :func:`binary_crossentropy`.

    Raises
    ------
    ValueError
        As :func:`binary_crossentropy`, and if ``alpha`` is outside [0, 1] or ``gamma``
        is negative.

    Examples
    --------
    >>> binary_focal_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    array([0.32986466, 0.20579838])
    """
    balance = _checked_number(alpha, "alpha", 0.0, 1.0)
    focus = _checked_number(gamma, "gamma", 0.0)
    terms = _binary_terms(y_true, y_pred, from_logits, label_smoothing, axis, with_miss=True)
    assert terms.miss is not None
    with np.errstate(under="ignore"):
        losses = terms.miss**focus * terms.cross_entropy
        if apply_class_balancing:
            losses = (terms.targets * balance + (1.0 - terms.targets) * (1.0 - balance)) * losses
    return to_result(losses.mean(axis=terms.axis))


def categorical_crossentropy(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Result:
    r"""Categorical cross-entropy along ``axis``, as ``keras.losses.categorical_crossentropy``.

    .. math:: \ell = -\sum_{k} y_k \log \hat p_k

    ``y_true`` holds distributions along ``axis`` (one-hot or soft), smoothed to
    ``y (1 - label_smoothing) + label_smoothing / C`` for ``C`` classes along ``axis``.
    With probabilities, each row of ``y_pred`` is divided by its sum (with a warning when
    that is not 1, as in Keras, which renormalises silently) and clipped to
    ``[1e-7, 1 - 1e-7]``; with ``from_logits=True``, ``log p̂ = log_softmax(z)``.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If the shapes differ, an input is empty or holds NaN or infinity, ``y_true`` is not
        a distribution along ``axis``, ``y_pred`` leaves [0, 1] without
        ``from_logits=True`` or has a row of zeros or a single class, ``label_smoothing``
        is outside [0, 1], or ``axis`` is out of range.

    Examples
    --------
    >>> categorical_crossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    array([0.05129329, 2.30258509])
    """
    if _no_smoothing(label_smoothing):
        quick = _quick_one_hot_categorical(y_true, y_pred, from_logits, axis)
        if quick is not None:
            return to_result(quick)
    predictions, axis, sums = _checked_class_predictions(y_pred, from_logits, axis)
    targets = _class_targets(y_true, predictions, axis, label_smoothing)
    prediction_rows, batch_shape = as_rows(predictions, axis)
    target_rows, _ = as_rows(targets, axis)
    with np.errstate(under="ignore", over="ignore"):  # exp(-800) = 0; overflows are handled
        losses = _categorical_rows(
            target_rows, prediction_rows, None if sums is None else sums.reshape(-1)
        )
    return to_result(losses.reshape(batch_shape))


def categorical_focal_crossentropy(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    alpha: ArrayLike = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Result:
    r"""Categorical focal cross-entropy, as ``keras.losses.categorical_focal_crossentropy``.

    .. math:: \ell = -\sum_{k} \alpha_k (1 - \hat p_k)^\gamma \, y_k \log \hat p_k

    with the targets, renormalisation, clipping and logits of
    :func:`categorical_crossentropy`. The focal factor uses the clipped probabilities (as
    Keras does), or ``softmax(z)`` for logits. ``alpha`` is one number or one weight per
    class along ``axis``.

    Raises
    ------
    ValueError
        As :func:`categorical_crossentropy`, and if ``alpha`` is negative or has the wrong
        length, or ``gamma`` is negative.

    Examples
    --------
    >>> y_true, y_pred = [[0, 1, 0], [0, 0, 1]], [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]]
    >>> categorical_focal_crossentropy(y_true, y_pred)
    array([2.63401289e-04, 6.75912094e-01])
    """
    focus = _checked_number(gamma, "gamma", 0.0)
    log_q, q, one_minus_q, axis = _class_probabilities(y_pred, from_logits, axis)
    targets = _class_targets(y_true, log_q, axis, label_smoothing)
    weights = as_finite_array(alpha, "alpha")
    if weights.ndim > 1 or weights.size not in (1, q.shape[axis]) or (weights < 0).any():
        raise ValueError(
            f"alpha must be one non-negative number or one per class ({q.shape[axis]} along "
            f"axis {axis}), got {weights.tolist()}"
        )
    weights = weights.reshape([-1 if dim == axis else 1 for dim in range(q.ndim)])
    with np.errstate(under="ignore"):
        terms = weights * one_minus_q**focus * targets * log_q
    return to_result(0.0 - terms.sum(axis=axis))


def sparse_categorical_crossentropy(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    from_logits: bool = False,
    ignore_class: int | None = None,
    axis: int = -1,
) -> Result:
    r"""Cross-entropy of integer class labels, as ``keras.losses.sparse_categorical_crossentropy``.

    .. math:: \ell = -\log \hat p_{y}

    ``y_true`` holds class indices ``0 .. C-1`` (integers, or floats with no fractional
    part), shaped like ``y_pred`` without ``axis`` (a size-1 ``axis`` is also accepted).
    ``y_pred`` is treated as in :func:`categorical_crossentropy`. There is no label
    smoothing, as in Keras.

    Entries whose label equals ``ignore_class`` get a loss of 0. Keras then averages over
    the *other* entries only; to do the same, pass the mask to :func:`reduce_loss`::

        losses = sparse_categorical_crossentropy(labels, y_pred, ignore_class=255)
        reduce_loss(losses, mask=np.asarray(labels) != 255)

    Raises
    ------
    TypeError
        If an input is not numeric or ``ignore_class`` is not an integer.
    ValueError
        If a label has a fractional part or lies outside ``0 .. C-1`` (unless it is
        ``ignore_class``), ``y_true`` has the wrong shape, or ``y_pred`` fails the checks
        of :func:`categorical_crossentropy`.

    Examples
    --------
    >>> y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
    >>> sparse_categorical_crossentropy([1, 2], y_pred)
    array([0.05129329, 2.30258509])
    >>> losses = sparse_categorical_crossentropy([1, -1], y_pred, ignore_class=-1)
    >>> losses
    array([0.05129329, 0.        ])
    >>> reduce_loss(losses, mask=np.array([1, -1]) != -1)
    0.05129329438755058
    """
    if from_logits and (
        ignore_class is None
        or (isinstance(ignore_class, numbers.Integral) and not isinstance(ignore_class, bool))
    ):
        quick = _structure_and_axis(y_pred, axis)
        labelled = quick and _quick_integer_labels(y_true, quick[0].shape, quick[1], ignore_class)
        if quick and labelled:
            rows, batch_shape = as_rows(*quick)
            with np.errstate(under="ignore", over="ignore", invalid="ignore"):
                nll = _nll_rows(rows, labelled[0].reshape(-1))
            if nll is not None:  # None: NaN or infinity, for the checks below to report
                losses = nll.reshape(batch_shape)
                mask = labelled[1]
                return to_result(losses if mask is None else np.where(mask, losses, 0.0))
    predictions, axis, sums = _checked_class_predictions(y_pred, from_logits, axis)
    labels, valid = _class_labels(y_true, predictions.shape, axis, ignore_class)
    rows, batch_shape = as_rows(predictions, axis)
    with np.errstate(under="ignore", over="ignore"):  # exp(-800) = 0; overflows are handled
        if sums is None:
            losses = _checked_nll(rows, labels.reshape(-1))
        else:
            chosen = rows[np.arange(rows.shape[0]), labels.reshape(-1)] / sums.reshape(-1)
            losses = 0.0 - np.log(np.clip(chosen, EPSILON, 1.0 - EPSILON))
    losses = losses.reshape(batch_shape)
    return to_result(losses if valid is None else np.where(valid, losses, 0.0))


# --- reduction ------------------------------------------------------------------------------


def _weights_like(losses: FloatArray, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Losses and weights brought to one shape by Keras's rules, or a ValueError.

    As Keras's ``squeeze_or_expand_to_same_rank``: when the ranks differ by one and the
    longer array ends in a size-1 axis, that axis is dropped (or, if the other array is
    1-D, added to it). After that the weights must be a single number or have the losses'
    rank and broadcast to their shape; Keras would also let NumPy's broadcasting align a
    lower-rank weight with the *last* axes, which silently weights time steps instead of
    samples when the two lengths happen to agree.
    """
    given = weights.shape
    if losses.ndim == weights.ndim + 1 and losses.shape[-1] == 1:
        if weights.ndim == 1:
            weights = weights[:, np.newaxis]
        else:
            losses = losses[..., 0]
    elif weights.ndim == losses.ndim + 1 and weights.shape[-1] == 1:
        if losses.ndim == 1:
            losses = losses[:, np.newaxis]
        else:
            weights = weights[..., 0]
    fits = weights.ndim == 0 or (
        weights.ndim == losses.ndim
        and all(w in (1, n) for w, n in zip(weights.shape, losses.shape, strict=True))
    )
    if not fits:
        raise ValueError(
            f"sample_weight of shape {given} does not fit losses of shape {losses.shape}: "
            "pass one weight per loss, one per sample (shape (batch, 1, ...)), or one number"
        )
    return losses, np.broadcast_to(weights, losses.shape)


def reduce_loss(
    values: ArrayLike,
    sample_weight: ArrayLike | None = None,
    reduction: str | None = "sum_over_batch_size",
    mask: ArrayLike | None = None,
) -> Result:
    r"""Reduce per-sample losses to one number, as a ``keras.losses`` object does.

    With weights ``w`` (``sample_weight`` broadcast to the losses, 1 if ``None``) and a mask
    ``m`` (1 where ``mask`` is true, 0 where false; all ones if ``None``):

    .. math::
        \texttt{"sum"}: \sum_i m_i w_i \ell_i, \qquad
        \texttt{"sum\_over\_batch\_size"} = \texttt{"mean"}:
            \frac{\sum_i m_i w_i \ell_i}{\sum_i m_i}, \qquad
        \texttt{"mean\_with\_sample\_weight"}:
            \frac{\sum_i m_i w_i \ell_i}{\sum_i m_i w_i}

    and ``None`` or ``"none"`` returns the weighted losses ``m w l`` unreduced. Note that
    ``"sum_over_batch_size"`` divides by the number of (unmasked) losses, not by the sum
    of the weights. ``sample_weight`` may be one number, one weight per loss, or one per
    sample with trailing size-1 axes (``(batch, 1)`` for losses of shape ``(batch, T)``);
    a trailing size-1 axis on one side only is dropped or added as Keras does.

    ``mask`` is a boolean array shaped like ``values`` that marks the losses that count;
    it is how the ``ignore_class`` of :func:`sparse_categorical_crossentropy` reaches the
    mean, as Keras's mask does.

    Raises
    ------
    TypeError
        If ``values`` or ``sample_weight`` is not numeric, or ``mask`` is not boolean.
    ValueError
        If ``reduction`` is unknown; ``values`` or ``sample_weight`` is empty or holds NaN or
        infinity; ``sample_weight`` or ``mask`` does not fit the losses; or a mean would
        divide by zero (every loss masked, or weights summing to zero), where Keras
        returns 0.

    Examples
    --------
    >>> losses, weights = [0.2, 0.4, 0.0], [1.0, 2.0, 1.0]
    >>> reduce_loss(losses, weights)  # (0.2 + 0.8 + 0) / 3 losses
    0.3333333333333333
    >>> reduce_loss(losses, weights, reduction="mean_with_sample_weight")  # ... / 4
    0.25
    >>> reduce_loss(losses, mask=[True, True, False])
    0.30000000000000004
    """
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {list(_REDUCTIONS)}, got {reduction!r}")
    losses = as_finite_array(values, "values")
    valid = np.ones(losses.shape, dtype=bool)
    if mask is not None:
        valid = np.asarray(mask)
        if valid.dtype != np.bool_:
            raise TypeError(
                f"mask must be a boolean array (True where a loss counts), got {valid.dtype}"
            )
        check_same_shape(valid, losses, "mask", "values")
    weights = np.ones_like(losses)
    if sample_weight is not None:
        losses, weights = _weights_like(losses, as_finite_array(sample_weight, "sample_weight"))
    weights = weights * valid.reshape(losses.shape)
    weighted = losses * weights
    if reduction in (None, "none"):
        return to_result(weighted)
    if reduction == "sum":
        return float(weighted.sum())
    if not valid.any():
        raise ValueError("mask is False everywhere: a mean over no losses is undefined")
    divisor = weights.sum() if reduction == "mean_with_sample_weight" else valid.sum()
    if divisor == 0:
        raise ValueError("sample_weight sums to zero over the losses that count: no mean")
    return float(weighted.sum() / divisor)
