"""xent.arithmetic against exact rational arithmetic (fractions.Fraction) and math.fsum."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xent import arithmetic

finite = st.floats(allow_nan=False, allow_infinity=False)


def exact_sum(values: list[float]) -> Fraction:
    return sum((Fraction(v) for v in values), Fraction(0))


def test_accurate_sum_of_huge_cancelling_values_is_exact() -> None:
    # Pairs of 1.5e308 overflow when added; the exact sum is 1.0
    values = [1.5e308, -1.5e308, 1.5e308, -1.5e308, 1.0]
    assert exact_sum(values) == 1
    assert float(arithmetic.accurate_sum(values)) == 1.0
    assert float(arithmetic.accurate_sum([1.7e308, 1.7e308, -1.7e308, 5e-324])) == 1.7e308


@given(st.lists(finite, min_size=1, max_size=40))
@settings(max_examples=150, deadline=None, derandomize=True)
def test_accurate_sum_is_the_exact_sum_rounded(values: list[float]) -> None:
    exact = exact_sum(values)
    got = float(arithmetic.accurate_sum(values))
    try:
        rounded = float(exact)
    except OverflowError:
        rounded = math.inf if exact > 0 else -math.inf
    if math.isinf(rounded) or abs(rounded) > 1.7e308:
        return  # beyond the float range: no finite answer to hold it to
    # within a few ulps of the exact sum, or of the largest value's ulp times eps for
    # sums that cancel (the documented eps**2 log2(n) times the sum of magnitudes)
    magnitudes = float(min(sum(abs(Fraction(v)) for v in values), Fraction(1.7e308)))
    spread = 1e-31 * magnitudes * math.log2(len(values) + 1)
    allowed = 2 * float(np.spacing(abs(rounded))) + spread
    assert abs(Fraction(got) - exact) <= Fraction(allowed) + Fraction(5e-324)


@given(st.lists(st.floats(-1e300, 1e300), min_size=1, max_size=40))
@settings(max_examples=100, deadline=None, derandomize=True)
def test_accurate_sum_agrees_with_fsum(values: list[float]) -> None:
    assert float(arithmetic.accurate_sum(values)) == pytest.approx(
        math.fsum(values), rel=1e-15, abs=1e-300
    )


@given(finite, finite)
@settings(max_examples=200, deadline=None, derandomize=True)
def test_two_sum_is_exact(a: float, b: float) -> None:
    s, e = arithmetic.two_sum(a, b)
    if math.isfinite(float(s)):
        assert Fraction(float(s)) + Fraction(float(e)) == Fraction(a) + Fraction(b)
    else:
        assert float(e) == 0.0


@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=8))
@settings(max_examples=100, deadline=None, derandomize=True)
def test_shift_error_is_the_exact_rounding_error_of_the_shift(row: list[float]) -> None:
    z = np.array([row])
    top = z.max(axis=1, keepdims=True)
    shifted = z - top
    error = arithmetic.shift_error(z, top, shifted)
    for zi, si, ei in zip(z[0], shifted[0], error[0]):
        exact = Fraction(float(zi)) - Fraction(float(top[0, 0]))
        assert Fraction(float(si)) + Fraction(float(ei)) == exact


def test_row_dots_counts_zero_times_infinity_as_zero() -> None:
    a = np.array([[0.0, 1.0], [0.5, 0.5]])
    b = np.array([[-np.inf, 2.0], [4.0, 6.0]])
    np.testing.assert_array_equal(arithmetic.row_dots(a, b), [2.0, 5.0])
    assert float(arithmetic.row_dots(np.array([0.0, 1.0]), np.array([-np.inf, 3.0]))) == 3.0


@pytest.mark.parametrize("n", [3, 32, 33, 1000])
def test_row_sums_do_not_depend_on_the_other_rows(n: int) -> None:
    rng = np.random.default_rng(n)
    rows = rng.normal(size=(4, n)) * 10.0 ** rng.integers(-5, 5, size=(4, n))
    together = arithmetic.row_sums(rows)
    for i in range(4):
        assert together[i] == arithmetic.row_sums(rows[i : i + 1])[0]
        assert together[i] == pytest.approx(math.fsum(rows[i]), rel=1e-12, abs=1e-12)


def test_total_is_the_mean_without_overflow() -> None:
    assert arithmetic.total([1e308, 1e308], 2.0) == 1e308
    assert arithmetic.total([1e308, 1e308]) == math.inf  # 2e308 is beyond the range
    assert arithmetic.total([1.0, 2.0, 3.0], 3.0) == 2.0
