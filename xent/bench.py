"""How fast is xent? Times its losses against NumPy, SciPy, scikit-learn, Keras and PyTorch.

Run ``python -m xent.bench`` for a table, ``--output book/benchmark.json`` to keep the results
for the book's appendix, and ``--quick`` for a smoke test on small inputs. Only NumPy is
needed: SciPy, scikit-learn, Keras 3 (on JAX) and PyTorch are timed when they can be
imported, and skipped otherwise.

What is measured
----------------
* Every implementation gets the same inputs: float64 NumPy arrays, and for Keras the same
  values as float32 JAX arrays (its default precision), put on the device beforehand.
  Each computes one loss per sample (scikit-learn's ``log_loss`` returns their mean).
* One repeat calls every implementation once, in turn, so that a slow moment of the machine
  falls on all of them; the time reported is the median over the repeats. Keras functions
  are compiled with ``jax.jit`` and called once before timing, and their results are
  waited for (``block_until_ready``).
* Two floors, timed the same way on the same input (the logits or probabilities): one
  ``np.sum`` pass, the cost of reading the input from memory, and one ``np.exp`` pass into
  a preallocated array, the exponentials that a loss from logits cannot avoid.
* Peak extra memory: the largest amount of memory allocated during a call beyond what was
  allocated before it, as ``tracemalloc`` sees it. NumPy reports its arrays to
  ``tracemalloc``, so this covers the NumPy, SciPy and scikit-learn implementations (and
  xent); JAX and PyTorch allocate outside its view, so theirs is reported as None.

The xent functions timed: :func:`xent.binary_cross_entropy_with_logits`, the Keras-compatible
:func:`~xent.keras_losses.categorical_crossentropy` (from logits and from probabilities) and
:func:`~xent.keras_losses.sparse_categorical_crossentropy`, and :func:`xent.entropy`. Each
validates its input on every call; the others mostly do not.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

import xent
from xent import keras_losses

__all__ = ["Case", "main", "run"]

Array = NDArray[Any]

FULL_SIZES: dict[str, list[tuple[int, ...]]] = {
    "binary": [(1_000_000,), (10_000_000,)],
    "categorical": [(1_000_000, 10), (10_000, 10_000)],
    "sparse": [(1_000_000, 10)],
    "probabilities": [(1_000_000, 10)],
    "entropy": [(1_000_000, 10)],
}
QUICK_SIZES: dict[str, list[tuple[int, ...]]] = {
    "binary": [(100_000,)],
    "categorical": [(100_000, 10), (300, 3_000)],
    "sparse": [(100_000, 10)],
    "probabilities": [(100_000, 10)],
    "entropy": [(100_000, 10)],
}
CASE_NAMES = {
    "binary": "binary cross-entropy from logits",
    "categorical": "categorical cross-entropy from logits",
    "sparse": "sparse categorical cross-entropy from logits",
    "probabilities": "categorical cross-entropy from probabilities",
    "entropy": "entropy",
}
KERAS = "Keras 3 (JAX, float32)"
TORCH = "PyTorch (CPU)"


@dataclass
class Case:
    """One benchmark: its inputs, the array the floors read, and the implementations."""

    kind: str
    shape: tuple[int, ...]
    floor_input: Array
    implementations: dict[str, Callable[[], Any]] = field(default_factory=dict)
    traced: set[str] = field(default_factory=set)  # implementations tracemalloc can see

    @property
    def name(self) -> str:
        return CASE_NAMES[self.kind]


# --- inputs and implementations ---------------------------------------------------------------


def _inputs(kind: str, shape: tuple[int, ...], seed: int = 0) -> dict[str, Array]:
    """Seeded inputs: logits ~ N(0, 3^2), random labels, one-hot targets, softmax rows."""
    rng = np.random.default_rng(seed)
    if kind == "binary":
        return {"y": rng.integers(0, 2, shape).astype(np.float64), "z": rng.normal(0, 3, shape)}
    n, c = shape
    z = rng.normal(0.0, 3.0, shape)
    labels = rng.integers(0, c, n)
    data: dict[str, Array] = {"z": z, "labels": labels}
    if kind in ("categorical", "probabilities"):
        y = np.zeros(shape)
        y[np.arange(n), labels] = 1.0
        data["y"] = y
    if kind in ("probabilities", "entropy"):
        data["q"] = xent.softmax(z)
    return data


def _naive_log_softmax(z: Array) -> Array:
    shifted = z - z.max(axis=1, keepdims=True)
    result: Array = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return result


def _numpy_implementations(kind: str, d: dict[str, Array]) -> dict[str, Callable[[], Any]]:
    """xent and the textbook NumPy formula for each case."""
    if kind == "binary":
        y, z = d["y"], d["z"]

        def naive_binary() -> Array:
            p = 1.0 / (1.0 + np.exp(-z))
            return -(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))

        return {
            "xent": lambda: xent.binary_cross_entropy_with_logits(y, z),
            "naive NumPy": naive_binary,
        }
    if kind == "categorical":
        y, z = d["y"], d["z"]
        return {
            "xent": lambda: keras_losses.categorical_crossentropy(y, z, from_logits=True),
            "naive NumPy": lambda: -(y * _naive_log_softmax(z)).sum(axis=1),
        }
    if kind == "sparse":
        labels, z = d["labels"], d["z"]
        rows = np.arange(z.shape[0])
        return {
            "xent": lambda: keras_losses.sparse_categorical_crossentropy(
                labels, z, from_logits=True
            ),
            "naive NumPy": lambda: -_naive_log_softmax(z)[rows, labels],
        }
    if kind == "probabilities":
        y, q = d["y"], d["q"]
        return {
            "xent": lambda: keras_losses.categorical_crossentropy(y, q),
            "naive NumPy": lambda: -(y * np.log(q)).sum(axis=1),
        }
    q = d["q"]
    return {
        "xent": lambda: xent.entropy(q),
        "naive NumPy": lambda: -(q * np.log(q)).sum(axis=1),
    }


def _scipy_sklearn_implementations(kind: str, d: dict[str, Array]) -> dict[str, Callable[[], Any]]:
    """SciPy's ``log_softmax`` and ``stats.entropy``, scikit-learn's ``log_loss``, where they
    apply and can be imported."""
    found: dict[str, Callable[[], Any]] = {}
    try:
        from scipy.special import log_softmax  # type: ignore[import-untyped]
        from scipy.stats import entropy  # type: ignore[import-untyped]
    except ImportError:
        pass
    else:
        if kind == "categorical":
            y, z = d["y"], d["z"]
            found["SciPy log_softmax"] = lambda: -(y * log_softmax(z, axis=1)).sum(axis=1)
        elif kind == "sparse":
            labels, z, rows = d["labels"], d["z"], np.arange(d["z"].shape[0])
            found["SciPy log_softmax"] = lambda: -log_softmax(z, axis=1)[rows, labels]
        elif kind == "entropy":
            q = d["q"]
            found["SciPy entropy"] = lambda: entropy(q, axis=1)
    if kind == "probabilities":
        try:
            from sklearn.metrics import log_loss  # type: ignore[import-untyped]
        except ImportError:
            return found
        labels, q, classes = d["labels"], d["q"], np.arange(d["q"].shape[1])
        found["scikit-learn log_loss"] = lambda: log_loss(labels, q, labels=classes)
    return found


def _keras_implementations(kind: str, d: dict[str, Array]) -> dict[str, Callable[[], Any]]:
    """Keras 3 on JAX, jitted and warmed up; empty if Keras or JAX cannot be imported."""
    if kind == "entropy":
        return {}
    os.environ.setdefault("KERAS_BACKEND", "jax")
    try:
        import jax
        import keras  # type: ignore[import-untyped]
    except ImportError:
        return {}
    if keras.backend.backend() != "jax":
        return {}
    losses = keras.losses

    def device(array: Array) -> Any:
        return jax.device_put(array.astype(np.float32 if array.dtype.kind == "f" else np.int32))

    if kind == "binary":
        args = (device(d["y"])[:, None], device(d["z"])[:, None])
        function = jax.jit(lambda y, z: losses.binary_crossentropy(y, z, from_logits=True))
    elif kind == "categorical":
        args = (device(d["y"]), device(d["z"]))
        function = jax.jit(lambda y, z: losses.categorical_crossentropy(y, z, from_logits=True))
    elif kind == "sparse":
        args = (device(d["labels"]), device(d["z"]))
        function = jax.jit(
            lambda y, z: losses.sparse_categorical_crossentropy(y, z, from_logits=True)
        )
    else:
        args = (device(d["y"]), device(d["q"]))
        function = jax.jit(lambda y, q: losses.categorical_crossentropy(y, q))
    function(*args).block_until_ready()  # compile once, outside the timing
    return {KERAS: lambda: function(*args).block_until_ready()}


def _torch_implementations(kind: str, d: dict[str, Array]) -> dict[str, Callable[[], Any]]:
    """PyTorch on the CPU in float64; empty if it cannot be imported."""
    try:
        import torch  # type: ignore[import-not-found,unused-ignore]
        import torch.nn.functional as F  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return {}
    t = {key: torch.from_numpy(value) for key, value in d.items()}
    if kind == "binary":
        y, z = t["y"], t["z"]
        return {TORCH: lambda: F.binary_cross_entropy_with_logits(z, y, reduction="none")}
    if kind == "categorical":
        y, z = t["y"], t["z"]
        return {TORCH: lambda: F.cross_entropy(z, y, reduction="none")}
    if kind == "sparse":
        labels, z = t["labels"], t["z"]
        return {TORCH: lambda: F.cross_entropy(z, labels, reduction="none")}
    if kind == "probabilities":
        labels, q = t["labels"], t["q"]
        return {TORCH: lambda: F.nll_loss(torch.log(q), labels, reduction="none")}
    q = t["q"]
    return {TORCH: lambda: torch.special.entr(q).sum(dim=1)}


def build_cases(sizes: dict[str, list[tuple[int, ...]]], libraries: Sequence[str]) -> list[Case]:
    """Every case of ``sizes`` with the implementations of the requested ``libraries``."""
    cases = []
    for kind, shapes in sizes.items():
        for shape in shapes:
            d = _inputs(kind, shape)
            floor_input = d["q"] if kind in ("probabilities", "entropy") else d["z"]
            case = Case(kind, shape, floor_input)
            case.implementations.update(_numpy_implementations(kind, d))
            if "scipy" in libraries:
                case.implementations.update(_scipy_sklearn_implementations(kind, d))
            case.traced.update(case.implementations)
            if "keras" in libraries:
                case.implementations.update(_keras_implementations(kind, d))
            if "torch" in libraries:
                case.implementations.update(_torch_implementations(kind, d))
            cases.append(case)
    return cases


# --- measuring --------------------------------------------------------------------------------


def _peak_extra_bytes(function: Callable[[], Any]) -> int:
    """The most memory ``function`` had allocated at once beyond what existed before it."""
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return max(0, peak - before)


def measure(case: Case, repeats: int) -> dict[str, Any]:
    """Time every implementation of ``case`` (median of ``repeats`` interleaved rounds)."""
    x = case.floor_input
    scratch = np.empty_like(x)
    timed: dict[str, Callable[[], Any]] = {
        "floor: sum": lambda: np.sum(x),
        "floor: exp": lambda: np.exp(x, out=scratch),
        **case.implementations,
    }
    for function in timed.values():  # warm caches, allocators and lazy imports
        function()
    times: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(repeats):
        gc.collect()
        for name, function in timed.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    median_ms = {name: 1000.0 * statistics.median(values) for name, values in times.items()}
    results = [
        {
            "implementation": name,
            "median_ms": round(median_ms[name], 3),
            "peak_extra_bytes": _peak_extra_bytes(function) if name in case.traced else None,
        }
        for name, function in case.implementations.items()
    ]
    return {
        "case": case.name,
        "shape": list(case.shape),
        "dtype": str(x.dtype),
        "floors_ms": {
            "sum": round(median_ms["floor: sum"], 3),
            "exp": round(median_ms["floor: exp"], 3),
        },
        "input_bytes": int(x.nbytes),
        "results": results,
    }


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    """What the results were measured on."""
    return {
        "cpu": _cpu_name(),
        "cores": os.cpu_count() or 1,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": f"{platform.system()}-{platform.machine()}",
        "date": datetime.date.today().isoformat(),
        "libraries": {
            "scipy": _version("scipy"),
            "sklearn": _version("scikit-learn"),
            "keras": _version("keras"),
            "jax": _version("jax"),
            "torch": _version("torch"),
        },
    }


def run(
    sizes: dict[str, list[tuple[int, ...]]],
    repeats: int,
    libraries: Sequence[str] = ("scipy", "keras", "torch"),
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Build and time every case; the results in the schema of ``book/benchmark.json``."""
    cases = []
    for case in build_cases(sizes, libraries):
        if progress:
            progress(f"timing {case.name}, shape {case.shape} ...")
        cases.append(measure(case, repeats))
        del case
        gc.collect()
    return {"machine": machine(), "repeats": repeats, "cases": cases}


