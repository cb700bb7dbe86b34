"""Every figure function: returns a Figure in the shared style, opaque white, labelled."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PIL import Image

import xent
from xent import plotting

FIGURES: dict[str, Callable[[], Figure]] = {
    "surprisal": plotting.surprisal_figure,
    "binary_entropy": plotting.binary_entropy_figure,
    "entropy_bars": lambda: plotting.entropy_bars_figure(
        {"fair": np.full(6, 1 / 6), "certain": [0, 0, 0, 0, 0, 1]}
    ),
}


@pytest.fixture(params=sorted(FIGURES), name="figure")
def _figure(request: pytest.FixtureRequest) -> Iterator[Figure]:
    figure = FIGURES[request.param]()
    yield figure
    plt.close(figure)


def test_returns_a_figure(figure: Figure) -> None:
    assert isinstance(figure, Figure)


def test_every_axes_is_labelled(figure: Figure) -> None:
    for ax in figure.axes:
        assert ax.get_xlabel(), "an x axis without a label"
    assert any(ax.get_ylabel() for ax in figure.axes), "no y axis label"


def test_renders_opaque_white_background(figure: Figure) -> None:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor=figure.get_facecolor())
    image = np.asarray(Image.open(buffer).convert("RGBA"))
    assert (image[..., 3] == 255).all(), "transparent pixels vanish in dark mode"
    corners = image[[0, 0, -1, -1], [0, -1, 0, -1], :3]
    assert (corners == 255).all(), "the background is not white"


def test_lines_and_bars_use_the_book_palette(figure: Figure) -> None:
    palette = {c.lower() for c in plotting.COLORS.values()}
    for ax in figure.axes:
        for line in ax.get_lines():
            assert to_hex(line.get_color()) in palette
        for patch in ax.patches:
            assert to_hex(patch.get_facecolor()) in palette


def test_style_does_not_leak_into_the_caller() -> None:
    before = dict(matplotlib.rcParams)
    plt.close(plotting.binary_entropy_figure())
    assert dict(matplotlib.rcParams) == before


def test_palette_is_okabe_ito() -> None:
    okabe_ito = {"#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000"}
    chromatic = {c.lower() for k, c in plotting.COLORS.items() if k != "reference"}
    assert chromatic <= okabe_ito


def test_binary_entropy_curve_plots_xent_values() -> None:
    figure = plotting.binary_entropy_figure()
    x, y = figure.axes[0].get_lines()[0].get_data()
    expected = [xent.entropy([p, 1 - p], base=2) for p in np.asarray(x)]
    np.testing.assert_allclose(y, expected, rtol=1e-14, atol=1e-15)
    assert np.max(y) == pytest.approx(1.0)
    plt.close(figure)
