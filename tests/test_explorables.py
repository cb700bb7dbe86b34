"""The explorables on the built website, moved in a real browser.

Debian's Chromium, driven by Playwright, opens every page of the built site that shows an
explorable (``xent.plotting.explorable``, drawn by ``book/_ext/xent_vega.py``) and, for every
explorable on it:

* moves each slider with the keyboard (arrow keys, Page Up, Home and End) and with the pointer
  (a click on the track), reads the readout, which is SVG text, and compares every number in
  it with the value computed in Python at that slider position, independently of xent
  (``tests/explorable_references.py``), to the precision it is printed with;
* checks that the slider is a labelled range input, the figure a labelled group with its
  description, and the PNG fallback inside ``<noscript>``;

with no console error and no request to another host (Chromium resolves no other host); then
then, on the same page, narrowed to a 390 px phone and switched to the site's dark mode: the
figures are drawn again at the column's width with their sliders where they were, nothing is
wider than the column, the figure keeps its white card and dark text, and a slider still
moves the readout as Python computes it. One page load per chapter keeps the test fast.

Every notebook output that holds a Vega-Lite spec must become an explorable on its page: a
build whose MyST-NB does not know the renderer (``pip install -e .`` not run) fails here.

With ``XENT_SCREENSHOTS=1`` it saves each explorable at 1280 px, at 390 px and in dark mode
under ``_build/screenshots/explorables/``. Build the site first (see ``tests/test_site.py``).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser import CHROMIUM, CHROMIUM_ARGS, TAKE_SCREENSHOTS
from tests.explorable_references import expected_readout

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("XENT_SITE_DIR") or ROOT / "_build" / "html").resolve()
SCREENSHOTS = SITE.parent / "screenshots" / "explorables"
MIME_TYPE = "application/vnd.vegalite.v5+json"
BLOCK_OTHER_HOSTS = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
TIMEOUT_MS = 30_000
READOUT = re.compile(
    r"^(?P<label>.+?) = (?P<number>[−-]?\d+\.(?P<decimals>\d+))(?: (?P<unit>\w+))?$"
)


def notebooks_with_explorables() -> dict[str, int]:
    """Each chapter whose stored outputs hold explorables, and how many: "book/entropy": 1."""
    found = {}
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        count = sum(
            MIME_TYPE in output.get("data", {})
            for cell in cells if cell["cell_type"] == "code" for output in cell["outputs"]
        )
        if count:
            found[f"book/{path.stem}"] = count
    return found


PAGES = notebooks_with_explorables()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[tuple[Browser, str]]:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE}: no built site; build it first (see tests/test_site.py)",
                    pytrace=False)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(SITE))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, BLOCK_OTHER_HOSTS]
        )
        try:
            yield chromium, f"http://127.0.0.1:{server.server_port}"
        finally:
            chromium.close()
            server.shutdown()
            server.server_close()


class Watched:
    """A page with its explorables drawn, and what went wrong while it was open."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900},
                                           color_scheme="light")
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        origin = url.split("/book/")[0] + "/"
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(
            f"HTTP {r.status}: {r.url}"))
        self.page.on("request", lambda r: not r.url.startswith((origin, "data:", "blob:"))
                     and self.outside.append(r.url))
        self.page.goto(url, wait_until="domcontentloaded")
        expected = self.page.locator("div.xent-vega").count()
        self.page.wait_for_function(
            "n => document.querySelectorAll('div.xent-vega.xent-vega-ready').length === n"
            " || document.querySelector('div.xent-vega-failed')",
            arg=expected,
        )
        self.count = expected

    def check_clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.outside, f"requests to other hosts: {self.outside}"

    def close(self) -> None:
        self.context.close()


def explorable_facts(page: Page, index: int) -> dict[str, Any]:
    """The spec's metadata, the sliders' names and values and the readout lines of one."""
    return page.evaluate(
        """index => {
          const box = document.querySelectorAll('div.xent-vega')[index];
          const spec = JSON.parse(box.querySelector('script.xent-vega-spec').textContent);
          const inputs = [...box.querySelectorAll('input[type=range]')];
          return {
            meta: spec.usermeta.xent,
            spec: spec,
            failed: box.classList.contains('xent-vega-failed'),
            label: box.getAttribute('aria-label'),
            description: spec.description,
            svgLabel: box.querySelector('svg')
              && box.querySelector('svg').getAttribute('aria-label'),
            sliders: inputs.map(input => ({
              name: input.name, value: Number(input.value), step: Number(input.step),
              min: Number(input.min), max: Number(input.max),
              label: input.closest('label') ? input.closest('label').textContent.trim() : '',
            })),
            texts: [...box.querySelectorAll('svg text')].map(t => t.textContent),
            noscript: (box.querySelector('noscript') || {textContent: ''}).textContent,
            boxWidth: box.clientWidth, scrollWidth: box.scrollWidth,
            background: getComputedStyle(box).backgroundColor,
          };
        }""",
        index,
    )


def readout(facts: dict[str, Any]) -> list[tuple[str, float, int]]:
    lines = []
    for text in facts["texts"]:
        if match := READOUT.match(text.strip()):
            number = float(match["number"].replace("−", "-"))
            lines.append((match["label"], number, len(match["decimals"])))
    return lines


def assert_readout_matches_python(facts: dict[str, Any], where: str) -> None:
    meta = facts["meta"]
    position = {s["name"]: s["value"] for s in facts["sliders"]}
    expected = expected_readout(facts["spec"], position)
    shown = readout(facts)
    assert [label for label, _, _ in shown] == meta["readouts"], (where, facts["texts"])
    for (label, number, decimals), value in zip(shown, expected):
        # the printed digits, and the six decimals the grid is stored with
        tolerance = 0.5 * 10.0**-decimals + 2e-6
        assert abs(number - value) <= tolerance, (
            f"{where}: at {position}, {label} shows {number}, Python gives {value:.6f}"
        )


