"""Reading the Chinese edition's catalogs and the English messages they translate.

Why: the tests in this directory compare three things that must stay in step — the English
sources (as fresh .pot catalogs), the committed locales/zh_CN/LC_MESSAGES/*.po, and the list of
documents declared fully translated (locales/COMPLETE) — and share these helpers.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
PO_DIR = LOCALES / "zh_CN" / "LC_MESSAGES"


def load_tool():
    """tools/i18n.py as a module (tools/ is a directory of scripts, not a package)."""
    path = ROOT / "tools" / "i18n.py"
    spec = importlib.util.spec_from_file_location("infranotes_i18n_tool", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def toc_documents() -> list[str]:
    """Every document of _toc.yml without its suffix (book/intro, notebooks/01-...)."""
    from tests.site.conftest import toc_pages

    return [p.removesuffix(".html") for p in toc_pages()]


def complete_documents() -> list[str]:
    """The documents locales/COMPLETE declares fully translated."""
    lines = (LOCALES / "COMPLETE").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def po_file(doc: str) -> polib.POFile:
    return polib.pofile(str(PO_DIR / f"{doc}.po"), wrapwidth=0)


@dataclass(frozen=True)
class Status:
    """What a translator has left to do in one catalog."""

    doc: str
    messages: int
    translated: int
    untranslated: int
    fuzzy: int
    obsolete: int

    def line(self) -> str:
        return (
            f"{self.doc}: {self.messages} messages, {self.translated} translated, "
            f"{self.untranslated} untranslated, {self.fuzzy} fuzzy, {self.obsolete} obsolete"
        )


def status(doc: str) -> Status:
    po = po_file(doc)
    live = [e for e in po if not e.obsolete]
    return Status(
        doc=doc,
        messages=len(live),
        translated=len(po.translated_entries()),
        untranslated=len(po.untranslated_entries()),
        fuzzy=len(po.fuzzy_entries()),
        obsolete=len(po.obsolete_entries()),
    )


# ------------------------------------------------------------------ what a translation keeps

#: A MyST role with its content: {term}`placement group`, {cite}`key`, {doc}`text <target>`.
#: Not preceded by a backtick: `{ok}` is inline code that happens to look like a role name.
ROLE = re.compile(r"(?<!`)\{([\w:-]+)\}`([^`]*)`")
#: Inline code, any number of backticks (CommonMark code spans).
CODE = re.compile(r"(`+)(.+?)\1")
URL = re.compile(r"https?://[^\s)\]>\"']+")
#: A number not inside a word (v1.30, IPv6, x86 are not numbers); atomic, so "99.9th" is 99.9
#: and never 99, and a suffix ("95th", "4.6k", "24-hour") does not hide it.
NUMBER = re.compile(r"(?<![\w.])(?>\d+(?:[.,:]\d+)*)")
#: Roles whose visible text a translation may change: only their target must stay.
TEXT_ROLES = {"term", "doc", "ref", "numref"}


def role_target(role: str, content: str) -> str:
    """The part of a role a translation keeps: the target of `text <target>`, else all of it."""
    m = re.fullmatch(r"(.*?)\s*<([^<>]+)>", content, flags=re.S)
    if role in TEXT_ROLES and m:
        return m.group(2).strip()
    return content.strip()


@dataclass(frozen=True)
class Literals:
    """The parts of a message that must come through a translation unchanged."""

    roles: frozenset[tuple[str, str]]
    code: frozenset[str]
    urls: frozenset[str]
    numbers: frozenset[str]


def literals(text: str) -> Literals:
    """Roles (by target), code spans, URLs and numbers of one message, each found once.

    Roles come out first (their backticks are not code), then code spans (their digits are not
    numbers), then URLs; numbers are read from what is left, so `ndots:5` counts as code.
    """
    roles = {(r, role_target(r, c)) for r, c in ROLE.findall(text)}
    rest = ROLE.sub(" ", text)
    code = {m.group(2).strip() for m in CODE.finditer(rest)}
    rest = CODE.sub(" ", rest)
    urls = {u.rstrip(".,;:") for u in URL.findall(rest)}
    rest = URL.sub(" ", rest)
    numbers = set(NUMBER.findall(rest))
    return Literals(frozenset(roles), frozenset(code), frozenset(urls), frozenset(numbers))


def parses_as_paragraph(text: str) -> bool:
    """Sphinx applies a translation only if it parses as one paragraph (sphinx/transforms/i18n.py,
    Locale.apply: `if not isinstance(patch, nodes.paragraph): continue`); otherwise the page
    silently keeps the English. A heading "1. The glossary" translated as "1. 术语表" is an
    ordered list, so it must be written "1\\. 术语表".
    """
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    return bool(tokens) and tokens[0].type == "paragraph_open"


def read_terms() -> list[tuple[str, str]]:
    return load_tool().read_terms()


def missing_terms(msgid: str, msgstr: str, terms: list[tuple[str, str]]) -> list[str]:
    """Terms of the English message whose Chinese is absent from the translation.

    Longer terms are matched first and blanked, so "connection pool" asks for 连接池 and not
    also for 存储池 (pool). Keeping the English term (in code, a {term} target) also counts.
    """
    text = msgid
    missing = []
    for en, zh in sorted(terms, key=lambda t: -len(t[0])):
        pattern = re.compile(rf"(?<![\w-]){re.escape(en)}(?:s|es)?(?![\w-])", re.I)
        if pattern.search(text):
            text = pattern.sub(" ", text)
            kept = re.search(re.escape(en), msgstr, re.I)
            if not any(alt in msgstr for alt in zh.split("|")) and not kept:
                missing.append(f"{en} -> {zh}")
    return missing
