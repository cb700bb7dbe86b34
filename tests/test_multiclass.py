"""xent.multiclass against independent references: hand formulas, finite differences of a
loss written out here, the sigmoid, and scikit-learn's LogisticRegression."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from xent.multiclass import (
    softmax_cross_entropy_gradient,
    softmax_cross_entropy_hessian,
    softmax_with_temperature,
    train_softmax_regression,
)


def loss_by_hand(y: np.ndarray, z: np.ndarray) -> float:
    """-sum_k y_k log softmax(z)_k = logsumexp(z) - y . z, in math.fsum (no xent)."""
    m = max(z)
    return m + math.log(math.fsum(math.exp(v - m) for v in z)) - math.fsum(y * z)


def softmax_by_hand(z: np.ndarray) -> np.ndarray:
    e = np.array([math.exp(v - max(z)) for v in z])
    return e / math.fsum(e)


# --- gradient ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("y", "z"),
    [
        ([0.0, 0.0, 1.0], [2.0, 1.0, 0.1]),
        ([0.2, 0.5, 0.3], [-3.0, 4.0, 0.5]),  # a soft target
        ([1.0, 0.0, 0.0, 0.0], [0.0, 8.0, -2.0, 1.0]),  # a confident mistake
    ],
)
def test_gradient_matches_a_central_finite_difference(y: list[float], z: list[float]) -> None:
    target, logits = np.array(y), np.array(z)
    h = 1e-6
    numeric = [
        (loss_by_hand(target, logits + h * e) - loss_by_hand(target, logits - h * e)) / (2 * h)
        for e in np.eye(logits.size)
    ]
    np.testing.assert_allclose(softmax_cross_entropy_gradient(target, logits), numeric, atol=1e-8)


def test_gradient_worked_by_hand() -> None:
    # z = (1, 0, -1), true class the second: softmax = (e, 1, 1/e) / (e + 1 + 1/e)
    total = math.e + 1 + 1 / math.e
    expected = [math.e / total, 1 / total - 1, 1 / (math.e * total)]
    got = softmax_cross_entropy_gradient([0.0, 1.0, 0.0], [1.0, 0.0, -1.0])
    np.testing.assert_allclose(got, expected, rtol=1e-14)


def test_gradient_along_another_axis_and_in_batches() -> None:
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 3))
    y = np.eye(3)[[0, 2, 1, 1]]
    expected = np.array([softmax_by_hand(row) for row in z]) - y
    np.testing.assert_allclose(softmax_cross_entropy_gradient(y, z), expected, rtol=1e-12)
    np.testing.assert_allclose(
        softmax_cross_entropy_gradient(y.T, z.T, axis=0), expected.T, rtol=1e-12
    )


def test_gradient_of_a_confident_mistake_is_bounded_and_does_not_vanish() -> None:
    got = softmax_cross_entropy_gradient([1.0, 0.0], [0.0, 800.0])
    np.testing.assert_array_equal(got, [-1.0, 1.0])


def test_two_class_softmax_is_the_sigmoid_of_the_difference() -> None:
    for z0, z1 in [(0.0, 1.5), (3.0, -4.5), (-20.0, 5.0)]:
        sigmoid = 1 / (1 + math.exp(-(z1 - z0)))
        s = softmax_with_temperature([z0, z1], 1.0)
        assert s[1] == pytest.approx(sigmoid, rel=1e-14)
        # and the gradient on the second logit is the binary p - y of the log-loss chapter
        g = softmax_cross_entropy_gradient([0.0, 1.0], [z0, z1])
        assert g[1] == pytest.approx(sigmoid - 1.0, rel=1e-12)


# --- temperature ---------------------------------------------------------------------------


def test_temperature_divides_the_logits() -> None:
    z = np.array([2.0, 1.0, 0.1])
    for t in (0.25, 1.0, 3.0):
        e = np.exp(z / t)
        np.testing.assert_allclose(softmax_with_temperature(z, t), e / e.sum(), rtol=1e-14)


def test_temperature_limits() -> None:
    z = [2.0, 1.0, 0.1, 2.0]  # a tie for the largest logit
    np.testing.assert_allclose(softmax_with_temperature(z, 1e-3), [0.5, 0, 0, 0.5], atol=1e-12)
    np.testing.assert_allclose(softmax_with_temperature(z, 1e6), np.full(4, 0.25), atol=1e-6)
    np.testing.assert_array_equal(softmax_with_temperature([5.0, 1.0], 1e-300), [1.0, 0.0])


def test_temperature_keeps_the_order() -> None:
    z = np.array([0.3, -2.0, 1.7, 0.0])
    for t in (0.1, 1.0, 10.0):
        assert list(np.argsort(softmax_with_temperature(z, t))) == list(np.argsort(z))


# --- Hessian -------------------------------------------------------------------------------


def test_hessian_matches_finite_differences_of_the_gradient() -> None:
    z, y = np.array([0.5, -1.0, 2.0, 0.0]), np.array([0.0, 1.0, 0.0, 0.0])
    h = 1e-6
    columns = [
        (
            softmax_cross_entropy_gradient(y, z + h * e)
            - softmax_cross_entropy_gradient(y, z - h * e)
        )
        / (2 * h)
        for e in np.eye(4)
    ]
    np.testing.assert_allclose(softmax_cross_entropy_hessian(z), np.array(columns).T, atol=1e-8)


def test_hessian_is_positive_semidefinite_with_null_direction_one() -> None:
    rng = np.random.default_rng(1)
    for _ in range(20):
        z = rng.normal(scale=3.0, size=5)
        hessian = softmax_cross_entropy_hessian(z)
        np.testing.assert_allclose(hessian, hessian.T, atol=0)
        eigenvalues = np.linalg.eigvalsh(hessian)
        assert eigenvalues.min() > -1e-15
        np.testing.assert_allclose(hessian @ np.ones(5), 0.0, atol=1e-15)
        assert np.sum(eigenvalues > 1e-12) == 4  # only the constant direction is flat
        v = rng.normal(size=5)
        s = softmax_by_hand(z)
        assert v @ hessian @ v == pytest.approx(s @ v**2 - (s @ v) ** 2, rel=1e-10)


# --- training ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wine() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    data = load_wine()
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=0.3, random_state=0, stratify=data.target
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def test_trainer_matches_scikit_learn_multinomial_logistic_regression(wine: tuple) -> None:
    """Same objective: sklearn's C sum(loss) + |W|^2 / 2 is ours times C n for l2 = 1/(C n)."""
    X_train, X_test, y_train, _ = wine
    C = 1.0
    history = train_softmax_regression(
        X_train, y_train, learning_rate=2.0, n_steps=2000, l2=1 / (C * len(y_train))
    )
    reference = LogisticRegression(C=C, solver="lbfgs", tol=1e-12, max_iter=10_000)
    reference.fit(X_train, y_train)
    tolerance = 1e-5
    np.testing.assert_allclose(history.weights, reference.coef_.T, atol=tolerance)
    np.testing.assert_allclose(history.bias, reference.intercept_, atol=tolerance)
    np.testing.assert_allclose(
        history.predict_proba(X_test), reference.predict_proba(X_test), atol=tolerance
    )
    np.testing.assert_array_equal(history.predict(X_test), reference.predict(X_test))