# --- reporting --------------------------------------------------------------------------------


def format_table(results: dict[str, Any]) -> str:
    """The results as a text table: times, multiples of the floors, peak extra memory.

    Examples
    --------
    >>> case = {"case": "entropy", "shape": [10, 2], "dtype": "float64",
    ...         "floors_ms": {"sum": 1.0, "exp": 4.0}, "input_bytes": 160,
    ...         "results": [{"implementation": "xent", "median_ms": 6.0,
    ...                      "peak_extra_bytes": 320}]}
    >>> print(format_table({"cases": [case]}))
    entropy, shape 10 × 2 (float64, 160 B); floors: sum 1.000 ms, exp 4.000 ms
      implementation               median ms    × sum    × exp   peak extra memory
      xent                             6.000      6.0     1.50   320 B (2.0 × input)
    """
    lines = []
    for case in results["cases"]:
        floors = case["floors_ms"]
        shape = " × ".join(f"{n:,}" for n in case["shape"])
        lines.append(
            f"{case['case']}, shape {shape} ({case['dtype']}, {_bytes(case['input_bytes'])}); "
            f"floors: sum {floors['sum']:.3f} ms, exp {floors['exp']:.3f} ms"
        )
        lines.append(
            f"  {'implementation':26} {'median ms':>11} {'× sum':>8} {'× exp':>8}   "
            "peak extra memory"
        )
        for result in sorted(case["results"], key=lambda r: r["median_ms"]):
            memory = result["peak_extra_bytes"]
            shown = (
                "n/a"
                if memory is None
                else f"{_bytes(memory)} ({memory / case['input_bytes']:.1f} × input)"
            )
            ms = result["median_ms"]
            lines.append(
                f"  {result['implementation']:26} {ms:11.3f} {ms / floors['sum']:8.1f} "
                f"{ms / floors['exp']:8.2f}   {shown}"
            )
    return "\n".join(lines)