def slider(page: Page, index: int, name: str) -> Any:
    return page.locator("div.xent-vega").nth(index).locator(f"input[type=range][name='{name}']")


def move_and_check(watched: Watched, index: int, where: str, keys: list[str]) -> int:
    """Press ``keys`` on each slider of explorable ``index``; check the readout after each."""
    page = watched.page
    facts = explorable_facts(page, index)
    assert not facts["failed"], f"{where}: the explorable failed to draw"
    assert_readout_matches_python(facts, f"{where}, at the start")
    moves = 0
    for info in facts["sliders"]:
        before = info["value"]
        control = slider(page, index, info["name"])
        control.focus()
        for key in keys:
            control.press(key)
            now = explorable_facts(page, index)
            assert_readout_matches_python(now, f"{where}, {info['name']} after {key}")
            moves += 1
        value = explorable_facts(page, index)["sliders"]
        moved = next(s["value"] for s in value if s["name"] == info["name"])
        assert moved != before or len(keys) == 0, f"{where}: the keys did not move {info['name']}"
    return moves


def check_at_desktop_width(watched: Watched, docname: str) -> None:
    page = watched.page
    for index in range(watched.count):
        where = f"{docname} #{index + 1}"
        facts = explorable_facts(page, index)
        assert facts["label"] == facts["description"] == facts["svgLabel"], where
        assert "<img" in facts["noscript"] and 'alt="' in facts["noscript"], where
        for info in facts["sliders"]:
            assert info["label"], f"{where}: slider {info['name']} has no label"
        move_and_check(watched, index, where, ["ArrowRight", "ArrowRight", "ArrowLeft",
                                               "PageUp", "End", "Home"])
        # the pointer: a click a quarter and three quarters along each track
        for info in facts["sliders"]:
            control = slider(page, index, info["name"])
            control.scroll_into_view_if_needed()
            box = control.bounding_box()
            assert box, where
            for fraction in (0.25, 0.75):
                page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)
                now = explorable_facts(page, index)
                value = next(s["value"] for s in now["sliders"] if s["name"] == info["name"])
                span = info["max"] - info["min"]
                # within a tenth of the track, or one step of a coarse slider (a label y of
                # 0 or 1 snaps to the nearer end)
                near = max(0.1 * span, info["step"])
                assert abs(value - (info["min"] + fraction * span)) <= near, (
                    f"{where}: a click at {fraction:.0%} of {info['name']} gave {value}")
                assert_readout_matches_python(now, f"{where}, {info['name']} clicked")
        screenshot(page, index, f"{docname}-{index + 1}-1280", element=True)


def check_on_a_dark_phone(watched: Watched, docname: str) -> None:
    """The reader narrows the window to 390 px (the figures are drawn again at that width,
    their sliders kept) and switches the theme to dark."""
    page = watched.page
    before = [explorable_facts(page, i)["sliders"] for i in range(watched.count)]
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    page.wait_for_function(
        "n => document.querySelectorAll('div.xent-vega.xent-vega-ready').length === n"
        " && [...document.querySelectorAll('div.xent-vega svg')].every("
        "   s => s.getBoundingClientRect().width <= 380)",
        arg=watched.count,
    )
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{docname}: the page is {overflow} px wider than a 390 px phone"
    for index in range(watched.count):
        where = f"{docname} #{index + 1} at 390 px, dark"
        facts = explorable_facts(page, index)
        assert facts["sliders"] == before[index], f"{where}: redrawing moved the sliders"
        assert facts["scrollWidth"] <= facts["boxWidth"], (
            f"{where}: {facts['scrollWidth']} px of figure in a {facts['boxWidth']} px box")
        assert facts["background"] == "rgb(255, 255, 255)", where
        fills = page.evaluate(
            """i => [...document.querySelectorAll('div.xent-vega')[i].querySelectorAll(
                 'svg text')].map(t => getComputedStyle(t).fill)""", index)
        dark_text = {"rgb(34, 34, 34)", "rgb(0, 0, 0)", "rgb(51, 51, 51)"}
        assert fills and set(fills) <= dark_text | {"none"}, (where, set(fills))
        move_and_check(watched, index, where, ["ArrowLeft"])
        screenshot(page, index, f"{docname}-{index + 1}-390-dark", element=False)


def screenshot(page: Page, index: int, name: str, *, element: bool) -> None:
    if not TAKE_SCREENSHOTS:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    box = page.locator("div.xent-vega").nth(index)
    box.scroll_into_view_if_needed()
    path = SCREENSHOTS / f"{name.split('/')[-1]}.png"
    (box if element else page).screenshot(path=path)


@pytest.mark.parametrize("docname", sorted(PAGES))
def test_every_explorable_moves_and_reads_as_python_computes_on_desktop_phone_and_dark(
    browser: tuple[Browser, str], docname: str
) -> None:
    chromium, origin = browser
    watched = Watched(chromium, f"{origin}/{docname}.html")
    try:
        assert watched.count == PAGES[docname], (
            f"{docname}: {PAGES[docname]} explorables stored, {watched.count} on the page; "
            "is the renderer registered (`pip install -e .`)?"
        )
        check_at_desktop_width(watched, docname)
        check_on_a_dark_phone(watched, docname)
        watched.check_clean()
    finally:
        watched.close()
