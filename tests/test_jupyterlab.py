r"""The notebooks read right in JupyterLab, as a reader (or Binder) opens them.

One ``jupyter lab`` for all notebooks, on 127.0.0.1 with no token, serving a temporary copy
of book/ from this environment (which has jupyterlab-myst), with kernels that import ``xent``
from this checkout. One headless Chromium (Debian's, driven by Playwright) opens every
notebook of ``_toc.yml`` in it at once, each connected to one python3 kernel that the first
one starts (ten kernels cost a third of this test's CPU; nbval gives each notebook a fresh
one), runs each one's setup cells in turn, and checks:

- opening a notebook does not mark it modified (kernelspec and language_info are ipykernel's);
- the setup cells (the Colab cell, then the imports and data files) run in JupyterLab's
  kernel, in the notebook's folder; no output, fresh or stored, is an error or goes to stderr;
- every stored figure is displayed, at its intended size (the size the website shows it: the
  PNGs have 192 pixels per inch, and JupyterLab would show them at twice that size);
- no cross-reference is left unresolved (jupyterlab-myst's warning mark, "Cross Reference
  Not Found", beside a bare label such as "fig-binary-entropy"); citations are the one
  exception, shown as their key (the README says so), and are counted;
- the macros cell shows one line of text, not an empty band;
- each solution starts collapsed: the "Solution to Exercise n" bar closed, and the cells of
  the solution (stored with ``jupyter.source_hidden``) shown collapsed;
- every formula typesets: no MathJax or KaTeX error (``mjx-merror``, "Undefined control
  sequence"), and each use of a book macro (``\H``, ``\KL``, ...) shows the macro's text, not
  another meaning of the name (KaTeX knows ``\H`` as an accent);
- no raw MyST markup is left in the rendered markdown ({term}, {doc}, :::{exercise}, ...).

The other cells keep their stored outputs rather than running a second time here: nbval
runs every cell of every notebook with the same kernelspec and this environment, and fails
unless each fresh output equals the stored one (figures within a pixel tolerance,
conftest.py), so the stored outputs this test renders are a fresh run's.

With ``XENT_SCREENSHOTS=1``, screenshots of each notebook (its top, and its first exercise)
are saved under ``_build/screenshots/jupyterlab/`` for review.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser import CHROMIUM, CHROMIUM_ARGS, TAKE_SCREENSHOTS
from tests.toc import toc_files

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "_build" / "screenshots" / "jupyterlab"
# MyST syntax that must not survive rendering: roles, directive fences, equation labels.
RAW_MYST = re.compile(
    r"\{(term|doc|cite|cite:[pt]|eq|numref|ref|download)\}"
    r"|:::|```\{|\{(exercise|solution|solution-start|solution-end|figure|note)\}"
    r"|\(eq-[\w-]+\)\s*$",
    re.MULTILINE,
)


def toc_notebooks() -> list[str]:
    """Every notebook named in _toc.yml, as a path relative to the root (book/x.ipynb)."""
    return [f"{name}.ipynb" for name in toc_files() if (ROOT / f"{name}.ipynb").exists()]


NOTEBOOKS = toc_notebooks()
# The first code cells of each notebook, which depend on where it runs: the Colab install
# cell and the imports (with the data files they read). tests/test_notebooks.py keeps the
# Colab cell first.
SETUP_CELLS = 2


def book_macro_texts() -> list[tuple[str, str]]:
    """Each macro of _config.yml with the text its formula shows: H, KL, E, logit."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    macros = config["sphinx"]["config"]["mathjax3_config"]["tex"]["macros"]
    return [(name, re.sub(r"\\[a-zA-Z]+|[{}]", "", body)) for name, body in macros.items()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Front-end plugins that have no part in how a notebook's cells render, switched off for the
# test (a reader's JupyterLab keeps them): the side panels and services that watch every open
# notebook. They cost a tenth of this test's CPU.
UNUSED_PLUGINS = [
    "@jupyterlab/toc-extension",
    "@jupyterlab/debugger-extension",
    "@jupyterlab/completer-extension",
    "@jupyterlab/lsp-extension",
    "@jupyterlab/extensionmanager-extension",
    "@jupyterlab/celltags-extension",
    "@jupyterlab/apputils-extension:announcements",
]


def write_page_config(config_dir: Path) -> None:
    """JupyterLab's page configuration: the plugins above disabled."""
    path = config_dir / "labconfig" / "page_config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"disabledExtensions": dict.fromkeys(UNUSED_PLUGINS, True)}))


def write_settings(folder: Path) -> None:
    """JupyterLab user settings: every cell in the page (so every cell can be checked), no
    news or update pop-ups."""
    settings = {
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }
    for plugin, values in settings.items():
        path = folder / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a JupyterLab serving a copy of book/ (under book/), for this file's tests."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    shutil.copytree(
        ROOT / "book", tmp / "root" / "book", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    write_settings(tmp / "settings")
    write_page_config(tmp / "config")
    # matplotlib's font list, so that the kernel does not rebuild it: on a busy machine that
    # takes over 5 s, and matplotlib then says so on stderr, which fails the setup cells.
    import matplotlib

    (tmp / "matplotlib").mkdir()
    for fontlist in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
        shutil.copy(fontlist, tmp / "matplotlib")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(
            os.pathsep
        ),
        # Nothing from this machine's Jupyter configuration, kernels or settings leaks in.
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTER_DATA_DIR": str(tmp / "data"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "IPYTHONDIR": str(tmp / "ipython"),
        "MPLCONFIGDIR": str(tmp / "matplotlib"),
        "PYTHONWARNINGS": "",
    }
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        f"--ServerApp.root_dir={tmp / 'root'}",
        f"--LabApp.user_settings_dir={tmp / 'settings'}",
        f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
    ]
    log = (tmp / "server.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not start:\n{(tmp / 'server.log').read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


# Open every notebook, each connected to one python3 kernel; where its setup cells are.
OPEN_AND_START = """
async ([paths, setupCells]) => {
  const app = window.jupyterapp;
  const open = async (path, kernel) => {
    const panel = await app.commands.execute(
        "docmanager:open", {path, factory: "Notebook", kernel});
    await Promise.all([panel.context.ready, panel.sessionContext.ready, panel.revealed]);
    // When the kernel connects, JupyterLab writes its kernelspec and language_info into the
    // notebook (from the kernel's info reply), which marks it modified if they differ.
    await panel.sessionContext.session.kernel.info;
    await new Promise((resolve) => setTimeout(resolve, 200));
    return panel;
  };
  // The first notebook starts a kernel; the others connect to it, as JupyterLab's "kernel of
  // another session" does: one kernel instead of ten.
  const first = await open(paths[0]);
  const {id, name} = first.sessionContext.session.kernel;
  const panels = [first, ...await Promise.all(paths.slice(1).map((p) => open(p, {id, name})))];
  const opened = {};
  for (const [index, panel] of panels.entries()) {
    const code = panel.content.widgets.flatMap((c, i) => c.model.type === "code" ? [i] : []);
    opened[paths[index]] = {
      id: panel.id,
      kernelName: panel.sessionContext.session && panel.sessionContext.session.kernel.name,
      dirtyOnOpen: panel.context.model.dirty,
      metadataOnOpen: panel.context.model.toJSON().metadata,
      setup: code.slice(0, setupCells),
    };
  }
  return opened;
}
"""

# Select one notebook's setup cells (its first code cells), clear their stored outputs and
# counts, and run them. The notebooks run one after another: in a shared kernel, an error
# aborts the requests queued behind it.
RUN_SETUP = """
async ([id, setup]) => {
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets("main")).find((w) => w.id === id);
  app.shell.activateById(id);
  const notebook = panel.content;
  notebook.activeCellIndex = 0;
  notebook.deselectAll();
  notebook.extendContiguousSelectionTo(setup[setup.length - 1]);
  // The commands act on the notebook whose id they are given, not on the current one.
  const target = {semanticWidget: id, activate: false};
  await app.commands.execute("notebook:clear-cell-output", target);
  app.commands.execute("notebook:run-cell", target);  // not awaited: FINISHED waits
}
"""

# Wait for one notebook's setup cells to finish (or fail); return every code cell's outputs.
FINISHED = """
async ([id, setup]) => {
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets("main")).find((w) => w.id === id);
  app.shell.activateById(id);
  const cells = () => Array.from(panel.content.model.cells);
  const deadline = Date.now() + 60000;
  for (;;) {
    const kernel = panel.sessionContext.session.kernel;
    const done = setup.every((i) => cells()[i].executionCount !== null);
    const failed = cells().some((c) => c.type === "code" &&
      c.outputs.toJSON().some((o) => o.output_type === "error"));
    if ((kernel.status === "idle" && (done || failed)) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return cells().flatMap((c, i) => c.type !== "code" ? [] : [{
    source: c.sharedModel.source,
    count: c.executionCount,
    fresh: setup.includes(i),
    outputs: c.outputs.toJSON().map((o) => ({
      type: o.output_type, name: o.name || null,
      text: o.output_type === "error" ? `${o.ename}: ${o.evalue}` : (o.text || ""),
    })),
  }]);
}
"""

RENDERED = r"""
async (macros) => {
  const node = window.jupyterapp.shell.currentWidget.content.node;
  const formulas = () => node.querySelectorAll(".katex, mjx-container");
  // Wait until rendering settles: the same number of typeset formulas twice in a row.
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const count = formulas().length;
    if (count === last && count > 0) break;
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  const markdown = Array.from(node.querySelectorAll(".jp-MarkdownCell")).map((cell) => {
    const rendered = cell.querySelector(".myst, .jp-RenderedMarkdown");
    if (!rendered) return "";
    const copy = rendered.cloneNode(true);
    copy.querySelectorAll(".katex, mjx-container, pre[title]").forEach((m) => m.remove());
    return copy.textContent;
  });
  // MathJax marks errors with mjx-merror; jupyterlab-myst's KaTeX shows the message in red
  // and in a title.
  const errors = Array.from(node.querySelectorAll(
      "mjx-merror, [data-mjx-error], .katex-error, [title]"))
    .map((e) => e.getAttribute("data-mjx-error") || e.getAttribute("title") || e.textContent)
    .filter((m) => /error|undefined|unknown|missing|expected/i.test(m));
  // A macro that KaTeX knows under another meaning (\H is an accent) raises no error: check
  // that each formula using a book macro shows the macro's text (H, KL, E, logit) as often.
  const wrong = [];
  for (const k of node.querySelectorAll(".katex")) {
    const tex = (k.querySelector("annotation") || {}).textContent || "";
    if (/^\s*\\def/.test(tex)) continue;  // the definitions themselves (the macros cell)
    const math = k.querySelector(".katex-mathml math");
    if (!math) continue;
    const shown = Array.from(math.querySelectorAll("mi, mo, mtext")).map((e) => e.textContent);
    for (const [name, text] of macros) {
      const uses = (tex.match(new RegExp("\\\\" + name + "(?![a-zA-Z])", "g")) || []).length;
      if (uses > shown.filter((s) => s === text).length) wrong.push(`\\${name} in ${tex}`);
    }
  }
  // The figures in the outputs: each an image that has loaded, and the width it is shown at.
  const images = Array.from(node.querySelectorAll(".jp-OutputArea-output img"));
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
  const loaded = images.filter((img) => img.complete && img.naturalWidth > 0);
  // jupyterlab-myst marks what it cannot resolve with an icon and this title.
  const unresolved = Array.from(node.querySelectorAll("[title$='Not Found']"))
    .map((e) => `${e.getAttribute("title")}: ${e.textContent.trim()}`);
  const cells = Array.from(node.querySelectorAll(".jp-Cell"));
  const first = cells[0];
  return {
    figures: loaded.length,
    figureSizes: loaded.map((img) => [img.naturalWidth, img.getBoundingClientRect().width]),
    unresolved,
    macrosCell: first ? [first.getBoundingClientRect().height, first.innerText.trim()] : [0, ""],
    collapsedCells: cells.flatMap((c, i) => {
      const placeholder = c.querySelector(".jp-InputPlaceholder");
      return placeholder && placeholder.getBoundingClientRect().height > 0 ? [i] : [];
    }),
    openSolutions: Array.from(node.querySelectorAll("details"))
      .filter((d) => d.open && /Solution/.test(d.querySelector("summary")?.textContent || ""))
      .length,
    formulas: formulas().length,
    markdown,
    errors: errors.concat(wrong.map((w) => `not expanded: ${w}`)),
    undefinedControl: /Undefined control sequence|Unknown environment/.test(node.innerText),
  };
}
"""

SCROLL_TO_EXERCISE = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const target = panel.content.node.querySelector(
    ".myst-exercise, aside.exercise, .admonition.exercise, [class*='exercise']");
  if (!target) return false;
  target.scrollIntoView({block: "start"});
  return true;
}
"""

SCROLL_TO_TOP = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  panel.node.querySelectorAll("*").forEach((e) => { if (e.scrollTop > 0) e.scrollTop = 0; });
}
"""


