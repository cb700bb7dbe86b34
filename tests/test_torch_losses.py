"""xent.torch_losses against real PyTorch 2.13 (CPU, float64), and against mpmath where
PyTorch itself loses digits.

Agreement is 1e-12 relative, element by element for ``reduction="none"`` and for the
reduced values. Where PyTorch's formula cancels (a dominant logit in ``cross_entropy``,
``y = 0`` with a very negative logit in ``binary_cross_entropy_with_logits``) the expected
values come from mpmath at 50 digits instead, and the tests show how far PyTorch is off.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import pytest

from tests.lazy_import import LazyModule
from xent import torch_losses as xt

torch = LazyModule("torch")
F = LazyModule("torch.nn.functional")


RTOL = 1e-12
REDUCTIONS = ("none", "mean", "sum")
RNG_SEED = 20261201


def as_tensor(value: Any) -> Any:
    """NumPy in, torch out: integer arrays become class indices (int64), the rest float64."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    array = np.asarray(value)
    dtype = torch.int64 if array.dtype.kind in "iu" else torch.float64
    return torch.tensor(array, dtype=dtype)


def torch_value(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    result = function(*map(as_tensor, args), **{k: as_tensor(v) for k, v in kwargs.items()})
    return result.item() if result.ndim == 0 else result.numpy()


def assert_matches_torch(name: str, *args: Any, **kwargs: Any) -> None:
    """xent's function ``name`` and torch's agree for every reduction."""
    reductions = ("none", "mean", "sum", "batchmean") if name == "kl_div" else REDUCTIONS
    for reduction in reductions:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "reduction: 'mean'", UserWarning)
            warnings.filterwarnings("ignore", "kl_div: reduction='mean'", UserWarning)
            expected = torch_value(getattr(F, name), *args, reduction=reduction, **kwargs)
            got = getattr(xt, name)(*args, reduction=reduction, **kwargs)
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=0, err_msg=reduction)
        assert np.shape(got) == np.shape(expected), reduction
        if np.ndim(got) == 0:
            assert type(got) is float


fixed = np.random.default_rng(RNG_SEED)  # for the parameters below
SHAPES = {  # input shapes: one sample, a batch, and K-dimensional (images, sequences)
    "(C,)": (4,),
    "(N,C)": (6, 4),
    "(N,C,d)": (3, 4, 5),
    "(N,C,d1,d2)": (2, 4, 3, 2),
}


def logits_and_labels(shape: tuple[int, ...], ignore: bool) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng([RNG_SEED, *shape])
    z = rng.normal(scale=2.0, size=shape)
    label_shape = shape[:1] + shape[2:] if len(shape) > 1 else ()
    labels = rng.integers(0, shape[min(1, len(shape) - 1)], size=label_shape)
    if ignore and labels.ndim:
        labels.flat[::3] = -100
    return z, labels


WEIGHT = np.array([0.5, 2.0, 1.0, 3.0])
OPTIONS: dict[str, dict[str, Any]] = {
    "plain": {},
    "weight": {"weight": WEIGHT},
    "ignore_index": {"ignore": True},
    "weight+ignore_index": {"weight": WEIGHT, "ignore": True},
    "ignore_index=1": {"ignore_index": 1},
    "label_smoothing": {"label_smoothing": 0.1},
    "label_smoothing+weight+ignore_index": {
        "label_smoothing": 0.25,
        "weight": WEIGHT,
        "ignore": True,
    },
}


@pytest.mark.parametrize("option", OPTIONS)
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_cross_entropy_with_class_indices(shape: tuple[int, ...], option: str) -> None:
    kwargs = dict(OPTIONS[option])
    z, labels = logits_and_labels(shape, kwargs.pop("ignore", False))
    assert_matches_torch("cross_entropy", z, labels, **kwargs)


