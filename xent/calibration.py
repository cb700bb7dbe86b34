"""Calibration: do predicted probabilities mean what they say?

A binary classifier is *calibrated* when, among the samples to which it gives probability
:math:`\\hat p`, a fraction :math:`\\hat p` are positive. This module measures that and fixes
it after training:

* :func:`brier_score`, the mean squared error of the probability, a proper scoring rule;
* :func:`reliability_curve` and :func:`expected_calibration_error`, which bin the
  predictions and compare each bin's mean prediction with its fraction of positives;
* :func:`fit_temperature` (temperature scaling, Guo et al. 2017) and :func:`fit_platt`
  (Platt or sigmoid scaling), which refit one or two numbers on held-out logits by
  minimising the log loss.

Conventions: ``y_true`` holds labels 0 or 1 (for the multi-class temperature, class
indices), ``p`` the predicted probability of class 1, ``z`` logits.
"""

from __future__ import annotations

import math
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.arithmetic import FloatArray
from xent.logistic import binary_cross_entropy_with_logits, sigmoid, softmax
from xent.validation import (
    as_finite_array,
    as_probabilities,
    check_flag,
    check_integer,
    check_same_shape,
    warn,
)

__all__ = [
    "ReliabilityCurve",
    "brier_score",
    "expected_calibration_error",
    "fit_platt",
    "fit_temperature",
    "reliability_curve",
]

Strategy = Literal["uniform", "quantile"]


def _binary_labels(y_true: ArrayLike, name: str = "y_true") -> FloatArray:
    labels = as_finite_array(y_true, name, min_ndim=1)
    if labels.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {labels.shape}")
    if not np.isin(labels, (0.0, 1.0)).all():
        bad = labels[~np.isin(labels, (0.0, 1.0))][:3]
        raise ValueError(f"{name} must hold binary labels 0 and 1, got {bad.tolist()}")
    return labels


def _labels_and_probabilities(y_true: ArrayLike, p: ArrayLike) -> tuple[FloatArray, FloatArray]:
    labels = _binary_labels(y_true)
    probabilities = as_probabilities(p, "p", min_ndim=1)
    check_same_shape(labels, probabilities, "y_true", "p")
    return labels, probabilities


def brier_score(y_true: ArrayLike, p: ArrayLike) -> float:
    r"""The Brier score: the mean squared error of the predicted probability of class 1.

    .. math:: \mathrm{BS} = \frac{1}{n} \sum_{i=1}^n (\hat p_i - y_i)^2

    0 for perfect confident predictions, 1/4 for always predicting 1/2, at most 1. Like the
    log loss it is a strictly proper scoring rule (Brier 1950): its expectation under
    :math:`y \sim \mathrm{Bernoulli}(\pi)` is smallest for :math:`\hat p = \pi`. Unlike the
    log loss it is bounded, so one confident mistake costs at most 1.

    Raises
    ------
    ValueError
        If ``y_true`` holds anything but 0 and 1, ``p`` leaves [0, 1], or the shapes differ.

    Examples
    --------
    >>> round(brier_score([1, 0, 1], [0.9, 0.2, 0.6]), 4)  # (0.01 + 0.04 + 0.16) / 3
    0.07
    """
    labels, probabilities = _labels_and_probabilities(y_true, p)
    return float(np.mean((probabilities - labels) ** 2))


class ReliabilityCurve(NamedTuple):
    """One entry per non-empty bin, in increasing order of probability."""

    fraction_positive: FloatArray
    """The fraction of samples with label 1 in the bin (scikit-learn's ``prob_true``)."""
    mean_predicted: FloatArray
    """The mean predicted probability in the bin (scikit-learn's ``prob_pred``)."""
    counts: NDArray[np.int64]
    """How many samples fell in the bin."""


def _check_bins(n_bins: object, strategy: object) -> int:
    bins = check_integer(n_bins, "n_bins", low=1, high=10_000)
    if strategy not in ("uniform", "quantile"):
        raise ValueError(f"strategy must be 'uniform' or 'quantile', got {strategy!r}")
    return bins


