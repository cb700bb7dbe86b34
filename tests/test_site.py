"""The built website, checked in a real browser.

Debian's Chromium, driven by Playwright, opens every page named in ``_toc.yml`` from a local
HTTP server and checks what a reader gets: no console errors or broken local resources, no
request to any other host (the site needs no network), images that load and carry alt text,
equations typeset by the vendored MathJax, Binder and Colab buttons that open this notebook
from the repository configured in ``_config.yml``, figures shown in dark mode as a dimmed card
whose ink keeps its contrast and whose paper does not glare, previous/next links in
table-of-contents order and numbered chapter titles. At 1280, 800 and 390 px, in light and
dark mode, nothing may stick out of its column or be cut off (a formula, a heading, a table,
a title), a box that scrolls sideways must show a cue, and on a desktop no table may need to
scroll. The menu buttons are tapped at 390, 800 and 1280 px: the dialogs (or, on a desktop,
the sidebar) open in view, close, and their links work. It also checks the built-in search
and, from ``file://`` with every network request blocked, that the equations still typeset.

With ``XENT_SCREENSHOTS=1`` every page is also saved as screenshots under
``_build/screenshots/`` for a human to look at: the whole page in light mode at 1280 px, one
screen in dark mode (scrolled to the first figure), the first screen at 800 px and at 390 px
in dark and in light mode, and the open menu and contents dialogs at 390 and 800 px. They are
for a review, not for every run: they check nothing, and cost a fifth of this file's time
(the longest page is a PNG 70,000 px tall).

The site is ``_build/html`` unless ``XENT_SITE_DIR`` names another built ``html`` directory.
Build it first::

    .venv/bin/jupyter-book build --all -W -n --keep-going .

(``--all``: on an incremental build Sphinx does not rewrite the previous/next links of pages
next to a new chapter.)
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    Playwright,
    Request,
    Response,
    ViewportSize,
    sync_playwright,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser import CHROMIUM, CHROMIUM_ARGS, TAKE_SCREENSHOTS

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("XENT_SITE_DIR") or ROOT / "_build" / "html").resolve()
SCREENSHOTS = SITE.parent / "screenshots"
BUILD_HINT = (
    "Build the book first, from the repository root: "
    "`.venv/bin/jupyter-book build --all -W -n --keep-going .` "
    "(or set XENT_SITE_DIR to a built site's html directory)."
)
CHROMIUM_HINT = (
    "Install Debian's Chromium: `apt-get install -y chromium` (never `playwright install`)."
)
# Every host but this machine fails to resolve: the site must need no network, and a request
# elsewhere fails at once (and is recorded by Site.watch).
BLOCK_OTHER_HOSTS = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
PHONE_WIDTH = 390
TABLET_WIDTH = 800  # below the theme's 992 px breakpoint: the sidebars become dialogs
TIMEOUT_MS = 15_000


# --- the pages, from _toc.yml -----------------------------------------------------------


@dataclass(frozen=True)
class TocPage:
    docname: str  # "book/entropy"
    source: Path  # book/entropy.ipynb (or .md)
    number: str | None  # "1" for the first numbered chapter, None for unnumbered pages

    @property
    def notebook(self) -> bool:
        return self.source.suffix == ".ipynb"

    @property
    def html(self) -> str:
        return f"{self.docname}.html"

    @property
    def slug(self) -> str:
        return self.docname.replace("/", "-")


def _source(docname: str) -> Path:
    for suffix in (".ipynb", ".md"):
        if (ROOT / f"{docname}{suffix}").exists():
            return Path(f"{docname}{suffix}")
    return Path(docname)


def toc_pages() -> list[TocPage]:
    """Every page of ``_toc.yml`` in reading order, with its number if its part is numbered.

    With ``use_multitoc_numbering`` (Jupyter Book's default) chapter numbers run on across
    numbered parts; files nested under a chapter as ``sections`` are numbered 1.1, 1.2, ...
    """
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    config = yaml.safe_load((ROOT / "_config.yml").read_text()) or {}
    continuous = (config.get("html") or {}).get("use_multitoc_numbering", True)
    default_numbered = (toc.get("defaults") or {}).get("numbered", False)

    def page(entry: str, number: str | None) -> TocPage:
        docname = str(Path(entry).with_suffix("")) if entry.endswith((".ipynb", ".md")) else entry
        return TocPage(docname, _source(docname), number)

    def add_sections(entries: list[dict[str, Any]], prefix: str | None) -> None:
        files = [entry for entry in entries if "file" in entry]  # not url: or glob: entries
        for index, entry in enumerate(files, start=1):
            number = f"{prefix}.{index}" if prefix else None
            pages.append(page(entry["file"], number))
            add_sections(entry.get("sections", []), number)

    pages = [page(toc["root"], None)]
    chapter = 0
    for part in toc.get("parts") or [{"chapters": toc.get("chapters", [])}]:
        numbered = bool(part.get("numbered", default_numbered))
        chapter = chapter if continuous else 0
        for entry in part.get("chapters", []):
            if "file" not in entry:
                continue
            number = None
            if numbered:
                chapter += 1
                number = str(chapter)
            pages.append(page(entry["file"], number))
            add_sections(entry.get("sections", []), number)
    return pages


PAGES = toc_pages()
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


def page_id(page: TocPage) -> str:
    return page.docname


# --- the server, the browser and the visits ----------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the browser closing a connection early is not the site's problem


@dataclass
class Visit:
    """What a page showed: the problems seen while it was open, and the facts read from its
    DOM (per mode: ``light``, ``phone``, ``dark``)."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    local_failures: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)


# The theme animates its sidebars and colours; the checks and screenshots want the end state
# at once, so transitions and animations are switched off once a page has loaded.
NO_MOTION_CSS = (
    "*, *::before, *::after { transition: none !important; animation: none !important; }"
)

# After a resize or a mode switch: let any remaining finite animation end, then two frames.
SETTLE_JS = """
async () => {
  const settle = (async () => {
    const finite = document.getAnimations()
      .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
    await Promise.all(finite.map(a => a.finished.catch(() => null)));
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  })();
  await Promise.race([settle, new Promise(resolve => setTimeout(resolve, 2000))]);
}
"""

# Wait until the page is finished: MathJax typeset (if the page has math), fonts and images.
READY_JS = """
async (timeoutMs) => {
  const ready = (async () => {
    if (document.querySelector('.math')) {
      if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
        return 'MathJax did not load';
      }
      await MathJax.startup.promise;
    }
    await document.fonts.ready;
    await Promise.all([...document.images].map(img => img.complete ? null : new Promise(resolve => {
      img.addEventListener('load', resolve);
      img.addEventListener('error', resolve);
    })));
    return 'ready';
  })();
  const late = new Promise(resolve =>
    setTimeout(() => resolve(`not ready after ${timeoutMs} ms`), timeoutMs));
  return Promise.race([ready, late]);
}
"""

FACTS_JS = """
() => {
  const article = document.querySelector('article.bd-article') || document.body;
  const snippet = (text, at) => text.slice(Math.max(0, at - 40), at + 40).replace(/\\s+/g, ' ');
  const rest = article.cloneNode(true);
  rest.querySelectorAll('pre, code, script, style, mjx-container').forEach(el => el.remove());
  const text = rest.textContent;
  const heading = article.querySelector('h1');
  return {
    theme: document.documentElement.dataset.theme,
    images: [...document.images].map(img => ({
      src: img.currentSrc || img.src,
      alt: (img.getAttribute('alt') || '').trim(),
      naturalWidth: img.naturalWidth,
      inContent: article.contains(img) && article !== document.body,
    })),
    mathCount: article.querySelectorAll('.math').length,
    mjxCount: article.querySelectorAll('mjx-container').length,
    untypeset: [...article.querySelectorAll('.math')]
      .filter(el => !el.querySelector('mjx-container'))
      .map(el => el.textContent.trim().slice(0, 80)),
    mathErrors: [...document.querySelectorAll('mjx-merror')]
      .map(el => el.getAttribute('data-mjx-error') || el.textContent),
    rawDelimiters: ['\\\\(', '\\\\[', '$$'].filter(d => text.includes(d))
      .map(d => `${d} in "...${snippet(text, text.indexOf(d))}..."`),
    heading: heading ? heading.textContent.replace(/#$/, '').trim() : null,
    links: [...document.querySelectorAll('a[href]')].map(a => ({href: a.href,
      title: a.getAttribute('title') || a.getAttribute('data-bs-original-title') || ''})),
    prev: document.querySelector('a.left-prev')?.href ?? null,
    next: document.querySelector('a.right-next')?.href ?? null,
    scrollWidth: document.documentElement.scrollWidth,
    viewportWidth: window.innerWidth,
    // inline code tokens (Sphinx's span.pre: no spaces inside) drawn on more than one line
    // (in headings and tables a name may break at its "_" and ".", where it can be wider than
    // the room it has: book/_static/xent.js)
    splitTokens: [...article.querySelectorAll('code.literal span.pre')]
      .filter(span => !span.closest('h1, h2, h3, h4, h5, h6, table'))
      .filter(span => new Set([...span.getClientRects()].map(r => Math.round(r.bottom))).size > 1)
      .map(span => span.textContent),
    // display equations wider than the box they sit in
    wideEquations: [...article.querySelectorAll('mjx-container[display="true"]')]
      .map(box => ({box, math: box.querySelector('mjx-math')}))
      .filter(({box, math}) => math &&
        math.getBoundingClientRect().width > box.getBoundingClientRect().width + 1)
      .map(({box, math}) => ({
        scrolls: ['auto', 'scroll'].includes(getComputedStyle(box).overflowX),
        what: `${Math.round(math.getBoundingClientRect().width)} px in ` +
          `${Math.round(box.getBoundingClientRect().width)} px: ` +
          (box.closest('.math')?.id || box.textContent.slice(0, 40))})),
    figures: [...article.querySelectorAll('img')].map(img => ({
      src: img.currentSrc || img.src, naturalWidth: img.naturalWidth,
      shownWidth: img.getBoundingClientRect().width})),
    icons: [...document.querySelectorAll('link[rel~="icon"]')].map(link => link.href),
    // the names an autosummary table lists, each with a link to an anchor on this page
    summarised: (() => {
      const ids = new Set([...document.querySelectorAll('[id]')].map(el => el.id));
      return [...document.querySelectorAll('table.autosummary a.reference')]
        .filter(a => ids.has(decodeURIComponent(new URL(a.href).hash.slice(1))))
        .map(a => a.title || a.textContent.trim());
    })(),
    searchBoxes: [...document.querySelectorAll('.search-button-field, .search-button, .bd-search')]
      .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
      .map(el => el.className),
  };
}
"""

# How each content image is drawn: on opaque white (its corner pixels), with which filters
# and opacity on it and its ancestors (a brightness factor is measured, anything else is
# listed), on which page background.
DARK_JS = """
() => {
  const article = document.querySelector('article.bd-article') || document.body;
  const opaque = color => color !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(color);
  let background = 'rgb(255, 255, 255)';
  for (let el = article; el; el = el.parentElement) {
    const color = getComputedStyle(el).backgroundColor;
    if (opaque(color)) { background = color; break; }
  }
  return [...article.querySelectorAll('img')].map(img => {
    const dimmers = [];
    let brightness = 1;
    for (let el = img; el && el !== document.documentElement; el = el.parentElement) {
      const style = getComputedStyle(el);
      const name = el.tagName.toLowerCase();
      if (style.filter !== 'none') {
        const only = style.filter.match(/^brightness\\(([0-9.]+)\\)$/);
        if (only) brightness *= parseFloat(only[1]);
        else dimmers.push(`${name}: filter ${style.filter}`);
      }
      if (parseFloat(style.opacity) < 1) dimmers.push(`${name}: opacity ${style.opacity}`);
    }
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d');
    let corners = [];
    if (canvas.width && canvas.height && location.protocol !== 'file:') {  // file: taints canvases
      context.drawImage(img, 0, 0);
      const [w, h] = [canvas.width - 1, canvas.height - 1];
      corners = [[0, 0], [w, 0], [0, h], [w, h]]
        .map(([x, y]) => [...context.getImageData(x, y, 1, 1).data]);
    }
    return {src: img.currentSrc || img.src, dimmers, brightness, corners, background};
  });
}
"""

# The elements that stick out past the right edge of the viewport (for a helpful message).
OVERFLOW_JS = """
() => {
  const width = window.innerWidth;
  const clipped = el => {
    for (let p = el.parentElement; p && p !== document.documentElement; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const outside = [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !clipped(el));
  // The innermost ones name the culprit; their ancestors only inherit its width.
  return outside.filter(el => !outside.some(other => other !== el && el.contains(other)))
    .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
    .slice(0, 6)
    .map(el => `<${el.tagName.toLowerCase()} class="${el.className}"> ` +
      `"${el.textContent.trim().slice(0, 50)}" ` +
      `reaches ${Math.round(el.getBoundingClientRect().right)} px`);
}
"""

# Everything on the page that sticks out of its column or is cut off, at the current width
# and mode. The page is walked from <body>: an element must lie inside its column (the
# article, a sidebar, the header above the article, the footer, an open dialog; the window
# outside them), and inside every box that clips (overflow: hidden or clip) around it, or the
# part outside is cut off; the text directly in a block must too. A box that scrolls sideways
# (overflow: auto or scroll) and has more than it shows must show a cue (a mask, a gradient
# background or a shadow); on a desktop (the argument) a table must not need one at all.
# A formula's width is its layout box's (MathJax's glyph boxes overhang it by a few pixels).
# Inside formulas, pictures, code blocks and boxes that scroll nothing is checked.
FIT_JS = r"""
(desktop) => {
  const problems = [];
  const SKIP = new Set(['MJX-CONTAINER', 'svg', 'PRE', 'SCRIPT', 'STYLE', 'IMG', 'CANVAS']);
  const COLUMNS = ['article.bd-article', '#pst-primary-sidebar', '#pst-secondary-sidebar',
    '.bd-header-article', 'footer', '.prev-next-area', 'dialog[open]'].join(', ');
  const px = value => `${Math.round(value)}`;
  const describe = el => {
    const where = el.id || el.closest('[id]')?.id || '';
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    const classes = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    return `<${el.tagName.toLowerCase()}${classes}> "${text}" (#${where})`;
  };
  const hasCue = el => {
    const s = getComputedStyle(el);
    return [s.maskImage, s.webkitMaskImage].some(mask => mask && mask !== 'none') ||
      /gradient/.test(s.backgroundImage) || s.boxShadow !== 'none';
  };
  // a formula's width is its layout box's; anything else's, what it scrolls
  const extent = el => {
    const inner = el.matches('span.math') ? el.querySelector('mjx-container')
      : el.matches('mjx-container') ? el.querySelector(':scope > mjx-math') : null;
    return inner ? Math.ceil(inner.getBoundingClientRect().width) : el.scrollWidth;
  };
  const outside = (box, bounds) => box.right > bounds.right + 1 || box.left < bounds.left - 1;
  const walk = (el, bounds, name, clipped) => {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') return;
    const box = el.getBoundingClientRect();
    if (el.getClientRects().length && box.width > 1 && box.height > 1 && outside(box, bounds)) {
      problems.push(`${describe(el)} spans ${px(box.left)}..${px(box.right)} px, ` +
        `${clipped ? 'cut off by' : 'outside'} ${name} ${px(bounds.left)}..${px(bounds.right)} px`);
      return;  // the innermost culprit is enough
    }
    if (el.matches(COLUMNS) && !clipped) {
      bounds = box;
      name = `its column ${describe(el).slice(0, 40)}`;
    }
    if (s.overflowX === 'auto' || s.overflowX === 'scroll') {
      const wide = extent(el);
      if (wide > el.clientWidth + 1) {  // it scrolls: its content is not checked
        if (!hasCue(el)) {
          problems.push(`${describe(el)} scrolls sideways (${wide} px in ` +
            `${el.clientWidth} px) with no cue`);
        }
        if (desktop && el.querySelector('table')) {
          problems.push(`${describe(el)}: a table ${wide} px wide in a ` +
            `${el.clientWidth} px column`);
        }
        return;
      }
    } else if (s.overflowX !== 'visible') {
      bounds = {left: Math.max(bounds.left, box.left), right: Math.min(bounds.right, box.right)};
      name = `the clipping ${describe(el).slice(0, 40)}`;
      clipped = true;
    }
    if (SKIP.has(el.tagName)) return;
    if (clipped || el.scrollWidth > el.clientWidth + 1) {
      for (const node of el.childNodes) {
        if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const text = range.getBoundingClientRect();
        if (text.width > 0 && outside(text, bounds)) {
          problems.push(`text "${node.textContent.trim().slice(0, 40)}" in ${describe(el)} ` +
            `spans ${px(text.left)}..${px(text.right)} px, ${clipped ? 'cut off by' : 'outside'} ` +
            `${name}`);
        }
      }
    }
    for (const child of el.children) walk(child, bounds, name, clipped);
  };
  walk(document.body, {left: 0, right: document.documentElement.clientWidth}, 'the window', false);
  return problems;
}
"""

# Switch the colour mode as the theme's button does in the end, then let the page settle.
THEME_JS = """
async (mode) => {
  document.documentElement.dataset.theme = mode;
  await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}
"""

DARK_INIT = """
try { localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark'); } catch (e) {}
"""

DESKTOP = ViewportSize(width=1280, height=900)
TABLET = ViewportSize(width=TABLET_WIDTH, height=900)
PHONE = ViewportSize(width=PHONE_WIDTH, height=844)


EXPLORABLES_SETTLED = """() => [...document.querySelectorAll('div.xent-vega')].every(
  box => box.classList.contains('xent-vega-ready') && box.scrollWidth <= box.clientWidth + 1)"""


def settle_explorables(tab: Page) -> None:
    """Wait until the page's explorables are drawn at the column's width: after a resize,
    book/_static/xent_vega.js redraws them once the resizing has stopped for 150 ms. One that
    never fits is left for the layout checks to report."""
    if not tab.evaluate("document.querySelectorAll('div.xent-vega').length"):
        return
    tab.wait_for_timeout(250)
    try:
        tab.wait_for_function(EXPLORABLES_SETTLED, timeout=10_000)
    except PlaywrightTimeoutError:
        pass


class Site:
    """The built site served on 127.0.0.1, and one Chromium, both started on first use.

    Starting lazily, inside a test rather than in a fixture, makes a missing build or a
    missing browser a test *failure* with instructions, never a setup error or a skip.
    The pages of the toc are read one after another in one tab, as a reader clicking through
    the book would (so one renderer process serves them all). Each page is loaded once;
    dark mode and the phone width are then applied to it, the way a reader would (pressing
    the theme's colour-mode button, narrowing the window).
    """

    def __init__(self) -> None:
        self.problem: str | None = None
        self.server: _Server | None = None
        self.thread: threading.Thread | None = None
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.contexts: dict[str, BrowserContext] = {}
        self.visits: dict[str, Visit] = {}
        self.tab: Page | None = None  # the reader's tab
        self.reading: Visit | None = None  # what it shows
        self.broken: dict[str, str] = {}

    @property
    def origin(self) -> str:
        self.start()
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> None:
        if self.problem:
            pytest.fail(self.problem, pytrace=False)
        if self.browser is not None:
            return
        missing = [p.html for p in PAGES if not (SITE / p.html).is_file()]
        missing += [name for name in ("index.html", "search.html") if not (SITE / name).is_file()]
        if missing:
            where = (
                "no built site"
                if not SITE.is_dir()
                else f"these pages are missing: {', '.join(missing)}"
            )
            self.problem = f"{SITE}: {where}. {BUILD_HINT}"
        elif not CHROMIUM.exists():
            self.problem = f"{CHROMIUM} not found. {CHROMIUM_HINT}"
        if self.problem:
            pytest.fail(self.problem, pytrace=False)
        handler = functools.partial(_QuietHandler, directory=str(SITE))
        self.server = _Server(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        try:
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                headless=True,
                args=[*CHROMIUM_ARGS, BLOCK_OTHER_HOSTS],
            )
        except Exception as error:  # noqa: BLE001 - any launch failure gets the same advice
            self.problem = f"Chromium ({CHROMIUM}) did not start: {error}. {CHROMIUM_HINT}"
            self.close()
            pytest.fail(self.problem, pytrace=False)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def context(self, name: str = "light") -> BrowserContext:
        """A light context (the default) or one whose stored colour mode is dark."""
        self.start()
        if name not in self.contexts:
            assert self.browser is not None
            context = self.browser.new_context(viewport=DESKTOP, color_scheme="light")
            context.set_default_timeout(TIMEOUT_MS)
            if name == "stored-dark":
                context.add_init_script(DARK_INIT)
            self.contexts[name] = context
        return self.contexts[name]

    def load(self, url: str, visit: Visit, context: str = "light") -> Page:
        """A new tab, watched, that starts loading ``url`` (use :meth:`finish` on it)."""
        tab = self.context(context).new_page()
        local = "file://" if url.startswith("file://") else self.origin + "/"
        self.watch(tab, lambda: visit, local)
        tab.goto(url, wait_until="commit")
        return tab

    @staticmethod
    def finish(tab: Page, visit: Visit) -> None:
        """Wait until the page has loaded, its math is typeset and its images are in."""
        tab.bring_to_front()  # a tab in the background gets few animation frames
        tab.wait_for_load_state("load")
        state = tab.evaluate(READY_JS, TIMEOUT_MS - 2000)
        if state != "ready":
            pytest.fail(f"{visit.url}: {state}", pytrace=False)
        tab.add_style_tag(content=NO_MOTION_CSS)
        tab.evaluate(SETTLE_JS)

    def open(self, url: str, visit: Visit, context: str = "light") -> Page:
        """A new tab on ``url``, watched, loaded and finished."""
        tab = self.load(url, visit, context)
        try:
            self.finish(tab, visit)
        except BaseException:
            tab.close()
            raise
        return tab

    def reader_tab(self) -> Page:
        """The tab in which the toc's pages are read; what it records goes to ``reading``."""
        if self.tab is None or self.tab.is_closed():
            self.tab = self.context().new_page()
            self.watch(self.tab, lambda: self.reading, self.origin + "/")
        return self.tab

    def screenshot(self, tab: Page, name: str, full_page: bool = False) -> None:
        if TAKE_SCREENSHOTS:
            tab.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=full_page)

    def visit(self, page: TocPage) -> Visit:
        """Open ``page`` once; read its facts in light, in dark mode and at phone width."""
        if page.docname in self.broken:
            pytest.fail(self.broken[page.docname], pytrace=False)
        if page.docname in self.visits:
            return self.visits[page.docname]
        visit = Visit(f"{self.origin}/{page.html}")
        tab = self.reader_tab()
        self.reading = visit
        try:
            tab.set_viewport_size(DESKTOP)
            tab.goto(visit.url, wait_until="commit")
            self.finish(tab, visit)
            settle_explorables(tab)
            visit.facts["light"] = tab.evaluate(FACTS_JS)
            fit = visit.facts["fit"] = {}
            fit["light, 1280 px"] = tab.evaluate(FIT_JS, True)
            self.screenshot(tab, f"{page.slug}-light", full_page=True)

            for _ in range(3):  # the theme's button cycles auto -> dark -> light
                if tab.evaluate("document.documentElement.dataset.mode") == "dark":
                    break
                tab.locator(".theme-switch-button:visible").first.click()
            tab.mouse.move(0, DESKTOP["height"] - 1)  # no tooltip over the button in the picture
            tab.evaluate(SETTLE_JS)
            visit.facts["dark"] = tab.evaluate(FACTS_JS)
            visit.facts["dark"]["darkImages"] = tab.evaluate(DARK_JS)
            fit["dark, 1280 px"] = tab.evaluate(FIT_JS, True)
            if TAKE_SCREENSHOTS:
                figures = tab.locator(".bd-article img")
                if figures.count():  # show a figure, the thing dark mode can spoil
                    figures.first.scroll_into_view_if_needed()
                self.screenshot(tab, f"{page.slug}-dark")  # one screen
                tab.evaluate("window.scrollTo(0, 0)")

            # narrower, one relayout per width: 800 px dark and light, then 390 px light and
            # dark (the mode set as the theme's button sets it)
            tab.set_viewport_size(TABLET)
            tab.evaluate(SETTLE_JS)
            settle_explorables(tab)
            fit[f"dark, {TABLET_WIDTH} px"] = tab.evaluate(FIT_JS, False)
            self.screenshot(tab, f"{page.slug}-tablet-dark")
            tab.evaluate(THEME_JS, "light")
            fit[f"light, {TABLET_WIDTH} px"] = tab.evaluate(FIT_JS, False)
            self.screenshot(tab, f"{page.slug}-tablet-light")
            tab.set_viewport_size(PHONE)
            tab.evaluate(SETTLE_JS)
            settle_explorables(tab)
            fit[f"light, {PHONE_WIDTH} px"] = tab.evaluate(FIT_JS, False)
            self.screenshot(tab, f"{page.slug}-phone-light")
            tab.evaluate(THEME_JS, "dark")
            visit.facts["phone"] = tab.evaluate(FACTS_JS)
            visit.facts["phone"]["overflowing"] = tab.evaluate(OVERFLOW_JS)
            fit[f"dark, {PHONE_WIDTH} px"] = tab.evaluate(FIT_JS, False)
            self.screenshot(tab, f"{page.slug}-phone")  # the first screen, in dark mode
            tab.evaluate("localStorage.clear()")  # the next page starts in the default mode
        except BaseException as error:
            self.broken[page.docname] = f"{visit.url}: {error}"
            if not tab.is_closed():
                tab.close()  # the next page gets a fresh tab
            raise
        self.visits[page.docname] = visit
        return visit

    def disk_visit(self) -> Visit:
        """The first chapter opened from ``file://`` with every network request blocked, in a
        context whose stored colour mode is dark (as the theme's button leaves it)."""
        if "file://" not in self.visits:
            page = next((p for p in PAGES if p.notebook), PAGES[0])
            visit = Visit((SITE / page.html).as_uri())
            tab = self.open(visit.url, visit, context="stored-dark")
            try:
                visit.facts["dark"] = tab.evaluate(FACTS_JS)
                visit.facts["dark"]["darkImages"] = tab.evaluate(DARK_JS)
            finally:
                tab.close()
            self.visits["file://"] = visit
        return self.visits["file://"]

    @staticmethod
    def watch(tab: Page, visit: Callable[[], Visit | None], local: str) -> None:
        """Record every request not under ``local``, console errors and failed requests, in
        the visit that ``visit()`` names at the time. (Intercepting each request with a
        route to block the others instead doubles the CPU a page load costs.)"""

        def request(request: Request) -> None:
            outside = not request.url.startswith((local, "data:", "blob:"))
            if outside and (seen := visit()):
                seen.external_requests.append(request.url)

        def failed(request: Request) -> None:
            seen = visit()
            if seen and request.url.startswith(local) and request.url not in seen.external_requests:
                seen.local_failures.append(f"{request.failure}: {request.url}")

        def response(response: Response) -> None:
            if (seen := visit()) and response.status >= 400:
                seen.local_failures.append(f"HTTP {response.status}: {response.url}")

        def console(message: ConsoleMessage) -> None:
            if (seen := visit()) and message.type == "error":
                seen.console_errors.append(message.text)

        def uncaught(error: Error) -> None:
            if seen := visit():
                seen.console_errors.append(f"uncaught: {error}")

        tab.on("request", request)  # Chromium resolves no other host (BLOCK_OTHER_HOSTS)
        tab.on("console", console)
        tab.on("pageerror", uncaught)
        tab.on("requestfailed", failed)
        tab.on("response", response)

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()
        self.contexts.clear()
        if self.browser is not None:
            self.browser.close()
            self.browser = None
        if self.playwright is not None:
            self.playwright.stop()
            self.playwright = None
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.thread is not None:
            self.thread.join()
            self.thread = None