@pytest.mark.parametrize("option", OPTIONS)
def test_cross_entropy_gradient_is_what_autograd_gives(option: str) -> None:
    kwargs = dict(OPTIONS[option])
    z, labels = logits_and_labels(SHAPES["(N,C,d)"], kwargs.pop("ignore", False))
    for reduction in ("mean", "sum"):
        logits = torch.tensor(z, requires_grad=True)
        torch_kwargs = {k: as_tensor(v) for k, v in kwargs.items()}
        F.cross_entropy(
            logits, torch.tensor(labels), reduction=reduction, **torch_kwargs
        ).backward()
        got = xt.cross_entropy_gradient(z, labels, reduction=reduction, **kwargs)
        np.testing.assert_allclose(got, logits.grad.numpy(), rtol=RTOL, atol=1e-17)


def test_cross_entropy_gradient_with_probabilities_and_one_sample() -> None:
    z = np.array([[2.0, -1.0, 0.5], [0.0, 0.0, 30.0]])
    p = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
    logits = torch.tensor(z, requires_grad=True)
    F.cross_entropy(logits, torch.tensor(p), weight=torch.tensor([1.0, 2, 3])).backward()
    got = xt.cross_entropy_gradient(z, p, weight=[1.0, 2, 3])
    np.testing.assert_allclose(got, logits.grad.numpy(), rtol=RTOL, atol=1e-17)
    one = torch.tensor(z[0], requires_grad=True)
    F.cross_entropy(one, torch.tensor(2)).backward()
    np.testing.assert_allclose(xt.cross_entropy_gradient(z[0], 2), one.grad.numpy(), rtol=RTOL)