@contextlib.contextmanager
def lab_page(url: str) -> Iterator[Any]:
    """A headless Chromium tab on the JupyterLab at ``url``, once the app has started and
    restored its layout; the browser is closed after (the kernels stop with the server)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{url}/lab", wait_until="load")
            started = "window.jupyterapp && window.jupyterapp.started"
            page.wait_for_function(started, timeout=60_000)
            page.evaluate("() => window.jupyterapp.restored")
            yield page
        finally:
            browser.close()


def run_in_browser(url: str) -> dict[str, list[str]]:
    """Open and run every notebook in the JupyterLab at ``url``; return each one's problems."""
    if TAKE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    macros = book_macro_texts()
    results = {}
    with lab_page(url) as page:
        opened = page.evaluate(OPEN_AND_START, [NOTEBOOKS, SETUP_CELLS])
        for notebook, run in opened.items():
            page.evaluate(RUN_SETUP, [run["id"], run["setup"]])
            run["outputs"] = page.evaluate(FINISHED, [run["id"], run["setup"]])
            rendered = page.evaluate(RENDERED, macros)
            if TAKE_SCREENSHOTS:
                stem = Path(notebook).stem
                page.evaluate(SCROLL_TO_TOP)
                page.screenshot(path=SCREENSHOTS / f"{stem}.png")
                if page.evaluate(SCROLL_TO_EXERCISE):
                    page.screenshot(path=SCREENSHOTS / f"{stem}-exercise.png")
            results[notebook] = problems(notebook, run, rendered)
    return results


