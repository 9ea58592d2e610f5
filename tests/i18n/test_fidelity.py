"""A translation keeps what is not prose: code, commands, numbers, URLs, role targets, terms.

For every translated message of every catalog, the Chinese must carry the same set of inline
code spans, URLs, numbers and role targets ({term}, {doc}, {cite}) as the English it translates,
must parse as one paragraph (or Sphinx silently shows the English), and must use the book's
Chinese term (locales/terms.tsv) for each term the English uses.
"""

from __future__ import annotations

import pytest

from .catalogs import (
    literals,
    missing_terms,
    parses_as_paragraph,
    po_file,
    read_terms,
    toc_documents,
)

DOCS = toc_documents()


def translated(doc: str):
    return [e for e in po_file(doc).translated_entries() if e.msgstr != e.msgid]


def test_literal_extraction() -> None:
    """The extraction itself, on a message of chapter 01's kind."""
    lit = literals(
        "With `ndots:5`, {term}`search list` and {doc}`the incidents <incidents>`, "
        "see [RFC 1035](https://www.rfc-editor.org/rfc/rfc1035) {cite}`rfc1035`: 3 tries, 1.5 s."
    )
    assert lit.code == {"ndots:5"}
    assert lit.roles == {("term", "search list"), ("doc", "incidents"), ("cite", "rfc1035")}
    assert lit.urls == {"https://www.rfc-editor.org/rfc/rfc1035"}
    assert lit.numbers == {"1035", "3", "1.5"}
    assert literals("`{ok}` for DEL, `{ok: false}`").roles == set()
    assert literals("the 99.9th percentile, 4.6k tweets, IPv6, v1.30").numbers == {"99.9", "4.6"}
    zh = literals("使用 `ndots:5`、{term}`搜索列表 <search list>` 和 {doc}`事故 <incidents>`")
    assert zh.roles == {("term", "search list"), ("doc", "incidents")}
    assert not parses_as_paragraph("1. 术语表") and parses_as_paragraph("1\\. 术语表")
    terms = [("pool", "存储池"), ("connection pool", "连接池")]
    assert missing_terms("a connection pool", "一个连接池", terms) == []
    assert missing_terms("the pool", "该池", terms) == ["pool -> 存储池"]


@pytest.mark.parametrize("doc", DOCS)
def test_translation_keeps_code_numbers_urls_and_roles(doc: str) -> None:
    bad = []
    for e in translated(doc):
        en, zh = literals(e.msgid), literals(e.msgstr)
        for what in ("code", "urls", "numbers", "roles"):
            a, b = getattr(en, what), getattr(zh, what)
            if a != b:
                bad.append(f"{what}: lost {sorted(a - b)} added {sorted(b - a)} in {e.msgid!r}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("doc", DOCS)
def test_translation_parses_as_one_paragraph(doc: str) -> None:
    bad = [e.msgstr for e in translated(doc) if not parses_as_paragraph(e.msgstr)]
    assert not bad, f"not a paragraph (escape a leading '1.' as '1\\.', '-' as '\\-'): {bad}"


@pytest.mark.parametrize("doc", DOCS)
def test_translation_uses_the_book_terms(doc: str) -> None:
    terms = read_terms()
    bad = []
    for e in translated(doc):
        missing = missing_terms(e.msgid, e.msgstr, terms)
        if missing:
            bad.append(f"{missing} in {e.msgstr!r}")
    assert not bad, "\n".join(bad)
