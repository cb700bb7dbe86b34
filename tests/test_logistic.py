"""xent.logistic against mpmath, scikit-learn and hand-worked values."""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import log_loss as sklearn_log_loss

import xent
from tests.references import DIGITS, ref_bce, ref_log_sigmoid, ref_log_softmax, ref_sigmoid

# The 50-digit references of tests/references.py.


def mp_log_sigmoid(z: float) -> float:
    with mpmath.workdps(DIGITS):
        return float(ref_log_sigmoid(z))


def mp_bce_logits(y: float, z: float) -> float:
    """-y log sigmoid(z) - (1 - y) log sigmoid(-z), at 50 digits."""
    with mpmath.workdps(DIGITS):
        return float(ref_bce(mpmath.mpf(y), z))


# --- sigmoid and log-sigmoid -------------------------------------------------------------

LOGITS = [-1e4, -745.0, -50.0, -37.0, -1.0, -1e-10, 0.0, 1e-10, 1.0, 37.0, 50.0, 710.0, 1e4]


@pytest.mark.parametrize("z", LOGITS)
def test_log_sigmoid_matches_mpmath(z: float) -> None:
    assert xent.log_sigmoid(z) == pytest.approx(mp_log_sigmoid(z), rel=4e-16, abs=0.0)


@pytest.mark.parametrize("z", LOGITS)
def test_sigmoid_matches_mpmath(z: float) -> None:
    with mpmath.workdps(DIGITS):
        expected = float(ref_sigmoid(z))
    assert xent.sigmoid(z) == pytest.approx(expected, rel=4e-16, abs=0.0)


def test_extremes_are_exact_and_silent() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert xent.log_sigmoid(-1e4) == -1e4
        assert xent.log_sigmoid(1e4) == 0.0
        assert xent.sigmoid(-1e300) == 0.0 and xent.sigmoid(1e300) == 1.0
        assert xent.log_sigmoid(-1e300) == -1e300


def test_sigmoid_hand_worked() -> None:
    assert xent.sigmoid(0.0) == 0.5
    assert xent.sigmoid(math.log(3)) == pytest.approx(0.75, rel=1e-15)  # odds 3:1
    np.testing.assert_allclose(
        xent.sigmoid([-2.0, 2.0]), [1 / (1 + math.e**2), 1 / (1 + math.e**-2)]
    )


@settings(max_examples=100, deadline=None)
@given(st.floats(-700, 700))
def test_sigmoid_symmetry(z: float) -> None:
    assert xent.sigmoid(-z) == pytest.approx(1 - xent.sigmoid(z), abs=2.5e-16)  # ~2 ulp of 1


# --- softmax and log-softmax ----------------------------------------------------------------


def mp_log_softmax(z: list[float]) -> list[float]:
    with mpmath.workdps(DIGITS):
        return [float(v) for v in ref_log_softmax(z)]


@pytest.mark.parametrize(
    "z",
    [
        [0.0, 0.0],
        [1.0, 2.0, 3.0],
        [1e4, 0.0, -1e4],
        [-1e4, -1e4 + 1.0],
        [40.0, 0.0],
        [1e-9, 0.0, -1e-9],
    ],
)
def test_log_softmax_matches_mpmath(z: list[float]) -> None:
    np.testing.assert_allclose(xent.log_softmax(z), mp_log_softmax(z), rtol=4e-16, atol=0.0)
    np.testing.assert_allclose(xent.softmax(z), np.exp(mp_log_softmax(z)), rtol=1e-15, atol=0.0)


def test_log_softmax_of_a_dominant_logit_keeps_its_tiny_loss() -> None:
    # log softmax([40, 0])[0] = -log(1 + e^-40) = -4.248e-18: 1 - 4e-18 rounds to 1 in float64,
    # so a log of the probability would give exactly 0.
    assert xent.log_softmax([40.0, 0.0])[0] == pytest.approx(-math.exp(-40), rel=1e-15)


def test_softmax_rows_along_an_axis() -> None:
    z = np.array([[1.0, 2.0], [3.0, 5.0], [0.0, -1.0]])
    np.testing.assert_allclose(xent.softmax(z, axis=0).sum(axis=0), [1.0, 1.0])
    np.testing.assert_allclose(xent.log_softmax(z, axis=0)[:, 0], mp_log_softmax([1.0, 3.0, 0.0]))


# --- binary cross-entropy from logits ------------------------------------------------------


