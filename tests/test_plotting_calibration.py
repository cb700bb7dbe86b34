"""The calibration chapter's figures and the log-loss study's: labelled, opaque, right data."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from xent import plotting
from xent.calibration import reliability_curve
from xent.training import train_logistic_regression

X = np.array([[1.0], [-1.0], [0.3], [-0.2]])
Y = np.array([1.0, 0.0, 0.0, 1.0])
RUNS = {
    loss: [
        train_logistic_regression(X, Y, loss=loss, n_steps=20, X_val=X, y_val=Y) for _ in range(3)
    ]
    for loss in ("cross_entropy", "squared_error")
}
CURVE = reliability_curve([0, 0, 1, 1, 1], [0.1, 0.4, 0.6, 0.8, 0.9], n_bins=5)
FIGURES: dict[str, Callable[[], Figure]] = {
    "scoring_rules": plotting.scoring_rules_figure,
    "reliability": lambda: plotting.reliability_diagram_figure({"a": CURVE, "b": CURVE}),
    "sweep": lambda: plotting.learning_rate_sweep_figure(
        [0.5, 1, 2], {"cross_entropy": ([0.3, 0.2, 0.4], [0.01] * 3)}, n_steps=10
    ),
    "study": lambda: plotting.study_figure(RUNS, maximum_likelihood=0.5),
}


@pytest.fixture(params=sorted(FIGURES), name="figure")
def _figure(request: pytest.FixtureRequest) -> Iterator[Figure]:
    figure = FIGURES[request.param]()
    yield figure
    plt.close(figure)


def test_every_axes_is_labelled(figure: Figure) -> None:
    for ax in figure.axes:
        x_siblings = ax.get_shared_x_axes().get_siblings(ax)
        assert any(a.get_xlabel() for a in x_siblings), "an x axis without a label"
        assert ax.get_ylabel(), "a y axis without a label"


def test_renders_opaque_white_background(figure: Figure) -> None:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor=figure.get_facecolor())
    image = np.asarray(Image.open(buffer).convert("RGBA"))
    assert (image[..., 3] == 255).all()


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