@pytest.fixture(scope="module")  # closed with this file: one Playwright per process at a time
def site() -> Iterator[Site]:
    served = Site()
    yield served
    served.close()


# --- the tests --------------------------------------------------------------------------


def test_the_site_is_built_and_chromium_starts(site: Site) -> None:
    site.start()
    assert site.browser is not None and site.browser.is_connected()


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_page_loads_without_console_errors_or_broken_resources(site: Site, page: TocPage) -> None:
    visit = site.visit(page)
    assert not visit.console_errors, f"{visit.url}: console errors {visit.console_errors}"
    assert not visit.local_failures, f"{visit.url}: failed requests {visit.local_failures}"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_page_needs_no_network(site: Site, page: TocPage) -> None:
    visit = site.visit(page)
    assert not visit.external_requests, (
        f"{visit.url} requested other hosts: {visit.external_requests}; "
        "vendor the resource under book/_static instead"
    )


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_images_load_and_content_images_have_alt_text(site: Site, page: TocPage) -> None:
    images = site.visit(page).facts["light"]["images"]
    broken = [image["src"] for image in images if image["naturalWidth"] == 0]
    assert not broken, f"{page.html}: images that did not load: {broken}"
    no_alt = [image["src"] for image in images if image["inContent"] and not image["alt"]]
    assert not no_alt, f"{page.html}: images without alt text (set mystnb image.alt): {no_alt}"


