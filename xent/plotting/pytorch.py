"""Figures of the PyTorch chapter: the softmax-twice bug in training, and what pos_weight does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FormatStrFormatter
from numpy.typing import ArrayLike

from xent.logistic import logit
from xent.plotting.style import COLORS, new_figure, styled
from xent.torch_losses import binary_cross_entropy_with_logits

__all__ = ["pos_weight_figure", "softmax_twice_figure"]


def softmax_twice_figure(histories: Mapping[str, ArrayLike]) -> Figure:
    """The cross-entropy of a model during training, one line per way of computing its loss.

    ``histories`` maps a label (the first one is drawn solid, the others dashed) to the loss
    after each gradient step, measured the same way for all (from the logits), so the lines
    compare how fast each loss *trains* the model, not the losses they optimise. The loss
    axis is logarithmic.
    """
    styles = [(COLORS["loss"], "-"), (COLORS["alternative"], "--"), (COLORS["predicted"], ":")]
    with styled():
        figure, ax = new_figure()
        for (label, history), (color, linestyle) in zip(histories.items(), styles):
            losses = np.asarray(history, dtype=float)
            steps = np.arange(losses.size)
            ax.plot(steps, losses, color=color, linestyle=linestyle, label=label)
        # above the axes, where no curve goes (an overshoot can reach any corner)
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), borderaxespad=0.2)
        ax.set_yscale("log")  # (an overshoot of several nats and a tail of hundredths both show)
        ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))  # 0.1, 1, 10
        ax.set(
            xlabel="gradient step",
            ylabel="loss from the logits (nats)",
            xlim=(0, None),
        )
    return figure


def pos_weight_figure(
    base_rate: float = 0.1, pos_weights: Sequence[float] = (1.0, 3.0, 9.0)
) -> Figure:
    """The mean ``binary_cross_entropy_with_logits`` of a constant prediction, for several
    ``pos_weight`` values, with each curve's minimum marked.

    The data have a fraction ``base_rate`` of positives. Without ``pos_weight`` the loss is
    smallest at the base rate; ``pos_weight = ρ`` counts each positive ρ times, which moves
    the minimum to ``ρπ / (ρπ + 1 - π)`` (0.5 for ``ρ = (1 - π) / π``).
    """
    p = np.linspace(0.005, 0.995, 991)
    z = np.asarray(logit(p))[:, np.newaxis].repeat(2, axis=1)  # each p against y = 1 and y = 0
    targets = np.broadcast_to([1.0, 0.0], z.shape)
    shares = np.broadcast_to([base_rate, 1.0 - base_rate], z.shape)  # how often each label is
    colors = [COLORS["loss"], COLORS["predicted"], COLORS["true"]]
    with styled():
        figure, ax = new_figure()
        for rho, color in zip(pos_weights, colors):
            losses = binary_cross_entropy_with_logits(
                z, targets, weight=shares, pos_weight=[rho, 1.0], reduction="none"
            )
            mean = np.asarray(losses).sum(axis=1)
            best = int(np.argmin(mean))
            ax.plot(p, mean, color=color, label=f"pos_weight = {rho:g}")
            ax.scatter([p[best]], [mean[best]], color=color, zorder=3)
        ax.legend(loc="upper center")  # (the curves cross too often for labels on them)
        ax.axvline(base_rate, color=COLORS["reference"], linestyle=":", linewidth=1)
        ax.annotate(
            f"base rate {base_rate:g}",
            (base_rate, 0.05),
            xytext=(4, 0),
            textcoords="offset points",
            va="bottom",
            color=COLORS["reference"],
        )
        ax.set(
            xlabel=r"constant predicted probability $\hat p$",
            ylabel="mean weighted loss (nats)",
            xlim=(0, 1),
            ylim=(0, 2.5),
        )
    return figure
