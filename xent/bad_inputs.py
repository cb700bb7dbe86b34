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
from xent import keras_losses as keras
from xent.distributions import discretized_normal
from xent.information import cross_entropy, entropy, kl_divergence, surprisal
from xent.logistic import (
    binary_cross_entropy_with_logits,
    log_loss,
    log_sigmoid,
    log_softmax,
    logit,
    sigmoid,
    softmax,
)
from xent.training import logit_gradient, train_logistic_regression

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
    """A compact text form of an argument that runs as written (after ``import numpy as np``)."""
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
    BadInput("a probability above 1", surprisal, (1.5,)),
    BadInput("q of another shape", cross_entropy, ([0.5, 0.5], [0.2, 0.3, 0.5]), argument="q"),
    BadInput("q that does not sum to one", cross_entropy, ([0.5, 0.5], [0.5, 0.4]), argument="q"),
    BadInput(
        "rows of q that do not sum to one",
        cross_entropy,
        (TWO_ROWS, [[0.5, 0.5], [0.5, 0.6]]),
        argument="q",
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
        "labels outside [0, 1]",
        logit_gradient,
        ([2.0], [0.0]),
        {"loss": "cross_entropy"},
        argument="y_true",
    ),
    BadInput("a zero standard deviation", discretized_normal, ([0, 1, 2], 1.0, 0.0), argument="sd"),
)
"""Every bad input the tests check, in the order the appendix lists them."""