def assert_math_typeset(facts: dict[str, Any], where: str) -> None:
    assert not facts["untypeset"], f"{where}: math left untypeset: {facts['untypeset']}"
    assert facts["mjxCount"] >= facts["mathCount"], (
        f"{where}: {facts['mathCount']} math elements, {facts['mjxCount']} typeset"
    )
    assert not facts["mathErrors"], f"{where}: MathJax errors: {facts['mathErrors']}"
    assert not facts["rawDelimiters"], f"{where}: raw TeX in the text: {facts['rawDelimiters']}"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_math_is_typeset_by_the_vendored_mathjax(site: Site, page: TocPage) -> None:
    assert_math_typeset(site.visit(page).facts["light"], page.html)


def expected_launch_links(page: TocPage) -> dict[str, str]:
    """The Binder and Colab URLs for ``page``, from ``_config.yml``'s repository block."""
    repository = CONFIG["repository"]
    launch = CONFIG["launch_buttons"]
    parts = urlsplit(str(repository["url"]).rstrip("/").removesuffix(".git"))
    assert parts.netloc == "github.com", (
        f"launch buttons need a GitHub repository, not {parts.netloc}"
    )
    owner, repo = parts.path.strip("/").split("/")
    branch = repository.get("branch", "master")  # Jupyter Book's default
    book = str(repository.get("path_to_book") or "").strip("/")
    path = f"{book}/{page.source}" if book else str(page.source)
    interface = {"classic": "tree", "jupyterlab": "lab/tree"}[
        launch.get("notebook_interface", "classic")
    ]
    binder, colab = launch["binderhub_url"].rstrip("/"), launch["colab_url"].rstrip("/")
    return {
        "Binder": f"{binder}/v2/gh/{owner}/{repo}/{branch}?urlpath={interface}/{path}",
        "Colab": f"{colab}/github/{owner}/{repo}/blob/{branch}/{path}",
    }


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_launch_buttons_open_this_notebook_from_the_configured_repository(
    site: Site, page: TocPage
) -> None:
    links = site.visit(page).facts["light"]["links"]
    launch = {
        link["title"].removeprefix("Launch on ").strip(): link["href"]
        for link in links
        if link["title"].startswith("Launch on ")
    }
    if page.notebook:
        assert launch == expected_launch_links(page), f"{page.html}: launch buttons {launch}"
        repository = str(CONFIG["repository"]["url"]).rstrip("/")
        assert any(link["href"].rstrip("/") == repository for link in links), (
            f"{page.html}: no repository button linking to {repository}"
        )
    else:
        assert launch == {}, f"{page.html} is not a notebook but has launch buttons {launch}"


