"""The Rosetta appendix (book/rosetta.md), cell by cell, against the real libraries.

Each test names the table and row it pins: ``test_<table>_<row>``, with the tables
``binary``, ``multilabel``, ``integer`` (multi-class, integer labels) and ``soft``
(multi-class, class probabilities), and one column per library inside the test. The code
in the page's tabs is run too (``test_tabs_compute_the_same_loss``), so the copyable
snippets are the ones that give the numbers. Keras runs on JAX in float32 (its default),
so it is compared at 1e-6; TensorFlow is not installable here and its facts are cited.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.special import softmax
from sklearn.metrics import log_loss

from tests.lazy_import import LazyModule, keras_on_jax
from xent import torch_losses as xt

torch = LazyModule("torch")


def T(*args: Any, **kwargs: Any) -> Any:
    return torch.tensor(*args, **kwargs)


PAGE = Path(__file__).resolve().parents[1] / "book" / "rosetta.md"
KERAS_RTOL = 1e-6


@pytest.fixture(scope="module")
def keras() -> Any:
    return keras_on_jax()


@pytest.fixture(scope="module")
def optax() -> Any:
    import optax as optax_module  # type: ignore[import-untyped]

    return optax_module


def jnp(values: Any) -> Any:
    """float64 NumPy to a JAX array (float32, JAX's default, without a dtype warning)."""
    import jax.numpy

    array = np.asarray(values)
    return jax.numpy.asarray(array.astype(np.float32) if array.dtype.kind == "f" else array)


def as_float(value: Any) -> float:
    return float(np.asarray(value).item())  # one value, of any shape


# --- the tabs: the same computation in every library ------------------------------------------


def tab_sets() -> dict[str, tuple[str, dict[str, str]]]:
    """{table: (data code, {library: code})} from the page's ``tab-set`` blocks."""
    text = PAGE.read_text()
    found = {}
    pattern = r"<!-- rosetta: (\w+) -->\s*```python\n(.*?)```\s*::::\{tab-set\}(.*?)\n::::\n"
    for table, data, tabs in re.findall(pattern, text, flags=re.DOTALL):
        code = re.findall(r":::\{tab-item\} (.+?)\n.*?```python\n(.*?)```", tabs, flags=re.DOTALL)
        found[table] = (data, dict(code))
    return found


def test_the_page_has_one_tab_set_per_table() -> None:
    tables = tab_sets()
    assert set(tables) == {"binary", "multilabel", "integer", "soft"}
    for _, tabs in tables.values():
        assert set(tabs) == {"Keras", "PyTorch", "scikit-learn", "optax", "xent"}


@pytest.mark.parametrize("table", ["binary", "multilabel", "integer", "soft"])
def test_tabs_compute_the_same_loss(table: str, keras: Any, optax: Any) -> None:
    data, tabs = tab_sets()[table]
    losses = {}
    for library, code in tabs.items():
        namespace: dict[str, Any] = {}
        exec(data + code, namespace)  # noqa: S102 (the page's own snippets)
        losses[library] = as_float(namespace["loss"])
    exact = [losses[k] for k in ("PyTorch", "scikit-learn", "xent")]
    np.testing.assert_allclose(exact, exact[0], rtol=1e-12)
    np.testing.assert_allclose([losses["Keras"], losses["optax"]], exact[0], rtol=KERAS_RTOL)


# --- binary -------------------------------------------------------------------------------------

Y = np.array([1.0, 0.0, 1.0, 1.0])
Z = np.array([2.0, -1.0, 0.5, -3.0])
P = 1.0 / (1.0 + np.exp(-Z))
W = np.array([1.0, 2.0, 0.5, 4.0])
BY_HAND = -(Y * np.log(P) + (1 - Y) * np.log(1 - P))  # per-sample binary cross-entropy


def test_binary_expects(keras: Any, optax: Any) -> None:
    """Keras: probabilities, or logits with from_logits=True. PyTorch: BCELoss takes
    probabilities, BCEWithLogitsLoss logits. scikit-learn: probabilities only. optax: logits."""
    mean = BY_HAND.mean()
    assert as_float(keras.losses.BinaryCrossentropy()(Y, P)) == pytest.approx(mean, rel=1e-6)
    keras_logits = keras.losses.BinaryCrossentropy(from_logits=True)(Y, Z)
    assert as_float(keras_logits) == pytest.approx(mean, rel=KERAS_RTOL)
    assert torch.nn.BCELoss()(T(P), T(Y)).item() == pytest.approx(mean, rel=1e-12)
    assert torch.nn.BCEWithLogitsLoss()(T(Z), T(Y)).item() == pytest.approx(mean, rel=1e-12)
    assert log_loss(Y, P) == pytest.approx(mean, rel=1e-12)
    with pytest.raises(ValueError, match="greater than 1"):
        log_loss(Y, Z)
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        torch.nn.BCELoss()(T(Z), T(Y))
    optax_loss = optax.sigmoid_binary_cross_entropy(jnp(Z), jnp(Y))
    np.testing.assert_allclose(optax_loss, BY_HAND, rtol=KERAS_RTOL)


def test_binary_class_axis(keras: Any, optax: Any) -> None:
    """Keras averages over the last axis; PyTorch and optax work element by element."""
    y, z = Y.reshape(2, 2), Z.reshape(2, 2)
    assert keras.losses.binary_crossentropy(y, z, from_logits=True).shape == (2,)
    assert xt.binary_cross_entropy_with_logits(z, y, reduction="none").shape == (2, 2)
    assert torch.nn.BCEWithLogitsLoss(reduction="none")(T(z), T(y)).shape == (2, 2)
    assert optax.sigmoid_binary_cross_entropy(jnp(z), jnp(y)).shape == (2, 2)


def test_binary_reduction_with_weights(keras: Any, optax: Any) -> None:
    """Keras sum_over_batch_size: sum(w l) / N. PyTorch mean: sum(w l) / N. scikit-learn:
    sum(w l) / sum(w). optax: no reduction."""
    keras_loss = keras.losses.BinaryCrossentropy(from_logits=True)(
        Y[:, None], Z[:, None], sample_weight=W
    )
    assert as_float(keras_loss) == pytest.approx((W * BY_HAND).sum() / 4, rel=KERAS_RTOL)
    torch_loss = torch.nn.BCEWithLogitsLoss(weight=T(W))(T(Z), T(Y)).item()
    assert torch_loss == pytest.approx((W * BY_HAND).sum() / 4, rel=1e-12)
    sklearn_loss = log_loss(Y, P, sample_weight=W)
    assert sklearn_loss == pytest.approx((W * BY_HAND).sum() / W.sum(), rel=1e-12)
    assert keras.losses.BinaryCrossentropy().reduction == "sum_over_batch_size"
    assert optax.sigmoid_binary_cross_entropy(jnp(Z), jnp(Y)).shape == Y.shape


def test_binary_clip(keras: Any, optax: Any) -> None:
    """A certain, wrong probability: Keras clips at 1e-7 (16.12 nats, on JAX), PyTorch's
    BCELoss clamps the log at -100 (100 nats), scikit-learn clips at float64's eps (36.04
    nats). From logits nothing is clipped: a logit of -1e4 costs 1e4 everywhere."""
    one, zero = np.array([[1.0]]), np.array([[0.0]])
    assert as_float(keras.losses.binary_crossentropy(one, zero)) == pytest.approx(
        -np.log(1e-7), rel=1e-6
    )
    assert torch.nn.BCELoss()(T([0.0]), T([1.0])).item() == 100.0
    eps = np.finfo(np.float64).eps
    assert log_loss([1, 0], [0.0, 0.0]) == pytest.approx(-np.log(eps) / 2, rel=1e-12)
    assert log_loss([1, 0], [0.0, 0.0]) * 2 == pytest.approx(36.04365, rel=1e-6)
    keras_logit = keras.losses.binary_crossentropy(one, np.array([[-1e4]]), from_logits=True)
    assert as_float(keras_logit) == 1e4
    assert torch.nn.BCEWithLogitsLoss()(T([-1e4]), T([1.0])).item() == 1e4
    assert as_float(optax.sigmoid_binary_cross_entropy(jnp([-1e4]), jnp([1.0]))[0]) == 1e4


def test_binary_ignored_entries(keras: Any) -> None:
    """No library has an ignore marker for binary targets; a weight of 0 drops the loss but
    stays in the divisor of Keras and PyTorch, and leaves scikit-learn's."""
    w = np.array([1.0, 1.0, 1.0, 0.0])
    kept = BY_HAND[:3].sum()
    keras_loss = keras.losses.BinaryCrossentropy()(Y[:, None], P[:, None], sample_weight=w)
    assert as_float(keras_loss) == pytest.approx(kept / 4, rel=KERAS_RTOL)
    assert torch.nn.BCELoss(weight=T(w))(T(P), T(Y)).item() == pytest.approx(kept / 4)
    assert log_loss(Y, P, sample_weight=w) == pytest.approx(kept / 3, rel=1e-12)


def test_binary_label_minus_one_and_out_of_range(keras: Any, optax: Any) -> None:
    """Labels -1 and 3: Keras, BCEWithLogitsLoss and optax compute the formula (a negative
    "loss" for 3), BCELoss raises. scikit-learn takes -1 as a class name; a third class is
    an error."""
    expected = -(3 * np.log(0.9) - 2 * np.log(0.1))  # y log p + (1 - y) log(1 - p), y = 3
    assert expected < 0
    assert as_float(
        keras.losses.binary_crossentropy(np.array([[3.0]]), np.array([[0.9]]))
    ) == pytest.approx(expected, rel=1e-6)
    z = np.log(0.9 / 0.1)
    assert torch.nn.BCEWithLogitsLoss()(T([z]), T([3.0])).item() == pytest.approx(expected)
    assert as_float(optax.sigmoid_binary_cross_entropy(jnp([z]), jnp([3.0]))[0]) == pytest.approx(
        expected, rel=1e-5
    )
    minus = -(-np.log(0.9) + 2 * np.log(0.1))  # y = -1
    assert as_float(
        keras.losses.binary_crossentropy(np.array([[-1.0]]), np.array([[0.9]]))
    ) == pytest.approx(minus, rel=1e-6)
    for label in (-1.0, 3.0):
        with pytest.raises(RuntimeError, match="target should be between 0 and 1"):
            torch.nn.BCELoss()(T([0.9]), T([label]))
    assert log_loss([-1, 1, 1], [0.2, 0.7, 0.9]) == log_loss([0, 1, 1], [0.2, 0.7, 0.9])
    with pytest.raises(ValueError):
        log_loss([0, 1, 3], [0.2, 0.7, 0.9])


# --- multi-label --------------------------------------------------------------------------------

YM = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
ZM = np.array([[1.5, -0.5, 2.0], [-1.0, 0.3, -2.0]])
PM = 1.0 / (1.0 + np.exp(-ZM))
BY_HAND_M = -(YM * np.log(PM) + (1 - YM) * np.log(1 - PM))


def test_multilabel_class_axis_and_reduction(keras: Any, optax: Any) -> None:
    """Keras: mean over the classes (last axis), then sum(w_n l_n) / N with one weight per
    sample. PyTorch: mean over all N C elements, weight broadcast to (N, C), pos_weight one
    per class along the last dimension. optax: element by element."""
    w = np.array([1.0, 3.0])
    keras_loss = keras.losses.BinaryCrossentropy(from_logits=True)(YM, ZM, sample_weight=w)
    expected = (w * BY_HAND_M.mean(axis=1)).sum() / 2
    assert as_float(keras_loss) == pytest.approx(expected, rel=KERAS_RTOL)
    torch_loss = torch.nn.BCEWithLogitsLoss(weight=T(w[:, None]))(T(ZM), T(YM)).item()
    assert torch_loss == pytest.approx((w[:, None] * BY_HAND_M).sum() / 6, rel=1e-12)
    assert torch_loss == pytest.approx(expected, rel=1e-12)  # the same here: C per row
    rho = np.array([1.0, 2.0, 5.0])
    weighted = -(rho * YM * np.log(PM) + (1 - YM) * np.log(1 - PM))
    torch_pos = torch.nn.BCEWithLogitsLoss(pos_weight=T(rho))(T(ZM), T(YM)).item()
    assert torch_pos == pytest.approx(weighted.mean(), rel=1e-12)
    assert optax.sigmoid_binary_cross_entropy(jnp(ZM), jnp(YM)).shape == (2, 3)


def test_multilabel_scikit_learn_has_no_multilabel_log_loss() -> None:
    """scikit-learn: average log_loss over the columns. The indicator matrix passed whole
    gives, after a warning, the mean over rows of -sum log p over each row's positive labels,
    with neither the labels nor the probabilities normalised: not the multi-label loss, and
    not the cross-entropy of the rows read as distributions either."""
    by_column = np.mean([log_loss(YM[:, c], PM[:, c], labels=[0, 1]) for c in range(3)])
    assert by_column == pytest.approx(BY_HAND_M.mean(), rel=1e-12)
    with pytest.warns(UserWarning, match="do not sum to one"):
        indicator = log_loss(YM, PM)
    # by hand: row 1 has positives 0 and 2, row 2 has positive 2
    positives = [-np.log(PM[0, 0]) - np.log(PM[0, 2]), -np.log(PM[1, 2])]
    assert indicator == pytest.approx(np.mean(positives), rel=1e-12)
    rows_as_distributions = -(
        (YM / YM.sum(axis=1, keepdims=True)) * np.log(PM / PM.sum(axis=1, keepdims=True))
    ).sum(axis=1).mean()
    assert abs(indicator - rows_as_distributions) > 0.1
    assert abs(indicator - by_column) > 0.1


# --- multi-class, integer labels ----------------------------------------------------------------

YI = np.array([0, 2, 1, 2])
ZI = np.array([[2.0, 0.5, -1.0], [0.0, 1.0, 3.0], [1.0, 1.0, 0.0], [-2.0, 0.0, 0.5]])
QI = softmax(ZI, axis=1)
NLL = -np.log(QI[np.arange(4), YI])
WI = np.array([1.0, 2.0, 5.0])  # class weights


def test_integer_expects(keras: Any, optax: Any) -> None:
    """Keras: probabilities (or from_logits=True). PyTorch: CrossEntropyLoss logits, NLLLoss
    log-probabilities. scikit-learn: probabilities. optax: logits."""
    mean = NLL.mean()
    keras_loss = keras.losses.SparseCategoricalCrossentropy()(YI, QI)
    assert as_float(keras_loss) == pytest.approx(mean, rel=KERAS_RTOL)
    assert torch.nn.CrossEntropyLoss()(T(ZI), T(YI)).item() == pytest.approx(mean, rel=1e-12)
    nll = torch.nn.NLLLoss()(T(np.log(QI)), T(YI)).item()
    assert nll == pytest.approx(mean, rel=1e-12)
    twice = torch.nn.CrossEntropyLoss()(T(QI), T(YI)).item()  # softmax applied twice
    assert twice == pytest.approx(xt.cross_entropy(QI, YI), rel=1e-12)
    assert abs(twice - mean) > 0.1
    assert log_loss(YI, QI) == pytest.approx(mean, rel=1e-12)
    with pytest.raises(ValueError):
        log_loss(YI, ZI)
    optax_loss = optax.softmax_cross_entropy_with_integer_labels(jnp(ZI), jnp(YI))
    np.testing.assert_allclose(optax_loss, NLL, rtol=KERAS_RTOL)


def test_integer_class_axis(keras: Any, optax: Any) -> None:
    """PyTorch: classes on dimension 1, (N, C, L). Keras: the last axis, (N, L, C) (JAX
    refuses axis=1). optax: axis=-1 by default, any axis allowed. scikit-learn: columns
    in the sorted order of the labels."""
    rng = np.random.default_rng(7)
    z = rng.normal(size=(2, 3, 4))  # (N, C, L): 2 sequences of 4 tokens, 3 classes
    y = rng.integers(0, 3, size=(2, 4))
    torch_loss = torch.nn.CrossEntropyLoss()(T(z), T(y)).item()
    channels_last = np.moveaxis(z, 1, -1)
    keras_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, channels_last)
    assert as_float(keras_loss) == pytest.approx(torch_loss, rel=KERAS_RTOL)
    with pytest.raises(ValueError, match="same shape up until the last dimension"):
        keras.losses.sparse_categorical_crossentropy(y, z, from_logits=True, axis=1)
    optax_loss = optax.softmax_cross_entropy_with_integer_labels(jnp(z), jnp(y), axis=1)
    assert as_float(optax_loss.mean()) == pytest.approx(torch_loss, rel=KERAS_RTOL)
    names = np.array(["cat", "ant", "bee", "bee"])  # columns: ant, bee, cat
    assert log_loss(names, QI) == pytest.approx(log_loss([2, 0, 1, 1], QI), rel=1e-12)


