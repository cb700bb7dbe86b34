"""Logistic regression trained by plain gradient descent, with cross-entropy or squared error.

This is the experiment behind the log-loss chapter's comparison of the two losses: both use
the same model, the same data, the same starting point, and each its own step size, and the
history of every step is kept (on the training data and, if given, on held-out data) so it
can be plotted and read off.

For a model :math:`z_i = x_i \\cdot w + b`, :math:`\\hat p_i = \\sigma(z_i)`, the losses and
their gradients with respect to the logit are

* cross-entropy: :math:`\\ell = -y \\log \\hat p - (1 - y) \\log (1 - \\hat p)`,
  :math:`\\partial \\ell / \\partial z = \\hat p - y`;
* squared error: :math:`\\ell = (\\hat p - y)^2`,
  :math:`\\partial \\ell / \\partial z = 2 (\\hat p - y)\\, \\hat p (1 - \\hat p)`.

The factor :math:`\\hat p (1 - \\hat p)` is why squared error learns slowly from confident
mistakes: when the sigmoid saturates on the wrong side, its gradient vanishes. The mean
cross-entropy is convex in :math:`(w, b)`; the mean squared error through a sigmoid is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.arithmetic import FloatArray
from xent.validation import (
    as_finite_array,
    as_probabilities,
    check_integer,
    check_real,
    check_same_shape,
)

__all__ = [
    "LOSSES",
    "MAX_STEPS",
    "LogisticFit",
    "TrainingHistory",
    "fit_logistic_regression",
    "logit_gradient",
    "loss_and_gradient",
    "train_logistic_regression",
]

Loss = Literal["cross_entropy", "squared_error"]
LOSSES: tuple[Loss, ...] = ("cross_entropy", "squared_error")
MAX_STEPS = 10_000_000
"""The largest ``n_steps`` accepted: more is a typo, not an experiment."""


def _check_loss(loss: str) -> None:
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")


def _array(value: ArrayLike, name: str, *, labels: bool = False, min_ndim: int = 1) -> FloatArray:
    if labels:
        return as_probabilities(value, name, min_ndim=min_ndim)
    return as_finite_array(value, name, min_ndim=min_ndim)


# The loop of train_logistic_regression evaluates these thousands of times on arrays it has
# checked once, so they are NumPy lines rather than calls of the checked public functions.


def _sigmoid(z: FloatArray) -> FloatArray:
    """σ(z) = 1 / (1 + e^{-z}) for z ≥ 0 and e^{z} / (1 + e^{z}) below: exp never overflows."""
    small = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, small) / (1.0 + small)


def _cross_entropy(y: FloatArray, z: FloatArray) -> FloatArray:
    """log(1 + e^{-|z|}) + y max(-z, 0) + (1 - y) max(z, 0): the form of
    :func:`xent.binary_cross_entropy_with_logits`, whose terms are all non-negative."""
    return np.log1p(np.exp(-np.abs(z))) + y * np.maximum(-z, 0.0) + (1.0 - y) * np.maximum(z, 0.0)


def logit_gradient(y_true: ArrayLike, z: ArrayLike, *, loss: Loss) -> FloatArray:
    r"""Derivative of each sample's loss with respect to its logit, :math:`\partial \ell_i / \partial z_i`.

    ``hat p - y`` for cross-entropy, ``2 (hat p - y) hat p (1 - hat p)`` for squared error.

    Raises
    ------
    ValueError
        For an unknown ``loss``, labels outside [0, 1], non-finite logits or different shapes.

    Examples
    --------
    >>> logit_gradient([1.0], [-10.0], loss="cross_entropy").round(4)
    array([-1.])
    >>> logit_gradient([1.0], [-10.0], loss="squared_error").round(4)
    array([-0.0001])
    """
    _check_loss(loss)
    targets = _array(y_true, "y_true", labels=True)
    logits = _array(z, "z")
    check_same_shape(targets, logits, "y_true", "z")
    return _logit_gradient(targets, logits, loss)


def _logit_gradient(targets: FloatArray, logits: FloatArray, loss: Loss) -> FloatArray:
    p = _sigmoid(logits)
    if loss == "cross_entropy":
        return p - targets
    return 2.0 * (p - targets) * p * (1.0 - p)


def _per_sample_loss(targets: FloatArray, logits: FloatArray, loss: Loss) -> FloatArray:
    if loss == "cross_entropy":
        return _cross_entropy(targets, logits)
    return (_sigmoid(logits) - targets) ** 2


def _mean_gradient(
    features: FloatArray, targets: FloatArray, logits: FloatArray, loss: Loss
) -> tuple[FloatArray, float]:
    """The mean loss's gradient for the logits ``features @ weights + bias``: ``(∂L/∂w, ∂L/∂b)``."""
    g = _logit_gradient(targets, logits, loss)
    n = targets.size
    return features.T @ g / n, float(g.sum() / n)


