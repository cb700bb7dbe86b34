r"""Explorables: figures the reader moves, whose every number is still computed by :mod:`xent`.

An explorable is a small interactive figure: one or two sliders, a plot or bars that follow
them, and a readout of the numbers that matter, printed to a stated precision. It is made of
plain data, so that the notebook output is deterministic and kernel-free:

* every value that the figure can show is computed by :mod:`xent` in Python, ahead of time,
  over a grid of slider positions (:class:`Slider`): the browser only looks values up, it
  computes nothing but the position of the slider on the grid;
* the figure is a `Vega-Lite v5 <https://vega.github.io/vega-lite/>`_ specification, a plain
  ``dict`` (no Altair), drawn by JupyterLab natively and on the website by the vendored Vega
  (``book/_ext/xent_vega.py``) with the SVG renderer, so that the readout is text in the page;
* a PNG of the default state, drawn with matplotlib in the book's style, is the fallback where
  nothing runs JavaScript (the PDF, Colab, GitHub's preview);
* a short description, the ``text/plain`` of the output and the ``description`` of the spec,
  says what is shown and the readout at the default position.

A notebook shows one with ``explorable.show()``, which is
``IPython.display.display(explorable.mimebundle(), metadata=explorable.metadata(), raw=True)``.

Each ``*_explorable`` function below builds the explorable of one chapter. They share
:func:`build`, which turns a declarative description (sliders, a plot with lines and markers,
bars, readouts) into the spec, the PNG and the description.

Determinism: every float stored in the spec is rounded to :data:`DIGITS` decimals (curves
that are only drawn, to :data:`CURVE_DIGITS`), so two executions store identical JSON.
"""

from __future__ import annotations

import base64
import io
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image
from numpy.typing import ArrayLike, NDArray

from xent.calibration import expected_calibration_error, fit_temperature
from xent.information import cross_entropy, entropy, kl_divergence
from xent.keras_losses import (
    binary_crossentropy,
    binary_focal_crossentropy,
    smooth_labels,
)
from xent.logistic import binary_cross_entropy_with_logits as binary_cross_entropy_with_logits_xent
from xent.logistic import log_loss, sigmoid, softmax
from xent.plotting.style import COLORS, DPI, STYLE, new_figure, styled
from xent.torch_losses import binary_cross_entropy_with_logits
from xent.training import logit_gradient, loss_and_gradient

__all__ = [
    "CURVE_DIGITS",
    "DIGITS",
    "MIME_TYPE",
    "Bars",
    "Explorable",
    "Line",
    "Marker",
    "Plot",
    "Readout",
    "Rule",
    "Slider",
    "build",
    "calibration_explorable",
    "cross_entropy_explorable",
    "entropy_explorable",
    "focal_explorable",
    "label_smoothing_explorable",
    "log_loss_explorable",
    "pos_weight_explorable",
    "softmax_explorable",
]

MIME_TYPE = "application/vnd.vegalite.v5+json"
"""The MIME type of a Vega-Lite v5 spec, which JupyterLab 4 renders natively."""

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
DIGITS = 6
"""Decimals kept for every number the readout prints (which prints at most 4)."""
CURVE_DIGITS = 4
"""Decimals kept for curves that are only drawn: a ten-thousandth is below a pixel."""
WIDTH = 340
"""The width of each view in CSS px; the website fits it to the column (``xent_vega.js``)."""
FONT = "DejaVu Sans, Verdana, sans-serif"

FloatArray = NDArray[np.float64]


# --- the declarative description ---------------------------------------------------------


@dataclass(frozen=True)
class Slider:
    """A range slider: its parameter ``name`` (a JavaScript identifier), its visible ``label``,
    the grid ``start, start + step, ..., stop``, the ``default`` position and the decimals
    its value is shown with."""

    name: str
    label: str
    start: float
    stop: float
    step: float
    default: float
    decimals: int = 2

    @property
    def values(self) -> FloatArray:
        """The grid of positions, rounded (to the slider's decimals and two more)."""
        count = round((self.stop - self.start) / self.step) + 1
        return np.round(self.start + self.step * np.arange(count), self.decimals + 2)

    @property
    def default_index(self) -> int:
        return int(np.argmin(np.abs(self.values - self.default)))

    def index_expression(self) -> str:
        """The Vega expression of the slider's position on the grid, from its value."""
        return f"round(({self.name} - {self.start!r}) / {self.step!r})"


@dataclass(frozen=True)
class Readout:
    """One line of the readout: ``label = value unit``, the value printed with ``decimals``.

    ``values`` has one entry per state (the grid of every slider, first slider first).
    """

    label: str
    values: FloatArray
    decimals: int = 4
    unit: str = ""

    def text(self, index: int) -> str:
        value = round(float(self.values.flat[index]), DIGITS)
        return readout_text(self.label, value, self.decimals, self.unit)


def readout_text(label: str, value: float, decimals: int, unit: str) -> str:
    """The readout line as Python prints it; the browser prints the same with d3-format."""
    text = f"{label} = {value:.{decimals}f}"
    return f"{text} {unit}" if unit else text


