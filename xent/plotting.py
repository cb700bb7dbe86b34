"""Every figure in the book, drawn in one shared style.

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
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from xent.distributions import discretized_normal
from xent.information import cross_entropy, entropy, surprisal
from xent.keras_losses import (
    EPSILON,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    smooth_labels,
)
from xent.logistic import logit, sigmoid, softmax
from xent.training import TrainingHistory, logit_gradient

__all__ = [
    "COLORS",
    "STYLE",
    "benchmark_figure",
    "binary_entropy_figure",
    "cross_entropy_contributions_figure",
    "cross_entropy_landscape_figure",
    "entropy_bars_figure",
    "focal_loss_figure",
    "from_logits_figure",
    "label_smoothing_figure",
    "logit_gradient_figure",
    "loss_by_label_figure",
    "sample_estimate_figure",
    "sigmoid_figure",
    "surprisal_figure",
    "training_curves_figure",
    "true_class_loss_figure",
]

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

STYLE: dict[str, Any] = {
    "figure.figsize": (5.6, 3.5),
    "figure.dpi": 120,
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
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "font.family": "DejaVu Sans",
    "font.size": 10.5,
    "legend.frameon": False,
    "legend.fontsize": 10,
    "lines.linewidth": 2.0,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
}
"""The shared matplotlib settings, applied only while a figure of this module is drawn."""


@contextmanager
def _styled() -> Iterator[None]:
    """Apply :data:`STYLE` while a figure is built, leaving the caller's settings alone."""
    with plt.rc_context(STYLE):  # type: ignore[arg-type]  # (typed for literal keys only)
        yield