def reliability_curve(
    y_true: ArrayLike, p: ArrayLike, *, n_bins: int = 10, strategy: Strategy = "uniform"
) -> ReliabilityCurve:
    r"""Fraction of positives against mean predicted probability, bin by bin.

    The edges :math:`0 = e_0 < e_1 < \dots < e_B = 1` are equally spaced (``"uniform"``) or
    the quantiles of ``p`` (``"quantile"``, so the bins hold about equally many samples).
    Sample :math:`i` goes to the bin :math:`b` with :math:`e_{b-1} < \hat p_i \le e_b` (the
    first bin also takes :math:`\hat p_i = e_0`). For each non-empty bin

    .. math:: \bar y_b = \frac{1}{n_b} \sum_{i \in b} y_i, \qquad
              \bar p_b = \frac{1}{n_b} \sum_{i \in b} \hat p_i .

    The quantile edges are the exact percentiles :math:`100\,b/B` of ``p`` (NumPy's linear
    rule: rank :math:`(n - 1) b / B` of the sorted values, found in integer arithmetic), so
    when :math:`(n - 1) b / B` is a whole number the edge is that sample, and the sample
    goes to the lower bin.

    Empty bins are left out, as in ``sklearn.calibration.calibration_curve``, which returns
    the same ``(fraction_positive, mean_predicted)`` for the same ``n_bins`` and
    ``strategy``, except that for ``"quantile"`` it asks for the percentile
    ``100 * (b / B)``, which rounding can put just below the exact one: at such ``n`` it
    moves the sample on the edge up a bin. A calibrated model has
    :math:`\bar y_b \approx \bar p_b`: its points lie on the diagonal of a reliability
    diagram.

    Parameters
    ----------
    y_true
        Labels 0 and 1, one per sample.
    p
        The predicted probability of class 1, one per sample.
    n_bins
        The number of bins, 1 to 10000.
    strategy
        ``"uniform"`` (equal widths) or ``"quantile"`` (about equal counts).

    Raises
    ------
    ValueError, TypeError
        For labels other than 0 and 1, probabilities outside [0, 1], different shapes, an
        ``n_bins`` that is not an integer from 1 to 10000, or an unknown ``strategy``.

    Examples
    --------
    >>> curve = reliability_curve([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.8], n_bins=2)
    >>> curve.fraction_positive, curve.mean_predicted, curve.counts
    (array([0., 1.]), array([0.2 , 0.75]), array([2, 2]))
    """
    bins = _check_bins(n_bins, strategy)
    labels, probabilities = _labels_and_probabilities(y_true, p)
    if strategy == "quantile":
        edges = _quantile_edges(probabilities, bins)
    else:
        edges = np.linspace(0.0, 1.0, bins + 1)
    bin_of = np.searchsorted(edges[1:-1], probabilities)
    count = np.bincount(bin_of, minlength=bins)
    positives = np.bincount(bin_of, weights=labels, minlength=bins)
    predicted = np.bincount(bin_of, weights=probabilities, minlength=bins)
    full = count > 0
    return ReliabilityCurve(
        positives[full] / count[full], predicted[full] / count[full], count[full].astype(np.int64)
    )


def _quantile_edges(p: FloatArray, bins: int) -> FloatArray:
    """The exact percentiles ``100 b / bins`` of ``p`` (NumPy's linear rule): rank
    ``(n - 1) b / bins`` of the sorted values, in integer arithmetic, so that an edge that
    falls on a sample is that sample."""
    ordered = np.sort(p)
    n = ordered.size
    edges = np.empty(bins + 1)
    for b in range(bins + 1):
        whole, part = divmod((n - 1) * b, bins)
        upper = ordered[min(whole + 1, n - 1)]
        step = (part / bins) * (upper - ordered[whole]) if part else 0.0
        edges[b] = ordered[whole] + step
    return edges


