"""xent.evidence on hand-worked cases: the pairing, ties, the tests' inputs, the verdict rule,
the wording and rounding of the summary, the claim lines and the stratified splits.

The statistics themselves are SciPy's; the expected values here are worked out by hand (counts,
binomial sums with math.comb, the t interval from its formula with a table quantile), and the
expected summary lines are written out in full.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from xent.evidence import Comparison, claim_line, compare, stratified_splits

CE, SE = "cross-entropy", "squared error"


def scores(differences: list[float], offset: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Two score arrays whose paired differences a - b are exactly ``differences``."""
    b = np.full(len(differences), offset) + np.arange(len(differences))  # exact in binary
    return b + np.asarray(differences, dtype=float), b


# --- counting and direction ---------------------------------------------------------------------


def test_wins_ties_and_losses_follow_the_direction() -> None:
    a, b = [1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 2.0, 1.0, 5.0, 5.0]  # a - b = -1, 0, 2, -1, 0
    lower = compare(a, b)
    assert (lower.n, lower.wins, lower.ties, lower.losses) == (5, 2, 2, 1)
    higher = compare(a, b, lower_is_better=False)
    assert (higher.n, higher.wins, higher.ties, higher.losses) == (5, 1, 2, 2)
    np.testing.assert_array_equal(lower.differences, [-1.0, 0.0, 2.0, -1.0, 0.0])
    assert lower.mean_difference == 0.0 and isinstance(lower.mean_difference, float)


def test_the_pairing_is_by_position_not_by_sorted_scores() -> None:
    """Shuffling one side changes the differences even though neither side's values change."""
    paired = compare([1.0, 2.0, 3.0], [1.5, 2.5, 3.5])
    shuffled = compare([1.0, 2.0, 3.0], [3.5, 1.5, 2.5])
    assert paired.wins == 3
    assert (shuffled.wins, shuffled.losses) == (1, 2)


def test_a_better_when_higher_is_better_is_b_better_when_lower_is() -> None:
    a, b = scores([-1.0] * 10 + [-3.0] * 10)
    assert compare(a, b, names=(CE, SE)).verdict == "cross-entropy better"
    assert compare(a, b, names=(CE, SE), lower_is_better=False).verdict == "squared error better"


# --- the tests' p-values and the interval, by hand ----------------------------------------------


def test_sign_test_p_is_the_two_sided_binomial_tail() -> None:
    a, b = scores([-0.5] * 13 + [0.25] * 7)
    by_hand = 2 * sum(math.comb(20, k) for k in range(13, 21)) / 2**20
    assert by_hand == pytest.approx(0.2632, abs=5e-5)
    assert compare(a, b).sign_p == pytest.approx(by_hand, rel=1e-12)


def test_sign_test_drops_ties() -> None:
    a, b = scores([-0.5] * 13 + [0.25] * 7 + [0.0] * 5)
    result = compare(a, b)
    assert (result.n, result.wins, result.ties, result.losses) == (25, 13, 5, 7)
    by_hand = 2 * sum(math.comb(20, k) for k in range(13, 21)) / 2**20
    assert result.sign_p == pytest.approx(by_hand, rel=1e-12)


def test_paired_t_interval_of_four_differences_by_hand() -> None:
    # d = 1, 2, 3, 6: mean 3, squared deviations 4 + 1 + 0 + 9 = 14, s^2 = 14 / 3,
    # standard error s / 2; t(0.975, 3 df) = 3.182 (a t table; 3.18245 to more digits).
    a, b = scores([1.0, 2.0, 3.0, 6.0])
    result = compare(a, b)
    standard_error = math.sqrt(14 / 3) / 2
    half_width = 3.18245 * standard_error
    assert result.mean_difference == pytest.approx(3.0, rel=1e-15)
    assert result.interval[0] == pytest.approx(3.0 - half_width, abs=1e-5)
    assert result.interval[1] == pytest.approx(3.0 + half_width, abs=1e-5)
    # t = 3 / 1.0801 = 2.7775 with 3 degrees of freedom: between the table's 2.353 (p = 0.10)
    # and 3.182 (p = 0.05), two-sided
    assert 0.05 < result.t_p < 0.10
    # the Wilcoxon signed-rank test: 4 positive differences of distinct sizes, W- = 0, so the
    # exact two-sided p is 2 / 2^4
    assert result.wilcoxon_p == pytest.approx(2 / 16, rel=1e-12)


