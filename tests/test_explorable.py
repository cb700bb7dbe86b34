"""The explorables' specs (xent.plotting.explorable): the grids they store against a fresh,
independent computation, the readout's format, determinism, size, and the Vega-Lite schema.

The browser test of the same explorables on the built site is ``tests/test_explorables.py``.
"""

from __future__ import annotations

import base64
import csv
import gzip
import io
import itertools
import json
import math
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from scipy.optimize import minimize_scalar
from sklearn.metrics import log_loss as sklearn_log_loss

from tests.explorable_references import REFERENCES
from xent.plotting import explorable
from xent.plotting.explorable import MIME_TYPE, Explorable

SCHEMA = Path(__file__).parent / "data" / "vega-lite-schema.json.gz"

LOGITS = np.array([[2.0, 0.0, -1.0], [0.0, 3.0, 0.5], [1.0, 0.0, 0.2], [0.0, 2.5, 1.0],
                   [0.3, 0.1, 0.0], [4.0, -1.0, 0.0]])
LABELS = np.array([0, 1, 1, 1, 2, 0])

BUILDERS: dict[str, Callable[[], Explorable]] = {
    "entropy": explorable.entropy_explorable,
    "cross_entropy": explorable.cross_entropy_explorable,
    "label_smoothing": explorable.label_smoothing_explorable,
    "focal": explorable.focal_explorable,
    "log_loss": explorable.log_loss_explorable,
    "softmax": explorable.softmax_explorable,
    "calibration": lambda: explorable.calibration_explorable(LOGITS, LABELS),
    "pos_weight": explorable.pos_weight_explorable,
}


@cache
def built(kind: str) -> Explorable:
    return BUILDERS[kind]()


def sliders(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in spec["params"] if p.get("bind", {}).get("input") == "range"]


def slider_grid(param: dict[str, Any]) -> np.ndarray:
    bind = param["bind"]
    n = round((bind["max"] - bind["min"]) / bind["step"]) + 1
    return bind["min"] + bind["step"] * np.arange(n)


def state_rows(spec: dict[str, Any]) -> list[dict[str, float]]:
    rows = list(csv.DictReader(io.StringIO(spec["datasets"]["state"])))
    return [{k: float(v) for k, v in row.items()} for row in rows]


def calibration_reference(s: dict[str, float], parameters: dict[str, Any]) -> list[float]:
    """ECE (top label, ten equal bins) and log loss, with NumPy and scikit-learn."""
    z = LOGITS / s["T"]
    q = np.exp(z - z.max(axis=1, keepdims=True))
    q /= q.sum(axis=1, keepdims=True)
    confidence, correct = q.max(axis=1), (q.argmax(axis=1) == LABELS).astype(float)
    ece = 0.0
    for low, high in zip(np.linspace(0, 1, 11)[:-1], np.linspace(0, 1, 11)[1:]):
        inside = (confidence > low) & (confidence <= high) if low > 0 else confidence <= high
        if inside.any():
            ece += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return [ece, sklearn_log_loss(LABELS, q, labels=[0, 1, 2])]


def reference(kind: str) -> Callable[[dict[str, float], dict[str, Any]], list[float]]:
    return calibration_reference if kind == "calibration" else REFERENCES[kind]


@pytest.mark.parametrize("kind", BUILDERS)
def test_every_stored_state_equals_an_independent_computation(kind: str) -> None:
    spec = built(kind).spec
    params = sliders(spec)
    rows = state_rows(spec)
    grids = [slider_grid(p) for p in params]
    assert len(rows) == math.prod(len(g) for g in grids)
    meta = spec["usermeta"]["xent"]
    expected_at = reference(kind)
    for row, values in zip(rows, itertools.product(*grids)):
        position = {p["name"]: float(v) for p, v in zip(params, values)}
        expected = expected_at(position, meta["parameters"])
        stored = [row[f"r{k}"] for k in range(len(expected))]
        np.testing.assert_allclose(stored, expected, rtol=0, atol=2e-6, err_msg=str(position))