@pytest.mark.parametrize("option", ["plain", "weight", "label_smoothing", "smoothing+weight"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_cross_entropy_with_class_probabilities(shape: tuple[int, ...], option: str) -> None:
    rng = np.random.default_rng([RNG_SEED, *shape])
    z = rng.normal(scale=2.0, size=shape)
    p = np.exp(rng.normal(size=shape))
    p[(0,) * len(shape)] = 0.0  # a class of probability 0
    p /= p.sum(axis=min(1, len(shape) - 1), keepdims=True)
    kwargs = {
        "plain": {},
        "weight": {"weight": WEIGHT},
        "label_smoothing": {"label_smoothing": 0.2},
        "smoothing+weight": {"label_smoothing": 0.2, "weight": WEIGHT},
    }[option]
    assert_matches_torch("cross_entropy", z, p, **kwargs)


def test_weighted_mean_divides_by_the_weights_of_the_targets_for_indices_only() -> None:
    z = np.array([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    labels = np.array([0, 1, 1])
    w = np.array([1.0, 4.0])
    by_hand = -(
        1 * np.log(np.exp(2) / (np.exp(2) + 1)) + 4 * np.log(np.e / (np.e + 1)) + 4 * np.log(0.5)
    )
    assert xt.cross_entropy(z, labels, weight=w) == pytest.approx(by_hand / 9, rel=RTOL)
    one_hot = np.eye(2)[labels]  # the same targets as probabilities: divided by N = 3
    assert xt.cross_entropy(z, one_hot, weight=w) == pytest.approx(by_hand / 3, rel=RTOL)
    assert torch_value(F.cross_entropy, z, one_hot, weight=w) == pytest.approx(by_hand / 3)


@pytest.mark.parametrize("option", ["plain", "weight", "ignore_index"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_nll_loss(shape: tuple[int, ...], option: str) -> None:
    z, labels = logits_and_labels(shape, option == "ignore_index")
    log_q = torch.log_softmax(torch.tensor(z), dim=min(1, len(shape) - 1)).numpy()
    kwargs = {"weight": WEIGHT} if option == "weight" else {}
    assert_matches_torch("nll_loss", log_q, labels, **kwargs)


BINARY_P = np.array([[0.0, 0.3, 1.0, 1e-50], [0.999, 0.5, 1e-3, 1.0 - 1e-12]])
BINARY_Y = np.array([[1.0, 0.0, 1.0, 1.0], [0.0, 0.7, 1.0, 0.0]])  # soft and hard targets


@pytest.mark.parametrize(
    "weight",
    [None, np.array([1.0, 2.0, 0.5, 3.0]), fixed.uniform(size=(2, 4))],
    ids=["no weight", "per column", "per element"],
)
def test_binary_cross_entropy_and_its_clamp(weight: np.ndarray | None) -> None:
    assert_matches_torch("binary_cross_entropy", BINARY_P, BINARY_Y, weight=weight)


def test_the_clamp_makes_a_certain_wrong_prediction_cost_100_nats() -> None:
    assert xt.binary_cross_entropy([0.0, 1.0], [1.0, 0.0], reduction="none").tolist() == [
        100.0,
        100.0,
    ]
    assert torch_value(F.binary_cross_entropy, [0.0], [1.0]) == 100.0


EXTREME_Z = np.array([[1e4, -1e4, 800.0, -800.0], [0.0, 3.0, -2.5, 36.0]])
EXTREME_Y = np.array([[0.0, 1.0, 0.3, 1.0], [1.0, 0.5, 0.0, 1.0]])


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"weight": np.array([1.0, 2.0, 0.5, 3.0])},
        {"pos_weight": np.array([3.0, 0.5, 1.0, 10.0])},
        {"weight": fixed.uniform(size=(2, 4)), "pos_weight": np.array([2.0, 1.0, 4.0, 0.25])},
    ],
    ids=["plain", "weight", "pos_weight", "both"],
)
def test_binary_cross_entropy_with_logits(kwargs: dict[str, Any]) -> None:
    assert_matches_torch("binary_cross_entropy_with_logits", EXTREME_Z, EXTREME_Y, **kwargs)
    seeded = np.random.default_rng(RNG_SEED)
    z = seeded.normal(scale=2.0, size=(2, 4))
    y = (seeded.uniform(size=(2, 4)) < 0.5).astype(float)
    y[0, 0] = 0.25
    assert_matches_torch("binary_cross_entropy_with_logits", z, y, **kwargs)


def test_pos_weight_broadcasts_along_the_last_dimension() -> None:
    z, y = np.zeros((2, 3)), np.ones((2, 3))
    losses = xt.binary_cross_entropy_with_logits(z, y, pos_weight=[1.0, 2.0, 4.0], reduction="none")
    np.testing.assert_allclose(losses, np.log(2) * np.array([[1.0, 2.0, 4.0]] * 2), rtol=RTOL)


@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(log_target: bool) -> None:
    rng = np.random.default_rng(RNG_SEED)
    log_q = torch.log_softmax(torch.tensor(rng.normal(size=(4, 5))), dim=1).numpy()
    p = rng.dirichlet(np.ones(5), size=4)
    if log_target:
        assert_matches_torch("kl_div", log_q, np.log(p), log_target=True)
    else:
        p[0, :2] = [0.0, p[0, 0] + p[0, 1]]  # 0 log 0 = 0
        assert_matches_torch("kl_div", log_q, p)


def test_kl_div_batchmean_is_the_kl_divergence_per_sample_and_mean_warns() -> None:
    p, q = np.array([[0.9, 0.1]]), np.array([[0.5, 0.5]])
    by_hand = 0.9 * np.log(0.9 / 0.5) + 0.1 * np.log(0.1 / 0.5)
    assert xt.kl_div(np.log(q), p, reduction="batchmean") == pytest.approx(by_hand, rel=RTOL)
    with pytest.warns(UserWarning, match="batchmean"):
        assert xt.kl_div(np.log(q), p) == pytest.approx(by_hand / 2, rel=RTOL)
    with pytest.warns(UserWarning, match="batchmean"):
        F.kl_div(torch.tensor(np.log(q)), torch.tensor(p))


def test_extreme_logits_give_exact_losses_in_both() -> None:
    z = np.array([[1e4, 0.0, -1e4], [800.0, -800.0, 0.0], [-800.0, 800.0, 799.0]])
    assert xt.cross_entropy(z, [2, 1, 0], reduction="none").tolist() == [
        2e4,
        1600.0,
        1600.0 + np.log1p(np.exp(-1.0)),
    ]
    assert_matches_torch("cross_entropy", z, np.array([2, 1, 0]))
    assert_matches_torch("cross_entropy", z, np.array([0, 0, 1]), label_smoothing=0.1)
    assert_matches_torch("cross_entropy", z, np.eye(3)[[1, 2, 0]], weight=np.array([1.0, 2, 3]))


# --- documentation examples: the docstrings' calls, checked against torch -------------------

LOG_Q = np.log([[0.5, 0.25, 0.25], [0.1, 0.8, 0.1]])
Z_DOC = np.array([[2.0, 0.0, 0.0], [0.0, 3.0, 0.0]])
DOC_EXAMPLES = [
    ("nll_loss", (LOG_Q, np.array([0, 1])), {}, 0.458145),
    ("nll_loss", (LOG_Q, np.array([0, 1])), {"weight": np.array([3.0, 1, 1])}, 0.575646),
    ("cross_entropy", (Z_DOC, np.array([0, 1])), {}, 0.167234),
    ("cross_entropy", (Z_DOC, np.array([0, -100])), {}, 0.239545),
    ("cross_entropy", (Z_DOC, np.array([0, 1])), {"label_smoothing": 0.1}, 0.333901),
    ("cross_entropy", (np.array([[1e4, 0.0]]), np.array([1])), {}, 10000.0),
    ("binary_cross_entropy", (np.array([0.8, 0.4]), np.array([1.0, 0])), {}, 0.366985),
    ("binary_cross_entropy", (np.array([0.0]), np.array([1.0])), {}, 100.0),
    ("binary_cross_entropy_with_logits", (np.array([0.0]), np.array([1.0])), {}, 0.693147),
    (
        "binary_cross_entropy_with_logits",
        (np.array([-1e4]), np.array([1.0])),
        {"pos_weight": np.array([3.0])},
        30000.0,
    ),
    (
        "kl_div",
        (np.log([[0.5, 0.5]]), np.array([[0.9, 0.1]])),
        {"reduction": "batchmean"},
        0.368064,
    ),
]


@pytest.mark.parametrize("name, args, kwargs, shown", DOC_EXAMPLES)
def test_documentation_examples(name: str, args: tuple, kwargs: dict, shown: float) -> None:
    expected = torch_value(getattr(F, name), *args, **kwargs)
    assert getattr(xt, name)(*args, **kwargs) == pytest.approx(expected, rel=RTOL)
    assert round(expected, 6) == shown


# --- where PyTorch loses digits: mpmath at 50 digits is the reference ------------------------

mpmath.mp.dps = 50


def mp_log1p_exp(x: float) -> float:
    """log(1 + e^x), exactly rounded."""
    return float(mpmath.log1p(mpmath.exp(mpmath.mpf(x))))


@pytest.mark.parametrize("gap", [20.0, 40.0, 700.0])
def test_cross_entropy_of_a_dominant_logit_against_mpmath(gap: float) -> None:
    z = np.array([[0.0, -gap, -gap]])
    expected = mp_log1p_exp(-gap + np.log(2.0))  # log(1 + 2 e^-gap)
    got = xt.cross_entropy(z, [0])
    assert got == pytest.approx(expected, rel=1e-14)
    in_torch = torch_value(F.cross_entropy, z, np.array([0]))
    # PyTorch takes the log of the rounded sum 1 + 2e^-gap: relative error 3e-8 at a gap of
    # 20, and the loss is 0 (every digit lost) from a gap of about 37.
    assert abs(in_torch - expected) > 1e-9 * expected
    assert (in_torch == 0.0) == (gap > 37)


@pytest.mark.parametrize("z", [-20.0, -30.0, -50.0])
def test_bce_with_logits_for_a_negative_target_against_mpmath(z: float) -> None:
    expected = mp_log1p_exp(z)  # -log(1 - sigmoid(z)) = log(1 + e^z)
    got = xt.binary_cross_entropy_with_logits([z], [0.0])
    assert got == pytest.approx(expected, rel=1e-14)
    in_torch = torch_value(F.binary_cross_entropy_with_logits, np.array([z]), np.array([0.0]))
    # PyTorch's (1 - y) z - log sigmoid(z) subtracts two numbers near z: relative error
    # 3e-7 at z = -20, and 0 (every digit lost) from about z = -37.
    assert abs(in_torch - expected) > 1e-9 * expected
    assert (in_torch == 0.0) == (z < -37)


# --- loud where PyTorch is loud, and where it is silent ---------------------------------------

Z2 = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]])
WHAT_TORCH_DOES = [
    # (problem, function name, args, kwargs, what torch does: an exception type or "silent")
    ("a class index past the last class", "cross_entropy", (Z2, np.array([3, 0])), {}, IndexError),
    ("the class index -1", "cross_entropy", (Z2, np.array([-1, 0])), {}, IndexError),
    (
        "an unknown reduction",
        "cross_entropy",
        (Z2, np.array([1, 0])),
        {"reduction": "avg"},
        ValueError,
    ),
    (
        "label smoothing above 1",
        "cross_entropy",
        (Z2, np.array([1, 0])),
        {"label_smoothing": 1.5},
        RuntimeError,
    ),
    (
        "probabilities given an ignore_index",
        "cross_entropy",
        (Z2, np.eye(3)[[1, 0]]),
        {"ignore_index": 0},
        RuntimeError,
    ),
    (
        "logits given to binary_cross_entropy",
        "binary_cross_entropy",
        (np.array([2.0]), np.array([1.0])),
        {},
        RuntimeError,
    ),
    ("every target ignored", "cross_entropy", (Z2, np.array([-100, -100])), {}, "silent"),
    (
        "weights that are all zero",
        "cross_entropy",
        (Z2, np.array([1, 0])),
        {"weight": np.zeros(3)},
        "silent",
    ),
    (
        "probability targets summing to 1.5",
        "cross_entropy",
        (Z2, np.array([[1.5, 0, 0], [0, 0, 1]])),
        {},
        "silent",
    ),
    ("logits given to nll_loss", "nll_loss", (Z2, np.array([1, 0])), {}, "silent"),
    (
        "a binary target of 3",
        "binary_cross_entropy_with_logits",
        (np.array([1.0]), np.array([3.0])),
        {},
        "silent",
    ),
    (
        "probabilities given to kl_div",
        "kl_div",
        (np.array([[0.5, 0.5]]), np.array([[0.9, 0.1]])),
        {"reduction": "sum"},
        "silent",
    ),
]


