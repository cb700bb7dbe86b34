"""Figures of the calibration chapter, and the log-loss chapter's learning-rate sweep."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from xent.calibration import ReliabilityCurve
from xent.plotting.style import COLORS, new_figure, styled

__all__ = [
    "learning_rate_sweep_figure",
    "reliability_diagram_figure",
    "scoring_rules_figure",
]

_LOSS_STYLES = {
    "cross_entropy": {"color": COLORS["loss"], "label": "cross-entropy"},
    "squared_error": {"color": COLORS["alternative"], "label": "squared error", "linestyle": "--"},
}


def scoring_rules_figure(pi: float = 0.7) -> Figure:
    r"""Expected score of the prediction :math:`q` when :math:`y \sim \mathrm{Bernoulli}(\pi)`.

    Three panels, one above the other, one per rule, each with its minimum marked: the log loss
    :math:`-\pi \log q - (1 - \pi) \log(1 - q)` and the Brier score
    :math:`\pi (1 - q)^2 + (1 - \pi) q^2`, both smallest at :math:`q = \pi`, and the
    absolute error :math:`\pi (1 - q) + (1 - \pi) q`, smallest at :math:`q = 1` when
    :math:`\pi > 1/2`.
    """
    q = np.linspace(0.001, 0.999, 999)
    rules = {
        "log loss (nats)": -(pi * np.log(q) + (1 - pi) * np.log1p(-q)),
        "Brier score": pi * (1 - q) ** 2 + (1 - pi) * q**2,
        "absolute error": pi * (1 - q) + (1 - pi) * q,
    }
    colors = [COLORS["loss"], COLORS["negative"], COLORS["alternative"]]
    with styled():
        # One column, so that the text stays legible when a phone shows the figure 342 px wide.
        figure, axes = new_figure(nrows=3, width=5.0, height=6.6, sharex=True)
        for ax, (name, score), color in zip(axes, rules.items(), colors, strict=True):
            ax.plot(q, score, color=color)
            best = int(np.argmin(score))
            ax.scatter([q[best]], [score[best]], color=COLORS["reference"], zorder=3, clip_on=False)
            ax.set_title(f"{name}: minimum at $q$ = {q[best]:.2f}")  # (a title: no curve to cover)
            ax.axvline(pi, color=COLORS["true"], linestyle=":", linewidth=1.2)
            ax.set(ylabel="expected score", xlim=(0, 1))
            ax.set_ylim(bottom=0)
        axes[-1].set_xlabel("prediction $q$")
        axes[0].set_ylim(0, 2.5)
        axes[0].annotate(
            rf"$\pi$ = {pi:g}",
            (pi, 2.3),
            xytext=(-4, 0),
            textcoords="offset points",
            ha="right",
            color=COLORS["true"],
        )
    return figure


def reliability_diagram_figure(
    curves: Mapping[str, ReliabilityCurve],
    *,
    xlabel: str = r"mean predicted probability $\hat p$ in the bin",
    ylabel: str = "observed fraction positive",
) -> Figure:
    r"""Reliability diagram: fraction of positives against mean predicted probability per bin.

    One line per entry of ``curves`` (label → :class:`~xent.calibration.ReliabilityCurve`),
    over the diagonal of perfect calibration; below, how many samples each bin holds
    (on a logarithmic axis, since confident predictions crowd the last bins). For the
    top-label diagram of a multi-class model pass ``xlabel="mean confidence in the bin"``
    and ``ylabel="accuracy in the bin"``.
    """
    colors = [COLORS["alternative"], COLORS["loss"], COLORS["negative"], COLORS["predicted"]]
    markers = ["o", "s", "^", "D"]
    with styled():
        figure, (ax, counts_ax) = new_figure(
            nrows=2, width=5.0, height=5.6, sharex=True, gridspec_kw={"height_ratios": [3, 1]}
        )
        ax.plot([0, 1], [0, 1], color=COLORS["reference"], linestyle=":", linewidth=1.2)
        ax.annotate(
            "perfect\ncalibration",
            (0.2, 0.2),
            xytext=(-4, 8),
            textcoords="offset points",
            ha="right",
            color=COLORS["reference"],
        )
        width = 0.06 / max(len(curves), 1)
        # The bars of the outermost bins reach past 0 and 1 by up to half the group's width.
        reach = 0.03 + 0.005
        for k, ((label, curve), color, marker) in enumerate(
            zip(curves.items(), colors, markers, strict=False)
        ):
            ax.plot(
                curve.mean_predicted,
                curve.fraction_positive,
                marker=marker,
                color=color,
                label=label,
            )
            offset = (k - (len(curves) - 1) / 2) * width
            counts_ax.bar(curve.mean_predicted + offset, curve.counts, width=width, color=color)
        ax.set(ylabel=ylabel, xlim=(-reach, 1 + reach), ylim=(0, 1.02))
        if len(curves) > 1:
            ax.legend(loc="upper left")
        counts_ax.set_yscale("log")
        counts_ax.set(xlabel=xlabel, ylabel="samples")
    return figure


def learning_rate_sweep_figure(
    rates: ArrayLike, scores: Mapping[str, tuple[ArrayLike, ArrayLike]], *, n_steps: int
) -> Figure:
    """Each loss's own training objective after ``n_steps`` steps, against the learning rate.

    ``scores`` maps a loss name (``"cross_entropy"``, ``"squared_error"``) to the mean and
    the standard deviation over repeats at each rate. One panel per loss, one above the
    other, since the two objectives have different scales; the best rate is marked.
    """
    eta = np.asarray(rates, dtype=float)
    with styled():
        figure, axes = new_figure(
            nrows=len(scores), width=5.0, height=2.6 * len(scores) + 0.4, sharex=True
        )
        for ax, (loss, (mean, spread)) in zip(np.atleast_1d(axes), scores.items(), strict=True):
            style = _LOSS_STYLES[loss]
            mean, spread = np.asarray(mean, dtype=float), np.asarray(spread, dtype=float)
            ax.fill_between(eta, mean - spread, mean + spread, color=style["color"], alpha=0.15)
            ax.plot(eta, mean, marker="o", markersize=4, color=style["color"])
            best = int(np.argmin(mean))
            ax.scatter(
                [eta[best]], [mean[best]], s=80, facecolors="none", edgecolors="black", zorder=3
            )
            ax.annotate(
                rf"best $\eta$ = {eta[best]:g}",
                (eta[best], mean[best]),
                xytext=(0, -18),
                textcoords="offset points",
                ha="center",
                color=COLORS["reference"],
            )
            ax.set_xscale("log", base=2)
            ax.set_title(style["label"], color=style["color"])
            ax.set_ylabel(f"training {_objective(loss)}\nat step {n_steps}")
        np.atleast_1d(axes)[-1].set_xlabel(r"learning rate $\eta$")
    return figure


def _objective(loss: str) -> str:
    return "log loss (nats)" if loss == "cross_entropy" else "squared error"