def _luminance(red: float, green: float, blue: float) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0-255 channels)."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def _contrast(first: float, second: float) -> float:
    high, low = max(first, second), min(first, second)
    return (high + 0.05) / (low + 0.05)


def _rgb(css: str) -> tuple[float, float, float]:
    red, green, blue = (float(v) for v in re.findall(r"[0-9.]+", css)[:3])
    return red, green, blue


# Dark mode shows each figure (black ink on white paper) as a dimmed card: its ink must keep
# at least WCAG's AAA contrast of 7:1 with its paper, and its paper must not glare: white on
# the theme's dark background is about 18:1; at most 15:1 is asked.
INK_CONTRAST_MIN = 7.0
PAPER_CONTRAST_MAX = 15.0


def assert_figures_readable_in_dark_mode(facts: dict[str, Any], where: str) -> None:
    assert facts["theme"] == "dark", f"{where}: the theme did not switch to dark ({facts['theme']})"
    for image in facts["darkImages"]:
        assert not image["dimmers"], f"{image['src']} is altered in dark mode: {image['dimmers']}"
        assert image["corners"], f"{image['src']} could not be drawn"
        for red, green, blue, alpha in image["corners"]:
            assert alpha == 255 and min(red, green, blue) >= 250, (
                f"{image['src']}: corner pixel {(red, green, blue, alpha)} is not opaque white; "
                "draw figures on an opaque white background (facecolor='white')"
            )
        shown = image["brightness"]
        paper = _luminance(*(min(255.0, c * shown) for c in image["corners"][0][:3]))
        ink = _luminance(0, 0, 0)
        page = _luminance(*_rgb(image["background"]))
        assert _contrast(paper, ink) >= INK_CONTRAST_MIN, (
            f"{image['src']}: in dark mode its ink has a contrast of {_contrast(paper, ink):.1f} "
            f"with its paper (brightness {shown}); at least {INK_CONTRAST_MIN} is needed"
        )
        assert _contrast(paper, page) <= PAPER_CONTRAST_MAX, (
            f"{image['src']}: in dark mode its white paper glares, a contrast of "
            f"{_contrast(paper, page):.1f} with the page ({image['background']}); "
            f"at most {PAPER_CONTRAST_MAX} (dim it in book/_static/xent.css)"
        )


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_figures_stay_readable_in_dark_mode(site: Site, page: TocPage) -> None:
    assert_figures_readable_in_dark_mode(site.visit(page).facts["dark"], page.html)


