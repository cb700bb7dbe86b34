"""Every stable xent function against mpmath at 50 digits on a stress grid, in ulps.

The grid goes to the edges of float64: probabilities from 1e-300 to 1 - 1e-16, logits up to
±1e4 and ±1e300, 2 to 100 000 classes, float32 and float64 inputs. A float32 input's reference
is computed on its exact float64 value, since that is the number xent receives. The error of
a value ``x`` with reference ``r`` (50 digits) is ``|x - r| / np.spacing(|float(r)|)`` ulps,
so a correctly rounded result scores at most 0.5.

Each function is called with warnings as errors and ``np.errstate(all="raise")``: no
floating-point warning may escape, and a finite input may give NaN never, and infinity only
where the exact value lies beyond the float64 range.

Run ``python tests/test_accuracy.py`` for the table of worst cases; the tests check the same
numbers against :data:`LIMITS`.

References that need care, and how they are computed here:

* log-softmax of a dominant logit, ``-log(1 + e^{-580})``: ``v - logsumexp`` cancels even at
  50 digits, so the reference uses ``log1p`` of the sum of the *other* terms.
* KL divergence of nearly equal distributions: the terms ``p log(p/q)`` have mixed signs
  and cancel, so the reference runs at 80 digits.
* 100 000 classes: rows built from a few distinct values, repeated, so the reference sums a
  few terms times their counts while xent adds up all 100 000.
"""

from __future__ import annotations

import functools
import json
import math
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest

if __name__ == "__main__":  # `python tests/test_accuracy.py` from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import xent
from tests.references import (
    DIGITS,
    mpf,
    ref_bce,
    ref_cross_entropy,
    ref_entropy,
    ref_keras_log_probabilities,
    ref_kl,
    ref_log_sigmoid,
    ref_log_softmax,
    ref_sigmoid,
    ulps,
)
from xent import keras_losses as kl

# Worst acceptable error, in ulps, per function: "a few units in the last place". The
# measured worst cases (``python tests/test_accuracy.py``) sit below these with a little room
# for another platform's libm; the focal loss raises 1 - p to a power, which doubles that
# factor's error.
LIMITS: dict[str, float] = {
    "surprisal": 1.0,
    "entropy": 3.0,
    "cross_entropy": 3.0,
    "kl_divergence": 4.0,
    "sigmoid": 2.0,
    "log_sigmoid": 2.0,
    "logit": 2.0,
    "log_softmax": 3.0,
    "softmax": 4.0,
    "binary_cross_entropy_with_logits": 3.0,
    "log_loss": 2.0,
    "keras binary_crossentropy (logits)": 3.0,
    "keras binary_focal_crossentropy (logits)": 3.0,
    "keras categorical_crossentropy (logits)": 3.0,
    "keras categorical_focal_crossentropy (logits)": 6.0,
    "keras sparse_categorical_crossentropy (logits)": 3.0,
    "keras binary_crossentropy (probabilities)": 4.0,
    "keras categorical_crossentropy (probabilities)": 4.0,
    "keras sparse_categorical_crossentropy (probabilities)": 4.0,
}

GRIDS: dict[str, str] = {
    "surprisal": "probabilities from 1e-300 to 1, float32 and float64",
    "entropy": "Dirichlet rows, uniform rows, rows with zeros and 1e-300 entries, up to 100 000 outcomes",
    "cross_entropy": "pairs of those rows, including q = 0 where p > 0",
    "kl_divergence": "the same pairs, and q within 1e-12 to 1e-2 of p (where the terms cancel)",
    "sigmoid": "logits from ±1e-300 to ±1e300",
    "log_sigmoid": "logits from ±1e-300 to ±1e300",
    "logit": "probabilities from 1e-300 to 1 - 1e-16",
    "log_softmax": "rows of 2 to 100 000 logits: normal with sd 1 to 30, spreads of ±1e4, ties",
    "softmax": "the rows of log_softmax",
    "binary_cross_entropy_with_logits": "targets 0, 1, 0.3, 1e-300, ... against logits to ±1e300",
    "log_loss": "4 classes, float32 and float64, probabilities down to 1e-300",
    "keras binary_crossentropy (logits)": "rows of logits to ±1e300, with and without smoothing",
    "keras binary_focal_crossentropy (logits)": "the same rows, gamma = 2",
    "keras categorical_crossentropy (logits)": "the log_softmax rows, one-hot and soft targets",
    "keras categorical_focal_crossentropy (logits)": "the same rows, alpha = 0.25, gamma = 2",
    "keras sparse_categorical_crossentropy (logits)": "the same rows, the top class and a random one",
    "keras binary_crossentropy (probabilities)": "probabilities 0 to 1 (clipped), targets 0 to 1",
    "keras categorical_crossentropy (probabilities)": "near-one-hot rows, rows off by 1-2 ulps, tiny entries",
    "keras sparse_categorical_crossentropy (probabilities)": "the same rows, every label",
}
"""What each function is checked on, for the appendix "How accurate is xent?"."""