def test_integer_reduction_with_class_weights(keras: Any, optax: Any) -> None:
    """Keras (class weights as sample weights): sum(w l) / N. PyTorch weight=: sum(w l) /
    sum(w_y). scikit-learn sample_weight=w[y]: sum(w l) / sum(w_y), like PyTorch."""
    w = WI[YI]
    weighted = (w * NLL).sum()
    keras_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(
        YI, ZI, sample_weight=w
    )
    assert as_float(keras_loss) == pytest.approx(weighted / 4, rel=KERAS_RTOL)
    torch_loss = torch.nn.CrossEntropyLoss(weight=T(WI))(T(ZI), T(YI)).item()
    assert torch_loss == pytest.approx(weighted / w.sum(), rel=1e-12)
    assert log_loss(YI, QI, sample_weight=w) == pytest.approx(weighted / w.sum(), rel=1e-12)
    assert optax.softmax_cross_entropy_with_integer_labels(jnp(ZI), jnp(YI)).shape == (4,)


def test_integer_clip(keras: Any, optax: Any) -> None:
    """A probability of 0 for the true class: Keras clips at 1e-7 (16.12 nats, JAX),
    PyTorch's NLLLoss gives inf for log 0, scikit-learn clips at eps (36.04 nats). From
    logits: exact everywhere (1e4 for a logit gap of 1e4)."""
    q = np.array([[0.0, 1.0]])
    keras_loss = keras.losses.SparseCategoricalCrossentropy()(np.array([0]), q)
    assert as_float(keras_loss) == pytest.approx(-np.log(1e-7), rel=1e-6)
    with np.errstate(divide="ignore"):
        assert torch.nn.NLLLoss()(T(np.log(q)), T([0])).item() == np.inf
    assert log_loss([0, 1], [[0.0, 1.0], [0.0, 1.0]]) * 2 == pytest.approx(36.04365, rel=1e-6)
    z = np.array([[-1e4, 0.0]])
    assert torch.nn.CrossEntropyLoss()(T(z), T([0])).item() == 1e4
    keras_logits = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(np.array([0]), z)
    assert as_float(keras_logits) == 1e4
    optax_loss = optax.softmax_cross_entropy_with_integer_labels(jnp(z), jnp([0]))
    assert as_float(optax_loss[0]) == 1e4