@pytest.mark.parametrize("z", [-1e4, -50.0, 0.0, 50.0, 1e4])
@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_bce_with_logits_matches_mpmath(y: float, z: float) -> None:
    assert xent.binary_cross_entropy_with_logits(y, z) == pytest.approx(
        mp_bce_logits(y, z), rel=1e-15
    )


def test_bce_with_logits_beyond_float_exp_range() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert xent.binary_cross_entropy_with_logits(1.0, -1e300) == 1e300
        assert xent.binary_cross_entropy_with_logits(0.0, -1e300) == 0.0


def test_bce_with_logits_equals_log_loss_where_probabilities_are_representable() -> None:
    rng = np.random.default_rng(7)
    z = rng.normal(scale=3.0, size=50)
    y = rng.integers(0, 2, size=50).astype(float)
    per_sample = xent.binary_cross_entropy_with_logits(y, z)
    assert np.mean(per_sample) == pytest.approx(
        sklearn_log_loss(y, 1 / (1 + np.exp(-z))), rel=1e-12
    )


def test_bce_with_logits_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="y_true and z must have the same shape"):
        xent.binary_cross_entropy_with_logits([0.0, 1.0], [1.0])
    with pytest.raises(ValueError, match=r"y_true has values outside \[0, 1\]"):
        xent.binary_cross_entropy_with_logits([2.0], [1.0])
    with pytest.raises(ValueError, match="z contains NaN"):
        xent.binary_cross_entropy_with_logits([1.0], [np.nan])


# --- log_loss: scikit-learn semantics --------------------------------------------------------


def test_the_scikit_learn_documentation_example_exactly() -> None:
    y_true = ["spam", "ham", "ham", "spam"]
    y_pred = [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]
    assert xent.log_loss(y_true, y_pred) == 0.21616187468057912
    assert xent.log_loss(y_true, y_pred) == sklearn_log_loss(y_true, y_pred)


def test_log_loss_worked_by_hand() -> None:
    # ham < spam, so the columns are [ham, spam]; the true-class probabilities are
    # 0.9, 0.9, 0.8, 0.65.
    expected = -(math.log(0.9) * 2 + math.log(0.8) + math.log(0.65)) / 4
    got = xent.log_loss(
        ["spam", "ham", "ham", "spam"], [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]
    )
    assert got == pytest.approx(expected, rel=1e-15)


@st.composite
def log_loss_cases(draw: st.DrawFn) -> dict[str, object]:
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_classes = draw(st.integers(2, 5))
    n = draw(st.integers(n_classes, 30))
    names = draw(st.sampled_from([None, "str", "int"]))
    classes = (
        np.arange(n_classes) * 3 - 2
        if names == "int"
        else np.array([f"c{k}" for k in range(n_classes)])
    )
    y_true = classes[np.r_[np.arange(n_classes), rng.integers(0, n_classes, size=n - n_classes)]]
    y_pred = rng.dirichlet(np.ones(n_classes) * draw(st.sampled_from([0.05, 1.0, 10.0])), size=n)
    if draw(st.booleans()):
        y_pred[rng.integers(0, n, size=3)] = np.eye(n_classes)[rng.integers(0, n_classes, size=3)]
    case: dict[str, object] = {"y_true": y_true.tolist(), "y_pred": y_pred}
    if n_classes == 2 and draw(st.booleans()):
        case["y_pred"] = y_pred[:, 1]  # probability of the positive (second, larger) class
    if draw(st.booleans()):
        case["sample_weight"] = rng.uniform(0.1, 3.0, size=n)
    case["normalize"] = draw(st.booleans())
    return case


@settings(max_examples=150, deadline=None)
@given(log_loss_cases())
def test_log_loss_agrees_with_scikit_learn(case: dict[str, object]) -> None:
    kwargs = {k: v for k, v in case.items() if k not in ("y_true", "y_pred")}
    expected = sklearn_log_loss(case["y_true"], case["y_pred"], **kwargs)
    assert xent.log_loss(case["y_true"], case["y_pred"], **kwargs) == pytest.approx(
        expected, rel=1e-12
    )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_log_loss_clips_at_the_float_eps_like_scikit_learn(dtype: type) -> None:
    y_pred = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=dtype)
    expected = sklearn_log_loss([1, 0], y_pred)  # (its log in the input's precision)
    assert xent.log_loss([1, 0], y_pred) == pytest.approx(expected, rel=float(np.finfo(dtype).eps))
    assert xent.log_loss([1, 0], y_pred) == pytest.approx(-math.log(np.finfo(dtype).eps), rel=1e-15)
    assert expected == pytest.approx(-math.log(np.finfo(dtype).eps), rel=1e-6)


