"""Explorables on the website: notebook outputs holding a Vega-Lite v5 spec, drawn in the page.

A notebook cell that shows an explorable (``xent.plotting.explorable``) stores an output with
three MIME types: the spec (``application/vnd.vegalite.v5+json``), a PNG of its default state
and a short description. MyST-NB 1.4 drops a MIME type it has no renderer for, and takes its
renderers only from the ``myst_nb.mime_renderers`` entry-point group, so :class:`VegaLiteRenderer`
is registered there in ``pyproject.toml`` (installing the checkout, ``pip install -e .``,
registers it). This extension does the rest:

* the renderer turns the spec into a ``<div class="xent-vega">`` holding the spec as JSON,
  which ``_static/xent_vega.js`` draws with the vendored Vega, Vega-Lite and vega-embed
  (``_static/vendor/vega``, refreshed by ``tools/vendor_vega.sh``) with the SVG renderer, so
  that the slider is a labelled ``<input type="range">`` and the readout is text;
* a post-transform moves the output's PNG into that ``div`` inside ``<noscript>``: readers
  without JavaScript see the default state, and nobody else downloads it;
* the scripts are added only to the pages that show an explorable;
* the cell's ``mystnb`` figure metadata (caption, name) wraps the output in a numbered figure
  as for an image, so ``{numref}`` works.

The build fails at once, with the fix, if the renderer is not registered.
"""

from __future__ import annotations

import html
import json
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform

MIME_TYPE = "application/vnd.vegalite.v5+json"
HTML_BUILDERS = ("html", "dirhtml", "singlehtml")
SCRIPTS = (
    "vendor/vega/vega/vega.min.js",
    "vendor/vega/vega-lite/vega-lite.min.js",
    "vendor/vega/vega-embed/vega-embed.min.js",
    "xent_vega.js",
)
CLASS = "xent-vega"


class VegaLiteRenderer:
    """MyST-NB mime renderer plugin (entry point ``myst_nb.mime_renderers``: ``xent_vega``)."""

    # Preferred to the PNG beside it on the HTML builders only; the PDF keeps the PNG.
    mime_priority_overrides = [(builder, MIME_TYPE, 5) for builder in HTML_BUILDERS]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        if inline or data.mime_type != MIME_TYPE:
            return None
        spec = data.content if isinstance(data.content, dict) else json.loads(data.content)
        text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        text = text.replace("</", "<\\/")  # cannot close the <script> element
        label = html.escape(str(spec.get("description", "Interactive figure")), quote=True)
        start = (
            f'<div class="{CLASS}" role="group" aria-label="{label}">'
            f'<div class="{CLASS}-view"></div>'
        )
        end = f'<script type="application/json" class="{CLASS}-spec">{text}</script></div>'
        return [
            nodes.raw("", start, format="html"),
            nodes.raw("", end, format="html"),
        ]


class MovePngIntoExplorable(SphinxPostTransform):
    """Before MyST-NB picks one MIME type per output (priority 4), put the output's PNG inside
    the explorable as its ``<noscript>`` fallback."""

    default_priority = 3
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            by_type = {child.get("mime_type"): child for child in bundle.children
                       if isinstance(child, nodes.container)}
            vega, png = by_type.get(MIME_TYPE), by_type.get("image/png")
            if vega is None or png is None or len(vega.children) != 2:
                continue
            images = list(png.findall(nodes.image))
            if not images:
                continue
            image = images[0]
            image.parent.remove(image)
            vega.insert(1, nodes.raw("", "<noscript>", format="html"))
            vega.insert(2, image)
            vega.insert(3, nodes.raw("", "</noscript>", format="html"))


def _has_explorable(doctree: nodes.document | None) -> bool:
    if doctree is None:
        return False
    marker = f'<div class="{CLASS}"'
    return any(node.astext().startswith(marker) for node in doctree.findall(nodes.raw))


def _add_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if _has_explorable(doctree):
        for script in SCRIPTS:
            app.add_js_file(script)  # during html-page-context: for this page only


def _check_registered(app: Sphinx) -> None:
    from myst_nb.core.render import load_mime_renders

    if not any(plugin is VegaLiteRenderer or getattr(plugin, "__name__", "") == "VegaLiteRenderer"
               for plugin in load_mime_renders()):
        raise ExtensionError(
            "the explorables' renderer is not registered with MyST-NB: install the checkout "
            "(`pip install -e .`), whose pyproject.toml declares it in the "
            "`myst_nb.mime_renderers` entry-point group"
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _check_registered)
    app.add_post_transform(MovePngIntoExplorable)
    # before xent_assets replaces the page's list of scripts (priority 500)
    app.connect("html-page-context", _add_scripts, priority=400)
    app.add_css_file("xent_vega.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