def test_integer_ignored_entries(keras: Any, optax: Any) -> None:
    """Keras ignore_class=k and PyTorch ignore_index=-100 drop the entry from the sum and
    from the divisor. scikit-learn has none (sample_weight=0 does the same). optax's
    where= gives those entries a loss of 0, and .mean() still divides by N."""
    y = YI.copy()
    y[1] = -100
    kept = NLL[[0, 2, 3]]
    keras_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-100)
    assert as_float(keras_loss(y, ZI)) == pytest.approx(kept.mean(), rel=KERAS_RTOL)
    assert torch.nn.CrossEntropyLoss()(T(ZI), T(y)).item() == pytest.approx(kept.mean())
    w = (y != -100).astype(float)
    assert log_loss(YI, QI, sample_weight=w) == pytest.approx(kept.mean(), rel=1e-12)
    mask = jnp(y != -100)
    optax_loss = optax.softmax_cross_entropy_with_integer_labels(jnp(ZI), jnp(YI), where=mask)
    assert as_float(optax_loss[1]) == 0.0
    assert as_float(optax_loss.mean()) == pytest.approx(kept.sum() / 4, rel=KERAS_RTOL)


def test_integer_label_minus_one_and_out_of_range(keras: Any, optax: Any) -> None:
    """Label -1 and label C: Keras on JAX gives a loss of 0 for both; PyTorch raises
    IndexError; scikit-learn takes -1 as a class name and refuses an unknown class; optax
    reads -1 as the last class and gives NaN for C."""
    for label in (-1, 3):
        keras_loss = keras.losses.sparse_categorical_crossentropy(
            np.array([label]), ZI[:1], from_logits=True
        )
        assert as_float(keras_loss[0]) == 0.0
        with pytest.raises(IndexError, match="out of bounds"):
            torch.nn.CrossEntropyLoss()(T(ZI[:1]), T([label]))
    with pytest.raises(RuntimeError, match="non-negative"):  # nor is torch's one_hot silent
        torch.nn.functional.one_hot(T([-1]), 3)
    assert log_loss([-1, 1, 2, 2], QI) == log_loss([0, 1, 2, 2], QI)
    with pytest.raises(ValueError, match="not belonging to the passed labels"):
        log_loss([0, 3, 1, 2], QI, labels=[0, 1, 2])
    minus_one = optax.softmax_cross_entropy_with_integer_labels(jnp(ZI[:1]), jnp([-1]))
    assert as_float(minus_one[0]) == pytest.approx(-np.log(QI[0, 2]), rel=KERAS_RTOL)
    past_end = optax.softmax_cross_entropy_with_integer_labels(jnp(ZI[:1]), jnp([3]))
    assert np.isnan(as_float(past_end[0]))