def expected_calibration_error(
    y_true: ArrayLike, p: ArrayLike, *, n_bins: int = 10, strategy: Strategy = "uniform"
) -> float:
    r"""Expected calibration error: the bins' calibration gaps, weighted by their counts.

    .. math:: \mathrm{ECE} = \sum_{b} \frac{n_b}{n} \left| \bar y_b - \bar p_b \right|

    with the bins, :math:`\bar y_b` and :math:`\bar p_b` of :func:`reliability_curve` (empty
    bins weigh nothing). 0 means every bin's mean prediction equals its fraction of
    positives. The value depends on the binning: more bins see more noise (a perfectly
    calibrated model scores above 0 on a finite sample), fewer bins can hide gaps that
    cancel inside a bin.

    Parameters
    ----------
    y_true
        Labels 0 and 1, one per sample.
    p
        The predicted probability of class 1, one per sample.
    n_bins
        The number of bins, 1 to 10000.
    strategy
        ``"uniform"`` (equal widths) or ``"quantile"`` (about equal counts).

    Raises
    ------
    ValueError, TypeError
        As :func:`reliability_curve`.

    Examples
    --------
    >>> expected_calibration_error([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.8], n_bins=2)
    0.225
    """
    curve = reliability_curve(y_true, p, n_bins=n_bins, strategy=strategy)
    weights = curve.counts / curve.counts.sum()
    gaps = np.abs(curve.fraction_positive - curve.mean_predicted)
    return float(np.sum(weights * gaps))


def _logits_and_labels(
    z: ArrayLike, y: ArrayLike
) -> tuple[FloatArray, NDArray[np.intp] | FloatArray]:
    logits = as_finite_array(z, "z", min_ndim=1)
    if logits.ndim == 1:
        labels = _binary_labels(y, "y")
        check_same_shape(logits, labels, "z", "y")
        return logits, labels
    if logits.ndim != 2 or logits.shape[1] < 2:
        raise ValueError(
            f"z must be binary logits (n_samples,) or class logits (n_samples, n_classes >= 2), "
            f"got shape {logits.shape}"
        )
    raw = as_finite_array(y, "y", min_ndim=1)
    if raw.shape != (logits.shape[0],):
        raise ValueError(
            f"y must have shape ({logits.shape[0]},), one class per row of z, got {raw.shape}"
        )
    if not (np.all(raw == np.round(raw)) and raw.min() >= 0 and raw.max() < logits.shape[1]):
        raise ValueError(f"y must hold class indices 0 to {logits.shape[1] - 1}")
    return logits, raw.astype(np.intp)


MAX_ITERATIONS = 200
"""Newton steps (each safeguarded by bisection) that :func:`fit_temperature` and
:func:`fit_platt` take at most; they warn when they stop without converging."""

_RELATIVE_TOLERANCE = 1e-14
"""The fits stop when a step moves the answer by less than this, relative to its size."""


def _log_sigmoid(t: FloatArray) -> FloatArray:
    """``log σ(t)`` for any ``t``, infinities included (no checks, no warnings)."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        return np.minimum(t, 0.0) - np.log1p(np.exp(-np.abs(t)))


def _log_sum(logs: FloatArray) -> float:
    """``log sum exp(logs)``, ``-inf`` for an empty sum."""
    if logs.size == 0 or not np.isfinite(logs.max()):
        return float(logs.max()) if logs.size else -math.inf
    top = float(logs.max())
    with np.errstate(under="ignore"):
        return top + math.log(float(np.exp(logs - top).sum()))


def _binary_slope(logits: FloatArray, labels: FloatArray, beta: float) -> tuple[int, float]:
    r"""The sign of :math:`L'(\beta)` and the Newton step :math:`-L'/L''`, for binary logits.

    Both are worked out from the logarithms of the terms,
    :math:`\log|(\sigma(\beta z) - y) z| = \log \sigma(\mp \beta z) + \log|z|`, so terms
    of any size (logits from 1e-320 to 1e300, a β near the float range) are compared
    without overflow or underflow, and scaling ``z`` by ``c`` only shifts them.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        t = beta * logits  # may be ±inf: σ saturates
        t = np.where(logits == 0.0, 0.0, t)
        log_abs_z = np.log(np.abs(logits))  # -inf for z = 0: its term is 0
    # (σ(t) - y) z is -σ(-t) z for y = 1 and σ(t) z for y = 0
    log_terms = np.where(labels == 1, _log_sigmoid(-t), _log_sigmoid(t)) + log_abs_z
    positive = (labels == 1) == (logits < 0)
    log_up, log_down = _log_sum(log_terms[positive]), _log_sum(log_terms[~positive])
    log_curvature = _log_sum(_log_sigmoid(t) + _log_sigmoid(-t) + 2.0 * log_abs_z)
    sign = (log_up > log_down) - (log_up < log_down)
    with np.errstate(over="ignore", under="ignore"):
        step = -(math.exp(min(log_up - log_curvature, 700.0))
                 - math.exp(min(log_down - log_curvature, 700.0)))
    return sign, step