def test_a_wider_confidence_gives_a_wider_interval() -> None:
    a, b = scores([1.0, 2.0, 3.0, 6.0])
    narrow, wide = compare(a, b, confidence=0.9), compare(a, b, confidence=0.99)
    # t(0.95, 3) = 2.353 and t(0.995, 3) = 5.841 from a t table
    standard_error = math.sqrt(14 / 3) / 2
    assert narrow.interval[1] - 3.0 == pytest.approx(2.353 * standard_error, abs=2e-3)
    assert wide.interval[1] - 3.0 == pytest.approx(5.841 * standard_error, abs=2e-3)


def test_all_ties_settle_nothing_with_p_of_one() -> None:
    result = compare([0.3, 0.4, 0.5], [0.3, 0.4, 0.5])
    assert (result.wins, result.ties, result.losses) == (0, 3, 0)
    assert (result.sign_p, result.t_p, result.wilcoxon_p) == (1.0, 1.0, 1.0)
    assert result.interval == (0.0, 0.0)
    assert result.verdict == "not settled"


def test_constant_nonzero_differences_give_a_point_interval_and_t_p_of_zero() -> None:
    a, b = scores([-0.5] * 8)
    result = compare(a, b)
    assert result.interval == (-0.5, -0.5)
    assert result.t_p == 0.0
    assert result.sign_p == pytest.approx(2 / 2**8, rel=1e-12)
    assert result.verdict == "A better"


# --- the verdict rule --------------------------------------------------------------------------


def test_many_wins_and_one_large_loss_is_not_settled() -> None:
    """The sign test alone would settle it (19 of 20); the t interval crosses 0."""
    a, b = scores([-0.01] * 19 + [10.0])
    result = compare(a, b)
    assert result.sign_p == pytest.approx(2 * 21 / 2**20, rel=1e-12)
    assert result.sign_p < 0.05 and result.interval[0] < 0.0 < result.interval[1]
    assert result.verdict == "not settled"


def test_sign_test_and_t_test_pointing_opposite_ways_is_not_settled() -> None:
    # 15 small wins and 5 losses of 1: sign test p = 2 * sum_{k >= 15} C(20, k) / 2^20 = 0.041
    # for A; the mean difference, 0.2425, is positive (B's side) with an interval above 0.
    a, b = scores([-0.01] * 15 + [1.0] * 5)
    result = compare(a, b)
    assert result.sign_p == pytest.approx(
        2 * sum(math.comb(20, k) for k in range(15, 21)) / 2**20, rel=1e-12
    )
    assert result.sign_p < 0.05 and result.t_p < 0.05 and result.interval[0] > 0.0
    assert result.verdict == "not settled"


def test_five_of_five_wins_cannot_pass_a_sign_test_at_five_percent() -> None:
    a, b = scores([-1.0, -1.1, -0.9, -1.05, -0.95])
    result = compare(a, b)
    assert result.sign_p == pytest.approx(2 / 2**5, rel=1e-12)  # 0.0625
    assert result.t_p < 1e-4 and result.interval[1] < 0.0
    assert result.verdict == "not settled"
    assert compare(a, b, alpha=0.1).verdict == "A better"


# --- the summary line, written out ------------------------------------------------------------


