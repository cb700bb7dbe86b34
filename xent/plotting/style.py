r"""The book's one figure style: palette, matplotlib settings, and a new figure in that style.

Each public function here returns a :class:`matplotlib.figure.Figure` and computes what it
shows with :mod:`xent`'s own functions, so the tests can call it and compare the stored
figures in the notebooks with fresh ones.

The style
---------
* The Okabe–Ito palette, which stays distinguishable with the common colour-vision
  deficiencies, with one meaning per colour across the book (:data:`COLORS`).
* An opaque white background, so that figures stay readable in the site's dark mode.
* Axis labels that name the quantity and its unit (nats or bits).
* No named matplotlib or seaborn style: the settings are written out in :data:`STYLE`.
* Sharp on 2x screens: figures are drawn at :data:`DPI` = 192 pixels per inch, twice the
  96 CSS pixels of an inch, and the site shows each at its size in inches (the PNG records
  its resolution, and ``book/_ext/xent_site.py`` sets the displayed width from it). Font
  sizes are in points, so 12 pt in a figure is 16 CSS px, the size of the body text.
* Symbols in italics through matplotlib's mathtext (``r"$\hat p$"``), as in the prose.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib.pyplot as plt
from cycler import cycler
from matplotlib.figure import Figure

__all__ = ["COLORS", "DPI", "STYLE", "new_figure", "styled"]

COLORS: dict[str, str] = {
    "true": "#D55E00",  # vermillion: the true distribution p, and the label y = 1
    "predicted": "#E69F00",  # orange: a predicted distribution q
    "loss": "#0072B2",  # blue: entropy, cross-entropy and losses
    "negative": "#009E73",  # bluish green: the label y = 0
    "alternative": "#CC79A7",  # reddish purple: a second method or loss to compare
    "light": "#56B4E9",  # sky blue: a secondary series of the loss colour
    "reference": "#4D4D4D",  # dark grey: reference lines and annotations
}
"""The book's palette (Okabe & Ito, 2008), keyed by what each colour means."""

DPI = 192
"""The resolution of every figure in pixels per inch.

Twice the CSS inch (96 px), so that each figure is sharp on 2x screens.
"""

STYLE: dict[str, Any] = {
    "figure.figsize": (5.0, 3.3),
    "figure.dpi": DPI,
    "savefig.dpi": "figure",
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "savefig.transparent": False,
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(
        color=[COLORS[k] for k in ("loss", "true", "negative", "predicted", "alternative", "light")]
    ),
    "axes.titlesize": 13,
    "axes.labelsize": 13,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "font.family": "DejaVu Sans",
    "font.size": 13,
    "mathtext.fontset": "dejavusans",
    "legend.frameon": False,
    "legend.fontsize": 12,
    "lines.linewidth": 2.2,
    "xtick.labelsize": 12.5,
    "ytick.labelsize": 12.5,
}
"""The shared matplotlib settings, applied only while a figure of this module is drawn."""


@contextmanager
def styled() -> Iterator[None]:
    """Apply :data:`STYLE` while a figure is built, leaving the caller's settings alone."""
    with plt.rc_context(STYLE):  # type: ignore[arg-type]  # (typed for literal keys only)
        yield


def new_figure(
    ncols: int = 1,
    *,
    nrows: int = 1,
    width: float | None = None,
    height: float | None = None,
    **kwargs: Any,
) -> tuple[Figure, Any]:
    """A new figure in the shared style, with a grid of ``nrows`` by ``ncols`` axes."""
    default_width, default_height = STYLE["figure.figsize"]
    figure, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(width or default_width, height or default_height),
        layout="constrained",
        **kwargs,
    )
    figure.patch.set_alpha(1.0)
    return figure, axes