def test_history_records_losses_by_hand(wine: tuple) -> None:
    X_train, X_test, y_train, y_test = wine
    history = train_softmax_regression(
        X_train, y_train, learning_rate=0.5, n_steps=5, l2=0.1, X_val=X_test, y_val=y_test
    )
    assert history.loss.shape == history.val_loss.shape == (6,)  # type: ignore[union-attr]
    assert history.loss[0] == pytest.approx(math.log(3), rel=1e-14)  # zero weights: uniform
    assert history.val_loss[0] == pytest.approx(math.log(3), rel=1e-14)  # type: ignore[index]
    p = history.predict_proba(X_test)
    by_hand = -np.mean(np.log(p[np.arange(len(y_test)), y_test]))
    assert history.val_loss[-1] == pytest.approx(by_hand, rel=1e-12)  # type: ignore[index]
    penalty = 0.5 * 0.1 * np.sum(history.weights**2)
    assert history.objective[-1] == pytest.approx(history.loss[-1] + penalty, rel=1e-12)
    assert np.all(np.diff(history.objective) < 0)  # a small step always descends
    accuracy = np.mean(history.predict(X_test) == y_test)
    assert history.val_accuracy[-1] == pytest.approx(accuracy)  # type: ignore[index]


def test_one_gradient_step_by_hand() -> None:
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([0, 1, 2])
    history = train_softmax_regression(X, y, learning_rate=0.3, n_steps=1)
    error = np.full((3, 3), 1 / 3) - np.eye(3)  # softmax of zero logits minus one-hot
    np.testing.assert_allclose(history.weights, -0.3 * X.T @ error / 3, rtol=1e-14)
    np.testing.assert_allclose(history.bias, -0.3 * error.mean(axis=0), atol=1e-16)


def test_labels_need_not_start_at_zero() -> None:
    X = [[-2.0], [-1.0], [1.0], [2.0]]
    history = train_softmax_regression(X, [3, 3, 7, 7], learning_rate=1.0, n_steps=50)
    np.testing.assert_array_equal(history.classes, [3, 7])
    np.testing.assert_array_equal(history.predict([[-5.0], [5.0]]), [3, 7])
    assert history.val_loss is None and history.val_accuracy is None


# --- validation ----------------------------------------------------------------------------