def _class_slope(logits: FloatArray, labels: NDArray[np.intp], beta: float) -> tuple[int, float]:
    r"""The sign of :math:`L'(\beta)` and the Newton step, for class logits (rows of ``z``).

    ``logits`` are scaled beforehand so that the largest is about 1.
    """
    q = softmax(beta * logits, axis=1)
    mean_z = np.sum(q * logits, axis=1)
    true_z = logits[np.arange(logits.shape[0]), labels]
    with np.errstate(under="ignore"):
        variance = np.sum(q * (logits - mean_z[:, None]) ** 2, axis=1)
    slope, curvature = float(np.mean(mean_z - true_z)), float(np.mean(variance))
    sign = (slope > 0) - (slope < 0)
    return sign, (-slope / curvature if curvature > 0 else math.nan)


def _separates(logits: FloatArray, labels: NDArray[np.intp] | FloatArray) -> bool:
    """True when every sample's true class has the largest logit (ties included)."""
    if logits.ndim == 1:
        return bool(np.all(np.where(labels == 1, logits >= 0, logits <= 0)))
    true_z = logits[np.arange(logits.shape[0]), labels]
    return bool(np.all(true_z >= logits.max(axis=1)))


def fit_temperature(z: ArrayLike, y: ArrayLike) -> float:
    r"""The temperature :math:`T > 0` that minimises the log loss of the logits :math:`z / T`.

    For binary logits (shape ``(n,)``, labels 0/1) the model becomes
    :math:`\hat p = \sigma(z / T)`; for class logits (shape ``(n, k)``, labels 0 to k − 1)
    :math:`\hat q = \mathrm{softmax}(z / T)`. Fit it on held-out data, not on the training
    data. With :math:`\beta = 1/T`, the mean log loss

    .. math:: L(\beta) = \frac{1}{n} \sum_i \Bigl( \log \sum_k e^{\beta z_{ik}} - \beta z_{i y_i} \Bigr)

    is convex in :math:`\beta` (a log-sum-exp of linear functions minus a linear one), with
    :math:`L'(\beta) = \frac1n \sum_i (\E_{\hat q_i}[z_i] - z_{i y_i})` and
    :math:`L''(\beta) = \frac1n \sum_i \mathrm{Var}_{\hat q_i}(z_i) \ge 0`. The root of
    :math:`L'` is found by Newton's method safeguarded by bisection inside a bracket, to
    about 1e-12 relative; the binary slope is worked out from the logarithms of its terms,
    so logits of any size are handled. The fit is equivariant: logits scaled by ``c``
    (anywhere from 1e-200 to 1e200) give ``c`` times the temperature, up to rounding. If
    it stops after ``MAX_ITERATIONS`` (200) steps without converging it warns.
    :math:`T > 1` softens overconfident predictions, :math:`T < 1` sharpens underconfident
    ones; the ranking of the predictions, and so the accuracy, is unchanged.

    Parameters
    ----------
    z
        Binary logits, shape ``(n,)``, or class logits, shape ``(n, k)``.
    y
        Labels 0 and 1 for binary logits, class indices 0 to k - 1 for class logits.

    Raises
    ------
    ValueError
        If no positive temperature is best: the logits are no better than chance at
        ordering the labels (:math:`L'(0) \ge 0`), or they separate the labels perfectly so
        the loss keeps falling as :math:`T \to 0`. Also for bad labels or shapes.

    Examples
    --------
    Logits of ±2 that are right two times in three get :math:`\sigma(2/T) = 2/3`, that is
    :math:`T = 2 / \ln 2`:

    >>> T = fit_temperature([2.0, 2.0, 2.0, -2.0, -2.0, -2.0], [1, 1, 0, 0, 0, 1])
    >>> round(T, 4), round(2 / math.log(2), 4)
    (2.8854, 2.8854)
    """
    logits, labels = _logits_and_labels(z, y)
    # The slope's sign is the same for z and c z (β / c): scale the logits by a power of two
    # near their largest magnitude, exactly, so the search starts near the answer whatever
    # their units are.
    unit = _power_of_two_near(float(np.abs(logits).max()))
    if logits.ndim == 1:
        scaled = logits  # _binary_slope works with the logarithms: no need to scale
        beta_unit = 1.0 / unit if unit < 2.0**1000 else 0.0
        beta_unit = beta_unit if beta_unit > 0 and math.isfinite(beta_unit) else 1.0
    else:
        scaled = logits / unit
        beta_unit = 1.0

    def slope(beta: float) -> tuple[int, float]:
        if logits.ndim == 1:
            return _binary_slope(scaled, labels, beta)
        return _class_slope(scaled, labels.astype(np.intp), beta)  # type: ignore[union-attr]

    if slope(0.0)[0] >= 0:
        raise ValueError(
            "z carries no information about y: the log loss of z / T is smallest as T -> "
            "infinity (constant predictions), so there is no finite temperature"
        )
    if _separates(logits, labels):
        raise ValueError(
            "z separates y perfectly: the log loss of z / T keeps falling as T -> 0, "
            "so there is no best temperature"
        )
    beta = _root_of_slope(slope, beta_unit, "fit_temperature")
    temperature = 1.0 / beta if logits.ndim == 1 else unit / beta
    if not math.isfinite(temperature) or temperature == 0.0:
        raise ValueError(
            f"the best temperature is beyond the float range (1 / T = {beta!r} with z "
            f"{'as given' if logits.ndim == 1 else f'divided by {unit!r}'})"
        )
    return temperature


