// Draws the explorables of a page (book/_ext/xent_vega.py) with the vendored vega-embed.
// Each <div class="xent-vega"> holds its Vega-Lite spec as JSON; the views are fitted to the
// column (a 390 px phone included) and drawn as SVG, so the readout is text in the page.
// When the column's width changes (a phone turned, a window narrowed) the figure is drawn
// again at the new width, its sliders where the reader left them.
(function () {
  "use strict";
  function widthOf(box) {
    // room for the y axis and its title beside the plot, and the box's own padding
    return Math.max(200, Math.min(460, box.clientWidth - 90));
  }
  function fitted(spec, width) {
    (spec.vconcat || [spec]).forEach(function (view) {
      if (typeof view.width === "number") { view.width = width; }
    });
    return spec;
  }
  function draw(box, values) {
    var spec = JSON.parse(box.querySelector("script.xent-vega-spec").textContent);
    (spec.params || []).forEach(function (param) {
      if (values && param.name in values) { param.value = values[param.name]; }
    });
    var view = box.querySelector(".xent-vega-view");
    var width = widthOf(box);
    box.xentWidth = width;
    return vegaEmbed(view, fitted(spec, width), {
      renderer: "svg",
      actions: false,
      config: { background: "white" }
    }).then(function (result) {
      box.xentResult = result;
      box.xentParams = (spec.params || []).map(function (param) { return param.name; });
      var svg = view.querySelector("svg");
      if (svg && spec.description) {
        svg.setAttribute("role", "graphics-document");
        svg.setAttribute("aria-label", spec.description);
      }
      box.classList.add("xent-vega-ready");
      view.querySelectorAll("input[type=range]").forEach(function (input) {
        var name = input.parentNode.querySelector(".vega-bind-name");
        if (name) { input.setAttribute("aria-label", name.textContent.trim()); }
      });
    }).catch(function (error) {
      box.classList.add("xent-vega-failed");
      console.error("explorable:", error);
    });
  }
  function redraw(box) {
    if (!box.xentResult || Math.abs(widthOf(box) - box.xentWidth) < 16) { return; }
    var values = {};
    box.xentParams.forEach(function (name) { values[name] = box.xentResult.view.signal(name); });
    box.xentResult.finalize();
    box.xentResult = null;
    box.classList.remove("xent-vega-ready");
    draw(box, values);
  }
  function boxes() { return document.querySelectorAll("div.xent-vega"); }
  function drawAll() {
    boxes().forEach(function (box) { draw(box); });
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { boxes().forEach(redraw); }, 150);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
