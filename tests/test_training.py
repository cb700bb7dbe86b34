"""Gradient descent for logistic regression: analytic gradients and the fitted weights."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, brier_score_loss, log_loss
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


@pytest.mark.parametrize("loss", LOSSES)
def test_the_objective_at_each_step_is_the_loss_of_that_steps_weights(loss: str) -> None:
    """The first entry is the loss at the start, the last the loss of the returned weights:
    each written by hand (the trainer records the path, then scores it)."""
    X = np.array([[-1.0, 0.5], [1.0, -0.2], [2.0, 1.0], [-2.0, 0.3], [0.4, -1.0]])
    y = np.array([0.0, 1.0, 0.0, 0.0, 1.0])
    history = training.train_logistic_regression(X, y, loss=loss, learning_rate=0.5, n_steps=7)
    final = hand_loss(y, X @ history.weights + history.bias, loss).mean()
    assert history.objective[-1] == pytest.approx(final, rel=1e-12)
    assert history.objective[0] == pytest.approx(hand_loss(y, np.zeros(5), loss).mean(), rel=1e-12)
    cross_entropy = hand_loss(y, X @ history.weights + history.bias, "cross_entropy").mean()
    assert history.log_loss[-1] == pytest.approx(cross_entropy, rel=1e-12)


def test_initial_weights_are_not_modified() -> None:
    w0 = np.array([0.5])
    training.train_logistic_regression([[1.0], [-1.0]], [1, 0], n_steps=3, initial_weights=w0)
    assert w0[0] == 0.5


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"loss": "hinge"}, ValueError, "loss must be one of"),
        (
            {"learning_rate": 0.0},
            ValueError,
            "learning_rate must be a finite number greater than 0",
        ),
        ({"learning_rate": -1.0}, ValueError, "learning_rate must be a finite number greater"),
        ({"learning_rate": np.inf}, ValueError, "learning_rate must be a finite number"),
        ({"learning_rate": np.nan}, ValueError, "learning_rate must be a finite number"),
        ({"learning_rate": 10**400}, ValueError, "learning_rate must be a finite number"),
        ({"learning_rate": "0.1"}, TypeError, "learning_rate must be a real number"),
        ({"learning_rate": True}, TypeError, "learning_rate must be a real number"),
        ({"n_steps": 0}, ValueError, r"n_steps must be an integer in \[1, 10000000\]"),
        ({"n_steps": -3}, ValueError, r"n_steps must be an integer in \[1, 10000000\]"),
        ({"n_steps": 10**400}, ValueError, r"n_steps must be an integer in \[1, 10000000\]"),
        ({"n_steps": 10**8}, ValueError, r"n_steps must be an integer in \[1, 10000000\]"),
        ({"n_steps": 3.0}, TypeError, "n_steps must be an integer"),
        ({"n_steps": True}, TypeError, "n_steps must be an integer"),
        ({"n_steps": np.bool_(True)}, TypeError, "n_steps must be an integer"),
        ({"initial_bias": np.nan}, ValueError, "initial_bias must be a finite number"),
        ({"initial_bias": -np.inf}, ValueError, "initial_bias must be a finite number"),
        ({"initial_bias": 10**400}, ValueError, "initial_bias must be a finite number"),
        ({"initial_bias": [0.0]}, TypeError, "initial_bias must be a real number"),
        ({"initial_weights": [0.0, 1.0]}, ValueError, r"initial_weights must have shape \(1,\)"),
        ({"initial_weights": [[0.0]]}, ValueError, "initial_weights must have shape"),
        ({"initial_weights": [np.nan]}, ValueError, "initial_weights contains NaN"),
        ({"initial_weights": [Fraction(1, 2)]}, TypeError, "initial_weights must be numeric"),
        ({"initial_weights": [10**400]}, TypeError, "initial_weights must be numeric"),
        (
            {"initial_weights": np.ma.array([0.0], mask=[True])},
            TypeError,
            "initial_weights is a masked",
        ),
        ({"X": np.ma.array([[1.0], [-1.0]], mask=[[True], [False]])}, TypeError, "X is a masked"),
        ({"y": np.ma.array([1.0, 0.0])}, TypeError, "y is a masked"),
        ({"y": [0.0, 2.0]}, ValueError, r"y has values outside \[0, 1\]"),
        ({"X": [1.0, 2.0]}, ValueError, "X must have at least 2 dimension"),
        ({"y": [0.0, 1.0, 1.0]}, ValueError, r"X must be \(n_samples, n_features\)"),
        ({"X_val": [[1.0]]}, ValueError, "X_val and y_val must be given together"),
        ({"X_val": [[1.0, 2.0]], "y_val": [1.0]}, ValueError, "X_val must have 1 features"),
        ({"X_val": [[1.0]], "y_val": [1.0, 0.0]}, ValueError, r"X_val must be \(n_samples"),
        ({"X_val": [[1.0]], "y_val": [3.0]}, ValueError, r"y_val has values outside"),
    ],
)
def test_bad_arguments_are_rejected(
    kwargs: dict[str, object], error: type[Exception], fragment: str
) -> None:
    arguments: dict[str, object] = {"X": [[1.0], [-1.0]], "y": [1.0, 0.0], **kwargs}
    with pytest.raises(error, match=fragment):
        training.train_logistic_regression(**arguments)  # type: ignore[arg-type]


def test_numpy_integers_and_floats_are_accepted() -> None:
    history = training.train_logistic_regression(
        [[1.0], [-1.0]],
        [1.0, 0.0],
        n_steps=np.int64(3),
        learning_rate=np.float32(0.5),
        initial_bias=np.int8(1),
    )
    assert history.log_loss.shape == (4,)


def test_loss_and_gradient_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match=r"weights must have shape \(1,\)"):
        training.loss_and_gradient([[1.0]], [1.0], [0.0, 0.0], 0.0, loss="cross_entropy")
    with pytest.raises(ValueError, match="bias must be a finite number"):
        training.loss_and_gradient([[1.0]], [1.0], [0.0], np.nan, loss="cross_entropy")


def test_held_out_scores_match_scikit_learn(breast_cancer: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = breast_cancer
    X_fit, X_val, y_fit, y_val = X[:300], X[300:], y[:300], y[300:]
    for loss in LOSSES:
        history = training.train_logistic_regression(
            X_fit, y_fit, loss=loss, learning_rate=2.0, n_steps=30, X_val=X_val, y_val=y_val
        )  # type: ignore[arg-type]
        p = 1 / (1 + np.exp(-(X_val @ history.weights + history.bias)))
        assert history.val_log_loss is not None and history.val_brier is not None
        assert history.val_accuracy is not None
        assert history.val_log_loss[-1] == pytest.approx(log_loss(y_val, p), rel=1e-12)
        assert history.val_brier[-1] == pytest.approx(brier_score_loss(y_val, p), rel=1e-12)
        assert history.val_accuracy[-1] == accuracy_score(y_val, p > 0.5)
        assert history.weight_norm[-1] == pytest.approx(np.linalg.norm(history.weights), rel=1e-14)
        assert history.weight_norm[0] == 0.0
        first = history.steps_to_accuracy(0.9, held_out=True)
        assert first is not None and history.val_accuracy[first] >= 0.9
        assert first == 0 or history.val_accuracy[first - 1] < 0.9


def test_runs_without_held_out_data_record_none() -> None:
    history = training.train_logistic_regression([[1.0], [-1.0]], [1, 0], n_steps=2)
    assert history.val_log_loss is None and history.val_brier is None
    with pytest.raises(ValueError, match="held_out=True needs"):
        history.steps_to_accuracy(0.9, held_out=True)


def test_squared_error_from_zero_is_cross_entropy_at_half_the_rate(
    breast_cancer: tuple[np.ndarray, np.ndarray],
) -> None:
    """At p-hat = 1/2 the squared-error gradient 2 (p - y) p (1 - p) is (p - y) / 2."""
    X, y = breast_cancer
    ce = training.train_logistic_regression(X, y, learning_rate=1.0, n_steps=1)
    se = training.train_logistic_regression(
        X, y, loss="squared_error", learning_rate=2.0, n_steps=1
    )
    np.testing.assert_allclose(se.weights, ce.weights, rtol=1e-13)
    assert se.bias == pytest.approx(ce.bias, rel=1e-13, abs=1e-15)


def test_extreme_logits_give_finite_losses() -> None:
    history = training.train_logistic_regression(
        [[1.0], [-1.0]], [1.0, 0.0], initial_weights=[-800.0], n_steps=1
    )
    assert history.log_loss[0] == pytest.approx(800.0, rel=1e-15)
    assert np.isfinite(history.gradient_norm).all()


def test_predict_proba_uses_the_final_weights() -> None:
    history = training.train_logistic_regression([[1.0], [-1.0]], [1, 0], n_steps=10)
    expected = 1 / (1 + np.exp(-(np.array([2.0, -2.0]) * history.weights[0] + history.bias)))
    np.testing.assert_allclose(history.predict_proba([[2.0], [-2.0]]), expected, rtol=1e-15)


def test_first_rise_is_the_step_that_overshoots() -> None:
    # Three samples at x = 1 with labels 1, 1, 0: the best logit is log 2 (p = 2/3). From zero,
    # w and b each move by rate / 6, so the logit is rate / 3 after one step. At rate 12 it is
    # 4, past log 2, and the loss rises from log 2 to (2/3) log(1 + e^-4) + (1/3) log(1 + e^4).
    X, y = [[1.0], [1.0], [1.0]], [1, 1, 0]
    over = training.train_logistic_regression(X, y, learning_rate=12.0, n_steps=5)
    by_hand = 2 / 3 * math.log1p(math.exp(-4.0)) + 1 / 3 * math.log1p(math.exp(4.0))
    assert by_hand > math.log(2)
    assert over.objective[1] == pytest.approx(by_hand, rel=1e-12)
    assert over.first_rise() == 1
    # At rate 1 each step multiplies the distance to log 2 by about 0.56 and never crosses it.
    under = training.train_logistic_regression(X, y, learning_rate=1.0, n_steps=10)
    assert under.first_rise() is None


def test_steps_to_accuracy() -> None:
    history = training.train_logistic_regression([[1.0], [-1.0], [0.5]], [1, 0, 1], n_steps=3)
    assert history.accuracy[0] < 1.0  # zero weights predict class 0 everywhere
    assert history.steps_to_accuracy(1.0) == 1
    assert history.steps_to_accuracy(1.1) is None


# --- fit_logistic_regression: gradient descent's end, found by L-BFGS -------------------------


def _non_separable_data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(120, 3))
    y = (X @ np.array([1.5, -1.0, 0.5]) + rng.normal(size=120) > 0).astype(float)
    return X, y


def test_fit_with_cross_entropy_is_scikit_learns_maximum_likelihood() -> None:
    from sklearn.linear_model import LogisticRegression

    from xent.training import fit_logistic_regression

    X, y = _non_separable_data()
    fit = fit_logistic_regression(X, y, loss="cross_entropy")
    reference = LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-12).fit(X, y)
    assert fit.converged
    np.testing.assert_allclose(fit.weights, reference.coef_[0], rtol=1e-6)
    assert fit.bias == pytest.approx(reference.intercept_[0], rel=1e-6)
    np.testing.assert_allclose(fit.predict_proba(X), reference.predict_proba(X)[:, 1], atol=1e-8)


def test_fit_with_squared_error_is_a_stationary_point_of_the_written_out_objective() -> None:
    from scipy.optimize import approx_fprime

    from xent.training import fit_logistic_regression

    X, y = _non_separable_data(1)
    fit = fit_logistic_regression(X, y, loss="squared_error")

    def mean_squared_error(theta: np.ndarray) -> float:  # the formula, written out here
        p = 1.0 / (1.0 + np.exp(-(X @ theta[:-1] + theta[-1])))
        return float(np.mean((p - y) ** 2))

    theta = np.append(fit.weights, fit.bias)
    assert fit.converged
    assert fit.objective == pytest.approx(mean_squared_error(theta), rel=1e-12)
    assert np.abs(approx_fprime(theta, mean_squared_error, 1e-7)).max() < 1e-6
    # a minimum, not a saddle: no small step in any direction lowers the objective
    rng = np.random.default_rng(2)
    for _ in range(20):
        step = rng.normal(size=theta.size) * 1e-3
        assert mean_squared_error(theta + step) >= fit.objective - 1e-12


def test_fit_reports_a_run_stopped_by_the_iteration_limit() -> None:
    from xent.training import fit_logistic_regression

    X, y = _non_separable_data()
    assert not fit_logistic_regression(X, y, max_iterations=1).converged


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"loss": "hinge"}, "loss must be one of"),
        ({"gradient_tolerance": 0.0}, "gradient_tolerance"),
        ({"max_iterations": 0}, "max_iterations"),
    ],
)
def test_fit_rejects_bad_arguments(kwargs: dict, message: str) -> None:
    from xent.training import fit_logistic_regression

    X, y = _non_separable_data()
    with pytest.raises(ValueError, match=message):
        fit_logistic_regression(X, y, **kwargs)