@pytest.mark.parametrize(
    "problem, name, args, kwargs, in_torch", WHAT_TORCH_DOES, ids=[c[0] for c in WHAT_TORCH_DOES]
)
def test_xent_raises_where_torch_raises_or_returns_a_number(
    problem: str, name: str, args: tuple, kwargs: dict, in_torch: Any
) -> None:
    if in_torch == "silent":
        assert np.isscalar(torch_value(getattr(F, name), *args, **kwargs))
    else:
        with pytest.raises(in_torch):
            torch_value(getattr(F, name), *args, **kwargs)
    with pytest.raises(ValueError):
        getattr(xt, name)(*args, **kwargs)


def test_fractional_indices_and_flags_of_the_wrong_type_are_refused() -> None:
    with pytest.raises(ValueError, match="target holds fractional"):
        xt.cross_entropy(Z2, [1.5, 0.0])
    assert xt.cross_entropy(Z2, [1.0, 0.0]) == xt.cross_entropy(Z2, [1, 0])
    with pytest.raises(TypeError, match="log_target"):
        xt.kl_div(np.log([[0.5, 0.5]]), [[0.5, 0.5]], log_target=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ignore_index"):
        xt.cross_entropy(Z2, [1, 0], ignore_index=True)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="label_smoothing"):
        xt.cross_entropy(Z2, [1, 0], label_smoothing="0.1")  # type: ignore[arg-type]