def test_a_stored_dark_mode_applies_when_a_page_loads(site: Site) -> None:
    """A reader who chose dark mode gets it on the next page they open (here from disk, where
    the browser forbids reading pixels: test_figures_stay_readable_in_dark_mode reads them)."""
    facts = site.disk_visit().facts["dark"]
    assert facts["theme"] == "dark", f"stored mode=dark, but the page loads as {facts['theme']}"
    assert facts["darkImages"], "the first chapter has no figure to check"
    for image in facts["darkImages"]:
        assert not image["dimmers"], f"{image['src']} is altered in dark mode: {image['dimmers']}"
        assert image["brightness"] < 1, f"{image['src']} is not dimmed in dark mode"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_horizontal_overflow_on_a_phone(site: Site, page: TocPage) -> None:
    facts = site.visit(page).facts["phone"]
    assert facts["viewportWidth"] == PHONE_WIDTH
    assert facts["scrollWidth"] <= PHONE_WIDTH, (
        f"{page.html} is {facts['scrollWidth']} px wide at {PHONE_WIDTH} px: {facts['overflowing']}"
    )


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_previous_and_next_links_follow_the_toc_and_chapters_are_numbered(
    site: Site, page: TocPage
) -> None:
    facts = site.visit(page).facts["light"]
    index = PAGES.index(page)
    expected_prev = f"{site.origin}/{PAGES[index - 1].html}" if index > 0 else None
    expected_next = f"{site.origin}/{PAGES[index + 1].html}" if index + 1 < len(PAGES) else None
    stale = "; a stale build? rebuild with --all" if facts["prev"] and facts["next"] else ""
    assert facts["prev"] == expected_prev, f"{page.html}: previous link {facts['prev']}{stale}"
    assert facts["next"] == expected_next, f"{page.html}: next link {facts['next']}{stale}"
    heading = facts["heading"]
    assert heading, f"{page.html} has no title"
    if page.number:
        assert heading.startswith(f"{page.number}. "), (
            f"{page.html}: title {heading!r} lacks its number"
        )
    else:
        assert not heading[0].isdigit(), f"{page.html}: unnumbered page titled {heading!r}"