def _mean_loss_and_gradient(
    features: FloatArray, targets: FloatArray, logits: FloatArray, loss: Loss
) -> tuple[float, FloatArray, float]:
    """Mean loss and its gradient for the logits ``features @ weights + bias``."""
    return (
        float(_per_sample_loss(targets, logits, loss).mean()),
        *_mean_gradient(features, targets, logits, loss),
    )


def loss_and_gradient(
    X: ArrayLike, y: ArrayLike, weights: ArrayLike, bias: float, *, loss: Loss
) -> tuple[float, FloatArray, float]:
    r"""The mean loss over the samples and its analytic gradient with respect to ``weights`` and ``bias``.

    .. math:: L = \frac{1}{n} \sum_i \ell(y_i, x_i \cdot w + b), \qquad
              \nabla_w L = \frac{1}{n} X^\top g, \quad \partial_b L = \frac{1}{n} \sum_i g_i

    where :math:`g_i = \partial \ell_i / \partial z_i` (:func:`logit_gradient`).

    Returns
    -------
    (loss, gradient with respect to the weights, derivative with respect to the bias)

    Raises
    ------
    ValueError, TypeError
        As :func:`train_logistic_regression`, naming the argument.

    Examples
    --------
    >>> value, grad_w, grad_b = loss_and_gradient([[1.0], [-1.0]], [1, 0], [0.0], 0.0, loss="cross_entropy")
    >>> round(value, 6), grad_w.round(6), round(grad_b, 6)
    (0.693147, array([-0.5]), 0.0)
    """
    _check_loss(loss)
    features, targets = _checked_data(X, y, "X", "y")
    w = _weights(weights, "weights", features.shape[1])
    b = check_real(bias, "bias")
    return _mean_loss_and_gradient(features, targets, features @ w + b, loss)


def _weights(value: ArrayLike, name: str, n_features: int) -> FloatArray:
    w = _array(value, name)
    if w.shape != (n_features,):
        raise ValueError(
            f"{name} must have shape ({n_features},), one per feature, got shape {w.shape}"
        )
    return w


def _checked_data(
    X: ArrayLike, y: ArrayLike, x_name: str, y_name: str
) -> tuple[FloatArray, FloatArray]:
    features = _array(X, x_name, min_ndim=2)
    targets = _array(y, y_name, labels=True)
    if features.ndim != 2 or targets.ndim != 1 or features.shape[0] != targets.size:
        raise ValueError(
            f"{x_name} must be (n_samples, n_features) and {y_name} (n_samples,), got "
            f"{features.shape} and {targets.shape}"
        )
    return features, targets


