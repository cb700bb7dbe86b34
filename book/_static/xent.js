// The book's small additions to the theme's pages (see book/_static/xent.css).
(() => {
  "use strict";

  // Break opportunities inside long inline code, after "_", ".", "(" and ",": xent.css
  // lets them act only on narrow screens, so an identifier is never split on a desktop.
  const addBreaks = () => {
    document.querySelectorAll(".bd-article code.literal span.pre").forEach((span) => {
      if (span.textContent.length < 16 || span.querySelector("wbr")) return;
      const parts = span.textContent.split(/(?<=[_.(,])/);
      span.textContent = "";
      parts.forEach((part, index) => {
        if (index > 0) span.appendChild(document.createElement("wbr"));
        span.appendChild(document.createTextNode(part));
      });
    });
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
  const plainMath = (tex) =>
    tex
      .replace(/\\[()[\]]/g, "")
      .replace(/\\(?:left|right|,|;|!|quad|qquad|displaystyle|operatorname|mathrm|text)/g, "")
      .replace(/\\(log|ln|exp|sum|frac|sqrt|H|KL|E|logit|infty|sigma|varepsilon|gamma)/g,
        (_, name) => ({sum: "Σ", frac: "", sqrt: "√", infty: "∞", sigma: "σ",
          varepsilon: "ε", gamma: "γ"}[name] ?? name))
      .replace(/\\[a-zA-Z]+/g, "")
      .replace(/[{}]/g, "");
  const patchSearch = () => {
    if (!window.Search || typeof Search.htmlToText !== "function" || Search.xentPatched) return;
    const original = Search.htmlToText;
    Search.htmlToText = (html, anchor) => {
      const page = new DOMParser().parseFromString(html, "text/html");
      page.querySelectorAll(".math").forEach((math) => {
        math.textContent = plainMath(math.textContent);
      });
      return original(page.documentElement.outerHTML, anchor);
    };
    Search.xentPatched = true;
  };

  window.addEventListener("beforeprint", expandForPrint);
  window.addEventListener("afterprint", restoreAfterPrint);
  document.addEventListener("DOMContentLoaded", () => {
    addBreaks();
    patchSearch();
  });
})();
