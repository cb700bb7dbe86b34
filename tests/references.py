"""References at 50 digits (mpmath) for the accuracy and property tests, and the ulp measure.

The error of a value ``x`` with reference ``r`` is ``|x - r| / np.spacing(|float(r)|)`` ulps,
so a correctly rounded result scores at most 0.5.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import mpmath
import numpy as np

DIGITS = 50


def mpf(x: float) -> Any:
    return mpmath.mpf(float(x))


def ulps(x: float, ref: Any) -> float:
    """``|x - ref| / spacing(|float(ref)|)``; ``inf`` for NaN or a wrong infinity."""
    rounded = float(ref)
    if math.isnan(x):
        return math.inf
    if math.isinf(rounded) or math.isinf(x):
        return 0.0 if x == rounded else math.inf
    spacing = float(np.spacing(abs(rounded)))
    if rounded != 0.0 and 0.5 <= x / rounded <= 2.0:
        # x - rounded is exact (Sterbenz), and so is the part of ref that float(ref) dropped,
        # to far more digits than matter: no 50-digit arithmetic needed.
        with mpmath.workdps(DIGITS):
            residual = float(ref - mpmath.mpf(rounded))
        return abs((x - rounded) - residual) / spacing
    with mpmath.workdps(DIGITS):
        return float(abs(mpf(x) - ref)) / spacing


# --- references at 50 digits ------------------------------------------------------------------


def ref_log_sigmoid(z: float) -> Any:
    return -mpmath.log1p(mpmath.exp(-mpf(z)))


def ref_sigmoid(z: float) -> Any:
    return 1 / (1 + mpmath.exp(-mpf(z)))


def ref_bce(y: Any, z: float) -> Any:
    """-y log sigmoid(z) - (1 - y) log sigmoid(-z), for an exact (mp) target y."""
    zz = mpf(z)
    return y * mpmath.log1p(mpmath.exp(-zz)) + (1 - y) * mpmath.log1p(mpmath.exp(zz))


def ref_log_softmax(values: Sequence[float], counts: Sequence[int] | None = None) -> list[Any]:
    """Log-softmax of ``values`` (each repeated ``counts`` times), one entry per distinct value.

    ``log1p`` of the sum of the terms other than the largest, so that the dominant logit's
    ``-log(1 + tiny)`` keeps its digits.
    """
    counts = counts if counts is not None else [1] * len(values)
    zs = [mpf(v) for v in values]
    top = max(range(len(zs)), key=lambda i: zs[i])
    m = zs[top]
    # The sum includes the top's exp(0) = 1: taking it away leaves the others' sum with 50
    # digits less its distance below 1, plenty unless it is tiny (a dominant logit), and
    # then it is added up again without that term.
    others = mpmath.fsum(c * mpmath.exp(z - m) for c, z in zip(counts, zs)) - 1
    if others < mpmath.mpf(10) ** -20:
        others = mpmath.fsum(
            (c - (i == top)) * mpmath.exp(z - m) for i, (c, z) in enumerate(zip(counts, zs))
        )
    log_normaliser = mpmath.log1p(others)
    return [(z - m) - log_normaliser for z in zs]


def ref_entropy(p: Sequence[float], counts: Sequence[int] | None = None) -> Any:
    counts = counts if counts is not None else [1] * len(p)
    return -mpmath.fsum(c * mpf(x) * mpmath.log(mpf(x)) for c, x in zip(counts, p) if x > 0)


def ref_cross_entropy(
    p: Sequence[float], q: Sequence[float], counts: Sequence[int] | None = None
) -> Any:
    counts = counts if counts is not None else [1] * len(p)
    terms = []
    for c, a, b in zip(counts, p, q):
        if a > 0:
            if b == 0:
                return mpmath.inf
            terms.append(c * mpf(a) * mpmath.log(mpf(b)))
    return -mpmath.fsum(terms)


def ref_kl(p: Sequence[float], q: Sequence[float], counts: Sequence[int] | None = None) -> Any:
    """sum p log(p/q) at 80 digits: near p = q the terms cancel to far below their size."""
    counts = counts if counts is not None else [1] * len(p)
    with mpmath.workdps(80):
        terms = []
        for c, a, b in zip(counts, p, q):
            if a > 0:
                if b == 0:
                    return mpmath.inf
                terms.append(c * mpf(a) * mpmath.log(mpf(a) / mpf(b)))
        return +mpmath.fsum(terms)


def ref_log_normalized(q: Sequence[float]) -> list[Any]:
    """log(q_k / sum q), the log-probabilities of renormalised weights (-inf where q_k = 0)."""
    total = mpmath.fsum(mpf(x) for x in q)
    return [mpmath.log(mpf(x) / total) if x > 0 else -mpmath.inf for x in q]


def ref_keras_log_probabilities(q: Sequence[float], epsilon: float = 1e-7) -> list[Any]:
    """Keras's log of ``clip(q / sum(q), eps, 1 - eps)``, exactly."""
    low, high = mpf(epsilon), 1 - mpf(epsilon)
    total = mpmath.fsum(mpf(x) for x in q)
    return [mpmath.log(min(max(mpf(x) / total, low), high)) for x in q]