def test_search_finds_every_chapter_notebook(site: Site) -> None:
    visit = Visit(f"{site.origin}/search.html?q=entropy")
    tab = site.open(visit.url, visit)
    try:
        tab.wait_for_function(
            "() => /Search finished|did not match/.test("
            "document.querySelector('#search-results .search-summary')?.textContent ?? '')"
        )
        found = tab.eval_on_selector_all(
            "#search-results ul.search li a", "links => links.map(a => a.href)"
        )
        titles = tab.eval_on_selector_all(
            "#search-results ul.search li > a", "links => links.map(a => a.textContent.trim())"
        )
        excerpts = tab.eval_on_selector_all(
            "#search-results ul.search li p.context", "ps => ps.map(p => p.textContent)"
        )
        site.screenshot(tab, "search-light", full_page=True)
    finally:
        tab.close()
    found_pages = {urlsplit(url).path.lstrip("/") for url in found}
    chapters = [p.html for p in PAGES if p.notebook and p.number] or [
        p.html for p in PAGES if p.notebook
    ]
    assert chapters, "no chapter notebooks in _toc.yml"
    missing = [html for html in chapters if html not in found_pages]
    assert not missing, f"searching 'entropy' does not find {missing}; found {sorted(found_pages)}"
    assert excerpts, "the search results show no excerpts"
    raw = [text for text in excerpts if re.search(r"\\[a-zA-Z()\[\]]", text)]
    assert not raw, f"search excerpts show raw TeX: {raw}"
    pages = [title for title in titles if "(Python" not in title]
    repeated = sorted({title for title in pages if pages.count(title) > 1})
    assert not repeated, f"search lists these pages more than once: {repeated}"
    assert not visit.console_errors, f"{visit.url}: console errors {visit.console_errors}"
    assert not visit.local_failures and not visit.external_requests, visit