def _figure(
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


def surprisal_figure() -> Figure:
    """Surprisal ``-log2 p`` in bits against the probability ``p`` of an outcome.

    Marks p = 1/2, 1/4 and 1/8, whose surprisals are 1, 2 and 3 bits.
    """
    p = np.linspace(0.005, 1.0, 400)
    with _styled():
        figure, ax = _figure()
        ax.plot(p, surprisal(p, base=2), color=COLORS["loss"])
        marked = np.array([1 / 2, 1 / 4, 1 / 8])
        bits = np.asarray(surprisal(marked, base=2))
        ax.scatter(marked, bits, color=COLORS["reference"], zorder=3)
        for x, y in zip(marked, bits):
            ax.annotate(
                f"p = 1/{round(1 / x)}: {y:.0f} bit{'s' if y > 1 else ''}",
                (x, y),
                xytext=(8, 6),
                textcoords="offset points",
                color=COLORS["reference"],
            )
        ax.set(
            xlabel="probability of the outcome, p",
            ylabel="surprisal, −log₂ p (bits)",
            xlim=(0, 1.02),
            ylim=(0, 8),
        )
    return figure


def binary_entropy_figure() -> Figure:
    """Entropy in bits of a coin that lands heads with probability ``p``.

    The curve is ``H(p) = -p log2 p - (1 - p) log2 (1 - p)``, computed by :func:`xent.entropy`;
    its maximum, 1 bit at p = 0.5, is marked.
    """
    p = np.linspace(0.0, 1.0, 401)
    h = entropy(np.column_stack([p, 1.0 - p]), base=2)
    peak = entropy([0.5, 0.5], base=2)
    with _styled():
        figure, ax = _figure()
        ax.plot(p, h, color=COLORS["loss"])
        ax.scatter([0.5], [peak], color=COLORS["reference"], zorder=3)
        ax.annotate(
            f"maximum {peak:.0f} bit at p = 0.5",
            (0.5, peak),
            xytext=(0, -28),
            textcoords="offset points",
            ha="center",
            color=COLORS["reference"],
        )
        ax.set(
            xlabel="probability of heads, p",
            ylabel="entropy H(p) (bits)",
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
    with _styled():
        figure, axes = _figure(len(distributions), width=6.4, height=3.0, sharey=True)
        for ax, (name, p) in zip(np.atleast_1d(axes), distributions.items()):
            values = np.asarray(p, dtype=float)
            outcomes = np.arange(1, values.size + 1)
            ax.bar(outcomes, values, color=COLORS["true"], width=0.7)
            ax.set_title(f"{name}\nH = {entropy(values, base=base):.3f} {unit}")
            ax.set_xticks(outcomes)
            ax.set_xlabel("outcome")
            ax.grid(axis="x", visible=False)
        first: Axes = np.atleast_1d(axes)[0]
        first.set_ylabel("probability")
        first.set_ylim(0, 1.05)
    return figure


def cross_entropy_contributions_figure(outcomes: ArrayLike, p: ArrayLike, q: ArrayLike) -> Figure:
    """The true distribution p, a prediction q, and each outcome's share of H(p, q).

    Top: p (vermillion) and q (orange, dashed). Bottom: the pointwise contribution
    ``-p log q`` (blue), whose sum is the cross-entropy, beside ``-p log p`` (sky blue,
    dashed), whose sum is the entropy; the legend gives both sums.
    """
    x = np.asarray(outcomes, dtype=float)
    p_arr, q_arr = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    total, floor = cross_entropy(p_arr, q_arr), entropy(p_arr)
    with _styled():
        figure, (top, bottom) = _figure(nrows=2, height=4.6, sharex=True)
        top.plot(x, p_arr, color=COLORS["true"], label="true distribution p")
        top.plot(x, q_arr, color=COLORS["predicted"], linestyle="--", label="prediction q")
        top.set_ylabel("probability")
        top.legend(loc="upper right")
        share, own_share = p_arr * surprisal(q_arr), p_arr * surprisal(p_arr)
        bottom.fill_between(x, share, color=COLORS["loss"], alpha=0.25, linewidth=0)
        bottom.plot(x, share, color=COLORS["loss"], label=f"−p log q, sum H(p, q) = {total:.3f}")
        bottom.plot(
            x,
            own_share,
            color=COLORS["light"],
            linestyle="--",
            label=f"−p log p, sum H(p) = {floor:.3f}",
        )
        bottom.set_ylabel("contribution (nats)")
        bottom.set_xlabel("outcome")
        bottom.legend(loc="upper right", fontsize=9)
    return figure


def cross_entropy_landscape_figure(outcomes: ArrayLike, mean: float, sd: float) -> Figure:
    """Cross-entropy H(p, q) as the prediction q moves away from p, and its minimum H(p) at q = p.

    p is :func:`xent.distributions.discretized_normal` with the given ``mean`` and ``sd``;
    q has the same shape, shifted (left panel) or widened and narrowed (right panel).
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
            "shift of q's centre from p's",
        ),
        (
            widths,
            [cross_entropy(p, discretized_normal(x, mean, w)) for w in widths],
            sd,
            "width (standard deviation) of q",
        ),
    ]
    with _styled():
        figure, axes = _figure(2, width=6.4, height=3.3, sharey=True)
        for ax, (grid, values, at_p, label) in zip(axes, panels):
            ax.plot(grid, values, color=COLORS["loss"], label="H(p, q)")
            ax.axhline(
                floor,
                color=COLORS["reference"],
                linestyle=":",
                linewidth=1.2,
                label=f"H(p) = {floor:.3f} nats",
            )
            ax.scatter([at_p], [floor], color=COLORS["true"], zorder=3, label="q = p")
            ax.set_xlabel(label)
        axes[0].set_ylabel("cross-entropy H(p, q) (nats)")
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
    with _styled():
        figure, ax = _figure()
        for run in range(runs):
            draws = rng.choice(p_arr.size, size=n_samples, p=p_arr)
            running_mean = np.cumsum(surprisal(q_arr[draws])) / sizes
            ax.plot(
                sizes,
                running_mean,
                color=COLORS["light"],
                linewidth=1.2,
                label="estimate from samples of p" if run == 0 else None,
            )
        ax.axhline(
            exact,
            color=COLORS["loss"],
            linestyle=":",
            linewidth=2,
            label=f"exact H(p, q) = {exact:.3f} nats",
        )
        ax.set_xscale("log")
        ax.set(xlabel="number of samples drawn from p", ylabel="average of −log q(x) (nats)")
        ax.legend(loc="upper right")
    return figure


def sigmoid_figure() -> Figure:
    """The sigmoid σ(z) against the logit z, with σ(0) = 1/2 marked."""
    z = np.linspace(-8, 8, 401)
    with _styled():
        figure, ax = _figure(height=3.2)
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
    with _styled():
        figure, (linear, logarithmic) = _figure(2, width=6.4, height=3.3, sharey=True)
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
    with _styled():
        figure, ax = _figure()
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
    with _styled():
        figure, ax = _figure()
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


def training_curves_figure(histories: Mapping[str, TrainingHistory]) -> Figure:
    """Training log loss (left) and accuracy (right) per gradient-descent step, one line per loss.

    ``histories`` maps a legend label to the :class:`~xent.training.TrainingHistory` of a run;
    lines are styled by the loss each run minimised.
    """
    with _styled():
        figure, (loss_ax, accuracy_ax) = _figure(2, width=6.4, height=3.6)
        for label, history in histories.items():
            steps = np.arange(history.log_loss.size)
            style = {**LOSS_STYLES[history.loss], "label": label}
            loss_ax.plot(steps, history.log_loss, **style)
            accuracy_ax.plot(steps, history.accuracy, **style)
        loss_ax.set_ylabel("training log loss (nats)")
        accuracy_ax.set_ylabel("training accuracy")
        for ax in (loss_ax, accuracy_ax):
            ax.set_xlabel("gradient-descent step")
            ax.set_xscale("symlog", linthresh=10)
        figure.legend(*loss_ax.get_legend_handles_labels(), loc="outside lower center", ncols=2)
    return figure


def from_logits_figure() -> Figure:
    """Categorical cross-entropy of a confidently wrong prediction, from logits and from probabilities.

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
    with _styled():
        figure, ax = _figure()
        ax.plot(margins, stable, color=COLORS["loss"], label="from_logits=True (log-softmax)")
        ax.plot(
            margins,
            naive,
            color=COLORS["alternative"],
            linestyle="--",
            label="softmax first, then the loss (clipped)",
        )
        ax.axhline(surprisal(EPSILON), color=COLORS["reference"], linestyle=":", linewidth=1)
        ax.annotate(
            f"−log(1e-7) = {-np.log(EPSILON):.2f}",
            (40, -np.log(EPSILON)),
            xytext=(0, -16),
            textcoords="offset points",
            ha="right",
            color=COLORS["reference"],
        )
        ax.set(
            xlabel="logit of the wrong class minus logit of the true class",
            ylabel="categorical cross-entropy (nats)",
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
    with _styled():
        figure, ax = _figure()
        for smoothing, color in zip(smoothings, colors):
            loss = binary_crossentropy(
                np.ones((p.size, 1)), p[:, np.newaxis], label_smoothing=smoothing
            )
            target = np.asarray(smooth_labels([1.0, 0.0], smoothing, 2))  # (1 - ls/2, ls/2)
            ax.plot(p, loss, color=color, label=f"label_smoothing = {smoothing:g}")
            ax.scatter([target[0]], [entropy(target)], color=color, zorder=3)
        ax.set(
            xlabel="predicted probability of the positive class",
            ylabel="binary cross-entropy (nats)",
            xlim=(0.5, 1.0),
            ylim=(0, 0.75),
        )
        ax.legend(loc="upper right")
    return figure


def focal_loss_figure(gammas: tuple[float, ...] = (0.0, 1.0, 2.0, 5.0)) -> Figure:
    """Binary focal cross-entropy against the probability of the true class, for several ``gamma``.

    ``gamma = 0`` is the plain cross-entropy ``-log p_t``; larger ``gamma`` multiplies it by
    ``(1 - p_t)^gamma``, which barely touches hard examples (small ``p_t``) and all but
    silences easy ones.
    """
    p_t = np.linspace(0.01, 1.0 - EPSILON, 1000)
    colors = [COLORS["loss"], COLORS["light"], COLORS["predicted"], COLORS["true"]]
    with _styled():
        figure, ax = _figure()
        for gamma, color in zip(gammas, colors):
            loss = binary_focal_crossentropy(
                np.ones((p_t.size, 1)), p_t[:, np.newaxis], gamma=gamma
            )
            ax.plot(
                p_t,
                loss,
                color=color,
                label=f"γ = {gamma:g}" + (" (cross-entropy)" if gamma == 0 else ""),
            )
        ax.axvspan(0.6, 1.0, color=COLORS["reference"], alpha=0.08, linewidth=0)
        ax.annotate("well-classified\nexamples", (0.8, 1.6), ha="center", color=COLORS["reference"])
        ax.set(
            xlabel="probability of the true class, p_t",
            ylabel="loss (nats)",
            xlim=(0, 1),
            ylim=(0, 4),
        )
        ax.legend(loc="upper right")
    return figure


IMPLEMENTATION_COLORS = {
    "xent": COLORS["loss"],
    "naive NumPy": COLORS["true"],
    "SciPy log_softmax": COLORS["negative"],
    "scikit-learn log_loss": COLORS["predicted"],
    "Keras 3 (JAX, float32)": COLORS["alternative"],
    "PyTorch (CPU)": COLORS["light"],
}
"""One colour per implementation in the benchmark figure."""


def benchmark_figure(results: Mapping[str, Any]) -> Figure:
    """Times from ``python -m xent.bench`` as multiples of one ``np.exp`` pass over the input.

    One row per benchmark case, one marker per implementation, on a logarithmic axis; the
    dotted line at 1 is the ``np.exp`` floor, and a grey bar marks each case's ``np.sum``
    floor (the memory-bandwidth cost of reading the input once).
    """
    cases = list(results["cases"])
    labels = [f"{c['case']}\n{' × '.join(f'{n:,}' for n in c['shape'])}" for c in cases]
    seen: dict[str, Any] = {}
    with _styled():
        figure, ax = _figure(width=6.4, height=0.8 * len(cases) + 1.8)
        for row, case in enumerate(cases):
            floor = case["floors_ms"]["exp"]
            ax.plot(
                [case["floors_ms"]["sum"] / floor] * 2,
                [row - 0.3, row + 0.3],
                color=COLORS["reference"],
                linewidth=3,
                alpha=0.35,
                label=None if "floor" in seen else "one np.sum pass",
            )
            seen["floor"] = True
            for result in case["results"]:
                name = result["implementation"]
                marker = ax.scatter(
                    result["median_ms"] / floor,
                    row,
                    s=46,
                    zorder=3,
                    color=IMPLEMENTATION_COLORS.get(name, COLORS["reference"]),
                    marker="D" if name == "xent" else "o",
                    label=None if name in seen else name,
                )
                seen[name] = marker
        ax.axvline(1.0, color=COLORS["reference"], linestyle=":", linewidth=1.2)
        ax.set_xscale("log")
        ax.set_yticks(range(len(cases)), labels)
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("median time ÷ time of one np.exp pass over the same input (log scale)")
        figure.legend(loc="outside lower center", ncols=3)
    return figure
