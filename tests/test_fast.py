"""xent.fast: the fast path of the label loss from logits, against mpmath, and its decision."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from tests.references import DIGITS, ref_log_softmax, ulps
from xent import fast


@pytest.mark.parametrize("scale", [1.0, 30.0, 300.0])
def test_fast_losses_are_exact_to_a_few_ulps(scale: float) -> None:
    rng = np.random.default_rng(int(scale))
    z = rng.normal(scale=scale, size=(20, 5)).clip(-300.0, 300.0)  # sums, ratios finite
    labels = rng.integers(0, 5, size=20)
    losses, done = fast.label_losses_from_logits(z, labels)
    assert done.all()
    with mpmath.workdps(DIGITS):
        for row, label, loss in zip(z, labels, losses):
            assert ulps(float(loss), -ref_log_softmax(row.tolist())[label]) <= 4


def test_rows_outside_the_exp_range_are_left_to_the_stable_formula() -> None:
    z = np.array([[0.0, 1.0], [0.0, 710.0], [-709.0, 0.0], [0.0, 709.0]])
    _, done = fast.label_losses_from_logits(z, np.array([0, 0, 0, 0]))
    # 710 > 709 is outside EXP_RANGE, -709 < -708 too; the others are done
    np.testing.assert_array_equal(done, [True, False, False, True])


def test_a_row_decides_for_itself() -> None:
    ordinary = np.array([[0.5, -0.5, 2.0]])
    alone, _ = fast.label_losses_from_logits(ordinary, np.array([2]))
    batch = np.vstack([ordinary, [[1e4, 0.0, 0.0]]])
    together, done = fast.label_losses_from_logits(batch, np.array([2, 0]))
    assert together[0] == alone[0] and done.tolist() == [True, False]