@pytest.fixture(scope="module")
def lab_results(jupyterlab: str) -> dict[str, list[str]]:
    """Every notebook of the book opened and run in the one JupyterLab: its problems.

    The browser runs in a thread of its own: Playwright's sync API allows one instance per
    thread, and tests/test_site.py may keep one open in this worker's main thread.
    """
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run_in_browser, jupyterlab).result()


def only_the_python_patch_version_differs(stored: dict[str, Any], live: dict[str, Any]) -> bool:
    """True if JupyterLab changed only ``language_info.version``, from one 3.11.x to another:
    the refresh tool keeps the patch version it finds, so that notebooks refreshed on
    different machines agree, and a machine with another patch release sees that one line."""
    stored_info, live_info = stored.get("language_info", {}), live.get("language_info", {})
    same_minor = (
        str(stored_info.get("version", "")).split(".")[:2]
        == str(live_info.get("version", "")).split(".")[:2]
    )
    without = [{k: v for k, v in m.items() if k != "version"} for m in (stored_info, live_info)]
    others = [{k: v for k, v in m.items() if k != "language_info"} for m in (stored, live)]
    return (
        same_minor
        and stored_info.get("version") != live_info.get("version")
        and without[0] == without[1]
        and others[0] == others[1]
    )


SOLUTION_START = re.compile(r"^:::\{solution-start\}[^\n]*\n(?:[^\n]*\n)*?:::[ \t]*$", re.M)


