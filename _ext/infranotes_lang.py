"""A MyST/Sphinx role that marks a span of text with its language: {zh}`英汉对照`.

Why: the book quotes Chinese (the Ceph glossary, chapter 07's title) on pages that are
lang="en". Browsers choose the Han glyph shapes and the fallback font by the element's
language, and screen readers choose the voice by it; static/infranotes.css gives :lang(zh) the
Chinese fonts. MyST's inline attributes ([text]{lang=zh}) keep only id and class
(myst_parser 3.0.1, mdit_to_docutils/base.py, render_span), and raw HTML in a heading would drop
the text from the page title and the toc, so this is a docutils node instead: HTML gets
<span lang="zh">…</span>; every other writer (search index, LaTeX, text) sees a plain inline node,
because Sphinx dispatches by the node's class hierarchy.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst.states import Inliner
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

#: Role name -> BCP 47 tag written into the lang attribute.
LANG_ROLES = {"zh": "zh"}


# Lower case like docutils' own node classes: translators dispatch on visit_<class name>.
class lang_span(nodes.inline):
    """Inline text in another language than the page; carries ``lang``."""


def _visit_html(self: HTML5Translator, node: lang_span) -> None:
    self.body.append(self.starttag(node, "span", "", lang=node["lang"]))


def _depart_html(self: HTML5Translator, node: lang_span) -> None:
    self.body.append("</span>")


def _make_role(tag: str):
    def role(
        name: str,
        rawtext: str,
        text: str,
        lineno: int,
        inliner: Inliner,
        options: dict[str, Any] | None = None,
        content: list[str] | None = None,
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        return [lang_span(rawtext, text, lang=tag)], []

    return role


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(lang_span, html=(_visit_html, _depart_html))
    for name, tag in LANG_ROLES.items():
        app.add_role(name, _make_role(tag))
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
