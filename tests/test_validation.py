"""The shared input checks: every problem gets an error that names the argument."""

from __future__ import annotations

import math

import numpy as np
import pytest

import xent
from xent import validation


@pytest.mark.parametrize(
    ("value", "error", "fragment"),
    [
        ("0.5", TypeError, "p must be numeric"),
        (None, TypeError, "p must be numeric"),
        ([["a", "b"]], TypeError, "p must be numeric"),
        ([object()], TypeError, "p must be numeric"),
        ([[0.5, 0.5], [1.0]], ValueError, "p is ragged"),
        ([], ValueError, "p is empty"),
        (np.zeros((3, 0)), ValueError, "p is empty"),
        ([0.5, np.nan], ValueError, "p contains NaN"),
        ([0.5, np.inf], ValueError, "p contains infinite values"),
    ],
)
def test_as_finite_array_rejects(value: object, error: type[Exception], fragment: str) -> None:
    with pytest.raises(error, match=fragment):
        validation.as_finite_array(value, "p")  # type: ignore[arg-type]


def test_as_finite_array_requires_dimensions() -> None:
    with pytest.raises(ValueError, match="p must have at least 1 dimension"):
        validation.as_finite_array(0.5, "p", min_ndim=1)


@pytest.mark.parametrize("value", [[-0.1, 1.1], [0.5, 1.5], [-1e-300, 1.0]])
def test_as_probabilities_rejects_values_outside_the_unit_interval(value: list[float]) -> None:
    with pytest.raises(ValueError, match=r"y_pred has values outside \[0, 1\]"):
        validation.as_probabilities(value, "y_pred")


def test_as_probabilities_accepts_the_closed_interval_and_keeps_the_caller_array() -> None:
    original = np.array([0.0, 1.0, 0.25], dtype=np.float32)
    result = validation.as_probabilities(original, "p")
    assert result.dtype == np.float64
    result[0] = 0.5  # a float32 input is copied, never written through
    assert original[0] == 0.0


@pytest.mark.parametrize(
    "value",
    [[0.5, 0.6], [0.2, 0.2], [[0.5, 0.5], [0.3, 0.3]], [0.5, 0.5 + 2e-6]],
)
def test_as_distribution_rejects_rows_not_summing_to_one(value: list[float]) -> None:
    with pytest.raises(ValueError, match="p must sum to 1 along axis"):
        validation.as_distribution(value, "p")


def test_sum_tolerance_is_as_documented() -> None:
    bound = validation.sum_tolerance(2)
    inside = [0.5, 0.5 + 0.9 * bound]
    outside = [0.5, 0.5 + 1.1 * bound]
    validation.as_distribution(inside, "p")
    with pytest.raises(ValueError, match=r"within 9\.6e-07, the rounding error of 2 values"):
        validation.as_distribution(outside, "p")


def test_as_distribution_checks_the_requested_axis() -> None:
    columns = np.array([[0.5, 0.1], [0.5, 0.9]])
    _, axis = validation.as_distribution(columns, "p", axis=0)
    assert axis == 0
    with pytest.raises(ValueError, match="along axis 1"):
        validation.as_distribution(columns, "p", axis=1)


@pytest.mark.parametrize(
    ("axis", "error"), [(2, ValueError), (-3, ValueError), (1.0, TypeError), (True, TypeError)]
)
def test_check_axis(axis: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="axis"):
        validation.check_axis(np.ones((2, 2)), axis, "p")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("base", "error"),
    [
        (1, ValueError),
        (0, ValueError),
        (-2, ValueError),
        (np.inf, ValueError),
        ("2", TypeError),
        (True, TypeError),
    ],
)
def test_check_base_rejects(base: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="base must be"):
        validation.check_base(base)  # type: ignore[arg-type]


def test_check_same_shape_names_both_arguments() -> None:
    with pytest.raises(
        ValueError, match=r"p and q must have the same shape, got \(2,\) and \(3,\)"
    ):
        validation.check_same_shape(np.ones(2), np.ones(3), "p", "q")


def test_warnings_point_at_the_callers_line() -> None:
    import xent

    with pytest.warns(UserWarning) as caught:
        xent.log_loss([0, 1], [[0.5, 0.4], [0.1, 0.9]])
    assert caught[0].filename == __file__


# --- the sum tolerance follows the dtype and the length ---------------------------------------

CLASS_COUNTS = [10, 1_000, 131_072, 262_144]


def _numpy_softmax(n: int, dtype: type) -> np.ndarray:
    z = np.random.default_rng(n).normal(scale=3.0, size=(2, n)).astype(dtype)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _torch_softmax(n: int, dtype: str) -> np.ndarray:
    import torch

    z = torch.tensor(np.random.default_rng(n).normal(scale=3.0, size=(2, n)))
    return torch.softmax(z.to(getattr(torch, dtype)), dim=1)  # type: ignore[no-any-return]


