r"""KL divergence in both directions: fitting a normal by forward or reverse KL, and distillation.

:math:`\KL(p \,\|\, q)` is not symmetric, and which argument the model :math:`q` takes decides
what a fit looks like:

* **forward**, :math:`\min_q \KL(p \,\|\, q)`, the direction of maximum likelihood and of
  distillation: :math:`q` is charged wherever :math:`p` has mass that :math:`q` misses, so it
  spreads over all of :math:`p` (*mode-covering*);
* **reverse**, :math:`\min_q \KL(q \,\|\, p)`, the direction of variational inference and of
  the KL penalty of RLHF: :math:`q` is charged wherever it puts mass that :math:`p` lacks, so
  it settles inside one mode (*mode-seeking*).

:func:`fit_normal_by_kl` finds either fit for a target given on a grid of outcomes, with the
model a :func:`~xent.distributions.discretized_normal` on the same grid, so both divergences
are finite sums (:func:`xent.kl_divergence`). :func:`distillation_loss` is the forward KL
between a teacher's and a student's softmax at a temperature :math:`T`, scaled by
:math:`T^2` (Hinton et al., 2015).
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from xent.distributions import discretized_normal
from xent.information import kl_divergence
from xent.logistic import log_softmax
from xent.multiclass import softmax_cross_entropy_gradient, softmax_with_temperature
from xent.torch_losses import kl_div
from xent.validation import (
    FloatArray,
    Result,
    as_distribution,
    as_finite_array,
    check_axis,
    check_real,
    check_same_shape,
    to_result,
)

__all__ = ["NormalFit", "distillation_gradient", "distillation_loss", "fit_normal_by_kl"]

Direction = Literal["forward", "reverse"]


class NormalFit(NamedTuple):
    """The discretised normal that minimises a KL divergence, and the divergence it reaches."""

    mean: float
    """The mean parameter of the fitted normal (its grid mean differs where the grid cuts it)."""
    sd: float
    """The standard deviation parameter of the fitted normal."""
    divergence: float
    """The minimised divergence in nats, :math:`\\KL(p \\| q)` for the forward fit and
    :math:`\\KL(q \\| p)` for the reverse one."""


_COARSE = 21
"""Means and standard deviations in the first grid search: 21 x 21 candidates."""
_TOLERANCE = 1e-9
"""The search stops when its steps are below this, relative to the range of the outcomes
(for the mean) and in log sd."""


def _divergences(
    points: FloatArray, p: FloatArray, means: FloatArray, log_sds: FloatArray, forward: bool
) -> FloatArray:
    """The divergence for each candidate (mean, log sd), one candidate per entry."""
    q = np.array([discretized_normal(points, m, np.exp(s)) for m, s in zip(means, log_sds)])
    target = np.broadcast_to(p, q.shape)
    values = kl_divergence(target, q) if forward else kl_divergence(q, target)
    return np.asarray(values, dtype=float).reshape(-1)


def fit_normal_by_kl(
    outcomes: ArrayLike, p: ArrayLike, *, direction: Direction = "forward"
) -> NormalFit:
    r"""The discretised normal :math:`q_{\mu,\sigma}` closest to ``p`` in forward or reverse KL.

    .. math:: \text{forward: } \min_{\mu, \sigma} \KL(p \,\|\, q_{\mu,\sigma}), \qquad
              \text{reverse: } \min_{\mu, \sigma} \KL(q_{\mu,\sigma} \,\|\, p),

    where :math:`q_{\mu,\sigma}` is :func:`~xent.distributions.discretized_normal` on the
    same ``outcomes``. The forward fit matches the mean and variance of ``p`` on the grid
    (it is unique: the divergence is convex in :math:`\mu / \sigma^2` and
    :math:`-1 / 2\sigma^2`); the reverse one can have a local minimum at each mode of
    ``p``, and the function returns the lowest it finds.

    The search is deterministic: a grid of 21 means across the outcomes by 21 standard
    deviations (geometric, from a quarter of the smallest gap between outcomes to the
    whole range), then a pattern search from the best candidate that halves its steps
    until they are below ``1e-9`` of the range (mean) and ``1e-9`` in :math:`\log \sigma`.
    Candidates where the divergence is infinite (a reverse fit that puts mass where
    :math:`p = 0`) are never chosen.

    Raises
    ------
    ValueError
        If ``outcomes`` is not a finite 1-D array of at least two distinct values, ``p``
        is not a distribution of the same shape, or ``direction`` is neither
        ``"forward"`` nor ``"reverse"``.

    Examples
    --------
    >>> x = np.arange(-5.0, 6.0)
    >>> fit = fit_normal_by_kl(x, discretized_normal(x, 1.0, 1.5))
    >>> round(fit.mean, 6), round(fit.sd, 6), abs(round(fit.divergence, 12))
    (1.0, 1.5, 0.0)
    """
    if direction not in ("forward", "reverse"):
        raise ValueError(f'direction must be "forward" or "reverse", got {direction!r}')
    forward = direction == "forward"
    points = as_finite_array(outcomes, "outcomes", min_ndim=1)
    target, _ = as_distribution(p, "p")
    check_same_shape(points, target, "outcomes", "p")
    distinct = np.unique(points)
    if points.ndim != 1 or distinct.size < 2:
        raise ValueError(
            f"outcomes must be a 1-D grid of at least two distinct values, got shape "
            f"{points.shape} with {distinct.size} distinct"
        )
    width = float(distinct[-1] - distinct[0])
    smallest_gap = float(np.diff(distinct).min())
    grid_means = np.linspace(distinct[0], distinct[-1], _COARSE)
    grid_log_sds = np.linspace(np.log(smallest_gap / 4), np.log(width), _COARSE)
    means, log_sds = (a.ravel() for a in np.meshgrid(grid_means, grid_log_sds))
    with np.errstate(invalid="ignore"):
        values = _divergences(points, target, means, log_sds, forward)
    best = int(np.argmin(values))  # (inf where q leaves p's support; never the minimum)
    mean, log_sd, value = float(means[best]), float(log_sds[best]), float(values[best])
    step_mean = float(grid_means[1] - grid_means[0])
    step_log_sd = float(grid_log_sds[1] - grid_log_sds[0])
    offsets = np.array([(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1) if (a, b) != (0, 0)])
    while step_mean > _TOLERANCE * width or step_log_sd > _TOLERANCE:
        candidates_mean = mean + offsets[:, 0] * step_mean
        candidates_log_sd = log_sd + offsets[:, 1] * step_log_sd
        around = _divergences(points, target, candidates_mean, candidates_log_sd, forward)
        k = int(np.argmin(around))
        if around[k] < value:  # move to the better neighbour, keep the steps
            mean, log_sd = float(candidates_mean[k]), float(candidates_log_sd[k])
            value = float(around[k])
        else:  # the centre is best at this scale: look closer
            step_mean, step_log_sd = step_mean / 2, step_log_sd / 2
    return NormalFit(mean, float(np.exp(log_sd)), value)


def _logit_pair(
    student_logits: ArrayLike, teacher_logits: ArrayLike, temperature: float, axis: int
) -> tuple[FloatArray, FloatArray, float, int]:
    t = check_real(temperature, "temperature", low=0.0, low_open=True)
    student = as_finite_array(student_logits, "student_logits", min_ndim=1)
    teacher = as_finite_array(teacher_logits, "teacher_logits", min_ndim=1)
    check_same_shape(student, teacher, "student_logits", "teacher_logits")
    return student, teacher, t, check_axis(student, axis, "student_logits")


def _divided(logits: FloatArray, t: float, name: str) -> FloatArray:
    """``logits / t``, which must stay finite."""
    with np.errstate(over="ignore"):  # caught just below
        scaled = logits / t
    if not np.isfinite(scaled).all():
        raise ValueError(f"{name} / temperature overflows: temperature {t!r} is too small")
    return scaled


def distillation_loss(
    student_logits: ArrayLike, teacher_logits: ArrayLike, temperature: float, *, axis: int = -1
) -> Result:
    r"""Knowledge-distillation loss: :math:`T^2` times the KL from the teacher's softened softmax.

    .. math:: \ell_T(s, t) &= T^2\, \KL\bigl(p_T \,\|\, q_T\bigr)
              = T^2 \sum_k p_{T,k} \bigl(\log p_{T,k} - \log q_{T,k}\bigr), \\
              p_T &= \operatorname{softmax}(t / T), \qquad q_T = \operatorname{softmax}(s / T)

    for student logits :math:`s` and teacher logits :math:`t` (Hinton et al., 2015). The
    gradient of :math:`\KL(p_T \| q_T)` with respect to :math:`s` is
    :math:`(q_T - p_T) / T`, whose size falls like :math:`1/T^2` as :math:`T` grows; the
    factor :math:`T^2` makes the gradient :math:`T (q_T - p_T)`
    (:func:`distillation_gradient`), which tends to a limit independent of :math:`T`, so the
    soft and hard parts of a combined loss keep their balance as :math:`T` changes. Both
    log-probabilities come from
    :func:`xent.log_softmax` and the sum is :func:`xent.torch_losses.kl_div` with
    ``log_target=True``: PyTorch's argument order, the student's log-probabilities first.
    One loss per distribution along ``axis``; a float for one distribution.

    Raises
    ------
    ValueError
        If the logits are not finite, their shapes differ, ``axis`` is out of range, or
        ``temperature`` is not a finite positive number (or too small for the logits).
    TypeError
        If ``temperature`` is not a real number.

    Examples
    --------
    >>> distillation_loss([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], temperature=4.0)
    0.0
    >>> round(distillation_loss([0.0, 0.0], [2.0, 0.0], temperature=1.0), 6)
    0.327813
    """
    student, teacher, t, axis = _logit_pair(student_logits, teacher_logits, temperature, axis)
    log_p = log_softmax(_divided(teacher, t, "teacher_logits"), axis=axis)
    log_q = log_softmax(_divided(student, t, "student_logits"), axis=axis)
    pointwise = np.asarray(kl_div(log_q, log_p, reduction="none", log_target=True))
    return to_result(t * t * pointwise.sum(axis=axis))


def distillation_gradient(
    student_logits: ArrayLike, teacher_logits: ArrayLike, temperature: float, *, axis: int = -1
) -> FloatArray:
    r"""Gradient of :func:`distillation_loss` with respect to the student's logits.

    .. math:: \nabla_s\, T^2 \KL(p_T \,\|\, q_T) = T\,(q_T - p_T)
              \;\xrightarrow[T \to \infty]{}\; \frac{(s - \bar s) - (t - \bar t)}{K}

    for :math:`K` classes (:math:`\bar s`, :math:`\bar t` the means of the logits): the
    chain rule through :math:`s / T` applied to the softmax cross-entropy gradient
    :math:`q_T - p_T` (:func:`xent.multiclass.softmax_cross_entropy_gradient`). At high
    temperature distillation matches the centred logits, the gradient of
    :math:`\frac{1}{2K}\lVert (s - \bar s) - (t - \bar t) \rVert^2`.

    Raises
    ------
    ValueError, TypeError
        As :func:`distillation_loss`.

    Examples
    --------
    >>> distillation_gradient([0.0, 0.0], [2.0, 0.0], temperature=1.0).round(6)
    array([-0.380797,  0.380797])
    """
    student, teacher, t, axis = _logit_pair(student_logits, teacher_logits, temperature, axis)
    soft_targets = softmax_with_temperature(teacher, t, axis=axis)
    scaled = _divided(student, t, "student_logits")
    return t * softmax_cross_entropy_gradient(soft_targets, scaled, axis=axis)
