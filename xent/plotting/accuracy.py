"""The figure of the accuracy appendix: how the errors of a few functions are distributed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from xent.plotting.style import COLORS, new_figure, styled

__all__ = ["accuracy_figure"]


def accuracy_figure(samples: Mapping[str, Sequence[float]], bounds: Mapping[str, float]) -> Figure:
    """Histograms of absolute errors in ulps, one row per function, against each bound.

    Parameters
    ----------
    samples
        Function names mapped to absolute errors in ulps (against mpmath), as stored in
        ``book/accuracy.json``.
    bounds
        The bound the tests enforce for each function, in ulps, drawn as a dashed line;
        the dotted line at 0.5 ulp is a correctly rounded result.
    """
    names = list(samples)
    top = max(max(bounds[name] for name in names), max(max(v) for v in samples.values()))
    bins = np.linspace(0.0, top, 41)
    with styled():
        figure, axes = new_figure(nrows=len(names), height=1.25 * len(names) + 1.0, sharex=True)
        for ax, name in zip(np.atleast_1d(axes), names):
            errors = np.asarray(samples[name], dtype=float)
            ax.hist(errors, bins=bins, color=COLORS["loss"], alpha=0.85)
            ax.axvline(0.5, color=COLORS["reference"], linestyle=":", linewidth=1.4)
            ax.axvline(bounds[name], color=COLORS["true"], linestyle="--", linewidth=1.6)
            ax.set_title(f"{name}: worst {errors.max():.2f} ulps", loc="left", fontsize=12.5)
            ax.set_ylabel("count")
            ax.grid(axis="x", visible=False)
        last = np.atleast_1d(axes)[-1]
        last.set_xlabel("absolute error (ulps)")
        last.set_xlim(0, top * 1.05)
    return figure
