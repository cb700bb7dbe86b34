"""xent.information against hand-worked values, mpmath at 50 digits, SciPy, and its own laws."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import scipy.special
from hypothesis import find, given, settings
from hypothesis import strategies as st

import xent
from tests.conftest import distribution_pairs, distributions
from tests.references import DIGITS, ref_cross_entropy, ref_entropy, ref_kl

LN2 = math.log(2)


# The 50-digit references of tests/references.py, on the exact values of the float inputs.


def mp_entropy(p: np.ndarray) -> float:
    with mpmath.workdps(DIGITS):
        return float(ref_entropy([float(x) for x in p]))


def mp_cross_entropy(p: np.ndarray, q: np.ndarray) -> float:
    with mpmath.workdps(DIGITS):
        return float(ref_cross_entropy([float(x) for x in p], [float(x) for x in q]))


def mp_kl(p: np.ndarray, q: np.ndarray) -> float:
    with mpmath.workdps(DIGITS):
        return float(ref_kl([float(x) for x in p], [float(x) for x in q]))


# --- hand-worked values ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "bits"),
    [
        ([0.5, 0.5], 1.0),  # a fair coin is one yes/no question
        ([1.0], 0.0),  # a certain event
        ([1.0, 0.0, 0.0], 0.0),  # 0 log 0 = 0
        ([0.25] * 4, 2.0),
        ([0.5, 0.25, 0.125, 0.125], 1.75),  # 1/2*1 + 1/4*2 + 2*(1/8*3)
        ([1 / 8] * 8, 3.0),
    ],
)
def test_entropy_hand_worked_in_bits(p: list[float], bits: float) -> None:
    assert xent.entropy(p, base=2) == pytest.approx(bits, rel=1e-15, abs=1e-15)


def test_entropy_of_a_fair_die_is_log2_6() -> None:
    with mpmath.workdps(DIGITS):
        log2_6 = float(mpmath.log(6, 2))
    assert xent.entropy(np.full(6, 1 / 6), base=2) == pytest.approx(log2_6, rel=4e-16)


def test_entropy_nats_of_a_fair_coin_is_ln_2() -> None:
    assert xent.entropy([0.5, 0.5]) == pytest.approx(LN2, rel=1e-16)


def test_surprisal_hand_worked() -> None:
    assert xent.surprisal(0.5, base=2) == 1.0
    assert xent.surprisal(1.0) == 0.0
    assert xent.surprisal(0.0) == math.inf
    np.testing.assert_allclose(xent.surprisal([1 / 4, 1 / 8], base=2), [2.0, 3.0], rtol=1e-15)


def test_single_distribution_gives_a_float_and_a_batch_an_array() -> None:
    single = xent.entropy([0.5, 0.5])
    batch = xent.entropy([[0.5, 0.5], [1.0, 0.0]])
    assert type(single) is float
    assert isinstance(batch, np.ndarray) and batch.shape == (2,)
    assert type(xent.cross_entropy([0.5, 0.5], [0.5, 0.5])) is float
    assert type(xent.kl_divergence([0.5, 0.5], [0.5, 0.5])) is float


def test_results_are_never_negative_zero() -> None:
    assert math.copysign(1.0, xent.entropy([1.0, 0.0])) == 1.0
    assert math.copysign(1.0, xent.surprisal(1.0)) == 1.0


# --- mpmath at 50 digits ----------------------------------------------------------------

REFERENCE_CASES = [
    np.array([0.5, 0.5]),
    np.array([0.1, 0.2, 0.3, 0.4]),
    np.array([1e-300, 1 - 1e-16, 1e-16 - 1e-300]),
    np.array([0.999, 0.001]),
    np.full(1000, 1 / 1000),
]


@pytest.mark.parametrize("p", REFERENCE_CASES, ids=lambda p: f"n={p.size}")
def test_entropy_matches_mpmath(p: np.ndarray) -> None:
    assert xent.entropy(p) == pytest.approx(mp_entropy(p), rel=1e-14)


@pytest.mark.parametrize(
    ("p", "q"),
    [
        ([0.5, 0.5], [0.25, 0.75]),
        ([0.1, 0.2, 0.7], [0.3, 0.3, 0.4]),
        ([1.0, 0.0], [0.9, 0.1]),  # p = 0: the second outcome adds nothing
        ([0.0, 1.0], [0.0, 1.0]),  # p = 0 and q = 0 together: 0 log 0 = 0
        ([1e-300, 1 - 1e-300], [0.5, 0.5]),
        ([0.3, 0.7], [1e-200, 1 - 1e-200]),
    ],
)
def test_cross_entropy_and_kl_match_mpmath(p: list[float], q: list[float]) -> None:
    p_arr, q_arr = np.array(p), np.array(q)
    assert xent.cross_entropy(p, q) == pytest.approx(mp_cross_entropy(p_arr, q_arr), rel=1e-14)
    assert xent.kl_divergence(p, q) == pytest.approx(mp_kl(p_arr, q_arr), rel=1e-12, abs=1e-300)


def test_q_zero_where_p_positive_is_exactly_infinite_and_silent() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert xent.cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
        assert xent.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
        batch = xent.cross_entropy([[0.5, 0.5], [1.0, 0.0]], [[1.0, 0.0], [1.0, 0.0]])
    assert batch[0] == math.inf and batch[1] == 0.0


# --- SciPy as a second reference ----------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(distributions(max_size=30))
def test_entropy_matches_scipy_entr(p: np.ndarray) -> None:
    assert xent.entropy(p) == pytest.approx(math.fsum(scipy.special.entr(p)), rel=1e-13, abs=1e-300)


@settings(max_examples=100, deadline=None)
@given(distribution_pairs())
def test_kl_matches_scipy_rel_entr(pair: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pair
    expected = math.fsum(scipy.special.rel_entr(p, q))
    assert xent.kl_divergence(p, q) == pytest.approx(expected, rel=1e-9, abs=1e-12)


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(distributions())
def test_entropy_is_between_zero_and_log_n(p: np.ndarray) -> None:
    h = xent.entropy(p)
    assert 0.0 <= h <= math.log(p.size) + 1e-12


@settings(max_examples=100, deadline=None)
@given(distributions(), st.randoms(use_true_random=False))
def test_entropy_ignores_the_order_of_outcomes(p: np.ndarray, random: object) -> None:
    shuffled = p.copy()
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert xent.entropy(shuffled) == pytest.approx(xent.entropy(p), rel=1e-12, abs=1e-15)


@settings(max_examples=100, deadline=None)
@given(distributions(), st.sampled_from([2, 10, math.e, 0.5, 3.7]))
def test_base_change_divides_by_log_of_the_base(p: np.ndarray, base: float) -> None:
    assert xent.entropy(p, base=base) == pytest.approx(
        xent.entropy(p) / math.log(base), rel=1e-12, abs=1e-15
    )


@pytest.mark.parametrize("n", [1, 2, 6, 100, 100_000])
def test_uniform_distribution_reaches_log_n(n: int) -> None:
    assert xent.entropy(np.full(n, 1 / n)) == pytest.approx(math.log(n), rel=1e-13, abs=1e-15)


@settings(max_examples=100, deadline=None)
@given(distributions(min_size=2, max_size=10))
def test_uniform_distribution_has_the_largest_entropy(p: np.ndarray) -> None:
    uniform = np.full(p.size, 1 / p.size)
    assert xent.entropy(p) <= xent.entropy(uniform) + 1e-12


def test_batch_rows_and_axis_agree_with_single_distributions() -> None:
    rng = np.random.default_rng(0)
    batch = rng.dirichlet(np.ones(5), size=(3, 4))
    rowwise = np.array([[xent.entropy(row) for row in block] for block in batch])
    np.testing.assert_array_equal(xent.entropy(batch), rowwise)
    np.testing.assert_array_equal(xent.entropy(np.moveaxis(batch, -1, 0), axis=0), rowwise)


@settings(max_examples=100, deadline=None)
@given(distribution_pairs())
def test_gibbs_inequality(pair: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pair
    assert xent.cross_entropy(p, q) >= xent.entropy(p) - 1e-12
    assert xent.kl_divergence(p, q) >= -1e-15


@settings(max_examples=100, deadline=None)
@given(distributions())
def test_cross_entropy_of_p_with_itself_is_its_entropy(p: np.ndarray) -> None:
    assert xent.cross_entropy(p, p) == pytest.approx(xent.entropy(p), rel=1e-14, abs=1e-300)
    assert xent.kl_divergence(p, p) == 0.0


@settings(max_examples=100, deadline=None)
@given(distribution_pairs())
def test_cross_entropy_is_entropy_plus_kl(pair: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pair
    h_pq = xent.cross_entropy(p, q)
    if math.isinf(h_pq):
        assert math.isinf(xent.kl_divergence(p, q))
    else:
        assert h_pq == pytest.approx(
            xent.entropy(p) + xent.kl_divergence(p, q), rel=1e-12, abs=1e-12
        )


@settings(max_examples=100, deadline=None)
@given(distribution_pairs(), st.sampled_from([2, 10]))
def test_cross_entropy_and_kl_change_base(pair: tuple[np.ndarray, np.ndarray], base: int) -> None:
    p, q = pair
    for function in (xent.cross_entropy, xent.kl_divergence):
        nats = function(p, q)
        expected = nats / math.log(base)
        assert function(p, q, base=base) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_a_search_finds_that_kl_is_not_symmetric() -> None:
    p, q = find(
        distribution_pairs(max_size=4),
        lambda pair: abs(xent.kl_divergence(*pair) - xent.kl_divergence(pair[1], pair[0])) > 0.1,
        settings=settings(database=None, max_examples=2000),
    )
    assert abs(xent.kl_divergence(p, q) - xent.kl_divergence(q, p)) > 0.1
    assert xent.cross_entropy(p, q) != pytest.approx(xent.cross_entropy(q, p))


def test_kl_asymmetry_worked_example() -> None:
    # By hand: KL(p||q) = 0.5 ln(0.5/0.9) + 0.5 ln(0.5/0.1) = 0.5 ln(25/9)
    #          KL(q||p) = 0.9 ln(0.9/0.5) + 0.1 ln(0.1/0.5) = 0.9 ln 1.8 - 0.1 ln 5
    p, q = [0.5, 0.5], [0.9, 0.1]
    assert xent.kl_divergence(p, q) == pytest.approx(0.5 * math.log(25 / 9), rel=1e-15)
    assert xent.kl_divergence(q, p) == pytest.approx(
        0.9 * math.log(1.8) - 0.1 * math.log(5), rel=1e-14
    )


def test_inputs_are_not_modified() -> None:
    p = np.array([[0.2, 0.8], [0.0, 1.0]])
    q = np.array([[0.5, 0.5], [0.1, 0.9]])
    p0, q0 = p.copy(), q.copy()
    xent.entropy(p)
    xent.cross_entropy(p, q)
    xent.kl_divergence(p, q)
    np.testing.assert_array_equal(p, p0)
    np.testing.assert_array_equal(q, q0)


def test_float32_input_is_computed_in_float64() -> None:
    p32 = np.array([0.1, 0.2, 0.7], dtype=np.float32)
    assert xent.entropy(p32) == pytest.approx(mp_entropy(p32.astype(np.float64)), rel=1e-15)
