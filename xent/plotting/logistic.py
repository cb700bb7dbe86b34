"""Figures of the log-loss chapter: the sigmoid, the true-class loss, gradients, training."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from xent.information import surprisal
from xent.logistic import logit, sigmoid
from xent.plotting.style import COLORS, new_figure, styled
from xent.training import TrainingHistory, logit_gradient

__all__ = [
    "logit_gradient_figure",
    "loss_by_label_figure",
    "sigmoid_figure",
    "training_curves_figure",
    "true_class_loss_figure",
]


def sigmoid_figure() -> Figure:
    """The sigmoid σ(z) against the logit z, with σ(0) = 1/2 marked."""
    z = np.linspace(-8, 8, 401)
    with styled():
        figure, ax = new_figure()
        ax.plot(z, sigmoid(z), color=COLORS["loss"])
        ax.axhline(0.5, color=COLORS["reference"], linestyle=":", linewidth=1)
        ax.scatter([0.0], [0.5], color=COLORS["reference"], zorder=3)
        ax.annotate(
            r"$\sigma(0) = 1/2$",
            (0.0, 0.5),
            xytext=(12, -16),
            textcoords="offset points",
            color=COLORS["reference"],
        )
        ax.set(
            xlabel=r"logit $z$ (log-odds)",
            ylabel=r"probability $\sigma(z)$",
            ylim=(-0.02, 1.02),
        )
    return figure


def true_class_loss_figure() -> Figure:
    """The loss −log p against the probability p of the true class, on a logarithmic p axis.

    (The same curve on a linear axis is the surprisal curve of the entropy chapter,
    :func:`surprisal_figure`.) On a logarithmic axis −log p is a straight line: each factor
    of 10 taken away from p adds the same ln 10 ≈ 2.3 nats, marked at every decade.
    """
    p = np.logspace(-6, 0, 601)
    with styled():
        figure, ax = new_figure()
        ax.plot(p, surprisal(p), color=COLORS["loss"])
        ax.set_xscale("log")
        ax.set(
            xlabel=r"probability of the true class, $p$",
            ylabel=r"loss $-\log p$ (nats)",
            xlim=(1e-6, 1),
            ylim=(0, 15),
        )
        decades = np.logspace(-6, 0, 7)
        ax.scatter(decades, surprisal(decades), color=COLORS["reference"], zorder=3, clip_on=False)
        step = surprisal(0.1)
        ax.annotate(
            f"+{step:.1f} nats for each\nfactor of 10 off $p$",
            (0.97, 0.95),
            xycoords="axes fraction",
            ha="right",
            va="top",
            color=COLORS["reference"],
        )
    return figure


def loss_by_label_figure() -> Figure:
    """Log loss of one sample against the predicted probability p̂ of class 1, for each label.

    For y = 1 (vermillion) the loss is −log p̂; for y = 0 (bluish green, dashed) it is
    −log(1 − p̂). Each curve is labelled where it rises.
    """
    p_hat = np.linspace(0.001, 0.999, 999)
    with styled():
        figure, ax = new_figure()
        ax.plot(p_hat, surprisal(p_hat), color=COLORS["true"])
        ax.plot(p_hat, surprisal(1 - p_hat), color=COLORS["negative"], linestyle="--")
        ax.text(0.07, 5.6, r"$y = 1$: $-\log \hat p$", color=COLORS["true"])
        ax.text(0.93, 5.6, r"$y = 0$: $-\log(1 - \hat p)$", color=COLORS["negative"], ha="right")
        ax.set(
            xlabel=r"predicted probability of class 1, $\hat p$",
            ylabel="log loss of one sample (nats)",
            xlim=(0, 1),
            ylim=(0, 7),
        )
    return figure


LOSS_STYLES = {
    "cross_entropy": {"color": COLORS["loss"], "label": "cross-entropy"},
    "squared_error": {"color": COLORS["alternative"], "label": "squared error", "linestyle": "--"},
}
"""How each training loss is drawn, in every figure that compares them."""


def logit_gradient_figure() -> Figure:
    """How hard each loss pushes on a sample's logit, against how wrong the prediction is.

    For a sample with label 1 predicted with probability p̂, the error is 1 − p̂ and the
    push is ``|∂ℓ/∂z|`` from :func:`xent.training.logit_gradient`: equal to the error for
    cross-entropy, but vanishing for squared error as the error approaches 1.
    """
    error = np.linspace(0.0, 0.999, 500)
    logits = np.asarray(logit(1.0 - error)).clip(-50, 50)  # p̂ = 1 − error for the label y = 1
    with styled():
        figure, ax = new_figure()
        for loss, style in LOSS_STYLES.items():
            push = np.abs(logit_gradient(np.ones_like(error), logits, loss=loss))  # type: ignore[arg-type]
            ax.plot(error, push, **style)
        ax.axvspan(0.9, 1.0, color=COLORS["reference"], alpha=0.08, linewidth=0)
        ax.text(
            0.95,
            0.5,
            "confidently wrong",
            rotation=90,
            ha="center",
            va="center",
            color=COLORS["reference"],
        )
        ax.set(
            xlabel=r"error of the prediction, $|\hat p - y|$",
            ylabel=r"push on the logit, $|\partial\ell / \partial z|$",
            xlim=(0, 1),
        )
        ax.legend(loc="upper left")
    return figure


def training_curves_figure(
    histories: Mapping[str, TrainingHistory], *, max_step: int | None = None
) -> Figure:
    """Training log loss (top) and accuracy (bottom) per gradient-descent step, one line per loss.

    ``histories`` maps a legend label to the :class:`~xent.training.TrainingHistory` of a run;
    lines are styled by the loss each run minimised. The step axis is linear, from step 0
    to ``max_step`` (by default the longest run).
    """
    with styled():
        # One column, so that the text stays legible when a phone shows the figure 342 px wide.
        figure, (loss_ax, accuracy_ax) = new_figure(nrows=2, width=5.0, height=5.6, sharex=True)
        longest = 0
        for label, history in histories.items():
            steps = np.arange(history.log_loss.size)
            longest = max(longest, int(steps[-1]))
            style = {**LOSS_STYLES[history.loss], "label": label}
            loss_ax.plot(steps, history.log_loss, **style)
            accuracy_ax.plot(steps, history.accuracy, **style)
        loss_ax.set_ylabel("training log loss (nats)")
        accuracy_ax.set_ylabel("training accuracy")
        accuracy_ax.set_xlabel("gradient-descent step")
        loss_ax.set_xlim(0, max_step if max_step is not None else longest)
        figure.legend(*loss_ax.get_legend_handles_labels(), loc="outside lower center", ncols=2)
    return figure
