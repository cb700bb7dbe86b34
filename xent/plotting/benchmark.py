"""The figure of the benchmark appendix."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from xent.plotting.style import COLORS, new_figure, styled

__all__ = [
    "IMPLEMENTATION_COLORS",
    "IMPLEMENTATION_MARKERS",
    "benchmark_figure",
]


REFERENCE = "one np.exp pass"
IMPLEMENTATION_COLORS = {
    "xent": COLORS["loss"],
    "naive NumPy": COLORS["true"],
    "SciPy": COLORS["negative"],
    "scikit-learn": COLORS["predicted"],
    "Keras 3 (JAX)": COLORS["alternative"],
    "PyTorch (CPU)": COLORS["light"],
    REFERENCE: COLORS["reference"],
}
"""One colour per implementation in the benchmark figure, in the order of its rows."""

IMPLEMENTATION_MARKERS = {
    "xent": "o",
    "naive NumPy": "s",
    "SciPy": "^",
    "scikit-learn": "D",
    "Keras 3 (JAX)": "v",
    "PyTorch (CPU)": "P",
    REFERENCE: "X",
}
"""One marker shape per implementation, so that no two rows differ by colour alone."""

SHORT_NAMES = {
    "binary cross-entropy from logits": "binary cross-entropy, logits",
    "categorical cross-entropy from logits": "categorical, logits",
    "sparse categorical cross-entropy from logits": "sparse categorical, logits",
    "categorical cross-entropy from probabilities": "categorical, probabilities",
    "entropy": "entropy",
}

ROW = 1.0  # the distance between two implementations' rows, in data units
HEADER = 2.2  # the room for a case's title above its rows
GAP = 0.5  # the room below a case's last row
INCH_PER_ROW = 0.19  # room for a row's label at 12 pt


def _decade(value: float, _position: int) -> str:
    return f"{value:g}"


def benchmark_figure(results: Mapping[str, Any]) -> Figure:
    """Time per input value of each implementation, from ``python -m xent.bench``.

    One group of rows per benchmark case (a kind of loss and an input shape), one row per
    implementation, labelled with its name and in the same order in every group, so that no
    marker hides another. Each implementation has its own colour and marker shape
    (``IMPLEMENTATION_MARKERS``): on each row the filled marker is the float32 time and
    the hollow one the float64 time, joined by a thin line; the grey row is one ``np.exp``
    pass over the same input, a yardstick. The
    horizontal axis is logarithmic, in nanoseconds per input value, labelled at 1, 2 and 5
    times each power of ten.

    Examples
    --------
    >>> ref = {"ns_per_element": 1.0}
    >>> def case(dtype, ns):
    ...     return {"case": "entropy", "shape": [10, 10], "dtype": dtype,
    ...             "references": {"exp": ref},
    ...             "results": [{"implementation": "xent", "ns_per_element": ns}]}
    >>> figure = benchmark_figure({"cases": [case("float32", 2.0), case("float64", 3.0)]})
    >>> [text.get_text() for text in figure.axes[0].texts]
    ['entropy, 10 × 10']
    """
    groups: dict[tuple[str, tuple[int, ...]], dict[str, Any]] = {}
    for case in results["cases"]:
        groups.setdefault((case["case"], tuple(case["shape"])), {})[case["dtype"]] = case
    rows: list[tuple[float, str, dict[str, float]]] = []  # (y, implementation, dtype: ns)
    titles: list[tuple[float, str]] = []
    y = 0.0
    for (name, shape), by_dtype in groups.items():
        size = " × ".join(f"{n:,}" for n in shape)
        titles.append((y + 0.1, f"{SHORT_NAMES.get(name, name)}, {size}"))
        y += HEADER
        times: dict[str, dict[str, float]] = {}
        for dtype, case in by_dtype.items():
            for result in case["results"]:
                times.setdefault(result["implementation"], {})[dtype] = result["ns_per_element"]
            times.setdefault(REFERENCE, {})[dtype] = case["references"]["exp"]["ns_per_element"]
        order = [n for n in IMPLEMENTATION_COLORS if n in times]
        order += sorted(set(times) - set(order))
        for implementation in order:
            rows.append((y, implementation, times[implementation]))
            y += ROW
        y += GAP - ROW
    with styled(), plt.rc_context({"xtick.labelsize": 14, "axes.labelsize": 14}):
        figure, ax = new_figure(width=5.0, height=INCH_PER_ROW * y + 1.6)
        for row, implementation, by_dtype in rows:
            color = IMPLEMENTATION_COLORS.get(implementation, COLORS["reference"])
            marker = IMPLEMENTATION_MARKERS.get(implementation, "o")
            values = [by_dtype[d] for d in ("float32", "float64") if d in by_dtype]
            ax.plot(values, [row] * len(values), color=color, linewidth=1.2, alpha=0.6)
            if "float64" in by_dtype:
                ax.scatter(
                    by_dtype["float64"],
                    row,
                    s=64,
                    marker=marker,
                    facecolors="white",
                    edgecolors=color,
                    linewidths=1.8,
                    zorder=3,
                )
            if "float32" in by_dtype:
                ax.scatter(by_dtype["float32"], row, s=30, marker=marker, color=color, zorder=4)
        # A case's title starts at the figure's left edge, above its rows' labels, so that it
        # has the whole width of the figure.
        title_x = blended_transform_factory(figure.transFigure, ax.transData)
        for top, title in titles:
            ax.text(
                0.02,
                top,
                title,
                transform=title_x,
                fontsize=13.5,
                va="top",
                ha="left",
                color="black",
            )
        for top, _ in titles[1:]:
            ax.axhline(top - GAP / 2, color=COLORS["reference"], linewidth=0.8, alpha=0.35)
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(FuncFormatter(_decade))
        ax.xaxis.set_minor_formatter(NullFormatter())
        low = min(min(v.values()) for _, _, v in rows)
        high = max(max(v.values()) for _, _, v in rows)
        ax.set_xlim(low / 1.6, high * 1.6)
        ax.set_ylim(y, -0.2)
        ax.set_yticks([r[0] for r in rows], [r[1] for r in rows], fontsize=12)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", which="minor", color="#EEEEEE", linewidth=0.5)
        ax.set_xlabel("time per input value (ns, log scale)")
        handles = [
            Line2D([], [], color="black", marker="o", linestyle="", markersize=6),
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=8.5,
                markerfacecolor="white",
                markeredgecolor="black",
                markeredgewidth=1.8,
            ),
        ]
        figure.legend(
            handles,
            ["float32", "float64"],
            loc="outside upper center",
            ncols=2,
            fontsize=13,
            handletextpad=0.3,
            columnspacing=1.0,
        )
    return figure