def _bytes(count: int) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count} B"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m xent.bench", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--output", type=Path, help="write the results as JSON to this file")
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help="timed rounds per case (default 7, or 3 with --quick)",
    )
    parser.add_argument("--quick", action="store_true", help="small inputs: a smoke test")
    parser.add_argument("--no-keras", action="store_true", help="leave Keras out")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    parser.add_argument(
        "--case",
        action="append",
        choices=sorted(CASE_NAMES),
        dest="kinds",
        help="time only this kind of case (repeatable; default: all)",
    )
    args = parser.parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 7)
    if repeats < 1:
        parser.error("--repeats must be at least 1")
    libraries = ["scipy"]
    libraries += [] if args.no_keras else ["keras"]
    libraries += [] if args.no_torch else ["torch"]
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    if args.kinds:
        sizes = {kind: shapes for kind, shapes in sizes.items() if kind in args.kinds}
    results = run(
        sizes,
        repeats,
        libraries,
        progress=lambda message: print(message, file=sys.stderr, flush=True),
    )
    print(format_table(results))
    if args.output:
        args.output.write_text(_to_json(results) + "\n")
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _to_json(results: dict[str, Any]) -> str:
    """The results as JSON with one line per result, so that a diff shows what changed."""
    dump = json.dumps
    cases = []
    for case in results["cases"]:
        head = {key: value for key, value in case.items() if key != "results"}
        rows = ",\n    ".join(dump(result) for result in case["results"])
        cases.append(f'  {dump(head)[:-1]},\n   "results": [\n    {rows}]}}')
    body = ",\n".join(cases)
    return (
        f'{{"machine": {dump(results["machine"])},\n "repeats": {dump(results["repeats"])},\n'
        f' "cases": [\n{body}]}}'
    )


if __name__ == "__main__":
    sys.exit(main())