@dataclass(frozen=True)
class Line:
    """A curve. ``y`` is one array over ``x`` (a fixed curve), or one row per position of the
    slider named ``slider`` (a curve that moves with it; then ``x`` must be evenly spaced)."""

    label: str
    x: FloatArray
    y: FloatArray
    color: str
    slider: str | None = None
    dashed: bool = False


@dataclass(frozen=True)
class Marker:
    """A point that moves with the sliders. Each coordinate is the value of the slider of that
    name (a ``str``), the value of the readout of that index (an ``int``), or a constant."""

    x: str | int | float
    y: str | int | float
    color: str


@dataclass(frozen=True)
class Rule:
    """A fixed reference line at ``value`` across the plot (``orient`` "x": vertical)."""

    value: float
    orient: str
    color: str = COLORS["reference"]


@dataclass(frozen=True)
class Plot:
    """Axes with curves, moving markers and reference rules."""

    x_title: str
    y_title: str
    x_domain: tuple[float, float]
    y_domain: tuple[float, float]
    lines: Sequence[Line] = ()
    markers: Sequence[Marker] = ()
    rules: Sequence[Rule] = ()
    height: int = 200


@dataclass(frozen=True)
class Bars:
    """Bars whose lengths follow the sliders: ``values`` has one row per state and one column
    per category. ``stacked``: one horizontal bar split into the categories; otherwise one
    vertical bar per category."""

    categories: Sequence[str]
    values: FloatArray
    colors: Sequence[str]
    title: str
    domain: tuple[float, float]
    stacked: bool = False
    height: int = 120


@dataclass(frozen=True)
class Explorable:
    """A finished explorable: the Vega-Lite spec, the PNG of its default state, its description."""

    spec: dict[str, Any]
    description: str
    draw_png: Callable[[], bytes] = field(repr=False, compare=False)

    @cached_property
    def png(self) -> bytes:
        """The PNG of the default state, drawn on first use (it is most of the cost)."""
        return self.draw_png()

    def mimebundle(self) -> dict[str, Any]:
        """The output to display with ``IPython.display.display(bundle, raw=True)``."""
        return {
            MIME_TYPE: self.spec,
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": self.description,
        }

    def metadata(self) -> dict[str, Any]:
        """The output's metadata: JupyterLab draws the spec as SVG (a readout of text), without
        the export menu. (With the PNG in the bundle, it does not add one of its own, which
        would mark the notebook modified.)"""
        return {MIME_TYPE: {"embed_options": {"renderer": "svg", "actions": False}}}

    def show(self) -> None:
        """Display it in a notebook, as ``display(self.mimebundle(), raw=True, metadata=...)``."""
        from IPython.display import display

        display(self.mimebundle(), metadata=self.metadata(), raw=True)

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        return self.mimebundle(), self.metadata()


# --- from the description to the spec ------------------------------------------------------


def _rounded(values: ArrayLike, digits: int = DIGITS) -> list[Any]:
    """Plain floats rounded to ``digits`` decimals (``-0.0`` written as ``0.0``), for JSON."""
    array = np.round(np.asarray(values, dtype=np.float64), digits) + 0.0
    if not np.all(np.isfinite(array)):
        raise ValueError("an explorable can only show finite values")
    return array.tolist()  # type: ignore[no-any-return]


def _csv(columns: dict[str, list[Any]]) -> str:
    """A CSV text of equally long columns, the numbers written as Python writes them."""
    names = list(columns)
    rows = zip(*(columns[name] for name in names))
    return "\n".join([",".join(names), *(",".join(repr(v) for v in row) for row in rows)])


def _csv_format(columns: Sequence[str]) -> dict[str, Any]:
    return {"type": "csv", "parse": {name: "number" for name in columns}}


def _state_columns(
    sliders: Sequence[Slider], readouts: Sequence[Readout], bars: Bars | None
) -> dict[str, list[Any]]:
    n_states = math.prod(len(s.values) for s in sliders)
    columns: dict[str, list[Any]] = {}
    for k, readout in enumerate(readouts):
        columns[f"r{k}"] = _rounded(np.reshape(readout.values, n_states))
    if bars is not None:
        values = np.reshape(bars.values, (n_states, len(bars.categories)))
        for k in range(len(bars.categories)):
            columns[f"b{k}"] = _rounded(values[:, k])
    return columns


def _state_expression(sliders: Sequence[Slider]) -> str:
    """The Vega expression of the index of the current state (row) in the state table."""
    terms = []
    stride = 1
    for slider in reversed(sliders):
        terms.append(f"{slider.index_expression()} * {stride}" if stride > 1
                     else slider.index_expression())
        stride *= len(slider.values)
    return " + ".join(reversed(terms))


def _selected(sliders: Sequence[Slider]) -> list[dict[str, Any]]:
    """Transforms keeping the one row of the state table of the sliders' current positions."""
    return [
        {"window": [{"op": "row_number", "as": "row"}]},
        {"filter": f"datum.row - 1 == {_state_expression(sliders)}"},
    ]


def _color(legend: dict[str, Any]) -> dict[str, Any]:
    return {"field": "series", "type": "nominal", **legend}