# --- multi-class, class probabilities (soft labels) ----------------------------------------------

PS = np.array([[0.7, 0.2, 0.1], [0.0, 0.1, 0.9], [0.5, 0.5, 0.0], [0.1, 0.1, 0.8]])
SOFT = -(PS * np.log(QI)).sum(axis=1)


def test_soft_expects_and_clip(keras: Any, optax: Any) -> None:
    """Keras: probabilities (clipped at 1e-7) or from_logits=True. PyTorch: logits only.
    scikit-learn: no soft labels. optax: logits."""
    keras_probabilities = keras.losses.CategoricalCrossentropy()(PS, QI)
    assert as_float(keras_probabilities) == pytest.approx(SOFT.mean(), rel=KERAS_RTOL)
    clipped = keras.losses.CategoricalCrossentropy()(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]))
    assert as_float(clipped) == pytest.approx(-np.log(1e-7), rel=1e-6)
    assert torch.nn.CrossEntropyLoss()(T(ZI), T(PS)).item() == pytest.approx(SOFT.mean())
    with pytest.raises(ValueError, match="Multioutput target"):
        log_loss(PS, QI)
    optax_loss = optax.softmax_cross_entropy(jnp(ZI), jnp(PS))
    np.testing.assert_allclose(optax_loss, SOFT, rtol=KERAS_RTOL)


