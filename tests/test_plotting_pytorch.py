"""The PyTorch chapter's figures show what each one must (their style: ``tests/test_plotting.py``)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from xent import plotting

HISTORIES = {"logits": [2.3, 1.0, 0.5], "softmax twice": [2.3, 2.0, 1.8]}


def test_softmax_twice_figure_draws_the_histories_with_their_labels() -> None:
    figure = plotting.softmax_twice_figure(HISTORIES)
    (ax,) = figure.axes
    for line, history in zip(ax.get_lines(), HISTORIES.values()):
        np.testing.assert_array_equal(line.get_ydata(), history)
    assert [text.get_text() for text in ax.get_legend().get_texts()] == list(HISTORIES)
    plt.close(figure)


@pytest.mark.parametrize("rho", [1.0, 4.0, 9.0])
def test_pos_weight_minimum_sits_where_the_formula_puts_it(rho: float) -> None:
    base_rate = 0.1
    figure = plotting.pos_weight_figure(base_rate=base_rate, pos_weights=(rho,))
    (ax,) = figure.axes
    (points,) = ax.collections
    p_best, loss_best = points.get_offsets()[0]
    expected = rho * base_rate / (rho * base_rate + 1 - base_rate)  # minimises the weighted loss
    assert p_best == pytest.approx(expected, abs=1e-3)  # the grid's spacing
    by_hand = -(rho * base_rate * np.log(expected) + (1 - base_rate) * np.log(1 - expected))
    assert loss_best == pytest.approx(by_hand, abs=1e-5)
    plt.close(figure)
