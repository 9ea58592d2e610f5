"""What the code prints, in English (the default) and Chinese.

The book's Chinese edition renders the same stored notebook outputs as the English one, so an
output that should read in both languages carries both: :func:`bilingual` calls a helper once
per language and stores the two renderings side by side. The site's stylesheet shows the one
that matches the page's ``lang`` (``zh-CN`` pages show Chinese); in Jupyter the language of
``INFRANOTES_LANG`` (English unless set) is shown and the other is hidden.

Each topic keeps its translations in its own ``messages.py``: a :class:`Messages` built from
an English-template -> Chinese-template mapping, called as ``tr(lang, "English {x}", x=...)``.
Templates use :meth:`str.format` fields; ``tests/i18n/test_code_messages.py`` holds every
template used in the package to a translation with the same fields, code spans and numbers.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from infranotes.errors import InfranotesError

LANGS = ("en", "zh")
# The value of the HTML lang attribute for each language (the Chinese edition's pages use zh-CN).
HTML_LANG = {"en": "en", "zh": "zh-CN"}


class UnknownLanguage(InfranotesError, ValueError):
    """A ``lang`` argument that is not one of :data:`LANGS`."""


def check_lang(lang: str) -> str:
    """``lang`` itself when it is ``"en"`` or ``"zh"``; otherwise :class:`UnknownLanguage`."""
    if lang not in LANGS:
        raise UnknownLanguage(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang


class Messages:
    """One topic's translations: English templates (the message ids) to Chinese templates."""

    def __init__(self, zh: Mapping[str, str]) -> None:
        self.zh = dict(zh)

    def __call__(self, lang: str, msgid: str, /, **fields: object) -> str:
        """``msgid`` in ``lang``, formatted with ``fields``.

        A template with no Chinese entry falls back to English at run time; the catalog test
        is what keeps that from happening in the book.
        """
        template = msgid if check_lang(lang) == "en" else self.zh.get(msgid, msgid)
        return template.format(**fields)


def shown_in_jupyter() -> str:
    """The language Jupyter shows of a bilingual output: ``INFRANOTES_LANG``, else English."""
    lang = os.environ.get("INFRANOTES_LANG", "en")
    return lang if lang in LANGS else "en"


@dataclass(frozen=True)
class Text:
    """Plain text that renders as a preformatted block (what ``print`` would have shown)."""

    text: str

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f'<pre class="infranotes-text">{html.escape(self.text)}</pre>'


def _html(value: object) -> str:
    render = getattr(value, "_repr_html_", None)
    if render is not None:
        return str(render())
    return Text(str(value))._repr_html_()


@dataclass(frozen=True)
class Bilingual:
    """One output in both languages; HTML holds both, the plain-text form is English."""

    en: object
    zh: object

    def __repr__(self) -> str:
        return repr(self.en) if not isinstance(self.en, str) else self.en

    def _repr_html_(self) -> str:
        shown = shown_in_jupyter()
        parts = []
        for lang, value in (("en", self.en), ("zh", self.zh)):
            hidden = "" if lang == shown else ' style="display:none"'
            parts.append(
                f'<div class="infranotes-lang-{lang}" lang="{HTML_LANG[lang]}"{hidden}>'
                f"{_html(value)}</div>"
            )
        return f'<div class="infranotes-bilingual">{"".join(parts)}</div>'


def bilingual(make: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Bilingual:
    """``make(*args, lang="en", **kwargs)`` and the same with ``lang="zh"``, side by side.

    A ``str`` result is shown as preformatted text, like ``print``; anything with a
    ``_repr_html_`` (a :class:`~infranotes.table.Table`) as its HTML.
    """

    def render(lang: str) -> object:
        value = make(*args, lang=lang, **kwargs)
        return Text(value) if isinstance(value, str) else value

    return Bilingual(render("en"), render("zh"))
