"""The Chinese catalogs are in step with the English sources (issue 20).

Regenerating the catalogs from the sources (sphinx-build -b gettext, about 10 s) must give
exactly the messages of the committed .po files: an English change that was not merged with
`make i18n-update` fails here, with the messages added and removed per document. No catalog may
hold fuzzy (changed English, translation not yet checked) or obsolete entries, and the
documents listed in locales/COMPLETE must be translated to the last message.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from .catalogs import PO_DIR, complete_documents, load_tool, po_file, status, toc_documents

DOCS = toc_documents()


@pytest.fixture(scope="module")
def pot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Fresh .pot catalogs from the current sources, in a directory of this test run."""
    out = tmp_path_factory.mktemp("gettext")
    load_tool().gettext(out / "pot", doctrees=out / "doctrees")
    return out / "pot"


def msgids(catalog: polib.POFile) -> set[tuple[str, str]]:
    return {(e.msgctxt or "", e.msgid) for e in catalog if e.msgid and not e.obsolete}


def test_one_catalog_per_document() -> None:
    have = sorted(str(p.relative_to(PO_DIR).with_suffix("")) for p in PO_DIR.rglob("*.po"))
    assert have == sorted(DOCS), "run `make i18n-update` to create or drop catalogs"


def test_complete_list_names_documents() -> None:
    unknown = set(complete_documents()) - set(DOCS)
    assert not unknown, f"locales/COMPLETE names documents not in _toc.yml: {sorted(unknown)}"


@pytest.mark.parametrize("doc", DOCS)
def test_catalog_is_current(pot_dir: Path, doc: str) -> None:
    """Same messages in the sources as in the committed catalog: none added, none removed."""
    fresh = msgids(polib.pofile(str(pot_dir / f"{doc}.pot")))
    committed = msgids(po_file(doc))
    added = sorted(m for _, m in fresh - committed)
    removed = sorted(m for _, m in committed - fresh)
    assert not added and not removed, (
        f"{doc}: the English changed; run `make i18n-update` and translate the fuzzy/empty "
        f"entries.\nnew: {added}\ngone: {removed}"
    )


@pytest.mark.parametrize("doc", DOCS)
def test_no_fuzzy_or_obsolete_entries(doc: str) -> None:
    """A fuzzy entry would be shown as English; an obsolete one is text that no longer exists."""
    po = po_file(doc)
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    obsolete = [e.msgid for e in po.obsolete_entries()]
    assert not fuzzy and not obsolete, f"{status(doc).line()}\nfuzzy: {fuzzy}\nobsolete: {obsolete}"


@pytest.mark.parametrize("doc", complete_documents())
def test_complete_documents_are_fully_translated(doc: str) -> None:
    untranslated = [e.msgid for e in po_file(doc).untranslated_entries()]
    assert not untranslated, f"{status(doc).line()}\nuntranslated: {untranslated}"
