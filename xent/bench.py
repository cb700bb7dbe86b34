"""How fast is xent? Times its losses against NumPy, SciPy, scikit-learn, Keras and PyTorch.

Run ``python -m xent.bench`` for a table, ``--output book/benchmark.json`` to keep the results
for the book's appendix, and ``--quick`` for a smoke test on small inputs. Only NumPy is
needed: SciPy, scikit-learn, Keras 3 (on JAX) and PyTorch are timed when they can be
imported, and left out otherwise; Keras, JAX and PyTorch are imported only when timed.

Sizes
-----
Every case has the same number of input values: 10,000,000 by default (``--size N`` for
another; ``--quick`` 100,000; ``--full`` 50,000,000). Measured on a 2-core machine, the
default run took about 2 minutes and peaked at 1.6 GB resident (the float64 process);
``--full`` peaked at 5.5 GB and used about 9 minutes of CPU time. The peak grows with the
size, at about 100 bytes per value in float64: the inputs, their copies on the JAX device,
one reference output, and the temporaries of the naive formulas.

What is measured
----------------
* Every case runs in float32 and in float64. Each dtype is measured in its own Python
  process, because JAX's 64-bit mode (``JAX_ENABLE_X64``) is global to a process and must be
  set before JAX is imported. Within a process every implementation gets the same inputs in
  that dtype: NumPy arrays, PyTorch tensors sharing their memory, and JAX arrays put on the
  device beforehand. Each computes one loss per sample (scikit-learn's ``log_loss`` returns
  their mean). Before timing, each output is compared with xent's, so that the times compare
  equal work; the largest relative difference is stored with the result.
* Warm-up rounds call every implementation (compiling the jitted Keras functions) before
  anything is timed. Then each timed round calls every implementation once, in turn, so that
  a slow moment of the machine falls on all of them; the time reported is the median over
  the rounds, and all rounds are stored. Keras results are waited for
  (``block_until_ready``).
* Two reference passes, timed the same way on the same input (the logits or probabilities):
  one ``np.sum``, about the cost of reading the input from memory once, and one ``np.exp``
  into a preallocated array, one exponential per element on one thread. They are yardsticks,
  not lower bounds: a fused, multithreaded kernel (XLA's, PyTorch's) can beat both.
* Times per element (ns per input value) and as multiples of the two reference passes.
* Memory: for NumPy, SciPy, scikit-learn and xent, the largest amount allocated during one
  call beyond what existed before it, as ``tracemalloc`` sees it (JAX and PyTorch allocate
  outside its view, so theirs is None); and for each process its peak resident size
  (``ru_maxrss``), which is what the machine must provide.
* The machine block records the CPU, its SIMD flags, and the threads each library may use
  (``threadpoolctl``, ``torch.get_num_threads``, XLA's flags and device count).

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
import resource
import statistics
import subprocess
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

__all__ = [
    "CASES",
    "DEFAULT_ELEMENTS",
    "DTYPES",
    "FULL_ELEMENTS",
    "QUICK_ELEMENTS",
    "Case",
    "as_numpy",
    "build_cases",
    "format_table",
    "main",
    "measure",
    "run",
    "run_dtype",
    "shapes",
]

Array = NDArray[Any]

DEFAULT_ELEMENTS = 10_000_000
"""Input values per case in the default run (80 MB per float64 array)."""
FULL_ELEMENTS = 50_000_000
"""Input values per case with ``--full`` (400 MB per float64 array, beyond the CPU caches)."""
QUICK_ELEMENTS = 100_000
"""Input values per case with ``--quick``."""
DTYPES = ("float32", "float64")

CASES = {
    "binary": "binary cross-entropy from logits",
    "categorical": "categorical cross-entropy from logits",
    "sparse": "sparse categorical cross-entropy from logits",
    "probabilities": "categorical cross-entropy from probabilities",
    "entropy": "entropy",
}
"""The kinds of case (``--case``) and their names."""

LONG_ROWS = 10_000  # classes in the long-row categorical case; the others have 10

XENT = "xent"
NAIVE = "naive NumPy"
SCIPY = "SciPy"
SKLEARN = "scikit-learn"
KERAS = "Keras 3 (JAX)"
TORCH = "PyTorch (CPU)"
IMPLEMENTATIONS = (XENT, NAIVE, SCIPY, SKLEARN, KERAS, TORCH)
"""Every implementation, in the order the tables and the figure use."""


def shapes(kind: str, elements: int) -> list[tuple[int, ...]]:
    """The input shapes of one kind of case with about ``elements`` values each.

    Binary cross-entropy gets one vector of logits; the categorical cases get rows of 10
    classes, and categorical cross-entropy from logits also rows of 10,000 classes.

    Raises
    ------
    ValueError
        If ``kind`` is not one of :data:`CASES`, or ``elements`` is below 10,000 (one long
        row).

    Examples
    --------
    >>> shapes("categorical", 1_000_000)
    [(100000, 10), (100, 10000)]
    >>> shapes("binary", 20_000)
    [(20000,)]
    """
    if kind not in CASES:
        raise ValueError(f"kind must be one of {sorted(CASES)}, got {kind!r}")
    if elements < LONG_ROWS:
        raise ValueError(f"elements must be at least {LONG_ROWS:,}, got {elements:,}")
    if kind == "binary":
        return [(elements,)]
    short: list[tuple[int, ...]] = [(elements // 10, 10)]
    return short + [(elements // LONG_ROWS, LONG_ROWS)] if kind == "categorical" else short


@dataclass
class Case:
    """One benchmark: its inputs, the array the reference passes read, the implementations."""

    kind: str
    shape: tuple[int, ...]
    dtype: str
    reference_input: Array
    implementations: dict[str, Callable[[], Any]] = field(default_factory=dict)
    traced: set[str] = field(default_factory=set)  # implementations tracemalloc can see

    @property
    def name(self) -> str:
        return CASES[self.kind]


# --- inputs and implementations ---------------------------------------------------------------


def _inputs(kind: str, shape: tuple[int, ...], dtype: str, seed: int = 0) -> dict[str, Array]:
    """Seeded inputs in ``dtype``: logits ~ N(0, 3^2), labels, one-hot targets, softmax rows.

    The values are drawn in float64 and rounded to ``dtype``, so both dtypes see the same
    numbers up to rounding. The probabilities are the softmax of N(0, 1) logits, so that none
    falls below the 1e-7 at which Keras (and xent's Keras-compatible losses) clip.
    """
    rng = np.random.default_rng(seed)
    if kind == "binary":
        y = rng.integers(0, 2, shape).astype(dtype)
        return {"y": y, "z": rng.normal(0.0, 3.0, shape).astype(dtype)}
    n, c = shape
    z = rng.normal(0.0, 3.0, shape)
    labels = rng.integers(0, c, n)
    data: dict[str, Array] = {"z": z.astype(dtype), "labels": labels}
    if kind == "categorical" or kind == "probabilities":
        y = np.zeros(shape, dtype=dtype)
        y[np.arange(n), labels] = 1
        data["y"] = y
    if kind == "probabilities" or kind == "entropy":  # from N(0, 1) logits: none clipped
        q = xent.softmax(z / 3.0).astype(dtype)
        data["q"] = q / q.sum(axis=1, keepdims=True)  # rows sum to 1 in dtype
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
            p = 1 / (1 + np.exp(-z))
            loss: Array = -(y * np.log(p) + (1 - y) * np.log(1 - p))
            return loss

        return {XENT: lambda: xent.binary_cross_entropy_with_logits(y, z), NAIVE: naive_binary}
    if kind == "categorical":
        y, z = d["y"], d["z"]
        return {
            XENT: lambda: keras_losses.categorical_crossentropy(y, z, from_logits=True),
            NAIVE: lambda: -(y * _naive_log_softmax(z)).sum(axis=1),
        }
    if kind == "sparse":
        labels, z = d["labels"], d["z"]
        rows = np.arange(z.shape[0])
        return {
            XENT: lambda: keras_losses.sparse_categorical_crossentropy(labels, z, from_logits=True),
            NAIVE: lambda: -_naive_log_softmax(z)[rows, labels],
        }
    if kind == "probabilities":
        y, q = d["y"], d["q"]
        return {
            XENT: lambda: keras_losses.categorical_crossentropy(y, q),
            NAIVE: lambda: -(y * np.log(q)).sum(axis=1),
        }
    q = d["q"]
    return {XENT: lambda: xent.entropy(q), NAIVE: lambda: -(q * np.log(q)).sum(axis=1)}


def _scipy_sklearn_implementations(kind: str, d: dict[str, Array]) -> dict[str, Callable[[], Any]]:
    """SciPy's ``log_softmax`` and ``stats.entropy``, scikit-learn's ``log_loss``, where they
    apply and can be imported."""
    found: dict[str, Callable[[], Any]] = {}
    try:
        from scipy.special import log_softmax  # type: ignore[import-untyped,unused-ignore]
        from scipy.stats import entropy  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        pass
    else:
        if kind == "categorical":
            y, z = d["y"], d["z"]
            found[SCIPY] = lambda: -(y * log_softmax(z, axis=1)).sum(axis=1)
        elif kind == "sparse":
            labels, z, rows = d["labels"], d["z"], np.arange(d["z"].shape[0])
            found[SCIPY] = lambda: -log_softmax(z, axis=1)[rows, labels]
        elif kind == "entropy":
            q = d["q"]
            found[SCIPY] = lambda: entropy(q, axis=1)
    if kind == "probabilities":
        try:
            from sklearn.metrics import log_loss  # type: ignore[import-untyped,unused-ignore]
        except ImportError:
            return found
        labels, q, classes = d["labels"], d["q"], np.arange(d["q"].shape[1])
        found[SKLEARN] = lambda: log_loss(labels, q, labels=classes)
    return found


def _keras_implementations(
    kind: str, d: dict[str, Array], dtype: str
) -> dict[str, Callable[[], Any]]:
    """Keras 3 on JAX in ``dtype``, jitted; empty if Keras or JAX cannot be imported.

    Raises
    ------
    RuntimeError
        If JAX was imported in a process whose 64-bit mode does not match ``dtype``.
    """
    if kind == "entropy":
        return {}
    os.environ.setdefault("KERAS_BACKEND", "jax")
    if "jax" not in sys.modules:
        os.environ["JAX_ENABLE_X64"] = "1" if dtype == "float64" else "0"
    try:
        import jax
        import keras  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return {}
    if keras.backend.backend() != "jax":
        return {}
    x64 = bool(jax.config.read("jax_enable_x64"))  # type: ignore[no-untyped-call]
    if x64 != (dtype == "float64"):
        raise RuntimeError(
            f"JAX's 64-bit mode is {'on' if x64 else 'off'}, so Keras cannot run in {dtype} "
            "in this process; run each dtype in its own process (python -m xent.bench does)"
        )
    keras.config.set_floatx(dtype)
    losses = keras.losses

    def device(array: Array) -> Any:
        return jax.device_put(array if array.dtype.kind == "f" else array.astype(np.int32))

    function: Callable[..., Any]
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
    return {KERAS: lambda: function(*args).block_until_ready()}


def _torch_implementations(kind: str, d: dict[str, Array]) -> dict[str, Callable[[], Any]]:
    """PyTorch on the CPU, on tensors sharing the NumPy arrays; empty if it cannot be imported."""
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


def build_cases(
    kinds: Sequence[str],
    elements: int,
    dtype: str,
    libraries: Sequence[str] = ("scipy", "keras", "torch"),
) -> list[Case]:
    """Every case of ``kinds`` in ``dtype``, with xent, naive NumPy and the ``libraries``."""
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}, got {dtype!r}")
    cases = []
    for kind in kinds:
        for shape in shapes(kind, elements):
            d = _inputs(kind, shape, dtype)
            reference = d["q"] if kind in ("probabilities", "entropy") else d["z"]
            case = Case(kind, shape, dtype, reference)
            case.implementations.update(_numpy_implementations(kind, d))
            if "scipy" in libraries:
                case.implementations.update(_scipy_sklearn_implementations(kind, d))
            case.traced.update(case.implementations)
            if "keras" in libraries:
                case.implementations.update(_keras_implementations(kind, d, dtype))
            if "torch" in libraries:
                case.implementations.update(_torch_implementations(kind, d))
            cases.append(case)
    return cases


# --- measuring --------------------------------------------------------------------------------


def as_numpy(output: Any) -> Array:
    """An implementation's output (NumPy, JAX, PyTorch or a float) as a float64 array."""
    if hasattr(output, "detach"):  # a PyTorch tensor
        output = output.detach().numpy()
    return np.asarray(output, dtype=np.float64)


def _relative_difference(output: Array, reference: Array) -> float:
    """The largest ``|output - reference| / max(|reference|, 1)``; a mean is compared with
    the mean of the reference."""
    if output.ndim == 0:
        reference = np.asarray(reference.mean())
    return float(np.max(np.abs(output - reference) / np.maximum(np.abs(reference), 1.0)))


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


def measure(case: Case, repeats: int, warmup: int = 2) -> dict[str, Any]:
    """Time every implementation of ``case``: ``warmup`` untimed rounds, then the median of
    ``repeats`` interleaved rounds; check each output against xent's first."""
    x = case.reference_input
    scratch = np.empty_like(x)
    references: dict[str, Callable[[], Any]] = {
        "sum": lambda: np.sum(x),
        "exp": lambda: np.exp(x, out=scratch),
    }
    timed = {**{f"reference: {k}": f for k, f in references.items()}, **case.implementations}
    reference = as_numpy(case.implementations[XENT]())
    checked = {}  # implementation: (its output dtype, largest relative difference from xent)
    for name, function in case.implementations.items():
        output = function()
        checked[name] = (_output_dtype(output), _relative_difference(as_numpy(output), reference))
        del output
    del reference
    for _ in range(warmup):
        for function in timed.values():
            function()
    times: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(repeats):
        gc.collect()
        for name, function in timed.items():
            start = time.perf_counter()
            function()
            times[name].append(1000.0 * (time.perf_counter() - start))
    elements = int(x.size)
    reference_ms = {k: statistics.median(times[f"reference: {k}"]) for k in references}

    def summary(ms: float) -> dict[str, float]:
        return {
            "median_ms": round(ms, 4),
            "ns_per_element": round(1e6 * ms / elements, 4),
            "x_sum": round(ms / reference_ms["sum"], 3),
            "x_exp": round(ms / reference_ms["exp"], 3),
        }

    results = []
    for name, function in case.implementations.items():
        results.append(
            {
                "implementation": name,
                **summary(statistics.median(times[name])),
                "times_ms": [round(t, 4) for t in times[name]],
                "output_dtype": checked[name][0],
                "relative_difference": checked[name][1],
                "peak_extra_bytes": _peak_extra_bytes(function) if name in case.traced else None,
            }
        )
    return {
        "kind": case.kind,
        "case": case.name,
        "shape": list(case.shape),
        "dtype": case.dtype,
        "elements": elements,
        "input_bytes": int(x.nbytes),
        "references": {k: summary(ms) for k, ms in reference_ms.items()},
        "results": results,
    }


def _output_dtype(output: Any) -> str:
    dtype = getattr(output, "dtype", None)
    return str(dtype).removeprefix("torch.") if dtype is not None else type(output).__name__


# --- the machine ------------------------------------------------------------------------------


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


SIMD_FLAGS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512vl")


def _cpu() -> dict[str, Any]:
    """The CPU's model name and the SIMD extensions that NumPy, XLA and PyTorch can use."""
    model, flags = platform.processor() or platform.machine(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
                break
    except OSError:
        pass
    return {"cpu": model, "simd": [flag for flag in SIMD_FLAGS if flag in flags]}


def _threads() -> dict[str, Any]:
    """How many threads each library may use, as far as it says."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    threads: dict[str, Any] = {
        "usable_cores": usable,
        "environment": {
            name: os.environ[name]
            for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "XLA_FLAGS")
            if name in os.environ
        },
    }
    try:
        from threadpoolctl import threadpool_info  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        pass
    else:
        threads["threadpools"] = sorted(
            {
                f"{pool['internal_api']} ({pool['user_api']}): {pool['num_threads']}"
                for pool in threadpool_info()
            }
        )
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        threads["torch"] = {
            "intra_op": torch.get_num_threads(),
            "inter_op": torch.get_num_interop_threads(),
        }
    if "jax" in sys.modules:
        jax = sys.modules["jax"]
        threads["jax"] = {
            "cpu_devices": jax.device_count("cpu"),
            "x64": jax.config.read("jax_enable_x64"),
        }
    return threads


def machine() -> dict[str, Any]:
    """What the results were measured on."""
    return {
        **_cpu(),
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


def _peak_rss_bytes(who: int = resource.RUSAGE_SELF) -> int:
    """The peak resident memory of this process (or its largest child), in bytes."""
    peak = resource.getrusage(who).ru_maxrss
    return int(peak if sys.platform == "darwin" else 1024 * peak)  # kB on Linux


# --- running ----------------------------------------------------------------------------------


def run_dtype(
    dtype: str,
    elements: int = DEFAULT_ELEMENTS,
    repeats: int = 7,
    warmup: int = 2,
    kinds: Sequence[str] = tuple(CASES),
    libraries: Sequence[str] = ("scipy", "keras", "torch"),
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Build and time every case in one dtype, in this process.

    For Keras in float64 the process must have JAX's 64-bit mode on (``JAX_ENABLE_X64=1``
    before JAX is imported); :func:`run` starts one process per dtype for that.
    """
    cases = []
    for kind in kinds:
        for case in build_cases([kind], elements, dtype, libraries):
            if progress:
                progress(f"timing {case.name}, shape {case.shape}, {dtype} ...")
            cases.append(measure(case, repeats, warmup))
            del case
            gc.collect()
    return {
        "machine": machine(),
        "threads": _threads(),
        "dtype": dtype,
        "peak_rss_bytes": _peak_rss_bytes(),
        "cases": cases,
    }


def run(
    elements: int = DEFAULT_ELEMENTS,
    repeats: int = 7,
    warmup: int = 2,
    dtypes: Sequence[str] = DTYPES,
    kinds: Sequence[str] = tuple(CASES),
    libraries: Sequence[str] = ("scipy", "keras", "torch"),
    quiet: bool = False,
) -> dict[str, Any]:
    """Every case in every dtype, each dtype in a fresh process; the results in the schema of
    ``book/benchmark.json``.

    Each process (``python -m xent.bench --worker DTYPE``) sets JAX's 64-bit mode for its
    dtype before anything imports JAX; its progress goes to standard error, unless
    ``quiet``.

    Raises
    ------
    RuntimeError
        If a process fails; the message carries its error output when ``quiet``.
    """
    start = time.perf_counter()
    runs = {}
    for dtype in dtypes:
        command = [sys.executable, "-m", "xent.bench", "--worker", dtype]
        command += ["--size", str(elements), "--repeats", str(repeats), "--warmup", str(warmup)]
        command += [f"--case={kind}" for kind in kinds]
        command += [f"--no-{name}" for name in ("keras", "torch") if name not in libraries]
        command += [] if "scipy" in libraries else ["--no-scipy"]
        environment = {
            **os.environ,
            "KERAS_BACKEND": "jax",
            "JAX_ENABLE_X64": "1" if dtype == "float64" else "0",
        }
        finished = subprocess.run(
            command,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if quiet else None,
            text=True,
            check=False,
        )
        if finished.returncode != 0:
            raise RuntimeError(f"the {dtype} run failed:\n{finished.stderr or ''}")
        runs[dtype] = json.loads(finished.stdout)
    first = runs[dtypes[0]]
    return {
        "machine": first["machine"],
        "threads": first["threads"],
        "settings": {
            "elements": elements,
            "repeats": repeats,
            "warmup": warmup,
            "seconds": round(time.perf_counter() - start, 1),
        },
        "peak_rss_bytes": {dtype: result["peak_rss_bytes"] for dtype, result in runs.items()},
        "cases": [case for result in runs.values() for case in result["cases"]],
    }


# --- reporting --------------------------------------------------------------------------------


def format_table(results: dict[str, Any]) -> str:
    """The results as a text table: ns per element, multiples of the reference passes, peak
    extra memory as a multiple of the input.

    Examples
    --------
    >>> ref = {"median_ms": 1.0, "ns_per_element": 0.5, "x_sum": 1.0, "x_exp": 0.25}
    >>> case = {"case": "entropy", "shape": [1000, 2], "dtype": "float64",
    ...         "input_bytes": 16000, "references": {"sum": ref, "exp": ref},
    ...         "results": [{"implementation": "xent", "median_ms": 6.0,
    ...                      "ns_per_element": 3.0, "x_sum": 6.0, "x_exp": 1.5,
    ...                      "peak_extra_bytes": 32000}]}
    >>> print(format_table({"cases": [case]}))
    entropy, 1,000 × 2, float64 (16.0 kB)
      reference passes: np.sum 0.50 ns/element, np.exp 0.50 ns/element
      implementation     ns/element    × sum    × exp   memory
      xent                    3.000     6.00     1.50   2.0 × input
    """
    lines = []
    for case in results["cases"]:
        shape = " × ".join(f"{n:,}" for n in case["shape"])
        ref = case["references"]
        lines.append(f"{case['case']}, {shape}, {case['dtype']} ({_bytes(case['input_bytes'])})")
        lines.append(
            f"  reference passes: np.sum {ref['sum']['ns_per_element']:.2f} ns/element, "
            f"np.exp {ref['exp']['ns_per_element']:.2f} ns/element"
        )
        lines.append(
            f"  {'implementation':16} {'ns/element':>12} {'× sum':>8} {'× exp':>8}   memory"
        )
        for result in sorted(case["results"], key=lambda r: r["median_ms"]):
            extra = result["peak_extra_bytes"]
            memory = "n/a" if extra is None else f"{extra / case['input_bytes']:.1f} × input"
            lines.append(
                f"  {result['implementation']:16} {result['ns_per_element']:12.3f} "
                f"{result['x_sum']:8.2f} {result['x_exp']:8.2f}   {memory}"
            )
    return "\n".join(lines)


def _bytes(count: int) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count} B"


def _to_json(results: dict[str, Any]) -> str:
    """The results as JSON with one line per result, so that a diff shows what changed."""
    dump = json.dumps
    head = ",\n ".join(f"{dump(k)}: {dump(v)}" for k, v in results.items() if k != "cases")
    cases = []
    for case in results["cases"]:
        fields = {key: value for key, value in case.items() if key != "results"}
        rows = ",\n    ".join(dump(result) for result in case["results"])
        cases.append(f'  {dump(fields)[:-1]},\n   "results": [\n    {rows}]}}')
    body = ",\n".join(cases)
    return f'{{{head},\n "cases": [\n{body}]}}'


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ``python -m xent.bench [options]``."""
    parser = argparse.ArgumentParser(
        prog="python -m xent.bench", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--output", type=Path, help="write the results as JSON to this file")
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--size",
        type=int,
        default=None,
        metavar="N",
        help=f"input values per case (default {DEFAULT_ELEMENTS:,}: about 1.6 GB of memory)",
    )
    size.add_argument(
        "--full",
        action="store_true",
        help=f"{FULL_ELEMENTS:,} values per case (about 5.5 GB of memory)",
    )
    size.add_argument(
        "--quick", action="store_true", help=f"{QUICK_ELEMENTS:,} values per case: a smoke test"
    )
    parser.add_argument(
        "--repeats", type=int, default=None, help="timed rounds (default 7, or 3 with --quick)"
    )
    parser.add_argument("--warmup", type=int, default=2, help="untimed rounds first (default 2)")
    parser.add_argument(
        "--dtype",
        action="append",
        choices=DTYPES,
        dest="dtypes",
        help="time only this dtype (repeatable; default: both)",
    )
    parser.add_argument(
        "--case",
        action="append",
        choices=sorted(CASES),
        dest="kinds",
        help="time only this kind of case (repeatable; default: all)",
    )
    parser.add_argument("--no-keras", action="store_true", help="leave Keras out")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    parser.add_argument("--no-scipy", action="store_true", help="leave SciPy and scikit-learn out")
    parser.add_argument("--worker", choices=DTYPES, help=argparse.SUPPRESS)  # one dtype's process
    args = parser.parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 7)
    if repeats < 1 or args.warmup < 0:
        parser.error("--repeats must be at least 1 and --warmup at least 0")
    elements = args.size or (
        FULL_ELEMENTS if args.full else QUICK_ELEMENTS if args.quick else DEFAULT_ELEMENTS
    )
    if elements < LONG_ROWS:
        parser.error(f"--size must be at least {LONG_ROWS:,}")
    libraries = [name for name in ("scipy", "keras", "torch") if not getattr(args, f"no_{name}")]
    kinds = [kind for kind in CASES if kind in args.kinds] if args.kinds else list(CASES)
    if args.worker:
        result = run_dtype(
            args.worker,
            elements,
            repeats,
            args.warmup,
            kinds,
            libraries,
            progress=lambda message: print(message, file=sys.stderr, flush=True),
        )
        print(json.dumps(result))
        return 0
    results = run(elements, repeats, args.warmup, args.dtypes or DTYPES, kinds, libraries)
    print(format_table(results))
    peaks = ", ".join(f"{d} {_bytes(b)}" for d, b in results["peak_rss_bytes"].items())
    print(f"peak resident memory: {peaks}; {results['settings']['seconds']:.0f} s in all")
    if args.output:
        args.output.write_text(_to_json(results) + "\n")
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
