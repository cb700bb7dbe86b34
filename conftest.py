"""Stored figures must match a fresh execution.

nbval compares a notebook's text outputs with a fresh run but skips PNG images. This hook
runs after nbval has executed each notebook cell and compares every stored ``image/png``
output with the freshly drawn one, pixel by pixel, using matplotlib's image comparison
(RMS difference of at most :data:`FIGURE_TOLERANCE` on a 0-255 scale). A figure function
that changes without the notebooks being refreshed (``python tools/refresh_notebooks.py``)
fails here.

It also gives every process of the run one BLAS and OpenMP thread and bytecode caches, and
keeps the garbage collector from rescanning what the run keeps alive (see below).
"""

from __future__ import annotations

import base64
import gc
import os
import sys
import tempfile
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

FIGURE_TOLERANCE = 2.0

# Two cores run the two pytest workers, the notebook kernels, JupyterLab and Chromium. NumPy's
# OpenBLAS and PyTorch's OpenMP would each start a thread per core and spin while they wait
# for work, against the other processes: one thread each saves about a tenth of the suite's
# CPU. Every process started from here (xdist's workers, the kernels, the subprocesses)
# inherits it; set before anything in this process imports NumPy. A value already set wins.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

# A run starts a dozen Python processes that import xent and the tests (the workers, a kernel
# per notebook, JupyterLab's, the benchmark's). With bytecode caches (the git-ignored
# __pycache__ folders) the first compiles them and the others load the result; a machine that
# sets PYTHONDONTWRITEBYTECODE would have every process compile them again (4 s of CPU).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False


# Python's cyclic garbage collector rescans every object alive at each full pass: in the worker
# that imports torch, JAX and Keras that is 700,000 objects and 0.15 s a pass, 2 s in all, and
# the passes at interpreter exit cost each worker another second. Before each test file, the
# garbage of the one before is collected and what survives (modules, session fixtures) is moved
# out of the collector's sight with gc.freeze(); garbage made later is collected as usual.
_last_file: list[Path | None] = [None]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.path != _last_file[0]:
        _last_file[0] = item.path
        gc.collect()
        gc.freeze()


def pytest_unconfigure(config: pytest.Config) -> None:
    gc.freeze()  # what is left is freed at exit without one more pass over it


def _png_outputs(outputs: list[Any]) -> list[bytes]:
    return [
        base64.b64decode(output["data"]["image/png"])
        for output in outputs
        if "image/png" in output.get("data", {})
    ]


def _compare_figures(stored: list[bytes], fresh: list[bytes]) -> str | None:
    """An explanation of the first mismatch between two lists of PNGs, or None."""
    from matplotlib.testing.compare import compare_images
    from matplotlib.testing.exceptions import ImageComparisonFailure

    if len(stored) != len(fresh):
        return f"the cell stores {len(stored)} figure(s) but now draws {len(fresh)}"
    with tempfile.TemporaryDirectory() as tmp:
        for index, (old, new) in enumerate(zip(stored, fresh)):
            if old == new:
                continue  # the same bytes: the same pixels, without decoding them
            expected, actual = Path(tmp, f"stored{index}.png"), Path(tmp, f"fresh{index}.png")
            expected.write_bytes(old)
            actual.write_bytes(new)
            try:
                difference = compare_images(str(expected), str(actual), FIGURE_TOLERANCE)
            except ImageComparisonFailure as error:  # e.g. the image sizes differ
                return f"figure {index + 1}: {error}"
            if difference is not None:
                rms = next((line.strip() for line in difference.splitlines() if "RMS" in line), "")
                return f"figure {index + 1} differs from a fresh run ({rms}, tolerance {FIGURE_TOLERANCE})"
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    yield  # nbval runs the cell and compares its text; a failure there propagates
    fresh = getattr(item, "test_outputs", None)
    cell = getattr(item, "cell", None)
    if fresh is None or cell is None:
        return
    problem = _compare_figures(_png_outputs(cell.outputs), _png_outputs(fresh))
    if problem:
        pytest.fail(
            f"{item.nodeid}: {problem}. Refresh the stored outputs with "
            "`python tools/refresh_notebooks.py`.",
            pytrace=False,
        )