def _quiet(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call with every warning an error and every floating-point flag raising."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        return function(*args, **kwargs)


def test_cross_entropy_of_logits_1e308_apart_is_exact_without_nan() -> None:
    # log_softmax([1e308, 0, -1e308]) is [0, -1e308, -inf] (-2e308 is beyond the float
    # range): the target's 0 on the -inf entry must count as 0, not 0 * -inf = NaN. By
    # hand: the losses are -log_softmax at the target, 1e308 and 0 (exp(-1e308) is below
    # every float, so log(1 + exp(-1e308) + exp(-2e308)) rounds to 0).
    z = np.array([[1e308, 0.0, -1e308]])
    assert _quiet(xt.cross_entropy, z, [1]) == 1e308
    assert _quiet(xt.cross_entropy, z, [0]) == 0.0
    assert _quiet(xt.cross_entropy, z, [[1.0, 0.0, 0.0]]) == 0.0
    assert _quiet(xt.cross_entropy, z, [[0.0, 1.0, 0.0]]) == 1e308
    # smoothing puts 0.3 / 3 on each class, and the weight 0 takes the -inf one away:
    # 0.1 * 1e308
    smoothed = _quiet(xt.cross_entropy, z, [0], weight=[1.0, 1.0, 0.0], label_smoothing=0.3)
    assert smoothed == pytest.approx(1e307, rel=1e-15)
    assert _quiet(xt.cross_entropy, z, [2]) == np.inf  # 2e308: the exact value overflows
    np.testing.assert_array_equal(_quiet(xt.cross_entropy_gradient, z, [1]), [[1.0, -1.0, 0.0]])
    # real PyTorch agrees where it has a finite answer
    for target in ([1], [0]):
        expected = F.cross_entropy(torch.tensor(z), torch.tensor(target)).item()
        assert _quiet(xt.cross_entropy, z, target) == expected


def test_means_of_losses_near_the_float_range_do_not_overflow() -> None:
    # Two losses of 1e308 add up to 2e308, beyond the float range, but their mean is 1e308.
    z = np.array([[1e308, 0.0], [1e308, 0.0]])
    assert _quiet(xt.cross_entropy, z, [1, 1]) == 1e308
    assert _quiet(xt.nll_loss, np.array([[0.0, -1e308], [0.0, -1e308]]), [1, 1]) == 1e308
    assert _quiet(xt.binary_cross_entropy_with_logits, [-1e308, -1e308], [1.0, 1.0]) == 1e308
    # a weight of 0 on a loss that overflows counts as 0, as it does for a finite loss
    assert (
        _quiet(
            xt.binary_cross_entropy_with_logits,
            [-1e308, 1.0],
            [1.0, 0.0],
            weight=[0.0, 1.0],
            pos_weight=[1e308, 1e308],
            reduction="sum",
        )
        == _quiet(xt.binary_cross_entropy_with_logits, [1.0], [0.0], reduction="sum")
    )


def test_nll_loss_ignores_padding_rows_as_torch_does() -> None:
    # A padded batch: the last row is zeros (not log-probabilities) and its target is
    # ignore_index, so it counts for nothing, in PyTorch and in xent.
    log_q = np.log(np.array([[0.5, 0.25, 0.25], [0.1, 0.8, 0.1], [1.0, 1.0, 1.0]]))
    log_q[2] = 0.0
    target = np.array([0, 1, -100])
    for reduction in REDUCTIONS:
        expected = torch_value(F.nll_loss, log_q, target, reduction=reduction)
        np.testing.assert_allclose(xt.nll_loss(log_q, target, reduction=reduction), expected)
    with pytest.raises(ValueError, match="log-probabilities"):
        xt.nll_loss(log_q, [0, 1, 2])  # the same row, counted, is refused


def test_numpy_booleans_are_flags_here_as_everywhere() -> None:
    log_q = np.log([[0.5, 0.5]])
    assert xt.kl_div(log_q, [[0.9, 0.1]], reduction="sum", log_target=np.False_) == pytest.approx(
        xt.kl_div(log_q, [[0.9, 0.1]], reduction="sum", log_target=False)
    )
    with pytest.raises(TypeError, match="log_target must be True or False"):
        xt.kl_div(log_q, [[0.9, 0.1]], log_target=0)
    with pytest.raises(TypeError, match="label_smoothing must be a real number"):
        xt.cross_entropy(log_q, [0], label_smoothing="0.1")
    with pytest.raises(ValueError, match="label_smoothing must be a finite number in"):
        xt.cross_entropy(log_q, [0], label_smoothing=1.5)