LIMITED_BY: dict[str, str] = {
    "entropy": "the rounding of each p log p and of their sum",
    "cross_entropy": "the rounding of each p log q and of their sum",
    "kl_divergence": "the series for nearly equal p and q, and the far terms' logarithms",
    "softmax": "the normalising sum, rounded before the division",
    "keras categorical_focal_crossentropy (logits)": "(1 - q)^2 doubles the error of 1 - q",
}
"""What the worst error of a function comes from, where it is more than one rounding."""

SAMPLED = ("log_softmax", "softmax", "kl_divergence")
"""Functions whose every error is kept, for the appendix's figure of their distribution."""


# --- measuring errors -----------------------------------------------------------------------


@dataclass
class Worst:
    """The largest error seen for one function, and where."""

    ulps: float = 0.0
    where: str = ""
    values: int = 0
    problems: list[str] = field(default_factory=list)
    errors: list[float] = field(default_factory=list)


def _call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``function`` with every warning an error and every floating-point flag raising."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        return function(*args, **kwargs)


class Recorder:
    """Collects the worst error per function over the whole grid."""

    def __init__(self) -> None:
        self.worst: dict[str, Worst] = {name: Worst() for name in LIMITS}

    def check(self, name: str, got: Any, refs: Sequence[Any], where: str) -> None:
        values = np.atleast_1d(np.asarray(got, dtype=np.float64)).ravel()
        record = self.worst[name]
        if values.size != len(refs):
            record.problems.append(f"{where}: {values.size} values for {len(refs)} references")
            return
        for index, (value, ref) in enumerate(zip(values.tolist(), refs)):
            record.values += 1
            self._one(record, value, ref, f"{where}[{index}]")

    def check_grouped(
        self, name: str, got: Any, groups: np.ndarray, refs: dict[float, Any], where: str
    ) -> None:
        """Like :meth:`check` for a long row whose entries fall in a few groups (equal
        inputs), each with one reference: every distinct output of a group is checked."""
        values = np.asarray(got, dtype=np.float64).ravel()
        record = self.worst[name]
        record.values += values.size
        for key, ref in refs.items():
            for value in np.unique(values[groups == key]).tolist():
                self._one(record, value, ref, f"{where} at {key:g}")

    @staticmethod
    def _one(record: Worst, value: float, ref: Any, where: str) -> None:
        error = ulps(value, ref)
        record.errors.append(error)
        if math.isnan(value) or (math.isinf(value) and not math.isinf(float(ref))):
            record.problems.append(f"{where}: {value} where the reference is {ref}")
        if error > record.ulps or not record.where:
            record.ulps, record.where = error, where

    def run(
        self,
        name: str,
        where: str,
        refs: Sequence[Any],
        function: Callable[..., Any],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        got = self.call(name, where, function, *args, **kwargs)
        if got is not None:
            self.check(name, got, refs, where)

    def call(
        self, name: str, where: str, function: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        """``function(*args, **kwargs)``, or None with the failure recorded as a problem."""
        try:
            return _call(function, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 (a warning turned error, FloatingPointError)
            self.worst[name].problems.append(f"{where}: {type(error).__name__}: {error}")
            return None


# --- the stress grid ----------------------------------------------------------------------------

RNG_SEED = 20_26


def _signed(values: Sequence[float]) -> list[float]:
    return sorted({s * v for v in values for s in (-1.0, 1.0)})


SCALAR_LOGITS = _signed(
    [
        0.0,
        1e-300,
        1e-20,
        1e-10,
        1e-5,
        0.1,
        0.5,
        1.0,
        2.0,
        5.0,
        10.0,
        20.0,
        36.0,
        37.0,
        38.0,
        50.0,
        100.0,
        500.0,
        580.0,
        700.0,
        709.0,
        710.0,
        745.0,
        746.0,
        800.0,
        1e3,
        5e3,
        1e4,
        1e300,
    ]
)
TARGETS = [0.0, 1.0, 0.5, 0.3, 1e-300, 1e-16, 1 - 1e-16, 0.999]


def _logit_rows(rng: np.random.Generator) -> Iterator[tuple[str, np.ndarray]]:
    """Rows of logits: random at several scales and sizes, and the hard cases by hand."""
    yield "[580, 0]", np.array([580.0, 0.0])
    yield "[40, 0]", np.array([40.0, 0.0])
    yield "[1e4, 0, -1e4]", np.array([1e4, 0.0, -1e4])
    yield "[-1e4, -1e4 + 1]", np.array([-1e4, -1e4 + 1.0])
    yield "[1e300, -1e300]", np.array([1e300, -1e300])
    yield "[1e300, 1e300 - 1e285, 0]", np.array([1e300, 1e300 - 1e285, 0.0])
    yield "ties [5, 5, 5]", np.array([5.0, 5.0, 5.0])
    yield "[1e-9, 0, -1e-9]", np.array([1e-9, 0.0, -1e-9])
    yield "[0, -745, -746]", np.array([0.0, -745.0, -746.0])
    yield "[36.7, 0]", np.array([36.7, 0.0])
    for size in (2, 3, 10, 100, 1000):
        for scale in (1.0, 30.0, 1e4):
            yield f"normal(0, {scale:g}) x {size}", rng.normal(0.0, scale, size)
    yield "uniform(-800, 800) x 50", rng.uniform(-800.0, 800.0, 50)


def _distributions(rng: np.random.Generator) -> Iterator[tuple[str, np.ndarray]]:
    """Probability rows from the edges of float64 to ordinary ones."""
    for tiny in (1e-300, 1e-200, 1e-100, 1e-20, 1e-16, 1e-10, 1e-3, 0.1, 0.3, 0.5):
        yield f"[{tiny:g}, 1 - {tiny:g}]", np.array([tiny, 1.0 - tiny])
    yield "[1e-300, 1 - 1e-16, 1e-16 - 1e-300]", np.array([1e-300, 1 - 1e-16, 1e-16 - 1e-300])
    yield "[1, 0, 0]", np.array([1.0, 0.0, 0.0])
    yield "[0.5, 0, 0.5]", np.array([0.5, 0.0, 0.5])
    yield "uniform 7", np.full(7, 1 / 7)
    for size in (3, 10, 100, 1000):
        for concentration in (0.01, 1.0, 100.0):
            row = rng.dirichlet(np.full(size, concentration))
            yield f"dirichlet({concentration:g}) x {size}", row
    row = rng.dirichlet(np.full(20, 0.3))
    row[rng.random(20) < 0.3] = 0.0
    yield "dirichlet with zeros x 20", row / row.sum()


def _structured_rows() -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """100 000-class rows: a few distinct values, each repeated (values, counts)."""
    counts = np.array([1, 9, 90, 900, 9000, 90_000])
    logits = np.array([12.5, 3.0, -1.0, 0.0, -7.25, 1.5])
    yield "100 000 classes, logits", logits, counts
    dominant = np.array([1e4, 2.0, -3.0, 0.0, -1e4, 1.0])
    yield "100 000 classes, one dominant logit", dominant, counts
    weights = np.array([5e4, 1.0, 3.0, 0.5, 1e-290, 2.0])
    p = weights / float((weights * counts).sum())
    yield "100 000 classes, probabilities", p, counts


def _expand(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The full row, with the repeats interleaved so no block of equal values sums alone."""
    full = np.repeat(values, counts)
    return full[np.random.default_rng(0).permutation(full.size)]


def _perturbed(rng: np.random.Generator, p: np.ndarray, relative: float) -> np.ndarray:
    q = p * (1.0 + relative * rng.uniform(-1.0, 1.0, p.size))
    return q / q.sum()


def _as32(array: np.ndarray) -> np.ndarray | None:
    """``array`` in float32, or None when float32 cannot hold it (overflow, or all zeros)."""
    with np.errstate(over="ignore"):
        single = array.astype(np.float32)
    return single if np.isfinite(single).all() else None


def _variants(array: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    yield "float64", array
    single = _as32(array)
    if single is not None:
        yield "float32", single


# --- the checks ---------------------------------------------------------------------------------


def _check_scalars(record: Recorder, rng: np.random.Generator) -> None:
    logits = np.array(
        SCALAR_LOGITS
        + list(rng.normal(0, 10, 40))
        + list(np.exp(rng.uniform(np.log(1e-10), np.log(1e4), 40)) * rng.choice([-1.0, 1.0], 40))
    )
    for dtype, z in _variants(logits):
        zs = z.astype(np.float64).tolist()
        record.run("sigmoid", f"sigmoid {dtype}", [ref_sigmoid(v) for v in zs], xent.sigmoid, z)
        record.run(
            "log_sigmoid",
            f"log_sigmoid {dtype}",
            [ref_log_sigmoid(v) for v in zs],
            xent.log_sigmoid,
            z,
        )
        for y in TARGETS:
            target = np.full(z.shape, y, dtype=z.dtype)
            yy = mpf(target[0])
            refs = [ref_bce(yy, v) for v in zs]
            record.run(
                "binary_cross_entropy_with_logits",
                f"bce y={y:g} {dtype}",
                refs,
                xent.binary_cross_entropy_with_logits,
                target,
                z,
            )
    probabilities = np.array(
        [
            0.0,
            1e-300,
            5e-324,
            1e-200,
            1e-20,
            1e-16,
            1e-8,
            0.01,
            0.1,
            0.2499,
            0.25,
            0.3,
            0.4999,
            0.5,
            0.5000001,
            0.6,
            0.75,
            0.7501,
            0.9,
            0.999,
            1 - 1e-10,
            1 - 1e-16,
            1.0,
        ]
        + list(rng.random(30))
        + list(0.5 + rng.normal(0, 1e-6, 10))
    )
    for dtype, p in _variants(probabilities):
        ps = p.astype(np.float64).tolist()
        refs = [mpmath.inf if v == 0 else -mpmath.log(mpf(v)) for v in ps]
        record.run("surprisal", f"surprisal {dtype}", refs, xent.surprisal, p)
        logit_refs = [
            -mpmath.inf
            if v == 0
            else mpmath.inf
            if v == 1
            else mpmath.log(mpf(v)) - mpmath.log1p(-mpf(v))
            for v in ps
        ]
        record.run("logit", f"logit {dtype}", logit_refs, xent.logit, p)


def _check_logit_rows(record: Recorder, rng: np.random.Generator) -> None:
    for name, row in _logit_rows(rng):
        for dtype, z in _variants(row):
            lsm = ref_log_softmax(z.astype(np.float64).tolist())
            where = f"{name} {dtype}"
            record.run("log_softmax", where, lsm, xent.log_softmax, z)
            record.run("softmax", where, [mpmath.exp(v) for v in lsm], xent.softmax, z)
            _check_class_losses(record, rng, z, lsm, where)
    for name, values, counts in _structured_rows():
        if "logit" not in name:
            continue
        for dtype, distinct in _variants(values):
            z = _expand(distinct, counts)
            keys = distinct.astype(np.float64).tolist()
            lsm = dict(zip(keys, ref_log_softmax(keys, counts.tolist())))
            where = f"{name} {dtype}"
            exact = z.astype(np.float64)
            for fname, function, refs in [
                ("log_softmax", xent.log_softmax, lsm),
                ("softmax", xent.softmax, {k: mpmath.exp(v) for k, v in lsm.items()}),
            ]:
                got = record.call(fname, where, function, z)
                if got is not None:
                    record.check_grouped(fname, got, exact, refs, where)
            top, last = int(np.argmax(z)), int(np.argmin(z))
            labels = np.array([top, last])
            record.run(
                "keras sparse_categorical_crossentropy (logits)",
                where,
                [-lsm[exact[top]], -lsm[exact[last]]],
                kl.sparse_categorical_crossentropy,
                labels,
                np.stack([z, z]),
                from_logits=True,
            )
            one_hot = np.zeros((2, z.size), dtype=z.dtype)
            one_hot[[0, 1], labels] = 1.0
            record.run(
                "keras categorical_crossentropy (logits)",
                f"{where} one-hot",
                [-lsm[exact[top]], -lsm[exact[last]]],
                kl.categorical_crossentropy,
                one_hot,
                np.stack([z, z]),
                from_logits=True,
            )


def _check_class_losses(
    record: Recorder, rng: np.random.Generator, z: np.ndarray, lsm: list[Any], where: str
) -> None:
    """The Keras losses from logits, on a batch of two copies of the row ``z``."""
    size = z.size
    batch = np.stack([z, z])
    labels = np.array([int(np.argmax(z)), int(rng.integers(size))])
    record.run(
        "keras sparse_categorical_crossentropy (logits)",
        where,
        [-lsm[k] for k in labels],
        kl.sparse_categorical_crossentropy,
        labels,
        batch,
        from_logits=True,
    )
    one_hot = np.zeros((2, size), dtype=z.dtype)
    one_hot[[0, 1], labels] = 1.0
    soft = rng.dirichlet(np.full(size, 0.5)).astype(z.dtype)
    soft = np.stack([soft, soft / soft.sum(dtype=np.float64)]).astype(z.dtype)
    q = [mpmath.exp(v) for v in lsm]
    for y, kind in [(one_hot, "one-hot"), (soft, "soft")]:
        exact = y.astype(np.float64).tolist()
        refs = [-mpmath.fsum(mpf(t) * v for t, v in zip(row, lsm) if t != 0) for row in exact]
        record.run(
            "keras categorical_crossentropy (logits)",
            f"{where} {kind}",
            refs,
            kl.categorical_crossentropy,
            y,
            batch,
            from_logits=True,
        )
        focal = [
            -mpmath.fsum(
                mpmath.mpf("0.25") * (1 - qk) ** 2 * mpf(t) * v
                for t, qk, v in zip(row, q, lsm)
                if t != 0
            )
            for row in exact
        ]
        record.run(
            "keras categorical_focal_crossentropy (logits)",
            f"{where} {kind}",
            focal,
            kl.categorical_focal_crossentropy,
            y,
            batch,
            from_logits=True,
        )


def _check_binary_losses(record: Recorder, rng: np.random.Generator) -> None:
    """Keras binary losses from logits: rows of logits and targets, mean over the last axis."""
    z = np.array([SCALAR_LOGITS[: len(SCALAR_LOGITS) // 2 * 2]]).reshape(2, -1)
    z = np.concatenate([z, rng.normal(0, 8, (2, z.shape[1]))])
    y = rng.choice(np.array(TARGETS), z.shape)
    for smoothing in (0.0, 0.1):
        for dtype, logits in _variants(z):
            targets = y.astype(logits.dtype)
            exact_z = logits.astype(np.float64)
            exact_y = targets.astype(np.float64)
            ls = mpf(smoothing)
            plain, focal = [], []
            for row_y, row_z in zip(exact_y, exact_z):
                terms, focal_terms = [], []
                for t, v in zip(row_y.tolist(), row_z.tolist()):
                    tt = mpf(t) * (1 - ls) + ls / 2
                    ce = ref_bce(tt, v)
                    p = ref_sigmoid(v)
                    miss = tt * (1 - p) + (1 - tt) * p
                    terms.append(ce)
                    focal_terms.append(miss**2 * ce)
                plain.append(mpmath.fsum(terms) / len(terms))
                focal.append(mpmath.fsum(focal_terms) / len(focal_terms))
            where = f"rows {dtype} label_smoothing={smoothing}"
            record.run(
                "keras binary_crossentropy (logits)",
                where,
                plain,
                kl.binary_crossentropy,
                targets,
                logits,
                from_logits=True,
                label_smoothing=smoothing,
            )
            record.run(
                "keras binary_focal_crossentropy (logits)",
                where,
                focal,
                kl.binary_focal_crossentropy,
                targets,
                logits,
                from_logits=True,
                label_smoothing=smoothing,
            )


def _probability_rows(rng: np.random.Generator) -> Iterator[tuple[str, np.ndarray]]:
    """Rows of predicted probabilities where ``log(q / sum(q))`` is hard to get right."""
    for size in (2, 3, 10, 1000):
        for rest in (1e-3, 1e-7, 1e-12):  # near one-hot: the top entry holds 1 - (n-1) rest
            others = rest * rng.random(size - 1)
            top = 1.0 - math.fsum(others)
            for off in (-2, -1, 0, 1):  # the sum off by a few ulps, as rounded rows are
                value = top
                for _ in range(abs(off)):
                    value = float(np.nextafter(value, 2.0 if off > 0 else 0.0))
                yield f"{size} classes, rest {rest:g}, {off:+d} ulps", np.array([value, *others])
        yield f"{size} classes, Dirichlet", rng.dirichlet(np.ones(size))
        tiny = np.concatenate([[1.0], rng.choice([0.0, 5e-324, 1e-300, 1e-20], size - 1)])
        yield f"{size} classes, tiny entries", tiny


def _check_probability_losses(record: Recorder, rng: np.random.Generator) -> None:
    """The Keras losses from probabilities: renormalised, clipped, on hard rows."""
    for where, q in _probability_rows(rng):
        refs = [-v for v in ref_keras_log_probabilities(q.tolist())]
        labels = np.array([int(np.argmax(q)), int(rng.integers(q.size)), q.size - 1])
        record.run(
            "keras sparse_categorical_crossentropy (probabilities)",
            where,
            [refs[k] for k in labels],
            kl.sparse_categorical_crossentropy,
            labels,
            np.stack([q] * 3),
        )
        soft = rng.dirichlet(np.full(q.size, 0.5))
        for y, kind in [(np.eye(q.size)[labels[1]], "one-hot"), (soft, "soft")]:
            ref = mpmath.fsum(mpf(t) * r for t, r in zip(y.tolist(), refs) if t != 0)
            record.run(
                "keras categorical_crossentropy (probabilities)",
                f"{where} {kind}",
                [ref],
                kl.categorical_crossentropy,
                y,
                q,
            )
    p = np.array([0.0, 1e-300, 1e-9, 0.3, 0.5, 1 - 1e-9, 1.0, 1e-7, 1 - 1e-7])
    low, high = mpf(kl.EPSILON), mpf(1.0 - kl.EPSILON)  # the float64 clip bounds
    for y in TARGETS:
        refs = []
        for v in p.tolist():
            c = min(max(mpf(v), low), high)
            refs.append(-(mpf(y) * mpmath.log(c) + (1 - mpf(y)) * mpmath.log(1 - c)))
        record.run(
            "keras binary_crossentropy (probabilities)",
            f"y={y:g}",
            refs,
            kl.binary_crossentropy,
            np.full((p.size, 1), y),
            p[:, np.newaxis],
        )


def _normalised(array: np.ndarray | None) -> bool:
    """True for rows that xent accepts as distributions (sums within 1e-7 of 1, say)."""
    return array is not None and bool(
        np.all(np.abs(array.sum(axis=-1, dtype=np.float64) - 1.0) <= 1e-7)
    )


def _check_distributions(record: Recorder, rng: np.random.Generator) -> None:
    rows = list(_distributions(rng))
    for name, p in rows:
        for dtype, pp in _variants(p):
            if _normalised(pp):
                record.run(
                    "entropy",
                    f"{name} {dtype}",
                    [ref_entropy(pp.astype(np.float64).tolist())],
                    xent.entropy,
                    pp,
                )
    # Pairs: unrelated rows of one size, a row with itself, and rows a little apart.
    for index, (name, p) in enumerate(rows):
        partner_name, q = next(
            ((n, r) for n, r in rows[index + 1 :] if r.size == p.size), ("reversed", p[::-1].copy())
        )
        pairs = [(f"{name} vs {partner_name}", p, q), (f"{name} vs itself", p, p)]
        if p.size > 2 or p.min() > 1e-10:
            for relative in (1e-2, 1e-6, 1e-10, 1e-14):
                pairs.append((f"{name} vs {relative:g} away", p, _perturbed(rng, p, relative)))
        for where, a, b in pairs:
            for dtype, aa, bb in [("float64", a, b), ("float32", _as32(a), _as32(b))]:
                if aa is None or bb is None or not (_normalised(aa) and _normalised(bb)):
                    continue
                ea, eb = aa.astype(np.float64).tolist(), bb.astype(np.float64).tolist()
                record.run(
                    "cross_entropy",
                    f"{where} {dtype}",
                    [ref_cross_entropy(ea, eb)],
                    xent.cross_entropy,
                    aa,
                    bb,
                )
                record.run(
                    "kl_divergence",
                    f"{where} {dtype}",
                    [ref_kl(ea, eb)],
                    xent.kl_divergence,
                    aa,
                    bb,
                )
    # A batch of rows (some one-hot, some with zeros), as classification code passes them.
    ten = [row for _, row in rows if row.size == 10]
    batch = np.stack(ten + [np.eye(10)[3], np.eye(10)[0]])
    batch[1, :4] = 0.0
    batch[1] /= batch[1].sum()
    partners = np.stack([_perturbed(rng, row, 1e-8) for row in batch[::-1]])
    one_hot = np.eye(10)[rng.integers(0, 10, len(batch))]
    exact = batch.tolist()
    record.run(
        "entropy", "batch of 10-class rows", [ref_entropy(r) for r in exact], xent.entropy, batch
    )
    for where, p, q in [("batch", batch, partners), ("one-hot batch", one_hot, batch)]:
        ep, eq = p.tolist(), q.tolist()
        record.run(
            "cross_entropy",
            where,
            [ref_cross_entropy(a, b) for a, b in zip(ep, eq)],
            xent.cross_entropy,
            p,
            q,
        )
        record.run(
            "kl_divergence", where, [ref_kl(a, b) for a, b in zip(ep, eq)], xent.kl_divergence, p, q
        )
    # 100 000 classes, built from a few distinct values (the references sum a few terms).
    for name, values, counts in _structured_rows():
        if "probabilities" not in name:
            continue
        p = _expand(values, counts)  # the same interleaving for every row of this size
        record.run("entropy", name, [ref_entropy(values, counts)], xent.entropy, p)
        shifted = np.roll(values, 1) * (values * counts).sum() / (np.roll(values, 1) * counts).sum()
        near = values * (1 + 1e-9 * np.array([1.0, -1.0, 0.5, -0.5, 0.25, -0.25]))
        record.run(
            "cross_entropy",
            name,
            [ref_cross_entropy(values, shifted, counts)],
            xent.cross_entropy,
            p,
            _expand(shifted, counts),
        )
        for label, q in [("", shifted), (", 1e-9 away", near)]:
            record.run(
                "kl_divergence",
                f"{name}{label}",
                [ref_kl(values, q, counts)],
                xent.kl_divergence,
                p,
                _expand(q, counts),
            )


def _check_log_loss(record: Recorder, rng: np.random.Generator) -> None:
    """scikit-learn's log loss: -log of the true class's probability clipped to [eps, 1 - eps]."""
    q = rng.dirichlet(np.full(4, 0.3), 60)
    q[:5] = [
        [1 - 1e-16, 1e-16, 0, 0],
        [1e-300, 1 - 1e-300, 0, 0],
        [0.25] * 4,
        [1e-12, 0.5, 0.5 - 1e-12, 0],
        [0.999, 0.001, 0, 0],
    ]
    labels = rng.integers(0, 4, 60)
    labels[:4] = [0, 0, 3, 0]
    # float64 only: like scikit-learn, log_loss computes a float32 input in float32.
    for dtype, y_pred in [("float64", q)]:
        eps = np.finfo(y_pred.dtype).eps
        low, high = float(eps), float(1 - eps)  # the clip bounds, as the float type holds them
        chosen = y_pred[np.arange(60), labels].astype(np.float64).tolist()
        losses = [-mpmath.log(mpf(min(max(c, low), high))) for c in chosen]
        record.run(
            "log_loss",
            f"4 classes {dtype}",
            [mpmath.fsum(losses) / len(losses)],
            xent.log_loss,
            labels,
            y_pred,
            labels=[0, 1, 2, 3],
        )


@functools.cache
def worst_ulps() -> dict[str, Worst]:
    """The worst error in ulps of every function over the whole grid (computed once)."""
    record = Recorder()
    rng = np.random.default_rng(RNG_SEED)
    with mpmath.workdps(DIGITS):
        _check_scalars(record, rng)
        _check_logit_rows(record, rng)
        _check_binary_losses(record, rng)
        _check_distributions(record, rng)
        _check_log_loss(record, rng)
        _check_probability_losses(record, rng)
    return record.worst


# --- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_worst_case_error_is_a_few_ulps(name: str) -> None:
    worst = worst_ulps()[name]
    assert worst.values > 0, f"{name} was never checked"
    assert not worst.problems, "\n".join(worst.problems[:10])
    assert worst.ulps <= LIMITS[name], f"{name}: {worst.ulps:.2f} ulps at {worst.where}"


def test_a_reference_that_cancels_is_computed_with_log1p() -> None:
    # -log(1 + e^-580) is about -1.6e-252; v - logsumexp(v) would give 0 at 50 digits.
    lsm = ref_log_softmax([580.0, 0.0])
    assert float(lsm[0]) == pytest.approx(-math.exp(-580), rel=1e-15)
    assert xent.log_softmax([580.0, 0.0])[0] == pytest.approx(-math.exp(-580), rel=1e-15)


def table() -> str:
    """The worst case of every function, as text."""
    lines = [f"{'function':48} {'worst ulps':>10} {'limit':>6} {'values':>7}  where"]
    for name, worst in worst_ulps().items():
        flag = " PROBLEMS: " + "; ".join(worst.problems[:3]) if worst.problems else ""
        lines.append(
            f"{name:48} {worst.ulps:10.2f} {LIMITS[name]:6.1f} {worst.values:7d}  "
            f"{worst.where}{flag}"
        )
    return "\n".join(lines)


def report() -> dict[str, Any]:
    """The suite's results as the appendix "How accurate is xent?" reads them."""
    worst = worst_ulps()
    return {
        "mpmath_digits": DIGITS,
        "functions": [
            {
                "name": name,
                "worst_ulps": round(record.ulps, 2),
                "bound_ulps": LIMITS[name],
                "values": record.values,
                "grid": GRIDS[name],
                "limit": LIMITED_BY.get(name, "one or two roundings"),
            }
            for name, record in worst.items()
        ],
        "samples": {name: _quantiles(worst[name].errors) for name in SAMPLED},
    }


def _quantiles(errors: list[float], n: int = 400) -> list[float]:
    """``n`` evenly spaced quantiles of the errors (from the smallest to the largest)."""
    ordered = np.sort(np.asarray(errors))
    picks = np.linspace(0, ordered.size - 1, n).round().astype(int)
    return [round(float(e), 3) for e in ordered[picks]]


REPORT = Path(__file__).resolve().parents[1] / "book" / "accuracy.json"


def test_the_stored_report_is_what_the_suite_measures() -> None:
    stored = json.loads(REPORT.read_text())
    assert stored == report(), (
        "book/accuracy.json is out of date: run `python tests/test_accuracy.py --output "
        "book/accuracy.json` and refresh book/accuracy.ipynb"
    )


if __name__ == "__main__":
    if "--output" in sys.argv:
        REPORT.write_text(json.dumps(report(), indent=1) + "\n")
    print(table())