def _coordinate(value: str | int | float) -> str:
    """The Vega expression of a marker's coordinate (see :class:`Marker`)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"datum.r{value}"
    return repr(float(value))


def _plot_view(
    sliders: Sequence[Slider], plot: Plot, state_columns: Sequence[str]
) -> dict[str, Any]:
    x = {
        "type": "quantitative",
        "scale": {"domain": list(plot.x_domain), "nice": False, "zero": False},
        "axis": {"title": plot.x_title, "tickCount": 5},
    }
    y = {
        "type": "quantitative",
        "scale": {"domain": list(plot.y_domain), "nice": False, "zero": False},
        "axis": {"title": plot.y_title, "tickCount": 5},
    }
    legend = {
        "scale": {"domain": [line.label for line in plot.lines],
                  "range": [line.color for line in plot.lines]},
        "legend": {"orient": "top", "title": None, "direction": "vertical"}
        if len(plot.lines) > 1 else None,
    }
    layers: list[dict[str, Any]] = []
    for rule in plot.rules:
        layers.append(
            {
                "data": {"values": [{}]},
                "mark": {"type": "rule", "color": rule.color, "strokeDash": [2, 3],
                         "strokeWidth": 1.5},
                "encoding": {
                    rule.orient: {"datum": rule.value, **(x if rule.orient == "x" else y)}
                },
            }
        )
    for k, line in enumerate(plot.lines):
        mark: dict[str, Any] = {"type": "line", "clip": True, "strokeWidth": 2.5}
        if line.dashed:
            mark["strokeDash"] = [6, 4]
        encoding = {"x": {"field": "x", **x}, "y": {"field": "y", **y}, "color": _color(legend)}
        series = {"calculate": json.dumps(line.label), "as": "series"}
        layer: dict[str, Any] = {"mark": mark, "encoding": encoding}
        if line.slider is None:
            layer["data"] = {"name": f"line{k}", "format": _csv_format(["x", "y"])}
            layer["transform"] = [series]
        else:
            n_x = len(line.x)
            step = float(line.x[1] - line.x[0])
            slider = next(s for s in sliders if s.name == line.slider)
            layer["data"] = {"name": f"line{k}", "format": _csv_format(["y"])}
            layer["transform"] = [
                {"window": [{"op": "row_number", "as": "row"}]},
                {"filter": f"floor((datum.row - 1) / {n_x}) == {slider.index_expression()}"},
                {"calculate": f"{float(line.x[0])!r} + ((datum.row - 1) % {n_x}) * {step!r}",
                 "as": "x"},
                series,
            ]
        layers.append(layer)
    for marker in plot.markers:
        layers.append(
            {
                "data": {"name": "state", "format": _csv_format(state_columns)},
                "transform": [
                    *_selected(sliders),
                    {"calculate": _coordinate(marker.x), "as": "mx"},
                    {"calculate": _coordinate(marker.y), "as": "my"},
                ],
                "mark": {"type": "point", "filled": True, "size": 90, "color": marker.color,
                         "opacity": 1, "clip": True},
                "encoding": {"x": {"field": "mx", **x}, "y": {"field": "my", **y}},
            }
        )
    return {"width": WIDTH, "height": plot.height, "layer": layers}


def _bars_view(
    sliders: Sequence[Slider], bars: Bars, state_columns: Sequence[str]
) -> dict[str, Any]:
    fields = [f"b{k}" for k in range(len(bars.categories))]
    names = {f"b{k}": name for k, name in enumerate(bars.categories)}
    transform: list[dict[str, Any]] = [
        *_selected(sliders),
        {"fold": fields, "as": ["field", "value"]},
        {"calculate": json.dumps(names) + "[datum.field]", "as": "category"},
    ]
    color = {
        "field": "category",
        "type": "nominal",
        "scale": {"domain": list(bars.categories), "range": list(bars.colors)},
        "sort": list(bars.categories),
    }
    value = {
        "field": "value",
        "type": "quantitative",
        "scale": {"domain": list(bars.domain), "nice": False},
        "axis": {"title": bars.title, "tickCount": 5},
    }
    if bars.stacked:
        encoding = {
            "x": {**value, "stack": "zero"},
            "color": {**color, "legend": {"orient": "top", "title": None}},
            "order": {"field": "field", "type": "ordinal"},
        }
    else:
        encoding = {
            "x": {"field": "category", "type": "nominal", "sort": list(bars.categories),
                  "axis": {"title": None, "labelAngle": 0}},
            "y": value,
            "color": {**color, "legend": None},
        }
    return {
        "width": WIDTH,
        "height": bars.height,
        "data": {"name": "state", "format": _csv_format(state_columns)},
        "transform": transform,
        "mark": {"type": "bar", "clip": True},
        "encoding": encoding,
    }


def _readout_view(
    sliders: Sequence[Slider], readouts: Sequence[Readout], state_columns: Sequence[str]
) -> dict[str, Any]:
    transform: list[dict[str, Any]] = list(_selected(sliders))
    for k, readout in enumerate(readouts):
        number = f"format(datum.r{k}, '.{readout.decimals}f')"
        unit = f" + ' {readout.unit}'" if readout.unit else ""
        transform.append(
            {"calculate": f"{json.dumps(readout.label + ' = ')} + {number}{unit}", "as": f"t{k}"}
        )
    transform.append({"fold": [f"t{k}" for k in range(len(readouts))], "as": ["line", "text"]})
    return {
        "width": WIDTH,
        "height": 20 * len(readouts),
        "data": {"name": "state", "format": _csv_format(state_columns)},
        "transform": transform,
        "mark": {"type": "text", "align": "left", "baseline": "middle", "fontSize": 15,
                 "color": "#222222"},
        "encoding": {
            "y": {"field": "line", "type": "ordinal", "axis": None,
                  "sort": [f"t{k}" for k in range(len(readouts))]},
            "x": {"value": 0},
            "text": {"field": "text", "type": "nominal"},
        },
    }


def _config() -> dict[str, Any]:
    return {
        "font": FONT,
        "background": "white",
        "view": {"stroke": None},
        "axis": {"labelFontSize": 13, "titleFontSize": 14, "titleFontWeight": "normal",
                 "gridColor": STYLE["grid.color"], "domainColor": STYLE["axes.edgecolor"],
                 "labelColor": "#222222", "titleColor": "#222222", "tickColor": "#333333"},
        "legend": {"labelFontSize": 13, "labelColor": "#222222", "symbolStrokeWidth": 3},
        "text": {"font": FONT},
    }


# --- the PNG of the default state ----------------------------------------------------------


def _png(
    sliders: Sequence[Slider],
    readouts: Sequence[Readout],
    plot: Plot | None,
    bars: Bars | None,
    state: int,
) -> bytes:
    panels = [p for p in (bars, plot) if p is not None]
    lines = [f"{s.label} = {s.values[s.default_index]:.{s.decimals}f}" for s in sliders]
    text = "   ".join(lines) + "\n" + "\n".join(r.text(state) for r in readouts)
    heights = [0.35 + 0.28 * len(readouts)] + [
        (p.height if isinstance(p, Plot) else p.height) / 72 for p in panels
    ]
    with styled():
        figure, axes = new_figure(
            nrows=len(heights), width=5.0, height=sum(heights) + 0.2,
            gridspec_kw={"height_ratios": heights},
        )
        axes = np.atleast_1d(axes)
        axes[0].axis("off")
        axes[0].text(0, 1, text, va="top", ha="left", fontsize=12.5, linespacing=1.5,
                     transform=axes[0].transAxes)
        for ax, panel in zip(axes[1:], panels):
            if isinstance(panel, Plot):
                _draw_plot(ax, sliders, readouts, panel, state)
            else:
                _draw_bars(ax, panel, state)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        plt.close(figure)
    # 64 colours are plenty for flat lines on white, and make the PNG a third of the size
    image = Image.open(buffer).convert("RGB").quantize(64, method=Image.Quantize.FASTOCTREE)
    small = io.BytesIO()
    image.save(small, format="PNG", dpi=(DPI, DPI))
    return small.getvalue()


def _value(
    value: str | int | float, sliders: Sequence[Slider], readouts: Sequence[Readout], state: int
) -> float:
    """A marker's coordinate in a state (see :class:`Marker`)."""
    if isinstance(value, str):
        slider = next(s for s in sliders if s.name == value)
        return float(slider.values[slider.default_index])
    if isinstance(value, int):
        return float(readouts[value].values.flat[state])
    return float(value)


