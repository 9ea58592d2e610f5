"""What the package prints in Chinese is complete, current and faithful.

Every ``tr(lang, "template", ...)`` call in a topic must use a literal English template that
the topic's ``messages.py`` translates; every translation must still be used, have the same
``str.format`` fields, and keep the template's code spans, numbers and URLs (the rule the
book's catalogs follow, tests/i18n/test_fidelity.py) and the book's terms (locales/terms.tsv).
"""

from __future__ import annotations

import ast
import importlib
import string
from pathlib import Path

import pytest

from infranotes.i18n import Bilingual, Messages, Text, UnknownLanguage, bilingual
from infranotes.table import Table

from .catalogs import literals, missing_terms, read_terms

SRC = Path(__file__).resolve().parents[2] / "src" / "infranotes"
TOPICS = sorted(p.parent.name for p in SRC.glob("*/messages.py"))


def calls(topic: str) -> tuple[dict[str, list[str]], list[str]]:
    """Templates used by ``tr(...)`` calls (-> where) in every module that imports the topic's
    ``tr`` (its own modules, its CLI module), and the calls without a literal template."""
    used: dict[str, list[str]] = {}
    bad: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        if path != SRC / topic / "messages.py" and not any(
            isinstance(node, ast.ImportFrom)
            and node.module == f"infranotes.{topic}.messages"
            and any(alias.name == "tr" and alias.asname is None for alias in node.names)
            for node in ast.walk(tree)
        ):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id != "tr":
                    continue
                where = f"{path.relative_to(SRC)}:{node.lineno}"
                arg = node.args[1] if len(node.args) > 1 else None
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    used.setdefault(arg.value, []).append(where)
                else:
                    bad.append(where)
    return used, bad


def fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


def messages(topic: str) -> Messages:
    module = importlib.import_module(f"infranotes.{topic}.messages")
    return module.tr


def test_some_topic_has_messages() -> None:
    assert TOPICS, "no topic has a messages.py"


@pytest.mark.parametrize("topic", TOPICS)
def test_every_template_is_a_literal_and_translated(topic: str) -> None:
    used, bad = calls(topic)
    assert not bad, f"tr() needs a literal English template as its second argument: {bad}"
    zh = messages(topic).zh
    missing = sorted(set(used) - set(zh))
    stale = sorted(set(zh) - set(used))
    assert not missing, f"{topic}/messages.py lacks a translation of: {missing}"
    assert not stale, f"{topic}/messages.py translates templates no code uses: {stale}"


@pytest.mark.parametrize("topic", TOPICS)
def test_translations_keep_fields_code_numbers_and_terms(topic: str) -> None:
    terms = read_terms()
    bad = []
    for en, zh in messages(topic).zh.items():
        if fields(en) != fields(zh):
            bad.append(f"fields {sorted(fields(en))} != {sorted(fields(zh))} in {en!r}")
        a, b = literals(en), literals(zh)
        for what in ("code", "urls", "numbers"):
            if getattr(a, what) != getattr(b, what):
                bad.append(
                    f"{what}: {sorted(getattr(a, what))} != {sorted(getattr(b, what))} in {en!r}"
                )
        bad += [f"{m} in {zh!r}" for m in missing_terms(en, zh, terms)]
        if not any("\u4e00" <= ch <= "\u9fff" for ch in zh) and zh != en:
            bad.append(f"no Chinese in {zh!r}")
    assert not bad, "\n".join(bad)


def test_messages_format_and_refuse_unknown_languages() -> None:
    tr = Messages({"{n} PGs are stuck": "{n} 个归置组卡住了"})
    assert tr("en", "{n} PGs are stuck", n=3) == "3 PGs are stuck"
    assert tr("zh", "{n} PGs are stuck", n=3) == "3 个归置组卡住了"
    assert tr("zh", "not in the catalog") == "not in the catalog"
    with pytest.raises(UnknownLanguage, match="expected one of en, zh"):
        tr("fr", "{n} PGs are stuck", n=3)
    assert isinstance(UnknownLanguage("x"), ValueError)


def test_bilingual_holds_both_and_shows_the_jupyter_language(monkeypatch) -> None:
    def table(rows: int, *, lang: str) -> Table:
        return Table(("PGs",) if lang == "en" else ("归置组",), [(rows,)])

    both = bilingual(table, 3)
    assert isinstance(both, Bilingual)
    monkeypatch.delenv("INFRANOTES_LANG", raising=False)
    page = both._repr_html_()
    assert '<div class="infranotes-lang-en" lang="en"><table' in page
    assert '<div class="infranotes-lang-zh" lang="zh-CN" style="display:none"><table' in page
    assert "<th>归置组</th>" in page and repr(both).startswith("PGs")
    monkeypatch.setenv("INFRANOTES_LANG", "zh")
    assert '<div class="infranotes-lang-en" lang="en" style="display:none">' in both._repr_html_()

    text = bilingual(lambda *, lang: "a < b" if lang == "en" else "甲 < 乙")
    assert text.zh == Text("甲 < 乙") and repr(text) == "a < b"
    assert '<pre class="infranotes-text">甲 &lt; 乙</pre>' in text._repr_html_()
