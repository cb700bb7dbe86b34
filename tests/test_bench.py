"""The benchmark compares like with like, and its command writes the JSON the appendix reads."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from xent import bench

ROOT = Path(__file__).resolve().parent.parent

EXPECTED = {  # every implementation the benchmark must time, per kind of case
    "binary": {"xent", "naive NumPy", "Keras 3 (JAX)", "PyTorch (CPU)"},
    "categorical": {"xent", "naive NumPy", "SciPy", "Keras 3 (JAX)", "PyTorch (CPU)"},
    "sparse": {"xent", "naive NumPy", "SciPy", "Keras 3 (JAX)", "PyTorch (CPU)"},
    "probabilities": {"xent", "naive NumPy", "scikit-learn", "Keras 3 (JAX)", "PyTorch (CPU)"},
    "entropy": {"xent", "naive NumPy", "SciPy", "PyTorch (CPU)"},
}
KERAS = "Keras 3 (JAX)"
FRAMEWORKS = {KERAS, "PyTorch (CPU)"}

KERAS_FLOAT64_OUTPUTS = """
import json
from tests.test_bench import implementation_outputs
print(json.dumps(implementation_outputs("float64", libraries=["keras"])))
"""


def implementation_outputs(
    dtype: str, libraries: Sequence[str] = ("scipy", "keras", "torch")
) -> dict[str, dict[str, Any]]:
    """Each implementation's losses on the benchmark's inputs (10,000 values a case)."""
    return {
        f"{case.kind} {case.shape}": {
            name: bench.as_numpy(function()).tolist()
            for name, function in case.implementations.items()
        }
        for case in bench.build_cases(list(bench.CASES), 10_000, dtype, libraries)
    }


@functools.cache
def _outputs(dtype: str) -> dict[str, dict[str, Any]]:
    """``implementation_outputs(dtype)``, with JAX's 64-bit mode matching the dtype (the mode
    is global to a process, as in the benchmark). In float32 everything runs in this process,
    whose JAX runs in 32 bits (as the Keras tests do); in float64 Keras runs in a fresh process
    with ``JAX_ENABLE_X64=1``, the rest here."""
    if dtype == "float32":
        return implementation_outputs(dtype)
    outputs = implementation_outputs(dtype, libraries=["scipy", "torch"])
    environment = {**os.environ, "KERAS_BACKEND": "jax", "JAX_ENABLE_X64": "1"}
    finished = subprocess.run(
        [sys.executable, "-c", KERAS_FLOAT64_OUTPUTS],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0, f"the float64 Keras process failed:\n{finished.stderr}"
    keras_outputs: dict[str, dict[str, Any]] = json.loads(finished.stdout)
    assert keras_outputs.keys() == outputs.keys()
    for key, by_name in keras_outputs.items():
        assert by_name["xent"] == outputs[key]["xent"], key  # the same inputs in both
        if KERAS in by_name:  # not for entropy, which Keras lacks
            outputs[key][KERAS] = by_name[KERAS]
    return outputs


def _tolerance(dtype: str, kind: str, name: str) -> float:
    """How far an implementation's losses may be from xent's, relative to max(|loss|, 1).

    The naive binary formula's log(1 - sigmoid(z)) loses digits as sigmoid(z) nears 1: a
    relative error of about eps / (1 - sigmoid(z)), the formula's error in the same work.
    On 10,000 values N(0, 3^2) that stays below the bounds here; on the millions of a
    stored run, float32 reaches much further (it can even give inf), so that one pair is
    bounded only in this test.
    """
    if dtype == "float64":
        if (kind, name) == ("binary", "naive NumPy"):
            return 1e-9
        # Keras averages binary_crossentropy over the last axis in float32 (STACK-NOTES)
        return 1e-6 if (kind, name) == ("binary", "Keras 3 (JAX)") else 1e-12
    return 1e-3 if (kind, name) == ("binary", "naive NumPy") else 2e-6


@pytest.mark.parametrize("dtype", bench.DTYPES)
def test_every_implementation_computes_the_same_losses_as_xent(dtype: str) -> None:
    outputs = _outputs(dtype)
    assert len(outputs) == 6  # two categorical shapes, one of each other kind
    for key, by_name in outputs.items():
        kind = key.split()[0]
        assert set(by_name) == EXPECTED[kind], key  # nothing silently left out
        reference = np.array(by_name.pop("xent"))
        for name, values in by_name.items():
            output = np.array(values)
            expected = reference.mean() if output.ndim == 0 else reference  # scikit-learn: mean
            scale = np.maximum(np.abs(expected), 1.0)
            difference = float(np.max(np.abs(output - expected) / scale))
            assert difference <= _tolerance(dtype, kind, name), f"{key}, {name}: {difference}"


def test_keras_refuses_a_dtype_that_the_process_cannot_give_it() -> None:
    _outputs("float32")  # JAX imported, in 32 bits
    with pytest.raises(RuntimeError, match="64-bit mode is off, so Keras cannot run in float64"):
        bench.build_cases(["sparse"], 10_000, "float64")


def test_shapes_keep_the_number_of_values() -> None:
    assert bench.shapes("binary", 50_000) == [(50_000,)]
    assert bench.shapes("categorical", 50_000) == [(5_000, 10), (5, 10_000)]
    assert bench.shapes("entropy", 50_000) == [(5_000, 10)]
    with pytest.raises(ValueError, match="kind"):
        bench.shapes("hinge", 50_000)
    with pytest.raises(ValueError, match="elements"):
        bench.shapes("binary", 10)
    with pytest.raises(ValueError, match="dtype"):
        bench.build_cases(["binary"], 50_000, "float16")


def test_measure_warms_up_then_times_each_round_and_divides_by_the_references() -> None:
    x = np.ones(20_000)
    calls = {"xent": 0, "slow": 0}

    def fast() -> Any:
        calls["xent"] += 1
        return x

    def slow() -> Any:
        calls["slow"] += 1
        time.sleep(0.004)
        return x + 1e-13

    case = bench.Case("entropy", (2_000, 10), "float64", x, {"xent": fast, "slow": slow})
    result = bench.measure(case, repeats=3, warmup=2)
    # one output check, two warm-up rounds, three timed rounds, one call under tracemalloc
    assert calls == {"xent": 1 + 2 + 3 + 1, "slow": 1 + 2 + 3}
    row = {r["implementation"]: r for r in result["results"]}["slow"]
    assert len(row["times_ms"]) == 3 and row["median_ms"] >= 4.0
    assert row["median_ms"] == pytest.approx(sorted(row["times_ms"])[1], abs=1e-3)
    assert row["ns_per_element"] == pytest.approx(row["median_ms"] * 1e6 / 20_000, rel=1e-3)
    exp_ms = result["references"]["exp"]["median_ms"]
    assert row["x_exp"] == pytest.approx(row["median_ms"] / exp_ms, rel=2e-2)
    assert row["relative_difference"] == pytest.approx(1e-13, rel=1e-2)
    assert row["peak_extra_bytes"] is None  # not a NumPy implementation tracemalloc sees
    assert result["elements"] == 20_000 and result["input_bytes"] == 160_000


RESULT_FIELDS = {
    "implementation",
    "median_ms",
    "ns_per_element",
    "x_sum",
    "x_exp",
    "times_ms",
    "output_dtype",
    "relative_difference",
    "peak_extra_bytes",
}
CASE_FIELDS = {
    "kind",
    "case",
    "shape",
    "dtype",
    "elements",
    "input_bytes",
    "references",
    "results",
}


def _check_schema(results: dict[str, Any], repeats: int, frameworks: bool = True) -> None:
    """What the appendix and its figure read from a results file (``frameworks``: one that
    timed Keras and PyTorch too)."""
    assert {"machine", "threads", "settings", "peak_rss_bytes", "cases"} <= set(results)
    assert {"cpu", "simd", "cores", "python", "numpy", "date", "libraries"} <= set(
        results["machine"]
    )
    assert {"usable_cores", "threadpools"} <= set(results["threads"])
    if frameworks:
        assert {"torch", "jax"} <= set(results["threads"])
    assert results["settings"]["repeats"] == repeats
    assert set(results["peak_rss_bytes"]) == set(bench.DTYPES)
    keys = {(c["kind"], tuple(c["shape"]), c["dtype"]) for c in results["cases"]}
    for kind, shape, _ in keys:  # like with like: every case in both dtypes
        assert {(kind, shape, dtype) for dtype in bench.DTYPES} <= keys
    assert {kind for kind, _, _ in keys} == set(bench.CASES)
    for case in results["cases"]:
        assert set(case) == CASE_FIELDS
        assert case["elements"] == int(np.prod(case["shape"]))
        assert case["input_bytes"] == np.dtype(case["dtype"]).itemsize * case["elements"]
        assert set(case["references"]) == {"sum", "exp"}
        implementations = {r["implementation"] for r in case["results"]}
        assert implementations == EXPECTED[case["kind"]] - (set() if frameworks else FRAMEWORKS)
        for result in case["results"]:
            assert set(result) == RESULT_FIELDS
            assert len(result["times_ms"]) == repeats and result["median_ms"] > 0
            key = (case["dtype"], case["kind"], result["implementation"])
            if key != ("float32", "binary", "naive NumPy"):  # see _tolerance
                assert result["relative_difference"] <= _tolerance(*key), (key, result)


def test_the_command_times_every_case_in_both_dtypes(tmp_path: Path) -> None:
    output = tmp_path / "benchmark.json"
    # Small, and without Keras and PyTorch (whose imports cost seconds per dtype's process):
    # their results' fields are checked on the stored full run below.
    arguments = ["--size", "20000", "--repeats", "2", "--warmup", "1", "--no-keras", "--no-torch"]
    assert bench.main([*arguments, "--output", str(output)]) == 0
    results = json.loads(output.read_text())
    _check_schema(results, repeats=2, frameworks=False)
    assert results["settings"]["elements"] == 20_000
    assert results["settings"]["warmup"] == 1


def test_the_command_can_leave_libraries_out(tmp_path: Path) -> None:
    output = tmp_path / "benchmark.json"
    arguments = ["--size", "20000", "--repeats", "1", "--case", "sparse", "--dtype", "float32"]
    arguments += ["--no-keras", "--no-torch", "--no-scipy", "--output", str(output)]
    assert bench.main(arguments) == 0
    results = json.loads(output.read_text())
    (case,) = results["cases"]
    assert (case["kind"], case["dtype"], case["shape"]) == ("sparse", "float32", [2_000, 10])
    assert {r["implementation"] for r in case["results"]} == {"xent", "naive NumPy"}
    assert "torch" not in results["threads"] and "jax" not in results["threads"]  # not imported


def test_the_stored_results_follow_the_schema() -> None:
    stored = json.loads((ROOT / "book" / "benchmark.json").read_text())
    _check_schema(stored, repeats=stored["settings"]["repeats"])
    assert stored["settings"]["repeats"] >= 3


def test_the_figure_gives_every_implementation_its_own_row_across_the_width() -> None:
    from xent.plotting import benchmark_figure

    stored = json.loads((ROOT / "book" / "benchmark.json").read_text())
    figure = benchmark_figure(stored)
    (ax,) = figure.axes
    groups = {(c["case"], tuple(c["shape"])) for c in stored["cases"]}
    rows = {  # implementations and reference per group, both dtypes on one row
        key: {
            r["implementation"]
            for c in stored["cases"]
            for r in c["results"]
            if (c["case"], tuple(c["shape"])) == key
        }
        | {"exp"}
        for key in groups
    }
    points = [
        (float(x), float(y))
        for collection in ax.collections
        for x, y in np.asarray(collection.get_offsets())
    ]
    heights = sorted({y for _, y in points})
    assert len(heights) == sum(len(names) for names in rows.values())  # no shared rows
    assert len(points) == 2 * len(heights)  # a float32 dot and a float64 ring on each
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    low, high = ax.get_xlim()
    assert len([t for t in ax.get_xticks() if low <= t <= high]) >= 4 and len(labels) >= 4
    xs = [x for x, _ in points]
    used = np.log(max(xs) / min(xs)) / np.log(high / low)
    assert used > 0.7  # the markers span most of the axis
    assert len(ax.texts) == len(groups)