def _draw_plot(
    ax: Any, sliders: Sequence[Slider], readouts: Sequence[Readout], plot: Plot, state: int
) -> None:
    indices = np.unravel_index(state, tuple(len(s.values) for s in sliders))
    for rule in plot.rules:
        draw = ax.axvline if rule.orient == "x" else ax.axhline
        draw(rule.value, color=rule.color, linestyle=":", linewidth=1.2)
    for line in plot.lines:
        y = line.y
        if line.slider is not None:
            j = [s.name for s in sliders].index(line.slider)
            y = line.y[indices[j]]
        ax.plot(line.x, y, color=line.color, linestyle="--" if line.dashed else "-",
                label=line.label)
    for marker in plot.markers:
        ax.scatter([_value(marker.x, sliders, readouts, state)],
                   [_value(marker.y, sliders, readouts, state)], color=marker.color, zorder=3, s=40)
    ax.set(xlabel=plot.x_title, ylabel=plot.y_title, xlim=plot.x_domain, ylim=plot.y_domain)
    if len(plot.lines) > 1:
        ax.legend(loc="best", fontsize=11)


def _draw_bars(ax: Any, bars: Bars, state: int) -> None:
    values = np.reshape(bars.values, (-1, len(bars.categories)))[state]
    if bars.stacked:
        left = 0.0
        for name, value, color in zip(bars.categories, values, bars.colors):
            ax.barh([0], [value], left=left, color=color, label=name)
            left += value
        ax.set(yticks=[], xlim=bars.domain, xlabel=bars.title)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 1.45), ncols=len(values), fontsize=11)
    else:
        ax.bar(list(bars.categories), values, color=list(bars.colors))
        ax.set(ylim=bars.domain, ylabel=bars.title)


# --- putting it together -------------------------------------------------------------------


