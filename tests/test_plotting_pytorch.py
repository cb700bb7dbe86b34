"""The PyTorch chapter's figures: the shared style, and what each one must show."""

from __future__ import annotations

import io
from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PIL import Image

from xent import plotting
from xent.plotting.style import COLORS

HISTORIES = {"logits": [2.3, 1.0, 0.5], "softmax twice": [2.3, 2.0, 1.8]}


@pytest.fixture(params=["softmax_twice", "pos_weight"])
def figure(request: pytest.FixtureRequest) -> Iterator[Figure]:
    if request.param == "softmax_twice":
        made = plotting.softmax_twice_figure(HISTORIES)
    else:
        made = plotting.pos_weight_figure()
    yield made
    plt.close(made)


def test_style_labels_palette_and_white_background(figure: Figure) -> None:
    (ax,) = figure.axes
    assert ax.get_xlabel() and ax.get_ylabel()
    palette = {c.lower() for c in COLORS.values()}
    assert all(to_hex(line.get_color()) in palette for line in ax.get_lines())
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    corner = Image.open(buffer).convert("RGBA").getpixel((0, 0))
    assert corner == (255, 255, 255, 255)


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
