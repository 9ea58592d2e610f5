"""The Chinese edition (_build/html/zh/, issue 20) as a reader meets it, in Chromium.

Every page of the toc: lang="zh-CN", nothing from another host, no failed request or console
error, no wider than a 390 px phone, and the link to the other edition leads to the same page
in English and back. Sphinx's Chinese search (jieba, with the book's terms from
locales/terms.tsv) finds each term on the pages whose translation uses it.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from .conftest import PHONE, toc_pages, watch

pytestmark = pytest.mark.site

PAGES = toc_pages()
#: Search term -> pages that must be among its results (translated pages that use the term).
GLO, INC = "book/glossary.html", "book/incidents.html"
N1, N2, N3, N4, N5, N6, N7, N8, N9, N10 = (
    f"notebooks/{name}.html"
    for name in (
        "01-resolv-conf-search-lists",
        "02-kubernetes-dns-records",
        "03-netfilter-iptables-tracer",
        "04-cni-host-local-and-bridge",
        "05-kubernetes-cronjob-controller",
        "06-linux-time-and-container-zones",
        "07-ceph-pg-states",
        "08-reliability-and-tail-latency",
        "09-http-timeouts",
        "10-harbor-schema-migrations",
    )
)
SEARCHES = {
    "时区": [GLO, INC, N5, N6],
    "搜索域": [GLO, N1],
    "降级": [GLO, N7],
    "连接跟踪": [GLO, INC, N3],
    "归置组": [GLO, INC, N7],
    "存根解析器": [GLO, N1],
    "通配符": [GLO, INC, N1, N2],
    "深度清洗": [INC, N7],
    "事务性": [GLO, N10],
    "钩子": [INC, N3],
    "网桥": [N4],
    "截止时间": [GLO, N5, N9],
    "尾延迟": [INC, N8],
    "保活": [N9],
    "参考文献": ["book/references.html"],
}


def switch_href(html: Path) -> str:
    from bs4 import BeautifulSoup

    a = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select("a.edition-switch")
    assert len(a) == 1, f"{html}: {len(a)} edition links"
    return a[0]["href"]


@pytest.mark.parametrize("page", PAGES)
def test_switch_links_resolve_both_ways_on_disk(built_zh: Path, page: str) -> None:
    """Relative links, so they work from file:// too: zh page -> English page -> zh page."""
    en = built_zh.parent / page
    zh = built_zh / page
    to_en = (zh.parent / switch_href(zh)).resolve()
    to_zh = (en.parent / switch_href(en)).resolve()
    assert to_en == en.resolve() and to_zh == zh.resolve()


@pytest.mark.parametrize("page", PAGES)
def test_zh_page_renders_on_a_phone(server: str, built_zh: Path, browser, page: str) -> None:
    """lang="zh-CN", on-host only, no error, no overflow at 390 px, and the switch round trip."""
    ctx = browser.new_context(viewport={"width": PHONE, "height": 800})
    tab = ctx.new_page()
    off_host, errors, failed = watch(tab)
    tab.goto(f"{server}/zh/{page}", wait_until="load")
    lang = tab.evaluate("document.documentElement.lang")
    title = tab.locator("article h1").first.inner_text()
    width = tab.evaluate("document.documentElement.scrollWidth")
    # The zh page's own requests; the round trip below may abort the English page's favicon.
    seen = (list(off_host), list(errors), list(failed))
    tab.locator("a.edition-switch").click()
    tab.wait_for_url(f"{server}/{page}")
    en_lang = tab.evaluate("document.documentElement.lang")
    tab.locator("a.edition-switch").click()
    tab.wait_for_url(f"{server}/zh/{page}")
    ctx.close()
    assert lang == "zh-CN" and en_lang == "en"
    assert title.strip()
    assert width <= PHONE, f"page is {width} px wide on a {PHONE} px screen"
    assert seen == ([], [], []), seen
    assert off_host == [] and errors == []


def test_zh_icons_code_and_text_keep_their_faces(server: str, built_zh: Path, browser) -> None:
    """The page's lang="zh-CN" must not give icons or code blocks the Chinese text face."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = ctx.new_page()
    tab.goto(f"{server}/zh/notebooks/01-resolv-conf-search-lists.html", wait_until="load")
    tab.evaluate("document.fonts.ready.then(() => true)")
    faces = tab.evaluate("""() => {
        const f = (sel) => getComputedStyle(document.querySelector(sel)).fontFamily;
        return {icon: f('.theme-switch-button i'), pre: f('div.cell pre'),
                text: f('article.bd-article p')}; }""")
    ctx.close()
    assert "Font Awesome" in faces["icon"], faces
    assert "monospace" in faces["pre"] and "Font Awesome" not in faces["pre"], faces
    assert faces["text"].startswith('"Noto Sans CJK SC"'), faces


@pytest.mark.parametrize("term", sorted(SEARCHES))
def test_chinese_search_finds_the_term(server: str, built_zh: Path, browser, term: str) -> None:
    ctx = browser.new_context()
    tab = ctx.new_page()
    tab.goto(f"{server}/zh/search.html?q={term}", wait_until="load")
    tab.wait_for_selector("#search-results ul.search li", timeout=15000)
    hrefs = tab.locator("#search-results ul.search li a").evaluate_all(
        "as => as.map(a => new URL(a.href).pathname)"
    )
    ctx.close()
    found = {str(PurePosixPath(h).relative_to("/zh")) for h in hrefs if h.startswith("/zh/")}
    missing = [p for p in SEARCHES[term] if p not in found]
    assert not missing, f"{term}: {missing} not among {sorted(found)}"


CHAPTERS = [p for p in PAGES if p.startswith("notebooks/")]


@pytest.mark.parametrize("page", CHAPTERS)
def test_code_outputs_read_in_the_page_language(
    server: str, built_zh: Path, browser, page: str
) -> None:
    """Every table the code prints is bilingual (infranotes.i18n.bilingual), and each edition
    shows its own language: the stored output holds both, the page's lang picks one. Tables
    of pure data (``Table(data=True)``: database rows under column names) are exempt."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = ctx.new_page()
    seen = {}
    for edition, prefix in (("en", ""), ("zh", "/zh")):
        tab.goto(f"{server}{prefix}/{page}", wait_until="load")
        seen[edition] = tab.evaluate("""() => {
            const shown = (el) => getComputedStyle(el).display !== 'none';
            const all = (sel) => [...document.querySelectorAll(sel)];
            return {
              both: all('.infranotes-bilingual').length,
              en_shown: all('.infranotes-lang-en').filter(shown).length,
              zh_shown: all('.infranotes-lang-zh').filter(shown).length,
              lone_tables: all('table.infranotes:not(.infranotes-data)')
                .filter(t => !t.closest('.infranotes-lang-en, .infranotes-lang-zh'))
                .map(t => t.innerText.slice(0, 60)),
              zh_text: all('.infranotes-lang-zh').filter(shown)
                .map(el => el.innerText).join(' '),
            }; }""")
    ctx.close()
    en, zh = seen["en"], seen["zh"]
    assert en["both"] > 0 and en["both"] == zh["both"], (en["both"], zh["both"])
    assert (en["en_shown"], en["zh_shown"]) == (en["both"], 0)
    assert (zh["en_shown"], zh["zh_shown"]) == (0, zh["both"])
    assert en["lone_tables"] == [], f"tables with no Chinese rendering: {en['lone_tables']}"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh["zh_text"])
