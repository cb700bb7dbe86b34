// The book's small additions to the theme's pages (see book/_static/xent.css).
(() => {
  "use strict";

  // Break opportunities inside long inline code, after "_", ".", "(" and ",", only while the
  // screen is narrow (Chromium breaks at a <wbr> even under white-space: nowrap), so that an
  // identifier is never split on a desktop. <wbr> is not copied with the text.
  const narrow = window.matchMedia("(max-width: 600px)");
  const longCode = () => document.querySelectorAll(".bd-article code.literal span.pre");
  const addBreaks = () => {
    longCode().forEach((span) => {
      if (span.textContent.length < 16 || span.querySelector("wbr")) return;
      if (span.closest("table")) return; // tables scroll sideways instead
      const parts = span.textContent.split(/(?<=[_.(,])/);
      span.textContent = "";
      parts.forEach((part, index) => {
        if (index > 0) span.appendChild(document.createElement("wbr"));
        span.appendChild(document.createTextNode(part));
      });
    });
  };
  const removeBreaks = () => {
    longCode().forEach((span) => {
      span.querySelectorAll("wbr").forEach((wbr) => wbr.remove());
      span.normalize();
    });
  };
  const followWidth = () => (narrow.matches ? addBreaks() : removeBreaks());

  // Tables wider than the column scroll sideways; fade the edge that has more to show.
  const markOverflow = (box) => {
    const more = box.scrollWidth - box.clientWidth;
    box.toggleAttribute("data-more-left", more > 1 && box.scrollLeft > 1);
    box.toggleAttribute("data-more-right", more > 1 && box.scrollLeft < more - 1);
  };
  const watchTables = () => {
    const boxes = document.querySelectorAll(".bd-article .pst-scrollable-table-container");
    boxes.forEach((box) => {
      markOverflow(box);
      box.addEventListener("scroll", () => markOverflow(box), {passive: true});
    });
    window.addEventListener("resize", () => boxes.forEach(markOverflow));
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
    followWidth();
    patchSearch();
    watchTables();
  });
})();
