"""A catalogue of bad inputs, one per row, and the error each one must raise.

The tests run every row (``tests/test_bad_inputs.py``) and the book's appendix "How xent
fails" prints the table with the messages the rows produce, so the documentation of the
errors is the same table that the tests check.

Each :class:`BadInput` names a public function, the arguments that are wrong, the exception
type expected, and the argument that the message must name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import xent
from xent import coding
from xent import keras_losses as keras
from xent import torch_losses as torch
from xent.calibration import (
    brier_score,
    expected_calibration_error,
    fit_platt,
    fit_temperature,
    reliability_curve,
)
from xent.contrastive import (
    cosine_similarities,
    gaussian_views,
    gaussian_views_critic,
    gaussian_views_mutual_information,
    info_nce,
    info_nce_bound,
)
from xent.distributions import discretized_normal
from xent.divergence import distillation_gradient, distillation_loss, fit_normal_by_kl
from xent.evidence import claim_line, compare, stratified_splits
from xent.information import cross_entropy, entropy, kl_divergence, surprisal
from xent.logistic import (
    binary_cross_entropy_with_logits,
    log_loss,
    log_normalize,
    log_sigmoid,
    log_softmax,
    log_softmax_parts,
    logit,
    sigmoid,
    softmax,
)
from xent.multiclass import (
    softmax_cross_entropy_gradient,
    softmax_cross_entropy_hessian,
    softmax_with_temperature,
    train_softmax_regression,
)
from xent.mutual_information import (
    co_information,
    conditional_entropy,
    gaussian_mutual_information,
    joint_entropy,
    mutual_information,
)
from xent.training import (
    fit_logistic_regression,
    logit_gradient,
    loss_and_gradient,
    train_logistic_regression,
)

__all__ = ["CATALOGUE", "BadInput"]


@dataclass(frozen=True)
class BadInput:
    """One wrong call: ``function(*args, **kwargs)`` must raise ``error`` naming ``argument``."""

    problem: str
    function: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    error: type[Exception] = ValueError
    argument: str = "p"

    @property
    def name(self) -> str:
        """The function's name as a reader calls it.

        ``xent.entropy`` for a name that ``xent`` exports, else its module path,
        ``xent.training.train_logistic_regression``.
        """
        short = self.function.__name__
        if getattr(xent, short, None) is self.function:
            return f"xent.{short}"
        return f"{self.function.__module__}.{short}"

    @property
    def group(self) -> str:
        """The rows of one function form a group (one section of the appendix)."""
        return self.name

    @property
    def import_line(self) -> str:
        """The import that makes :attr:`call` work as written, such as ``import xent.training``."""
        return f"import {self.name.rpartition('.')[0]}"

    @property
    def call(self) -> str:
        """The call, written out so that it runs after :attr:`import_line`.

        For example ``xent.entropy([0.5, 0.6])``.
        """
        shown = [_short(a) for a in self.args] + [
            f"{k}={_short(v)}" for k, v in self.kwargs.items()
        ]
        return f"{self.name}({', '.join(shown)})"

    def message(self) -> str:
        """Run the call and return the error message; fail loudly if nothing is raised."""
        try:
            self.function(*self.args, **self.kwargs)
        except self.error as raised:
            return str(raised)
        raise AssertionError(f"{self.call} did not raise {self.error.__name__}")


def _short(value: Any) -> str:
    """A compact text form of an argument that runs as written (after ``import numpy as np``
    and the row's :attr:`BadInput.import_line`)."""
    kind = type(value)
    if isinstance(value, bytes):  # as hex: a repr may hold a backtick, which ends inline code
        return f"bytes.fromhex({value.hex()!r})"
    if kind.__module__.startswith("xent.") and repr(value).startswith(f"{kind.__name__}("):
        return f"{kind.__module__}.{value!r}"  # an object of xent's, as its module's name.Class(...)
    if isinstance(value, np.ma.MaskedArray):
        return (
            f"np.ma.masked_array({_short(value.data.tolist())}, mask={_short(value.mask.tolist())})"
        )
    if isinstance(value, np.ndarray) and value.dtype == object:
        return f"np.array({_short(value.tolist())}, dtype=object)"
    if isinstance(value, np.ndarray):
        if value.size == 0:
            return f"np.zeros({value.shape})"
        if value.size > 6:
            return f"<array of shape {value.shape}>"
        return f"np.array({_short(value.tolist())})"
    if isinstance(value, list | tuple):
        items = ", ".join(_short(item) for item in value)
        return (
            f"[{items}]"
            if isinstance(value, list)
            else f"({items}{',' if len(value) == 1 else ''})"
        )
    if isinstance(value, int) and abs(value) > 10**15 and str(abs(value)).rstrip("0") == "1":
        return f"{'-' if value < 0 else ''}10**{len(str(abs(value))) - 1}"
    if isinstance(value, float) and not np.isfinite(value):
        return "np.nan" if np.isnan(value) else ("np.inf" if value > 0 else "-np.inf")
    return repr(value)


NAN, INF = float("nan"), float("inf")
TWO_ROWS = [[0.5, 0.5], [0.2, 0.8]]

CATALOGUE: tuple[BadInput, ...] = (
    # --- distributions: entropy, cross-entropy, KL -------------------------------------------
    BadInput("probabilities that do not sum to one", entropy, ([0.5, 0.6],)),
    BadInput("counts instead of probabilities", entropy, ([3, 1, 2],)),
    BadInput("a negative probability", entropy, ([-0.1, 1.1],)),
    BadInput("NaN", entropy, ([0.5, NAN],)),
    BadInput("infinity", entropy, ([INF, 0.0],)),
    BadInput("an empty list", entropy, ([],)),
    BadInput("a batch with an empty axis", entropy, (np.zeros((3, 0)),)),
    BadInput("a scalar, not a distribution", entropy, (1.0,)),
    BadInput("ragged rows", entropy, ([[0.5, 0.5], [1.0]],)),
    BadInput("strings where numbers belong", entropy, (["0.5", "0.5"],), error=TypeError),
    BadInput("None", entropy, (None,), error=TypeError),
    BadInput("an axis that does not exist", entropy, (TWO_ROWS,), {"axis": 2}, argument="axis"),
    BadInput("a fractional axis", entropy, (TWO_ROWS,), {"axis": 1.0}, TypeError, "axis"),
    BadInput("base 1", entropy, ([0.5, 0.5],), {"base": 1}, argument="base"),
    BadInput("base 0", entropy, ([0.5, 0.5],), {"base": 0}, argument="base"),
    BadInput("a negative base", entropy, ([0.5, 0.5],), {"base": -2}, argument="base"),
    BadInput("a base given as text", entropy, ([0.5, 0.5],), {"base": "2"}, TypeError, "base"),
    BadInput(
        "a masked array (its mask would be lost)",
        entropy,
        (np.ma.masked_array([0.5, 0.5, 0.2], mask=[False, False, True]),),
        error=TypeError,
    ),
    BadInput("complex numbers", entropy, (np.array([0.5 + 0j, 0.5]),), error=TypeError),
    BadInput("an absurdly large base", entropy, ([0.5, 0.5],), {"base": 10**400}, argument="base"),
    BadInput("a probability above 1", surprisal, (1.5,)),
    BadInput("q of another shape", cross_entropy, ([0.5, 0.5], [0.2, 0.3, 0.5]), argument="q"),
    BadInput("q that does not sum to one", cross_entropy, ([0.5, 0.5], [0.5, 0.4]), argument="q"),
    BadInput(
        "rows of q that do not sum to one",
        cross_entropy,
        (TWO_ROWS, [[0.5, 0.5], [0.5, 0.6]]),
        argument="q",
    ),
    BadInput(
        "one distribution against a batch of two",
        cross_entropy,
        ([0.5, 0.5], TWO_ROWS),
        argument="shape",
    ),
    BadInput("NaN in q", kl_divergence, ([0.5, 0.5], [NAN, 1.0]), argument="q"),
    BadInput("p as percentages", kl_divergence, ([50, 50], [0.5, 0.5])),
    # --- logits and probabilities --------------------------------------------------------------
    BadInput("NaN logit", sigmoid, ([0.0, NAN],), argument="z"),
    BadInput("infinite logit", log_sigmoid, (-INF,), argument="z"),
    BadInput("a text logit", sigmoid, ("3",), error=TypeError, argument="z"),
    BadInput(
        "logits along a missing axis", log_softmax, ([1.0, 2.0],), {"axis": 1}, argument="axis"
    ),
    BadInput("an empty logit vector", softmax, ([],), argument="z"),
    BadInput("an infinite logit", log_softmax_parts, ([1.0, float("inf")],), argument="z"),
    BadInput("negative weights", log_normalize, ([0.5, -0.5],), argument="q"),
    BadInput("a row of zeros", log_normalize, ([[0.0, 0.0]],), argument="q"),
    BadInput("a probability above 1", logit, (1.2,)),
    BadInput(
        "logits and targets of different shapes",
        binary_cross_entropy_with_logits,
        ([1.0, 0.0], [0.5]),
        argument="y_true and z",
    ),
    BadInput(
        "a target outside [0, 1]",
        binary_cross_entropy_with_logits,
        ([2.0], [0.5]),
        argument="y_true",
    ),
    # --- scikit-learn's log loss ---------------------------------------------------------------
    BadInput("one class and no labels", log_loss, ([1, 1], [0.9, 0.8]), argument="labels"),
    BadInput(
        "a class listed twice in labels",
        log_loss,
        ([0, 1], [0.2, 0.7]),
        {"labels": [0, 1, 1]},
        argument="labels",
    ),
    BadInput(
        "a label missing from labels",
        log_loss,
        ([0, 2], [0.1, 0.9]),
        {"labels": [0, 1]},
        argument="labels",
    ),
    BadInput("more samples than predictions", log_loss, ([0, 1, 1], [0.2, 0.8]), argument="y_pred"),
    BadInput(
        "logits where probabilities belong", log_loss, ([0, 1], [-2.0, 3.0]), argument="y_pred"
    ),
    BadInput(
        "fewer columns than classes", log_loss, ([0, 1, 2], [[0.5, 0.5]] * 3), argument="y_pred"
    ),
    BadInput(
        "y_true and y_pred swapped",
        log_loss,
        ([0.9, 0.2, 0.9, 0.2], [1, 0, 1, 0]),
        argument="y_true",
    ),
    BadInput("NaN among the labels", log_loss, ([0.0, NAN], [0.2, 0.8]), argument="y_true"),
    BadInput("complex labels", log_loss, ([0j, 1 + 0j], [0.2, 0.8]), argument="y_true"),
    BadInput(
        "strings mixed with numbers",
        log_loss,
        (np.array(["a", 1], dtype=object), [0.2, 0.8]),
        argument="y_true",
    ),
    BadInput(
        "normalize=None",
        log_loss,
        ([0, 1], [0.2, 0.8]),
        {"normalize": None},
        TypeError,
        "normalize",
    ),
    BadInput("one-hot labels", log_loss, ([[0, 1], [1, 0]], TWO_ROWS), argument="y_true"),
    BadInput(
        "weights that sum to zero",
        log_loss,
        ([0, 1], [0.2, 0.8]),
        {"sample_weight": [0.0, 0.0]},
        argument="sample_weight",
    ),
    # --- Keras-compatible losses -----------------------------------------------------------------
    BadInput(
        "logits without from_logits=True",
        keras.binary_crossentropy,
        ([1.0, 0.0], [2.3, -1.1]),
        argument="y_pred",
    ),
    BadInput(
        'from_logits="no" (a string, which Python reads as true)',
        keras.binary_crossentropy,
        ([1.0], [0.5]),
        {"from_logits": "no"},
        TypeError,
        "from_logits",
    ),
    BadInput(
        'apply_class_balancing="yes"',
        keras.binary_focal_crossentropy,
        ([1.0], [0.5]),
        {"apply_class_balancing": "yes"},
        TypeError,
        "apply_class_balancing",
    ),
    BadInput(
        "targets and predictions of different shapes",
        keras.binary_crossentropy,
        ([[1.0, 0.0]], [[0.5, 0.5, 0.5]]),
        argument="y_true",
    ),
    BadInput(
        "label smoothing above 1",
        keras.binary_crossentropy,
        ([1.0], [0.5]),
        {"label_smoothing": 1.5},
        argument="label_smoothing",
    ),
    BadInput(
        "a one-hot target that is not a distribution",
        keras.categorical_crossentropy,
        ([[1.0, 1.0]], [[0.5, 0.5]]),
        argument="y_true",
    ),
    BadInput(
        "the label -1",
        keras.sparse_categorical_crossentropy,
        ([-1], TWO_ROWS[:1]),
        argument="y_true",
    ),
    BadInput(
        "a label past the last class",
        keras.sparse_categorical_crossentropy,
        ([2], TWO_ROWS[:1]),
        argument="y_true",
    ),
    BadInput(
        "a fractional label",
        keras.sparse_categorical_crossentropy,
        ([1.7], TWO_ROWS[:1]),
        argument="y_true",
    ),
    BadInput(
        "a fractional ignore_class",
        keras.sparse_categorical_crossentropy,
        ([0], TWO_ROWS[:1]),
        {"ignore_class": 1.5},
        TypeError,
        "ignore_class",
    ),
    BadInput(
        "an absurd number of classes",
        keras.smooth_labels,
        ([1.0, 0.0], 0.1, 10**400),
        argument="n_classes",
    ),
    BadInput(
        "a negative label smoothing",
        keras.smooth_labels,
        ([1.0, 0.0], -0.1, 2),
        argument="label_smoothing",
    ),
    BadInput(
        "a negative gamma",
        keras.binary_focal_crossentropy,
        ([1.0], [0.5]),
        {"gamma": -1.0},
        argument="gamma",
    ),
    BadInput(
        "alpha of the wrong length",
        keras.categorical_focal_crossentropy,
        ([[0.0, 1.0]], [[0.5, 0.5]]),
        {"alpha": [0.2, 0.3, 0.5]},
        argument="alpha",
    ),
    BadInput(
        "an unknown reduction",
        keras.reduce_loss,
        ([0.1, 0.2],),
        {"reduction": "average"},
        argument="reduction",
    ),
    BadInput(
        "sample weights of the wrong length",
        keras.reduce_loss,
        ([0.1, 0.2],),
        {"sample_weight": [1.0, 2.0, 3.0]},
        argument="sample_weight",
    ),
    # --- training and examples -------------------------------------------------------------------
    BadInput(
        "an unknown training loss",
        train_logistic_regression,
        ([[1.0], [-1.0]], [1, 0]),
        {"loss": "hinge"},
        argument="loss",
    ),
    BadInput(
        "a zero learning rate",
        train_logistic_regression,
        ([[1.0], [-1.0]], [1, 0]),
        {"learning_rate": 0.0},
        argument="learning_rate",
    ),
    BadInput(
        "a gradient tolerance of 0",
        fit_logistic_regression,
        ([[1.0], [-1.0]], [1, 0]),
        {"gradient_tolerance": 0.0},
        argument="gradient_tolerance",
    ),
    BadInput(
        "weights of the wrong length",
        loss_and_gradient,
        ([[1.0], [-1.0]], [1, 0], [0.0, 0.0], 0.0),
        {"loss": "cross_entropy"},
        argument="weights",
    ),
    BadInput(
        "labels outside [0, 1]",
        logit_gradient,
        ([2.0], [0.0]),
        {"loss": "cross_entropy"},
        argument="y_true",
    ),
    BadInput("a NaN mean", discretized_normal, ([0, 1, 2], NAN, 1.0), argument="mean"),
    BadInput(
        "an infinite standard deviation", discretized_normal, ([0, 1, 2], 1.0, INF), argument="sd"
    ),
    BadInput(
        "a standard deviation of True",
        discretized_normal,
        ([0, 1, 2], 1.0, True),
        error=TypeError,
        argument="sd",
    ),
    BadInput("a zero standard deviation", discretized_normal, ([0, 1, 2], 1.0, 0.0), argument="sd"),
    # --- xent.multiclass and xent.calibration ---------------------------------------------------
    BadInput(
        "a temperature of 0", softmax_with_temperature, ([1.0, 2.0], 0.0), argument="temperature"
    ),
    BadInput(
        "one target for a batch of logits",
        softmax_cross_entropy_gradient,
        ([1.0, 0.0], [[1.0, 2.0]]),
        argument="shape",
    ),
    BadInput("a batch of logits", softmax_cross_entropy_hessian, ([[1.0, 2.0]],), argument="z"),
    BadInput(
        "a single class",
        train_softmax_regression,
        ([[1.0], [2.0]], [0, 0]),
        {"learning_rate": 0.1, "n_steps": 10},
        argument="y",
    ),
    BadInput(
        "fractional class labels",
        train_softmax_regression,
        ([[1.0], [2.0]], [0.5, 1.0]),
        {"learning_rate": 0.1, "n_steps": 10},
        ValueError,
        "y",
    ),
    BadInput("a label of 2", brier_score, ([0, 2], [0.2, 0.8]), argument="y_true"),
    BadInput(
        "zero bins", reliability_curve, ([0, 1], [0.2, 0.8]), {"n_bins": 0}, argument="n_bins"
    ),
    BadInput(
        "an unknown binning",
        expected_calibration_error,
        ([0, 1], [0.2, 0.8]),
        {"strategy": "equal"},
        argument="strategy",
    ),
    BadInput(
        "logits that carry no information", fit_temperature, ([1.0, 1.0], [0, 1]), argument="z"
    ),
    BadInput("a label of 2 for Platt scaling", fit_platt, ([0.2, 0.8], [0, 2]), argument="y"),
    # --- xent.torch_losses ---
    BadInput(
        "a class index past the last class",
        torch.cross_entropy,
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], [3, 0]),
        argument="target",
    ),
    BadInput(
        "the class index -1",
        torch.cross_entropy,
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], [-1, 0]),
        argument="target",
    ),
    BadInput(
        "a fractional class index",
        torch.cross_entropy,
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], [1.5, 0]),
        argument="target",
    ),
    BadInput(
        "every target equal to ignore_index",
        torch.cross_entropy,
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], [-100, -100]),
        argument="ignore_index",
    ),
    BadInput(
        "class weights that are all zero",
        torch.cross_entropy,
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], [1, 0]),
        {"weight": [0.0, 0.0, 0.0]},
        argument="weight",
    ),
    BadInput(
        "one weight for two of three classes",
        torch.cross_entropy,
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], [1, 0]),
        {"weight": [1.0, 2.0]},
        argument="weight",
    ),
    BadInput(
        "probability targets that do not sum to one",
        torch.cross_entropy,
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], [[1.5, 0.0, 0.0], [0.0, 0.0, 1.0]]),
        argument="target",
    ),
    BadInput(
        "label smoothing above 1",
        torch.cross_entropy,
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], [1, 0]),
        {"label_smoothing": 1.5},
        argument="label_smoothing",
    ),
    BadInput(
        "an ignore_index given as a bool",
        torch.cross_entropy,
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], [1, 0]),
        {"ignore_index": True},
        TypeError,
        "ignore_index",
    ),
    BadInput(
        "an unknown reduction",
        torch.cross_entropy,
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], [1, 0]),
        {"reduction": "avg"},
        argument="reduction",
    ),
    BadInput(
        "logits where log-probabilities belong",
        torch.nll_loss,
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], [1, 0]),
        argument="cross_entropy",
    ),
    BadInput(
        "logits where probabilities belong",
        torch.binary_cross_entropy,
        ([2.3, -1.1], [1.0, 0.0]),
        argument="binary_cross_entropy_with_logits",
    ),
    BadInput(
        "a binary target of 3",
        torch.binary_cross_entropy_with_logits,
        ([1.0], [3.0]),
        argument="target",
    ),
    BadInput(
        "a negative pos_weight",
        torch.binary_cross_entropy_with_logits,
        ([1.0], [1.0]),
        {"pos_weight": [-1.0]},
        argument="pos_weight",
    ),
    BadInput(
        "probabilities where log-probabilities belong",
        torch.kl_div,
        ([[0.5, 0.5]], [[0.9, 0.1]]),
        {"reduction": "batchmean"},
        argument="input",
    ),
    BadInput(
        "log_target given as 1",
        torch.kl_div,
        ([[-0.7, -0.7]], [[0.5, 0.5]]),
        {"log_target": 1},
        TypeError,
        "log_target",
    ),
    BadInput(
        "the gradient of unreduced losses",
        torch.cross_entropy_gradient,
        ([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]], [1, 0]),
        {"reduction": "none"},
        argument="reduction",
    ),
    # --- xent.evidence ---
    BadInput(
        "scores of two methods on different numbers of splits",
        compare,
        ([0.3, 0.2, 0.4], [0.3, 0.25]),
        argument="a and b",
    ),
    BadInput("a single split", compare, ([0.3], [0.2]), argument="a"),
    BadInput("a NaN score", compare, ([0.3, NAN], [0.2, 0.25]), argument="a"),
    BadInput(
        "a confidence given in percent",
        compare,
        ([0.3, 0.2], [0.2, 0.25]),
        {"confidence": 95},
        argument="confidence",
    ),
    BadInput(
        'lower_is_better="yes"',
        compare,
        ([0.3, 0.2], [0.2, 0.25]),
        {"lower_is_better": "yes"},
        TypeError,
        "lower_is_better",
    ),
    BadInput(
        "a claim label with capitals and spaces",
        claim_line,
        ("Softmax twice", True, "on 20 of 20 splits"),
        argument="label",
    ),
    BadInput(
        'holds="yes"',
        claim_line,
        ("softmax-twice", "yes", "on 20 of 20 splits"),
        error=TypeError,
        argument="holds",
    ),
    BadInput(
        "a detail on two lines", claim_line, ("softmax-twice", True, "a\nb"), argument="detail"
    ),
    BadInput(
        "a class with a single sample",
        stratified_splits,
        ([0, 0, 1],),
        {"n_splits": 2, "test_fraction": 0.5, "seed": 0},
        argument="y",
    ),
    BadInput(
        "a test fraction of 1",
        stratified_splits,
        ([0, 0, 1, 1],),
        {"n_splits": 2, "test_fraction": 1.0, "seed": 0},
        argument="test_fraction",
    ),
    BadInput(
        "zero splits",
        stratified_splits,
        ([0, 0, 1, 1],),
        {"n_splits": 0, "test_fraction": 0.5, "seed": 0},
        argument="n_splits",
    ),
    BadInput(
        "a negative seed",
        stratified_splits,
        ([0, 0, 1, 1],),
        {"n_splits": 2, "test_fraction": 0.5, "seed": -1},
        argument="seed",
    ),
    # --- xent.mutual_information, xent.contrastive and xent.divergence ---
    BadInput("a 1-D table", mutual_information, ([0.5, 0.5],), argument="joint"),
    BadInput(
        "counts instead of probabilities",
        mutual_information,
        ([[3, 1], [2, 4]],),
        argument="joint",
    ),
    BadInput(
        "a table that sums to 2", joint_entropy, ([[0.5, 0.5], [0.5, 0.5]],), argument="joint"
    ),
    BadInput(
        "a conditioning axis of 2",
        conditional_entropy,
        ([[0.5, 0.5]],),
        {"given": 2},
        argument="given",
    ),
    BadInput("a 2-D table", co_information, ([[0.5, 0.5]],), argument="joint"),
    BadInput("a correlation of 1.5", gaussian_mutual_information, (1.5,), argument="correlation"),
    BadInput("a non-square score matrix", info_nce, (np.zeros((2, 3)),), argument="scores"),
    BadInput(
        "a temperature of 0",
        info_nce_bound,
        (np.zeros((2, 2)),),
        {"temperature": 0.0},
        argument="temperature",
    ),
    BadInput(
        "a row of zeros", cosine_similarities, ([[0.0, 0.0]], [[1.0, 0.0]]), argument="a"
    ),
    BadInput(
        "a noise of 0",
        gaussian_views,
        (10,),
        {"dim": 2, "noise_sd": 0.0, "seed": 0},
        argument="noise_sd",
    ),
    BadInput(
        "a fractional dimension",
        gaussian_views_mutual_information,
        (),
        {"dim": 1.5, "noise_sd": 0.5},
        TypeError,
        "dim",
    ),
    BadInput(
        "views of different dimensions",
        gaussian_views_critic,
        ([[0.0, 1.0]], [[0.0]]),
        {"noise_sd": 0.5},
        argument="x and y",
    ),
    BadInput(
        "an unknown direction",
        fit_normal_by_kl,
        ([0.0, 1.0], [0.5, 0.5]),
        {"direction": "backward"},
        argument="direction",
    ),
    BadInput(
        "p on another grid", fit_normal_by_kl, ([0.0, 1.0, 2.0], [0.5, 0.5]), argument="p"
    ),
    BadInput(
        "logits of different shapes",
        distillation_loss,
        ([1.0, 2.0], [1.0, 2.0, 3.0], 2.0),
        argument="student_logits",
    ),
    BadInput(
        "a negative temperature",
        distillation_gradient,
        ([1.0, 2.0], [1.0, 2.0], -1.0),
        argument="temperature",
    ),
    # xent.coding: the range coder, code lengths and Huffman codes.
    BadInput(
        "a model that gives the symbol that occurs probability 0",
        coding.encode,
        ([0, 2], [[0.5, 0.5, 0.0], [0.5, 0.5, 0.0]]),
        argument="probabilities",
    ),
    BadInput(
        "distributions that do not sum to 1",
        coding.encode,
        ([0, 1], [[0.5, 0.6], [0.5, 0.5]]),
        argument="probabilities",
    ),
    BadInput(
        "a str where bytes or integers belong",
        coding.encode,
        ("abc", [0.5, 0.5]),
        error=TypeError,
        argument="symbols",
    ),
    BadInput(
        "one row too few",
        coding.encode,
        ([0, 1, 1], [[0.5, 0.5], [0.5, 0.5]]),
        argument="probabilities",
    ),
    BadInput(
        "a stream cut short",
        coding.decode,
        (coding.encode([0, 1, 1, 0], [0.5, 0.5])[:-3], [0.5, 0.5]),
        argument="stream",
    ),
    BadInput(
        "a stream decoded with other probabilities",
        coding.decode,
        (coding.encode([0, 1, 1, 0], [0.5, 0.5]), [0.9, 0.1]),
        argument="stream",
    ),
    BadInput(
        "a distribution where a model belongs",
        coding.encode_prequential,
        (b"abc", [0.5, 0.5]),
        error=TypeError,
        argument="model",
    ),
    BadInput(
        "a stream cut short",
        coding.decode_prequential,
        (coding.encode_prequential(b"abc", coding.UniformModel())[:3], coding.UniformModel()),
        argument="stream",
    ),
    BadInput(
        "a precision too small for the alphabet",
        coding.quantize,
        ([0.25] * 4,),
        {"precision": 2},
        argument="precision",
    ),
    BadInput("a probability of 0", coding.ideal_code_length, ([0.5, 0.0],), argument="q"),
    BadInput("a probability above 1", coding.bits_per_symbol, ([1.5],), argument="q"),
    BadInput("a probability of 0", coding.perplexity, ([0.0, 1.0],), argument="q"),
    BadInput("a text of 0 bytes", coding.bits_per_byte, (100.0, 0), argument="n_bytes"),
    BadInput(
        "a negative loss",
        coding.nats_per_token_to_bits_per_byte,
        (-1.0, 10, 40),
        argument="nats_per_token",
    ),
    BadInput(
        "a count of tokens that is not an integer",
        coding.bits_per_byte_to_nats_per_token,
        (2.0, 40, 10.5),
        error=TypeError,
        argument="n_tokens",
    ),
    BadInput(
        "a negative ideal length",
        coding.code_length_bound,
        (-8.0, 10, 256),
        argument="ideal_bits",
    ),
    BadInput(
        "counts where probabilities belong",
        coding.huffman_code_lengths,
        ([3, 1],),
        argument="p",
    ),
    BadInput(
        "probabilities that do not sum to 1",
        coding.huffman_expected_length,
        ([0.5, 0.4],),
        argument="p",
    ),
    BadInput("a batch of distributions", coding.huffman_code, ([[0.5, 0.5]],), argument="p"),
)
"""Every bad input the tests check, in the order the appendix lists them."""
