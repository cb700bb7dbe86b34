r"""The multi-class model: softmax with a temperature, the gradient of its loss, and training.

For logits :math:`z \in \mathbb{R}^K` and a target distribution :math:`y` over the
:math:`K` classes (one-hot for a hard label), the softmax cross-entropy and its derivatives
with respect to the logits are

.. math::
    \ell(y, z) &= -\sum_k y_k \log \operatorname{softmax}(z)_k
                = \log \sum_j e^{z_j} - \sum_k y_k z_k, \\
    \nabla_z \ell &= \operatorname{softmax}(z) - y, \\
    \nabla_z^2 \ell &= \operatorname{diag}(s) - s s^\top,

with :math:`s = \operatorname{softmax}(z)`. The Hessian does not depend on :math:`y` and is
positive semi-definite, so the loss is convex in the logits; its null direction is the
vector of ones, since adding a constant to every logit changes nothing.

:func:`train_softmax_regression` fits the multinomial logistic regression
:math:`q(\cdot \mid x) = \operatorname{softmax}(x W + b)` by plain full-batch gradient
descent on that loss, the multi-class companion of
:func:`xent.training.train_logistic_regression`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from xent.arithmetic import FloatArray
from xent.logistic import log_softmax, softmax
from xent.validation import (
    as_distribution,
    as_finite_array,
    check_integer,
    check_real,
    check_same_shape,
)

__all__ = [
    "SoftmaxRegressionHistory",
    "softmax_cross_entropy_gradient",
    "softmax_cross_entropy_hessian",
    "softmax_with_temperature",
    "train_softmax_regression",
]



def softmax_with_temperature(z: ArrayLike, temperature: float, *, axis: int = -1) -> FloatArray:
    r"""The softmax of the logits divided by a temperature :math:`T`.

    .. math:: \operatorname{softmax}(z / T)_k = \frac{e^{z_k / T}}{\sum_j e^{z_j / T}}

    :math:`T = 1` is the plain softmax. As :math:`T \to 0` the distribution puts all its
    mass on the largest logit (shared equally by ties); as :math:`T \to \infty` it tends to
    the uniform distribution. The order of the probabilities never changes.

    Raises
    ------
    TypeError
        If ``temperature`` is not a real number (a bool is refused).
    ValueError
        If ``temperature`` is not finite and positive, ``z`` is empty, a scalar or not
        finite, has no axis ``axis``, or ``z / T`` overflows.

    Examples
    --------
    >>> softmax_with_temperature([2.0, 1.0, 0.0], 1.0).round(4)
    array([0.6652, 0.2447, 0.09  ])
    >>> softmax_with_temperature([2.0, 1.0, 0.0], 100.0).round(4)
    array([0.3367, 0.3333, 0.33  ])
    """
    t = check_real(temperature, "temperature", low=0.0, low_open=True)
    logits = as_finite_array(z, "z", min_ndim=1)
    with np.errstate(over="ignore"):  # z / T beyond the float range is caught just below
        scaled = logits / t
    if not np.isfinite(scaled).all():
        raise ValueError(
            f"z / temperature overflows: temperature {temperature!r} is too small for logits "
            f"as large as {float(np.abs(logits).max())!r}"
        )
    return softmax(scaled, axis=axis)


def softmax_cross_entropy_gradient(
    y_true: ArrayLike, z: ArrayLike, *, axis: int = -1
) -> FloatArray:
    r"""Gradient of the softmax cross-entropy with respect to the logits.

    .. math:: \frac{\partial}{\partial z_k}
              \Bigl(-\sum_j y_j \log \operatorname{softmax}(z)_j\Bigr)
              = \operatorname{softmax}(z)_k - y_k

    ``y_true`` is a one-hot label or any probability distribution along ``axis``. Each
    entry lies in ``[-1, 1]`` and the entries along ``axis`` sum to 0.

    Raises
    ------
    ValueError
        If ``y_true`` is not a distribution along ``axis``, ``z`` is not finite, or the
        shapes differ.

    Examples
    --------
    >>> softmax_cross_entropy_gradient([1.0, 0.0], [0.0, 0.0])
    array([-0.5,  0.5])
    >>> softmax_cross_entropy_gradient([0.0, 0.0, 1.0], [10.0, 0.0, -10.0]).round(4)
    array([ 1.,  0., -1.])
    """
    targets, axis = as_distribution(y_true, "y_true", axis=axis)
    logits = as_finite_array(z, "z", min_ndim=1)
    check_same_shape(targets, logits, "y_true", "z")
    return softmax(logits, axis=axis) - targets


def softmax_cross_entropy_hessian(z: ArrayLike) -> FloatArray:
    r"""Hessian of the softmax cross-entropy with respect to one vector of logits.

    .. math:: \nabla_z^2 \ell = \operatorname{diag}(s) - s s^\top,
              \qquad s = \operatorname{softmax}(z)

    It is the same for every target distribution. For any direction :math:`v`,
    :math:`v^\top H v = \sum_k s_k v_k^2 - (\sum_k s_k v_k)^2`, the variance of :math:`v`
    under :math:`s`: never negative, and zero exactly along :math:`v = c \mathbf{1}`.

    Raises
    ------
    ValueError
        If ``z`` is not a finite 1-D array.

    Examples
    --------
    >>> softmax_cross_entropy_hessian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    logits = as_finite_array(z, "z", min_ndim=1)
    if logits.ndim != 1:
        raise ValueError(f"z must be one vector of logits (1-D), got shape {logits.shape}")
    s = softmax(logits)
    return np.diag(s) - np.outer(s, s)


