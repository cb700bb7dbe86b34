"""Figures of the compression chapter: file sizes against ideal code lengths, compressors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from xent.plotting.style import COLORS, new_figure, styled

__all__ = ["code_length_figure", "compressors_figure"]


def code_length_figure(
    names: Sequence[str],
    ideal_bits: Sequence[float],
    file_bytes: Sequence[int],
    n_bytes: int,
) -> Figure:
    r"""Each model's ideal code length and the size of its file, in bits per byte of text.

    One horizontal bar per model for the ideal code length :math:`\sum_i -\log_2 q(x_i)`
    divided by the text's ``n_bytes`` (the model's cross-entropy on the text, in bits), and on
    it a point for the coded file, :math:`8 \times` ``file_bytes`` / ``n_bytes``. Each bar is
    labelled with the file size and how many bytes it is over the ideal.
    """
    ideal = np.asarray(ideal_bits, dtype=float) / n_bytes
    files = 8.0 * np.asarray(file_bytes, dtype=float) / n_bytes
    rows = np.arange(len(names))[::-1]
    with styled():
        figure, ax = new_figure(height=0.75 * len(names) + 1.0)
        ax.barh(rows, ideal, height=0.6, color=COLORS["light"], label="ideal length")
        for i, (value, row) in enumerate(zip(files, rows)):  # one marker each, no line
            label = "file" if i == 0 else "_nolegend_"
            ax.plot([value], [row], "o", color=COLORS["loss"], markersize=7, label=label)
        for row, value, size, bits in zip(rows, files, file_bytes, ideal_bits):
            over = size - bits / 8
            ax.annotate(
                f"{size:,} B (+{over:.0f})",
                (value, row),
                xytext=(8, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                fontsize=12,
                color=COLORS["reference"],
            )
        ax.set_yticks(rows, list(names))
        ax.set(
            xlabel="bits per byte of text",
            ylabel="model",
            xlim=(0, 8.0 * 1.45),
            xticks=[0, 2, 4, 6, 8],
        )
        ax.grid(axis="y", visible=False)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)  # above the axes
    return figure


def compressors_figure(bits_per_byte: Mapping[str, Mapping[str, float]]) -> Figure:
    """Bits per byte of each compressor (rows) on each text (one dot per text).

    ``bits_per_byte[text][compressor]``; the compressors are listed in the order of the first
    text, from the top, each with a grey bar from its best to its worst text.
    """
    texts = list(bits_per_byte)
    compressors = list(bits_per_byte[texts[0]])
    rows = np.arange(len(compressors))[::-1]
    markers = ["o", "s", "D", "^"]
    colors = [COLORS["loss"], COLORS["true"], COLORS["negative"], COLORS["alternative"]]
    with styled():
        figure, ax = new_figure(height=0.55 * len(compressors) + 1.4)
        values = np.array([[bits_per_byte[t][c] for t in texts] for c in compressors])
        ax.hlines(rows, values.min(axis=1), values.max(axis=1), color="#BBBBBB", linewidth=5)
        for j, text in enumerate(texts):
            ax.plot(
                values[:, j],
                rows,
                markers[j % len(markers)],
                color=colors[j % len(colors)],
                markersize=7,
                label=text,
                linestyle="none",
            )
        ax.set_yticks(rows, compressors)
        ax.set(xlabel="bits per byte (8 = no compression)", ylabel="compressor")
        ax.grid(axis="y", visible=False)
        ax.legend(loc="lower right", ncols=1)
    return figure
