"""xent.keras_losses against real Keras 3 on the JAX backend, and its loud errors.

Expected values come from Keras itself (float32, its default) or are worked by hand in
the comments. Inputs are rounded to float32 once and the same values are given to both,
so what is compared is the arithmetic, not the rounding of the inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from tests.lazy_import import LazyModule, keras_on_jax
from xent import keras_losses as kl

keras = LazyModule("keras", keras_on_jax)

# Keras computes in float32: about 6e-8 relative per operation. Absolute 1e-6 covers the
# losses near 0, where a float32 renormalisation (p / sum(p), sum off by ~1e-7) or a
# focal factor computed as 1 - p_t moves the value by ~1e-7 absolute.
RTOL, ATOL = 1e-6, 1e-6

Array = np.ndarray[Any, Any]


def f32(values: Any) -> Array:
    return np.asarray(values, dtype=np.float32)


def assert_matches_keras(ours: Any, theirs: Any, atol: float = ATOL) -> None:
    expected = np.asarray(theirs, dtype=np.float64)
    assert np.shape(ours) == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=RTOL, atol=atol)


# name: (xent function, Keras function, Keras class); the Keras ones looked up when used
LOSSES: dict[str, tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]] = {
    name: (
        getattr(kl, name),
        lambda *a, _name=name, **k: getattr(keras.losses, _name)(*a, **k),
        lambda *a, _cls=cls, **k: getattr(keras.losses, _cls)(*a, **k),
    )
    for name, cls in [
        ("binary_crossentropy", "BinaryCrossentropy"),
        ("binary_focal_crossentropy", "BinaryFocalCrossentropy"),
        ("categorical_crossentropy", "CategoricalCrossentropy"),
        ("categorical_focal_crossentropy", "CategoricalFocalCrossentropy"),
        ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"),
    ]
}


def compare_loss_object(
    name: str,
    y_true: Any,
    y_pred: Any,
    reduction: str | None = "sum_over_batch_size",
    sample_weight: Any = None,
    mask: Any = None,
    **kwargs: Any,
) -> Any:
    """xent's loss + reduce_loss against the Keras loss object; returns xent's value."""
    ours_fn, _, keras_class = LOSSES[name]
    y_true, y_pred = f32(y_true), f32(y_pred)
    weight = None if sample_weight is None else f32(sample_weight)
    theirs = keras_class(reduction=reduction, **kwargs)(y_true, y_pred, sample_weight=weight)
    ours = kl.reduce_loss(
        ours_fn(y_true, y_pred, **kwargs), sample_weight=weight, reduction=reduction, mask=mask
    )
    assert_matches_keras(ours, theirs)
    return ours


# --- the examples printed in Keras's docstrings (keras/src/losses/losses.py) -----------------

BINARY_TRUE, BINARY_PRED = [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]
LOGIT_TRUE, LOGIT_PRED = [[0, 1], [0, 0]], [[-18.6, 0.51], [2.94, -12.8]]
ONE_HOT, CLASS_PRED = [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]


@pytest.mark.parametrize(
    ("name", "y_true", "y_pred", "kwargs", "printed"),
    [
        ("binary_crossentropy", BINARY_TRUE, BINARY_PRED, {}, [0.916, 0.714]),
        ("binary_focal_crossentropy", BINARY_TRUE, BINARY_PRED, {"gamma": 2}, [0.330, 0.206]),
        ("categorical_crossentropy", ONE_HOT, CLASS_PRED, {}, [0.0513, 2.303]),
        (
            "categorical_focal_crossentropy",
            ONE_HOT,
            [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]],
            {},
            [2.63401289e-04, 6.75912094e-01],
        ),
        ("sparse_categorical_crossentropy", [1, 2], CLASS_PRED, {}, [0.0513, 2.303]),
    ],
)
def test_keras_function_docstring_examples(
    name: str, y_true: Any, y_pred: Any, kwargs: dict[str, Any], printed: list[float]
) -> None:
    ours_fn, keras_fn, _ = LOSSES[name]
    ours = ours_fn(f32(y_true), f32(y_pred), **kwargs)
    assert_matches_keras(ours, keras_fn(f32(y_true), f32(y_pred), **kwargs))
    np.testing.assert_allclose(ours, printed, rtol=5e-4, atol=5e-4)  # the printed digits


@pytest.mark.parametrize(
    ("name", "y_true", "y_pred", "options", "printed"),
    [
        # BinaryCrossentropy, example 1 and example 2 with each reduction and sample_weight
        ("binary_crossentropy", [0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8],
         {"from_logits": True}, 0.8654),
        ("binary_crossentropy", LOGIT_TRUE, LOGIT_PRED, {"from_logits": True}, 0.8654),
        ("binary_crossentropy", LOGIT_TRUE, LOGIT_PRED,
         {"from_logits": True, "sample_weight": [0.8, 0.2]}, 0.243),
        ("binary_crossentropy", LOGIT_TRUE, LOGIT_PRED,
         {"from_logits": True, "reduction": "sum"}, 1.730),
        ("binary_crossentropy", LOGIT_TRUE, LOGIT_PRED,
         {"from_logits": True, "reduction": None}, [0.235, 1.496]),
        # BinaryFocalCrossentropy
        ("binary_focal_crossentropy", [0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8],
         {"gamma": 2, "from_logits": True}, 0.691),
        ("binary_focal_crossentropy", [0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8],
         {"apply_class_balancing": True, "gamma": 2, "from_logits": True}, 0.51),
        ("binary_focal_crossentropy", LOGIT_TRUE, LOGIT_PRED,
         {"gamma": 3, "from_logits": True}, 0.647),
        ("binary_focal_crossentropy", LOGIT_TRUE, LOGIT_PRED,
         {"apply_class_balancing": True, "gamma": 3, "from_logits": True}, 0.482),
        ("binary_focal_crossentropy", LOGIT_TRUE, LOGIT_PRED,
         {"gamma": 3, "from_logits": True, "sample_weight": [0.8, 0.2]}, 0.133),
        ("binary_focal_crossentropy", LOGIT_TRUE, LOGIT_PRED,
         {"apply_class_balancing": True, "gamma": 3, "from_logits": True,
          "sample_weight": [0.8, 0.2]}, 0.097),
        ("binary_focal_crossentropy", LOGIT_TRUE, LOGIT_PRED,
         {"gamma": 4, "from_logits": True, "reduction": "sum"}, 1.222),
        ("binary_focal_crossentropy", LOGIT_TRUE, LOGIT_PRED,
         {"apply_class_balancing": True, "gamma": 4, "from_logits": True,
          "reduction": "sum"}, 0.914),
        ("binary_focal_crossentropy", LOGIT_TRUE, LOGIT_PRED,
         {"gamma": 5, "from_logits": True, "reduction": None}, [0.0017, 1.1561]),
        ("binary_focal_crossentropy", LOGIT_TRUE, LOGIT_PRED,
         {"apply_class_balancing": True, "gamma": 5, "from_logits": True,
          "reduction": None}, [0.0004, 0.8670]),
        # CategoricalCrossentropy, CategoricalFocalCrossentropy, SparseCategoricalCrossentropy
        ("categorical_crossentropy", ONE_HOT, CLASS_PRED, {}, 1.177),
        ("categorical_crossentropy", ONE_HOT, CLASS_PRED, {"sample_weight": [0.3, 0.7]}, 0.814),
        ("categorical_crossentropy", ONE_HOT, CLASS_PRED, {"reduction": "sum"}, 2.354),
        ("categorical_crossentropy", ONE_HOT, CLASS_PRED, {"reduction": None}, [0.0513, 2.303]),
        ("categorical_focal_crossentropy", ONE_HOT, CLASS_PRED, {}, 0.23315276),
        ("categorical_focal_crossentropy", ONE_HOT, CLASS_PRED,
         {"sample_weight": [0.3, 0.7]}, 0.1632),
        ("categorical_focal_crossentropy", ONE_HOT, CLASS_PRED, {"reduction": "sum"}, 0.46631),
        ("categorical_focal_crossentropy", ONE_HOT, CLASS_PRED,
         {"reduction": None}, [3.2058331e-05, 4.6627346e-01]),
        ("sparse_categorical_crossentropy", [1, 2], CLASS_PRED, {}, 1.177),
        ("sparse_categorical_crossentropy", [1, 2], CLASS_PRED,
         {"sample_weight": [0.3, 0.7]}, 0.814),
        ("sparse_categorical_crossentropy", [1, 2], CLASS_PRED, {"reduction": "sum"}, 2.354),
        ("sparse_categorical_crossentropy", [1, 2], CLASS_PRED,
         {"reduction": None}, [0.0513, 2.303]),
    ],
)  # fmt: skip
def test_keras_class_docstring_examples(
    name: str, y_true: Any, y_pred: Any, options: dict[str, Any], printed: Any
) -> None:
    ours = compare_loss_object(name, y_true, y_pred, **options)
    # The docstrings print 2 to 4 significant digits (0.51 is 0.5101...).
    np.testing.assert_allclose(ours, printed, rtol=2e-3, atol=5e-4)


# --- seeded random inputs ---------------------------------------------------------------------


def binary_inputs(
    seed: int, shape: tuple[int, ...], from_logits: bool, label_smoothing: float
) -> tuple[Array, Array]:
    """Hard and soft targets; probabilities with exact 0s and 1s, or logits up to ±1e4.

    An exact probability 1 sits only where the target is exactly 1 and unsmoothed: on a
    target below 1 it meets the float32 clip boundary (see test_float32_clip_boundary_at_one).
    """
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, shape).astype(np.float64)
    soft = rng.random(shape) < 0.3
    y_true[soft] = rng.random(soft.sum())
    if from_logits:
        y_pred = rng.normal(0.0, 4.0, shape)
        extreme = rng.random(shape) < 0.15
        y_pred[extreme] = rng.choice([-1e4, 1e4], extreme.sum())
    else:
        y_pred = rng.random(shape)
        y_pred[rng.random(shape) < 0.1] = 0.0
        if label_smoothing == 0:
            y_pred[(y_true == 1) & (rng.random(shape) < 0.3)] = 1.0
    return f32(y_true), f32(y_pred)


def categorical_inputs(
    seed: int, shape: tuple[int, ...], from_logits: bool, axis: int = -1
) -> tuple[Array, Array, Array]:
    """Labels, one-hot or soft targets, and probabilities (some rows exactly one-hot, some
    entries exactly 0) or logits up to ±1e4; classes along ``axis``."""
    rng = np.random.default_rng(seed)
    batch, n_classes = shape[:-1], shape[-1]
    labels = rng.integers(0, n_classes, batch)
    y_true = np.eye(n_classes)[labels]
    soft = rng.random(batch) < 0.3
    y_true[soft] = rng.dirichlet(np.ones(n_classes), soft.sum())
    if from_logits:
        y_pred = rng.normal(0.0, 4.0, shape)
        extreme = rng.random(shape) < 0.15
        y_pred[extreme] = rng.choice([-1e4, 1e4], extreme.sum())
    else:
        y_pred = rng.dirichlet(np.full(n_classes, 0.5), batch)
        y_pred[rng.random(shape) < 0.1] = 0.0
        # Some rows are certain, right or wrong: probability exactly 1 on one class.
        certain = (rng.random(batch) < 0.2) | (y_pred.sum(axis=-1) == 0)
        y_pred[certain] = np.eye(n_classes)[rng.integers(0, n_classes, certain.sum())]
        y_pred /= y_pred.sum(axis=-1, keepdims=True)
    return labels, np.moveaxis(f32(y_true), -1, axis), np.moveaxis(f32(y_pred), -1, axis)


# Few distinct shapes: JAX compiles every operation once per shape (about 0.3 s each).
SHAPES_AND_AXES = [((4,), -1), ((4, 5), -1), ((3, 4, 5), -1), ((3, 4, 5), 1), ((4, 5), 0)]


@pytest.mark.parametrize(("shape", "axis"), SHAPES_AND_AXES)
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_binary_crossentropy_matches_keras_on_random_inputs(
    shape: tuple[int, ...], axis: int, from_logits: bool, label_smoothing: float
) -> None:
    y_true, y_pred = binary_inputs(len(shape) + axis, shape, from_logits, label_smoothing)
    options: dict[str, Any] = {
        "from_logits": from_logits,
        "label_smoothing": label_smoothing,
        "axis": axis,
    }
    assert_matches_keras(
        kl.binary_crossentropy(y_true, y_pred, **options),
        keras.losses.binary_crossentropy(y_true, y_pred, **options),
    )


@pytest.mark.parametrize(("shape", "axis"), SHAPES_AND_AXES[1:])
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"gamma": 0.0},
        {"gamma": 3.5, "label_smoothing": 0.1},
        {"apply_class_balancing": True, "alpha": 0.6, "gamma": 1.5},
        {"from_logits": True, "label_smoothing": 0.2},
        {"from_logits": True, "apply_class_balancing": True, "gamma": 0.5},
    ],
)
def test_binary_focal_crossentropy_matches_keras_on_random_inputs(
    shape: tuple[int, ...], axis: int, options: dict[str, Any]
) -> None:
    from_logits = options.get("from_logits", False)
    smoothing = options.get("label_smoothing", 0.0)
    y_true, y_pred = binary_inputs(7 + axis, shape, from_logits, smoothing)
    if from_logits:
        # Keras's focal losses take sigmoid(z) in float32 and then log(1 - sigmoid(z)): from
        # |z| = 4.3 its own rounding exceeds 1e-6 relative, and from 16.1 the clip caps the
        # loss (see test_focal_losses_take_the_stable_path_for_logits).
        y_pred = f32(np.clip(y_pred, -4.0, 4.0))
    assert_matches_keras(
        kl.binary_focal_crossentropy(y_true, y_pred, axis=axis, **options),
        keras.losses.binary_focal_crossentropy(y_true, y_pred, axis=axis, **options),
    )


@pytest.mark.parametrize("shape", [(3,), (4, 5), (3, 4, 5)])
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_categorical_crossentropy_matches_keras_on_random_inputs(
    shape: tuple[int, ...], from_logits: bool, label_smoothing: float
) -> None:
    _, y_true, y_pred = categorical_inputs(len(shape), shape, from_logits)
    options: dict[str, Any] = {"from_logits": from_logits, "label_smoothing": label_smoothing}
    assert_matches_keras(
        kl.categorical_crossentropy(y_true, y_pred, **options),
        keras.losses.categorical_crossentropy(y_true, y_pred, **options),
    )


@pytest.mark.parametrize("from_logits", [False, True])
def test_categorical_crossentropy_on_another_axis_matches_keras(from_logits: bool) -> None:
    _, y_true, y_pred = categorical_inputs(3, (3, 4, 5), from_logits, axis=1)
    assert_matches_keras(
        kl.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=1),
        keras.losses.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=1),
    )


@pytest.mark.parametrize("shape", [(4, 5), (3, 4, 5)])
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"gamma": 0.0, "alpha": 1.0},
        {"gamma": 3.0, "label_smoothing": 0.2},
        {"alpha": "per class", "gamma": 1.0},
        {"from_logits": True, "label_smoothing": 0.1},
    ],
)
def test_categorical_focal_crossentropy_matches_keras_on_random_inputs(
    shape: tuple[int, ...], options: dict[str, Any]
) -> None:
    options = dict(options)
    if options.get("alpha") == "per class":
        options["alpha"] = list(np.linspace(0.1, 0.9, shape[-1]))
    from_logits = options.get("from_logits", False)
    _, y_true, y_pred = categorical_inputs(11, shape, from_logits)
    if from_logits:  # Keras takes softmax, then log, in float32: see the binary focal test
        y_pred = f32(np.clip(y_pred, -4.0, 4.0))
    assert_matches_keras(
        kl.categorical_focal_crossentropy(y_true, y_pred, **options),
        keras.losses.categorical_focal_crossentropy(y_true, y_pred, **options),
    )


@pytest.mark.parametrize("shape", [(3,), (4, 5), (3, 4, 5)])
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("trailing_one", [False, True])
def test_sparse_categorical_crossentropy_matches_keras_on_random_inputs(
    shape: tuple[int, ...], from_logits: bool, trailing_one: bool
) -> None:
    labels, _, y_pred = categorical_inputs(5, shape, from_logits)
    y_true = f32(labels)[..., np.newaxis] if trailing_one else f32(labels)
    assert_matches_keras(
        kl.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits),
        keras.losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits),
    )


@pytest.mark.parametrize("ignore_class", [-1, 0, 255])
def test_sparse_ignore_class_matches_keras_per_sample(ignore_class: int) -> None:
    labels, _, y_pred = categorical_inputs(6, (3, 4, 5), from_logits=False)
    labels[np.random.default_rng(1).random(labels.shape) < 0.3] = ignore_class
    options: dict[str, Any] = {"ignore_class": ignore_class}
    assert_matches_keras(
        kl.sparse_categorical_crossentropy(f32(labels), y_pred, **options),
        keras.losses.sparse_categorical_crossentropy(f32(labels), y_pred, **options),
    )


# --- reductions and sample weights -------------------------------------------------------------

REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None, "none"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weights", [None, "per loss"])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_every_reduction_matches_the_keras_loss_object(
    name: str, weights: str | None, reduction: str | None
) -> None:
    labels, y_true, y_pred = categorical_inputs(8, (3, 4, 5), from_logits=False)
    if name.startswith("binary"):
        y_true, y_pred = binary_inputs(8, (3, 4, 5), from_logits=False, label_smoothing=0.0)
    if name.startswith("sparse"):
        y_true = labels
    rng = np.random.default_rng(21)
    sample_weight = None if weights is None else rng.uniform(0.0, 2.0, (3, 4))
    compare_loss_object(name, y_true, y_pred, reduction, sample_weight)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "sample_weight",
    [0.7, [1.5], [0.2, 0.5, 3.0, 0.0], [[0.2], [0.5], [3.0], [0.0]]],
    ids=["scalar", "shape (1,)", "per sample", "per sample (4, 1)"],
)
def test_sample_weight_broadcasting_matches_keras(
    sample_weight: Any, reduction: str | None
) -> None:
    y_true, y_pred = binary_inputs(9, (4, 5), from_logits=True, label_smoothing=0.0)
    if reduction == "mean_with_sample_weight" and np.size(sample_weight) == 1:
        # A deliberate difference (test_mean_with_sample_weight_is_a_weighted_mean): xent's
        # single weight means what Keras computes from the same weight written out per sample.
        losses = kl.binary_crossentropy(y_true, y_pred, from_logits=True)
        ours = kl.reduce_loss(losses, sample_weight, reduction)
        written_out = f32(np.broadcast_to(sample_weight, (4,)))
        loss = keras.losses.BinaryCrossentropy(from_logits=True, reduction=reduction)
        assert_matches_keras(ours, loss(y_true, y_pred, sample_weight=written_out))
        return
    ours = compare_loss_object(
        "binary_crossentropy", y_true, y_pred, reduction, sample_weight, from_logits=True
    )
    if reduction in (None, "none") and np.ndim(sample_weight) == 2:
        assert np.shape(ours) == (4, 1)  # Keras adds the weights' trailing axis to the losses


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean", None])
def test_per_sample_weights_on_sequence_losses_match_keras(reduction: str | None) -> None:
    # Losses of shape (batch, T) = (3, 4) with weights (batch, 1): one weight per sequence.
    _, y_true, y_pred = categorical_inputs(12, (3, 4, 5), from_logits=True)
    weights = [[0.5], [1.0], [2.0]]
    compare_loss_object(
        "categorical_crossentropy", y_true, y_pred, reduction, weights, from_logits=True
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weights", [None, "per loss", "per sequence"])
def test_ignore_class_mask_reduces_like_keras(weights: str | None, reduction: str | None) -> None:
    # Keras divides by the number of entries that are not ignored; `mask` says which.
    labels, _, y_pred = categorical_inputs(13, (3, 4, 5), from_logits=True)
    labels[0, :2] = labels[2, 3] = 255
    sample_weight = {
        None: None,
        "per loss": np.random.default_rng(2).uniform(0.0, 2.0, (3, 4)),
        "per sequence": [[1.0], [2.0], [3.0]],
    }[weights]
    compare_loss_object(
        "sparse_categorical_crossentropy",
        labels,
        y_pred,
        reduction,
        sample_weight,
        mask=labels != 255,
        from_logits=True,
        ignore_class=255,
    )


def test_sum_over_batch_size_divides_by_the_number_of_losses_not_the_weights() -> None:
    # By hand: (0.8 * 1 + 0.2 * 3) / 2 = 0.7, where a weighted mean would give 1.4.
    assert kl.reduce_loss([1.0, 3.0], sample_weight=[0.8, 0.2]) == pytest.approx(0.7)
    assert kl.reduce_loss([1.0, 3.0], [0.8, 0.2], "mean_with_sample_weight") == pytest.approx(1.4)


# --- the float32 clip boundary ------------------------------------------------------------------


def test_float32_clip_boundary_at_one() -> None:
    # Keras clips to [1e-7, 1 - 1e-7] in float32, where 1 - 1e-7 rounds to 1 - 2**-23 (the
    # float32 spacing just below 1 is 2**-24 and 1e-7 is 1.68 of those). So where a
    # probability of exactly 1 meets a target below 1, Keras computes
    # -log(1 - (1 - 2**-23)) = 23 log 2 = 15.9424 where xent's float64 gives
    # -log(1e-7) = 7 log 10 = 16.1181. (The lower bound is harmless: float32(1e-7) is 1e-7
    # to 1.2e-8 relative.)
    y_true, y_pred = f32([0.0]), f32([1.0])
    for name in ["binary_crossentropy", "binary_focal_crossentropy"]:  # focal factor: 1
        ours_fn, keras_fn, _ = LOSSES[name]
        # rel 1e-9: float64(1 - 1e-7) is itself 1 - 1e-7 only to about 5e-10, relatively.
        assert ours_fn(y_true, y_pred) == pytest.approx(7 * np.log(10), rel=1e-9)
        assert float(keras_fn(y_true, y_pred)) == pytest.approx(23 * np.log(2), rel=1e-6)
    # With label smoothing 0.2 a target of 1 becomes 0.9, and the 0.1 left over meets the
    # boundary: xent 0.1 * 7 log 10 - 0.9 log(1 - 1e-7), Keras the same with 2**-23.
    smoothed = kl.binary_crossentropy([1.0], [1.0], label_smoothing=0.2)
    assert smoothed == pytest.approx(0.1 * 7 * np.log(10) - 0.9 * np.log1p(-1e-7), rel=1e-9)
    keras_smoothed = keras.losses.binary_crossentropy(f32([1]), f32([1]), label_smoothing=0.2)
    assert float(keras_smoothed) == pytest.approx(
        0.1 * 23 * np.log(2) - 0.9 * np.log1p(-(2.0**-23)), rel=1e-6
    )
    # The lower end agrees: a certain, wrong prediction costs 7 log 10 in both.
    assert_matches_keras(
        kl.binary_crossentropy([1.0], [0.0]), keras.losses.binary_crossentropy(f32([1]), f32([0]))
    )


def test_float32_clip_boundary_for_a_certain_right_class() -> None:
    # A one-hot prediction on the right class: xent -log(1 - 1e-7) = 1.00000005e-7, Keras
    # -log(1 - 2**-23) = 1.1920929e-7. The 2e-8 gap is why the random tests use an atol.
    ours = kl.categorical_crossentropy([0, 1, 0], [0.0, 1.0, 0.0])
    theirs = float(keras.losses.categorical_crossentropy(f32([0, 1, 0]), f32([0, 1, 0])))
    assert ours == pytest.approx(-np.log1p(-1e-7), rel=1e-12)
    assert theirs == pytest.approx(2.0**-23, rel=1e-6)


# --- deliberate differences from Keras ---------------------------------------------------------

THREE_CLASSES = [[0.2, 0.3, 0.5], [0.1, 0.8, 0.1]]


@pytest.mark.parametrize(
    ("labels", "bad", "message"),
    [
        ([1, -1], 1, r"y_true has labels outside 0\.\.2 \(for example -1\)"),
        ([3, 1], 0, r"y_true has labels outside 0\.\.2 \(for example 3\)"),
    ],
)
def test_labels_out_of_range_raise_where_keras_gives_zero(
    labels: list[int], bad: int, message: str
) -> None:
    theirs = keras.losses.sparse_categorical_crossentropy(f32(labels), f32(THREE_CLASSES))
    assert float(theirs[bad]) == 0.0  # Keras on JAX: a loss of 0 (one_hot of it is all 0)
    with pytest.raises(ValueError, match=message):
        kl.sparse_categorical_crossentropy(labels, THREE_CLASSES)


def test_fractional_labels_raise_where_keras_truncates() -> None:
    theirs = keras.losses.sparse_categorical_crossentropy(f32([1.7, 0]), f32(THREE_CLASSES))
    assert float(theirs[0]) == pytest.approx(-np.log(0.3), rel=1e-6)  # 1.7 read as class 1
    with pytest.raises(ValueError, match=r"y_true must hold integer class labels, got 1\.7"):
        kl.sparse_categorical_crossentropy([1.7, 0], THREE_CLASSES)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_logits_passed_as_probabilities_raise(name: str) -> None:
    ours_fn, keras_fn, _ = LOSSES[name]
    logits = f32([[2.5, -1.0, 0.3], [0.1, 1.7, -0.4]])
    y_true = [1, 0] if name.startswith("sparse") else f32([[1, 0, 0], [0, 1, 0]])
    assert np.isfinite(np.asarray(keras_fn(f32(y_true), logits))).all()  # Keras: silent
    with pytest.raises(
        ValueError, match=r"y_pred has values outside \[0, 1\].*use from_logits=True"
    ):
        ours_fn(y_true, logits)


def test_label_smoothing_counts_the_classes_along_axis() -> None:
    # Keras divides label_smoothing by the length of the *last* axis even when the classes
    # lie along another one; xent uses the classes along `axis`, so it agrees with Keras
    # on the same data laid out with the classes last.
    _, y_true, y_pred = categorical_inputs(14, (3, 4, 5), from_logits=False)
    moved_true, moved_pred = np.moveaxis(y_true, -1, 1), np.moveaxis(y_pred, -1, 1)
    for name in ["categorical_crossentropy", "categorical_focal_crossentropy"]:
        ours_fn, keras_fn, _ = LOSSES[name]
        ours = ours_fn(moved_true, moved_pred, label_smoothing=0.3, axis=1)
        assert_matches_keras(ours, keras_fn(y_true, y_pred, label_smoothing=0.3))
        keras_axis_1 = np.asarray(keras_fn(moved_true, moved_pred, label_smoothing=0.3, axis=1))
        assert not np.allclose(ours, keras_axis_1, rtol=1e-3)


def test_sparse_categorical_crossentropy_accepts_any_axis() -> None:
    labels, _, y_pred = categorical_inputs(15, (3, 4, 5), from_logits=True)
    moved = np.moveaxis(y_pred, -1, 1)
    with pytest.raises(ValueError, match="same shape up until the last dimension"):
        keras.losses.sparse_categorical_crossentropy(f32(labels), moved, axis=1)
    assert_matches_keras(
        kl.sparse_categorical_crossentropy(labels, moved, from_logits=True, axis=1),
        keras.losses.sparse_categorical_crossentropy(f32(labels), y_pred, from_logits=True),
    )


def test_focal_losses_take_the_stable_path_for_logits() -> None:
    # A logit of -1e4 for a true class: the probability is e^-1e4, so the cross-entropy is
    # 1e4 and the focal factor (1 - p)^2 is 1. Keras takes sigmoid/softmax first and clips,
    # which gives about 16.1 (with the float32 clip: 16.118 for p -> 1e-7).
    ours = kl.binary_focal_crossentropy([1.0], [-1e4], from_logits=True)
    assert ours == pytest.approx(1e4, rel=1e-12)
    theirs = keras.losses.binary_focal_crossentropy(f32([1]), f32([-1e4]), from_logits=True)
    assert float(theirs) == pytest.approx(7 * np.log(10), rel=1e-6)
    # Categorical, logits [1e4, 0]: true class 1 has log-probability -1e4, alpha = 0.25.
    ours = kl.categorical_focal_crossentropy([0, 1], [1e4, 0.0], from_logits=True)
    assert ours == pytest.approx(0.25 * 1e4, rel=1e-12)
    theirs = keras.losses.categorical_focal_crossentropy(
        f32([0, 1]), f32([1e4, 0]), from_logits=True
    )
    assert float(theirs) == pytest.approx(0.25 * 7 * np.log(10), rel=1e-6)


def test_mean_with_sample_weight_is_a_weighted_mean() -> None:
    # (Reductions are shared by every Keras loss; MeanAbsoluteError gives round numbers.)
    # Keras divides by the sum of sample_weight as passed, before broadcasting: one weight
    # of 0.5 on losses [1, 3] gives (0.5 + 1.5) / 0.5 = 4, the sum. xent broadcasts the
    # weight first: (0.5 + 1.5) / (0.5 + 0.5) = 2, the mean.
    loss = keras.losses.MeanAbsoluteError(reduction="mean_with_sample_weight")
    theirs = loss(f32([[0], [0]]), f32([[1], [3]]), sample_weight=f32(0.5))
    assert float(theirs) == pytest.approx(4.0)
    assert kl.reduce_loss([1.0, 3.0], 0.5, "mean_with_sample_weight") == pytest.approx(2.0)
    # Weights (batch, 1) on losses (batch, T) = (2, 2): Keras's divisor is 1 + 3 = 4, xent's
    # 2 * (1 + 3) = 8: (1*1 + 1*2 + 3*3 + 3*4) / 8 = 3.
    values, weights = [[1.0, 2.0], [3.0, 4.0]], [[1.0], [3.0]]
    assert kl.reduce_loss(values, weights, "mean_with_sample_weight") == pytest.approx(3.0)
    theirs = keras.losses.MeanAbsoluteError(reduction="mean_with_sample_weight")(
        f32([[[0], [0]], [[0], [0]]]), f32([[[1], [2]], [[3], [4]]]), sample_weight=f32(weights)
    )
    assert float(theirs) == pytest.approx(6.0)


def test_a_mean_over_nothing_raises_where_keras_returns_zero() -> None:
    loss = keras.losses.SparseCategoricalCrossentropy(ignore_class=-1)
    assert float(loss(f32([-1, -1]), f32(THREE_CLASSES))) == 0.0
    losses = kl.sparse_categorical_crossentropy([-1, -1], THREE_CLASSES, ignore_class=-1)
    with pytest.raises(ValueError, match="mask is False everywhere"):
        kl.reduce_loss(losses, mask=np.array([False, False]))
    with pytest.raises(ValueError, match="sample_weight sums to zero"):
        kl.reduce_loss([1.0, 2.0], [0.0, 0.0], "mean_with_sample_weight")
    assert kl.reduce_loss([1.0, 2.0], [0.0, 0.0]) == 0.0  # sum_over_batch_size: 0 / 2


def test_per_sample_weights_that_numpy_would_align_with_time_steps_raise() -> None:
    # Losses (batch, T) = (3, 3) and weights (3,): NumPy broadcasting (and so Keras) uses
    # them as per-time-step weights, silently; xent asks for (3, 1) or (1, 3).
    losses = np.arange(9.0).reshape(3, 3)
    theirs = keras.losses.MeanAbsoluteError(reduction="sum")(
        f32(np.zeros((3, 3, 1))), f32(losses[..., np.newaxis]), sample_weight=f32([1, 0, 0])
    )
    assert float(theirs) == pytest.approx(0 + 3 + 6)  # the first column, not the first row
    with pytest.raises(ValueError, match=r"sample_weight of shape \(3,\) does not fit"):
        kl.reduce_loss(losses, [1.0, 0.0, 0.0], "sum")
    assert kl.reduce_loss(losses, [[1.0], [0.0], [0.0]], "sum") == pytest.approx(0 + 1 + 2)


def test_rows_not_summing_to_one_are_renormalised_like_keras_with_a_warning() -> None:
    y_true, y_pred = f32([[0, 1, 0], [1, 0, 0]]), f32([[0.2, 0.4, 0.2], [3e-3, 1e-3, 1e-3]])
    for name in ["categorical_crossentropy", "categorical_focal_crossentropy"]:
        ours_fn, keras_fn, _ = LOSSES[name]
        with pytest.warns(
            UserWarning,
            match=r"y_pred's rows along axis 1 do not all sum to 1 \(one sums to 0\.8\)",
        ):
            ours = ours_fn(y_true, y_pred)
        assert_matches_keras(ours, keras_fn(y_true, y_pred))
    with pytest.warns(UserWarning, match="divided by their sums, as Keras does"):
        ours = kl.sparse_categorical_crossentropy([1, 0], y_pred)
    assert_matches_keras(ours, keras.losses.sparse_categorical_crossentropy(f32([1, 0]), y_pred))


def test_rows_of_zeros_raise_where_keras_returns_nan() -> None:
    y_pred = f32([[0, 0, 0], [0.1, 0.8, 0.1]])
    assert np.isnan(np.asarray(keras.losses.categorical_crossentropy(f32(ONE_HOT), y_pred))[0])
    with pytest.raises(ValueError, match="y_pred has rows of zeros along axis 1"):
        kl.categorical_crossentropy(ONE_HOT, y_pred)


def test_nan_raises_where_keras_returns_nan() -> None:
    y_pred = f32([[np.nan, 0.5], [0.5, 0.5]])
    assert np.isnan(np.asarray(keras.losses.binary_crossentropy(f32(BINARY_TRUE), y_pred))[0])
    with pytest.raises(ValueError, match="y_pred contains NaN"):
        kl.binary_crossentropy(BINARY_TRUE, y_pred)


def test_a_single_class_raises_where_keras_warns() -> None:
    with pytest.warns(SyntaxWarning, match="Consider using 'binary_crossentropy'"):
        keras.losses.categorical_crossentropy(f32([[1], [1]]), f32([[0.3], [0.9]]))
    with pytest.raises(ValueError, match="y_pred has a single class along axis 1"):
        kl.categorical_crossentropy([[1], [1]], [[0.3], [0.9]])


def test_categorical_targets_must_be_distributions() -> None:
    # Keras computes a number for any targets; rows of zeros even give a loss of 0.
    theirs = keras.losses.categorical_crossentropy(f32([[0, 0, 0], [1, 1, 0]]), f32(CLASS_PRED))
    assert float(np.asarray(theirs)[0]) == 0.0
    with pytest.raises(ValueError, match="y_true must sum to 1 along axis 1"):
        kl.categorical_crossentropy([[0, 0, 0], [1, 1, 0]], CLASS_PRED)


# --- errors that name the argument -------------------------------------------------------------

BCE, BFCE = kl.binary_crossentropy, kl.binary_focal_crossentropy
CCE, CFCE = kl.categorical_crossentropy, kl.categorical_focal_crossentropy
SCCE, REDUCE = kl.sparse_categorical_crossentropy, kl.reduce_loss
P2 = [[0.3, 0.7], [0.5, 0.5]]

TYPE_ERRORS: list[tuple[Callable[[], object], str]] = [
    (lambda: BCE("0.5", [0.5]), "y_true must be numeric"),
    (lambda: CCE(ONE_HOT, [["a", "b", "c"]] * 2), "y_pred must be numeric"),
    (lambda: SCCE(None, P2), "y_true must be numeric"),  # type: ignore[arg-type]
    (lambda: REDUCE([1.0], [object()]), "sample_weight must be numeric"),  # type: ignore[arg-type]
    (lambda: SCCE([0, 1], P2, ignore_class=1.0), "ignore_class must be"),  # type: ignore[arg-type]
    (lambda: BCE([1], [0.5], axis=1.0), "axis must be an integer"),  # type: ignore[arg-type]
    (lambda: BCE([1], [0.5], label_smoothing="0"), "label_smoothing must be"),  # type: ignore[arg-type]
    (lambda: REDUCE([1.0, 2.0], mask=[1, 0]), "mask must be a boolean array"),
]

VALUE_ERRORS: list[tuple[Callable[[], object], str]] = [
    (lambda: BCE([], []), "y_pred is empty"),
    (lambda: CCE(np.zeros((0, 3)), np.zeros((0, 3))), "y_pred is empty"),
    (lambda: REDUCE([]), "values is empty"),
    (lambda: BCE([0.0], [np.inf], from_logits=True), "y_pred contains infinite values"),
    (lambda: BCE([np.nan], [0.5]), "y_true contains NaN"),
    (lambda: REDUCE([1.0, np.nan]), "values contains NaN"),
    (lambda: REDUCE([1.0], sample_weight=[np.inf]), "sample_weight contains infinite"),
    (lambda: BCE([0, 1], [0.5, 0.5, 0.5]), "y_true and y_pred must have the same shape"),
    (lambda: CCE(ONE_HOT, P2), "y_true and y_pred must have the same shape"),
    (lambda: SCCE([[1, 0]], P2), r"y_true must have shape \(2,\)"),
    (lambda: BCE([0, 1], [0.5, 1.5]), r"y_pred has values outside \[0, 1\] \(for example 1\.5"),
    (lambda: BCE([0, 1], [-1e-9, 0.5]), "did you pass logits"),
    (lambda: BCE([0, 2], [0.5, 0.5]), r"y_true has values outside \[0, 1\]"),
    (lambda: CCE([[0.5, 0.6]], [[0.5, 0.5]]), "y_true must sum to 1"),
    (lambda: SCCE([0.5, 1], P2), "y_true must hold integer class labels, got 0.5"),
    (lambda: SCCE([0, 2], P2), r"y_true has labels outside 0\.\.1"),
    (lambda: BCE([0.5], [0.5], axis=1), "axis 1 is out of range for y_pred"),
    (lambda: SCCE([1, 2], CLASS_PRED, axis=-3), "axis -3 is out of range for y_pred"),
    (lambda: BCE([1], [0.5], label_smoothing=1.5), r"label_smoothing must be .* in \[0, 1\]"),
    (lambda: CCE(ONE_HOT, CLASS_PRED, label_smoothing=-0.1), "label_smoothing must be"),
    (lambda: BFCE([1], [0.5], alpha=1.5), r"alpha must be a finite number in \[0, 1\]"),
    (lambda: BFCE([1], [0.5], gamma=-1.0), "gamma must be a finite number at least 0"),
    (lambda: CFCE(ONE_HOT, CLASS_PRED, gamma=np.nan), "gamma must be a finite number"),
    (lambda: CFCE(ONE_HOT, CLASS_PRED, alpha=[0.5, 0.5]), r"alpha must be .* one per class \(3"),
    (lambda: CFCE(ONE_HOT, CLASS_PRED, alpha=-0.25), "alpha must be one non-negative number"),
    (lambda: REDUCE([1.0], reduction="auto"), "reduction must be one of"),
    (lambda: REDUCE([1.0], reduction="Sum"), "reduction must be one of .* got 'Sum'"),
    (lambda: REDUCE([1.0, 2.0], mask=[True]), "mask and values must have the same shape"),
    (lambda: REDUCE([1.0, 2.0], [1.0, 2.0, 3.0]), r"sample_weight of shape \(3,\) does not fit"),
    (lambda: REDUCE([[1.0, 2.0]], [[[1.0, 2.0]]]), r"sample_weight of shape \(1, 1, 2\)"),
]


@pytest.mark.parametrize(("call", "message"), TYPE_ERRORS)
def test_non_numeric_input_raises_a_type_error_naming_the_argument(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        call()


@pytest.mark.parametrize(("call", "message"), VALUE_ERRORS)
def test_bad_input_raises_a_value_error_naming_the_argument(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# --- results and inputs ---------------------------------------------------------------------------


def test_single_values_are_python_floats_and_batches_arrays() -> None:
    assert type(BCE([1.0, 0.0], [0.9, 0.2])) is float
    assert type(SCCE(1, [0.2, 0.8])) is float
    assert type(REDUCE([0.5, 0.25], reduction="sum")) is float
    assert isinstance(CCE(ONE_HOT, CLASS_PRED), np.ndarray)
    assert isinstance(REDUCE([0.5, 0.25], reduction=None), np.ndarray)


def test_inputs_are_never_modified() -> None:
    # Read-only float64 arrays (the validation passes float64 through without a copy): any
    # write into them, such as an in-place clip or renormalisation, would raise.
    def frozen(values: Any) -> Array:
        array = np.array(values, dtype=np.float64)
        array.flags.writeable = False
        return array

    probabilities = frozen([[0.0, 1.0, 0.0], [0.2, 0.2, 0.2]])  # clipped; renormalised
    one_hot, labels = frozen(ONE_HOT), frozen([1, 255])
    with pytest.warns(UserWarning, match="divided by their sums"):
        CCE(one_hot, probabilities, label_smoothing=0.1)
    with pytest.warns(UserWarning, match="divided by their sums"):
        CFCE(one_hot, probabilities, alpha=frozen([0.2, 0.3, 0.5]))
    with pytest.warns(UserWarning, match="divided by their sums"):
        SCCE(labels, probabilities, ignore_class=255)
    BFCE(frozen(P2), frozen(P2), apply_class_balancing=True, label_smoothing=0.2)
    BCE(frozen(P2), frozen([[-1e4, 3.0], [0.0, 1e4]]), from_logits=True)
    REDUCE(frozen([1.0, 2.0]), frozen([[0.5], [2.0]]), "none", mask=np.array([True, False]))
    np.testing.assert_array_equal(probabilities, [[0.0, 1.0, 0.0], [0.2, 0.2, 0.2]])


def test_smooth_labels_is_the_target_keras_trains_against() -> None:
    # Worked by hand: (1 - 0.2) * [1, 0, 0] + 0.2 / 3 and (1 - 0.1) * [1, 0] + 0.1 / 2.
    np.testing.assert_allclose(
        kl.smooth_labels([1.0, 0.0, 0.0], 0.2, 3), [0.8 + 0.2 / 3, 0.2 / 3, 0.2 / 3]
    )
    np.testing.assert_allclose(kl.smooth_labels([1.0, 0.0], 0.1, 2), [0.95, 0.05])
    # The loss against smoothed targets equals the smoothed loss of the hard ones.
    y, p = np.array([[0.0, 1.0, 0.0]]), np.array([[0.2, 0.7, 0.1]])
    np.testing.assert_allclose(
        kl.categorical_crossentropy(kl.smooth_labels(y, 0.3, 3), p),
        kl.categorical_crossentropy(y, p, label_smoothing=0.3),
        rtol=1e-15,
    )
    with pytest.raises(ValueError, match="n_classes must be a positive integer"):
        kl.smooth_labels([1.0], 0.1, 0)