def test_log_loss_with_labels_for_a_single_observed_class() -> None:
    assert xent.log_loss([1, 1], [0.9, 0.8], labels=[0, 1]) == pytest.approx(
        sklearn_log_loss([1, 1], [0.9, 0.8], labels=[0, 1]), rel=1e-15
    )


def test_log_loss_warns_when_rows_do_not_sum_to_one() -> None:
    with pytest.warns(UserWarning, match="do not sum to one"):
        xent.log_loss([0, 1], [[0.5, 0.4], [0.1, 0.9]])


def test_log_loss_warns_about_unsorted_labels() -> None:
    with pytest.warns(UserWarning, match="not in sorted order"):
        xent.log_loss([0, 1], [[0.5, 0.5], [0.1, 0.9]], labels=[1, 0])


@pytest.mark.parametrize(
    ("y_true", "y_pred", "kwargs", "fragment"),
    [
        ([0, 1, 1], [0.2, 0.8], {}, "same number of samples"),
        ([0, 1], [[0.2, 1.2], [0.1, 0.9]], {}, r"y_pred has values outside \[0, 1\]"),
        ([0, 1], [-0.1, 0.5], {}, r"y_pred has values outside \[0, 1\]"),
        ([0, 1], [0.5, np.nan], {}, "y_pred contains NaN"),
        ([1, 1], [0.9, 0.8], {}, "y_true contains only one class"),
        ([0, 1, 2], [[0.5, 0.5]] * 3, {}, "y_pred has 2 columns but there are 3 classes"),
        (
            [0, 3],
            [0.5, 0.5],
            {"labels": [0, 1]},
            r"y_true contains labels \[3\] that are not in labels",
        ),
        (
            [0, 1],
            [0.5, 0.5],
            {"sample_weight": [1.0]},
            "sample_weight and y_true must have the same shape",
        ),
        ([0, 1], [0.5, 0.5], {"sample_weight": [0.0, 0.0]}, "sample_weight sums to zero"),
        ([[0, 1]], [[0.5, 0.5]], {}, "y_true must be a 1-D array of class labels"),
        ([], [], {}, "empty"),
    ],
)
def test_log_loss_rejects_bad_input(
    y_true: object, y_pred: object, kwargs: dict[str, object], fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment):
        xent.log_loss(y_true, y_pred, **kwargs)  # type: ignore[arg-type]


def test_log_loss_does_not_modify_its_inputs() -> None:
    y_pred = np.array([[1.0, 0.0], [0.3, 0.7]])
    before = y_pred.copy()
    xent.log_loss([0, 1], y_pred)
    np.testing.assert_array_equal(y_pred, before)


def test_log_loss_sums_low_precision_losses_in_float64() -> None:
    # 100,000 losses of log 2 add up to 69314.72: beyond float16's range (65504)
    p = np.full(100_000, 0.5, dtype=np.float16)
    y = np.arange(100_000) % 2
    total = xent.log_loss(y, p, normalize=False)
    assert total == pytest.approx(100_000 * math.log(2), rel=1e-12)


def test_log_loss_of_big_endian_float32_clips_as_float32() -> None:
    # Clipped at the float type's eps: float32's 1.19e-7 whatever the byte order, so the
    # loss of a certain, wrong prediction is -log(eps) = 15.94, in two samples' mean 7.97.
    # (scikit-learn 1.9 clips a '>f4' array at float64's eps, like a float64 one.)
    y, p = [1, 0], [0.0, 0.0]
    native = xent.log_loss(y, np.array(p, dtype=np.float32))
    big_endian = xent.log_loss(y, np.array(p, dtype=">f4"))
    assert big_endian == native
    assert big_endian == pytest.approx(sklearn_log_loss(y, np.array(p, dtype=np.float32)))
    assert big_endian == pytest.approx(-math.log(2.0**-23) / 2, rel=1e-6)


def test_log_loss_names_duplicate_labels() -> None:
    with pytest.raises(ValueError, match=r"labels lists 1 more than once"):
        xent.log_loss([0, 1], [0.2, 0.7], labels=[0, 1, 1])
