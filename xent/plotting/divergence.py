r"""Figures of the chapter on KL both ways, mutual information, InfoNCE and distillation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from xent.distributions import discretized_normal
from xent.divergence import NormalFit, distillation_gradient
from xent.information import kl_divergence
from xent.multiclass import softmax_with_temperature
from xent.mutual_information import conditional_entropy, joint_entropy, mutual_information
from xent.plotting.style import COLORS, new_figure, styled

FloatArray = NDArray[np.float64]

__all__ = [
    "distillation_figure",
    "improper_loss_figure",
    "info_nce_figure",
    "information_bars_figure",
    "kl_fits_figure",
]


def _profiles(
    x: FloatArray, p: FloatArray, means: FloatArray, sds: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """For each mean, the smallest forward and reverse KL over the standard deviations."""
    grid_means, grid_sds = (a.ravel() for a in np.meshgrid(means, sds, indexing="ij"))
    q = np.array([discretized_normal(x, m, s) for m, s in zip(grid_means, grid_sds)])
    target = np.broadcast_to(p, q.shape)
    shape = (means.size, sds.size)
    forward = np.asarray(kl_divergence(target, q)).reshape(shape).min(axis=1)
    reverse = np.asarray(kl_divergence(q, target)).reshape(shape).min(axis=1)
    return forward, reverse


def kl_fits_figure(
    outcomes: ArrayLike, p: ArrayLike, forward: NormalFit, reverse: NormalFit
) -> Figure:
    r"""A bimodal target and its best normal fits by forward and by reverse KL.

    Top: the target ``p`` (vermillion), the forward fit (orange, dashed) and the reverse fit
    (reddish purple), as probabilities per outcome, each labelled on the curve. Bottom: for
    each mean :math:`\mu`, the smallest divergence over :math:`\sigma` in each direction,
    computed with :func:`xent.kl_divergence` on 31 standard deviations from 0.3 to 4: the
    forward one has a single minimum, between the modes; the reverse one a minimum at each
    mode. The fits are marked with dots.
    """
    x = np.asarray(outcomes, dtype=float)
    target = np.asarray(p, dtype=float)
    means = np.linspace(-6.0, 6.0, 73)
    forward_profile, reverse_profile = _profiles(x, target, means, np.geomspace(0.3, 4.0, 31))
    forward_q = discretized_normal(x, forward.mean, forward.sd)
    reverse_q = discretized_normal(x, reverse.mean, reverse.sd)
    with styled():
        figure, (top, bottom) = new_figure(nrows=2, height=6.4)
        top.plot(x, target, color=COLORS["true"])
        top.plot(x, forward_q, color=COLORS["predicted"], linestyle="--")
        top.plot(x, reverse_q, color=COLORS["alternative"])
        peak = target.max()
        top.annotate("target $p$", (x[np.argmax(target)], peak), xytext=(-22, 0),
                     textcoords="offset points", ha="right", color=COLORS["true"])
        top.annotate("forward:\ncovers", (forward.mean + 1.2 * forward.sd, forward_q.max() * 0.75),
                     xytext=(6, 0), textcoords="offset points", color=COLORS["predicted"])
        top.annotate("reverse:\nseeks", (reverse.mean - reverse.sd, reverse_q.max() * 0.9),
                     xytext=(-8, 0), textcoords="offset points", ha="right",
                     color=COLORS["alternative"])
        top.set(xlim=(-7, 7), ylim=(0, reverse_q.max() * 1.15), xlabel="outcome $x$",
                ylabel="probability")
        bottom.plot(means, forward_profile, color=COLORS["predicted"], linestyle="--",
                    label=r"forward $\mathrm{KL}(p \,\|\, q)$")
        bottom.plot(means, reverse_profile, color=COLORS["alternative"],
                    label=r"reverse $\mathrm{KL}(q \,\|\, p)$")
        bottom.scatter([forward.mean], [forward.divergence], color=COLORS["predicted"], zorder=3)
        bottom.scatter([reverse.mean], [reverse.divergence], color=COLORS["alternative"], zorder=3)
        bottom.set(xlim=(-7, 7), ylim=(0, 3.0), xlabel=r"mean $\mu$ of the normal $q$",
                   ylabel=r"smallest KL over $\sigma$ (nats)")
        bottom.legend(loc="upper center", ncols=1)
    return figure


def information_bars_figure(joint: ArrayLike, names: tuple[str, str] = ("X", "Y")) -> Figure:
    r"""The entropies of a two-variable joint table as bars drawn to scale (MacKay's diagram).

    Top: :math:`\H(X, Y)`. Middle: :math:`\H(X)`, split into :math:`\H(X \mid Y)` and
    :math:`I(X; Y)`. Bottom: :math:`\H(Y)`, split into :math:`I(X; Y)` and
    :math:`\H(Y \mid X)`, aligned so that the two :math:`I` segments coincide and the bottom
    bar ends where the top one does. Every length is a value computed by
    :mod:`xent.mutual_information`, in bits. A segment shorter than 30% of the top bar is
    labelled beside its bar, in its colour.
    """
    table = np.asarray(joint, dtype=float)
    a, b = names
    h_xy = joint_entropy(table, base=2)
    h_x_given_y = conditional_entropy(table, given=1, base=2)
    h_y_given_x = conditional_entropy(table, given=0, base=2)
    info = mutual_information(table, base=2)
    rows = [
        (2, [(0.0, h_xy, COLORS["reference"], rf"$\mathrm{{H}}({a}, {b})$")]),
        (1, [(0.0, h_x_given_y, COLORS["true"], rf"$\mathrm{{H}}({a} \mid {b})$"),
             (h_x_given_y, info, COLORS["loss"], rf"$I({a}; {b})$")]),
        (0, [(h_x_given_y, info, COLORS["loss"], rf"$I({a}; {b})$"),
             (h_x_given_y + info, h_y_given_x, COLORS["negative"],
              rf"$\mathrm{{H}}({b} \mid {a})$")]),
    ]
    with styled():
        figure, ax = new_figure(height=3.0)
        for y, segments in rows:
            for start, length, color, label in segments:
                ax.barh(y, length, left=start, height=0.62, color=color, edgecolor="white")
                text = f"{label}\n{length:.2f}"
                if length > 0.3 * h_xy:  # inside the bar
                    ax.text(start + length / 2, y, text, ha="center", va="center",
                            color="white", fontsize=11.5)
                elif y == 1:  # beside it, in the empty space to the right
                    ax.text(start + length + 0.02 * h_xy, y, text, ha="left", va="center",
                            color=color, fontsize=11.5)
                else:  # beside it, in the empty space to the left
                    ax.text(start - 0.02 * h_xy, y, text, ha="right", va="center",
                            color=color, fontsize=11.5)
        ax.set_yticks([2, 1, 0], [rf"$\mathrm{{H}}({a}, {b})$", rf"$\mathrm{{H}}({a})$",
                                  rf"$\mathrm{{H}}({b})$"])
        ax.set_xlabel("bits")
        ax.set_xlim(0, h_xy * 1.02)
        ax.grid(axis="y", visible=False)
    return figure


def info_nce_figure(
    batch_sizes: ArrayLike,
    bounds: Mapping[str, tuple[float, ArrayLike]],
) -> Figure:
    r"""The InfoNCE bound against the batch size, for data of known mutual information.

    ``bounds`` maps a label to ``(true_I, estimates)``, with ``estimates`` of shape
    ``(len(batch_sizes), repeats)``: one bound :math:`\log N - \mathcal{L}` per batch. Each
    setting is a line of the mean bound with bars of two standard errors, in its own colour,
    and its true :math:`I` a dotted line in that colour, labelled above on the left when
    it lies more than a nat above :math:`\log N` there, else below on the right;
    :math:`\log N`, the ceiling of every bound, is the dashed grey line. The batch size is
    on a base-2 logarithmic axis.
    """
    n = np.asarray(batch_sizes, dtype=float)
    colors = [COLORS["loss"], COLORS["alternative"], COLORS["negative"]]
    with styled():
        figure, ax = new_figure(height=3.8)
        ax.plot(n, np.log(n), color=COLORS["reference"], linestyle="--", linewidth=1.4)
        ax.annotate(r"$\log N$", (n[-1], np.log(n[-1])), xytext=(-4, 6),
                    textcoords="offset points", ha="right", color=COLORS["reference"])
        for color, (label, (true_i, estimates)) in zip(colors, bounds.items()):
            values = np.asarray(estimates, dtype=float)
            mean = values.mean(axis=1)
            error = 2 * values.std(axis=1, ddof=1) / np.sqrt(values.shape[1])
            ax.errorbar(n, mean, yerr=error, color=color, marker="o", markersize=4, capsize=2)
            ax.axhline(true_i, color=color, linestyle=":", linewidth=1.4)
            if true_i > np.log(n[0]) + 1.0:  # the curve stays far below: label above, left
                ax.annotate(f"{label}: true $I$ = {true_i:.2f}", (n[0], true_i),
                            xytext=(0, 5), textcoords="offset points", color=color)
            else:  # the curve reaches the line: label below, right
                ax.annotate(f"{label}: true $I$ = {true_i:.2f}", (n[-1], true_i),
                            xytext=(0, -8), textcoords="offset points", ha="right",
                            va="top", color=color)
        ax.set_xscale("log", base=2)
        ax.set(xlabel="batch size $N$", ylabel="nats",
               ylim=(0, max(true for true, _ in bounds.values()) * 1.25))
    return figure


def distillation_figure(
    teacher_logits: ArrayLike,
    student_logits: ArrayLike,
    temperatures: Sequence[float] = (1.0, 2.0, 4.0),
) -> Figure:
    r"""Softened teacher probabilities, and the size of the distillation gradient against T.

    Top: :math:`\operatorname{softmax}(t / T)` for each of ``temperatures``, as grouped bars
    (darker for colder). Bottom: the norm of the gradient with respect to the student's
    logits of :math:`\KL(p_T \| q_T)` (orange, falling like :math:`1/T^2`) and of
    :math:`T^2 \KL(p_T \| q_T)` (blue, levelling off), on logarithmic axes, with the
    high-temperature limit :math:`\lVert (s - \bar s) - (t - \bar t) \rVert / K` dotted.
    """
    t = np.asarray(teacher_logits, dtype=float)
    s = np.asarray(student_logits, dtype=float)
    k = t.size
    grid = np.geomspace(0.5, 64.0, 57)
    with_factor = np.array([np.linalg.norm(distillation_gradient(s, t, temp)) for temp in grid])
    without = with_factor / grid**2
    limit = np.linalg.norm((s - s.mean()) - (t - t.mean())) / k
    shades = [COLORS["loss"], COLORS["light"], "#B8DDF2"]
    with styled():
        figure, (top, bottom) = new_figure(nrows=2, height=6.2)
        width = 0.8 / len(temperatures)
        classes = np.arange(k)
        for i, temp in enumerate(temperatures):
            probabilities = softmax_with_temperature(t, temp)
            top.bar(classes + (i - (len(temperatures) - 1) / 2) * width, probabilities,
                    width=width, color=shades[i % len(shades)], label=f"$T$ = {temp:g}")
        top.set_xticks(classes, [f"{c + 1}" for c in classes])
        top.set(xlabel="class", ylabel="teacher's probability", ylim=(0, 1.0))
        top.grid(axis="x", visible=False)
        top.legend(loc="upper right")
        bottom.plot(grid, with_factor, color=COLORS["loss"])
        bottom.plot(grid, without, color=COLORS["predicted"], linestyle="--")
        bottom.axhline(limit, color=COLORS["reference"], linestyle=":", linewidth=1.2)
        bottom.annotate(r"$T^2\,\mathrm{KL}$", (grid[-1], with_factor[-1]), xytext=(0, 6),
                        textcoords="offset points", ha="right", va="bottom",
                        color=COLORS["loss"])
        bottom.annotate(r"$\mathrm{KL}$ alone", (grid[20], without[20]), xytext=(6, 0),
                        textcoords="offset points", color=COLORS["predicted"])
        bottom.set(xscale="log", yscale="log", xlabel="temperature $T$",
                   ylabel="gradient norm")
    return figure


def improper_loss_figure(
    pi: ArrayLike,
    minimisers: Mapping[str, ArrayLike],
    labels_at: Mapping[str, tuple[float, tuple[float, float]]],
) -> Figure:
    r"""The prediction that minimises each loss's expected value, against the true probability.

    ``minimisers`` maps a loss's name to :math:`q^*(\pi)` on the grid ``pi``; the first is
    drawn in blue, the next in reddish purple and bluish green. The diagonal
    :math:`q^* = \pi` (dotted) is where a proper loss lies, labelled near its lower end.
    Each curve is labelled at the point of the curve above the value of :math:`\pi` given
    in ``labels_at``, offset by the points given with it (right-aligned for a negative
    horizontal offset).
    """
    x = np.asarray(pi, dtype=float)
    colors = [COLORS["loss"], COLORS["alternative"], COLORS["negative"]]
    with styled():
        figure, ax = new_figure(height=4.2)
        ax.plot([0, 1], [0, 1], color=COLORS["reference"], linestyle=":", linewidth=1.2)
        ax.annotate("proper: $q^* = \\pi$", (0.1, 0.1), xytext=(6, -20),
                    textcoords="offset points", color=COLORS["reference"])
        for color, (name, values) in zip(colors, minimisers.items()):
            y = np.asarray(values, dtype=float)
            ax.plot(x, y, color=color)
            at, offset = labels_at[name]
            ax.annotate(name, (at, float(np.interp(at, x, y))), xytext=offset,
                        textcoords="offset points", ha="right" if offset[0] < 0 else "left",
                        color=color)
        ax.set(xlim=(0, 1), ylim=(0, 1), aspect="equal",
               xlabel=r"true probability $\pi$ of class 1",
               ylabel=r"best prediction $q^*$")
    return figure
