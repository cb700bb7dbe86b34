"""Every figure function: returns a Figure in the shared style, opaque white, labelled."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

import xent
from xent import plotting
from xent.calibration import reliability_curve
from xent.distributions import discretized_normal
from xent.evidence import compare
from xent.multiclass import train_softmax_regression
from xent.training import train_logistic_regression

OUTCOMES = np.arange(0, 21)
FIGURES: dict[str, Callable[[], Figure]] = {
    "surprisal": plotting.surprisal_figure,
    "binary_entropy": plotting.binary_entropy_figure,
    "entropy_bars": lambda: plotting.entropy_bars_figure(
        {"fair": np.full(6, 1 / 6), "certain": [0, 0, 0, 0, 0, 1]}
    ),
    "ce_contributions": lambda: plotting.cross_entropy_contributions_figure(
        OUTCOMES, discretized_normal(OUTCOMES, 10, 2), discretized_normal(OUTCOMES, 12, 3)
    ),
    "ce_landscape": lambda: plotting.cross_entropy_landscape_figure(OUTCOMES, 10, 2),
    "ce_samples": lambda: plotting.sample_estimate_figure(
        [0.5, 0.5], [0.9, 0.1], seed=0, n_samples=1000, runs=2
    ),
    "sigmoid": plotting.sigmoid_figure,
    "true_class_loss": plotting.true_class_loss_figure,
    "loss_by_label": plotting.loss_by_label_figure,
    "logit_gradient": plotting.logit_gradient_figure,
    "from_logits": plotting.from_logits_figure,
    "label_smoothing": plotting.label_smoothing_figure,
    "focal": plotting.focal_loss_figure,
    "accuracy": lambda: plotting.accuracy_figure(
        {"softmax": [0.0, 0.4, 1.2], "log_softmax": [0.1, 0.5]},
        {"softmax": 4.0, "log_softmax": 3.0},
    ),
    "training_curves": lambda: plotting.training_curves_figure(
        {
            loss: train_logistic_regression(
                [[1.0], [-1.0], [0.3]], [1, 0, 0], loss=loss, n_steps=20
            )
            for loss in ("cross_entropy", "squared_error")
        }
    ),
}


def _benchmark_case(name: str, dtype: str, ns: dict[str, float]) -> dict[str, object]:
    return {
        "case": name,
        "shape": [1000, 10],
        "dtype": dtype,
        "references": {"exp": {"ns_per_element": 0.6 if dtype == "float32" else 1.2}},
        "results": [
            {"implementation": implementation, "ns_per_element": value}
            for implementation, value in ns.items()
        ],
    }


FIGURES["benchmark"] = lambda: plotting.benchmark_figure(
    {
        "cases": [
            _benchmark_case(name, dtype, {"xent": 8.0 * scale, "naive NumPy": 5.0 * scale})
            for name in ("entropy", "categorical cross-entropy from logits")
            for dtype, scale in (("float32", 1.0), ("float64", 1.5))
        ]
    }
)
FIGURES["torch_softmax_twice"] = lambda: plotting.softmax_twice_figure(
    {"logits": [2.3, 1.0, 0.5], "softmax twice": [2.3, 2.0, 1.8]}
)
FIGURES["torch_pos_weight"] = plotting.pos_weight_figure


def paired_differences() -> Figure:
    rng = np.random.default_rng(0)
    scores = rng.normal(0.3, 0.05, size=40)
    return plotting.paired_differences_figure(
        [
            compare(scores, scores + rng.normal(0.02, 0.02, size=40), names=("one", "two")),
            compare(scores[:10], scores[10:20], names=("three", "four")),
        ],
        ylabel="difference in log loss (nats)",
    )


FIGURES["evidence_paired_differences"] = paired_differences
FIGURES["compression_code_length"] = lambda: plotting.code_length_figure(
    ["uniform", "unigram", "order 2", "blend 0-5"],
    [80_000.0, 43_000.2, 35_100.9, 19_690.0],
    [10_014, 5_390, 4_403, 2_477],
    10_000,
)
FIGURES["compression_compressors"] = lambda: plotting.compressors_figure(
    {
        "kjv": {"gzip -9": 2.59, "xz -9e": 2.37, "bzip2 -9": 2.14, "blend": 1.98, "PPMd": 1.90},
        "web": {"gzip -9": 2.66, "xz -9e": 2.45, "bzip2 -9": 2.20, "blend": 2.04, "PPMd": 1.96},
    }
)

# The figures of the softmax and calibration chapters, on small data made here.
_X = np.array([[-2.0], [-1.0], [0.0], [1.0], [2.0], [0.3]])
_Y_CLASSES = np.array([0, 0, 1, 2, 2, 1])
CAL_CURVE = reliability_curve([0, 0, 1, 1, 1], [0.1, 0.4, 0.6, 0.8, 0.9], n_bins=5)


def small_softmax_history() -> object:
    return train_softmax_regression(
        _X, _Y_CLASSES, learning_rate=1.0, n_steps=20, X_val=_X, y_val=_Y_CLASSES
    )


FIGURES.update(
    {
        "cal_scoring_rules": plotting.scoring_rules_figure,
        "cal_reliability": lambda: plotting.reliability_diagram_figure(
            {"a": CAL_CURVE, "b": CAL_CURVE}
        ),
        "cal_sweep": lambda: plotting.learning_rate_sweep_figure(
            [0.5, 1, 2], {"cross_entropy": ([0.3, 0.2, 0.4], [0.01] * 3)}, n_steps=10
        ),
        "soft_temperature": lambda: plotting.temperature_figure([2.0, 1.0, 0.1]),
        "soft_stability": plotting.log_softmax_stability_figure,
        "soft_optimism": lambda: plotting.optimism_figure(
            [10, 100], [[0.8, 0.9], [0.7, 1.0]], [[1.3, 1.1], [1.2, 1.05]], 1.0
        ),
        "soft_training": lambda: plotting.softmax_training_figure(small_softmax_history()),  # type: ignore[arg-type]
        "soft_distributions": lambda: plotting.predicted_distributions_figure(
            [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], [0, 1], ["a", "b", "c"]
        ),
    }
)


@pytest.fixture(scope="module", params=sorted(FIGURES), name="figure")
def _figure(request: pytest.FixtureRequest) -> Iterator[Figure]:
    """Each figure drawn once for all the checks below (none of them changes it)."""
    figure = FIGURES[request.param]()
    yield figure
    _PNGS.pop(id(figure), None)
    plt.close(figure)


_PNGS: dict[int, bytes] = {}


def _png(figure: Figure) -> Image.Image:
    """The figure saved as the notebooks show it (on its own face colour), saved once."""
    if id(figure) not in _PNGS:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", facecolor=figure.get_facecolor())
        _PNGS[id(figure)] = buffer.getvalue()
    return Image.open(io.BytesIO(_PNGS[id(figure)]))


def test_returns_a_figure(figure: Figure) -> None:
    assert isinstance(figure, Figure)


def test_every_axes_is_labelled(figure: Figure) -> None:
    """Each axis has a label, or shares its scale with a labelled neighbour, or names its
    categories in its tick labels (the benchmark's rows)."""

    def named_categories(ticks: list[Text]) -> bool:
        words = [t.get_text() for t in ticks]
        return bool(words) and all(re.search("[A-Za-z]{2}", w) for w in words)

    for ax in figure.axes:
        x_siblings = ax.get_shared_x_axes().get_siblings(ax)
        y_siblings = ax.get_shared_y_axes().get_siblings(ax)
        assert any(a.get_xlabel() for a in x_siblings), "an x axis without a label"
        assert any(a.get_ylabel() for a in y_siblings) or named_categories(
            ax.get_yticklabels()
        ), "a y axis without a label"


def test_renders_opaque_white_background(figure: Figure) -> None:
    image = np.asarray(_png(figure).convert("RGBA"))
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


def test_drawn_at_twice_the_css_resolution(figure: Figure) -> None:
    """192 px per inch, twice the CSS inch: sharp on 2x screens once shown at its size."""
    assert figure.dpi == 2 * 96
    dpi = _png(figure).info["dpi"]
    assert dpi[0] == pytest.approx(192, abs=0.01), "the PNG must record its resolution"


def test_tick_labels_are_the_size_of_body_text(figure: Figure) -> None:
    """12 pt is 16 CSS px, the body text's size, when the site shows the figure at its size."""
    for ax in figure.axes:
        for label in ax.get_xticklabels() + ax.get_yticklabels():
            assert label.get_fontsize() >= 12


PHONE_WIDTH = 342
"""The CSS width of a figure on a phone: the 390 px screen less the page's margins."""
MIN_PHONE_PX = 11.0
"""The smallest text allowed in a figure shown :data:`PHONE_WIDTH` px wide, in CSS px.

A font size, like CSS's: digits are then about 8 px tall. Below it (the three-panel figures
at 7 in gave 8.5 px) a phone reader has to zoom to read the ticks."""


def phone_css_px(figure: Figure, points: float) -> float:
    """The CSS font size of ``points``-pt text when ``figure`` is shown on a phone.

    The site shows a figure at its own size, ``width_in`` inches at 96 CSS px per inch (its
    PNG has ``dpi`` = 192 pixels per inch, and records it), and no wider than the column:
    on a phone, :data:`PHONE_WIDTH` px. A point is 1/72 in, so 96/72 CSS px at full size.
    """
    width_in, dpi = figure.get_figwidth(), figure.dpi
    shown_px = (width_in * dpi) / (dpi / 96)  # the PNG's pixels at 2 per CSS px
    return points * 96 / 72 * min(1.0, PHONE_WIDTH / shown_px)


def _all_texts(figure: Figure) -> Iterator[tuple[str, Text]]:
    """Every non-empty text the figure draws, with what it is."""
    for ax in figure.axes:
        for tick in ax.get_xticklabels() + ax.get_yticklabels():
            yield "tick label", tick
        for text in (ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label):
            yield "axis label or title", text
        yield from (("annotation", text) for text in ax.texts)
        if ax.get_legend() is not None:
            yield from (("legend", text) for text in ax.get_legend().get_texts())
    for legend in figure.legends:
        yield from (("legend", text) for text in legend.get_texts())
    yield from (("figure text", text) for text in figure.texts)


# Figures known to fail the check below, each with its fix; the test fails as soon as one passes,
# so that it is taken off this list.
KNOWN_ILLEGIBLE: dict[str, str] = {}


def test_text_is_legible_when_a_phone_shows_the_figure_342_px_wide(
    figure: Figure, request: pytest.FixtureRequest
) -> None:
    known = KNOWN_ILLEGIBLE.get(request.node.callspec.params["figure"])
    try:
        _assert_legible_on_a_phone(figure)
    except AssertionError:
        if known:
            pytest.xfail(known)
        raise
    assert not known, "legible now: take it off KNOWN_ILLEGIBLE"


def _assert_legible_on_a_phone(figure: Figure) -> None:
    _png(figure)  # draw it, so that the tick labels are the ones the PNG shows
    sizes = [
        (phone_css_px(figure, text.get_fontsize()), kind, text.get_text())
        for kind, text in _all_texts(figure)
        if text.get_visible() and text.get_text().strip()
    ]
    assert sizes, "no text at all"
    smallest = min(sizes)
    assert smallest[0] >= MIN_PHONE_PX, (
        f"the {smallest[1]} {smallest[2]!r} is {smallest[0]:.1f} CSS px on a phone "
        f"({figure.get_figwidth():g} in wide): make the figure narrower (stack its panels) "
        "or the text larger"
    )


def test_the_phone_size_is_computed_from_the_geometry() -> None:
    """Worked by hand: 12 pt in a 5 in figure is 16 px at 480 px, 16 * 342 / 480 = 11.4 px;
    in a 3 in figure (288 px, narrower than a phone) it stays 16 px."""
    with plotting.styled():
        wide, narrow = plt.figure(figsize=(5, 2)), plt.figure(figsize=(3, 2))
    assert phone_css_px(wide, 12) == pytest.approx(11.4)
    assert phone_css_px(narrow, 12) == pytest.approx(16.0)
    plt.close(wide)
    plt.close(narrow)


def test_every_figure_function_is_checked_here() -> None:
    """Each public ``*_figure`` of xent.plotting is drawn by the table above, so that every
    style check (legibility on a phone among them) runs on it."""
    functions = {
        name
        for name, value in vars(plotting).items()
        if name.endswith("_figure") and not name.startswith("_") and callable(value)
    }
    assert functions >= {n for n in plotting.__all__ if n.endswith("_figure")}
    drawn: set[str] = set()
    for make in FIGURES.values():
        names = set(make.__code__.co_names) | {getattr(make, "__name__", "")}
        drawn |= names & functions
    missing = sorted(functions - drawn)
    assert not missing, f"add these to FIGURES in tests/test_plotting.py: {missing}"


def _texts(figure: Figure) -> Iterator[tuple[object, object]]:
    for ax in figure.axes:
        for text in ax.texts:
            if text.get_text().strip():
                yield ax, text


def test_labels_stay_inside_the_figure_and_off_the_curves(figure: Figure) -> None:
    """No annotation crosses a curve or the figure's edge, and no legend covers a curve."""
    _png(figure)  # saving it drew it: its layout is the one the PNG shows
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    edge = figure.bbox
    boxes = [  # the text itself, without an annotation's arrow (which points at a curve)
        (ax, Text.get_window_extent(text, renderer), repr(text.get_text()))
        for ax, text in _texts(figure)
    ]
    boxes += [
        (ax, ax.get_legend().get_window_extent(renderer), "the legend")
        for ax in figure.axes
        if ax.get_legend() is not None
    ]
    for ax, box, name in boxes:
        assert (
            edge.x0 <= box.x0 and box.x1 <= edge.x1 and edge.y0 <= box.y0 and box.y1 <= edge.y1
        ), f"{name} reaches past the figure's edge"
        for line in ax.get_lines():
            xy = _densified(line.get_transform().transform(np.asarray(line.get_xydata(), float)))
            inside = (
                (xy[:, 0] > box.x0)
                & (xy[:, 0] < box.x1)
                & (xy[:, 1] > box.y0)
                & (xy[:, 1] < box.y1)
            )
            assert not inside.any(), f"{name} covers the curve {line.get_label()!r}"


def _densified(xy: np.ndarray, step: float = 2.0) -> np.ndarray:
    """The points of a polyline in display pixels, at most ``step`` px apart."""
    xy = xy[np.isfinite(xy).all(axis=1)]
    segments = np.diff(xy, axis=0)
    # each segment's points after its start: max(1, ceil(length / step)), evenly spaced
    counts = np.maximum(1, np.ceil(np.hypot(*segments.T) / step).astype(int))
    which = np.repeat(np.arange(len(segments)), counts)
    k = np.arange(which.size) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    points = xy[:-1][which] + (k / counts[which])[:, None] * segments[which]
    return np.concatenate([xy[:1], points])


def test_symbols_are_mathtext_not_unicode_lookalikes(figure: Figure) -> None:
    """Symbols go through mathtext (italic, as in the prose), not Unicode minus or subscripts."""
    texts = [text.get_text() for _, text in _texts(figure)]
    for ax in figure.axes:
        texts += [ax.get_xlabel(), ax.get_ylabel(), ax.get_title()]
        texts += [t.get_text() for t in (ax.get_legend().get_texts() if ax.get_legend() else [])]
    for text in texts:
        for lookalike in ("−", "₂", "\u0302", "σ", "γ", "∂"):
            assert lookalike not in text, f"{text!r}: write {lookalike!r} in mathtext ($...$)"


def test_style_does_not_leak_into_the_caller() -> None:
    before = dict(matplotlib.rcParams)
    plt.close(plotting.binary_entropy_figure())
    assert dict(matplotlib.rcParams) == before


def test_palette_is_okabe_ito() -> None:
    okabe_ito = {
        "#e69f00",
        "#56b4e9",
        "#009e73",
        "#f0e442",
        "#0072b2",
        "#d55e00",
        "#cc79a7",
        "#000000",
    }
    chromatic = {c.lower() for k, c in plotting.COLORS.items() if k != "reference"}
    assert chromatic <= okabe_ito


def test_the_true_class_loss_is_not_the_surprisal_curve_again() -> None:
    """One figure per idea: the entropy chapter draws -log p on a linear axis, the log-loss
    chapter only on a logarithmic one."""
    figure = plotting.true_class_loss_figure()
    assert len(figure.axes) == 1 and figure.axes[0].get_xscale() == "log"
    x, y = (np.asarray(v) for v in figure.axes[0].get_lines()[0].get_data())
    np.testing.assert_allclose(y, -np.log(x), rtol=1e-14)
    plt.close(figure)


def test_binary_entropy_curve_is_the_binary_entropy_in_bits() -> None:
    figure = plotting.binary_entropy_figure()
    x, y = (np.asarray(v) for v in figure.axes[0].get_lines()[0].get_data())
    inner = (x > 0) & (x < 1)
    p = x[inner]
    by_hand = -(p * np.log2(p) + (1 - p) * np.log2(1 - p))
    np.testing.assert_allclose(y[inner], by_hand, rtol=1e-13)
    assert (y[~inner] == 0).all()  # 0 log 0 = 0 at both ends
    assert np.max(y) == pytest.approx(1.0)
    plt.close(figure)


def test_landscape_minimum_is_the_entropy_at_q_equals_p() -> None:
    figure = plotting.cross_entropy_landscape_figure(OUTCOMES, 10, 2)
    floor = xent.entropy(discretized_normal(OUTCOMES, 10, 2))
    for ax, at_p in zip(figure.axes, [0.0, 2.0]):
        x, y = ax.get_lines()[0].get_data()
        assert np.min(y) == pytest.approx(floor, rel=1e-9)
        assert np.asarray(x)[np.argmin(y)] == pytest.approx(at_p, abs=0.05)
    plt.close(figure)


def test_loss_plots_show_minus_log_p() -> None:
    figure = plotting.loss_by_label_figure()
    (x1, y1), (x0, y0) = (line.get_data() for line in figure.axes[0].get_lines())
    np.testing.assert_allclose(y1, -np.log(np.asarray(x1)), rtol=1e-14)
    np.testing.assert_allclose(y0, -np.log1p(-np.asarray(x0)), rtol=1e-12)
    plt.close(figure)


def test_logit_gradient_figure_shows_the_vanishing_squared_error_push() -> None:
    figure = plotting.logit_gradient_figure()
    ce, se = (np.asarray(line.get_data()) for line in figure.axes[0].get_lines()[:2])
    np.testing.assert_allclose(ce[1], ce[0], atol=1e-12)  # |p - y| is the error itself
    error = se[0]
    np.testing.assert_allclose(se[1], 2 * error * error * (1 - error), atol=1e-12)
    plt.close(figure)


def test_from_logits_figure_shows_the_clip_on_the_probability_path() -> None:
    figure = plotting.from_logits_figure()
    (x, stable), (_, naive) = (line.get_data() for line in figure.axes[0].get_lines()[:2])
    margins = np.asarray(x)
    np.testing.assert_allclose(stable, np.logaddexp(0.0, margins), rtol=1e-12)
    assert np.max(naive) == pytest.approx(-np.log(1e-7), rel=1e-6)
    plt.close(figure)


def test_label_smoothing_minima_sit_at_the_smoothed_target() -> None:
    figure = plotting.label_smoothing_figure((0.1, 0.2))
    for line, smoothing in zip(figure.axes[0].get_lines(), (0.1, 0.2)):
        x, y = (np.asarray(v) for v in line.get_data())
        assert x[np.argmin(y)] == pytest.approx(1 - smoothing / 2, abs=1e-3)
    plt.close(figure)
