"""The softmax chapter's figures draw what they claim to show (their style: tests/test_plotting.py).

The expected values are computed here from the formulas (NumPy's logaddexp, exp by hand),
not with the functions that drew the figures.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from xent import plotting
from xent.multiclass import train_softmax_regression

X = np.array([[-2.0], [-1.0], [0.0], [1.0], [2.0], [0.3]])
Y = np.array([0, 0, 1, 2, 2, 1])


def test_temperature_lines_are_the_softmax_of_z_over_t() -> None:
    z = np.array([2.0, 1.0, 0.1])
    figure = plotting.temperature_figure(z)
    lines = figure.axes[0].get_lines()[: z.size]
    t = np.asarray(lines[0].get_xdata())
    e = np.exp(z[:, None] / t)  # small T: exp(2/0.01) = e^200 is still finite
    for k, line in enumerate(lines):
        np.testing.assert_allclose(line.get_ydata(), e[k] / e.sum(axis=0), rtol=1e-12)
    assert lines[0].get_ydata()[0] == pytest.approx(1.0)  # T -> 0: all on the largest
    for line in lines:
        assert line.get_ydata()[-1] == pytest.approx(1 / 3, abs=0.01)  # T -> inf: uniform
    plt.close(figure)


def test_stability_figure_stable_losses_and_where_the_naive_ones_break() -> None:
    figure = plotting.log_softmax_stability_figure()
    left, right = figure.axes
    curves = {
        line.get_label(): (np.asarray(line.get_xdata()), np.asarray(line.get_ydata()))
        for line in left.get_lines()
    }
    (a, stable), (a64, naive64) = curves["stable"], curves["naive, float64"]
    a32 = curves["naive, float32"][0]
    np.testing.assert_allclose(stable, np.logaddexp(0.0, a), rtol=1e-14)  # log(1 + e^a)
    # the naive curves stop where e^-a rounds to 0: about 745 (float64), 104 (float32)
    assert 740 < a64.max() <= 745.2 and 100 < a32.max() <= 104.0
    normal = a64 < 700  # (in the subnormal range below e^-708 the naive loss loses digits)
    np.testing.assert_allclose(naive64[normal], np.logaddexp(0.0, a64[normal]), rtol=1e-10)
    a_right, stable_right = (np.asarray(v) for v in right.get_lines()[0].get_data())
    np.testing.assert_allclose(stable_right, np.log1p(np.exp(-a_right)), rtol=1e-14)
    a_naive = np.asarray(right.get_lines()[1].get_xdata())
    assert 36 < a_naive.max() <= 37.5  # 1 / (1 + e^-a) rounds to 1 beyond -log(2^-54)
    plt.close(figure)


def test_optimism_figure_plots_the_means_and_the_floor() -> None:
    train, held_out = np.array([[0.8, 0.9], [0.7, 1.0]]), np.array([[1.3, 1.1], [1.2, 1.05]])
    figure = plotting.optimism_figure([10, 100], train, held_out, 1.0)
    lines = figure.axes[0].get_lines()
    np.testing.assert_allclose(lines[0].get_ydata(), [0.75, 0.95])
    np.testing.assert_allclose(lines[1].get_ydata(), [1.25, 1.075])
    np.testing.assert_allclose(lines[2].get_ydata(), [1.0, 1.0])
    plt.close(figure)


def test_training_figure_shows_both_losses_from_ln_k() -> None:
    history = train_softmax_regression(X, Y, learning_rate=1.0, n_steps=20, X_val=X, y_val=Y)
    figure = plotting.softmax_training_figure(history)
    train, held_out = (np.asarray(line.get_ydata()) for line in figure.axes[0].get_lines())
    assert train[0] == pytest.approx(np.log(3)) and held_out[0] == pytest.approx(np.log(3))
    np.testing.assert_array_equal(train, history.loss)
    plt.close(figure)
    without = train_softmax_regression(X, Y, learning_rate=1.0, n_steps=2)
    with pytest.raises(ValueError, match="held-out"):
        plotting.softmax_training_figure(without)


def test_distribution_panels_show_the_probabilities_and_the_loss() -> None:
    rows = [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]
    figure = plotting.predicted_distributions_figure(rows, [0, 1], ["a", "b", "c"])
    for ax, row, label in zip(figure.axes, rows, [0, 1]):
        np.testing.assert_allclose([bar.get_height() for bar in ax.patches], row)
        true_bar = ax.patches[label]
        assert to_hex(true_bar.get_facecolor()) == plotting.COLORS["true"].lower()
        assert ax.get_title() == f"loss {-np.log(row[label]):.2f} nats"
    assert len([ax for ax in figure.axes if ax.get_visible()]) == 2
    plt.close(figure)