def _power_of_two_near(value: float) -> float:
    """``2**k`` with ``value / 2**k`` in [1/2, 1), or 1.0 for 0: dividing by it is exact."""
    if value == 0.0 or not math.isfinite(value):
        return 1.0
    return math.ldexp(1.0, math.frexp(value)[1])


def _root_of_slope(slope, start: float, what: str) -> float:  # type: ignore[no-untyped-def]
    """The β > 0 where ``slope(β)`` (sign, Newton step) changes sign from - to +.

    A bracket is grown from ``start`` by factors that square up to ``2**64`` (so a root
    1e300 times away takes about twenty steps), then Newton's method runs inside it,
    safeguarded by bisection (of the logarithm while the bracket spans more than a factor
    of 4). It stops when a step
    or the bracket is below :data:`_RELATIVE_TOLERANCE` relative to β, and warns when
    ``MAX_ITERATIONS`` (200) pass first.
    """
    low, high, factor = 0.0, start, 2.0
    largest = float(np.finfo(np.float64).max)
    while slope(high)[0] < 0:
        if high == largest:
            high = math.inf
        low, high, factor = high, min(high * factor, largest), min(factor * factor, 2.0**64)
        if not math.isfinite(high):
            raise ValueError(
                f"{what}: the log loss keeps falling as the scale grows past the float range; "
                "there is no finite answer"
            )
    beta = high / 2 if low == 0.0 else math.sqrt(low) * math.sqrt(high)
    for _ in range(MAX_ITERATIONS):
        sign, step = slope(beta)
        if sign == 0:
            return beta
        if sign < 0:
            low = beta
        else:
            high = beta
        newton = beta + step
        if low < newton < high:
            following = newton
        elif low > 0 and high > 4 * low:
            following = math.sqrt(low) * math.sqrt(high)
        else:
            following = low + (high - low) / 2
        done = (
            abs(following - beta) <= _RELATIVE_TOLERANCE * beta
            or high - low <= _RELATIVE_TOLERANCE * high
        )
        beta = following
        if done:
            return beta
    warn(
        f"{what} did not converge in {MAX_ITERATIONS} steps: the answer is only as good as "
        f"the bracket [{1 / high if high else math.inf:.17g}, {1 / low if low else math.inf:.17g}]"
        " of the temperature"
    )
    return beta


