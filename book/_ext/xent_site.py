"""A Sphinx extension for the book's typography, figures and references.

* **Figures at their size.** The figures are PNGs drawn at 192 pixels per inch, twice the
  CSS inch of 96 px, and record that resolution in their ``pHYs`` chunk. Each notebook image
  with no explicit width is shown at its size in inches (``width = pixels * 96 / dpi``), so a
  2x screen gets every pixel and a 1x screen a sharp downscale.
* **Punctuation kept with its math.** A comma or full stop right after inline math could
  start a new line; the math and the punctuation are joined in a ``<span class="nowrap">``.
* **One search result per page.** The glossary's terms would each be listed by the search as
  a separate result titled "Glossary"; their index entries are dropped (the book has no
  general index), so the search finds the glossary once, by its text.
* **Author–year references.** A pybtex style ``authoryear`` labels each entry as its
  citations read (``Cover & Thomas 2006``), sorted by author and year.
* **The book's script** ``xent.js``, loaded deferred (see :func:`setup`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

CSS_DPI = 96
PUNCTUATION = re.compile(r"^[,.;:!?)\]’”]+")


# --- figures ------------------------------------------------------------------------------


def png_css_width(path: Path) -> int | None:
    """The width in CSS px of a PNG at the resolution it records, or None if it records none."""
    from PIL import Image

    with Image.open(path) as image:
        dpi = image.info.get("dpi")
        if image.format != "PNG" or not dpi or dpi[0] < 1.5 * CSS_DPI:
            return None
        return round(image.width * CSS_DPI / float(dpi[0]))


class FigureWidths(SphinxPostTransform):
    """Show high-resolution PNGs at their size in inches."""

    default_priority = 900

    def run(self, **kwargs: Any) -> None:
        for image in self.document.findall(nodes.image):
            uri = image.get("uri", "")
            if "width" in image or not uri.endswith(".png") or "://" in uri:
                continue
            path = Path(self.env.srcdir, uri)
            if not path.is_file():
                path = Path(self.env.relfn2path(uri, self.env.docname)[1])
            if path.is_file() and (width := png_css_width(path)):
                image["width"] = f"{width}px"


# --- punctuation after inline math --------------------------------------------------------


class MathPunctuation(SphinxPostTransform):
    """Wrap inline math and the punctuation after it in one unbreakable span."""

    default_priority = 901

    def run(self, **kwargs: Any) -> None:
        for math in list(self.document.findall(nodes.math)):
            parent = math.parent
            if parent is None:
                continue
            index = parent.index(math)
            if index + 1 >= len(parent.children):
                continue
            following = parent[index + 1]
            if not isinstance(following, nodes.Text):
                continue
            match = PUNCTUATION.match(str(following))
            if not match:
                continue
            rest = str(following)[match.end() :]
            span = nodes.inline(classes=["nowrap"])
            parent.replace(math, span)
            span += math
            span += nodes.Text(match.group())
            if rest:
                parent.replace(following, nodes.Text(rest))
            else:
                parent.remove(following)


# --- glossary terms out of the search results -------------------------------------------


def drop_glossary_index_entries(app: Sphinx, doctree: nodes.document) -> None:
    for glossary in doctree.findall(addnodes.glossary):
        for entry in list(glossary.findall(addnodes.index)):
            entry.parent.remove(entry)


# --- author-year labels -------------------------------------------------------------------


def _surnames(entry: Any) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [" ".join(person.last_names) or " ".join(person.first_names) for person in people]
    names = [re.sub(r"[{}]", "", name) for name in names]
    if not names:
        return re.sub(r"[{}]", "", entry.fields.get("title", entry.key))
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


class AuthorYearLabels(BaseLabelStyle):  # type: ignore[misc]
    """``Shannon, 1948``, ``Cover and Thomas, 2006``, ``Lin et al., 2017``: as cited."""

    def format_labels(self, sorted_entries: Any) -> Any:
        labels = [f"{_surnames(e)}, {e.fields.get('year', 'n.d.')}" for e in sorted_entries]
        repeated = {label for label in labels if labels.count(label) > 1}
        seen: dict[str, int] = {}
        for label in labels:  # the same authors and year twice: 2025a, 2025b
            if label in repeated:
                seen[label] = seen.get(label, 0) + 1
                label += "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            yield label


class AuthorYearSorting(BaseSortingStyle):  # type: ignore[misc]
    """By the label's names (braces of corporate authors ignored, any case), year and title."""

    def sorting_key(self, entry: Any) -> tuple[str, str, str]:
        title = re.sub(r"[{}]", "", entry.fields.get("title", ""))
        return (_surnames(entry).lower(), entry.fields.get("year", ""), title.lower())


class AuthorYearStyle(UnsrtStyle):  # type: ignore[misc]
    """pybtex's ``unsrt`` entries with author–year labels, sorted by author, year and title."""

    default_label_style = AuthorYearLabels
    default_sorting_style = AuthorYearSorting


register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)


def setup(app: Sphinx) -> dict[str, Any]:
    # The book's script (book/_static/xent.js) runs deferred, before the theme's deferred
    # script at the end of the page: it removes the hidden copies of the menu buttons that
    # the theme would otherwise bind instead of the visible ones.
    app.add_js_file("xent.js", defer="defer")
    app.add_post_transform(FigureWidths)
    app.add_post_transform(MathPunctuation)
    app.connect("doctree-read", drop_glossary_index_entries)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
