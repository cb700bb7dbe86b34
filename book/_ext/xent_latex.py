"""The PDF edition: what the LaTeX builder needs beyond Jupyter Book's defaults, and the
website's link to the PDF.

* **The book's macros.** ``\\H``, ``\\KL``, ``\\E`` and ``\\logit`` are defined once, for
  MathJax, in ``_config.yml`` (``mathjax3_config.tex.macros``). The same definitions are
  written into the LaTeX preamble (``latex_elements['preamble']``) on ``config-inited``. Some
  names already mean something in LaTeX (``\\H`` is the Hungarian umlaut accent, ``\\H{o}``
  gives ő): each macro takes the book's meaning in math mode and keeps LaTeX's own, if it has
  one, in text.
* **Hidden cells hidden.** MyST-NB folds the cells tagged ``hide-input`` (``hide-output``,
  ``hide-cell``) on the website, but writes them in full into the LaTeX. The PDF cannot fold,
  so it leaves out what the website folds: the plotting code of a figure, not the figure.
  (``remove-*`` tags are honoured by MyST-NB itself.)
* **Explorables as pictures.** An interactive figure's Vega/Vega-Lite output is never chosen
  for LaTeX: the PDF shows the ``image/png`` stored beside it.
* **Front matter, chapters, appendices, back matter.** Sphinx drops the title of the root
  document (it is the book's title) and numbers its sections as chapters, so "About this
  book"'s two sections became chapters 1 and 2. Here the root document is an unnumbered
  chapter, "About this book", with unnumbered sections; the first numbered part of
  ``_toc.yml`` holds chapters 1, 2, ...; the part captioned "Appendices" starts
  ``\\appendix`` (A, B, ...); the parts after it are unnumbered chapters, as on the website.
* **Layout.** The contents are called "Contents" (Sphinx names them after the first part's
  caption), bookmarks carry the chapters' numbers, inline code may break after an underscore
  (the API's long names in tables), and the bibliography is the body of the chapter
  "References" instead of a chapter of its own. A4, no blank pages before chapters and no
  module index: ``latex_elements`` and ``latex_domain_indices`` in ``_config.yml``.
* **The link on the website.** If ``_build/latex/<targetname>.pdf`` exists when the website
  is built, it is copied to the site's root and every page's download menu offers it
  ("Whole book (.pdf)"). Without it there is no link, so the site never links to a file it
  does not have. Build the PDF first, then the site (the publish workflow does).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.texescape import escape, tex_replace_map

# Interactive outputs that a PDF cannot show; their image/png sibling is used instead.
INTERACTIVE_MIME_TYPES = [
    "application/vnd.vegalite.v3+json",
    "application/vnd.vegalite.v4+json",
    "application/vnd.vegalite.v5+json",
    "application/vnd.vegalite.v6+json",
    "application/vnd.vega.v5+json",
    "application/vnd.vega.v6+json",
]
APPENDICES_CAPTION = "Appendices"
# What the book's layout needs beyond Sphinx's LaTeX, after the macros.
LAYOUT = r"""
% Bookmarks with the chapters' numbers, as in the table of contents.
\hypersetup{bookmarksnumbered=true}
% Inline code may break after an underscore: the API's long names (in tables above all)
% would otherwise run into the margin.
\newcommand{\xentbreakableunderscore}{\textunderscore\allowbreak}
\let\xentsphinxupquote\sphinxupquote
\protected\def\sphinxupquote#1{\xentsphinxupquote{\let\_\xentbreakableunderscore#1}}
% The bibliography is the body of the chapter "References" (book/bibliography.md): not a
% chapter of its own, and the running head stays the chapter's.
\makeatletter
\renewenvironment{sphinxthebibliography}[1]
  {\def\chapter##1##2{}\let\@mkboth\@gobbletwo\begin{thebibliography}{#1}}
  {\end{thebibliography}}
\makeatother
"""
# Sphinx names the table of contents after the first toctree's caption ("Chapters").
TABLE_OF_CONTENTS = r"\renewcommand{\contentsname}{Contents}\sphinxtableofcontents"
HTML_FORMATS = ("html",)


# --- the macros -------------------------------------------------------------------------


def latex_macros(macros: dict[str, Any]) -> str:
    """LaTeX definitions of MathJax's ``tex.macros``: ``{"KL": "\\\\operatorname{KL}"}`` or
    ``{"name": ["body with #1", 1]}``.

    Each ``\\name`` is robust and means ``body`` in math mode; in text mode it means what
    ``\\name`` meant before (an error if it meant nothing).

    >>> print(latex_macros({"KL": r"\\operatorname{KL}"}))  # doctest: +NORMALIZE_WHITESPACE
    \\makeatletter
    \\newcommand{\\xent@math@KL}{\\operatorname{KL}}
    \\@ifundefined{KL}{}{\\expandafter\\let\\csname xent@text@KL\\endcsname\\KL}
    \\DeclareRobustCommand{\\KL}{\\ifmmode\\expandafter\\xent@math@KL\\else
        \\expandafter\\xent@text@KL\\fi}
    \\makeatother
    """
    lines = [r"\makeatletter"]
    for name, definition in macros.items():
        if not name.isalpha() or not name.isascii():
            raise ValueError(f"macro name {name!r}: only letters make a LaTeX command name")
        if isinstance(definition, str):
            body, arguments = definition, ""
        elif (
            isinstance(definition, list | tuple)
            and len(definition) == 2
            and isinstance(definition[0], str)
            and isinstance(definition[1], int)
        ):
            body, arguments = definition[0], f"[{definition[1]}]"
        else:
            raise ValueError(
                f"macro {name!r}: expected a string or [body, number of arguments], "
                f"got {definition!r} (optional arguments are not supported)"
            )
        lines += [
            rf"\newcommand{{\xent@math@{name}}}{arguments}{{{body}}}",
            rf"\@ifundefined{{{name}}}{{}}"
            rf"{{\expandafter\let\csname xent@text@{name}\endcsname\{name}}}",
            rf"\DeclareRobustCommand{{\{name}}}"
            rf"{{\ifmmode\expandafter\xent@math@{name}\else \expandafter\xent@text@{name}\fi}}",
        ]
    lines.append(r"\makeatother")
    return "\n".join(lines)


def configure_latex(app: Sphinx, config: Config) -> None:
    """The macros into the preamble; interactive outputs never chosen for LaTeX."""
    macros = ((config.mathjax3_config or {}).get("tex") or {}).get("macros") or {}
    elements = dict(config.latex_elements or {})
    elements["preamble"] = (
        f"{elements.get('preamble', '')}\n"
        "% The book's macros, from mathjax3_config.tex.macros in _config.yml "
        "(book/_ext/xent_latex.py)\n"
        f"{latex_macros(macros)}\n"
        f"{LAYOUT}"
    )
    elements.setdefault("tableofcontents", TABLE_OF_CONTENTS)
    config.latex_elements = elements
    overrides = list(config.nb_mime_priority_overrides or [])
    overrides += [("latex", mime_type, None) for mime_type in INTERACTIVE_MIME_TYPES]
    config.nb_mime_priority_overrides = overrides


# --- the LaTeX document ------------------------------------------------------------------


class HideFoldedCells(SphinxPostTransform):
    """Leave out of the PDF what the website folds away (``hide-input``, ``hide-output``,
    ``hide-cell``): a PDF cannot unfold it."""

    default_priority = 199  # where MyST-NB folds them for HTML
    builders = ("latex",)

    DROPPED = {
        "all": {"cell_code_source", "cell_code_output"},
        "input+output": {"cell_code_source", "cell_code_output"},
        "input": {"cell_code_source"},
        "output": {"cell_code_output"},
    }

    def run(self, **kwargs: Any) -> None:
        for cell in list(self.document.findall(nodes.container)):
            if cell.get("nb_element") != "cell_code" or not cell.get("hide_mode"):
                continue
            dropped = self.DROPPED.get(cell["hide_mode"], set())
            for part in list(cell.children):
                if part.get("nb_element") in dropped:
                    cell.remove(part)
            if not cell.children:
                cell.parent.remove(cell)


def raw_latex(text: str) -> nodes.raw:
    return nodes.raw("", text, format="latex")


def latex_label(docname: str, node_id: str) -> str:
    """The label Sphinx's LaTeX writer gives ``node_id`` of ``docname``."""
    escaped = f"{docname}:{node_id}".translate(tex_replace_map)
    return r"\label{\detokenize{%s}}" % escaped.encode("ascii", "backslashreplace").decode(
        "ascii"
    ).replace("\\", "_")


def latex_text(text: str) -> str:
    return escape(text, "xelatex")


def unnumbered(section: nodes.section, level: str, docname: str) -> list[nodes.Node]:
    """The section as an unnumbered ``\\section*`` (or ``\\subsection*``...) listed in the
    table of contents, with the labels of its ids: its title as raw LaTeX, then its body."""
    title = section.next_node(nodes.title)
    text = latex_text(title.astext())
    below = {"section": "subsection", "subsection": "subsubsection", "subsubsection": "paragraph"}
    labels = "".join(latex_label(docname, node_id) for node_id in section["ids"])
    out: list[nodes.Node] = [
        raw_latex(
            f"\\{level}*{{{text}}}\\addcontentsline{{toc}}{{{level}}}{{{text}}}"
            f"\\phantomsection{labels}\n"
        )
    ]
    for child in section.children:
        if child is title:
            continue
        if isinstance(child, nodes.section):
            out += unnumbered(child, below[level], docname)
        else:
            out.append(child)
    return out


def part_captions(app: Sphinx, docname: str) -> list[str | None]:
    """The caption of each toctree of the root document, in order (one per part)."""
    doctree = app.env.get_doctree(docname)
    return [toctree.get("caption") for toctree in doctree.findall(addnodes.toctree)]


class BookStructure(SphinxPostTransform):
    """Front matter, numbered chapters, appendices and back matter in the assembled book."""

    default_priority = 5
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        root = self.app.config.root_doc
        if self.document.get("docname") != root:
            return
        wrappers = [
            node
            for node in self.document.findall(nodes.compound)
            if "toctree-wrapper" in node["classes"] and node.next_node(addnodes.start_of_file)
        ]
        captions = part_captions(self.app, root)
        if not wrappers or len(captions) != len(wrappers):
            return  # not a document this transform understands: leave it as Sphinx made it
        numbered_seen = appendices_seen = False
        for wrapper, caption in zip(wrappers, captions, strict=True):
            if caption == APPENDICES_CAPTION:
                wrapper.insert(0, raw_latex("\\appendix\n"))
                appendices_seen = True
            elif appendices_seen:  # the glossary, the references: unnumbered, as on the site
                wrapper.insert(0, raw_latex("\\setcounter{secnumdepth}{-1}\n"))
            else:
                numbered_seen = True
        if not numbered_seen:
            return
        # The root document's own sections: before the parts, an unnumbered chapter.
        first = wrappers[0]
        section = first.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        if section is None:
            return
        title = section.next_node(nodes.title)
        for child in list(section.children):
            if child is title or child in wrappers or not isinstance(child, nodes.section):
                continue
            section.replace(child, unnumbered(child, "section", root))
        # The root's title is the book's title, which Sphinx skips: a raw heading instead.
        heading = latex_text(title.astext())
        section.insert(
            section.index(title) + 1,
            raw_latex(
                f"\\chapter*{{{heading}}}\\addcontentsline{{toc}}{{chapter}}{{{heading}}}"
                f"\\markboth{{{heading}}}{{{heading}}}\n"
            ),
        )


# --- the website's link to the PDF ------------------------------------------------------


def pdf_name(app: Sphinx) -> str:
    documents = app.config.latex_documents or []
    return str(Path(documents[0][1]).with_suffix(".pdf")) if documents else ""


def built_pdf(app: Sphinx) -> Path | None:
    """The PDF the LaTeX builder wrote beside this build's output, if there is one."""
    name = pdf_name(app)
    path = Path(app.outdir).parent / "latex" / name
    return path if name and path.is_file() else None


def mark_all_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Rewrite every page when the PDF appears or disappears, so no page keeps a stale link."""
    if app.builder.format not in HTML_FORMATS:
        return []
    present = built_pdf(app) is not None
    if getattr(env, "xent_pdf_linked", None) == present:
        return []
    env.xent_pdf_linked = present  # type: ignore[attr-defined]
    return sorted(env.found_docs)


def add_pdf_button(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Offer the whole book's PDF in the page's download menu, if the PDF exists."""
    if app.builder.format not in HTML_FORMATS or built_pdf(app) is None:
        return
    button = {
        "type": "link",
        "url": context["pathto"](pdf_name(app), 1),
        "text": "Whole book (.pdf)",
        "tooltip": "Download the whole book as one PDF",
        "icon": "fas fa-book",
        "label": "download-book-pdf-button",
    }
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append(button)
            return
    context.setdefault("header_buttons", []).append(button)


def copy_pdf(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format in HTML_FORMATS and (pdf := built_pdf(app)):
        shutil.copyfile(pdf, Path(app.outdir) / pdf.name)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", configure_latex)
    app.add_post_transform(HideFoldedCells)
    app.add_post_transform(BookStructure)
    app.connect("env-get-outdated", mark_all_outdated)
    app.connect("html-page-context", add_pdf_button, priority=600)  # after the theme's (501)
    app.connect("build-finished", copy_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
