"""The figure of the benchmark appendix."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matplotlib.figure import Figure

from xent.plotting.style import COLORS, new_figure, styled

__all__ = [
    "benchmark_figure",
]


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
    with styled():
        figure, ax = new_figure(width=6.4, height=0.8 * len(cases) + 1.8)
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
