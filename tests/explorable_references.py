"""What each explorable should show at given slider positions, computed without xent.

Closed forms with NumPy and SciPy, independent of :mod:`xent.plotting.explorable` and of the
xent functions it calls: the unit tests (``tests/test_explorable.py``) compare the stored grids
with these, and the browser test (``tests/test_explorables.py``) the readout on the page.
Each function takes the slider values (by parameter name) and the explorable's ``parameters``
and returns the readout's values, in its order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.special import entr, expit, log_expit, rel_entr
from scipy.special import softmax as scipy_softmax

LN2 = math.log(2.0)


def _bits_entropy(p: float) -> float:
    return float((entr(p) + entr(1.0 - p)) / LN2)


def entropy(s: dict[str, float], parameters: dict[str, Any]) -> list[float]:
    return [_bits_entropy(s["p"])]


def cross_entropy(s: dict[str, float], parameters: dict[str, Any]) -> list[float]:
    p, q = parameters["p_heads"], s["q"]
    h_p = _bits_entropy(p)
    kl = float((rel_entr(p, q) + rel_entr(1.0 - p, 1.0 - q)) / LN2)
    h_pq = -(p * math.log(q) + (1.0 - p) * math.log(1.0 - q)) / LN2
    return [h_pq, h_p, kl]


def label_smoothing(s: dict[str, float], parameters: dict[str, Any]) -> list[float]:
    target = 1.0 - s["alpha"] / 2.0
    return [target, float(entr(target) + entr(1.0 - target))]


def focal(s: dict[str, float], parameters: dict[str, Any]) -> list[float]:
    gamma = s["gamma"]
    easy, hard = (1.0 - 0.9) ** gamma, (1.0 - 0.1) ** gamma
    return [-easy * math.log(0.9), easy, -hard * math.log(0.1), hard]


def log_loss(s: dict[str, float], parameters: dict[str, Any]) -> list[float]:
    z, y = s["z"], s["y"]
    p = float(expit(z))
    ce = -float(log_expit(z) if y == 1 else log_expit(-z))
    return [p, ce, p - y, (p - y) ** 2, 2.0 * (p - y) * p * (1.0 - p)]


def softmax(s: dict[str, float], parameters: dict[str, Any]) -> list[float]:
    z = np.array([s["z1"], *parameters["logits"]]) / s["T"]
    q1 = float(scipy_softmax(z)[0])
    return [q1, -math.log(q1)]


def pos_weight(s: dict[str, float], parameters: dict[str, Any]) -> list[float]:
    # mean loss pi * w * softplus(-z) + (1 - pi) * softplus(z), smallest where
    # sigma(z) = pi w / (pi w + 1 - pi)
    pi, w = parameters["positives"], s["w"]
    best = pi * w / (pi * w + 1.0 - pi)
    z = math.log(best / (1.0 - best))
    loss = -pi * w * float(log_expit(z)) - (1.0 - pi) * float(log_expit(-z))
    return [best, loss]


REFERENCES: dict[str, Callable[[dict[str, float], dict[str, Any]], list[float]]] = {
    "entropy": entropy,
    "cross_entropy": cross_entropy,
    "label_smoothing": label_smoothing,
    "focal": focal,
    "log_loss": log_loss,
    "softmax": softmax,
    "pos_weight": pos_weight,
}


def stored_readout(spec: dict[str, Any], position: dict[str, float]) -> list[float]:
    """The readout that the spec stores for the sliders at ``position``: its state table's row.

    For an explorable whose numbers depend on data too large to recompute here (the calibration
    chapter's test logits), the browser tests compare what the page shows with this row; the
    rows are tied to xent by tests/test_explorable.py (against an independent computation, on
    data made there) and to a fresh run of the chapter by nbval.
    """
    import csv
    import io

    import numpy as np

    bound = [p for p in spec["params"] if "bind" in p]
    index = []
    for param in bound:
        bind = param["bind"]
        n = round((bind["max"] - bind["min"]) / bind["step"]) + 1
        grid = bind["min"] + bind["step"] * np.arange(n)
        index.append(int(np.argmin(np.abs(grid - position[param["name"]]))))
    shape = [round((p["bind"]["max"] - p["bind"]["min"]) / p["bind"]["step"]) + 1 for p in bound]
    row = list(csv.DictReader(io.StringIO(spec["datasets"]["state"])))[
        int(np.ravel_multi_index(index, shape))
    ]
    readouts = sorted((k for k in row if k[0] == "r" and k[1:].isdigit()), key=lambda k: int(k[1:]))
    return [float(row[k]) for k in readouts]


def expected_readout(spec: dict[str, Any], position: dict[str, float]) -> list[float]:
    """An independent computation where this file has one, else the spec's stored row."""
    meta = spec["usermeta"]["xent"]
    if meta["kind"] in REFERENCES:
        return REFERENCES[meta["kind"]](position, meta["parameters"])
    return stored_readout(spec, position)