def fit_platt(z: ArrayLike, y: ArrayLike, *, smoothed_targets: bool = True) -> tuple[float, float]:
    r"""Platt (sigmoid) scaling: the slope :math:`a` and intercept :math:`b` of :math:`\hat p = \sigma(a z + b)`.

    A one-feature logistic regression of the labels on the scores ``z`` (for example a
    model's held-out logits), fitted by minimising the log loss with Newton's method. With
    ``smoothed_targets`` (the default, Platt 1999) the labels 1 and 0 are replaced by
    :math:`(n_+ + 1)/(n_+ + 2)` and :math:`1/(n_- + 2)`, which keeps the fit finite even
    when ``z`` separates the labels, and makes it the fit that
    ``sklearn.calibration.CalibratedClassifierCV(method="sigmoid")`` uses (whose
    :math:`A, B` in :math:`1/(1 + e^{A f + B})` are :math:`-a, -b`). With
    ``smoothed_targets=False`` it is the plain maximum-likelihood fit. With
    :math:`b = 0`, :math:`a = 1/T` is temperature scaling.

    The fit is equivariant, to rounding: scores scaled by ``c`` (1e-200 to 1e200) give
    :math:`(a / c, b)`, and shifted scores the same probabilities. The scores are divided
    by a power of two near their largest magnitude, centred and scaled to unit spread
    before Newton's method (with a line search and a damped 2 × 2 solve) runs on them, and
    it stops on a relative criterion; it warns if it stops after ``MAX_ITERATIONS`` (200)
    steps without converging.

    Parameters
    ----------
    z
        Scores of the positive class, one per sample (for example held-out logits).
    y
        Labels 0 and 1, one per sample.
    smoothed_targets
        Platt's targets :math:`(n_+ + 1)/(n_+ + 2)` and :math:`1/(n_- + 2)` (the default),
        or the labels themselves (the maximum-likelihood fit).

    Raises
    ------
    ValueError
        For labels other than 0 and 1, non-finite scores, different shapes, scores that
        are all equal, or (unsmoothed only) scores that separate the labels.

    Examples
    --------
    >>> a, b = fit_platt([-2.0, -1.0, 0.0, 1.0, 2.0, 3.0], [0, 0, 1, 0, 1, 1])
    >>> round(a, 4), round(b, 4)
    (0.5355, -0.2678)
    """
    smoothed_targets = check_flag(smoothed_targets, "smoothed_targets")
    scores, labels = _logits_and_labels(z, y)
    if scores.ndim != 1:
        raise ValueError(f"z must be one-dimensional (binary scores), got shape {scores.shape}")
    if np.ptp(scores) == 0:  # (no overflow: scores lie within ±1.8e308, ptp is 0 or not)
        raise ValueError("z is constant: a slope cannot be fitted to scores that are all equal")
    targets = labels.astype(float)
    if smoothed_targets:
        n_positive = float(labels.sum())
        n_negative = labels.size - n_positive
        targets = np.where(labels > 0, (n_positive + 1) / (n_positive + 2), 1 / (n_negative + 2))
    elif (scores[labels == 1].min(initial=np.inf) > scores[labels == 0].max(initial=-np.inf)) or (
        scores[labels == 1].max(initial=-np.inf) < scores[labels == 0].min(initial=np.inf)
    ):
        raise ValueError(
            "z separates y perfectly: the maximum-likelihood slope is infinite; "
            "use smoothed_targets=True"
        )
    # Fit σ(α x + β) on standardised scores x = (z / u - m) / s (u a power of two near the
    # largest |z|, so z / u is exact and at most 1; m their mean, s their spread), then map
    # back: a = α / (u s), b = β - α m / s. Scaled or shifted scores give the same x, up to
    # rounding, and so the scaled answer or the same probabilities; the Hessian in x is of
    # order one and cannot overflow or underflow.
    unit = _power_of_two_near(float(np.abs(scores).max()))
    with np.errstate(under="ignore"):
        unit_scores = scores / unit
    centre = float(np.mean(unit_scores))
    centred = unit_scores - centre
    spread = float(np.sqrt(np.mean(centred * centred)))
    if spread == 0.0:
        raise ValueError("z is constant: a slope cannot be fitted to scores that are all equal")
    x = centred / spread
    alpha, beta = _newton_logistic(x, targets)
    return float(alpha / spread / unit), float(beta - alpha * centre / spread)


