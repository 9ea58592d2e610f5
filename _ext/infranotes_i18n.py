"""The two editions of the book: English at the site root, Chinese under zh/.

Why: issue 20 builds a Chinese edition from the same sources (Sphinx i18n, see tools/i18n.py)
with the same page paths, and every page links to the same page in the other edition. The
link is relative (so it works from file:// and from any static host), and is computed here
rather than in the template because it depends on the page's depth and on the edition.

The handler also writes a valid BCP 47 tag into ``<html lang>``: pydata-sphinx-theme 0.17.1's
layout.html (line 5) writes ``lang="{{ language }}"``, which would be Sphinx's locale name
``zh_CN``; a browser and a screen reader want ``zh-CN``.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

#: The directory of the Chinese edition below the English one (the Makefile builds into it).
ZH_DIR = "zh"
#: Sphinx locale name of the Chinese edition (conf: language).
ZH_LOCALE = "zh_CN"


def bcp47(language: str | None) -> str:
    """Sphinx's locale name as an HTML lang value: ``zh_CN`` -> ``zh-CN``; None -> ``en``."""
    return (language or "en").replace("_", "-")


def other_edition(pagename: str, language: str | None) -> dict[str, str]:
    """Relative link from ``pagename`` (``notebooks/01-x``) to that page in the other edition.

    English pages sit at the root and Chinese ones under zh/, so from English we go down into
    zh/, and from Chinese up one more level than the page's own depth.
    """
    depth = pagename.count("/")
    if language == ZH_LOCALE:
        href = "../" * (depth + 1) + pagename + ".html"
        return {"href": href, "label": "English", "hreflang": "en"}
    href = "../" * depth + f"{ZH_DIR}/" + pagename + ".html"
    return {"href": href, "label": "中文", "hreflang": "zh-CN"}


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    context["edition_switch"] = other_edition(pagename, app.config.language)
    context["language"] = bcp47(app.config.language)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
