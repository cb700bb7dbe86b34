"""The figures of the mutual-information chapter draw what they claim to show, in house style.

Expected values are computed here from the formulas (NumPy sums of p log p, the softmax by
hand), not with the functions that drew the figures.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from xent.distributions import discretized_normal
from xent.divergence import NormalFit
from xent.plotting import COLORS
from xent.plotting import divergence as figures

X = np.linspace(-8.0, 8.0, 81)
P = 0.6 * discretized_normal(X, -2.5, 0.8) + 0.4 * discretized_normal(X, 2.5, 0.8)
JOINT = np.array([[0.40, 0.05], [0.20, 0.10], [0.05, 0.20]])


def check_style(figure: Figure) -> None:
    assert to_hex(figure.get_facecolor()) == "#ffffff"
    for ax in figure.axes:
        assert ax.get_xlabel(), "every axis is labelled"
    plt.close(figure)


def test_kl_fits_figure_draws_the_target_and_both_fits() -> None:
    forward, reverse = NormalFit(-0.5, 2.6, 0.5), NormalFit(-2.5, 0.8, 0.5)
    figure = figures.kl_fits_figure(X, P, forward, reverse)
    top, bottom = figure.axes
    target, fwd, rev = (np.asarray(line.get_ydata()) for line in top.get_lines()[:3])
    np.testing.assert_array_equal(target, P)
    bell = np.exp(-0.5 * ((X + 0.5) / 2.6) ** 2)
    np.testing.assert_allclose(fwd, bell / bell.sum(), rtol=1e-12)
    assert to_hex(top.get_lines()[2].get_color()) == COLORS["alternative"].lower()
    assert rev.max() > target.max()  # the reverse fit sits on one mode, and is taller
    forward_profile, reverse_profile = (np.asarray(l.get_ydata()) for l in bottom.get_lines())
    means = np.asarray(bottom.get_lines()[0].get_xdata())
    assert abs(means[np.argmin(forward_profile)] + 0.5) < 0.5  # one minimum, between modes
    left, right = reverse_profile[means < 0], reverse_profile[means > 0]
    assert means[means < 0][np.argmin(left)] == pytest.approx(-2.5, abs=0.3)
    assert means[means > 0][np.argmin(right)] == pytest.approx(2.5, abs=0.3)
    check_style(figure)


def test_information_bars_have_the_lengths_of_the_entropies() -> None:
    figure = figures.information_bars_figure(JOINT)
    ax = figure.axes[0]
    widths = [patch.get_width() for patch in ax.patches]

    def h(p: np.ndarray) -> float:
        p = p[p > 0]
        return float(-(p * np.log2(p)).sum())

    h_xy, h_x, h_y = h(JOINT.ravel()), h(JOINT.sum(1)), h(JOINT.sum(0))
    info = h_x + h_y - h_xy
    np.testing.assert_allclose(
        widths, [h_xy, h_xy - h_y, info, info, h_xy - h_x], rtol=1e-12
    )
    lefts = [patch.get_x() for patch in ax.patches]
    assert lefts[3] == pytest.approx(lefts[2])  # the two I segments are aligned
    assert lefts[4] + widths[4] == pytest.approx(h_xy)  # H(Y) ends where H(X, Y) does
    check_style(figure)


def test_info_nce_figure_plots_means_and_log_n() -> None:
    sizes = [2, 4, 8]
    estimates = np.array([[0.1, 0.3], [0.4, 0.6], [0.5, 0.7]])
    figure = figures.info_nce_figure(sizes, {"a": (0.6, estimates)})
    ax = figure.axes[0]
    log_n, *rest = ax.get_lines()
    np.testing.assert_allclose(log_n.get_ydata(), np.log(sizes))
    means = [line for line in rest if len(line.get_ydata()) == 3][0]
    np.testing.assert_allclose(means.get_ydata(), [0.2, 0.5, 0.6])
    check_style(figure)


def test_distillation_figure_bars_and_gradients() -> None:
    teacher, student = np.array([3.0, 1.0, 0.0]), np.array([1.0, 1.0, 0.5])
    figure = figures.distillation_figure(teacher, student, temperatures=(1.0, 2.0))
    top, bottom = figure.axes
    heights = [bar.get_height() for bar in top.patches]
    for i, t in enumerate((1.0, 2.0)):
        e = np.exp(teacher / t)
        np.testing.assert_allclose(heights[3 * i : 3 * i + 3], e / e.sum(), rtol=1e-12)
    with_factor, without = (np.asarray(line.get_ydata()) for line in bottom.get_lines()[:2])
    limit = np.linalg.norm((student - student.mean()) - (teacher - teacher.mean())) / 3
    assert with_factor[-1] == pytest.approx(limit, rel=0.01)  # levels off at the limit
    t = np.asarray(bottom.get_lines()[1].get_xdata())
    np.testing.assert_allclose(without * t**2, with_factor, rtol=1e-12)
    check_style(figure)


def test_improper_loss_figure_draws_the_minimisers_and_the_diagonal() -> None:
    pi = np.linspace(0.1, 0.9, 5)
    figure = figures.improper_loss_figure(pi, {"a": pi**0.5}, {"a": (0.5, (-8, 8))})
    diagonal, curve = figure.axes[0].get_lines()
    np.testing.assert_array_equal(diagonal.get_ydata(), [0, 1])
    np.testing.assert_allclose(curve.get_ydata(), pi**0.5)
    check_style(figure)
