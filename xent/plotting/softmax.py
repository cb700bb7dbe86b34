"""Figures of the softmax chapter: temperature, the stable loss, optimism, a trained model."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from xent.logistic import log_softmax, softmax
from xent.multiclass import SoftmaxRegressionHistory, softmax_with_temperature
from xent.plotting.style import COLORS, new_figure, styled

FloatArray = NDArray[np.float64]

__all__ = [
    "log_softmax_stability_figure",
    "optimism_figure",
    "predicted_distributions_figure",
    "softmax_training_figure",
    "temperature_figure",
]


def temperature_figure(z: ArrayLike, marked: Sequence[float] = (0.25, 1.0, 4.0)) -> Figure:
    """Each class's probability softmax(z / T)_k against the temperature T (log axis).

    The ``marked`` temperatures get dotted vertical lines; the uniform 1/K is a dotted
    horizontal line, the limit as T grows. Each line is labelled beside its value at T = 1.
    """
    logits = np.asarray(z, dtype=float)
    temperatures = np.logspace(-2, 2, 401)
    probabilities = np.array([softmax_with_temperature(logits, t) for t in temperatures])
    colors = [COLORS[k] for k in ("loss", "predicted", "negative", "alternative", "light")]
    with styled():
        figure, ax = new_figure(height=3.5)
        for k in range(logits.size):
            color = colors[k % len(colors)]
            ax.plot(temperatures, probabilities[:, k], color=color, label=f"class {k + 1}")
        # (a legend in the empty middle-left: at low T the curves sit at 0 and 1, too close
        # together for labels of their own)
        ax.legend(loc="center left", bbox_to_anchor=(0.0, 0.62))
        ax.axhline(1 / logits.size, color=COLORS["reference"], linestyle=":", linewidth=1)
        ax.annotate(
            f"uniform, 1/{logits.size}",
            (temperatures[0], 1 / logits.size),
            xytext=(4, 4),
            textcoords="offset points",
            ha="left",
            color=COLORS["reference"],
        )
        for t in marked:
            ax.axvline(t, color=COLORS["reference"], linestyle=":", linewidth=0.8)
        ax.set(
            xscale="log",
            xlabel="temperature $T$",
            ylabel=r"probability softmax$(z/T)_k$",
            ylim=(0, 1.05),
            xlim=(temperatures[0], temperatures[-1]),
        )
    return figure


def _naive_float32_losses(logits: FloatArray) -> FloatArray:
    """-log of softmax(z)[0] for each row, computed in float32 and only then logged."""
    z = logits.astype(np.float32)
    with np.errstate(all="ignore"):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        losses: FloatArray = -np.log(e[:, 0] / e.sum(axis=1)).astype(np.float64)
    return losses


def log_softmax_stability_figure() -> Figure:
    """The loss of one sample computed stably and naively as the logit gap a grows.

    Top, a confident mistake: logits (0, a) with the true class first, loss log(1 + e^a).
    Bottom, a confident right answer: logits (a, 0), loss log(1 + e^-a), on a log scale. The
    stable loss is ``-log_softmax(z)[0]``; the naive one ``-log(softmax(z)[0])``, in float64
    (xent's softmax) and in float32.
    """
    gaps = np.linspace(0.0, 900.0, 1801)
    wrong = np.column_stack([np.zeros_like(gaps), gaps])
    right = wrong[:, ::-1]
    with np.errstate(divide="ignore"):
        naive_wrong = -np.log(softmax(wrong)[:, 0])
        naive_right = -np.log(softmax(right)[:, 0])
    naive32 = _naive_float32_losses(wrong)
    with styled():
        figure, (left, right_ax) = new_figure(nrows=2, width=5.0, height=5.6)
        left.plot(gaps, -log_softmax(wrong)[:, 0], color=COLORS["loss"], label="stable")
        for losses, color, style, label in (
            (naive_wrong, COLORS["alternative"], "--", "naive, float64"),
            (naive32, COLORS["true"], ":", "naive, float32"),
        ):
            finite = np.isfinite(losses)
            left.plot(gaps[finite], losses[finite], style, color=color, label=label)
            first_inf = gaps[np.argmax(~finite)]
            left.axvline(first_inf, color=color, linewidth=1, linestyle=":")
            left.annotate(
                "→ ∞",
                (first_inf, 300),  # (off the rising line, which passes 300 at a = 300)
                xytext=(3, 0),
                textcoords="offset points",
                color=color,
                va="center",
            )
        left.set(
            xlabel="logit gap $a$",
            ylabel="loss (nats)",
            title="confident mistake",
            xlim=(0, 900),
            ylim=(0, 950),
            xticks=range(0, 901, 150),
        )
        # Above both panels: inside, no corner is free of the rising line and the verticals.
        figure.legend(loc="outside upper center", ncols=3, handlelength=1.6, columnspacing=1.0)
        shown = naive_right > 0
        stable_right = -log_softmax(right)[:, 0]
        positive = stable_right > 0
        right_ax.plot(gaps[positive], stable_right[positive], color=COLORS["loss"])
        right_ax.plot(gaps[shown], naive_right[shown], "--", color=COLORS["alternative"])
        zero_from = gaps[np.argmax(~shown)]
        right_ax.axvline(zero_from, color=COLORS["alternative"], linewidth=1, linestyle=":")
        right_ax.annotate(
            "naive: exactly 0\nbeyond here",
            (zero_from, 1e-250),
            xytext=(4, 0),
            textcoords="offset points",
            color=COLORS["alternative"],
        )
        right_ax.set(
            yscale="log",
            xlabel="logit gap $a$",
            ylabel="loss (nats)",
            title="confident and right",
            xlim=(0, 900),
            ylim=(1e-320, 10),
            xticks=range(0, 901, 150),
        )
        right_ax.set_yticks([1e0, 1e-100, 1e-200, 1e-300])
    return figure


def optimism_figure(
    sizes: ArrayLike, train: ArrayLike, held_out: ArrayLike, floor: float
) -> Figure:
    """Training and held-out loss against the sample size: mean over repeats and a band.

    ``train`` and ``held_out`` have one row per repeat and one column per size; the lines
    are the means and the bands span the 10th to 90th percentiles.
    """
    n = np.asarray(sizes, dtype=float)
    with styled():
        figure, ax = new_figure(height=3.6)
        for values, color, style, label in (
            (np.asarray(train), COLORS["loss"], "-", "training loss"),
            (np.asarray(held_out), COLORS["alternative"], "--", "held-out loss"),
        ):
            low, high = np.percentile(values, [10, 90], axis=0)
            ax.fill_between(n, low, high, color=color, alpha=0.18, linewidth=0)
            mean = values.mean(axis=0)
            ax.plot(n, mean, style, color=color, marker="o", markersize=4)
            ax.annotate(
                label,
                (n[0], mean[0]),
                xytext=(6, -14 if style == "-" else 8),
                textcoords="offset points",
                color=color,
            )
        ax.axhline(floor, color=COLORS["reference"], linestyle=":", linewidth=1.2)
        ax.annotate(
            "floor $\\mathrm{H}(Y \\mid X)$",
            (n[0], floor),
            xytext=(0, 4),
            textcoords="offset points",
            ha="left",
            color=COLORS["reference"],
        )
        ax.set(xscale="log", xlabel="training samples $n$", ylabel="mean loss (nats)")
    return figure


def softmax_training_figure(history: SoftmaxRegressionHistory) -> Figure:
    """The mean training and held-out cross-entropy at each gradient-descent step."""
    if history.val_loss is None:
        raise ValueError("history has no held-out loss: train with X_val and y_val")
    steps = np.arange(history.loss.size)
    with styled():
        figure, ax = new_figure(height=3.4)
        ax.plot(steps, history.loss, color=COLORS["loss"], label="training")
        ax.plot(steps, history.val_loss, "--", color=COLORS["alternative"], label="held-out")
        ax.set(
            xscale="symlog",
            yscale="log",
            xlabel="gradient-descent step",
            ylabel="mean cross-entropy (nats)",
        )
        ax.set_xlim(0, steps[-1])
        ax.legend()
    return figure


def predicted_distributions_figure(
    probabilities: ArrayLike, labels: ArrayLike, class_names: Sequence[str]
) -> Figure:
    """One panel per example, two per row: its predicted distribution, the true class in
    vermillion.

    Each panel's title is the example's loss, -log of the probability of its true class,
    and the true class's bar carries that probability.
    """
    rows = np.atleast_2d(np.asarray(probabilities, dtype=float))
    truth = np.asarray(labels)
    positions = np.arange(rows.shape[1])
    n_rows = (rows.shape[0] + 1) // 2
    with styled():
        figure, axes = new_figure(
            2, nrows=n_rows, width=5.0, height=2.6 * n_rows + 0.4, sharey=True, squeeze=False
        )
        panels = axes.ravel()
        for ax, row, label in zip(panels, rows, truth):
            colors = [COLORS["true"] if k == label else COLORS["predicted"] for k in positions]
            ax.bar(positions, row, color=colors)
            ax.set_xticks(positions, class_names)
            ax.set_title(f"loss {-np.log(row[label]) + 0.0:.2f} nats")
            ax.set_xlabel("class")
            ax.grid(axis="x", visible=False)
            ax.annotate(
                f"true: {row[label]:.2f}",
                (label, row[label]),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                color=COLORS["true"],
            )
        for ax in panels[rows.shape[0] :]:
            ax.set_visible(False)
        for ax in axes[:, 0]:
            ax.set_ylabel("probability")
        panels[0].set_ylim(0, 1.25)
        panels[0].set_yticks([0, 0.5, 1])
    return figure
