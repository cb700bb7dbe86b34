"""The calibration chapter's figures and the log-loss study's show the right data.

The style checks of every figure of the book are in ``tests/test_plotting.py``.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from xent import plotting
from xent.calibration import reliability_curve

CURVE = reliability_curve([0, 0, 1, 1, 1], [0.1, 0.4, 0.6, 0.8, 0.9], n_bins=5)


def test_scoring_rules_mark_their_minima_where_the_algebra_puts_them() -> None:
    figure = plotting.scoring_rules_figure(pi=0.3)
    marked = [ax.collections[0].get_offsets()[0][0] for ax in figure.axes]
    plt.close(figure)
    # log loss and Brier: q = pi; absolute error pi (1 - q) + (1 - pi) q: smallest at q -> 0.
    assert marked[0] == pytest.approx(0.3, abs=1e-3)
    assert marked[1] == pytest.approx(0.3, abs=1e-3)
    assert marked[2] == pytest.approx(0.001)


def test_sweep_circles_the_smallest_mean() -> None:
    figure = plotting.learning_rate_sweep_figure(
        [1, 2, 4, 8], {"squared_error": ([0.5, 0.2, 0.1, 0.3], [0.0] * 4)}, n_steps=5
    )
    circled = figure.axes[0].collections[-1].get_offsets()[0]
    plt.close(figure)
    assert tuple(circled) == (4.0, 0.1)


def test_reliability_diagram_plots_the_curve() -> None:
    figure = plotting.reliability_diagram_figure({"model": CURVE})
    line = figure.axes[0].get_lines()[1]
    plt.close(figure)
    np.testing.assert_array_equal(line.get_xdata(), CURVE.mean_predicted)
    np.testing.assert_array_equal(line.get_ydata(), CURVE.fraction_positive)
