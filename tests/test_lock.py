"""The installs reproduce: every package is pinned, in requirements-lock.txt.

requirements.txt and requirements-dev.txt name what the book needs, pinned exactly;
requirements-lock.txt (compiled by ``tools/lock.sh`` with pip-compile) pins everything they
pull in, transitive dependencies included, and every install command uses it as constraints.
binder/requirements.txt is the readers' part of it, with the very same pins.

The closure is checked here from the metadata of the installed packages (fast, and this
environment is the locked one); ``.ci/run`` also resolves the dev requirements from scratch
with ``pip install --dry-run`` and checks that nothing outside the lock is chosen.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements-lock.txt"
BINDER = ROOT / "binder" / "requirements.txt"
READERS = ["numpy", "scipy", "scikit-learn", "matplotlib", "ipykernel", "ipython"]
READERS += ["matplotlib-inline", "jupyterlab", "jupyterlab-myst"]
# What builds or tests the book: none of it belongs on Binder.
TOOLCHAIN = re.compile(
    r"^(sphinx.*|jupyter-book|myst-nb|myst-parser|nbval|pytest.*|playwright|hypothesis|mpmath"
    r"|keras|jax|jaxlib|torch|optax|pip-tools|check-jsonschema|actionlint.*)$"
)


def requirements(path: Path) -> list[Requirement]:
    """The requirements a requirements file names, following ``-r``; ``-e .`` is skipped."""
    found = []
    for raw in path.read_text().splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r "):
            found += requirements(path.parent / line[3:].strip())
        elif line.startswith(("-e ", "-c ", "--")):
            continue
        else:
            found.append(Requirement(line))
    return found


def pins(path: Path) -> dict[str, Version]:
    """A compiled requirements file's pins, ``name==version`` on each line, by name."""
    pinned = {}
    for requirement in requirements(path):
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{path.name}: not an exact pin: {requirement}"
        pinned[canonicalize_name(requirement.name)] = Version(specifier.version)
    return pinned


def xent_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in project["dependencies"]]


def unpinned_closure(roots: list[Requirement], lock: dict[str, Version]) -> list[str]:
    """Walk the dependencies of ``roots`` through the installed metadata; return every
    package (or version) that ``lock`` does not pin, with the requirement that pulls it."""
    problems = []
    todo = [(r, "requirements") for r in roots]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        requirement, parent = todo.pop()
        name = canonicalize_name(requirement.name)
        key = (name, frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        if name == "xent":
            todo += [(r, "xent") for r in xent_requirements()]
            continue
        if name not in lock:
            problems.append(f"{requirement} (from {parent}) is not in the lock")
            continue
        if not requirement.specifier.contains(lock[name], prereleases=True):
            problems.append(f"{parent} needs {requirement}, the lock pins {lock[name]}")
        installed = Version(metadata.version(name))
        if installed.public != lock[name].public:
            problems.append(f"{name} {installed} is installed, the lock pins {lock[name]}")
            continue
        for dependency in metadata.requires(name) or []:
            dependency_requirement = Requirement(dependency)
            marker = dependency_requirement.marker
            extras = [""] + sorted(requirement.extras)
            if marker is None or any(marker.evaluate({"extra": extra}) for extra in extras):
                todo.append((dependency_requirement, name))
    return sorted(set(problems))


def test_every_direct_pin_is_in_the_lock_with_the_same_version() -> None:
    lock = pins(LOCK)
    for path in [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]:
        for requirement in requirements(path):
            name = canonicalize_name(requirement.name)
            assert name in lock, f"{requirement} ({path.name}) is not in the lock: tools/lock.sh"
            assert requirement.specifier.contains(lock[name]), (
                f"{path.name} says {requirement}, the lock {lock[name]}: run tools/lock.sh"
            )


def test_the_lock_pins_every_package_the_dev_requirements_install() -> None:
    problems = unpinned_closure(requirements(ROOT / "requirements-dev.txt"), pins(LOCK))
    assert not problems, "\n".join(problems)


def test_the_lock_holds_nothing_machine_specific() -> None:
    text = LOCK.read_text()
    assert not re.search(
        r"^\s*(-e|--find-links|-f|--index-url|--extra-index-url)\b", text, re.MULTILINE
    )
    assert "file://" not in text and "/opt/" not in text
    # The CPU build's local label (+cpu) would match no release on PyPI.
    assert re.search(r"^torch==\d+\.\d+\.\d+$", text, re.MULTILINE), "torch pinned without +cpu"


def test_binder_installs_the_readers_packages_with_the_pins_of_the_lock() -> None:
    binder, lock = pins(BINDER), pins(LOCK)
    assert set(READERS) <= set(binder)
    for name, version in binder.items():
        assert lock.get(name) == version, (
            f"binder pins {name}=={version}, the lock {lock.get(name)}"
        )
    toolchain = sorted(name for name in binder if TOOLCHAIN.match(name))
    assert not toolchain, f"book-building or test tools on Binder: {toolchain}"


def test_binder_requirements_are_complete_and_refer_to_no_local_file() -> None:
    """repo2docker caches the install only if no line refers to the repository (-e ., -r,
    -c, a path), and it installs nothing but these pins: they must be closed too."""
    for line in BINDER.read_text().splitlines():
        code = line.split("#", 1)[0].strip()
        assert not code or re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.+!_-]+", code), line
    roots = [Requirement(name) for name in READERS] + xent_requirements()
    problems = unpinned_closure(roots, pins(BINDER))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path", ["README.md", "CONTRIBUTING.md", "book/intro.md", ".ci/run", ".ci/binder-check"]
)
def test_every_install_uses_the_lock(path: str) -> None:
    text = (ROOT / path).read_text()
    installs = re.findall(r"pip install [^\n`]*-r [^\n`]+", text)
    for command in installs:
        if "binder/requirements.txt" in command:
            continue  # compiled from the lock: every package in it is pinned already
        assert "-c requirements-lock.txt" in command, f"{path}: {command}"