@dataclass(frozen=True)
class SoftmaxRegressionHistory:
    r"""What :func:`train_softmax_regression` did, step by step.

    ``weights`` has shape ``(n_features, n_classes)``, ``bias`` shape ``(n_classes,)``;
    ``classes`` are the labels in the order of the columns. Every record has one entry per
    step, starting with the initial zero parameters (``n_steps + 1`` entries): the mean
    training cross-entropy ``loss``, the ``objective`` that was minimised (the loss plus
    :math:`\tfrac{\lambda}{2} \lVert W \rVert^2`), the training ``accuracy``, and, when
    held-out data were given, ``val_loss`` and ``val_accuracy`` (else None).
    """

    classes: NDArray[np.int64]
    weights: FloatArray
    bias: FloatArray
    l2: float
    loss: FloatArray
    objective: FloatArray
    accuracy: FloatArray
    val_loss: FloatArray | None
    val_accuracy: FloatArray | None

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """The fitted model's distribution over the classes for each row of ``X``."""
        features = _checked_features(X, "X", self.weights.shape[0])
        return softmax(features @ self.weights + self.bias, axis=1)

    def predict(self, X: ArrayLike) -> NDArray[np.int64]:
        """The most probable class for each row of ``X``."""
        chosen: NDArray[np.int64] = self.classes[np.argmax(self.predict_proba(X), axis=1)]
        return chosen


def _checked_features(X: ArrayLike, name: str, n_features: int | None = None) -> FloatArray:
    features = as_finite_array(X, name, min_ndim=2)
    if features.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_samples, n_features), got {features.shape}")
    if n_features is not None and features.shape[1] != n_features:
        raise ValueError(
            f"{name} must have {n_features} features (columns), got {features.shape[1]}"
        )
    return features


def _checked_labels(y: ArrayLike, name: str, n_samples: int) -> NDArray[np.int64]:
    """Class labels as integers: integers, bools, and floats with no fractional part (as
    the other losses take them)."""
    labels = as_finite_array(y, name)
    if (labels != np.round(labels)).any():
        raise ValueError(
            f"{name} must hold whole-number class labels, got "
            f"{labels[labels != np.round(labels)].ravel()[0]:g}"
        )
    if labels.shape != (n_samples,):
        raise ValueError(
            f"{name} must have shape ({n_samples},), one label per row, got {labels.shape}"
        )
    return labels.astype(np.int64)


def _one_hot(labels: NDArray[np.int64], classes: NDArray[np.int64], name: str) -> FloatArray:
    unknown = np.setdiff1d(labels, classes)
    if unknown.size:
        raise ValueError(f"{name} has labels {unknown.tolist()} not seen in y: {classes.tolist()}")
    one_hot: FloatArray = (labels[:, np.newaxis] == classes).astype(np.float64)
    return one_hot


def _mean_loss_and_accuracy(logits: FloatArray, targets: FloatArray) -> tuple[float, float]:
    loss = -np.mean(np.sum(targets * log_softmax(logits, axis=1), axis=1))
    accuracy = np.mean(np.argmax(logits, axis=1) == np.argmax(targets, axis=1))
    return float(loss), float(accuracy)


