// The book's small additions to the theme's pages (see book/_static/xent.css).
// Loaded with `defer` (book/_ext/xent_site.py), so it runs once the page is parsed but before
// the theme's own deferred script, which binds the menu buttons.
(() => {
  "use strict";

  // The menu buttons. The theme's page has two copies of each sidebar button: one in the site
  // header, which sphinx-book-theme never shows, and one above the article, which it shows.
  // pydata-sphinx-theme's script (deferred, at the end of the page) and sphinx-book-theme's
  // (at DOMContentLoaded) each bind only the *first* `.primary-toggle` and `.secondary-toggle`
  // on the page, the hidden copies, so the visible buttons did nothing. Removing the hidden
  // copies before those scripts run lets them bind the buttons a reader can tap: the
  // navigation and contents dialogs on a narrow screen, the sidebar's collapse on a wide one.
  // The header they sat in holds nothing else that is shown (xent.css hides it).
  document.querySelectorAll(".bd-header .sidebar-toggle").forEach((button) => button.remove());

  // A link followed inside one of those dialogs to a place on the same page (the contents
  // dialog's entries) scrolls the page under the dialog: close the dialog so the reader sees
  // where it went. Links to other pages simply load them.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("dialog[open] a[href]");
    if (!link) return;
    const target = new URL(link.href, location.href);
    if (target.origin === location.origin && target.pathname === location.pathname) {
      link.closest("dialog").close();
    }
  });

  // Break opportunities inside long inline code, after "_", "." and "," (Chromium breaks at a
  // <wbr> even under white-space: nowrap; <wbr> is not copied with the text). In running text
  // only while the screen is narrow, so that an identifier is never split on a desktop; in
  // headings, tables and the contents sidebar at every width, since a name there can be wider
  // than its column.
  const narrow = window.matchMedia("(max-width: 600px)");
  const ALWAYS = [".bd-article :is(h1, h2, h3, h4, h5, h6, table) code.literal span.pre",
    ".bd-sidebar-secondary code.literal span.pre"].join(", ");
  const longCode = () => document.querySelectorAll(".bd-article code.literal span.pre");
  const addBreaks = (spans) => {
    spans.forEach((span) => {
      if (span.textContent.length < 16 || span.querySelector("wbr")) return;
      const parts = span.textContent.split(/(?<=[_.,])/);
      span.textContent = "";
      parts.forEach((part, index) => {
        if (index > 0) span.appendChild(document.createElement("wbr"));
        span.appendChild(document.createTextNode(part));
      });
    });
  };
  const removeBreaks = (spans) => {
    spans.forEach((span) => {
      if (span.matches(ALWAYS)) return;
      span.querySelectorAll("wbr").forEach((wbr) => wbr.remove());
      span.normalize();
    });
  };
  const followWidth = () => {
    addBreaks(document.querySelectorAll(ALWAYS));
    if (narrow.matches) addBreaks(longCode());
    else removeBreaks(longCode());
  };

  // Tables: on a phone each row is shown as a card (xent.css); each cell is named by its
  // column's heading.
  const stackTables = () => {
    document.querySelectorAll(".bd-article table").forEach((table) => {
      const headings = [...(table.tHead?.rows[0]?.cells ?? [])].map((th) => th.textContent.trim());
      table.classList.add("xent-stack");
      [...table.tBodies].forEach((body) => [...body.rows].forEach((row) => {
        [...row.cells].forEach((cell, index) => {
          if (index > 0 && headings[index]) cell.dataset.label = headings[index];
        });
      }));
    });
  };

  // "Solution to Exercise n": sphinx-exercise puts the space before "Exercise" inside the
  // link, whose underline then starts with a gap; move the space out of the link.
  const tidySolutionTitles = () => {
    document.querySelectorAll(".solution .admonition-title > a.reference").forEach((link) => {
      const first = link.firstChild;
      if (first && first.nodeType === Node.TEXT_NODE && /^\s/.test(first.textContent)) {
        first.textContent = first.textContent.trimStart();
        link.before(" ");
      }
    });
  };

  // Tables, formulas and signatures wider than the column scroll sideways inside their own
  // box; mark the edge that has more to show, which xent.css fades out.
  const SCROLL_BOXES = [".pst-scrollable-table-container", "span.math",
    "mjx-container[display='true']", "dl.py > dt.sig"].map((box) => `.bd-article ${box}`).join(", ");
  // A formula's width is its layout box's: MathJax's glyph boxes overhang it by a few pixels,
  // which scrollWidth counts.
  const formula = (box) =>
    box.matches("span.math") ? box.querySelector("mjx-container")
      : box.matches("mjx-container") ? box.querySelector(":scope > mjx-math") : null;
  const extent = (box) => {
    const inner = formula(box);
    return inner ? Math.ceil(inner.getBoundingClientRect().width) : box.scrollWidth;
  };
  const markOverflow = (box) => {
    if (box.matches("span.math")) {  // inline: scrolls only when wider than the line
      const inner = formula(box);
      box.classList.toggle("xent-scroll",
        !!inner && inner.getBoundingClientRect().width > box.getBoundingClientRect().width + 1);
      if (!box.classList.contains("xent-scroll")) {
        box.removeAttribute("data-more-left");
        box.removeAttribute("data-more-right");
        return;
      }
    }
    const more = extent(box) - box.clientWidth;
    box.toggleAttribute("data-more-left", more > 1 && box.scrollLeft > 1);
    box.toggleAttribute("data-more-right", more > 1 && box.scrollLeft < more - 1);
  };
  const watched = new WeakSet();
  const markAll = () => {
    document.querySelectorAll(SCROLL_BOXES).forEach((box) => {
      markOverflow(box);
      if (watched.has(box)) return;
      watched.add(box);
      box.addEventListener("scroll", () => markOverflow(box), {passive: true});
    });
  };
  let pending = false;
  const markSoon = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      markAll();
    });
  };
  const watchScrollBoxes = () => {
    markAll();
    window.addEventListener("resize", markSoon);
    document.fonts?.ready.then(markSoon);
    // formulas have their size once MathJax has typeset them (it loads after this script)
    window.addEventListener("load", () => window.MathJax?.startup?.promise?.then(markAll));
  };

  // Printing (the theme's PDF button prints the page): open every collapsed block first.
  const expandForPrint = () => {
    document.querySelectorAll("details").forEach((details) => {
      details.dataset.xentWasOpen = details.open ? "1" : "0";
      details.open = true;
    });
  };
  const restoreAfterPrint = () => {
    document.querySelectorAll("details[data-xent-was-open]").forEach((details) => {
      details.open = details.dataset.xentWasOpen === "1";
      delete details.dataset.xentWasOpen;
    });
  };

  // Search results: the excerpt is the page's text, with its TeX source still in it; show
  // the formula in plain letters instead ("\H(p, q)" becomes "H(p, q)").
  const SYMBOLS = {sum: "Σ", infty: "∞", sigma: "σ", varepsilon: "ε", gamma: "γ", sim: "~",
    le: "≤", leq: "≤", ge: "≥", geq: "≥", to: "→", in: "∈", cdot: "·", approx: "≈", mid: "|",
    "|": "‖", dots: "…", ldots: "…", times: "×", neq: "≠", partial: "∂", ell: "ℓ"};
  const plainMath = (tex) =>
    tex
      .replace(/\\[()[\]]/g, "")
      .replace(/\\(?:begin|end)\{[^}]*\}/g, "")
      .replace(/\\\\|&/g, " ")
      .replace(/\\([a-zA-Z]+|[|,;:! ])/g, (whole, name) =>
        SYMBOLS[name] ?? (/^(log|ln|exp|H|KL|E|logit|softmax|max|min)$/.test(name) ? name : ""))
      .replace(/[{}]/g, "")
      .replace(/\s+/g, " ");
  // (searchtools.js declares `const Search`, a global binding that is not on `window`.)
  const patchSearch = () => {
    if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
    if (Search.xentPatched) return;
    const original = Search.htmlToText;
    Search.htmlToText = (html, anchor) => {
      const page = new DOMParser().parseFromString(html, "text/html");
      // the buttons above the article (launch, download, ...) are not the page's text
      page.querySelectorAll(".bd-header-article, .onlyprint, .prev-next-area, .eqno").forEach((el) => el.remove());
      page.querySelectorAll(".math").forEach((math) => {
        math.textContent = plainMath(math.textContent);
      });
      return original(page.documentElement.outerHTML, anchor);
    };
    Search.xentPatched = true;
  };

  window.addEventListener("beforeprint", expandForPrint);
  window.addEventListener("afterprint", restoreAfterPrint);
  narrow.addEventListener("change", followWidth);
  document.addEventListener("DOMContentLoaded", () => {
    stackTables();
    followWidth();
    tidySolutionTitles();
    patchSearch();
    watchScrollBoxes();
  });
})();