def build(
    kind: str,
    what: str,
    sliders: Sequence[Slider],
    readouts: Sequence[Readout],
    *,
    plot: Plot | None = None,
    bars: Bars | None = None,
    parameters: dict[str, Any] | None = None,
) -> Explorable:
    """An :class:`Explorable` from its description.

    ``kind`` names the explorable (it is stored in the spec's ``usermeta``, with
    ``parameters``, so that a test can recompute what it shows); ``what`` is the first
    sentence of the description. The views are stacked: the readout, the bars, the plot.
    """
    shape = tuple(len(s.values) for s in sliders)
    for readout in readouts:
        if np.size(readout.values) != math.prod(shape):
            raise ValueError(f"readout {readout.label!r} needs one value per state, {shape}")
    default_state = int(np.ravel_multi_index(tuple(s.default_index for s in sliders), shape))
    state = _state_columns(sliders, readouts, bars)
    datasets: dict[str, Any] = {"state": _csv(state)}
    views = [_readout_view(sliders, readouts, list(state))]
    if bars is not None:
        views.append(_bars_view(sliders, bars, list(state)))
    if plot is not None:
        for k, line in enumerate(plot.lines):
            if line.slider is None:
                datasets[f"line{k}"] = _csv(
                    {"x": _rounded(line.x), "y": _rounded(line.y, CURVE_DIGITS)}
                )
            else:
                steps = np.diff(line.x)
                if not np.allclose(steps, steps[0], rtol=1e-9, atol=0):
                    raise ValueError(f"line {line.label!r} moves, so its x must be evenly spaced")
                datasets[f"line{k}"] = _csv({"y": _rounded(np.ravel(line.y), CURVE_DIGITS)})
        views.append(_plot_view(sliders, plot, list(state)))
    slider_text = ", ".join(
        f"{s.label} from {s.start:.{s.decimals}f} to {s.stop:.{s.decimals}f}" for s in sliders
    )
    default = "; ".join(
        [f"{s.label} = {s.values[s.default_index]:.{s.decimals}f}" for s in sliders]
        + [r.text(default_state) for r in readouts]
    )
    description = (
        f"Interactive figure: {what} Sliders: {slider_text}. At the start: {default}."
    )
    params = [
        {
            "name": s.name,
            "value": float(s.values[s.default_index]),
            "bind": {
                "input": "range",
                "min": s.start,
                "max": s.stop,
                "step": s.step,
                "name": f"{s.label} ",
            },
        }
        for s in sliders
    ]
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "description": description,
        "usermeta": {"xent": {"kind": kind, "parameters": parameters or {},
                              "readouts": [r.label for r in readouts]}},
        "params": params,
        "datasets": datasets,
        "config": _config(),
        "spacing": 14,
        "resolve": {"scale": {"color": "independent"}},
        "vconcat": views,
    }
    return Explorable(
        spec=spec,
        description=description,
        draw_png=lambda: _png(sliders, readouts, plot, bars, default_state),
    )


def _grid(*sliders: Slider) -> list[FloatArray]:
    """The sliders' positions, one array each, broadcast over the grid of states."""
    return list(np.meshgrid(*(s.values for s in sliders), indexing="ij"))


# --- the chapters' explorables -------------------------------------------------------------


def entropy_explorable(default: float = 0.7) -> Explorable:
    """A coin with P(heads) = p on a slider: the two probabilities as bars and the entropy
    ``H(p) = -p log2 p - (1 - p) log2 (1 - p)`` in bits, on its curve and in the readout.

    Examples
    --------
    >>> explorable = entropy_explorable()
    >>> explorable.description.split("At the start: ")[1]
    'P(heads) = 0.70; H = 0.8813 bits.'
    """
    p = Slider("p", "P(heads)", 0.0, 1.0, 0.01, default)
    heads = p.values
    two = np.column_stack([heads, 1.0 - heads])
    bits = np.asarray(entropy(two, base=2))
    x = np.linspace(0.0, 1.0, 201)
    curve = np.asarray(entropy(np.column_stack([x, 1.0 - x]), base=2))
    return build(
        "entropy",
        "a coin that lands heads with probability P(heads); bars show P(heads) and P(tails),"
        " and the point on the binary entropy curve is the coin's entropy in bits.",
        [p],
        [Readout("H", bits, 4, "bits")],
        bars=Bars(("heads", "tails"), two, (COLORS["true"], COLORS["negative"]),
                  "probability", (0.0, 1.0)),
        plot=Plot("P(heads)", "entropy H (bits)", (0.0, 1.0), (0.0, 1.05),
                  lines=[Line("H", x, curve, COLORS["loss"])],
                  markers=[Marker("p", 0, COLORS["loss"])]),
    )