def solution_cells_of(notebook: dict[str, Any]) -> tuple[list[int], list[str]]:
    """The indices of the cells inside solutions (after the cell that starts one, before the
    one that ends it), and any solution text in the cell that starts it, where nothing can
    fold it away."""
    inside, cells, open_text = False, [], []
    for index, cell in enumerate(notebook["cells"]):
        source = "".join(cell["source"]) if cell["cell_type"] == "markdown" else ""
        if ":::{solution-end}" in source:
            inside = False
        if inside:
            cells.append(index)
        start = SOLUTION_START.search(source)
        if start:
            inside = True
            if source[start.end() :].strip():
                open_text.append(source[start.end() :].strip())
    return cells, open_text


def problems(notebook: str, run: dict[str, Any], rendered: dict[str, Any]) -> list[str]:
    """Everything wrong with one notebook in JupyterLab, as readable sentences."""
    found = []
    if run["kernelName"] != "python3":
        found.append(f"kernel {run['kernelName']!r}, not python3")
    if run["dirtyOnOpen"]:
        stored = json.loads((ROOT / notebook).read_text())["metadata"]
        live = run["metadataOnOpen"]
        changed = {
            k: live.get(k) for k in stored.keys() | live.keys() if stored.get(k) != live.get(k)
        }
        if not only_the_python_patch_version_differs(stored, live):
            found.append(
                f"opening it marks it modified; JupyterLab changed its metadata to {changed}:"
                " run `python tools/refresh_notebooks.py`"
            )
    for cell in run["outputs"]:
        if not cell["source"].strip():
            continue
        if cell["count"] is None:
            found.append(f"a cell did not run:\n{cell['source']}")
        for output in cell["outputs"]:
            if output["type"] == "error" or output["name"] == "stderr":
                found.append(f"{output['type']} output {output['text']!r} from:\n{cell['source']}")
    stored_figures = sum(
        "image/png" in output.get("data", {})
        and EXPLORABLE_MIME not in output.get("data", {})  # drawn by JupyterLab's Vega
        for cell in json.loads((ROOT / notebook).read_text())["cells"]
        for output in cell.get("outputs", [])
    )
    if rendered["figures"] != stored_figures:
        found.append(f"{rendered['figures']} figures shown of the {stored_figures} stored")
    for natural, shown in rendered["figureSizes"]:
        # 192 pixels per inch are 2 image pixels per CSS px: shown wider, it is oversized.
        if shown > natural / 2 + 1:
            found.append(
                f"a figure of {natural} pixels is shown {shown:.0f} px wide, not {natural / 2:.0f}:"
                " run `python tools/refresh_notebooks.py` (it records each figure's size)"
            )
    cross_references = [u for u in rendered["unresolved"] if not u.startswith("Citation")]
    found.extend(f"unresolved in JupyterLab: {u}" for u in cross_references)
    height, text = rendered["macrosCell"]
    if not text or "\n" in text or height > 80:  # one line of text and the cell's padding
        found.append(f"the macros cell is {height:.0f} px tall and shows {text!r}, not one line")
    solution_cells, open_text = solution_cells_of(json.loads((ROOT / notebook).read_text()))
    found.extend(f"a solution begins in the open: {text[:80]!r}" for text in open_text)
    if rendered["collapsedCells"] != solution_cells:
        found.append(
            f"cells shown collapsed: {rendered['collapsedCells']}; the solutions' cells:"
            f" {solution_cells}"
        )
    if rendered["openSolutions"]:
        found.append(f"{rendered['openSolutions']} solution(s) shown open")
    if rendered["formulas"] == 0:
        found.append("no formula was typeset")
    found.extend(f"MathJax error: {error}" for error in rendered["errors"])
    if rendered["undefinedControl"]:
        found.append("a MathJax error message is shown")
    for text in rendered["markdown"]:
        match = RAW_MYST.search(text)
        if match:
            found.append(f"raw MyST {match.group(0)!r} in: {text[:200]!r}")
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: Path(p).name)
def test_notebook_reads_and_runs_right_in_jupyterlab(
    lab_results: dict[str, list[str]], notebook: str
) -> None:
    found = lab_results[notebook]
    assert not found, f"{notebook} in JupyterLab:\n- " + "\n- ".join(found)