def test_soft_reduction_with_class_weights(keras: Any) -> None:
    """PyTorch with probabilities divides by N even with class weights (with indices it
    divides by the weights of the targets); Keras divides by N."""
    weighted = -(WI * PS * np.log(QI)).sum(axis=1)
    torch_loss = torch.nn.CrossEntropyLoss(weight=T(WI))(T(ZI), T(PS)).item()
    assert torch_loss == pytest.approx(weighted.mean(), rel=1e-12)
    one_hot = np.eye(3)[YI]
    as_indices = torch.nn.CrossEntropyLoss(weight=T(WI))(T(ZI), T(YI)).item()
    as_probabilities = torch.nn.CrossEntropyLoss(weight=T(WI))(T(ZI), T(one_hot)).item()
    assert as_probabilities == pytest.approx(as_indices * WI[YI].sum() / 4, rel=1e-12)
    sample_weight = np.array([1.0, 2.0, 1.0, 0.5])
    keras_loss = keras.losses.CategoricalCrossentropy(from_logits=True)(
        PS, ZI, sample_weight=sample_weight
    )
    assert as_float(keras_loss) == pytest.approx((sample_weight * SOFT).sum() / 4, rel=1e-6)


def test_soft_ignored_entries(optax: Any) -> None:
    """PyTorch refuses ignore_index with probabilities; optax's where= masks entries;
    Keras has no marker (use sample_weight)."""
    with pytest.raises(RuntimeError, match="ignore_index is not supported"):
        torch.nn.CrossEntropyLoss(ignore_index=0)(T(ZI), T(PS))
    # a negative ignore_index (the default -100, or -5) is accepted and changes nothing
    by_hand = -(PS * np.log(softmax(ZI, axis=1))).sum(axis=1).mean()
    for ignore_index in (-100, -5):
        loss = torch.nn.CrossEntropyLoss(ignore_index=ignore_index)(T(ZI), T(PS)).item()
        assert loss == pytest.approx(by_hand, rel=1e-12)
    mask = jnp(np.ones_like(ZI, dtype=bool))
    masked = optax.softmax_cross_entropy(jnp(ZI), jnp(PS), where=mask)
    np.testing.assert_allclose(masked, SOFT, rtol=KERAS_RTOL)