def train_softmax_regression(
    X: ArrayLike,
    y: ArrayLike,
    *,
    learning_rate: float,
    n_steps: int,
    l2: float = 0.0,
    X_val: ArrayLike | None = None,
    y_val: ArrayLike | None = None,
) -> SoftmaxRegressionHistory:
    r"""Fit :math:`q(\cdot \mid x) = \operatorname{softmax}(x W + b)` by full-batch gradient descent.

    The objective is the mean cross-entropy of the labels plus an L2 penalty on the weights
    (not on the bias):

    .. math::
        J(W, b) &= \frac{1}{n} \sum_i -\log \operatorname{softmax}(x_i W + b)_{y_i}
                  + \frac{\lambda}{2} \lVert W \rVert^2, \\
        \nabla_W J &= \frac{1}{n} X^\top (S - Y) + \lambda W, \\
        \nabla_b J &= \frac{1}{n} \mathbf{1}^\top (S - Y),

    with :math:`S` the predicted distributions and :math:`Y` the one-hot labels, one row per
    sample. Each step is :math:`(W, b) \leftarrow (W, b) - \eta \nabla J` from
    :math:`W = 0, b = 0`. This is scikit-learn's multinomial ``LogisticRegression`` objective
    with ``C = 1 / (l2 * n)``, divided by ``C n``, for three classes or more; for two
    classes scikit-learn fits one binomial vector :math:`w` (the softmax's columns
    :math:`\pm w / 2`, whose penalty is half of :math:`\lVert w \rVert^2`), and the match
    is ``C = 2 / (l2 * n)``. ``l2 = 0`` is maximum likelihood.

    The labels are integers (or bools, or floats with no fractional part); the columns
    follow them in sorted order (``classes``), as in scikit-learn. ``X_val`` and ``y_val``
    (given together) are scored at every step but never trained on.

    Parameters
    ----------
    X
        Features, shape ``(n_samples, n_features)``.
    y
        Class labels, one per row of ``X``.
    learning_rate
        The step size :math:`\eta`, positive.
    n_steps
        The number of gradient steps, at least 1.
    l2
        The penalty :math:`\lambda` on the weights, 0 or more.
    X_val, y_val
        Held-out data scored at every step (given together), never trained on.

    Raises
    ------
    TypeError
        If ``learning_rate`` or ``l2`` is not a number, ``n_steps`` not an integer (bools
        are refused), or the labels are not numeric.
    ValueError
        If ``learning_rate`` is not positive, ``l2`` negative, ``n_steps`` below 1, the data
        have the wrong shapes or are not finite, a label is fractional, ``y`` has fewer
        than two classes, or ``y_val`` has a class that ``y`` lacks.

    Examples
    --------
    >>> X = [[-2.0], [-1.0], [0.0], [1.0], [2.0], [0.2]]
    >>> history = train_softmax_regression(X, [0, 0, 1, 2, 2, 1], learning_rate=1.0, n_steps=300)
    >>> history.predict([[-3.0], [0.1], [3.0]])
    array([0, 1, 2])
    >>> history.predict_proba([[0.1]]).round(2)
    array([[0.02, 0.96, 0.03]])
    """
    rate = check_real(learning_rate, "learning_rate", low=0.0, low_open=True)
    steps = check_integer(n_steps, "n_steps", low=1)
    penalty = check_real(l2, "l2", low=0.0)
    features = _checked_features(X, "X")
    labels = _checked_labels(y, "y", features.shape[0])
    classes = np.unique(labels)
    if classes.size < 2:
        raise ValueError(f"y has only one class ({classes.tolist()}); it needs at least two")
    targets = _one_hot(labels, classes, "y")
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together")
    held_out = None
    if X_val is not None and y_val is not None:
        val_features = _checked_features(X_val, "X_val", features.shape[1])
        val_labels = _checked_labels(y_val, "y_val", val_features.shape[0])
        held_out = (val_features, _one_hot(val_labels, classes, "y_val"))

    n = features.shape[0]
    weights = np.zeros((features.shape[1], classes.size))
    bias = np.zeros(classes.size)
    records: dict[str, list[float]] = {
        key: [] for key in ("loss", "objective", "accuracy", "val_loss", "val_accuracy")
    }
    for step in range(steps + 1):
        logits = features @ weights + bias
        loss, accuracy = _mean_loss_and_accuracy(logits, targets)
        records["loss"].append(loss)
        records["objective"].append(loss + 0.5 * penalty * float(np.sum(weights**2)))
        records["accuracy"].append(accuracy)
        if held_out is not None:
            val_loss, val_accuracy = _mean_loss_and_accuracy(
                held_out[0] @ weights + bias, held_out[1]
            )
            records["val_loss"].append(val_loss)
            records["val_accuracy"].append(val_accuracy)
        if step < steps:
            error = softmax(logits, axis=1) - targets  # S - Y, the gradient on each logit
            weights = weights - rate * (features.T @ error / n + penalty * weights)
            bias = bias - rate * error.mean(axis=0)
    scored = held_out is not None
    return SoftmaxRegressionHistory(
        classes=classes,
        weights=weights,
        bias=bias,
        l2=penalty,
        loss=np.array(records["loss"]),
        objective=np.array(records["objective"]),
        accuracy=np.array(records["accuracy"]),
        val_loss=np.array(records["val_loss"]) if scored else None,
        val_accuracy=np.array(records["val_accuracy"]) if scored else None,
    )
