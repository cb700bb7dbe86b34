"""Logistic regression trained by plain gradient descent, with cross-entropy or squared error.

This is the experiment behind the claim that cross-entropy trains a sigmoid model better
than squared error: both losses use the same model, the same data, the same starting point
and the same step size, and the history of every step is kept so it can be plotted.

For a model :math:`z_i = x_i \\cdot w + b`, :math:`\\hat p_i = \\sigma(z_i)`, the losses and
their gradients with respect to the logit are

* cross-entropy: :math:`\\ell = -y \\log \\hat p - (1 - y) \\log (1 - \\hat p)`,
  :math:`\\partial \\ell / \\partial z = \\hat p - y`;
* squared error: :math:`\\ell = (\\hat p - y)^2`,
  :math:`\\partial \\ell / \\partial z = 2 (\\hat p - y)\\, \\hat p (1 - \\hat p)`.

The factor :math:`\\hat p (1 - \\hat p)` is why squared error learns slowly from confident
mistakes: when the sigmoid saturates on the wrong side, its gradient vanishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.logistic import binary_cross_entropy_with_logits, sigmoid
from xent.validation import as_finite_array, as_probabilities, check_same_shape

__all__ = [
    "LOSSES",
    "TrainingHistory",
    "logit_gradient",
    "loss_and_gradient",
    "train_logistic_regression",
]

Loss = Literal["cross_entropy", "squared_error"]
LOSSES: tuple[Loss, ...] = ("cross_entropy", "squared_error")
FloatArray = NDArray[np.float64]


def _check_loss(loss: str) -> None:
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")


def logit_gradient(y_true: ArrayLike, z: ArrayLike, *, loss: Loss) -> FloatArray:
    r"""Derivative of each sample's loss with respect to its logit, :math:`\partial \ell_i / \partial z_i`.

    ``hat p - y`` for cross-entropy, ``2 (hat p - y) hat p (1 - hat p)`` for squared error.

    Examples
    --------
    >>> logit_gradient([1.0], [-10.0], loss="cross_entropy").round(4)
    array([-1.])
    >>> logit_gradient([1.0], [-10.0], loss="squared_error").round(4)
    array([-0.0001])
    """
    _check_loss(loss)
    targets = as_probabilities(y_true, "y_true", min_ndim=1)
    logits = as_finite_array(z, "z", min_ndim=1)
    check_same_shape(targets, logits, "y_true", "z")
    return _logit_gradient(targets, logits, loss)


def _logit_gradient(targets: FloatArray, logits: FloatArray, loss: Loss) -> FloatArray:
    p = np.asarray(sigmoid(logits))
    if loss == "cross_entropy":
        return p - targets
    return 2.0 * (p - targets) * p * (1.0 - p)


def _per_sample_loss(targets: FloatArray, logits: FloatArray, loss: Loss) -> FloatArray:
    if loss == "cross_entropy":
        return np.asarray(binary_cross_entropy_with_logits(targets, logits))
    return (np.asarray(sigmoid(logits)) - targets) ** 2


def _mean_loss_and_gradient(
    features: FloatArray, targets: FloatArray, logits: FloatArray, loss: Loss
) -> tuple[float, FloatArray, float]:
    """Mean loss and its gradient for the logits ``features @ weights + bias``."""
    g = _logit_gradient(targets, logits, loss)
    n = targets.size
    return (
        float(_per_sample_loss(targets, logits, loss).mean()),
        features.T @ g / n,
        float(g.sum() / n),
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

    Examples
    --------
    >>> value, grad_w, grad_b = loss_and_gradient([[1.0], [-1.0]], [1, 0], [0.0], 0.0, loss="cross_entropy")
    >>> round(value, 6), grad_w.round(6), round(grad_b, 6)
    (0.693147, array([-0.5]), 0.0)
    """
    _check_loss(loss)
    features, targets = _checked_data(X, y)
    w = as_finite_array(weights, "weights", min_ndim=1)
    if w.shape != (features.shape[1],):
        raise ValueError(f"weights must have shape ({features.shape[1]},), got {w.shape}")
    return _mean_loss_and_gradient(features, targets, features @ w + float(bias), loss)


