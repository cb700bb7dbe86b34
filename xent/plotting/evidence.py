"""The figure of a paired comparison: every split's difference, the mean and its interval."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from xent.evidence import Comparison
from xent.plotting.style import COLORS, new_figure, styled

__all__ = ["paired_differences_figure"]


def paired_differences_figure(
    comparisons: Sequence[Comparison],
    *,
    ylabel: str = "paired difference per split",
    xlabel: str = "comparison",
    titles: Sequence[str] | None = None,
) -> Figure:
    """One strip per comparison: a dot per split's paired difference, 0, the mean and its interval.

    Each comparison of ``comparisons`` (from :func:`xent.evidence.compare`) gets a column: a
    dot for each split's difference ``a - b`` (the first-named method minus the second),
    blue where the first method is better on that split, reddish purple where it is worse,
    grey for a tie; to its right the mean difference with its t interval (dark grey); above
    it the count of splits the first method wins and the verdict. The dotted line is 0, no
    difference. Each column is labelled ``titles[i]`` if given (what was scored), else "first
    minus second". The horizontal spread of the dots carries no meaning: it only keeps them
    apart (a fixed pattern, the same on every run).

    Raises
    ------
    ValueError
        If ``comparisons`` is empty, or ``titles`` is given with another length.
    TypeError
        If an entry is not a :class:`~xent.evidence.Comparison`.
    """
    comparisons = list(comparisons)
    if not comparisons:
        raise ValueError("comparisons is empty; pass at least one Comparison")
    for item in comparisons:
        if not isinstance(item, Comparison):
            raise TypeError(f"comparisons must hold Comparison objects, got {type(item).__name__}")
    if titles is None:
        titles = [f"{c.names[0]}\nminus {c.names[1]}" for c in comparisons]
    titles = [str(title) for title in titles]
    if len(titles) != len(comparisons):
        raise ValueError(
            f"titles has {len(titles)} entries for {len(comparisons)} comparisons; give one each"
        )
    highest = max(max(float(c.differences.max()), c.interval[1]) for c in comparisons)
    lowest = min(min(float(c.differences.min()), c.interval[0]) for c in comparisons)
    top, bottom = max(highest, 0.0), min(lowest, 0.0)
    span = (top - bottom) or 1.0
    width = min(5.0, 2.4 + 1.3 * len(comparisons))  # at most 5 in: legible at phone width
    with styled():
        figure, ax = new_figure(width=width, height=3.6)
        ax.axhline(0.0, color=COLORS["reference"], linestyle=":", linewidth=1.2)
        for position, comparison in enumerate(comparisons):
            d = comparison.differences
            better = d < 0 if comparison.lower_is_better else d > 0
            worse = d > 0 if comparison.lower_is_better else d < 0
            # a fixed, evenly spread sequence (golden-ratio steps), so that equal
            # differences do not hide one another
            offsets = ((np.arange(d.size) * 0.6180339887) % 1.0 - 0.5) * 0.44
            for mask, color in (
                (better, COLORS["loss"]),
                (worse, COLORS["alternative"]),
                (~(better | worse), COLORS["reference"]),
            ):
                if mask.any():
                    ax.scatter(
                        position + offsets[mask],
                        d[mask],
                        s=14,
                        color=color,
                        alpha=0.75,
                        linewidths=0,
                        zorder=2,
                    )
            low, high = comparison.interval
            x = position + 0.38
            ax.plot([x, x], [low, high], color=COLORS["reference"], linewidth=2.5, zorder=3)
            ax.plot(
                [x],
                [comparison.mean_difference],
                color=COLORS["reference"],
                marker="D",
                markersize=6,
                zorder=4,
            )
            ax.text(
                position + 0.08,
                top + 0.08 * span,
                f"{comparison.wins} of {comparison.n} won\n"
                + comparison.verdict.replace(" better", "\nbetter"),  # narrow: columns sit close
                ha="center",
                va="bottom",
                fontsize="medium",
                color=COLORS["reference"],
            )
        ax.set_xticks(range(len(comparisons)), titles)
        ax.set(
            xlim=(-0.6, len(comparisons) - 0.4),
            ylim=(bottom - 0.06 * span, top + 0.6 * span),
            xlabel=xlabel,
            ylabel=ylabel,
        )
        ax.grid(axis="x", visible=False)
    return figure
