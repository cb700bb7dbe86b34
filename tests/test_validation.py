"""The shared input checks: every problem gets an error that names the argument."""

from __future__ import annotations

import numpy as np
import pytest

from xent import validation


@pytest.mark.parametrize(
    ("value", "error", "fragment"),
    [
        ("0.5", TypeError, "p must be numeric"),
        (None, TypeError, "p must be numeric"),
        ([["a", "b"]], TypeError, "p must be numeric"),
        ([object()], TypeError, "p must be numeric"),
        ([[0.5, 0.5], [1.0]], ValueError, "p is ragged"),
        ([], ValueError, "p is empty"),
        (np.zeros((3, 0)), ValueError, "p is empty"),
        ([0.5, np.nan], ValueError, "p contains NaN"),
        ([0.5, np.inf], ValueError, "p contains infinite values"),
    ],
)
def test_as_finite_array_rejects(value: object, error: type[Exception], fragment: str) -> None:
    with pytest.raises(error, match=fragment):
        validation.as_finite_array(value, "p")  # type: ignore[arg-type]


def test_as_finite_array_requires_dimensions() -> None:
    with pytest.raises(ValueError, match="p must have at least 1 dimension"):
        validation.as_finite_array(0.5, "p", min_ndim=1)


@pytest.mark.parametrize("value", [[-0.1, 1.1], [0.5, 1.5], [-1e-300, 1.0]])
def test_as_probabilities_rejects_values_outside_the_unit_interval(value: list[float]) -> None:
    with pytest.raises(ValueError, match=r"y_pred has values outside \[0, 1\]"):
        validation.as_probabilities(value, "y_pred")


def test_as_probabilities_accepts_the_closed_interval_and_keeps_the_caller_array() -> None:
    original = np.array([0.0, 1.0, 0.25], dtype=np.float32)
    result = validation.as_probabilities(original, "p")
    assert result.dtype == np.float64
    result[0] = 0.5  # a float32 input is copied, never written through
    assert original[0] == 0.0


@pytest.mark.parametrize(
    "value",
    [[0.5, 0.6], [0.2, 0.2], [[0.5, 0.5], [0.3, 0.3]], [0.5, 0.5 + 2e-6]],
)
def test_as_distribution_rejects_rows_not_summing_to_one(value: list[float]) -> None:
    with pytest.raises(ValueError, match="p must sum to 1 along axis"):
        validation.as_distribution(value, "p")


def test_sum_tolerance_is_as_documented() -> None:
    inside = [0.5, 0.5 + 0.9 * validation.SUM_TOLERANCE]
    outside = [0.5, 0.5 + 1.1 * validation.SUM_TOLERANCE]
    validation.as_distribution(inside, "p")
    with pytest.raises(ValueError, match=r"within 1e-06"):
        validation.as_distribution(outside, "p")


def test_as_distribution_checks_the_requested_axis() -> None:
    columns = np.array([[0.5, 0.1], [0.5, 0.9]])
    _, axis = validation.as_distribution(columns, "p", axis=0)
    assert axis == 0
    with pytest.raises(ValueError, match="along axis 1"):
        validation.as_distribution(columns, "p", axis=1)


@pytest.mark.parametrize(
    ("axis", "error"), [(2, ValueError), (-3, ValueError), (1.0, TypeError), (True, TypeError)]
)
def test_check_axis(axis: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="axis"):
        validation.check_axis(np.ones((2, 2)), axis, "p")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("base", "error"),
    [
        (1, ValueError),
        (0, ValueError),
        (-2, ValueError),
        (np.inf, ValueError),
        ("2", TypeError),
        (True, TypeError),
    ],
)
def test_check_base_rejects(base: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="base must be"):
        validation.check_base(base)  # type: ignore[arg-type]


def test_check_same_shape_names_both_arguments() -> None:
    with pytest.raises(
        ValueError, match=r"p and q must have the same shape, got \(2,\) and \(3,\)"
    ):
        validation.check_same_shape(np.ones(2), np.ones(3), "p", "q")


def test_warnings_point_at_the_callers_line() -> None:
    import xent

    with pytest.warns(UserWarning) as caught:
        xent.log_loss([0, 1], [[0.5, 0.4], [0.1, 0.9]])
    assert caught[0].filename == __file__