def _checked_data(X: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    features = as_finite_array(X, "X", min_ndim=2)
    targets = as_probabilities(y, "y", min_ndim=1)
    if features.ndim != 2 or targets.ndim != 1 or features.shape[0] != targets.size:
        raise ValueError(
            f"X must be (n_samples, n_features) and y (n_samples,), got {features.shape} and "
            f"{targets.shape}"
        )
    return features, targets


@dataclass(frozen=True)
class TrainingHistory:
    """What :func:`train_logistic_regression` did, step by step.

    Every array has one entry per step, starting with the initial parameters (so
    ``n_steps + 1`` entries): the loss being minimised, the training log loss (the same
    yardstick for both losses), the training accuracy, and the Euclidean norm of the full
    gradient ``(grad_w, grad_b)``.
    """

    loss: Loss
    weights: FloatArray
    bias: float
    objective: FloatArray
    log_loss: FloatArray
    accuracy: FloatArray
    gradient_norm: FloatArray

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """The fitted model's probability of class 1 for each row of ``X``."""
        features = as_finite_array(X, "X", min_ndim=2)
        return np.asarray(sigmoid(features @ self.weights + self.bias))

    def steps_to_reach(self, log_loss: float) -> int | None:
        """The first step at which the training log loss is at most ``log_loss``, or None."""
        return _first(self.log_loss <= log_loss)

    def steps_to_accuracy(self, accuracy: float) -> int | None:
        """The first step at which the training accuracy is at least ``accuracy``, or None."""
        return _first(self.accuracy >= accuracy)


def _first(reached: NDArray[np.bool_]) -> int | None:
    hits = np.flatnonzero(reached)
    return int(hits[0]) if hits.size else None


def train_logistic_regression(
    X: ArrayLike,
    y: ArrayLike,
    *,
    loss: Loss = "cross_entropy",
    learning_rate: float = 1.0,
    n_steps: int = 1000,
    initial_weights: ArrayLike | None = None,
    initial_bias: float = 0.0,
) -> TrainingHistory:
    r"""Fit :math:`P(y = 1 \mid x) = \sigma(x \cdot w + b)` by full-batch gradient descent.

    Each step is :math:`(w, b) \leftarrow (w, b) - \eta \nabla L(w, b)` with the fixed
    ``learning_rate`` :math:`\eta`, and no regularisation, so with cross-entropy the
    weights approach the maximum-likelihood fit (what scikit-learn's
    ``LogisticRegression(C=np.inf)`` finds) when the classes are not separable.

    Raises
    ------
    ValueError
        For an unknown ``loss``, a non-positive ``learning_rate`` or ``n_steps``, labels
        outside [0, 1], or data of the wrong shape.

    Examples
    --------
    >>> history = train_logistic_regression([[-1.0], [1.0], [2.0], [-2.0], [0.5]], [0, 1, 1, 0, 0],
    ...                                     n_steps=200)
    >>> float(history.accuracy[-1])
    1.0
    """
    _check_loss(loss)
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    if not (isinstance(n_steps, int) and n_steps >= 1):
        raise ValueError(f"n_steps must be a positive integer, got {n_steps!r}")
    features, targets = _checked_data(X, y)
    n_features = features.shape[1]
    weights = (
        np.zeros(n_features)
        if initial_weights is None
        else as_finite_array(initial_weights, "initial_weights", min_ndim=1).copy()
    )
    bias = float(initial_bias)
    records: dict[str, list[float]] = {
        "objective": [],
        "log_loss": [],
        "accuracy": [],
        "gradient_norm": [],
    }
    for step in range(n_steps + 1):
        logits = features @ weights + bias
        value, grad_w, grad_b = _mean_loss_and_gradient(features, targets, logits, loss)
        records["objective"].append(value)
        records["log_loss"].append(
            value
            if loss == "cross_entropy"
            else float(np.mean(np.asarray(binary_cross_entropy_with_logits(targets, logits))))
        )
        records["accuracy"].append(float(np.mean((logits > 0) == (targets > 0.5))))
        records["gradient_norm"].append(float(np.sqrt(grad_w @ grad_w + grad_b**2)))
        if step < n_steps:
            weights = weights - learning_rate * grad_w
            bias -= learning_rate * grad_b
    return TrainingHistory(
        loss=loss,
        weights=weights,
        bias=bias,
        **{name: np.array(values) for name, values in records.items()},
    )