@dataclass(frozen=True)
class TrainingHistory:
    """What :func:`train_logistic_regression` did, step by step.

    Every array has one entry per step, starting with the initial parameters (so
    ``n_steps + 1`` entries): the loss being minimised (``objective``), the training log
    loss (the same yardstick for both losses), the training accuracy, the Euclidean norm of
    the full gradient ``(grad_w, grad_b)`` and of the weights ``w`` (bias excluded). When
    held-out data were given, ``val_log_loss``, ``val_brier`` (mean squared error of the
    probability) and ``val_accuracy`` are recorded at every step too; otherwise they are
    ``None``.
    """

    loss: Loss
    weights: FloatArray
    bias: float
    objective: FloatArray
    log_loss: FloatArray
    accuracy: FloatArray
    gradient_norm: FloatArray
    weight_norm: FloatArray
    val_log_loss: FloatArray | None = None
    val_brier: FloatArray | None = None
    val_accuracy: FloatArray | None = None

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """The fitted model's probability of class 1 for each row of ``X``."""
        return _sigmoid(self.decision_function(X))

    def decision_function(self, X: ArrayLike) -> FloatArray:
        """The fitted model's logit ``x · w + b`` for each row of ``X``."""
        features = _array(X, "X", min_ndim=2)
        if features.ndim != 2 or features.shape[1] != self.weights.size:
            raise ValueError(
                f"X must have shape (n_samples, {self.weights.size}), got {features.shape}"
            )
        return features @ self.weights + self.bias

    def steps_to_reach(self, log_loss: float) -> int | None:
        """The first step at which the training log loss is at most ``log_loss``, or None."""
        return _first(self.log_loss <= log_loss)

    def first_rise(self) -> int | None:
        r"""The first step at which the objective is higher than at the step before, or None:
        the smallest :math:`t \ge 1` with :math:`L_t > L_{t-1}`, where :math:`L_t` is
        ``objective[t]``.

        Gradient descent with a small enough rate lowers the objective at every step; a rise
        means the step overshot: it went past the lowest point along the negative gradient.

        >>> history = train_logistic_regression([[1.0], [1.0], [1.0]], [1, 1, 0],
        ...                                     learning_rate=12.0, n_steps=5)
        >>> history.first_rise()
        1
        """
        before = _first(np.diff(self.objective) > 0)  # step `before` to `before + 1` rose
        return None if before is None else before + 1

    def steps_to_accuracy(self, accuracy: float, *, held_out: bool = False) -> int | None:
        """The first step at which the accuracy is at least ``accuracy``, or None.

        The training accuracy, or with ``held_out=True`` the accuracy on the held-out data.
        """
        if not held_out:
            return _first(self.accuracy >= accuracy)
        if self.val_accuracy is None:
            raise ValueError("held_out=True needs a run trained with X_val and y_val")
        return _first(self.val_accuracy >= accuracy)


def _first(reached: NDArray[np.bool_]) -> int | None:
    hits = np.flatnonzero(reached)
    return int(hits[0]) if hits.size else None


def _scores_along_the_path(
    path_w: FloatArray, path_b: FloatArray, features: FloatArray, targets: FloatArray
) -> dict[str, FloatArray]:
    """Log loss, Brier score and accuracy on ``(features, targets)`` of the model at every
    step of a path of parameters, a thousand steps at a time."""
    scores: dict[str, list[FloatArray]] = {"log_loss": [], "brier": [], "accuracy": []}
    for start in range(0, path_b.size, 1000):
        logits = path_w[start : start + 1000] @ features.T + path_b[start : start + 1000, None]
        scores["log_loss"].append(_cross_entropy(targets, logits).mean(axis=1))
        scores["brier"].append(((_sigmoid(logits) - targets) ** 2).mean(axis=1))
        scores["accuracy"].append(((logits > 0) == (targets > 0.5)).mean(axis=1))
    return {name: np.concatenate(parts) for name, parts in scores.items()}