def test_summary_of_a_settled_comparison() -> None:
    # d = -1 (10 times), -3 (10 times): mean -2, s = sqrt(20 / 19), t(0.975, 19) = 2.093,
    # half-width 0.4802; sign test p = 2 / 2^20 = 1.9e-6; t = -8.72 on 19 df, p = 4.6e-8
    a, b = scores([-1.0] * 10 + [-3.0] * 10)
    assert compare(a, b, names=(CE, SE)).summary() == (
        "cross-entropy better than squared error on 20 of 20 splits (0 ties, 0 worse); "
        "mean difference -2, 95% t-interval [-2.48, -1.52]; "
        "sign test p = 2e-6, paired t p = 5e-8"
    )


def test_summary_when_the_second_method_wins_states_its_own_difference() -> None:
    a, b = scores([-1.0] * 10 + [-3.0] * 10)
    assert compare(a, b, names=(CE, SE), lower_is_better=False).summary() == (
        "squared error better than cross-entropy on 20 of 20 splits (0 ties, 0 worse); "
        "mean difference 2, 95% t-interval [1.52, 2.48]; "
        "sign test p = 2e-6, paired t p = 5e-8"
    )


def test_summary_of_an_unsettled_comparison() -> None:
    # 13 wins of -1, 7 losses of +1: mean -0.3, s^2 = (13 * 0.49 + 7 * 1.69) / 19 = 0.9579,
    # half-width 2.093 * 0.2188 = 0.4581; sign test p = 0.2632; t = -1.371 on 19 df, p = 0.186
    a, b = scores([-1.0] * 13 + [1.0] * 7)
    assert compare(a, b, names=(CE, SE)).summary() == (
        "not settled: cross-entropy better on 13 of 20 splits (0 ties, 7 worse); "
        "mean difference -0.3, 95% t-interval [-0.7581, 0.1581]; "
        "sign test p = 0.26, paired t p = 0.19"
    )


def test_summary_rounds_small_p_values_to_two_digits_and_counts_one_tie() -> None:
    # 9 wins, 1 loss, 1 tie: sign test p = 2 * (C(10, 9) + C(10, 10)) / 2^10 = 0.0215;
    # mean -8 / 11, t = -3.68 on 10 df, p = 0.0039
    a, b = scores([-1.0] * 9 + [1.0, 0.0])
    assert compare(a, b).summary() == (
        "A better than B on 9 of 11 splits (1 tie, 1 worse); "
        "mean difference -0.7273, 95% t-interval [-1.162, -0.2928]; "
        "sign test p = 0.021, paired t p = 0.0039"
    )


def test_summary_of_an_even_split_prints_p_of_one() -> None:
    a, b = scores([-2.0, 2.0, -1.0, 1.0])
    assert compare(a, b).summary() == (
        "not settled: A better on 2 of 4 splits (0 ties, 2 worse); "
        "mean difference 0, 95% t-interval [-2.905, 2.905]; "
        "sign test p = 1.0, paired t p = 1.0"
    )


def test_summary_guards_p_values_that_underflow() -> None:
    a, b = scores([-1.0, -2.0] * 1000)  # 2000 wins of 2000: p = 2 / 2^2000 underflows to 0
    line = compare(a, b).summary()
    assert line.endswith("sign test p < 1e-300, paired t p < 1e-300")
    assert "confidence" not in line and "99" not in line.split(";")[1].split("%")[0]


def test_summary_names_the_confidence_level() -> None:
    a, b = scores([1.0, 2.0, 3.0, 6.0])
    assert "90% t-interval" in compare(a, b, confidence=0.9).summary()
    assert "99.9% t-interval" in compare(a, b, confidence=0.999).summary()


# --- claim lines ------------------------------------------------------------------------------


def test_claim_line_format() -> None:
    assert claim_line("ce-faster", True, "on 19 of 20 splits") == (
        "claim ce-faster: holds: on 19 of 20 splits"
    )
    assert claim_line("ce-faster", False, "x") == "claim ce-faster: DOES NOT HOLD: x"


def test_claim_holds_only_for_the_verdict_it_expects() -> None:
    a, b = scores([-1.0] * 10 + [-3.0] * 10)
    result = compare(a, b, names=(CE, SE))
    summary = result.summary()
    assert result.claim("ce-better", "cross-entropy better") == (
        f"claim ce-better: holds: {summary}"
    )
    assert result.claim("not-settled", "not settled") == (
        f"claim not-settled: DOES NOT HOLD: {summary}"
    )
    assert result.claim("se-better", "squared error better").startswith(
        "claim se-better: DOES NOT HOLD: "
    )