def _newton_logistic(x: FloatArray, targets: FloatArray) -> tuple[float, float]:
    """Slope and intercept minimising the mean log loss of ``σ(α x + β)`` against ``targets``,
    for standardised ``x`` (mean 0, mean square 1), by Newton's method with a line search.

    The 2 × 2 system is solved by hand, with the Hessian damped when it is nearly singular
    (scores that all but separate the labels), so there is never a ``LinAlgError``. It
    stops when the Newton decrement (the loss still to gain) is below ``1e-28`` or a step
    moves the answer by less than :data:`_RELATIVE_TOLERANCE`, and warns when
    ``MAX_ITERATIONS`` (200) pass first.
    """

    def mean_loss(alpha: float, beta: float) -> float:
        t = alpha * x + beta
        return float(np.mean(-(targets * _log_sigmoid(t) + (1.0 - targets) * _log_sigmoid(-t))))

    alpha, beta = 0.0, 0.0
    loss = mean_loss(alpha, beta)
    for _ in range(MAX_ITERATIONS):
        with np.errstate(under="ignore"):
            t = alpha * x + beta
            q = np.exp(_log_sigmoid(t))
            w = np.exp(_log_sigmoid(t) + _log_sigmoid(-t))  # q (1 - q), without cancelling
        g_alpha, g_beta = float(np.mean((q - targets) * x)), float(np.mean(q - targets))
        h_aa, h_ab, h_bb = float(np.mean(w * x * x)), float(np.mean(w * x)), float(np.mean(w))
        damping = 0.0
        while True:
            det = (h_aa + damping) * (h_bb + damping) - h_ab * h_ab
            if det > 1e-12 * (h_aa + damping) * (h_bb + damping) or damping > 1e300:
                break
            damping = max(2.0 * damping, 1e-12 * max(h_aa, h_bb, 1e-300))
        step_alpha = ((h_bb + damping) * g_alpha - h_ab * g_beta) / det
        step_beta = ((h_aa + damping) * g_beta - h_ab * g_alpha) / det
        decrement = g_alpha * step_alpha + g_beta * step_beta
        if decrement <= 1e-28:
            return alpha, beta
        shrink = 1.0
        while (new_loss := mean_loss(alpha - shrink * step_alpha, beta - shrink * step_beta)) > (
            loss
        ) and shrink > 1e-10:
            shrink /= 2
        new_alpha, new_beta = alpha - shrink * step_alpha, beta - shrink * step_beta
        moved = max(abs(new_alpha - alpha), abs(new_beta - beta))
        alpha, beta, loss = new_alpha, new_beta, min(new_loss, loss)
        if moved <= _RELATIVE_TOLERANCE * max(1.0, abs(alpha), abs(beta)):
            return alpha, beta
    warn(
        f"fit_platt did not converge in {MAX_ITERATIONS} Newton steps; the slope and "
        "intercept are the last iterate"
    )
    return alpha, beta