def train_logistic_regression(
    X: ArrayLike,
    y: ArrayLike,
    *,
    loss: Loss = "cross_entropy",
    learning_rate: float = 1.0,
    n_steps: int = 1000,
    initial_weights: ArrayLike | None = None,
    initial_bias: float = 0.0,
    X_val: ArrayLike | None = None,
    y_val: ArrayLike | None = None,
) -> TrainingHistory:
    r"""Fit :math:`P(y = 1 \mid x) = \sigma(x \cdot w + b)` by full-batch gradient descent.

    Each step is :math:`(w, b) \leftarrow (w, b) - \eta \nabla L(w, b)` with the fixed
    ``learning_rate`` :math:`\eta`, and no regularisation, so with cross-entropy the
    weights approach the maximum-likelihood fit (what scikit-learn's
    ``LogisticRegression(C=np.inf)`` finds) when the classes are not separable. The start
    is ``initial_weights`` (zeros by default) and ``initial_bias``. With held-out data
    ``X_val, y_val`` their log loss, Brier score and accuracy are recorded at every step.

    Raises
    ------
    ValueError
        For an unknown ``loss``; a ``learning_rate`` that is not positive and finite; an
        ``n_steps`` below 1 or above :data:`MAX_STEPS`; an ``initial_bias`` that is NaN or
        infinite; ``initial_weights`` of the wrong shape; labels outside [0, 1]; data of the
        wrong shape; ``X_val`` without ``y_val`` or the reverse.
    TypeError
        For a ``learning_rate`` or ``initial_bias`` that is not a real number (a bool, a
        ``Fraction``, a string), an ``n_steps`` that is not an integer (a float, a bool), or
        masked or non-numeric arrays.

    Examples
    --------
    >>> history = train_logistic_regression([[-1.0], [1.0], [2.0], [-2.0], [0.5]], [0, 1, 1, 0, 0],
    ...                                     n_steps=200)
    >>> float(history.accuracy[-1])
    1.0
    """
    _check_loss(loss)
    rate = check_real(learning_rate, "learning_rate", low=0.0, low_open=True)
    steps = check_integer(n_steps, "n_steps", low=1, high=MAX_STEPS)
    bias = check_real(initial_bias, "initial_bias")
    features, targets = _checked_data(X, y, "X", "y")
    n_features = features.shape[1]
    weights = (
        np.zeros(n_features)
        if initial_weights is None
        else _weights(initial_weights, "initial_weights", n_features).copy()
    )
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together (or neither)")
    held_out = None
    if X_val is not None and y_val is not None:
        held_out = _checked_data(X_val, y_val, "X_val", "y_val")
        if held_out[0].shape[1] != n_features:
            raise ValueError(
                f"X_val must have {n_features} features like X, got {held_out[0].shape[1]}"
            )
    # The loop takes the steps and keeps the path; the losses along it are computed after,
    # a thousand steps at a time (the step itself needs only the gradient).
    path_w, path_b = np.empty((steps + 1, n_features)), np.empty(steps + 1)
    gradient_norm = np.empty(steps + 1)
    for step in range(steps + 1):
        path_w[step], path_b[step] = weights, bias
        grad_w, grad_b = _mean_gradient(features, targets, features @ weights + bias, loss)
        gradient_norm[step] = np.sqrt(grad_w @ grad_w + grad_b**2)
        if step < steps:
            weights = weights - rate * grad_w
            bias -= rate * grad_b
    train = _scores_along_the_path(path_w, path_b, features, targets)
    records = {
        "objective": train["log_loss" if loss == "cross_entropy" else "brier"],
        "gradient_norm": gradient_norm,
        "weight_norm": np.sqrt(np.einsum("ij,ij->i", path_w, path_w)),
        "log_loss": train["log_loss"],
        "accuracy": train["accuracy"],
    }
    if held_out is not None:
        val = _scores_along_the_path(path_w, path_b, *held_out)
        records.update({f"val_{name}": values for name, values in val.items()})
    return TrainingHistory(
        loss=loss,
        weights=weights,
        bias=bias,
        **records,
    )


@dataclass(frozen=True)
class LogisticFit:
    """The minimum that :func:`fit_logistic_regression` found.

    ``objective`` is the mean loss there, ``iterations`` the optimiser's iterations, and
    ``converged`` whether it stopped because the gradient's largest component fell below the
    tolerance (rather than at the iteration limit or in a failed line search).
    """

    loss: Loss
    weights: FloatArray
    bias: float
    objective: float
    iterations: int
    converged: bool

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """The fitted model's probability of class 1 for each row of ``X``."""
        features = _array(X, "X", min_ndim=2)
        if features.ndim != 2 or features.shape[1] != self.weights.size:
            raise ValueError(
                f"X must have shape (n_samples, {self.weights.size}), got {features.shape}"
            )
        return _sigmoid(features @ self.weights + self.bias)


def _logit_curvature(targets: FloatArray, logits: FloatArray, loss: Loss) -> FloatArray:
    """Second derivative of each sample's loss in its logit, :math:`\\partial^2 \\ell_i / \\partial z_i^2`:
    ``p (1 - p)`` for cross-entropy, ``2 p (1 - p) (p (1 - p) + (p - y)(1 - 2 p))`` for
    squared error (negative where a confident mistake makes it non-convex)."""
    p = _sigmoid(logits)
    slope = p * (1.0 - p)
    if loss == "cross_entropy":
        return slope
    return 2.0 * slope * (slope + (p - targets) * (1.0 - 2.0 * p))


