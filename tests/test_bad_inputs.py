"""Every row of the bad-input catalogue raises its error, names its argument, changes nothing."""

from __future__ import annotations

import copy
import importlib
import inspect

import numpy as np
import pytest

import xent
from xent.bad_inputs import CATALOGUE, BadInput


@pytest.mark.parametrize("case", CATALOGUE, ids=lambda case: case.problem)
def test_bad_input_raises_an_error_that_names_the_argument(case: BadInput) -> None:
    before = copy.deepcopy((case.args, case.kwargs))
    with pytest.raises(case.error) as raised:
        case.function(*case.args, **case.kwargs)
    assert type(raised.value) is case.error, "a subclass would hide what went wrong"
    assert case.argument in str(raised.value), f"{case.argument!r} not named in: {raised.value}"
    after = (case.args, case.kwargs)
    assert repr(after) == repr(before), "the call modified its input"


def test_the_catalogue_is_large_and_covers_every_public_function() -> None:
    assert len(CATALOGUE) >= 40
    problems = [case.problem + case.function.__name__ for case in CATALOGUE]
    assert len(set(problems)) == len(problems), "duplicate rows"
    covered = {case.function for case in CATALOGUE}
    for name in MODULES:
        module = importlib.import_module(name)
        functions = {
            f"{name}.{attribute}"
            for attribute in module.__all__
            if inspect.isfunction(getattr(module, attribute))
            and getattr(module, attribute) not in covered
        }
        assert not functions, f"no bad input for {sorted(functions)}"


MODULES = [
    "xent",
    "xent.information",
    "xent.logistic",
    "xent.keras_losses",
    "xent.torch_losses",
    "xent.multiclass",
    "xent.calibration",
    "xent.training",
    "xent.distributions",
    "xent.evidence",
    "xent.mutual_information",
    "xent.contrastive",
    "xent.divergence",
    "xent.coding",
]
"""The modules of formulas and losses: every public function in them has a bad input."""


def test_arrays_passed_to_a_failing_call_are_not_modified() -> None:
    p = np.array([0.5, np.nan])
    with pytest.raises(ValueError):
        xent.entropy(p)
    assert np.isnan(p[1]) and p[0] == 0.5


def test_catalogue_rows_render_as_calls() -> None:
    assert CATALOGUE[0].call == "xent.entropy([0.5, 0.6])"
    assert all(case.message() for case in CATALOGUE)