def cross_entropy_explorable(p_heads: float = 0.7, default: float = 0.5) -> Explorable:
    """A prediction q(heads) on a slider against a fixed coin p: the cross-entropy
    ``H(p, q) = H(p) + KL(p || q)`` in bits, as a stacked bar and on its curve.

    Examples
    --------
    >>> explorable = cross_entropy_explorable()
    >>> explorable.description.split("At the start: ")[1]
    'q(heads) = 0.50; H(p, q) = 1.0000 bits; H(p) = 0.8813 bits; KL(p‖q) = 0.1187 bits.'
    """
    q = Slider("q", "q(heads)", 0.01, 0.99, 0.01, default)
    p = np.array([p_heads, 1.0 - p_heads])
    qs = np.column_stack([q.values, 1.0 - q.values])
    ps = np.broadcast_to(p, qs.shape)
    h_pq = np.asarray(cross_entropy(ps, qs, base=2))
    kl = np.asarray(kl_divergence(ps, qs, base=2))
    h_p = np.full(q.values.shape, entropy(p, base=2))
    x = np.linspace(0.01, 0.99, 197)
    curve = np.asarray(
        cross_entropy(np.broadcast_to(p, (x.size, 2)), np.column_stack([x, 1.0 - x]), base=2)
    )
    return build(
        "cross_entropy",
        f"a prediction q(heads) against a coin p with p(heads) = {p_heads:g}; the stacked bar"
        " splits the cross-entropy H(p, q) into the entropy H(p) and the KL divergence, and"
        " the point on the curve is H(p, q) in bits.",
        [q],
        [Readout("H(p, q)", h_pq, 4, "bits"), Readout("H(p)", h_p, 4, "bits"),
         Readout("KL(p‖q)", kl, 4, "bits")],
        bars=Bars(("H(p)", "KL(p‖q)"), np.column_stack([h_p, kl]),
                  (COLORS["loss"], COLORS["alternative"]), "bits", (0.0, 5.0), stacked=True,
                  height=36),
        plot=Plot("q(heads)", "H(p, q) (bits)", (0.0, 1.0), (0.0, 5.0),
                  lines=[Line("H(p, q)", x, curve, COLORS["loss"])],
                  markers=[Marker("q", 0, COLORS["loss"])],
                  rules=[Rule(float(h_p[0]), "y"), Rule(p_heads, "x", COLORS["true"])]),
        parameters={"p_heads": p_heads},
    )


def label_smoothing_explorable(default: float = 0.1) -> Explorable:
    """Keras's binary cross-entropy of a positive example against p̂, with ``label_smoothing``
    on a slider: the target becomes ``1 - α/2`` and the smallest loss its entropy, in nats.

    Examples
    --------
    >>> explorable = label_smoothing_explorable()
    >>> explorable.description.split("At the start: ")[1]
    'label_smoothing = 0.10; target = 0.9500; smallest loss = 0.1985 nats.'
    """
    alpha = Slider("alpha", "label_smoothing", 0.0, 0.5, 0.02, default)
    x = np.linspace(0.5, 0.995, 67)
    ones = np.ones((x.size, 1))
    curves = np.array(
        [np.asarray(binary_crossentropy(ones, x[:, None], label_smoothing=a)) for a in alpha.values]
    )
    targets = np.array([np.asarray(smooth_labels([1.0, 0.0], a, 2))[0] for a in alpha.values])
    floors = np.array(  # the loss at p̂ = target: the entropy of the smoothed target
        [float(binary_crossentropy([1.0], [t], label_smoothing=a))
         for a, t in zip(alpha.values, targets)]
    )
    plain = np.asarray(binary_crossentropy(ones, x[:, None]))
    return build(
        "label_smoothing",
        "the binary cross-entropy of a positive example against the predicted probability, for"
        " the label_smoothing on the slider and without smoothing (dashed); the point is the"
        " smallest loss, at the smoothed target.",
        [alpha],
        [Readout("target", targets, 4), Readout("smallest loss", floors, 4, "nats")],
        plot=Plot("predicted probability p̂", "loss (nats)", (0.5, 1.0), (0.0, 0.75),
                  lines=[Line("smoothed", x, curves, COLORS["loss"], slider="alpha"),
                         Line("no smoothing", x, plain, COLORS["reference"], dashed=True)],
                  markers=[Marker(0, 1, COLORS["loss"])]),
    )


def focal_explorable(default: float = 2.0) -> Explorable:
    """Keras's binary focal cross-entropy against the probability of the true class, with
    ``gamma`` on a slider, beside the plain cross-entropy; the readout gives the loss of an
    easy example (p_t = 0.9) and a hard one (p_t = 0.1) and the share of each that remains.

    Examples
    --------
    >>> explorable = focal_explorable()
    >>> explorable.description.split("At the start: ")[1].split("; ")[1:3]
    ['loss(p_t = 0.9) = 0.0011 nats', 'share of cross-entropy kept = 0.0100']
    """
    gamma = Slider("gamma", "gamma", 0.0, 5.0, 0.2, default, decimals=1)
    x = np.linspace(0.01, 0.99, 50)
    ones = np.ones((x.size, 1))
    curves = np.array(
        [np.asarray(binary_focal_crossentropy(ones, x[:, None], gamma=g)) for g in gamma.values]
    )
    plain = np.asarray(binary_crossentropy(ones, x[:, None]))

    def at(p_t: float) -> FloatArray:
        return np.array(
            [float(binary_focal_crossentropy([1.0], [p_t], gamma=g)) for g in gamma.values]
        )

    easy, hard = at(0.9), at(0.1)
    easy_ce = float(binary_crossentropy([1.0], [0.9]))
    hard_ce = float(binary_crossentropy([1.0], [0.1]))
    return build(
        "focal",
        "the binary focal cross-entropy of an example against the probability p_t of its true"
        " class, for the gamma on the slider, and the plain cross-entropy (dashed).",
        [gamma],
        [Readout("loss(p_t = 0.9)", easy, 4, "nats"),
         Readout("share of cross-entropy kept", easy / easy_ce, 4),
         Readout("loss(p_t = 0.1)", hard, 4, "nats"),
         Readout("share of cross-entropy kept", hard / hard_ce, 4)],
        plot=Plot("probability of the true class p_t", "loss (nats)", (0.0, 1.0), (0.0, 4.0),
                  lines=[Line("focal", x, curves, COLORS["loss"], slider="gamma"),
                         Line("cross-entropy", x, plain, COLORS["reference"], dashed=True)],
                  markers=[Marker(0.9, 0, COLORS["loss"]), Marker(0.1, 2, COLORS["loss"])]),
    )


