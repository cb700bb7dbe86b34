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
  does on its JAX and NumPy backends, so a certain and wrong prediction costs
  ``-log(1e-7) ≈ 16.12`` nats, not ``inf``. (On TensorFlow, a ``softmax`` or ``sigmoid``
  output carries its logits, and Keras uses those instead of the clipped probabilities.)
* Logits never become probabilities on the way to the loss: the log-probabilities come
  from :func:`~xent.logistic.log_sigmoid` and :func:`~xent.logistic.log_softmax`, which are
  exact for any finite logit (``binary_crossentropy([1], [-1e4], from_logits=True)`` is
  1e4).
* Label smoothing moves the targets towards the uniform distribution over ``C`` classes,
  ``y <- (1 - label_smoothing) y + label_smoothing / C``, with ``C = 2`` for binary losses.

Where xent deliberately differs from Keras 3.15
-----------------------------------------------
* Inputs Keras silently turns into a number are errors here: labels out of range
  (Keras on JAX gives a loss of 0 for ``-1``; on TensorFlow the CPU kernel raises and the
  GPU one gives NaN), fractional labels (Keras truncates 1.7 to 1),
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

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.arithmetic import row_dots, row_sums, total
from xent.fast import label_losses_from_logits
from xent.logistic import (
    binary_cross_entropy_with_logits,
    log_normalize,
    log_softmax_parts,
    sigmoid,
)
from xent.validation import (
    sum_tolerance,
    FloatArray,
    Result,
    as_distribution,
    as_finite_array,
    as_float_array,
    as_probabilities,
    check_axis,
    check_flag,
    check_integer,
    check_real,
    check_same_shape,
    to_result,
    value_range,
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

EPSILON = 1e-7
"""Keras's fuzz factor (``keras.config.epsilon()``): probabilities are clipped to
``[EPSILON, 1 - EPSILON]`` before their logarithm is taken."""

_LOG_CLIP = (float(np.log(EPSILON)), float(np.log1p(-EPSILON)))
"""The clip on probabilities as a clip on their logarithms: ``log`` is increasing, so
``log(clip(q, eps, 1 - eps)) == clip(log q, log eps, log(1 - eps))``."""

_REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


# --- shared steps ---------------------------------------------------------------------------


def _checked_predictions(y_pred: ArrayLike, from_logits: object) -> FloatArray:
    """``y_pred`` as finite logits, or as probabilities with a hint for passed logits."""
    if check_flag(from_logits, "from_logits"):
        return as_finite_array(y_pred, "y_pred", min_ndim=1)
    predictions = as_finite_array(y_pred, "y_pred", min_ndim=1)
    lowest, highest = value_range(predictions)
    if lowest < 0.0 or highest > 1.0:
        outside = predictions[(predictions < 0.0) | (predictions > 1.0)]
        raise ValueError(
            f"y_pred has values outside [0, 1] (for example {outside[0]:g}); "
            "did you pass logits? use from_logits=True"
        )
    return predictions


def _smoothed(targets: FloatArray, label_smoothing: object, n_classes: int) -> FloatArray:
    """``(1 - ls) * targets + ls / n_classes``: targets pulled towards the uniform distribution."""
    smoothing = check_real(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    if smoothing == 0.0:
        return targets  # (1 - 0) * y + 0 is y
    return targets * (1.0 - smoothing) + smoothing / n_classes


def _expected(targets: FloatArray, values: FloatArray, axis: int) -> FloatArray:
    """``sum_k y_k v_k`` along ``axis``, with ``0 * inf = 0``, each row on its own."""
    return row_dots(np.moveaxis(targets, axis, -1), np.moveaxis(values, axis, -1))


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
    classes = check_integer(n_classes, "n_classes", low=1)
    targets = as_probabilities(y_true, "y_true")
    return to_result(_smoothed(targets, label_smoothing, classes))


def _binary_inputs(
    y_true: ArrayLike, y_pred: ArrayLike, from_logits: object, label_smoothing: object, axis: int
) -> tuple[FloatArray, FloatArray, int]:
    """Checked, smoothed targets, checked predictions and the axis to average over."""
    predictions = _checked_predictions(y_pred, from_logits)
    targets = as_probabilities(y_true, "y_true")
    check_same_shape(targets, predictions, "y_true", "y_pred")
    axis = check_axis(predictions, axis, "y_pred")
    return _smoothed(targets, label_smoothing, 2), predictions, axis


def _binary_cross_entropy(
    targets: FloatArray, predictions: FloatArray, from_logits: object
) -> FloatArray:
    """``-y log p - (1 - y) log(1 - p)`` element by element, from logits or clipped probabilities."""
    if from_logits:
        return np.asarray(binary_cross_entropy_with_logits(targets, predictions))
    clipped = np.clip(predictions, EPSILON, 1.0 - EPSILON)
    return 0.0 - (targets * np.log(clipped) + (1.0 - targets) * np.log1p(-clipped))


def _class_predictions(y_pred: ArrayLike, from_logits: object, axis: int) -> tuple[FloatArray, int]:
    """``y_pred`` checked as logits or probabilities of at least two classes along ``axis``,
    and the axis as an index. Probabilities are checked to sum to 1 along it, with a
    warning where they do not (they are then divided by their sums, as Keras does silently).
    """
    predictions = _checked_predictions(y_pred, from_logits)
    axis = check_axis(predictions, axis, "y_pred")
    if predictions.shape[axis] < 2:
        raise ValueError(
            f"y_pred has a single class along axis {axis} (shape {predictions.shape}); "
            "for one probability per sample use binary_crossentropy"
        )
    if not from_logits:
        sums = row_sums(np.moveaxis(predictions, axis, -1))
        if (sums == 0.0).any():
            raise ValueError(
                f"y_pred has rows of zeros along axis {axis}; they are not distributions"
            )
        tolerance = sum_tolerance(predictions.shape[axis], getattr(y_pred, "dtype", np.float64))
        off = sums[np.abs(sums - 1.0) > tolerance]
        if off.size:
            warn(
                f"y_pred's rows along axis {axis} do not all sum to 1 (one sums to "
                f"{off[0]:g}); they are divided by their sums, as Keras does"
            )
    return predictions, axis


def _surprisals(predictions: FloatArray, from_logits: object, axis: int) -> FloatArray:
    """``-log q`` of every class along ``axis``.

    From logits, ``(m - z_k) + log(1 + others)`` (:func:`~xent.logistic.log_softmax_parts`),
    two non-negative parts. From probabilities, ``-log(q / sum(q))``
    (:func:`~xent.logistic.log_normalize`) with ``q / sum(q)`` clipped to
    ``[EPSILON, 1 - EPSILON]`` as Keras clips it.
    """
    if from_logits:
        shifted, normalizer = log_softmax_parts(predictions, axis=axis)
        return normalizer - shifted
    return 0.0 - np.clip(log_normalize(predictions, axis=axis), *_LOG_CLIP)


def _label_surprisals(
    predictions: FloatArray, labels: NDArray[np.intp], from_logits: object, axis: int
) -> FloatArray:
    """``-log q_y`` for the label ``y`` of each row along ``axis``: the same numbers as
    :func:`_surprisals` at the labels, without the others.

    From logits, the fast formula of :func:`xent.fast.label_losses_from_logits` for the rows
    where it is exact, and the stable one for the rest. From probabilities,
    ``-log(q_y / (q_y + others))``, with ``others`` the sum of the other classes': taken as
    ``-log1p(-others / sum)`` where ``q_y`` holds most of the row, so that a near-certain
    right prediction keeps its digits, then clipped as Keras clips.
    """
    rows = np.ascontiguousarray(np.moveaxis(predictions, axis, -1)).reshape(
        -1, predictions.shape[axis]
    )
    flat_labels = labels.reshape(-1)
    index = flat_labels[:, np.newaxis]
    if from_logits:
        losses, done = label_losses_from_logits(rows, flat_labels)
        if not done.all():
            rest = ~done
            shifted, normalizer = log_softmax_parts(rows[rest])
            picked = np.take_along_axis(shifted, index[rest], axis=1)
            losses[rest] = (normalizer - picked)[:, 0]
        return losses.reshape(labels.shape)
    own = np.take_along_axis(rows, index, axis=1)[:, 0]
    total = row_sums(rows)
    others = total - own  # accurate where q_y holds at most half of the row
    most = np.flatnonzero(own > others)
    if most.size:  # there, add up the others' probabilities without q_y instead
        without_label = rows[most]
        np.put_along_axis(without_label, index[most], 0.0, axis=1)
        others[most] = row_sums(without_label)
        total[most] = own[most] + others[most]
    with np.errstate(divide="ignore", under="ignore"):  # q_y = 0: -log 0 = inf, then clipped
        losses = np.where(own > others, -np.log1p(-others / total), -np.log(own / total))
    low, high = _LOG_CLIP
    return np.clip(losses, -high, -low).reshape(labels.shape)


def _one_hot_labels(targets: FloatArray, axis: int) -> tuple[NDArray[np.intp], FloatArray] | None:
    """The class and the weight of each one-hot target row along ``axis`` (a row with one
    nonzero entry); None if some row has more."""
    rows = np.ascontiguousarray(np.moveaxis(targets, axis, -1))
    positions = np.flatnonzero(rows)
    if positions.size * rows.shape[-1] != rows.size:  # rows sum to 1: none is all zeros
        return None
    batch = rows.shape[:-1]
    return (positions % rows.shape[-1]).reshape(batch), rows.reshape(-1)[positions].reshape(batch)


def _class_targets(
    y_true: ArrayLike, predictions: FloatArray, axis: int, label_smoothing: object
) -> FloatArray:
    """``y_true`` checked as distributions shaped like ``y_pred`` (the shape first), then smoothed."""
    check_same_shape(as_float_array(y_true, "y_true"), predictions, "y_true", "y_pred")
    targets, _ = as_distribution(y_true, "y_true", axis=axis)
    return _smoothed(targets, label_smoothing, predictions.shape[axis])


def _class_labels(
    y_true: ArrayLike, shape: tuple[int, ...], axis: int, ignore_class: object
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """Integer labels (0 where ignored) and the mask of the labels that count."""
    if ignore_class is not None:
        ignore_class = check_integer(ignore_class, "ignore_class", low=-(2**62))
    labels = as_finite_array(y_true, "y_true")
    if labels.ndim == len(shape) and labels.shape[axis] == 1:
        labels = np.squeeze(labels, axis=axis)
    expected = shape[:axis] + shape[axis + 1 :]
    if labels.shape != expected:
        raise ValueError(
            f"y_true must have shape {expected} (y_pred's shape without axis {axis}), "
            f"got shape {labels.shape}"
        )
    fractional = labels != np.floor(labels)
    if fractional.any():
        raise ValueError(
            f"y_true must hold integer class labels, got {labels[fractional][0]:g} "
            "(Keras would truncate it)"
        )
    counted = labels != ignore_class if ignore_class is not None else np.ones(expected, bool)
    outside = counted & ((labels < 0) | (labels >= shape[axis]))
    if outside.any():
        raise ValueError(
            f"y_true has labels outside 0..{shape[axis] - 1} (for example "
            f"{labels[outside][0]:g}); Keras on the JAX backend would give them a loss of 0 "
            "without a word (TensorFlow raises on CPU). To leave a label out of the loss, "
            "pass ignore_class"
        )
    return np.where(counted, labels, 0).astype(np.intp), counted


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
    targets, predictions, axis = _binary_inputs(y_true, y_pred, from_logits, label_smoothing, axis)
    cross_entropy = _binary_cross_entropy(targets, predictions, from_logits)
    return to_result(cross_entropy.mean(axis=axis))


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
    balanced = check_flag(apply_class_balancing, "apply_class_balancing")
    balance = check_real(alpha, "alpha", low=0.0, high=1.0)
    focus = check_real(gamma, "gamma", low=0.0)
    targets, predictions, axis = _binary_inputs(y_true, y_pred, from_logits, label_smoothing, axis)
    cross_entropy = _binary_cross_entropy(targets, predictions, from_logits)
    if from_logits:  # p and 1 - p, each from its own sigmoid, so neither loses digits
        p, one_minus_p = sigmoid(predictions), sigmoid(-predictions)
    else:
        p, one_minus_p = predictions, 1.0 - predictions
    with np.errstate(under="ignore"):  # products of tiny probabilities may be subnormal
        miss = targets * one_minus_p + (1.0 - targets) * p  # 1 - p_t
        losses = miss**focus * cross_entropy
        if balanced:
            losses = (targets * balance + (1.0 - targets) * (1.0 - balance)) * losses
    return to_result(losses.mean(axis=axis))


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
    predictions, axis = _class_predictions(y_pred, from_logits, axis)
    targets = _class_targets(y_true, predictions, axis, label_smoothing)
    one_hot = _one_hot_labels(targets, axis)
    if one_hot is not None:  # one class per row: only its surprisal is needed
        labels, weights = one_hot
        return to_result(weights * _label_surprisals(predictions, labels, from_logits, axis))
    return to_result(_expected(targets, _surprisals(predictions, from_logits, axis), axis))


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
    focus = check_real(gamma, "gamma", low=0.0)
    predictions, axis = _class_predictions(y_pred, from_logits, axis)
    log_q = 0.0 - _surprisals(predictions, from_logits, axis)
    targets = _class_targets(y_true, log_q, axis, label_smoothing)
    weights = as_finite_array(alpha, "alpha")
    n_classes = log_q.shape[axis]
    if weights.ndim > 1 or weights.size not in (1, n_classes) or (weights < 0).any():
        raise ValueError(
            f"alpha must be one non-negative number or one per class ({n_classes} along "
            f"axis {axis}), got {weights.tolist()}"
        )
    weights = weights.reshape([-1 if dim == axis else 1 for dim in range(log_q.ndim)])
    with np.errstate(under="ignore"):  # exp(-800) = 0, and tiny products may be subnormal
        q = np.exp(log_q)
        one_minus_q = np.where(q > 0.5, -np.expm1(log_q), 1.0 - q)  # keeps its digits at q -> 1
        focal = weights * one_minus_q**focus * log_q
    return to_result(0.0 - _expected(targets, focal, axis))


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
    0.051293294387550536
    """
    predictions, axis = _class_predictions(y_pred, from_logits, axis)
    labels, counted = _class_labels(y_true, predictions.shape, axis, ignore_class)
    losses = _label_surprisals(predictions, labels, from_logits, axis)
    return to_result(np.where(counted, losses, 0.0))


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
        \mathtt{sum} &: \sum_i m_i w_i \ell_i, \\
        \mathtt{sum\_over\_batch\_size} = \mathtt{mean} &:
            \frac{\sum_i m_i w_i \ell_i}{\sum_i m_i}, \\
        \mathtt{mean\_with\_sample\_weight} &:
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
    if not (reduction is None or isinstance(reduction, str)) or reduction not in _REDUCTIONS:
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
    with np.errstate(over="ignore", invalid="ignore"):  # a weight times 1e308 may be inf
        weighted = np.where(weights != 0.0, losses * weights, 0.0)
    if reduction in (None, "none"):
        return to_result(weighted)
    if reduction == "sum":
        return total(weighted)
    if not valid.any():
        raise ValueError("mask is False everywhere: a mean over no losses is undefined")
    divisor = weights.sum() if reduction == "mean_with_sample_weight" else valid.sum()
    if divisor == 0:
        raise ValueError("sample_weight sums to zero over the losses that count: no mean")
    return total(weighted, float(divisor))
