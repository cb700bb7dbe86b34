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
        figure, ax = new_figure(height=3.2)
        ax.plot(z, sigmoid(z), color=COLORS["loss"])
        ax.axhline(0.5, color=COLORS["reference"], linestyle=":", linewidth=1)
        ax.scatter([0.0], [0.5], color=COLORS["reference"], zorder=3)
        ax.annotate(
            "σ(0) = 1/2",
            (0.0, 0.5),
            xytext=(10, -14),
            textcoords="offset points",
            color=COLORS["reference"],
        )
        ax.set(xlabel="logit z (log-odds)", ylabel="probability σ(z)", ylim=(-0.02, 1.02))
    return figure


def true_class_loss_figure() -> Figure:
    """The loss −log p against the probability p the model gives to the true class.

    The right panel puts p on a logarithmic axis, where −log p is a straight line: each
    factor of 10 taken away from p adds the same ln 10 ≈ 2.3 nats, logarithmic growth.
    """
    p = np.logspace(-6, 0, 601)
    loss = surprisal(p)
    with styled():
        figure, (linear, logarithmic) = new_figure(2, width=6.4, height=3.3, sharey=True)
        for ax in (linear, logarithmic):
            ax.plot(p, loss, color=COLORS["loss"])
            ax.set_xlabel("probability of the true class, p")
        linear.set_xlim(0, 1)
        linear.set_ylabel("loss −log p (nats)")
        logarithmic.set_xscale("log")
        logarithmic.set_xlim(1e-6, 1)
        decades = np.array([1e-6, 1e-4, 1e-2, 1.0])
        logarithmic.scatter(
            decades, surprisal(decades), color=COLORS["reference"], zorder=3, clip_on=False
        )
        step = surprisal(1e-2)
        logarithmic.annotate(
            f"+{step:.1f} nats for each\nfactor of 100 off p",
            (1e-3, step * 1.5),
            xytext=(6, 6),
            textcoords="offset points",
            color=COLORS["reference"],
        )
        figure.set_layout_engine("constrained", wspace=0.08)
    return figure


def loss_by_label_figure() -> Figure:
    """Log loss of one sample against the predicted probability p̂ of class 1, for each label.

    For y = 1 (vermillion) the loss is −log p̂; for y = 0 (green) it is −log(1 − p̂).
    """
    p_hat = np.linspace(0.001, 0.999, 999)
    with styled():
        figure, ax = new_figure()
        ax.plot(p_hat, surprisal(p_hat), color=COLORS["true"], label="y = 1: −log p̂")
        ax.plot(
            p_hat,
            surprisal(1 - p_hat),
            color=COLORS["negative"],
            linestyle="--",
            label="y = 0: −log(1 − p̂)",
        )
        ax.set(
            xlabel="predicted probability of class 1, p̂",
            ylabel="log loss of one sample (nats)",
            xlim=(0, 1),
            ylim=(0, 7),
        )
        ax.legend(loc="upper center")
    return figure


LOSS_STYLES = {
    "cross_entropy": {"color": COLORS["loss"], "label": "cross-entropy"},
    "squared_error": {"color": COLORS["alternative"], "label": "squared error", "linestyle": "--"},
}
"""How each training loss is drawn, in every figure that compares them."""


def logit_gradient_figure() -> Figure:
    """How hard each loss pushes on a sample's logit, against how wrong the prediction is.

    For a sample with label 1 predicted with probability p̂, the error is 1 − p̂ and the
    push is |∂ℓ/∂z| from :func:`xent.training.logit_gradient`: equal to the error for
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
        ax.annotate("confidently\nwrong", (0.95, 0.5), ha="center", color=COLORS["reference"])
        ax.set(
            xlabel="error of the prediction, |p̂ − y|",
            ylabel="gradient on the logit, |∂ℓ/∂z|",
            xlim=(0, 1),
        )
        ax.legend(loc="upper left")
    return figure


def training_curves_figure(
    histories: Mapping[str, TrainingHistory], *, max_step: int | None = None
) -> Figure:
    """Training log loss (left) and accuracy (right) per gradient-descent step, one line per loss.

    ``histories`` maps a legend label to the :class:`~xent.training.TrainingHistory` of a run;
    lines are styled by the loss each run minimised. The step axis is linear, from step 0
    to ``max_step`` (by default the longest run).
    """
    with styled():
        figure, (loss_ax, accuracy_ax) = new_figure(2, width=6.4, height=3.6)
        longest = 0
        for label, history in histories.items():
            steps = np.arange(history.log_loss.size)
            longest = max(longest, int(steps[-1]))
            style = {**LOSS_STYLES[history.loss], "label": label}
            loss_ax.plot(steps, history.log_loss, **style)
            accuracy_ax.plot(steps, history.accuracy, **style)
        loss_ax.set_ylabel("training log loss (nats)")
        accuracy_ax.set_ylabel("training accuracy")
        for ax in (loss_ax, accuracy_ax):
            ax.set_xlabel("gradient-descent step")
            ax.set_xlim(0, max_step if max_step is not None else longest)
        figure.legend(*loss_ax.get_legend_handles_labels(), loc="outside lower center", ncols=2)
    return figure
