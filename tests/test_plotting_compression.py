"""The compression chapter's figures draw what they claim to show, in the book's style.

The style checks (tests/test_plotting.py) run on them from that file's figure table; the
expected values are recomputed from the inputs (8 x bytes / length), not read from the code
that drew them.
"""

from __future__ import annotations


import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from xent import plotting

NAMES = ["uniform", "unigram", "order 2", "blend 0-5"]
IDEAL_BITS = [80_000.0, 43_000.2, 35_100.9, 19_690.0]
FILE_BYTES = [10_014, 5_390, 4_403, 2_477]
N_BYTES = 10_000
BITS_PER_BYTE = {
    "kjv": {"gzip -9": 2.59, "xz -9e": 2.37, "bzip2 -9": 2.14, "blend": 1.98, "PPMd": 1.90},
    "web": {"gzip -9": 2.66, "xz -9e": 2.45, "bzip2 -9": 2.20, "blend": 2.04, "PPMd": 1.96},
    "rv1909": {"gzip -9": 2.77, "xz -9e": 2.57, "bzip2 -9": 2.31, "blend": 2.12, "PPMd": 2.06},
}
FIGURES = {
    "code_length": lambda: plotting.code_length_figure(NAMES, IDEAL_BITS, FILE_BYTES, N_BYTES),
    "compressors": lambda: plotting.compressors_figure(BITS_PER_BYTE),
}


def test_code_length_bars_are_the_ideal_and_points_the_files() -> None:
    figure = FIGURES["code_length"]()
    ax = figure.axes[0]
    widths = [patch.get_width() for patch in ax.patches]
    np.testing.assert_allclose(widths, np.array(IDEAL_BITS) / N_BYTES)
    points = sorted((line.get_ydata()[0], line.get_xdata()[0]) for line in ax.get_lines())
    # rows from the top: the first model has the highest y
    expected = [8 * size / N_BYTES for size in FILE_BYTES][::-1]
    np.testing.assert_allclose([x for _, x in points], expected)
    labels = [text.get_text() for text in ax.texts]
    assert labels[0] == "10,014 B (+14)" and labels[3] == "2,477 B (+16)"  # 2,477 - 2,461.25
    assert [t.get_text() for t in ax.get_yticklabels()] == NAMES
    plt.close(figure)


def test_compressor_markers_are_the_bits_per_byte_of_each_text() -> None:
    figure = FIGURES["compressors"]()
    ax = figure.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines) == list(BITS_PER_BYTE)
    for text, line in lines.items():
        expected = list(BITS_PER_BYTE[text].values())
        np.testing.assert_allclose(line.get_xdata(), expected)
        assert list(line.get_ydata()) == [4, 3, 2, 1, 0]  # gzip at the top
    plt.close(figure)