def test_soft_targets_that_do_not_sum_to_one(keras: Any, optax: Any) -> None:
    """Targets summing to 1.5: every library computes the formula without a word."""
    bad = PS.copy()
    bad[0] = [1.5, 0.0, 0.0]
    expected = -(bad * np.log(QI)).sum(axis=1)
    keras_loss = keras.losses.categorical_crossentropy(bad, ZI, from_logits=True)
    np.testing.assert_allclose(keras_loss, expected, rtol=KERAS_RTOL)
    torch_loss = torch.nn.CrossEntropyLoss(reduction="none")(T(ZI), T(bad)).numpy()
    np.testing.assert_allclose(torch_loss, expected, rtol=1e-12)
    optax_loss = optax.softmax_cross_entropy(jnp(ZI), jnp(bad))
    np.testing.assert_allclose(optax_loss, expected, rtol=KERAS_RTOL)
    with pytest.raises(ValueError, match="target"):
        xt.cross_entropy(ZI, bad)


def test_the_value_quoted_under_the_binary_tabs() -> None:
    data, tabs = tab_sets()["binary"]
    namespace: dict[str, Any] = {}
    exec(data + tabs["xent"], namespace)  # noqa: S102 (the page's own snippet)
    assert f"All five give {namespace['loss']:.4f} nats" in PAGE.read_text()
