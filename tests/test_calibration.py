"""Calibration measures and recalibration fits, against scikit-learn and hand-worked cases."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from sklearn.calibration import CalibratedClassifierCV, calibration_curve
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from xent import calibration


def random_predictions(seed: int, n: int = 500) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = rng.beta(0.7, 0.7, size=n)
    y = (rng.uniform(size=n) < p**1.5).astype(int)  # miscalibrated on purpose
    return y, p


# --- Brier score -----------------------------------------------------------------------------


def test_brier_score_by_hand() -> None:
    assert calibration.brier_score([1, 0, 1], [0.9, 0.2, 0.6]) == pytest.approx(0.21 / 3)
    assert calibration.brier_score([1, 0], [0.5, 0.5]) == 0.25
    assert calibration.brier_score([1, 0], [0.0, 1.0]) == 1.0


@pytest.mark.parametrize("seed", range(5))
def test_brier_score_matches_scikit_learn(seed: int) -> None:
    y, p = random_predictions(seed)
    assert calibration.brier_score(y, p) == pytest.approx(brier_score_loss(y, p), rel=1e-14)


def test_brier_score_returns_a_python_float() -> None:
    assert type(calibration.brier_score([1], [0.3])) is float


# --- Reliability curve and ECE ---------------------------------------------------------------


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("n_bins", [1, 3, 10, 25])
@pytest.mark.parametrize("seed", range(3))
def test_reliability_curve_matches_scikit_learn(strategy: str, n_bins: int, seed: int) -> None:
    y, p = random_predictions(seed, n=200)
    ours = calibration.reliability_curve(y, p, n_bins=n_bins, strategy=strategy)  # type: ignore[arg-type]
    prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
    np.testing.assert_allclose(ours.fraction_positive, prob_true, rtol=1e-14)
    np.testing.assert_allclose(ours.mean_predicted, prob_pred, rtol=1e-14)
    assert ours.counts.sum() == y.size


def test_empty_bins_are_left_out_like_scikit_learn() -> None:
    y = [0, 1, 1, 0, 1]
    p = [0.05, 0.95, 0.92, 0.08, 0.99]  # nothing between 0.1 and 0.9
    curve = calibration.reliability_curve(y, p, n_bins=10)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10)
    np.testing.assert_array_equal(curve.fraction_positive, prob_true)
    np.testing.assert_allclose(curve.mean_predicted, prob_pred)
    assert curve.counts.tolist() == [2, 3]


def test_bin_edges_belong_to_the_lower_bin() -> None:
    # 0.5 sits on the edge between the two bins of width 1/2 and falls in the first.
    curve = calibration.reliability_curve([0, 1, 1], [0.5, 0.5, 1.0], n_bins=2)
    assert curve.counts.tolist() == [2, 1]
    assert curve.fraction_positive.tolist() == [0.5, 1.0]


def test_ece_by_hand() -> None:
    # Bin [0, 0.5]: predictions 0.1, 0.3 (mean 0.2), labels 0, 1 (fraction 0.5), gap 0.3.
    # Bin (0.5, 1]: predictions 0.8, 0.9, 1.0 (mean 0.9), labels 1, 1, 1, gap 0.1.
    ece = calibration.expected_calibration_error(
        [0, 1, 1, 1, 1], [0.1, 0.3, 0.8, 0.9, 1.0], n_bins=2
    )
    assert ece == pytest.approx(2 / 5 * 0.3 + 3 / 5 * 0.1, rel=1e-14)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_ece_is_the_weighted_gap_of_scikit_learns_curve(strategy: str) -> None:
    y, p = random_predictions(7, n=300)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=8, strategy=strategy)
    # Counts per bin computed independently with np.histogram on the same edges.
    if strategy == "uniform":
        edges = np.linspace(0, 1, 9)
    else:
        edges = np.percentile(p, np.linspace(0, 100, 9))
    counts = np.array([np.sum((p > lo) & (p <= hi)) for lo, hi in itertools.pairwise(edges)])
    counts[0] += np.sum(p <= edges[0])
    counts = counts[counts > 0]
    expected = np.sum(counts / counts.sum() * np.abs(prob_true - prob_pred))
    got = calibration.expected_calibration_error(y, p, n_bins=8, strategy=strategy)  # type: ignore[arg-type]
    assert got == pytest.approx(expected, rel=1e-12)


def test_ece_of_a_calibrated_model_shrinks_with_the_sample() -> None:
    rng = np.random.default_rng(0)
    eces = []
    for n in (100, 10_000):
        p = rng.uniform(size=n)
        y = (rng.uniform(size=n) < p).astype(int)  # calibrated by construction
        eces.append(calibration.expected_calibration_error(y, p))
    assert eces[1] < eces[0] / 3
    assert eces[1] < 0.02


# --- Proper scoring rules, as properties -----------------------------------------------------

GRID = np.linspace(0.0005, 0.9995, 1999)


def expected_scores(pi: float) -> dict[str, np.ndarray]:
    """Expected score of predicting q for y ~ Bernoulli(pi), from the definitions."""
    return {
        "log": -(pi * np.log(GRID) + (1 - pi) * np.log(1 - GRID)),
        "brier": pi * (1 - GRID) ** 2 + (1 - pi) * GRID**2,
        "absolute": pi * (1 - GRID) + (1 - pi) * GRID,
    }


@settings(max_examples=40, deadline=None)
@given(st.floats(0.01, 0.99))
def test_log_loss_and_brier_are_minimised_at_the_true_probability(pi: float) -> None:
    for rule in ("log", "brier"):
        best = GRID[np.argmin(expected_scores(pi)[rule])]
        assert abs(best - pi) <= 0.0005 + 1e-12, rule


@settings(max_examples=40, deadline=None)
@given(st.floats(0.01, 0.99).filter(lambda pi: abs(pi - 0.5) > 1e-3))
def test_absolute_error_rewards_the_extreme_answer(pi: float) -> None:
    best = GRID[np.argmin(expected_scores(pi)["absolute"])]
    assert best == (GRID[-1] if pi > 0.5 else GRID[0])


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_brier_score_is_the_mean_of_xents_per_sample_square(seed: int) -> None:
    y, p = random_predictions(seed % 1000, n=20)
    assert calibration.brier_score(y, p) == pytest.approx(float(np.mean((p - y) ** 2)), rel=1e-14)


# --- Temperature scaling ---------------------------------------------------------------------


def binary_nll(z: np.ndarray, y: np.ndarray, T: float) -> float:
    return float(np.mean(np.logaddexp(0, z / T) - y * z / T))


def multiclass_nll(z: np.ndarray, y: np.ndarray, T: float) -> float:
    s = z / T
    top = s.max(axis=1, keepdims=True)
    log_norm = top[:, 0] + np.log(np.exp(s - top).sum(axis=1))
    return float(np.mean(log_norm - s[np.arange(len(y)), y]))


def test_temperature_by_hand() -> None:
    # Logits +-2, right two times in three: sigma(2 / T) = 2/3, so T = 2 / ln 2.
    T = calibration.fit_temperature([2.0, 2.0, 2.0, -2.0, -2.0, -2.0], [1, 1, 0, 0, 0, 1])
    assert T == pytest.approx(2 / math.log(2), rel=1e-12)


@pytest.mark.parametrize("scale", [0.3, 1.0, 4.0])
def test_binary_temperature_matches_scipy(scale: float) -> None:
    rng = np.random.default_rng(5)
    true_logit = rng.normal(scale=2, size=400)
    y = (rng.uniform(size=400) < 1 / (1 + np.exp(-true_logit))).astype(int)
    z = scale * true_logit  # overconfident for scale > 1, underconfident below
    reference = minimize_scalar(
        lambda log_t: binary_nll(z, y, math.exp(log_t)),
        bounds=(-6, 6),
        method="bounded",
        options={"xatol": 1e-10},
    )
    T = calibration.fit_temperature(z, y)
    assert T == pytest.approx(math.exp(reference.x), rel=1e-6)
    assert binary_nll(z, y, T) <= reference.fun + 1e-12


def test_multiclass_temperature_matches_scipy() -> None:
    rng = np.random.default_rng(8)
    true_logits = rng.normal(scale=1.5, size=(300, 4))
    probabilities = np.exp(true_logits) / np.exp(true_logits).sum(axis=1, keepdims=True)
    y = np.array([rng.choice(4, p=row) for row in probabilities])
    z = 3.0 * true_logits
    reference = minimize_scalar(
        lambda log_t: multiclass_nll(z, y, math.exp(log_t)),
        bounds=(-6, 6),
        method="bounded",
        options={"xatol": 1e-10},
    )
    T = calibration.fit_temperature(z, y)
    assert T == pytest.approx(math.exp(reference.x), rel=1e-6)
    assert 2.0 < T < 4.5  # the logits were inflated three times


def test_binary_temperature_equals_two_column_multiclass_temperature() -> None:
    rng = np.random.default_rng(2)
    z = rng.normal(scale=3, size=200)
    y = (rng.uniform(size=200) < 1 / (1 + np.exp(-z / 2))).astype(int)
    two_columns = np.column_stack([np.zeros_like(z), z])
    assert calibration.fit_temperature(z, y) == pytest.approx(
        calibration.fit_temperature(two_columns, y), rel=1e-10
    )


def test_temperature_without_a_finite_answer_is_refused() -> None:
    with pytest.raises(ValueError, match="separates y perfectly"):
        calibration.fit_temperature([3.0, -1.0, 2.0], [1, 0, 1])
    with pytest.raises(ValueError, match="no information"):
        calibration.fit_temperature([3.0, -1.0, 2.0], [0, 1, 0])


# --- Platt scaling ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def breast_cancer_split() -> tuple[np.ndarray, ...]:
    data = load_breast_cancer()
    X_train, X_test, y_train, y_test = train_test_split(
        data.data[:, :6], data.target, test_size=0.3, random_state=1, stratify=data.target
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def test_platt_matches_calibrated_classifier_cv(
    breast_cancer_split: tuple[np.ndarray, ...],
) -> None:
    X_train, X_test, y_train, _ = breast_cancer_split
    X_fit, X_cal, y_fit, y_cal = train_test_split(
        X_train, y_train, test_size=0.5, random_state=0, stratify=y_train
    )
    model = LogisticRegression(C=0.05).fit(X_fit, y_fit)
    from sklearn.frozen import FrozenEstimator

    sklearn_calibrated = CalibratedClassifierCV(FrozenEstimator(model), method="sigmoid")
    sklearn_calibrated.fit(X_cal, y_cal)
    a, b = calibration.fit_platt(model.decision_function(X_cal), y_cal)
    ours = 1 / (1 + np.exp(-(a * model.decision_function(X_test) + b)))
    np.testing.assert_allclose(ours, sklearn_calibrated.predict_proba(X_test)[:, 1], atol=1e-7)


def test_unsmoothed_platt_is_logistic_regression_on_the_score() -> None:
    y, p = random_predictions(4, n=400)
    z = np.log(p / (1 - p))
    reference = LogisticRegression(C=np.inf, tol=1e-12, max_iter=1000).fit(z[:, None], y)
    a, b = calibration.fit_platt(z, y, smoothed_targets=False)
    assert a == pytest.approx(reference.coef_[0, 0], rel=1e-6)
    assert b == pytest.approx(reference.intercept_[0], rel=1e-6, abs=1e-8)


def test_platt_on_separable_scores() -> None:
    a, b = calibration.fit_platt([-2.0, -1.0, 1.0, 2.0], [0, 0, 1, 1])  # smoothed: finite
    assert 0 < a < 20 and math.isfinite(b)
    with pytest.raises(ValueError, match="separates y perfectly"):
        calibration.fit_platt([-2.0, -1.0, 1.0, 2.0], [0, 0, 1, 1], smoothed_targets=False)


# --- Bad arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (
            lambda: calibration.brier_score([0, 2], [0.1, 0.2]),
            ValueError,
            "y_true must hold binary",
        ),
        (lambda: calibration.brier_score([0, 1], [0.1, 1.2]), ValueError, r"p has values outside"),
        (lambda: calibration.brier_score([0, 1], [0.1]), ValueError, "y_true"),
        (lambda: calibration.brier_score([0, 1], [0.1, np.nan]), ValueError, "p contains NaN"),
        (lambda: calibration.brier_score(0, 0.5), ValueError, "y_true must have at least 1"),
        (lambda: calibration.brier_score([[0, 1]], [[0.1, 0.2]]), ValueError, "one-dimensional"),
        (lambda: calibration.brier_score(np.ma.array([0, 1]), [0.1, 0.2]), TypeError, "masked"),
        (lambda: calibration.brier_score([0, 1], ["a", "b"]), TypeError, "p must be numeric"),
        (lambda: calibration.reliability_curve([0, 1], [0.1, 0.2], n_bins=0), ValueError, "n_bins"),
        (
            lambda: calibration.reliability_curve([0, 1], [0.1, 0.2], n_bins=2.0),
            TypeError,
            "n_bins",
        ),
        (
            lambda: calibration.reliability_curve([0, 1], [0.1, 0.2], n_bins=True),
            TypeError,
            "n_bins",
        ),
        (
            lambda: calibration.reliability_curve([0, 1], [0.1, 0.2], strategy="kmeans"),
            ValueError,
            "strategy",
        ),
        (
            lambda: calibration.expected_calibration_error([0, 1], [0.1, 0.2], n_bins=10**400),
            ValueError,
            "n_bins",
        ),
        (
            lambda: calibration.fit_temperature([1.0, np.inf], [0, 1]),
            ValueError,
            "z contains infinite",
        ),
        (
            lambda: calibration.fit_temperature([[1.0, 2.0]], [2]),
            ValueError,
            "y must hold class indices",
        ),
        (
            lambda: calibration.fit_temperature([[1.0], [2.0]], [0, 0]),
            ValueError,
            "z must be binary logits",
        ),
        (lambda: calibration.fit_temperature([1.0, 2.0], [0, 1, 1]), ValueError, "same shape"),
        (
            lambda: calibration.fit_temperature([Fraction(1, 2), 1], [0, 1]),
            TypeError,
            "z must be numeric",
        ),
        (lambda: calibration.fit_platt([1.0, 1.0], [0, 1]), ValueError, "z is constant"),
        (lambda: calibration.fit_platt([[1.0, 2.0]], [0]), ValueError, "one-dimensional"),
        (
            lambda: calibration.fit_platt([1.0, 2.0], [0, 1], smoothed_targets=1),
            TypeError,
            "smoothed_targets",
        ),
    ],
)
def test_bad_arguments_are_named(call, error: type[Exception], fragment: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=fragment):
        call()


# --- Equivariance: the fits do not depend on the units or the origin of the scores ------------


def _platt_data(n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(21)
    z = rng.normal(scale=2.0, size=n)
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-(0.7 * z - 0.4)))).astype(int)
    return z, y


def _sklearn_platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Unsmoothed Platt by scikit-learn's logistic regression, at a benign scale."""
    fit = LogisticRegression(C=np.inf, tol=1e-12, max_iter=1000).fit(z[:, None], y)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def _quiet(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    import warnings

    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        return function(*args, **kwargs)


SCALES = [1e-200, 1e-100, 1e-13, 1e-5, 3.7, 1e5, 1e100, 1e160, 1e200]


@pytest.mark.parametrize("c", SCALES)
def test_platt_of_scaled_scores_is_the_scaled_fit(c: float) -> None:
    z, y = _platt_data()
    a_ref, b_ref = _sklearn_platt(z, y)
    a, b = _quiet(calibration.fit_platt, z * c, y, smoothed_targets=False)
    assert a * c == pytest.approx(a_ref, rel=1e-6)
    assert b == pytest.approx(b_ref, rel=1e-6, abs=1e-9)
    a_smooth, b_smooth = _quiet(calibration.fit_platt, z, y)
    a_c, b_c = _quiet(calibration.fit_platt, z * c, y)
    assert a_c * c == pytest.approx(a_smooth, rel=1e-9)
    assert b_c == pytest.approx(b_smooth, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("shift", [-1e12, -1e3, 1e8, 1e12])
@pytest.mark.parametrize("n", [20, 200])
def test_platt_of_shifted_scores_gives_the_same_probabilities(shift: float, n: int) -> None:
    z, y = _platt_data(n)
    a_ref, b_ref = _sklearn_platt(z, y)
    a, b = _quiet(calibration.fit_platt, z + shift, y, smoothed_targets=False)
    # z + shift is rounded to the spacing of the shift (1.5e-8 at 1e8, 1.2e-4 at 1e12),
    # so the probabilities agree to about a times that
    spacing = float(np.spacing(abs(shift)))
    got = 1 / (1 + np.exp(-(a * (z + shift) + b)))
    expected = 1 / (1 + np.exp(-(a_ref * z + b_ref)))
    np.testing.assert_allclose(got, expected, atol=1e-6 + 10 * abs(a_ref) * spacing)


@given(
    st.floats(-200.0, 200.0),
    st.sampled_from([0.0, 1.0, -1e5, 1e8, 3e10]),
    st.booleans(),
    st.integers(0, 2**16),
)
@settings(max_examples=40, deadline=None, derandomize=True)
def test_platt_never_fails_with_a_linalg_error_and_stays_equivariant(
    log_scale: float, shift: float, smoothed: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=2.0, size=30)
    y = (rng.uniform(size=30) < 1 / (1 + np.exp(-z))).astype(int)
    y[:2] = [0, 1]  # both classes
    z[:2] = [1.0, -1.0]  # and not separable
    c = 10.0**log_scale
    a0, b0 = _quiet(calibration.fit_platt, z, y, smoothed_targets=smoothed)
    a, b = _quiet(calibration.fit_platt, (z + shift) * c, y, smoothed_targets=smoothed)
    assert a * c == pytest.approx(a0, rel=1e-6)
    assert b + a * c * shift == pytest.approx(b0, rel=1e-6, abs=1e-6 * (1 + abs(a0 * shift)))


def _mp_temperature_slope(z: list[float], y: list[int], beta: object) -> object:
    """d/dβ of the mean log loss of σ(β z), at 60 digits."""
    import mpmath

    with mpmath.workdps(60):
        values = [mpmath.mpf(v) for v in z]
        return mpmath.fsum((1 / (1 + mpmath.exp(-beta * v)) - t) * v for v, t in zip(values, y))


@pytest.mark.parametrize("c", SCALES)
def test_temperature_of_scaled_logits_is_the_scaled_temperature(c: float) -> None:
    z, y = _platt_data()
    T = calibration.fit_temperature(z, y)
    assert _quiet(calibration.fit_temperature, z * c, y) == pytest.approx(c * T, rel=1e-9)
    rng = np.random.default_rng(3)
    logits = rng.normal(scale=2.0, size=(100, 3))
    labels = np.array([rng.choice(3, p=np.exp(r) / np.exp(r).sum()) for r in logits])
    T3 = calibration.fit_temperature(logits, labels)
    assert _quiet(calibration.fit_temperature, logits * c, labels) == pytest.approx(
        c * T3, rel=1e-9
    )


def test_temperature_of_logits_of_every_magnitude_is_the_root_of_the_slope() -> None:
    # Finite logits from 1e-320 to 1e300: the optimum is where the tiny logits' terms
    # balance, about beta = 4.7e301; mpmath's slope changes sign across the answer.
    import mpmath

    z, y = [1e300, 1e-300, -1e300, 1e-320], [1, 1, 0, 0]
    T = _quiet(calibration.fit_temperature, z, y)
    beta = mpmath.mpf(1) / mpmath.mpf(T)
    assert _mp_temperature_slope(z, y, beta * (1 - mpmath.mpf(10) ** -6)) < 0
    assert _mp_temperature_slope(z, y, beta * (1 + mpmath.mpf(10) ** -6)) > 0


def test_fits_that_do_not_converge_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    z, y = _platt_data()
    monkeypatch.setattr(calibration, "MAX_ITERATIONS", 1)
    with pytest.warns(UserWarning, match="did not converge"):
        calibration.fit_platt(z, y)
    with pytest.warns(UserWarning, match="did not converge"):
        calibration.fit_temperature(z, y)


def test_quantile_edges_are_the_exact_percentiles() -> None:
    # n = 283 samples, 6 bins: the exact percentile 100 b / 6 sits at rank 282 b / 6 = 47 b,
    # a sample, which the documented rule puts in the lower bin. So bin b holds the sorted
    # samples of rank in (47 (b - 1), 47 b], the first also rank 0: counts 48, 47, ..., 47,
    # worked out with exact fractions. scikit-learn's 100 * (b / 6) rounds below 100 b / 6
    # for some b and moves that sample up a bin.
    rng = np.random.default_rng(6)
    n, n_bins = 283, 6
    p = rng.uniform(size=n)
    y = (rng.uniform(size=n) < p).astype(int)
    positions = [Fraction((n - 1) * b, n_bins) for b in range(n_bins + 1)]
    ranks = np.arange(n)
    expected = [
        int(np.sum((ranks > positions[b - 1]) & (ranks <= positions[b]))) + (b == 1)
        for b in range(1, n_bins + 1)
    ]
    curve = calibration.reliability_curve(y, p, n_bins=n_bins, strategy="quantile")
    assert curve.counts.tolist() == expected == [48, 47, 47, 47, 47, 47]
    order = np.argsort(p)
    edges = zip(positions[:-1], positions[1:])
    by_hand = [y[order][int(lo) + (b > 0) : int(hi) + 1].mean() for b, (lo, hi) in enumerate(edges)]
    np.testing.assert_allclose(curve.fraction_positive, by_hand, rtol=1e-15)
    sklearn_true, _ = calibration_curve(y, p, n_bins=n_bins, strategy="quantile")
    assert not np.allclose(sklearn_true, curve.fraction_positive)  # where the rules differ


@pytest.mark.parametrize(("n", "n_bins"), [(4, 9), (28, 9), (34, 9), (283, 6), (100, 7)])
def test_quantile_bins_follow_the_exact_rule(n: int, n_bins: int) -> None:
    # Bin b holds the sorted samples of rank in ((n - 1)(b - 1) / B, (n - 1) b / B], the
    # first also rank 0, ranks compared as exact fractions. np.percentile at
    # np.linspace(0, 100, B + 1), xent's rule before, misses it at n = 28 and 34 with B = 9 (the
    # percentile is rounded below the exact one, and the sample on the edge moves up a bin).
    p = np.random.default_rng(n).uniform(size=n)
    y = (p > 0.5).astype(int)
    ranks = np.arange(n)
    positions = [Fraction((n - 1) * b, n_bins) for b in range(n_bins + 1)]
    expected = [
        int(np.sum((ranks > positions[b - 1]) & (ranks <= positions[b]))) + (b == 1)
        for b in range(1, n_bins + 1)
    ]
    curve = calibration.reliability_curve(y, p, n_bins=n_bins, strategy="quantile")
    assert curve.counts.tolist() == [c for c in expected if c > 0]
