"""The benchmark compares like with like, and its command writes the documented JSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from xent import bench

TINY = {
    "binary": [(1_000,)],
    "categorical": [(200, 10)],
    "sparse": [(200, 10)],
    "probabilities": [(200, 10)],
    "entropy": [(200, 10)],
}


@pytest.mark.parametrize("case", bench.build_cases(TINY, ("scipy", "keras")), ids=lambda c: c.kind)
def test_every_implementation_computes_the_same_loss(case: bench.Case) -> None:
    outputs = {
        name: np.asarray(function(), dtype=np.float64)
        for name, function in case.implementations.items()
    }
    reference = outputs.pop("xent")
    assert len(outputs) >= 2, "nothing to compare xent with"
    for name, output in outputs.items():
        expected = reference.mean() if output.ndim == 0 else reference  # scikit-learn: the mean
        rtol = 2e-6 if "float32" in name else 1e-10
        np.testing.assert_allclose(output, expected, rtol=rtol, atol=1e-6, err_msg=name)


def test_the_command_writes_results_in_the_appendix_schema(tmp_path: Path) -> None:
    output = tmp_path / "benchmark.json"
    arguments = ["--quick", "--repeats", "1", "--no-keras", "--no-torch", "--case", "sparse"]
    assert bench.main([*arguments, "--output", str(output)]) == 0
    results = json.loads(output.read_text())
    assert set(results) == {"machine", "repeats", "cases"}
    assert {"cpu", "cores", "python", "numpy", "platform", "date", "libraries"} <= set(
        results["machine"]
    )
    (case,) = results["cases"]
    assert case["case"] == "sparse categorical cross-entropy from logits"
    assert case["floors_ms"]["sum"] > 0 and case["floors_ms"]["exp"] > 0
    names = {r["implementation"] for r in case["results"]}
    assert {"xent", "naive NumPy"} <= names
    assert all(r["median_ms"] > 0 for r in case["results"])


def test_the_stored_results_follow_the_schema() -> None:
    stored = json.loads(
        (Path(__file__).resolve().parent.parent / "book" / "benchmark.json").read_text()
    )
    assert len(stored["cases"]) == 7 and stored["repeats"] >= 5
    for case in stored["cases"]:
        assert "xent" in {r["implementation"] for r in case["results"]}
        assert case["input_bytes"] == 8 * int(np.prod(case["shape"]))