def _jax_softmax(n: int, dtype: str) -> np.ndarray:
    import jax
    import jax.numpy as jnp

    z = np.random.default_rng(n).normal(scale=3.0, size=(2, n)).astype(np.float32)
    rows = jnp.asarray(z, dtype=getattr(jnp, dtype))
    return jax.nn.softmax(rows, axis=1)  # type: ignore[no-any-return]


@pytest.mark.parametrize("framework", ["numpy", "torch", "jax"])
def test_softmax_outputs_of_numpy_torch_and_jax_are_distributions(framework: str) -> None:
    make = {"numpy": _numpy_softmax, "torch": _torch_softmax, "jax": _jax_softmax}[framework]
    dtypes = ["float16", "float32"] if framework == "jax" else ["float16", "float32", "float64"]
    counts = [10, 262_144] if framework == "jax" else CLASS_COUNTS  # (each shape compiles)
    for dtype in dtypes:  # (JAX computes in float32 unless its 64-bit mode is on)
        for n in counts:
            p = make(n, getattr(np, dtype) if framework == "numpy" else dtype)
            validation.as_distribution(p, "p")
            assert np.isfinite(xent.entropy(p)).all(), (framework, dtype, n)


def test_the_tolerance_is_the_rounding_error_of_summing_n_terms() -> None:
    # (10 sqrt(n) + 2) u with u the unit roundoff of the input's precision, float32's at the
    # finest: the documented bound, worked by hand for three terms.
    three = 10.0 * math.sqrt(3.0) + 2.0
    assert validation.sum_tolerance(3, np.dtype(np.float16)) == three * 2.0**-11
    assert validation.sum_tolerance(3, np.dtype(np.float32)) == three * 2.0**-24
    assert validation.sum_tolerance(3, np.dtype(np.float64)) == three * 2.0**-24
    assert validation.sum_tolerance(3, "torch.bfloat16") == three * 2.0**-8
    half = np.array([0.1, 0.2, 0.7], dtype=np.float16)  # sums to 1.000122 in float64
    assert xent.entropy(half) == pytest.approx(xent.entropy([0.1, 0.2, 0.7]), rel=1e-3)
    bound = validation.sum_tolerance(2, np.dtype(np.float64))
    validation.as_distribution([0.5, 0.5 + 0.9 * bound], "p")
    with pytest.raises(ValueError, match="p must sum to 1 along axis 0"):
        validation.as_distribution([0.5, 0.5 + 1.1 * bound], "p")


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_real_non_distributions_are_still_rejected(dtype: type) -> None:
    n = 1_000
    weights = np.random.default_rng(1).uniform(0.5, 1.5, (2, n))
    p = weights / weights.sum(axis=1, keepdims=True)  # a distribution; times 1.5 it is not
    unnormalised = [p * 1.5, p * 0.5, np.full((2, n), 0.5), np.full((2, n), 1.0 / (0.8 * n))]
    for bad in [*unnormalised, np.ones((2, 4)), np.array([[0.3, 0.3, 0.3]])]:
        with pytest.raises(ValueError, match="must sum to 1"):
            validation.as_distribution(bad.astype(dtype), "p")


def test_every_function_that_checks_a_distribution_takes_a_float32_softmax_of_128k() -> None:
    import warnings

    from xent import keras_losses, multiclass, torch_losses

    n = 131_072
    import torch

    z = torch.tensor(np.random.default_rng(0).normal(scale=3.0, size=(2, n)), dtype=torch.float32)
    p, log_p = torch.softmax(z, dim=1), torch.log_softmax(z, dim=1)
    logits = z.double().numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        xent.entropy(p)
        xent.cross_entropy(p, p)
        xent.kl_divergence(p, p)
        torch_losses.cross_entropy(logits, p)
        torch_losses.nll_loss(log_p, [0, 1])
        multiclass.softmax_cross_entropy_gradient(p, logits)
        keras_losses.categorical_crossentropy(p, p)  # no "do not sum to 1" warning


# --- low-precision and framework input: one policy ---------------------------------------------


def test_bfloat16_arrays_and_tensors_are_converted_exactly() -> None:
    import jax.numpy as jnp
    import ml_dtypes
    import torch

    values = [0.25, 0.5, 0.25]  # exact in bfloat16
    for array in (
        np.array(values, dtype=ml_dtypes.bfloat16),
        jnp.array(values, dtype=jnp.bfloat16),
        torch.tensor(values, dtype=torch.bfloat16),
    ):
        converted = validation.as_float_array(array, "p")
        assert converted.dtype == np.float64
        np.testing.assert_array_equal(converted, values)
        assert xent.entropy(array) == xent.entropy(values)


def test_a_tensor_that_requires_grad_is_refused_with_the_fix() -> None:
    import torch

    z = torch.zeros(3, requires_grad=True)
    with pytest.raises(TypeError, match=r"z is a tensor that requires grad.*z\.detach\(\)"):
        xent.softmax(z)
    from xent import torch_losses

    with pytest.raises(TypeError, match=r"input is a tensor that requires grad"):
        torch_losses.cross_entropy(z[None], [0])
    np.testing.assert_array_equal(xent.softmax(z.detach()), np.full(3, 1 / 3))