X_OK, Y_OK = [[0.0], [1.0]], [0, 1]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"learning_rate": 0.0}, ValueError, "learning_rate"),
        ({"learning_rate": float("nan")}, ValueError, "learning_rate"),
        ({"learning_rate": True}, TypeError, "learning_rate"),
        ({"learning_rate": "1"}, TypeError, "learning_rate"),
        ({"n_steps": 0}, ValueError, "n_steps"),
        ({"n_steps": 2.0}, TypeError, "n_steps"),
        ({"n_steps": True}, TypeError, "n_steps"),
        ({"l2": -1.0}, ValueError, "l2"),
        ({"l2": float("inf")}, ValueError, "l2"),
        ({"X_val": [[0.0]]}, ValueError, "together"),
        ({"X_val": [[0.0, 1.0]], "y_val": [0]}, ValueError, "X_val"),
        ({"X_val": [[0.0]], "y_val": [5]}, ValueError, "y_val"),
    ],
)
def test_trainer_rejects_bad_arguments(kwargs: dict, error: type, match: str) -> None:
    arguments = {"learning_rate": 1.0, "n_steps": 3, **kwargs}
    with pytest.raises(error, match=match):
        train_softmax_regression(X_OK, Y_OK, **arguments)


def test_n_steps_accepts_numpy_integers() -> None:
    history = train_softmax_regression(X_OK, Y_OK, learning_rate=1.0, n_steps=np.int64(3))
    assert history.loss.size == 4


@pytest.mark.parametrize(
    ("X", "y", "error", "match"),
    [
        ([0.0, 1.0], Y_OK, ValueError, "X"),
        ([[0.0], [float("nan")]], Y_OK, ValueError, "X"),
        (X_OK, [0.0, 0.5], ValueError, "y"),
        (X_OK, ["a", "b"], TypeError, "y"),
        (X_OK, [0, 1, 1], ValueError, "y"),
        (X_OK, [1, 1], ValueError, "one class"),
    ],
)
def test_trainer_rejects_bad_data(X: object, y: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        train_softmax_regression(X, y, learning_rate=1.0, n_steps=3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: softmax_with_temperature([1.0, 2.0], 0.0), ValueError, "temperature"),
        (lambda: softmax_with_temperature([1.0, 2.0], -1.0), ValueError, "temperature"),
        (lambda: softmax_with_temperature([1.0, 2.0], False), TypeError, "temperature"),
        (lambda: softmax_with_temperature([1.0, 2.0], None), TypeError, "temperature"),
        (lambda: softmax_with_temperature(1.0, 1.0), ValueError, "z"),
        (lambda: softmax_with_temperature([1e300, 0.0], 1e-10), ValueError, "overflows"),
        (lambda: softmax_with_temperature([1.0, np.inf], 1.0), ValueError, "z"),
        (lambda: softmax_cross_entropy_gradient([0.5, 0.6], [0.0, 0.0]), ValueError, "y_true"),
        (lambda: softmax_cross_entropy_gradient([1.0, 0.0], [0.0]), ValueError, "shape"),
        (lambda: softmax_cross_entropy_gradient([1.0, 0.0], [0.0, np.nan]), ValueError, "z"),
        (lambda: softmax_cross_entropy_hessian([[0.0, 1.0]]), ValueError, "1-D"),
    ],
)
def test_functions_reject_bad_inputs(call: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()  # type: ignore[operator]


@pytest.mark.parametrize("y", [[0.0, 1.0], [False, True], np.array([0, 1], dtype=np.uint8)])
def test_trainer_takes_labels_as_every_other_loss_does(y: object) -> None:
    # whole-number floats and bools, like log_loss and the Keras and PyTorch losses
    history = train_softmax_regression([[-1.0], [1.0]], y, learning_rate=1.0, n_steps=50)
    reference = train_softmax_regression([[-1.0], [1.0]], [0, 1], learning_rate=1.0, n_steps=50)
    np.testing.assert_array_equal(history.predict_proba([[0.3]]), reference.predict_proba([[0.3]]))


def test_two_class_softmax_regression_is_scikit_learns_with_c_2_over_l2_n() -> None:
    # With two classes scikit-learn fits one binomial vector w; the softmax's two columns
    # W = (-w/2, w/2) have the same probabilities and half the penalty per column, so
    # C = 2 / (l2 n), as the docstring says, and not 1 / (l2 n).
    X, y = load_wine(return_X_y=True)
    keep = y < 2
    X, y = StandardScaler().fit_transform(X[keep][:, :4]), y[keep]
    l2 = 0.05
    history = train_softmax_regression(X, y, learning_rate=1.0, n_steps=3000, l2=l2)
    sklearn = LogisticRegression(C=2.0 / (l2 * len(y)), tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(history.predict_proba(X), sklearn.predict_proba(X), atol=1e-6)
    documented = " ".join((train_softmax_regression.__doc__ or "").split())
    assert "C = 2 / (l2 * n)" in documented


def test_an_overflowing_temperature_is_named_with_a_plain_number() -> None:
    with pytest.raises(ValueError, match=r"logits as large as 1e\+308$"):
        softmax_with_temperature([1e308, 0.0], 1e-10)