@pytest.mark.parametrize(
    "label", ["", "Ce-faster", "ce_faster", "ce--faster", "-ce", "ce-", "ce faster", "2x"]
)
def test_claim_labels_are_lowercase_words_and_hyphens(label: str) -> None:
    with pytest.raises(ValueError, match="label"):
        claim_line(label, True, "detail")


def test_claim_labels_may_carry_digits_after_a_letter() -> None:
    assert claim_line("rate-2x-grid", True, "d").startswith("claim rate-2x-grid: holds")


@pytest.mark.parametrize(
    ("arguments", "error", "name"),
    [
        (("x", 1, "d"), TypeError, "holds"),
        (("x", "yes", "d"), TypeError, "holds"),
        (("x", True, ""), ValueError, "detail"),
        (("x", True, "two\nlines"), ValueError, "detail"),
        ((None, True, "d"), TypeError, "label"),
    ],
)
def test_claim_line_rejects_bad_arguments(
    arguments: tuple[Any, ...], error: type[Exception], name: str
) -> None:
    with pytest.raises(error, match=name):
        claim_line(*arguments)


def test_claim_rejects_an_expected_verdict_it_cannot_have() -> None:
    a, b = scores([-1.0] * 10 + [-3.0] * 10)
    result = compare(a, b, names=(CE, SE))
    with pytest.raises(ValueError, match="expect"):
        result.claim("ce-better", "cross entropy better")  # a misspelt name
    with pytest.raises(TypeError, match="expect"):
        result.claim("ce-better", True)  # type: ignore[arg-type]


def test_comparison_is_frozen() -> None:
    result = compare([1.0, 2.0], [2.0, 3.5])
    assert isinstance(result, Comparison)
    with pytest.raises(AttributeError):
        result.wins = 5  # type: ignore[misc]


# --- stratified splits ------------------------------------------------------------------------

LABELS = np.array([0] * 10 + [1] * 30 + [2] * 5)


def test_each_class_is_split_in_the_same_proportion() -> None:
    splits = stratified_splits(LABELS, n_splits=7, test_fraction=0.2, seed=3)
    assert len(splits) == 7
    for train, test in splits:
        # round(0.2 * 10) = 2, round(0.2 * 30) = 6, round(0.2 * 5) = 1
        assert np.bincount(LABELS[test], minlength=3).tolist() == [2, 6, 1]
        assert np.bincount(LABELS[train], minlength=3).tolist() == [8, 24, 4]
        assert not set(train.tolist()) & set(test.tolist())
        assert sorted(train.tolist() + test.tolist()) == list(range(len(LABELS)))
        assert (np.diff(train) > 0).all() and (np.diff(test) > 0).all()
        assert train.dtype.kind == "i"


def test_splits_are_deterministic_and_differ_between_seeds_and_splits() -> None:
    first = stratified_splits(LABELS, n_splits=5, test_fraction=0.3, seed=11)
    again = stratified_splits(LABELS, n_splits=5, test_fraction=0.3, seed=11)
    other = stratified_splits(LABELS, n_splits=5, test_fraction=0.3, seed=12)
    for (train, test), (train2, test2) in zip(first, again):
        np.testing.assert_array_equal(train, train2)
        np.testing.assert_array_equal(test, test2)
    assert any(not np.array_equal(t, u) for (_, t), (_, u) in zip(first, other))
    tests = {tuple(test.tolist()) for _, test in first}
    assert len(tests) == 5, "the splits of one seed repeat"


