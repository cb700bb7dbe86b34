"""Figures of the information chapters: surprisal, entropy, cross-entropy and KL."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from xent.distributions import discretized_normal
from xent.information import cross_entropy, entropy, surprisal
from xent.plotting.style import COLORS, new_figure, styled

__all__ = [
    "binary_entropy_figure",
    "cross_entropy_contributions_figure",
    "cross_entropy_landscape_figure",
    "entropy_bars_figure",
    "sample_estimate_figure",
    "surprisal_figure",
]


def surprisal_figure() -> Figure:
    """Surprisal ``-log2 p`` in bits against the probability ``p`` of an outcome.

    Marks p = 1/2, 1/4 and 1/8, whose surprisals are 1, 2 and 3 bits.
    """
    p = np.linspace(0.005, 1.0, 400)
    with styled():
        figure, ax = new_figure()
        ax.plot(p, surprisal(p, base=2), color=COLORS["loss"])
        marked = np.array([1 / 2, 1 / 4, 1 / 8])
        bits = np.asarray(surprisal(marked, base=2))
        ax.scatter(marked, bits, color=COLORS["reference"], zorder=3)
        for x, y in zip(marked, bits):
            ax.annotate(
                rf"$p = 1/{round(1 / x)}$: {y:.0f} bit{'s' if y > 1 else ''}",
                (x, y),
                xytext=(9, 5),
                textcoords="offset points",
                color=COLORS["reference"],
            )
        ax.set(
            xlabel=r"probability of the outcome, $p$",
            ylabel=r"surprisal $-\log_2 p$ (bits)",
            xlim=(0, 1.02),
            ylim=(0, 8),
        )
    return figure


def binary_entropy_figure() -> Figure:
    """Entropy in bits of a coin that lands heads with probability ``p``.

    The curve is ``H(p) = -p log2 p - (1 - p) log2 (1 - p)``, computed by :func:`xent.entropy`;
    its maximum, 1 bit at p = 0.5, is marked and labelled inside the arch, clear of the curve.
    """
    p = np.linspace(0.0, 1.0, 401)
    h = entropy(np.column_stack([p, 1.0 - p]), base=2)
    peak = entropy([0.5, 0.5], base=2)
    with styled():
        figure, ax = new_figure()
        ax.plot(p, h, color=COLORS["loss"])
        ax.scatter([0.5], [peak], color=COLORS["reference"], zorder=3)
        ax.annotate(
            f"maximum, {peak:.0f} bit,\n" + r"at $p = 0.5$",
            (0.5, peak),
            xytext=(0.5, 0.42),
            ha="center",
            va="center",
            color=COLORS["reference"],
            arrowprops={"arrowstyle": "->", "color": COLORS["reference"], "shrinkB": 6},
        )
        ax.set(
            xlabel=r"probability of heads, $p$",
            ylabel=r"entropy $\mathrm{H}(p)$ (bits)",
            xlim=(0, 1),
            ylim=(0, 1.1),
        )
    return figure


def entropy_bars_figure(distributions: Mapping[str, ArrayLike], *, base: float = 2) -> Figure:
    """Bar charts of several distributions over the same outcomes, each titled with its entropy.

    Parameters
    ----------
    distributions
        Names mapped to probability vectors of equal length (outcomes 1, 2, ...).
    base
        Logarithm base for the entropies in the titles (2: bits).
    """
    unit = "bits" if base == 2 else f"log base {base:g}"
    with styled():
        figure, axes = new_figure(len(distributions), width=5.0, height=3.4, sharey=True)
        for ax, (name, p) in zip(np.atleast_1d(axes), distributions.items()):
            values = np.asarray(p, dtype=float)
            outcomes = np.arange(1, values.size + 1)
            ax.bar(outcomes, values, color=COLORS["true"], width=0.7)
            ax.set_title(f"{name}\n" + rf"$\mathrm{{H}}$ = {entropy(values, base=base):.3f} {unit}")
            ax.set_xticks(outcomes)
            ax.set_xlabel("outcome")
            ax.grid(axis="x", visible=False)
        first: Axes = np.atleast_1d(axes)[0]
        first.set_ylabel("probability")
        first.set_ylim(0, 1.05)
    return figure


def cross_entropy_contributions_figure(outcomes: ArrayLike, p: ArrayLike, q: ArrayLike) -> Figure:
    """The true distribution p, a prediction q, and each outcome's share of H(p, q).

    Top: p (vermillion) and q (orange, dashed), labelled on the curves. Bottom: the pointwise
    contribution ``-p log q`` (blue), whose sum is the cross-entropy, beside ``-p log p`` (sky
    blue, dashed), whose sum is the entropy; the legend gives both sums.
    """
    x = np.asarray(outcomes, dtype=float)
    p_arr, q_arr = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    total, floor = cross_entropy(p_arr, q_arr), entropy(p_arr)
    with styled():
        figure, (top, bottom) = new_figure(nrows=2, height=5.4, sharex=True)
        top.plot(x, p_arr, color=COLORS["true"])
        top.plot(x, q_arr, color=COLORS["predicted"], linestyle="--")
        for values, name, color in (
            (p_arr, "true $p$", "true"),
            (q_arr, "prediction $q$", "predicted"),
        ):
            at = int(np.argmax(values))
            side = -1 if values is p_arr else 1  # p's label to the left of its peak, q's right
            top.annotate(
                name,
                (x[at], values[at]),
                xytext=(side * 10, 2),
                textcoords="offset points",
                ha="right" if side < 0 else "left",
                va="bottom",
                color=COLORS[color],
            )
        top.set_ylabel("probability")
        top.set_ylim(0, 1.15 * max(p_arr.max(), q_arr.max()))
        share, own_share = p_arr * surprisal(q_arr), p_arr * surprisal(p_arr)
        bottom.fill_between(x, share, color=COLORS["loss"], alpha=0.25, linewidth=0)
        bottom.plot(
            x,
            share,
            color=COLORS["loss"],
            label=rf"$-p\,\log q$, sum $\mathrm{{H}}(p, q)$ = {total:.3f}",
        )
        bottom.plot(
            x,
            own_share,
            color=COLORS["light"],
            linestyle="--",
            label=rf"$-p\,\log p$, sum $\mathrm{{H}}(p)$ = {floor:.3f}",
        )
        bottom.set_ylabel("contribution (nats)")
        bottom.set_xlabel(r"outcome $x$")
        bottom.set_ylim(0, 1.6 * max(share.max(), own_share.max()))
        bottom.legend(loc="upper right")
    return figure


def cross_entropy_landscape_figure(outcomes: ArrayLike, mean: float, sd: float) -> Figure:
    """Cross-entropy H(p, q) as the prediction q moves away from p, and its minimum H(p) at q = p.

    p is :func:`xent.distributions.discretized_normal` with the given ``mean`` and ``sd``;
    q has the same shape, shifted (top panel) or widened and narrowed (bottom panel); the panels
    are stacked so that each keeps the full width on a phone.
    """
    x = np.asarray(outcomes, dtype=float)
    p = discretized_normal(x, mean, sd)
    floor = entropy(p)
    shifts = np.linspace(-3 * sd, 3 * sd, 121)
    widths = np.linspace(0.4 * sd, 3 * sd, 131)
    panels = [
        (
            shifts,
            [cross_entropy(p, discretized_normal(x, mean + d, sd)) for d in shifts],
            0.0,
            r"shift of $q$'s centre from $p$'s",
        ),
        (
            widths,
            [cross_entropy(p, discretized_normal(x, mean, w)) for w in widths],
            sd,
            r"standard deviation of $q$",
        ),
    ]
    with styled():
        figure, axes = new_figure(nrows=2, width=5.0, height=5.8, sharey=True)
        for ax, (grid, values, at_p, label) in zip(axes, panels):
            ax.plot(grid, values, color=COLORS["loss"], label=r"$\mathrm{H}(p, q)$")
            ax.axhline(
                floor,
                color=COLORS["reference"],
                linestyle=":",
                linewidth=1.2,
                label=rf"$\mathrm{{H}}(p)$ = {floor:.3f} nats",
            )
            ax.scatter([at_p], [floor], color=COLORS["true"], zorder=3, label="$q = p$")
            ax.set_xlabel(label)
            ax.xaxis.set_major_locator(MaxNLocator(5))
        for ax in axes:
            ax.set_ylabel(r"$\mathrm{H}(p, q)$ (nats)")
        axes[1].legend(loc="upper right")
        axes[0].set_ylim(floor - 0.3, floor + 5)
    return figure


def sample_estimate_figure(
    p: ArrayLike, q: ArrayLike, *, seed: int, n_samples: int = 100_000, runs: int = 5
) -> Figure:
    """The average of −log q(x) over samples x drawn from p, as the sample grows.

    Each of ``runs`` independent runs (from one generator seeded with ``seed``) is a line;
    they settle on the exact cross-entropy H(p, q), drawn as a dotted line.
    """
    p_arr, q_arr = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    exact = cross_entropy(p_arr, q_arr)
    rng = np.random.default_rng(seed)
    sizes = np.arange(1, n_samples + 1)
    with styled():
        figure, ax = new_figure()
        for run in range(runs):
            draws = rng.choice(p_arr.size, size=n_samples, p=p_arr)
            running_mean = np.cumsum(surprisal(q_arr[draws])) / sizes
            ax.plot(
                sizes,
                running_mean,
                color=COLORS["light"],
                linewidth=1.2,
                label=r"estimates from samples of $p$" if run == 0 else None,
            )
        ax.axhline(
            exact,
            color=COLORS["loss"],
            linestyle=":",
            linewidth=2,
            label=rf"exact $\mathrm{{H}}(p, q)$ = {exact:.3f} nats",
        )
        ax.set_xscale("log")
        ax.set(
            xlabel=r"number of samples drawn from $p$",
            ylabel=r"average of $-\log q(x)$ (nats)",
        )
        ax.legend(loc="upper right")
    return figure