def fit_logistic_regression(
    X: ArrayLike,
    y: ArrayLike,
    *,
    loss: Loss = "cross_entropy",
    gradient_tolerance: float = 1e-9,
    max_iterations: int = 1000,
) -> LogisticFit:
    r"""Minimise the mean loss of :math:`\hat p = \sigma(x \cdot w + b)` to convergence.

    .. math:: \min_{w, b}\; L(w, b) = \frac{1}{n} \sum_i \ell\bigl(y_i, x_i \cdot w + b\bigr)

    where :math:`\ell` is cross-entropy or squared error (:func:`loss_and_gradient`), by
    damped Newton steps :math:`\theta \leftarrow \theta - (\nabla^2 L + \lambda I)^{-1}
    \nabla L` from zero weights, with :math:`\lambda \ge 0` raised until the step lowers
    :math:`L` and the matrix is positive definite (Levenberg–Marquardt), until every
    component of the gradient is below ``gradient_tolerance``. Where
    :func:`train_logistic_regression` shows the path of plain gradient descent, this gives
    its end.

    With cross-entropy the problem is convex and the answer is the maximum-likelihood fit
    (scikit-learn's ``LogisticRegression(C=np.inf)``) when the classes are not separable.
    With squared error it is a local minimum of a non-convex objective, and the objective
    can keep decreasing as the weights grow: a sample's squared error is at most 1, so the
    samples predicted confidently wrong stop costing more while the rest are fitted ever
    more confidently. The weights then stop where the gradient falls below the tolerance.

    Raises
    ------
    ValueError
        For an unknown ``loss``, labels outside [0, 1], data of the wrong shape, a
        ``gradient_tolerance`` that is not positive and finite, or ``max_iterations`` below 1.
    TypeError
        For masked or non-numeric arrays, or arguments of the wrong type.

    Examples
    --------
    >>> fit = fit_logistic_regression([[-2.0], [-1.0], [0.0], [1.0], [2.0]], [0, 1, 0, 1, 1])
    >>> fit.converged, round(float(fit.weights[0]), 4), round(fit.bias, 4)
    (True, 1.0904, 0.6227)
    """
    _check_loss(loss)
    tolerance = check_real(gradient_tolerance, "gradient_tolerance", low=0.0, low_open=True)
    limit = check_integer(max_iterations, "max_iterations", low=1, high=MAX_STEPS)
    features, targets = _checked_data(X, y, "X", "y")
    design = np.column_stack([features, np.ones(targets.size)])  # the bias is the last weight
    n = targets.size

    def value(theta: FloatArray) -> float:
        return float(_per_sample_loss(targets, design @ theta, loss).mean())

    theta, damping, iterations = np.zeros(design.shape[1]), 1e-6, 0
    current = value(theta)
    gradient = design.T @ _logit_gradient(targets, design @ theta, loss) / n
    while np.abs(gradient).max() > tolerance and iterations < limit:
        iterations += 1
        logits = design @ theta
        hessian = design.T @ (_logit_curvature(targets, logits, loss)[:, None] * design) / n
        while damping < 1e12:
            try:
                factor = np.linalg.cholesky(hessian + damping * np.eye(theta.size))
            except np.linalg.LinAlgError:  # not positive definite: damp more
                damping *= 10.0
                continue
            step = -np.linalg.solve(factor.T, np.linalg.solve(factor, gradient))
            candidate = value(theta + step)
            if candidate <= current:
                theta, current = theta + step, candidate
                damping = max(damping / 10.0, 1e-12)
                break
            damping *= 10.0
        else:  # no step lowers the loss any more: rounding, not a direction, is left
            break
        gradient = design.T @ _logit_gradient(targets, design @ theta, loss) / n
    return LogisticFit(
        loss=loss,
        weights=theta[:-1].copy(),
        bias=float(theta[-1]),
        objective=current,
        iterations=iterations,
        converged=bool(np.abs(gradient).max() <= tolerance),
    )