def test_every_class_keeps_one_sample_on_each_side() -> None:
    y = ["a"] * 5 + ["b"] * 2  # string labels work too
    (train, test), = stratified_splits(y, n_splits=1, test_fraction=0.01, seed=0)
    assert len(test) == 2 and len(train) == 5  # round(0.05) = 0 and round(0.02) = 0, raised to 1
    (train, test), = stratified_splits(y, n_splits=1, test_fraction=0.99, seed=0)
    assert len(train) == 2  # round(4.95) = 5 and round(1.98) = 2, lowered to n - 1


def test_test_sizes_round_halves_to_even() -> None:
    y = [0] * 5 + [1] * 7
    (_, test), = stratified_splits(y, n_splits=1, test_fraction=0.5, seed=0)
    # 2.5 rounds to 2 and 3.5 to 4 (Python's round)
    assert np.bincount(np.asarray(y)[test]).tolist() == [2, 4]


@pytest.mark.parametrize(
    ("y", "kwargs", "error", "name"),
    [
        (LABELS, {"n_splits": 0}, ValueError, "n_splits"),
        (LABELS, {"n_splits": 2.0}, TypeError, "n_splits"),
        (LABELS, {"test_fraction": 0.0}, ValueError, "test_fraction"),
        (LABELS, {"test_fraction": 1.0}, ValueError, "test_fraction"),
        (LABELS, {"test_fraction": np.nan}, ValueError, "test_fraction"),
        (LABELS, {"seed": -1}, ValueError, "seed"),
        (LABELS, {"seed": None}, TypeError, "seed"),
        (LABELS.reshape(9, 5), {}, ValueError, "y"),
        ([0, 0, 1], {}, ValueError, "y"),
        ([0.0, 0.5, 1.0, 1.0], {}, ValueError, "y"),
        (None, {}, TypeError, "y"),
        (np.array([{}, {}], dtype=object), {}, TypeError, "y"),
    ],
)
def test_stratified_splits_rejects_bad_arguments(
    y: Any, kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    arguments = {"n_splits": 2, "test_fraction": 0.2, "seed": 0} | kwargs
    with pytest.raises(error, match=name):
        stratified_splits(y, **arguments)


# --- bad inputs to compare ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "error", "name"),
    [
        ([1.0, 2.0, 3.0], [1.0, 2.0], {}, ValueError, "a and b"),
        ([1.0], [2.0], {}, ValueError, "a"),
        ([1.0, np.nan], [1.0, 2.0], {}, ValueError, "a"),
        ([1.0, 2.0], [1.0, np.inf], {}, ValueError, "b"),
        ([[1.0, 2.0]], [[1.0, 2.0]], {}, ValueError, "a"),
        (["1", "2"], [1.0, 2.0], {}, TypeError, "a"),
        ([1.0, 2.0], [1.0, 3.0], {"names": ("A", "A")}, ValueError, "names"),
        ([1.0, 2.0], [1.0, 3.0], {"names": "AB"}, TypeError, "names"),
        ([1.0, 2.0], [1.0, 3.0], {"lower_is_better": "yes"}, TypeError, "lower_is_better"),
        ([1.0, 2.0], [1.0, 3.0], {"confidence": 1.0}, ValueError, "confidence"),
        ([1.0, 2.0], [1.0, 3.0], {"confidence": 95}, ValueError, "confidence"),
        ([1.0, 2.0], [1.0, 3.0], {"alpha": 0.0}, ValueError, "alpha"),
        ([1e308, 2.0], [-1e308, 3.0], {}, ValueError, "a - b"),
    ],
)
def test_compare_rejects_bad_inputs(
    a: Any, b: Any, kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    with pytest.raises(error, match=name):
        compare(a, b, **kwargs)


def test_compare_leaves_its_inputs_alone_and_returns_plain_floats() -> None:
    a, b = np.array([0.2, 0.3, 0.4]), np.array([0.25, 0.3, 0.5])
    result = compare(a, b)
    np.testing.assert_array_equal(a, [0.2, 0.3, 0.4])
    for value in (result.mean_difference, *result.interval, result.sign_p, result.t_p):
        assert type(value) is float
    assert all(type(v) is int for v in (result.n, result.wins, result.ties, result.losses))
