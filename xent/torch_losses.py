"""PyTorch's cross-entropy family, in float64 NumPy, loud where PyTorch is silent.

Each function takes the arguments and defaults of the function of the same name in
``torch.nn.functional`` and returns what it returns, with NumPy arrays in and out, so that::

    torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor(y), weight=torch.tensor(w))
    xent.torch_losses.cross_entropy(z, y, weight=w)

agree to float64 precision (``tests/test_torch_losses.py`` holds them to real PyTorch 2.13).
The module classes (``nn.CrossEntropyLoss`` and friends) call these functions.

Conventions
-----------
* PyTorch's layout: the classes lie on dimension 1 of ``input``, shape ``(N, C)`` or
  ``(N, C, d1, ...)`` (or ``(C,)`` for one sample); class-index targets have the input's
  shape without that dimension.
* ``reduction="mean"`` divides by PyTorch's divisor: for class-index targets the sum of the
  weights of the targets that are not ``ignore_index`` (their number without ``weight``); for
  class-probability targets the number of samples ``N d1 ...``, whatever the weights; for the
  binary losses and :func:`kl_div` the number of elements. ``"batchmean"`` divides by ``N``.
* Log-probabilities come from :func:`~xent.logistic.log_softmax` and
  :func:`~xent.logistic.log_sigmoid`, never from a probability, so extreme logits (1e4, 800)
  give exact losses. There PyTorch can lose digits: ``cross_entropy`` of a dominant logit
  gives 0 where the loss is ``log(1 + e^{-40}) ≈ 4e-18``, and
  ``binary_cross_entropy_with_logits`` computes ``(1 - y) z - log σ(z)``, which cancels
  for ``y = 0`` and ``z`` below about -20.

Where xent deliberately differs from PyTorch 2.13
--------------------------------------------------
PyTorch returns a number (often NaN, sometimes a negative "loss") for these; xent raises a
:class:`ValueError` or :class:`TypeError` that names the argument:

* a ``"mean"`` over nothing: every target equal to ``ignore_index``, or weights summing to 0;
* class-probability targets outside [0, 1] or not summing to one over the classes, and
  binary targets outside [0, 1] for ``binary_cross_entropy_with_logits``;
* negative ``weight`` or ``pos_weight``;
* ``nll_loss`` given rows that are not log-probabilities (their exponentials do not sum to
  one): usually logits, which belong in :func:`cross_entropy`;
* ``kl_div`` given a positive ``input`` (probabilities where log-probabilities belong);
* NaN or infinity anywhere.

Integer-valued float targets (``[1.0, 0.0]``) are accepted as class indices; PyTorch wants
an integer tensor.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.arithmetic import FloatArray, row_dots, total
from xent.logistic import log_sigmoid, log_softmax
from xent.validation import (
    Result,
    as_distribution,
    as_finite_array,
    as_probabilities,
    check_flag,
    check_integer,
    check_real,
    check_same_shape,
    sum_tolerance,
    to_result,
    warn,
)

__all__ = [
    "LOG_CLAMP",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "cross_entropy_gradient",
    "kl_div",
    "nll_loss",
]


LOG_CLAMP = -100.0
"""``binary_cross_entropy`` clamps each logarithm at this value, as PyTorch does, so a
certain and wrong prediction costs 100 nats instead of infinity."""

REDUCTIONS = ("none", "mean", "sum")

_LARGEST = 2**62
"""ignore_index may be any integer PyTorch would take (negative ones too)."""


# --- argument checks --------------------------------------------------------------------------


def _few(values: NDArray[np.float64]) -> str:
    """Up to three of ``values`` for an error message: ``3, -1``."""
    flat = np.ravel(values)
    return ", ".join(f"{v:g}" for v in flat[:3]) + (", ..." if flat.size > 3 else "")


def _check_reduction(reduction: str, allowed: tuple[str, ...] = REDUCTIONS) -> str:
    if not isinstance(reduction, str) or reduction not in allowed:
        raise ValueError(
            f"reduction must be one of {', '.join(map(repr, allowed))}, got {reduction!r}"
        )
    return reduction


def _classes_last(input: ArrayLike, name: str) -> FloatArray:
    """Logits or log-probabilities with the classes moved from dimension 1 to the last axis.

    One sample of shape ``(C,)`` becomes a batch of one, ``(1, C)``.
    """
    values = as_finite_array(input, name, min_ndim=1)
    return values[np.newaxis] if values.ndim == 1 else np.moveaxis(values, 1, -1)


def _class_weights(weight: ArrayLike | None, n_classes: int) -> FloatArray:
    if weight is None:
        return np.ones(n_classes)
    weights = as_finite_array(weight, "weight")
    if weights.shape != (n_classes,):
        raise ValueError(
            f"weight must hold one value per class, shape ({n_classes},), got {weights.shape}"
        )
    if (weights < 0).any():
        raise ValueError(f"weight must be non-negative, got {_few(weights[weights < 0])}")
    return weights


def _class_indices(
    target: ArrayLike, batch_shape: tuple[int, ...], n_classes: int, ignore_index: int
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """Class indices of ``batch_shape`` and the mask of those that count (not ignored)."""
    labels = as_finite_array(target, "target")
    if labels.shape != batch_shape:
        raise ValueError(
            f"target must hold class indices of shape {batch_shape} (the input's shape "
            f"without the class dimension 1) or class probabilities of the input's shape, "
            f"got shape {labels.shape}"
        )
    if (labels != np.round(labels)).any():
        raise ValueError(
            f"target holds fractional class indices {_few(labels[labels != np.round(labels)])}; "
            "class indices are whole numbers (probabilities need the input's shape)"
        )
    counted = labels != ignore_index
    outside = counted & ((labels < 0) | (labels >= n_classes))
    if outside.any():
        raise ValueError(
            f"target holds class indices outside [0, {n_classes - 1}]: "
            f"{_few(labels[outside])} (and ignore_index is {ignore_index})"
        )
    return np.where(counted, labels, 0).astype(np.intp), counted


def _reduce(losses: FloatArray, reduction: str, divisor: float, what: str) -> Result:
    """``"none"``: the losses; ``"sum"``: their sum; ``"mean"``: the sum over ``divisor``."""
    if reduction == "none":
        return to_result(losses)
    if reduction == "sum":
        return total(losses)
    if divisor == 0:
        raise ValueError(
            f"reduction='mean' divides by {what}, which is 0 here; PyTorch returns nan. "
            "Use reduction='sum' or check the targets"
        )
    return total(losses, divisor)


# --- multi-class losses -----------------------------------------------------------------------


def nll_loss(
    input: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Result:
    r"""The negative log-likelihood loss of ``torch.nn.functional.nll_loss``.

    .. math::
        \ell_n &= -w_{y_n} \, x_{n, y_n} \, [y_n \ne \mathtt{ignore\_index}], \\
        \text{mean} &= \frac{\sum_n \ell_n}{\sum_n w_{y_n} [y_n \ne \mathtt{ignore\_index}]}

    ``input`` holds log-probabilities with the classes on dimension 1, shape ``(N, C)``,
    ``(N, C, d1, ...)`` or ``(C,)``; ``target`` the class indices, of ``input``'s shape without
    dimension 1. ``weight`` (one value per class, default all ones) scales each loss and the
    ``"mean"`` divides by the sum of the weights of the counted targets, not by ``N``.

    Raises
    ------
    ValueError
        If ``input`` is not log-probabilities along dimension 1 (the exponentials of a row
        whose target counts do not sum to one within twice
        :func:`~xent.validation.sum_tolerance`: pass logits to :func:`cross_entropy`); rows
        whose target is ``ignore_index`` (padding) are not checked, as in PyTorch. Also if
        a class index is fractional or outside ``[0, C)`` and not
        ``ignore_index``, ``weight`` has the wrong shape or a negative value, ``reduction``
        is unknown, or ``"mean"`` would divide by 0.
    TypeError
        If ``ignore_index`` is not an integer.

    Examples
    --------
    >>> log_q = np.log([[0.5, 0.25, 0.25], [0.1, 0.8, 0.1]])
    >>> round(nll_loss(log_q, [0, 1]), 6)  # (log 2 + log 1.25) / 2
    0.458145
    >>> round(nll_loss(log_q, [0, 1], weight=[3.0, 1.0, 1.0]), 6)  # (3 log 2 + log 1.25) / 4
    0.575646
    """
    log_q = _classes_last(input, "input")
    ignore_index = check_integer(ignore_index, "ignore_index", low=-_LARGEST, high=_LARGEST)
    reduction = _check_reduction(reduction)
    weights = _class_weights(weight, log_q.shape[-1])
    batch_shape = log_q.shape[:-1] if np.ndim(input) > 1 else ()
    labels, counted = _class_indices(target, batch_shape, log_q.shape[-1], ignore_index)
    labels, counted = labels.reshape(log_q.shape[:-1]), counted.reshape(log_q.shape[:-1])
    # Rows whose target is ignore_index (padding) count for nothing and are not checked, as
    # in PyTorch; the others must be log-probabilities: exp sums to one within twice the
    # sum tolerance, since exp turns the rounding of each log q into a relative error too
    # (sum q |log q| u <= u log C and sum q (m - z) u <= u C / e)
    with np.errstate(under="ignore"):
        sums = np.exp(log_q[counted]).sum(axis=-1)
    tolerance = 2.0 * sum_tolerance(log_q.shape[-1], getattr(input, "dtype", np.float64))
    if (np.abs(sums - 1.0) > tolerance).any():
        raise ValueError(
            "input must hold log-probabilities along dimension 1, but the exponentials of "
            f"some rows sum to {_few(sums[np.abs(sums - 1.0) > tolerance])}; "
            "for logits use cross_entropy (log_softmax followed by nll_loss)"
        )
    target_weights = np.where(counted, weights[labels], 0.0)
    picked = np.take_along_axis(log_q, labels[..., np.newaxis], axis=-1)[..., 0]
    with np.errstate(over="ignore", invalid="ignore"):  # a weight times -1e308 may be inf
        losses = np.where(target_weights > 0.0, 0.0 - target_weights * picked, 0.0)
    divisor = float(target_weights.sum())
    return _reduce(losses.reshape(batch_shape), reduction, divisor, WEIGHTS_OF_TARGETS)


WEIGHTS_OF_TARGETS = "the sum of the weights of the targets that are not ignore_index"


class _Targets(NamedTuple):
    """What a cross-entropy call charges: ``loss_n = -sum_c u[n, c] log q[n, c]``."""

    log_q: FloatArray  # log-probabilities, classes on the last axis
    u: FloatArray  # the weighted (smoothed) target of each sample, classes last
    divisor: float  # what reduction="mean" divides by
    what: str  # ... in words, for the error message
    batch_shape: tuple[int, ...]  # the shape of the losses


def _cross_entropy_targets(
    input: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None,
    ignore_index: int,
    label_smoothing: float,
) -> _Targets:
    """Check the arguments of :func:`cross_entropy` and return what it charges."""
    eps = check_real(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    ignore_index = check_integer(ignore_index, "ignore_index", low=-_LARGEST, high=_LARGEST)
    logits = _classes_last(input, "input")
    log_q = log_softmax(logits, axis=-1)
    n_classes = logits.shape[-1]
    weights = _class_weights(weight, n_classes)
    if np.shape(target) != np.shape(input):  # class indices
        batch_shape = logits.shape[:-1] if np.ndim(input) > 1 else ()
        labels, counted = _class_indices(target, batch_shape, n_classes, ignore_index)
        labels, counted = labels.reshape(logits.shape[:-1]), counted.reshape(logits.shape[:-1])
        one_hot = (labels[..., np.newaxis] == np.arange(n_classes)) & counted[..., np.newaxis]
        u = weights * ((1.0 - eps) * one_hot + eps / n_classes * counted[..., np.newaxis])
        divisor = float(np.where(counted, weights[labels], 0.0).sum())
        return _Targets(log_q, u, divisor, WEIGHTS_OF_TARGETS, batch_shape)
    if ignore_index != -100:
        raise ValueError(
            f"ignore_index={ignore_index} applies to class indices only, but target holds "
            "class probabilities (it has the input's shape)"
        )
    p, _ = as_distribution(_classes_last(target, "target"), "target", axis=-1, dtype_of=target)
    u = weights * ((1.0 - eps) * p + eps / n_classes)
    batch_shape = logits.shape[:-1] if np.ndim(input) > 1 else ()
    return _Targets(log_q, u, float(p.size // n_classes), "the number of samples", batch_shape)


def cross_entropy(
    input: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Result:
    r"""The cross-entropy of ``torch.nn.functional.cross_entropy``, from logits.

    ``input`` holds logits with the classes on dimension 1, shape ``(N, C)``,
    ``(N, C, d1, ...)`` or ``(C,)``; with :math:`\log q = \operatorname{log\_softmax}(x)`
    over the classes and :math:`\varepsilon` = ``label_smoothing``, a ``target`` of class
    indices (the input's shape without dimension 1) gives

    .. math::
        \ell_n = (1 - \varepsilon)\,(-w_{y_n} \log q_{n, y_n})
                 + \frac{\varepsilon}{C} \sum_c (-w_c \log q_{n, c}), \qquad
        \text{mean} = \frac{\sum_n \ell_n}{\sum_n w_{y_n}},

    with ignored targets (``y_n = ignore_index``) left out of both sums; note that the
    smoothing term weights each class by its own weight. A ``target`` of class probabilities
    :math:`p` (the input's shape) gives

    .. math::
        \ell_n &= -\sum_c w_c \, \tilde p_{n, c} \log q_{n, c}, \\
        \tilde p &= (1 - \varepsilon)\, p + \varepsilon / C, \\
        \text{mean} &= \frac{1}{N d_1 \cdots} \sum_n \ell_n,

    whose mean divides by the number of samples even with weights.

    Raises
    ------
    ValueError
        If a class index is fractional or outside ``[0, C)`` and not ``ignore_index``,
        probability targets leave [0, 1] or do not sum to one over dimension 1 (or come with
        an ``ignore_index``), ``label_smoothing`` leaves [0, 1], ``weight`` has the wrong
        shape or a negative value, ``reduction`` is unknown, or ``"mean"`` would divide by 0.
    TypeError
        If ``ignore_index`` is not an integer or ``label_smoothing`` not a number.

    Examples
    --------
    >>> z = [[2.0, 0.0, 0.0], [0.0, 3.0, 0.0]]
    >>> round(cross_entropy(z, [0, 1]), 6)  # (log(e² + 2) - 2 + log(e³ + 2) - 3) / 2
    0.167234
    >>> round(cross_entropy(z, [0, -100]), 6)  # the second target is ignored
    0.239545
    >>> round(cross_entropy(z, [0, 1], label_smoothing=0.1), 6)
    0.333901
    >>> cross_entropy([[1e4, 0.0]], [1])
    10000.0
    """
    reduction = _check_reduction(reduction)
    charged = _cross_entropy_targets(input, target, weight, ignore_index, label_smoothing)
    # log_q is -inf for a logit about 1.8e308 below the largest; a target weight of 0 there
    # counts 0 (row_dots), not 0 * -inf = NaN
    losses = 0.0 - row_dots(charged.u, charged.log_q)
    return _reduce(losses.reshape(charged.batch_shape), reduction, charged.divisor, charged.what)


def cross_entropy_gradient(
    input: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> FloatArray:
    r"""The gradient of :func:`cross_entropy` with respect to the logits ``input``.

    What ``loss.backward()`` leaves in ``input.grad`` in PyTorch. Each sample's loss is
    :math:`\ell_n = -\sum_c u_{n, c} \log q_{n, c}` with :math:`u` its weighted, smoothed
    target (see :func:`cross_entropy`), so

    .. math::
        \frac{\partial \ell_n}{\partial x_{n, c}} = \Big(\sum_k u_{n, k}\Big) q_{n, c} - u_{n, c},

    which is the familiar :math:`q - \text{one-hot}(y)` without weights or smoothing;
    ``"mean"`` divides it by the same divisor as the loss. Only ``"mean"`` and ``"sum"``.

    Raises
    ------
    ValueError
        As :func:`cross_entropy`, and for ``reduction="none"``, which has no gradient.

    Examples
    --------
    >>> cross_entropy_gradient([[0.0, 0.0]], [0])
    array([[-0.5,  0.5]])
    """
    reduction = _check_reduction(reduction, ("mean", "sum"))
    charged = _cross_entropy_targets(input, target, weight, ignore_index, label_smoothing)
    with np.errstate(under="ignore"):
        q = np.exp(charged.log_q)
    gradient = charged.u.sum(axis=-1, keepdims=True) * q - charged.u
    if reduction == "mean":
        if charged.divisor == 0:
            _reduce(gradient, "mean", 0.0, charged.what)  # raises, with the message
        gradient = gradient / charged.divisor
    return gradient[0] if np.ndim(input) == 1 else np.moveaxis(gradient, -1, 1)


# --- binary losses ----------------------------------------------------------------------------


def _elementwise_weights(weight: ArrayLike | None, shape: tuple[int, ...], name: str) -> FloatArray:
    if weight is None:
        return np.ones(shape)
    weights = as_finite_array(weight, name)
    try:
        broadcast = np.broadcast_to(weights, shape)
    except ValueError:
        raise ValueError(
            f"{name} of shape {weights.shape} does not broadcast to the input's shape {shape}"
        ) from None
    if (weights < 0).any():
        raise ValueError(f"{name} must be non-negative, got {_few(weights[weights < 0])}")
    return broadcast


def binary_cross_entropy(
    input: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    reduction: str = "mean",
) -> Result:
    r"""The binary cross-entropy of ``torch.nn.functional.binary_cross_entropy``.

    .. math::
        \ell_i = -w_i \left[ y_i \max(\log \hat p_i, -100)
                 + (1 - y_i) \max(\log(1 - \hat p_i), -100) \right]

    from probabilities ``input`` and targets ``target`` in [0, 1] of the same shape. The
    clamp at :data:`LOG_CLAMP` is PyTorch's: a certain and wrong prediction costs 100 nats,
    not infinity. ``weight`` broadcasts to the input's shape; ``"mean"`` divides by the
    number of elements, whatever the weights.

    Raises
    ------
    ValueError
        If ``input`` leaves [0, 1] (logits? use :func:`binary_cross_entropy_with_logits`),
        ``target`` leaves [0, 1], the shapes differ, ``weight`` does not broadcast or is
        negative, or ``reduction`` is unknown.

    Examples
    --------
    >>> round(binary_cross_entropy([0.8, 0.4], [1.0, 0.0]), 6)  # -(log 0.8 + log 0.6) / 2
    0.366985
    >>> binary_cross_entropy([0.0], [1.0])  # the clamp
    100.0
    """
    reduction = _check_reduction(reduction)
    p_hat = as_finite_array(input, "input")
    if (p_hat < 0).any() or (p_hat > 1).any():
        raise ValueError(
            f"input has values outside [0, 1]: {_few(p_hat[(p_hat < 0) | (p_hat > 1)])}; "
            "did you pass logits? use binary_cross_entropy_with_logits"
        )
    y = as_probabilities(target, "target")
    check_same_shape(p_hat, y, "input", "target")
    with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped
        log_p = np.maximum(np.log(p_hat), LOG_CLAMP)
        log_not_p = np.maximum(np.log1p(-p_hat), LOG_CLAMP)
    weights = _elementwise_weights(weight, p_hat.shape, "weight")
    losses = -weights * (y * log_p + (1.0 - y) * log_not_p)
    return _reduce(losses, reduction, losses.size, "the number of elements")


def binary_cross_entropy_with_logits(
    input: ArrayLike,
    target: ArrayLike,
    weight: ArrayLike | None = None,
    reduction: str = "mean",
    pos_weight: ArrayLike | None = None,
) -> Result:
    r"""The binary cross-entropy of ``torch.nn.functional.binary_cross_entropy_with_logits``.

    .. math::
        \ell_i = -w_i \left[ \rho_i \, y_i \log \sigma(z_i) + (1 - y_i) \log \sigma(-z_i) \right]

    from logits ``input`` and targets ``target`` in [0, 1] of the same shape, where
    :math:`\rho` = ``pos_weight`` (default 1) multiplies the positive term: it broadcasts
    along the last dimension, one value per class in a multi-label problem, and
    ``pos_weight = negatives / positives`` balances a rare class. ``weight`` broadcasts to
    the input's shape; ``"mean"`` divides by the number of elements, whatever the weights.

    Both terms are computed with :func:`~xent.logistic.log_sigmoid` and are non-negative,
    so nothing cancels. PyTorch's form ``(1 - y) z - (1 + (ρ - 1) y) log σ(z)`` cancels for
    ``y = 0`` and ``z`` below about -20, where the loss is about ``e^z``.

    Raises
    ------
    ValueError
        If the shapes differ, ``target`` leaves [0, 1], ``input`` holds NaN or infinity,
        ``weight`` or ``pos_weight`` do not broadcast or are negative, or ``reduction`` is
        unknown.

    Examples
    --------
    >>> round(binary_cross_entropy_with_logits([0.0], [1.0]), 6)
    0.693147
    >>> binary_cross_entropy_with_logits([-1e4], [1.0], pos_weight=[3.0])
    30000.0
    """
    reduction = _check_reduction(reduction)
    z = as_finite_array(input, "input")
    y = as_probabilities(target, "target")
    check_same_shape(z, y, "input", "target")
    rho = _elementwise_weights(pos_weight, z.shape, "pos_weight")
    weights = _elementwise_weights(weight, z.shape, "weight")
    with np.errstate(over="ignore", invalid="ignore"):  # rho * 1e308 may pass the range: inf
        unweighted = 0.0 - (rho * y * log_sigmoid(z) + (1.0 - y) * log_sigmoid(-z))
        losses = np.where(weights > 0.0, weights * unweighted, 0.0)  # weight 0 counts 0
    return _reduce(np.asarray(losses), reduction, z.size, "the number of elements")


# --- Kullback-Leibler divergence --------------------------------------------------------------


def kl_div(
    input: ArrayLike,
    target: ArrayLike,
    reduction: str = "mean",
    log_target: bool = False,
) -> Result:
    r"""The pointwise KL divergence of ``torch.nn.functional.kl_div``.

    .. math::
        \ell_i = p_i (\log p_i - x_i), \qquad 0 \log 0 = 0,

    where ``input`` :math:`x` holds log-probabilities (the model's :math:`\log q`) and
    ``target`` :math:`p` probabilities, or log-probabilities with ``log_target=True``. Note
    the order: the *prediction* comes first, unlike :func:`xent.kl_divergence` ``(p, q)``.
    ``"batchmean"`` divides the sum by ``N`` (the size of dimension 0) and gives the
    divergence :math:`\KL(p \| q)` per sample; ``"mean"``, PyTorch's default, divides by the
    number of elements and so also by ``C``. PyTorch warns about ``"mean"``; so does xent.

    Raises
    ------
    ValueError
        If ``input`` has a positive value (probabilities where log-probabilities belong),
        ``target`` leaves [0, 1] (or, with ``log_target=True``, has a positive value), the
        shapes differ, or ``reduction`` is unknown.
    TypeError
        If ``log_target`` is not a bool.

    Examples
    --------
    >>> log_q = np.log([[0.5, 0.5]])
    >>> round(kl_div(log_q, [[0.9, 0.1]], reduction="batchmean"), 6)
    0.368064
    >>> round(kl_div(log_q, np.log([[0.9, 0.1]]), reduction="sum", log_target=True), 6)
    0.368064
    """
    reduction = _check_reduction(reduction, ("none", "mean", "sum", "batchmean"))
    log_target = check_flag(log_target, "log_target")
    log_q = as_finite_array(input, "input", min_ndim=1)
    if (log_q > 0).any():
        raise ValueError(
            f"input must hold log-probabilities (values <= 0), got {_few(log_q[log_q > 0])}; "
            "did you pass probabilities? take their log first"
        )
    if log_target:
        log_p = as_finite_array(target, "target")
        if (log_p > 0).any():
            raise ValueError(
                f"target with log_target=True must hold log-probabilities (values <= 0), "
                f"got {_few(log_p[log_p > 0])}"
            )
        check_same_shape(log_q, log_p, "input", "target")
        losses = np.exp(log_p) * (log_p - log_q)
    else:
        p = as_probabilities(target, "target")
        check_same_shape(log_q, p, "input", "target")
        with np.errstate(divide="ignore", invalid="ignore"):
            losses = np.where(p > 0, p * (np.log(p) - log_q), 0.0)
    if reduction == "batchmean":
        return _reduce(losses, "mean", log_q.shape[0], "the batch size")
    if reduction == "mean":
        warn(
            "kl_div: reduction='mean' divides by the number of elements, N times C; "
            "reduction='batchmean' gives the KL divergence per sample"
        )
    return _reduce(losses, reduction, losses.size, "the number of elements")