# --- explorables (xent.plotting.explorable): a separate test, sharing only the server ------

EXPLORABLE_MIME = "application/vnd.vegalite.v5+json"

# Open one notebook connected to the kernel already running (no new kernel); wait until its
# explorables are drawn; return whether opening it marked it modified.
OPEN_EXPLORABLES = """
async ([path, expected]) => {
  const app = window.jupyterapp;
  const kernels = await (await fetch("/api/kernels")).json();
  const kernel = kernels.length ? {id: kernels[0].id, name: kernels[0].name} : undefined;
  const panel = await app.commands.execute("docmanager:open", {path, factory: "Notebook", kernel});
  await Promise.all([panel.context.ready, panel.revealed]);
  app.shell.activateById(panel.id);
  const deadline = Date.now() + 30000;
  const drawn = () => panel.content.node.querySelectorAll(".vega-embed svg").length;
  while (drawn() < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {id: panel.id, drawn: drawn(), dirty: panel.context.model.dirty};
}
"""

EXPLORABLE_FACTS = """
([id, index]) => {
  const panel = Array.from(window.jupyterapp.shell.widgets("main")).find((w) => w.id === id);
  const box = panel.content.node.querySelectorAll(".vega-embed")[index];
  const inputs = Array.from(box.querySelectorAll("input[type=range]"));
  return {
    sliders: inputs.map((i) => ({name: i.name, value: Number(i.value)})),
    texts: Array.from(box.querySelectorAll("svg text")).map((t) => t.textContent),
  };
}
"""


