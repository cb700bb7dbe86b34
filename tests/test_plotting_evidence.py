"""The paired-differences figure shows what it must (its style: ``tests/test_plotting.py``)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from xent import plotting
from xent.evidence import compare

# a - b = -1, -2, 0, 3, -1: three wins, one tie, one loss when lower is better
A = np.array([1.0, 2.0, 5.0, 7.0, 4.0])
B = np.array([2.0, 4.0, 5.0, 4.0, 5.0])


def test_every_split_is_a_dot_at_its_paired_difference() -> None:
    figure = plotting.paired_differences_figure([compare(A, B, names=("a", "b"))])
    (ax,) = figure.axes
    dots = np.concatenate([c.get_offsets()[:, 1] for c in ax.collections])
    assert sorted(dots.tolist()) == [-2.0, -1.0, -1.0, 0.0, 3.0]
    colours = {
        to_hex(c.get_facecolor()[0]): sorted(c.get_offsets()[:, 1].tolist())
        for c in ax.collections
    }
    assert colours == {
        plotting.COLORS["loss"].lower(): [-2.0, -1.0, -1.0],  # the first method better
        plotting.COLORS["alternative"].lower(): [3.0],  # worse
        plotting.COLORS["reference"].lower(): [0.0],  # a tie
    }
    plt.close(figure)


def test_the_mean_its_interval_zero_and_the_count_are_drawn() -> None:
    comparison = compare(A, B, names=("a", "b"))
    figure = plotting.paired_differences_figure([comparison])
    (ax,) = figure.axes
    ys = [line.get_ydata() for line in ax.get_lines()]
    assert any(list(y) == [0.0, 0.0] for y in ys), "no line at 0"
    # the mean of -1, -2, 0, 3, -1 is -0.2; its interval spans the t interval
    assert any(len(y) == 1 and y[0] == pytest.approx(-0.2) for y in ys)
    low, high = comparison.interval
    assert any(list(y) == [low, high] for y in ys)
    (text,) = [t.get_text() for t in ax.texts]
    assert text == "3 of 5 won\nnot settled"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a\nminus b"]
    plt.close(figure)


def test_one_column_per_comparison_in_order() -> None:
    first = compare(A, B, names=("a", "b"))
    second = compare(B, A, names=("b", "a"), lower_is_better=False)
    figure = plotting.paired_differences_figure([first, second], ylabel="log loss")
    (ax,) = figure.axes
    assert ax.get_ylabel() == "log loss"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a\nminus b", "b\nminus a"]
    # b - a = 1, 2, 0, -3, 1 with higher better: three wins for b, in the second column
    assert [t.get_text() for t in ax.texts] == ["3 of 5 won\nnot settled"] * 2
    positions = [c.get_offsets()[:, 0].mean() for c in ax.collections]
    assert all(abs(x) < 0.3 for x in positions[:3]) and all(abs(x - 1) < 0.3 for x in positions[3:])
    plt.close(figure)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="comparisons"):
        plotting.paired_differences_figure([])
    with pytest.raises(TypeError, match="comparisons"):
        plotting.paired_differences_figure([(A, B)])  # type: ignore[list-item]


def test_columns_take_the_titles_given() -> None:
    first = compare(A, B, names=("a", "b"))
    figure = plotting.paired_differences_figure([first, first], titles=["log loss", "Brier"])
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["log loss", "Brier"]
    plt.close(figure)
    with pytest.raises(ValueError, match="titles has 1 entries for 2 comparisons"):
        plotting.paired_differences_figure([first, first], titles=["log loss"])


def test_a_verdict_is_wrapped_so_that_neighbouring_columns_do_not_collide() -> None:
    won = compare([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2.0, 3.1, 4.3, 5.2, 6.5, 7.4], names=("a", "b"))
    figure = plotting.paired_differences_figure([won, won])
    assert figure.axes[0].texts[0].get_text() == "6 of 6 won\na\nbetter"
    plt.close(figure)