def test_math_typesets_from_disk_with_the_network_blocked(site: Site) -> None:
    visit = site.disk_visit()
    assert not visit.external_requests, (
        f"{visit.url} requested the network: {visit.external_requests}"
    )
    assert not visit.local_failures, f"{visit.url}: failed requests {visit.local_failures}"
    assert not visit.console_errors, f"{visit.url}: console errors {visit.console_errors}"
    assert visit.facts["dark"]["mathCount"] > 0, f"{visit.url} has no math to check"
    assert_math_typeset(visit.facts["dark"], visit.url)


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_inline_identifier_is_split_across_lines_on_a_desktop(site: Site, page: TocPage) -> None:
    split = site.visit(page).facts["light"]["splitTokens"]
    assert not split, f"{page.html}: inline code split across lines at 1280 px: {split}"


# Pages whose equations may be wider than a phone, and why: they scroll inside their own box
# with a cue (book/_static/xent.css, checked by test_nothing_sticks_out_of_its_column...),
# and fit on a desktop (test_no_display_equation_is_wider_than_its_column_on_a_desktop).
WIDE_EQUATIONS_ALLOWED = {
    "book/api": "the docstrings' formulas, one line per relation, still wider than a phone",
}


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_display_equation_is_wider_than_its_column_on_a_phone(site: Site, page: TocPage) -> None:
    wide = site.visit(page).facts["phone"]["wideEquations"]
    if page.docname in WIDE_EQUATIONS_ALLOWED:  # at least nothing is cut off: each one scrolls
        cut = [equation["what"] for equation in wide if not equation["scrolls"]]
        assert not cut, f"{page.html}: wide equations cut off at {PHONE_WIDTH} px: {cut}"
        return
    wide = [equation["what"] for equation in wide]
    assert not wide, (
        f"{page.html}: display equations wider than the column at {PHONE_WIDTH} px: {wide}; "
        "split them into aligned lines"
    )


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_figures_are_vector_or_at_least_twice_their_shown_width(site: Site, page: TocPage) -> None:
    for image in site.visit(page).facts["light"]["figures"]:
        if urlsplit(image["src"]).path.endswith(".svg"):
            continue
        assert image["shownWidth"] > 0, f"{image['src']} is not shown"
        assert image["naturalWidth"] >= 2 * image["shownWidth"] - 1, (
            f"{page.html}: {image['src']} has {image['naturalWidth']} px for "
            f"{image['shownWidth']:.0f} px shown; draw it at twice its size (xent.plotting.style)"
        )


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_one_search_box(site: Site, page: TocPage) -> None:
    facts = site.visit(page).facts
    for mode in ("light", "phone"):
        boxes = facts[mode]["searchBoxes"]
        assert len(boxes) <= 1, f"{page.html} ({mode}) shows {len(boxes)} search boxes: {boxes}"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_nothing_sticks_out_of_its_column_or_is_cut_off(site: Site, page: TocPage) -> None:
    """At 1280, 800 and 390 px, in light and in dark mode: no element or text outside its
    column, nothing cut off by a box that clips (an inline formula, a previous/next title),
    every box that scrolls sideways with a cue, and on a desktop no table wider than its
    column."""
    fit = site.visit(page).facts["fit"]
    assert len(fit) == 6, f"{page.html}: checked only in {sorted(fit)}"
    problems = {state: found for state, found in fit.items() if found}
    assert not problems, f"{page.html}: " + "; ".join(
        f"{state}: {found}" for state, found in problems.items()
    )


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_no_display_equation_is_wider_than_its_column_on_a_desktop(
    site: Site, page: TocPage
) -> None:
    wide = [equation["what"] for equation in site.visit(page).facts["light"]["wideEquations"]]
    assert not wide, (
        f"{page.html}: display equations wider than the column at 1280 px: {wide}; "
        "split them into aligned lines"
    )


def test_every_icon_and_local_link_exists(site: Site) -> None:
    """No 404 anywhere: the favicon each page names, and every page, file and image that a
    page links to (requests made while loading are checked by the console test)."""
    missing: dict[str, list[str]] = {}
    for page in PAGES:
        facts = site.visit(page).facts["light"]
        assert facts["icons"], f"{page.html} names no favicon (html.favicon in _config.yml)"
        targets = facts["icons"] + [link["href"] for link in facts["links"]]
        targets += [image["src"] for image in facts["images"]]
        for url in targets:
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != site.origin:
                continue
            path = SITE / parts.path.lstrip("/")
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                missing.setdefault(page.html, []).append(parts.path)
    assert not missing, f"links to files that do not exist: {missing}"


API_EXCLUDED = {
    "xent.bench": "the benchmark's command line, described in the benchmarks appendix",
}


def api_modules() -> list[str]:
    """The modules that book/api.md documents, one ``.. xent-api::`` line each."""
    source = (ROOT / "book" / "api.md").read_text()
    return re.findall(r"^\.\. xent-api:: (\S+)$", source, flags=re.MULTILINE)


def test_the_api_page_lists_every_public_name_of_every_public_module(site: Site) -> None:
    import importlib

    documented = api_modules()
    on_disk = {
        f"xent.{path.stem}"
        for path in (ROOT / "xent").glob("*.py")
        if not path.stem.startswith("_")
    }
    forgotten = on_disk - set(documented) - set(API_EXCLUDED)
    assert not forgotten, f"add a line `.. xent-api:: NAME` to book/api.md for {sorted(forgotten)}"
    page = next(p for p in PAGES if p.docname == "book/api")
    listed = site.visit(page).facts["light"]["summarised"]
    listed_names = {name.rsplit(".", 1)[-1] for name in listed}
    for module_name in documented:
        names = set(importlib.import_module(module_name).__all__)
        missing = names - listed_names
        assert not missing, (
            f"{module_name}: not listed (with a working link) on api.html: {missing}"
        )