def log_loss_explorable(default: float = -1.0) -> Explorable:
    """A logit z and a label y on sliders: p̂ = σ(z), the cross-entropy and squared-error
    losses and their gradients with respect to z (each loss's push on the logit).

    The cross-entropy's gradient is ``p̂ - y``; the squared error's, of ``(p̂ - y)²``, is
    ``2 (p̂ - y) p̂ (1 - p̂)``, which vanishes when the model is confidently wrong. Both are
    computed from xent's ``sigmoid`` and ``log_loss``.

    Examples
    --------
    >>> explorable = log_loss_explorable()
    >>> explorable.description.split("At the start: ")[1].split("; ")[:3]
    ['z = -1.00', 'y = 1', 'p̂ = 0.2689']
    """
    z = Slider("z", "z", -6.0, 6.0, 0.1, default)
    y = Slider("y", "y", 0.0, 1.0, 1.0, 1.0, decimals=0)
    zz, yy = _grid(z, y)
    p = np.asarray(sigmoid(zz))
    ce = np.asarray(binary_cross_entropy_with_logits_xent(yy, zz))
    ce_push = logit_gradient(yy, zz, loss="cross_entropy")
    se_push = logit_gradient(yy, zz, loss="squared_error")

    def squared_error(label: float, logits: FloatArray) -> FloatArray:
        return np.array([loss_and_gradient([[1.0]], [label], [v], 0.0, loss="squared_error")[0]
                         for v in np.ravel(logits)]).reshape(np.shape(logits))

    se = np.stack([squared_error(label, zz[:, j]) for j, label in enumerate(y.values)], axis=1)
    x = np.linspace(-6.0, 6.0, 121)
    ce_curves = np.array([np.asarray(binary_cross_entropy_with_logits_xent(
        np.full(x.shape, label), x)) for label in y.values])
    se_curves = np.array([squared_error(label, x) for label in y.values])
    return build(
        "log_loss",
        "a logit z and a label y; the readout gives the predicted probability, the"
        " cross-entropy and squared-error losses and their gradients with respect to z, and"
        " the plot shows both losses against z.",
        [z, y],
        [Readout("p̂", p, 4), Readout("cross-entropy", ce, 4, "nats"),
         Readout("its gradient", ce_push, 4), Readout("squared error", se, 4),
         Readout("its gradient", se_push, 4)],
        plot=Plot("logit z", "loss", (-6.0, 6.0), (0.0, 4.0),
                  lines=[Line("cross-entropy", x, ce_curves, COLORS["loss"], slider="y"),
                         Line("squared error", x, se_curves, COLORS["alternative"], slider="y")],
                  markers=[Marker("z", 1, COLORS["loss"]), Marker("z", 3, COLORS["alternative"])]),
    )


def softmax_explorable(logits: Sequence[float] = (1.0, 0.5), default_z: float = 2.0,
                       default_t: float = 1.0) -> Explorable:
    """Three classes: the true class's logit z₁ and a temperature T on sliders, the other two
    logits fixed at ``logits``; bars of ``softmax(z / T)`` and the loss ``-log q₁`` in nats.

    Examples
    --------
    >>> explorable = softmax_explorable()
    >>> explorable.description.split("At the start: ")[1].split("; ")[2:]
    ['q(class 1) = 0.6285', 'loss = 0.4644 nats.']
    """
    z1 = Slider("z1", "z₁ (true class)", -3.0, 3.0, 0.25, default_z)
    t = Slider("T", "temperature T", 0.2, 3.0, 0.2, default_t, decimals=1)
    zz, tt = _grid(z1, t)
    z = np.stack([zz, np.full(zz.shape, logits[0]), np.full(zz.shape, logits[1])], axis=-1)
    q = np.asarray(softmax(z / tt[..., None]))
    loss = np.array([log_loss([0], [row], labels=[0, 1, 2]) for row in q.reshape(-1, 3)])
    return build(
        "softmax",
        f"three classes with logits z₁ (the true class, on a slider), {logits[0]:g} and"
        f" {logits[1]:g}, divided by the temperature T; the bars are their softmax"
        " probabilities and the readout the loss of the true class.",
        [z1, t],
        [Readout("q(class 1)", q[..., 0], 4), Readout("loss", loss.reshape(zz.shape), 4, "nats")],
        bars=Bars(("class 1", "class 2", "class 3"), q.reshape(-1, 3),
                  (COLORS["true"], COLORS["predicted"], COLORS["predicted"]), "probability",
                  (0.0, 1.0), height=160),
        parameters={"logits": list(logits)},
    )