def explorable_problems(url: str) -> list[str]:
    from tests.explorable_references import expected_readout
    from tests.test_explorables import READOUT

    found = []
    notebooks = {}
    for notebook in NOTEBOOKS:
        cells = json.loads((ROOT / notebook).read_text())["cells"]
        specs = [output["data"][EXPLORABLE_MIME] for cell in cells for output in
                 cell.get("outputs", []) if EXPLORABLE_MIME in output.get("data", {})]
        if specs:
            notebooks[notebook] = specs
    if not notebooks:
        return ["no notebook stores an explorable"]
    with lab_page(url) as page:
        for notebook, specs in notebooks.items():
            opened = page.evaluate(OPEN_EXPLORABLES, [notebook, len(specs)])
            if opened["dirty"]:
                found.append(f"{notebook}: opening it marks it modified")
            if opened["drawn"] != len(specs):
                found.append(f"{notebook}: {opened['drawn']} of {len(specs)} explorables drawn")
                continue
            for index, spec in enumerate(specs):
                box = page.locator(f"#{opened['id']} .vega-embed").nth(index)
                last: dict[str, float] = {}
                for param in [p for p in spec["params"] if "bind" in p]:
                    control = box.locator(f"input[type=range][name='{param['name']}']")
                    control.scroll_into_view_if_needed()
                    # Clicks on the track. (Arrow keys do not move a slider here: the
                    # input has the focus, but JupyterLab's keyboard shortcuts take the
                    # keys first. On the website they do; tests/test_explorables.py.)
                    bind = param["bind"]
                    start = (param["value"] - bind["min"]) / (bind["max"] - bind["min"])
                    # first towards the far end from the default, then back past it
                    for how in ((0.05, 0.95) if start > 0.5 else (0.95, 0.05)):
                        area = control.bounding_box()
                        control.click(position={"x": how * area["width"],
                                                "y": area["height"] / 2})
                        facts = page.evaluate(EXPLORABLE_FACTS, [opened["id"], index])
                        position = {s["name"]: s["value"] for s in facts["sliders"]}
                        where = f"{notebook} #{index + 1}, {param['name']} clicked at {how:.0%}"
                        if position[param["name"]] == last.get(param["name"], param["value"]):
                            found.append(f"{where}: the slider did not move")
                        last[param["name"]] = position[param["name"]]
                        shown = [m for t in facts["texts"] if (m := READOUT.match(t.strip()))]
                        expected = expected_readout(spec, position)
                        for match, value in zip(shown, expected):
                            number = float(match["number"].replace("\u2212", "-"))
                            tolerance = 0.5 * 10.0 ** -len(match["decimals"]) + 2e-6
                            if abs(number - value) > tolerance:
                                found.append(
                                    f"{where}: {match['label']} = {number}, not {value:.6f}"
                                )
                        if len(shown) != len(expected):
                            found.append(f"{where}: readout {facts['texts']}")
                if TAKE_SCREENSHOTS:
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    stem = Path(notebook).stem
                    box.screenshot(path=SCREENSHOTS / f"{stem}-explorable-{index + 1}.png")
            if page.evaluate(
                "id => Array.from(window.jupyterapp.shell.widgets('main'))"
                ".find((w) => w.id === id).context.model.dirty", opened["id"]
            ):
                found.append(f"{notebook}: moving its sliders marks it modified")
    return found


def test_explorables_draw_and_their_sliders_move_in_jupyterlab(jupyterlab: str) -> None:
    """Every stored explorable is drawn by JupyterLab's own Vega renderer, offline; its
    sliders move when clicked, the readout following as Python computes it; opening the
    notebook, and moving them, leaves it unmodified."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        found = executor.submit(explorable_problems, jupyterlab).result()
    assert not found, "explorables in JupyterLab:\n- " + "\n- ".join(found)
