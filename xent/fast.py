"""The one fast path: the loss of a class label from logits, for the rows where it is exact.

The stable formula of :func:`xent.logistic.log_softmax_parts` shifts every row by its
largest logit: a search for the maximum, a subtraction, and a correction of the rounded
shift. For the rows of any ordinary model none of that is needed. When every ``exp(z_j)``
is a normal float64 and the sums stay finite,

.. math:: -\\log \\operatorname{softmax}(z)_y
          = \\log\\Big(1 + \\frac{\\sum_{j \\ne y} e^{z_j}}{e^{z_y}}\\Big)

takes the exponential of each logit as given, so each is exact to its last digit, and the
loss keeps its digits whether it is tiny (a confident, right prediction) or large. The
benchmark appendix measures what this buys.

The decision is made row by row: a row with a logit outside :data:`EXP_RANGE`, or whose
sum of exponentials or ratio overflows, is left to the stable formula, so nothing about one
row depends on the other rows of its batch. The property tests (``tests/test_properties.py``)
hold both paths to mpmath, on logits spread past ±709, near the float range, and in batches
that mix the two.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from xent.arithmetic import FloatArray, row_sums
from xent.validation import value_range

__all__ = ["EXP_RANGE", "label_losses_from_logits"]


EXP_RANGE = (-708.0, 709.0)
"""Logits whose ``exp`` is a normal, finite float64: ``exp(-708) > 2**-1022`` and
``exp(709) < 1.8e308``."""


def label_losses_from_logits(
    logits: FloatArray, labels: NDArray[np.intp]
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """``-log softmax(z)_y`` of each row of a 2-D array of finite logits, and where it is done.

    Returns the losses and the mask of the rows they were computed for; the other rows
    (a logit outside :data:`EXP_RANGE`, or sums that overflow) are left for the stable
    formula.

    Examples
    --------
    >>> losses, done = label_losses_from_logits(np.array([[0.0, 0.0]]), np.array([1]))
    >>> losses.round(6), done
    (array([0.693147]), array([ True]))
    """
    low, high = EXP_RANGE
    lowest, highest = value_range(logits)
    index = labels[:, np.newaxis]
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        if lowest >= low and highest <= high:  # (one quick look settles every row)
            terms, in_range = np.exp(logits), np.ones(logits.shape[0], dtype=bool)
        else:
            in_range = (logits.min(axis=1) >= low) & (logits.max(axis=1) <= high)
            terms = np.exp(np.clip(logits, low, high))
        own = np.take_along_axis(terms, index, axis=1)[:, 0]  # e^{z_y}
        np.put_along_axis(terms, index, 0.0, axis=1)  # the others' exponentials remain
        losses = np.log1p(row_sums(terms) / own)
    return losses, in_range & np.isfinite(losses)
