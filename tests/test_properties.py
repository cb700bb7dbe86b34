"""Differential property tests: every public loss and measure against mpmath, on inputs that
hunt for the edges of floating point.

The strategies deliberately produce what a grid misses: logits spread past ±709 (where
``exp`` of a difference overflows), values near ±1.8e308, rows mixing tiny and huge
values, near-one-hot probability rows, and rows whose sums are off by an ulp. Each result
must be within a few ulps of the 50-digit reference (:mod:`tests.references`), raise no
floating-point warning, and be the same for a row alone as for that row inside a batch.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import xent
from tests.references import (
    DIGITS,
    mpf,
    ref_bce,
    ref_cross_entropy,
    ref_entropy,
    ref_keras_log_probabilities,
    ref_kl,
    ref_log_softmax,
    ulps,
)
from xent import keras_losses as kl

ULPS = 4.0
"""The promise: within 4 ulps of the exact value, on every path (logits and probabilities)."""

settings.register_profile("edges", max_examples=120, deadline=None, derandomize=True)
settings.load_profile("edges")


def quiet(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call with every warning an error and every floating-point flag raising."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        return function(*args, **kwargs)


def assert_close(got: Any, refs: list[Any], what: str, limit: float = ULPS) -> None:
    values = np.atleast_1d(np.asarray(got, dtype=np.float64)).ravel().tolist()
    assert len(values) == len(refs)
    with mpmath.workdps(DIGITS):
        errors = [ulps(v, r) for v, r in zip(values, refs)]
    worst = max(errors)
    assert not any(math.isnan(v) for v in values), f"{what}: NaN in {values}"
    assert worst <= limit, (
        f"{what}: {worst:.1f} ulps; got {values}, exact {[float(r) for r in refs]}"
    )


# --- strategies -------------------------------------------------------------------------------

EDGE_LOGITS = [0.0, 1.0, -1.0, 355.0, -355.0, 709.78, -709.78, 745.2, -745.2, 1e4, -1e4]
EDGE_LOGITS += [1e300, -1e300, 1.7e308, -1.7e308, 5e-324, 1e-300]

logit_values = st.one_of(
    st.floats(-50.0, 50.0),
    st.floats(-2000.0, 2000.0),
    st.floats(-1.7e308, 1.7e308),
    st.sampled_from(EDGE_LOGITS),
)


@st.composite
def logit_rows(draw: st.DrawFn, min_classes: int = 2, max_classes: int = 7) -> np.ndarray:
    """A row of logits: ordinary, spread past ±709, near the float range, or a mixture."""
    n = draw(st.integers(min_classes, max_classes))
    kind = draw(st.sampled_from(["mixed", "spread", "offset"]))
    if kind == "spread":  # one logit far above the others: the label may be the low one
        low = draw(st.floats(-400.0, 400.0))
        gap = draw(st.floats(700.0, 800.0))
        row = [low + draw(st.floats(-1.0, 1.0)) for _ in range(n - 1)] + [low + gap]
    elif kind == "offset":  # ordinary spreads on top of a large common offset
        offset = draw(st.sampled_from([0.0, 1e3, -1e5, 3e7]))
        row = [offset + draw(st.floats(-40.0, 40.0)) for _ in range(n)]
    else:
        row = [draw(logit_values) for _ in range(n)]
    return np.array(draw(st.permutations(row)), dtype=np.float64)


@st.composite
def probability_rows(draw: st.DrawFn, min_classes: int = 2, max_classes: int = 6) -> np.ndarray:
    """A probability row: ordinary, near one-hot, with tiny entries, or off by an ulp."""
    n = draw(st.integers(min_classes, max_classes))
    kind = draw(st.sampled_from(["ordinary", "near one-hot", "tiny"]))
    if kind == "near one-hot":
        rest = [draw(st.floats(1e-12, 1e-6)) for _ in range(n - 1)]
    elif kind == "tiny":
        rest = [draw(st.sampled_from([0.0, 1e-300, 5e-324, 1e-200, 1e-20])) for _ in range(n - 1)]
    else:
        weights = [draw(st.floats(1e-3, 1.0)) for _ in range(n)]
        rest = [w / sum(weights) for w in weights[1:]]
    top = 1.0 - math.fsum(rest)
    ulps_off = draw(st.integers(-2, 2))  # the sum off by a few ulps, as rounded rows are
    for _ in range(abs(ulps_off)):
        top = np.nextafter(top, 2.0 if ulps_off > 0 else 0.0)
    row = [min(float(top), 1.0)] + rest
    return np.array(draw(st.permutations(row)), dtype=np.float64)


# --- logits -----------------------------------------------------------------------------------


@given(logit_rows())
def test_log_softmax_and_softmax_are_exact_to_a_few_ulps(z: np.ndarray) -> None:
    with mpmath.workdps(DIGITS):
        reference = ref_log_softmax(z.tolist())
        probabilities = [mpmath.exp(r) for r in reference]
    assert_close(quiet(xent.log_softmax, z), reference, f"log_softmax({z.tolist()})")
    assert_close(quiet(xent.softmax, z), probabilities, f"softmax({z.tolist()})")


@given(logit_rows(), st.data())
def test_losses_from_logits_are_exact_to_a_few_ulps(z: np.ndarray, data: st.DataObject) -> None:
    label = data.draw(st.integers(0, z.size - 1))
    with mpmath.workdps(DIGITS):
        expected = [-ref_log_softmax(z.tolist())[label]]
    one_hot = np.eye(z.size)[label]
    where = f"label {label} of {z.tolist()}"
    assert_close(
        quiet(kl.sparse_categorical_crossentropy, [label], [z], from_logits=True),
        expected,
        f"sparse {where}",
    )
    assert_close(
        quiet(kl.categorical_crossentropy, one_hot, z, from_logits=True),
        expected,
        f"categorical {where}",
    )


@given(st.floats(0.0, 1.0), logit_values)
def test_binary_cross_entropy_with_logits_is_exact(y: float, z: float) -> None:
    with mpmath.workdps(DIGITS):
        expected = [ref_bce(mpf(y), z)]
    assert_close(
        quiet(xent.binary_cross_entropy_with_logits, [y, y], [z, z])[:1], expected, f"bce({y}, {z})"
    )


# --- probabilities ----------------------------------------------------------------------------


@given(probability_rows(), st.data())
def test_losses_from_probabilities_are_exact_to_a_few_ulps(
    q: np.ndarray, data: st.DataObject
) -> None:
    label = data.draw(st.integers(0, q.size - 1))
    with mpmath.workdps(DIGITS):
        expected = [-ref_keras_log_probabilities(q.tolist())[label]]
    where = f"label {label} of {q.tolist()}"
    assert_close(
        quiet(kl.sparse_categorical_crossentropy, [label], [q]), expected, f"sparse {where}"
    )
    assert_close(
        quiet(kl.categorical_crossentropy, np.eye(q.size)[label], q),
        expected,
        f"categorical {where}",
    )


@given(probability_rows(), probability_rows())
def test_information_measures_are_exact_to_a_few_ulps(p: np.ndarray, q: np.ndarray) -> None:
    n = min(p.size, q.size)
    p, q = p[:n] / p[:n].sum(), q[:n] / q[:n].sum()
    with mpmath.workdps(DIGITS):
        h, ce = ref_entropy(p.tolist()), ref_cross_entropy(p.tolist(), q.tolist())
        kl_exact = ref_kl(p.tolist(), q.tolist())
    where = f"p={p.tolist()}, q={q.tolist()}"
    assert_close(quiet(xent.entropy, p), [h], f"entropy {where}")
    assert_close(quiet(xent.cross_entropy, p, q), [ce], f"cross_entropy {where}")
    assert_close(quiet(xent.kl_divergence, p, q), [kl_exact], f"kl {where}")


# --- a row's result does not depend on the rest of its batch -------------------------------------


def _same_alone_and_in_batch(
    function: Callable[..., Any], *arrays: list[np.ndarray], **kwargs: Any
) -> None:
    """``function`` of each row alone equals its row of ``function`` of the whole batch."""
    together = np.asarray(quiet(function, *[np.stack(a) for a in arrays], **kwargs))
    for i in range(len(arrays[0])):
        alone = np.asarray(quiet(function, *[np.stack([a[i]]) for a in arrays], **kwargs))[0]
        assert_within_ulps(together[i], alone, 2, f"{function.__name__}, row {i}")


def assert_within_ulps(a: np.ndarray, b: np.ndarray, limit: float, what: str) -> None:
    a, b = np.atleast_1d(a), np.atleast_1d(b)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    with np.errstate(all="ignore"):
        gap = np.abs(a - b) / np.spacing(np.maximum(np.abs(a), np.abs(b)))
    assert (same | (gap <= limit)).all(), f"{what}: {a} in the batch, {b} alone"


@given(st.lists(logit_rows(min_classes=4, max_classes=4), min_size=2, max_size=6), st.data())
def test_each_row_alone_equals_the_row_in_a_batch(
    rows: list[np.ndarray], data: st.DataObject
) -> None:
    labels = [data.draw(st.integers(0, 3)) for _ in rows]
    one_hot = [np.eye(4)[k] for k in labels]
    _same_alone_and_in_batch(xent.log_softmax, rows)
    _same_alone_and_in_batch(xent.softmax, rows)
    _same_alone_and_in_batch(kl.categorical_crossentropy, one_hot, rows, from_logits=True)
    losses = quiet(kl.sparse_categorical_crossentropy, labels, np.stack(rows), from_logits=True)
    for i, row in enumerate(rows):
        alone = quiet(kl.sparse_categorical_crossentropy, [labels[i]], [row], from_logits=True)
        assert_within_ulps(losses[i], alone, 2, f"sparse, row {i}")


@given(st.lists(probability_rows(min_classes=3, max_classes=3), min_size=2, max_size=6))
def test_each_distribution_alone_equals_it_in_a_batch(rows: list[np.ndarray]) -> None:
    reversed_rows = [r[::-1] for r in rows]
    _same_alone_and_in_batch(xent.entropy, rows)
    _same_alone_and_in_batch(xent.cross_entropy, rows, reversed_rows)
    _same_alone_and_in_batch(xent.kl_divergence, rows, reversed_rows)
    _same_alone_and_in_batch(kl.categorical_crossentropy, rows, reversed_rows)


def test_the_reviewed_failures_give_the_exact_answer() -> None:
    # The cases that returned NaN or warned before: exact values worked by hand.
    assert quiet(
        kl.sparse_categorical_crossentropy,
        np.array([0]),
        np.array([[-355.0, 355.0]]),
        from_logits=True,
    ) == [710.0]
    assert quiet(
        kl.categorical_crossentropy,
        np.array([[1.0, 0.0]]),
        np.array([[-355.0, 355.0]]),
        from_logits=True,
    ) == [710.0]
    np.testing.assert_array_equal(quiet(xent.softmax, [1e308, -1e308]), [1.0, 0.0])
    np.testing.assert_array_equal(
        quiet(xent.log_softmax, [1e308, 0.0, -1e308]), [0.0, -1e308, -np.inf]
    )  # -2e308 is beyond the float range
    np.testing.assert_array_equal(
        quiet(xent.binary_cross_entropy_with_logits, [0.0, 0.0], [1e308, 1e308]), [1e308, 1e308]
    )


@given(st.sampled_from([31, 32, 33, 255, 256, 257, 511, 512, 513]), st.integers(0, 2**32 - 1))
@settings(max_examples=18)
def test_rows_at_every_internal_size_boundary(n_classes: int, seed: int) -> None:
    # SHORT_ROW (32) switches how rows are added up; n / 256 is where log_softmax starts
    # correcting the shifts of sums below it.
    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, rng.choice([1.0, 30.0, 300.0]), (3, n_classes))
    z[1, 0] += 800.0  # one dominant logit: others tiny, the correction needed
    labels = rng.integers(0, n_classes, 3)
    with mpmath.workdps(DIGITS):
        references = [ref_log_softmax(row.tolist()) for row in z]
    for i in range(3):
        assert_close(quiet(xent.log_softmax, z)[i], references[i], f"log_softmax row {i}")
    losses = quiet(kl.sparse_categorical_crossentropy, labels, z, from_logits=True)
    assert_close(losses, [-references[i][k] for i, k in enumerate(labels)], "sparse")
    _same_alone_and_in_batch(xent.softmax, list(z))


# --- no NaN and no warning from finite input: rows whose log_softmax has -inf entries ---------


@st.composite
def rows_with_vanishing_classes(draw: st.DrawFn) -> tuple[np.ndarray, list[int]]:
    """Logits about 1e308 apart, so that ``log_softmax`` has -inf entries (the exact value
    is below -1.8e308), and the classes whose log-probability is finite."""
    n = draw(st.integers(3, 6))
    high = draw(st.floats(1e307, 1.7e308))
    low = -draw(st.floats(1e307, 1.7e308))
    others = st.one_of(st.floats(-1e3, 1e3), st.sampled_from([high, low, 0.0, high / 2]))
    row = [high, low] + [draw(others) for _ in range(n - 2)]
    z = np.array(draw(st.permutations(row)), dtype=np.float64)
    with mpmath.workdps(DIGITS):
        finite = [k for k, r in enumerate(ref_log_softmax(z.tolist())) if math.isfinite(float(r))]
    return z, finite


@st.composite
def targets_on_finite_classes(draw: st.DrawFn, finite: list[int], n: int) -> np.ndarray:
    """A probability target that puts weight 0 on every class outside ``finite``."""
    weights = [draw(st.floats(0.0, 1.0)) for _ in finite]
    weights[draw(st.integers(0, len(finite) - 1))] += 1.0
    target = np.zeros(n)
    target[finite] = np.array(weights) / math.fsum(weights)
    return target


def ref_charged(z: np.ndarray, u: np.ndarray) -> Any:
    """-sum_k u_k log softmax(z)_k at 50 digits, the terms with u_k = 0 left out."""
    with mpmath.workdps(DIGITS):
        log_q = ref_log_softmax(z.tolist())
        return -mpmath.fsum(mpf(w) * r for w, r in zip(u.tolist(), log_q) if w != 0)


@given(rows_with_vanishing_classes(), st.data())
@settings(max_examples=60)
def test_targets_with_zeros_on_vanishing_classes_give_exact_losses(
    drawn: tuple[np.ndarray, list[int]], data: st.DataObject
) -> None:
    z, finite = drawn
    label = data.draw(st.sampled_from(finite))
    p = data.draw(targets_on_finite_classes(finite, z.size))
    one_hot = np.eye(z.size)[label]
    where = f"z={z.tolist()}, label {label}, p={p.tolist()}"
    from xent import multiclass
    from xent import torch_losses as xt

    assert_close(quiet(xt.cross_entropy, z[None], [label]), [ref_charged(z, one_hot)], where)
    assert_close(quiet(xt.cross_entropy, z[None], p[None]), [ref_charged(z, p)], where)
    weight = np.where(np.isin(np.arange(z.size), finite), 1.0, 0.0)  # 0 on the -inf classes
    assert_close(
        quiet(xt.cross_entropy, z[None], [label], weight=weight, label_smoothing=0.25),
        [ref_charged(z, weight * (0.75 * one_hot + 0.25 / z.size))],
        where,
        limit=8.0,  # the smoothed target 0.75 + 0.25 / n is itself rounded
    )
    assert_close(
        quiet(kl.categorical_crossentropy, p, z, from_logits=True), [ref_charged(z, p)], where
    )
    assert_close(
        quiet(kl.sparse_categorical_crossentropy, [label], [z], from_logits=True),
        [ref_charged(z, one_hot)],
        where,
    )
    assert not np.isnan(quiet(kl.categorical_focal_crossentropy, p, z, from_logits=True)).any()
    for gradient in (
        quiet(xt.cross_entropy_gradient, z[None], p[None])[0],
        quiet(xt.cross_entropy_gradient, z[None], [label])[0],
        quiet(multiclass.softmax_cross_entropy_gradient, p, z),
    ):
        assert np.isfinite(gradient).all(), where
        assert abs(math.fsum(gradient)) <= 4 * np.finfo(float).eps, where


@given(rows_with_vanishing_classes(), st.integers(2, 5))
@settings(max_examples=30)
def test_means_of_huge_losses_do_not_overflow(
    drawn: tuple[np.ndarray, list[int]], n_rows: int
) -> None:
    # n rows with the same loss near the float range: the mean is that loss, though the sum
    # of the losses passes the range.
    from xent import torch_losses as xt

    z, finite = drawn
    label = min(finite, key=lambda k: z[k])
    batch = np.tile(z, (n_rows, 1))
    one = quiet(xt.cross_entropy, z[None], [label])
    mean = quiet(xt.cross_entropy, batch, [label] * n_rows)
    assert_within_ulps(np.array(mean), np.array(one), 1, "torch mean")  # n x / n, rounded
    losses = quiet(kl.sparse_categorical_crossentropy, [label] * n_rows, batch, from_logits=True)
    assert_within_ulps(np.array(quiet(kl.reduce_loss, losses)), np.array(one), 1, "keras mean")
