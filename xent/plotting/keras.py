"""Figures of the Keras chapter: logits against probabilities, label smoothing, focal loss."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from xent.information import entropy, surprisal
from xent.keras_losses import (
    EPSILON,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    smooth_labels,
)
from xent.logistic import softmax
from xent.plotting.style import COLORS, new_figure, styled

__all__ = [
    "focal_loss_figure",
    "from_logits_figure",
    "label_smoothing_figure",
]


def from_logits_figure() -> Figure:
    """Categorical cross-entropy of a confident mistake, from logits and from probabilities.

    Two classes with logits ``(0, m)``, the true class being the first: the exact loss is
    ``log(1 + e^m)``, about ``m``. Computed from the logits (``from_logits=True``) it keeps
    growing; computed from ``softmax`` probabilities it stops at ``-log(1e-7) ≈ 16.1`` once
    the probability of the true class falls below Keras's clip.
    """
    margins = np.linspace(0.0, 40.0, 401)
    logits = np.column_stack([np.zeros_like(margins), margins])
    target = np.broadcast_to([1.0, 0.0], logits.shape)
    stable = categorical_crossentropy(target, logits, from_logits=True)
    naive = categorical_crossentropy(target, softmax(logits))
    with styled():
        figure, ax = new_figure()
        ax.plot(margins, stable, color=COLORS["loss"], label="from_logits=True")
        ax.plot(
            margins,
            naive,
            color=COLORS["alternative"],
            linestyle="--",
            label="softmax, then the loss",
        )
        ax.axhline(surprisal(EPSILON), color=COLORS["reference"], linestyle=":", linewidth=1)
        ax.annotate(
            rf"$-\log 10^{{-7}}$ = {-np.log(EPSILON):.2f}",
            (40, -np.log(EPSILON)),
            xytext=(0, -16),
            textcoords="offset points",
            ha="right",
            color=COLORS["reference"],
        )
        ax.set(
            xlabel=r"margin $z_\mathrm{wrong} - z_\mathrm{true}$",
            ylabel="cross-entropy (nats)",
            xlim=(0, 40),
        )
        ax.legend(loc="upper left")
    return figure


def label_smoothing_figure(smoothings: tuple[float, ...] = (0.0, 0.1, 0.2)) -> Figure:
    """Binary cross-entropy of a positive example against the predicted probability, for several
    ``label_smoothing`` values, with each curve's minimum marked.

    Smoothing turns the target 1 into ``1 - ls/2``: the loss is smallest at that probability
    instead of at 1, and its minimum is the entropy of the smoothed target instead of 0.
    """
    p = np.linspace(0.5, 1.0 - EPSILON, 2001)
    colors = [COLORS["loss"], COLORS["predicted"], COLORS["true"]]
    with styled():
        figure, ax = new_figure()
        for smoothing, color in zip(smoothings, colors):
            loss = binary_crossentropy(
                np.ones((p.size, 1)), p[:, np.newaxis], label_smoothing=smoothing
            )
            target = np.asarray(smooth_labels([1.0, 0.0], smoothing, 2))  # (1 - ls/2, ls/2)
            ax.plot(p, loss, color=color, label=rf"$\varepsilon$ = {smoothing:g}")
            ax.scatter([target[0]], [entropy(target)], color=color, zorder=3)
        ax.set(
            xlabel="predicted probability of the positive class",
            ylabel="binary cross-entropy (nats)",
            xlim=(0.5, 1.0),
            ylim=(0, 0.75),
        )
        ax.legend(loc="lower left", title="label_smoothing")
    return figure


def focal_loss_figure(gammas: tuple[float, ...] = (0.0, 1.0, 2.0, 5.0)) -> Figure:
    """Binary focal cross-entropy against the probability of the true class, for several ``gamma``.

    ``gamma = 0`` is the plain cross-entropy ``-log p_t``; larger ``gamma`` multiplies it by
    ``(1 - p_t)^gamma``, which keeps most of the loss of hard examples (small ``p_t``; still
    59 % at ``p_t = 0.1`` for ``gamma = 5``) and all but silences easy ones.
    """
    p_t = np.linspace(0.01, 1.0 - EPSILON, 1000)
    colors = [COLORS["loss"], COLORS["light"], COLORS["predicted"], COLORS["true"]]
    with styled():
        figure, ax = new_figure()
        for gamma, color in zip(gammas, colors):
            loss = binary_focal_crossentropy(
                np.ones((p_t.size, 1)), p_t[:, np.newaxis], gamma=gamma
            )
            ax.plot(
                p_t,
                loss,
                color=color,
                label=rf"$\gamma = {gamma:g}$" + (" (cross-entropy)" if gamma == 0 else ""),
            )
        ax.axvspan(0.6, 1.0, color=COLORS["reference"], alpha=0.08, linewidth=0)
        ax.annotate("well-classified\nexamples", (0.8, 1.6), ha="center", color=COLORS["reference"])
        ax.set(
            xlabel=r"probability of the true class, $p_t$",
            ylabel="loss (nats)",
            xlim=(0, 1),
            ylim=(0, 4),
        )
        ax.legend(loc="upper right")
    return figure