def calibration_explorable(logits: ArrayLike, labels: ArrayLike, *, fitted: float | None = None,
                           n_bins: int = 10, default: float = 1.0) -> Explorable:
    """A temperature T on a slider for a multi-class model's logits: the top-label ECE and the
    log loss of ``softmax(logits / T)`` on its curves, with the ``fitted`` temperature marked
    (by default the one :func:`~xent.calibration.fit_temperature` fits on the same data; pass
    the one fitted on held-out data to show it on test data).

    Examples
    --------
    >>> z = [[2.0, 0.0], [0.0, 3.0], [1.0, 0.0], [0.0, 2.5]]
    >>> explorable = calibration_explorable(z, [0, 1, 1, 1])
    >>> explorable.description.split("At the start: ")[1].split("; ")[1:]
    ['ECE = 0.2434', 'log loss = 0.3919 nats.']
    """
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels)
    t = Slider("T", "temperature T", 0.5, 5.0, 0.05, default)
    ece, nll = [], []
    for temperature in t.values:
        q = np.asarray(softmax(z / temperature))
        ece.append(expected_calibration_error(q.argmax(axis=1) == y, q.max(axis=1),
                                              n_bins=n_bins))
        nll.append(log_loss(y, q, labels=list(range(z.shape[1]))))
    ece_a, nll_a = np.array(ece), np.array(nll)
    if fitted is None:
        fitted = fit_temperature(z, y)
    top = float(max(nll_a.max(), ece_a.max()))
    return build(
        "calibration",
        "the temperature T that divides the model's logits; the curves are the expected"
        " calibration error (top label, ten bins) and the log loss against T, with the"
        f" fitted temperature {fitted:.2f} marked.",
        [t],
        [Readout("ECE", ece_a, 4), Readout("log loss", nll_a, 4, "nats")],
        plot=Plot("temperature T", "ECE, log loss", (0.5, 5.0), (0.0, round(top * 1.1, 2)),
                  lines=[Line("log loss", t.values, nll_a, COLORS["loss"]),
                         Line("ECE", t.values, ece_a, COLORS["alternative"])],
                  markers=[Marker("T", 1, COLORS["loss"]), Marker("T", 0, COLORS["alternative"])],
                  rules=[Rule(fitted, "x")]),
        parameters={"fitted_temperature": round(fitted, DIGITS)},
    )


def pos_weight_explorable(positives: float = 0.1, default: float = 1.0) -> Explorable:
    """PyTorch's ``pos_weight`` on a slider: ``binary_cross_entropy_with_logits`` of a positive
    and a negative example against the logit, and, for data with a share ``positives`` of
    positives, the mean loss and the probability σ(z*) at its minimum (on a grid of logits).

    Examples
    --------
    >>> explorable = pos_weight_explorable()
    >>> explorable.description.split("At the start: ")[1].split("; ")[1:]
    ['best p̂ = 0.1000', 'its mean loss = 0.3251 nats.']
    """
    w = Slider("w", "pos_weight", 0.25, 10.0, 0.25, default)
    x = np.linspace(-6.0, 6.0, 61)
    fine = np.linspace(-8.0, 8.0, 16001)
    pos_curves, best_p, best_loss = [], [], []
    negative = np.asarray(binary_cross_entropy_with_logits(x, np.zeros_like(x), reduction="none"))
    fine_negative = np.asarray(
        binary_cross_entropy_with_logits(fine, np.zeros_like(fine), reduction="none"))
    for weight in w.values:
        pos_curves.append(np.asarray(binary_cross_entropy_with_logits(
            x, np.ones_like(x), reduction="none", pos_weight=weight)))
        fine_positive = np.asarray(binary_cross_entropy_with_logits(
            fine, np.ones_like(fine), reduction="none", pos_weight=weight))
        mean = positives * fine_positive + (1.0 - positives) * fine_negative
        k = int(np.argmin(mean))
        # then a grid 1000 times finer around the best logit: sigma(z) to about 1e-7
        finer = fine[k] + np.linspace(-1e-3, 1e-3, 2001)
        mean_finer = positives * np.asarray(binary_cross_entropy_with_logits(
            finer, np.ones_like(finer), reduction="none", pos_weight=weight)) + (
            1.0 - positives) * np.asarray(binary_cross_entropy_with_logits(
                finer, np.zeros_like(finer), reduction="none"))
        k = int(np.argmin(mean_finer))
        best_p.append(float(sigmoid(finer[k])))
        best_loss.append(float(mean_finer[k]))
    return build(
        "pos_weight",
        "PyTorch's binary_cross_entropy_with_logits with the pos_weight on the slider, for a"
        " positive and a negative example against the logit; the readout gives, for data"
        f" with {positives:.0%} positives, the probability that minimises the mean loss.",
        [w],
        [Readout("best p̂", np.array(best_p), 4), Readout("its mean loss", np.array(best_loss), 4,
                                                         "nats")],
        plot=Plot("logit z", "loss (nats)", (-6.0, 6.0), (0.0, 8.0),
                  lines=[Line("positive (y = 1)", x, np.array(pos_curves), COLORS["true"],
                              slider="w"),
                         Line("negative (y = 0)", x, negative, COLORS["negative"])]),
        parameters={"positives": positives},
    )
