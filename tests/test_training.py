"""Gradient descent for logistic regression: analytic gradients and the fitted weights."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from xent import training

LOSSES = ["cross_entropy", "squared_error"]


def hand_loss(y: np.ndarray, z: np.ndarray, loss: str) -> np.ndarray:
    """Per-sample losses written from their definitions, independently of xent."""
    p = 1 / (1 + np.exp(-z))
    if loss == "cross_entropy":
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return (p - y) ** 2


@pytest.mark.parametrize("loss", LOSSES)
def test_logit_gradient_matches_finite_differences(loss: str) -> None:
    rng = np.random.default_rng(3)
    z = rng.normal(scale=3, size=40)
    y = rng.uniform(size=40)
    h = 1e-6
    numeric = (hand_loss(y, z + h, loss) - hand_loss(y, z - h, loss)) / (2 * h)
    np.testing.assert_allclose(
        training.logit_gradient(y, z, loss=loss), numeric, rtol=1e-6, atol=1e-9
    )


@pytest.mark.parametrize("loss", LOSSES)
def test_loss_and_gradient_match_finite_differences(loss: str) -> None:
    rng = np.random.default_rng(11)
    X = rng.normal(size=(30, 4))
    y = (rng.uniform(size=30) < 0.5).astype(float)
    w, b = rng.normal(size=4), 0.3
    value, grad_w, grad_b = training.loss_and_gradient(X, y, w, b, loss=loss)  # type: ignore[arg-type]
    assert value == pytest.approx(hand_loss(y, X @ w + b, loss).mean(), rel=1e-13)
    h = 1e-6
    mean = lambda w_, b_: hand_loss(y, X @ w_ + b_, loss).mean()
    numeric_w = [(mean(w + h * e, b) - mean(w - h * e, b)) / (2 * h) for e in np.eye(4)]
    np.testing.assert_allclose(grad_w, numeric_w, rtol=1e-6, atol=1e-10)
    assert grad_b == pytest.approx((mean(w, b + h) - mean(w, b - h)) / (2 * h), rel=1e-6, abs=1e-10)


def test_squared_error_gradient_vanishes_when_confidently_wrong() -> None:
    push = training.logit_gradient([1.0, 1.0], [-12.0, 0.0], loss="squared_error")
    assert abs(push[0]) < 1e-4 < abs(push[1])
    ce = training.logit_gradient([1.0], [-12.0], loss="cross_entropy")
    assert ce[0] == pytest.approx(-1.0, abs=1e-5)


@pytest.fixture(scope="module")
def breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    data = load_breast_cancer()
    columns = [
        list(data.feature_names).index(f"worst {name}")
        for name in ("radius", "texture", "smoothness", "concave points")
    ]
    X_train, _, y_train, _ = train_test_split(
        data.data[:, columns], data.target, test_size=0.25, random_state=0, stratify=data.target
    )
    return StandardScaler().fit_transform(X_train), y_train.astype(float)


def test_cross_entropy_descent_reaches_scikit_learn_maximum_likelihood(
    breast_cancer: tuple[np.ndarray, np.ndarray],
) -> None:
    X, y = breast_cancer
    reference = LogisticRegression(
        C=np.inf, solver="newton-cholesky", tol=1e-14, max_iter=1000
    ).fit(X, y)
    history = training.train_logistic_regression(X, y, learning_rate=4.0, n_steps=8000)
    np.testing.assert_allclose(history.weights, reference.coef_[0], atol=1e-6)
    assert history.bias == pytest.approx(reference.intercept_[0], abs=1e-6)
    assert history.gradient_norm[-1] < 1e-7


def test_history_records_every_step_from_the_start() -> None:
    X = np.array([[-1.0], [1.0], [2.0], [-2.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    history = training.train_logistic_regression(X, y, n_steps=5, loss="squared_error")
    for series in (history.objective, history.log_loss, history.accuracy, history.gradient_norm):
        assert series.shape == (6,)
    assert history.log_loss[0] == pytest.approx(np.log(2))  # zero weights predict 1/2
    assert history.objective[0] == pytest.approx(0.25)
    assert np.all(np.diff(history.objective) < 0)
    assert history.steps_to_reach(history.log_loss[3]) <= 3
    assert history.steps_to_reach(0.0) is None


def test_initial_weights_are_not_modified() -> None:
    w0 = np.array([0.5])
    training.train_logistic_regression([[1.0], [-1.0]], [1, 0], n_steps=3, initial_weights=w0)
    assert w0[0] == 0.5


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"loss": "hinge"}, "loss must be one of"),
        ({"learning_rate": 0.0}, "learning_rate must be positive"),
        ({"n_steps": 0}, "n_steps must be a positive integer"),
        ({"y": [0.0, 2.0]}, r"y has values outside \[0, 1\]"),
        ({"X": [1.0, 2.0]}, "X must have at least 2 dimension"),
        ({"y": [0.0, 1.0, 1.0]}, r"X must be \(n_samples, n_features\)"),
    ],
)
def test_bad_arguments_are_rejected(kwargs: dict[str, object], fragment: str) -> None:
    arguments: dict[str, object] = {"X": [[1.0], [-1.0]], "y": [1.0, 0.0], **kwargs}
    with pytest.raises(ValueError, match=fragment):
        training.train_logistic_regression(**arguments)  # type: ignore[arg-type]


def test_predict_proba_uses_the_final_weights() -> None:
    history = training.train_logistic_regression([[1.0], [-1.0]], [1, 0], n_steps=10)
    expected = 1 / (1 + np.exp(-(np.array([2.0, -2.0]) * history.weights[0] + history.bias)))
    np.testing.assert_allclose(history.predict_proba([[2.0], [-2.0]]), expected, rtol=1e-15)


def test_steps_to_accuracy() -> None:
    history = training.train_logistic_regression([[1.0], [-1.0], [0.5]], [1, 0, 1], n_steps=3)
    assert history.accuracy[0] < 1.0  # zero weights predict class 0 everywhere
    assert history.steps_to_accuracy(1.0) == 1
    assert history.steps_to_accuracy(1.1) is None