@pytest.mark.parametrize("kind", BUILDERS)
def test_the_default_state_is_the_slider_default_and_the_description_quotes_it(kind: str) -> None:
    made = built(kind)
    spec = made.spec
    params = sliders(spec)
    grids = [slider_grid(p) for p in params]
    index = [int(np.argmin(np.abs(g - p["value"]))) for g, p in zip(grids, params)]
    assert all(abs(g[i] - p["value"]) < 1e-9 for g, p, i in zip(grids, params, index))
    row = state_rows(spec)[int(np.ravel_multi_index(index, [len(g) for g in grids]))]
    view = spec["vconcat"][0]
    formats = re.findall(r"format\(datum\.r(\d+), '\.(\d)f'\)", json.dumps(view))
    labels = spec["usermeta"]["xent"]["readouts"]
    assert len(formats) == len(labels) >= 1
    for k, decimals in formats:
        number = f"{row[f'r{k}']:.{decimals}f}"
        assert f"{labels[int(k)]} = {number}" in made.description
    assert spec["description"] == made.description


def test_the_readout_prints_four_decimals_with_its_unit() -> None:
    view = built("cross_entropy").spec["vconcat"][0]
    calculations = [t["calculate"] for t in view["transform"] if "calculate" in t]
    assert calculations[0] == "\"H(p, q) = \" + format(datum.r0, '.4f') + ' bits'"
    assert explorable.readout_text("H", 0.88129, 4, "bits") == "H = 0.8813 bits"
    assert explorable.readout_text("p̂", 0.5, 2, "") == "p̂ = 0.50"


# The PNG is most of a build's time: these kinds cover every kind of view (the chapters'
# explorables draw theirs under nbval too, compared with the stored ones by conftest.py).
@pytest.mark.parametrize("kind", ["entropy", "log_loss", "softmax", "calibration", "pos_weight"])
def test_the_mimebundle_has_the_spec_a_png_and_a_description(kind: str) -> None:
    made = built(kind)
    bundle = made.mimebundle()
    assert set(bundle) == {MIME_TYPE, "image/png", "text/plain"}
    assert bundle["text/plain"].startswith("Interactive figure: ")
    image = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert image.format == "PNG" and round(image.info["dpi"][0]) == 192
    assert image.width >= 2 * 400  # sharp at twice its displayed width
    # a few tens of KB per explorable, spec and PNG together
    size = len(json.dumps(bundle[MIME_TYPE])) + len(bundle["image/png"])
    assert size < 60_000, size


@pytest.mark.parametrize("kind", BUILDERS)
def test_every_slider_is_a_labelled_range_input(kind: str) -> None:
    for param in sliders(built(kind).spec):
        bind = param["bind"]
        assert bind["name"].strip(), param
        assert bind["min"] <= param["value"] <= bind["max"]
        assert re.fullmatch(r"[A-Za-z_]\w*", param["name"])


def test_two_builds_store_identical_json() -> None:
    first = built("entropy")
    second = explorable.entropy_explorable()
    assert json.dumps(first.spec) == json.dumps(second.spec)
    assert first.png == second.png


def test_a_moving_curve_needs_evenly_spaced_x() -> None:
    slider = explorable.Slider("a", "a", 0.0, 1.0, 0.5, 0.0)
    line = explorable.Line("l", np.array([0.0, 0.1, 0.5]), np.zeros((3, 3)), "#000000",
                           slider="a")
    with pytest.raises(ValueError, match="evenly spaced"):
        explorable.build("k", "w.", [slider], [explorable.Readout("r", np.zeros(3))],
                         plot=explorable.Plot("x", "y", (0, 1), (0, 1), lines=[line]))


@cache
def schema_validator() -> Any:
    import jsonschema

    schema = json.loads(gzip.decompress(SCHEMA.read_bytes()))
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("kind", ["cross_entropy", "log_loss", "softmax"])
def test_the_spec_is_valid_vega_lite_5(kind: str) -> None:
    """Against the schema of vega-lite 5.23.0 (tools/vendor_vega.sh): the three kinds cover
    every view the builder makes (readout, stacked and grouped bars, fixed and moving lines,
    markers, rules, two sliders)."""
    errors = sorted(schema_validator().iter_errors(built(kind).spec), key=str)
    assert not errors, errors[0].message


def test_calibration_marks_the_temperature_it_is_given_or_fits_one() -> None:
    fitted = built("calibration").spec["usermeta"]["xent"]["parameters"]["fitted_temperature"]
    # the temperature that minimises the log loss, by a grid search with NumPy and scikit-learn
    best = minimize_scalar(lambda t: calibration_reference({"T": t}, {})[1],
                           bounds=(0.5, 5.0), method="bounded", options={"xatol": 1e-6})
    assert abs(fitted - best.x) < 1e-4
    given = explorable.calibration_explorable(LOGITS, LABELS, fitted=2.5)
    assert given.spec["usermeta"]["xent"]["parameters"]["fitted_temperature"] == 2.5
    assert "fitted temperature 2.50 marked" in given.description