# --- the menu buttons ---------------------------------------------------------------------

# Where a dialog or sidebar is: open, its box, and the links it holds.
PANEL_JS = """
(selector) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    open: el.tagName === 'DIALOG' ? el.open : style.display !== 'none' &&
      style.visibility !== 'hidden' && box.width > 0 && box.right > 0,
    left: box.left, right: box.right, top: box.top, bottom: box.bottom,
    links: [...el.querySelectorAll('a[href]')].filter(a => a.getClientRects().length)
      .map(a => a.href),
  };
}
"""


def _in_view(panel: dict[str, Any], width: int, height: int) -> bool:
    return panel["left"] >= -1 and panel["right"] <= width + 1 and panel["top"] >= -1 and (
        panel["bottom"] > panel["top"] + 100 and panel["top"] < height
    )


def _tap(tab: Page, selector: str) -> None:
    buttons = tab.locator(f"{selector}:visible")
    assert buttons.count() == 1, f"{tab.url}: {buttons.count()} visible {selector} buttons"
    buttons.first.click()
    tab.evaluate(SETTLE_JS)


def _open_light_page(site: Site, visit: Visit, size: ViewportSize) -> Page:
    """A fresh tab on the book's first page, which has sections but no formulas or figures
    (so it is quick to load), watched like the others."""
    tab = site.context().new_page()
    site.watch(tab, lambda: visit, site.origin + "/")
    tab.set_viewport_size(size)
    tab.goto(visit.url, wait_until="commit")
    site.finish(tab, visit)
    return tab


def _follow_chapter_link(tab: Page, panel: str, width: int) -> None:
    """Tap the first chapter's link in ``panel``: it must load that chapter."""
    chapter = next(p for p in PAGES if p.notebook and p.number)
    link = tab.locator(f'{panel} a[href$="{Path(chapter.html).name}"]:visible')
    assert link.count(), f"{width} px: {panel} has no visible link to {chapter.html}"
    with tab.expect_navigation(wait_until="commit"):
        link.first.click()
    assert tab.url.split("#")[0].endswith(f"/{chapter.html}"), (
        f"{width} px: the link to {chapter.html} in {panel} led to {tab.url}"
    )


@pytest.mark.parametrize("width", [PHONE_WIDTH, TABLET_WIDTH], ids=lambda w: f"{w}px")
def test_the_menu_buttons_open_dialogs_whose_links_work(site: Site, width: int) -> None:
    """Below the theme's 992 px breakpoint the sidebars are dialogs: the menu button (the
    book's pages) and the contents button (this page's sections) each open theirs, in view;
    Escape closes it; a section link in the contents goes to that section and closes the
    dialog; a chapter link in the menu loads that chapter."""
    visit = Visit(f"{site.origin}/{PAGES[0].html}")
    height = 844
    tab = _open_light_page(site, visit, ViewportSize(width=width, height=height))
    try:
        for toggle, dialog in (
            (".primary-toggle", "#pst-primary-sidebar-modal"),
            (".secondary-toggle", "#pst-secondary-sidebar-modal"),
        ):
            _tap(tab, toggle)
            panel = tab.evaluate(PANEL_JS, dialog)
            assert panel and panel["open"], f"{width} px: {toggle} opens no dialog"
            assert _in_view(panel, width, height), f"{width} px: {dialog} is not in view: {panel}"
            assert panel["links"], f"{width} px: {dialog} shows no links"
            site.screenshot(tab, f"{toggle.strip('.')}-{width}")
            tab.keyboard.press("Escape")
            tab.evaluate(SETTLE_JS)
            assert not tab.evaluate(PANEL_JS, dialog)["open"], f"{width} px: Escape leaves {dialog} open"
        _tap(tab, ".secondary-toggle")
        entries = tab.locator("#pst-secondary-sidebar-modal a[href^='#']")
        assert entries.count() > 1, f"{width} px: the contents dialog lists no sections"
        anchor = str(entries.last.get_attribute("href"))
        entries.last.click()
        tab.evaluate(SETTLE_JS)
        assert tab.url.endswith(anchor), f"{width} px: {anchor} led to {tab.url}"
        assert not tab.evaluate(PANEL_JS, "#pst-secondary-sidebar-modal")["open"], (
            f"{width} px: the contents dialog stays open over {anchor}"
        )
        top = tab.evaluate(
            "(id) => document.getElementById(decodeURIComponent(id)).getBoundingClientRect().top",
            anchor[1:],
        )
        assert -2 <= top < height / 2, f"{width} px: {anchor} is not in view ({top} px)"
        _tap(tab, ".primary-toggle")
        _follow_chapter_link(tab, "#pst-primary-sidebar-modal", width)
    finally:
        tab.close()
    assert not visit.console_errors, f"{width} px: console errors {visit.console_errors}"


def test_the_menu_button_collapses_the_sidebar_on_a_desktop(site: Site) -> None:
    """At 1280 px the pages are in a sidebar: the menu button hides it and shows it again,
    and a chapter link in it loads that chapter; this page's sections are listed on the right."""
    visit = Visit(f"{site.origin}/{PAGES[0].html}")
    tab = _open_light_page(site, visit, DESKTOP)
    try:
        sidebar = "#pst-primary-sidebar"
        assert tab.evaluate(PANEL_JS, sidebar)["open"], "1280 px: no sidebar of pages"
        contents = tab.evaluate(PANEL_JS, "#pst-secondary-sidebar")
        assert contents["open"] and _in_view(contents, 1280, 900) and contents["links"], (
            f"1280 px: the contents sidebar is not shown: {contents}"
        )
        _tap(tab, ".primary-toggle")
        assert not tab.evaluate(PANEL_JS, sidebar)["open"], "1280 px: the menu button hides nothing"
        _tap(tab, ".primary-toggle")
        panel = tab.evaluate(PANEL_JS, sidebar)
        assert panel["open"] and _in_view(panel, 1280, 900), f"1280 px: sidebar not back: {panel}"
        _follow_chapter_link(tab, sidebar, 1280)
    finally:
        tab.close()
    assert not visit.console_errors, f"1280 px: console errors {visit.console_errors}"
