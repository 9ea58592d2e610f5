"""The built book as a reader meets it, on every page of the toc.

Browser checks (Chromium at 390, 768 and 1280 px): navigation drawers, no page wider than a
phone, wide tables scrolling in their own box, the first-load weight, nothing loaded from
another host, no console errors, the colour-mode button, icons, the CJK font fallback.
Static checks (the HTML files): links out to the sources, figure alt text and captions, raw
Markdown in table cells, fragment links that resolve. Screenshots of every page at 390 and
1280 px go to _build/screenshots/.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

import pytest

from .conftest import DESKTOP, PHONE, SHOTS, TABLET, toc_pages, watch

pytestmark = pytest.mark.site

PAGES = toc_pages()
CHAPTERS = [p for p in PAGES if p.startswith("notebooks/")]
REFERENCES = "book/references.html"
#: First load of the landing page, every response body summed, uncompressed (issue 15).
INTRO_BUDGET = 1_200_000
#: Families the site's CSS must offer for Chinese, in this order of preference.
CJK_FAMILIES = ("Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei")


def shot_name(page: str, width: int) -> Path:
    return SHOTS / f"{page.replace('/', '_').removesuffix('.html')}-{width}.png"


def goto(tab, server: str, page: str) -> None:
    """Load a page in a tab of its own; "load" is enough (handlers bind on DOMContentLoaded)."""
    tab.goto(f"{server}/{page}", wait_until="load")


def visible_one(tab, selector: str):
    """The single visible element matching selector (the theme has hidden duplicates)."""
    loc = tab.locator(selector)
    shown = [loc.nth(i) for i in range(loc.count()) if loc.nth(i).is_visible()]
    assert len(shown) == 1, f"{len(shown)} visible {selector}"
    return shown[0]


def dialog_open(tab, dialog_id: str) -> bool:
    return tab.evaluate(f"document.getElementById({dialog_id!r}).open")


# --------------------------------------------------------------------------- static checks


@functools.cache
def soup(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(built: Path, page: str):
    node = soup(built / page).select_one("article.bd-article")
    assert node is not None, f"{page} has no article"
    return node


def external_links(built: Path, page: str) -> set[str]:
    """Distinct documents the article links to off the site (http/https; #fragment ignored)."""
    return {
        a["href"].split("#")[0]
        for a in article(built, page).select("a[href]")
        if urlparse(a["href"]).scheme in ("http", "https")
    }


def test_every_toc_page_is_built(built: Path) -> None:
    missing = [p for p in PAGES if not (built / p).exists()]
    assert not missing


def test_no_remote_urls_in_scripts_or_links(built: Path) -> None:
    """No <script src>, <link href> or <img src> points at another host."""
    bad = []
    for page in built.rglob("*.html"):
        for m in re.finditer(
            r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//([^"/]+)',
            page.read_text(encoding="utf-8"),
        ):
            bad.append(f"{page.name}: {m.group(2)}")
    assert not bad


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_links_out_to_sources(built: Path, page: str) -> None:
    """A chapter cites at least three primary sources a reader can click through to."""
    links = external_links(built, page)
    assert len(links) >= 3, f"{len(links)} external links: {sorted(links)}"


def test_references_page_links_out(built: Path) -> None:
    links = external_links(built, REFERENCES)
    assert len(links) >= 25, f"{len(links)} external links on the references page"


#: An alt text that is only a file name or path, as myst-nb writes for unlabelled outputs.
PATHLIKE_ALT = re.compile(r"^\S*\.(png|svg|jpe?g|gif|webp)$|^\S*/\S*$", re.IGNORECASE)


@pytest.mark.parametrize("page", PAGES)
def test_figures_have_alt_text_and_caption(built: Path, page: str) -> None:
    """Every image in the article says what it shows (alt) and is a captioned figure."""
    bad = []
    for img in article(built, page).select("img"):
        alt = (img.get("alt") or "").strip()
        where = img.get("src", "?").rsplit("/", 1)[-1][:16]
        if not alt or PATHLIKE_ALT.match(alt) or len(alt.split()) < 3:
            bad.append(f"{where}: alt {alt[:40]!r} is not a description")
        figure = img.find_parent("figure")
        caption = figure.find("figcaption") if figure else None
        if caption is None or not caption.get_text(strip=True):
            bad.append(f"{where}: no caption")
    assert not bad, bad


@pytest.mark.parametrize("page", PAGES)
def test_no_raw_markdown_in_table_cells(built: Path, page: str) -> None:
    """A backtick in a cell's text (outside <code>) is Markdown that was never rendered."""
    bad = []
    for cell in article(built, page).select("td, th"):
        text = "".join(s for s in cell.find_all(string=True) if not s.find_parent(["code", "pre"]))
        if "`" in text:
            bad.append(cell.get_text(" ", strip=True)[:60])
    assert not bad, f"{len(bad)} cells with backticks, e.g. {bad[:3]}"


@functools.cache
def ids_of(path: Path) -> frozenset[str]:
    s = soup(path)
    return frozenset(e["id"] for e in s.select("[id]")) | frozenset(
        a["name"] for a in s.select("a[name]")
    )


@pytest.mark.parametrize("page", PAGES)
def test_fragment_links_resolve(built: Path, page: str) -> None:
    """Every link with a #fragment (toc, citations, glossary terms, cross-references) lands."""
    bad = []
    for a in soup(built / page).select("a[href*='#']"):
        href = a["href"]
        url = urlparse(href)
        if url.scheme or url.netloc or not url.fragment:
            continue
        target = PurePosixPath(page).parent / url.path if url.path else PurePosixPath(page)
        path = (built / target).resolve()
        if not path.exists():
            bad.append(f"{href}: no page {target}")
        elif unquote(url.fragment) not in ids_of(path):
            bad.append(f"{href}: no id on {path.relative_to(built.resolve())}")
    assert not bad, bad


# -------------------------------------------------------------------------- browser checks


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_offline(server: str, browser, page: str) -> None:
    """The page loads with nothing from another host, no failed request, no console error."""
    ctx = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    tab = ctx.new_page()
    off_host, errors, failed = watch(tab)
    tab.goto(f"{server}/{page}", wait_until="load")
    tab.evaluate("document.fonts.ready.then(() => true)")
    title = tab.locator("article h1").first.inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(shot_name(page, DESKTOP)), full_page=True)
    ctx.close()  # requests made while the full page was laid out for the shot are counted too
    assert title.strip()
    assert off_host == [] and errors == [] and failed == []


@pytest.mark.parametrize("page", PAGES)
def test_no_horizontal_overflow_on_a_phone(server: str, tabs, page: str) -> None:
    """Nothing makes the page wider than a 390 px screen; the screenshot is taken here."""
    tabs[PHONE].goto(server, page)
    tab = tabs[PHONE].page
    width = tab.evaluate("document.documentElement.scrollWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(shot_name(page, PHONE)), full_page=True)
    assert width <= PHONE, f"page is {width} px wide on a {PHONE} px screen"
    assert tabs[PHONE].errors == []


#: For every article table wider than its box: the nearest ancestor that scrolls sideways
#: (inside the article) and whether it paints the scroll shadows.
WIDE_TABLES_JS = """() => {
  const out = [];
  const art = document.querySelector('article.bd-article');
  for (const t of art.querySelectorAll('table')) {
    let box = t;
    while (box && box !== art && !/(auto|scroll)/.test(getComputedStyle(box).overflowX)) {
      box = box.parentElement;
    }
    const scrolls = box && box !== art;
    const tableWidth = t.scrollWidth;
    if (!scrolls) {
      if (tableWidth > art.clientWidth + 1) {
        out.push({ok: false, why: 'no scroll box', w: tableWidth});
      }
      continue;
    }
    if (box.scrollWidth <= box.clientWidth + 1) continue;  // fits: nothing to hint at
    const bg = getComputedStyle(box).backgroundImage;
    out.push({ok: bg.includes('gradient'), why: 'no scroll shadow', w: box.scrollWidth});
  }
  return out;
}"""


@pytest.mark.parametrize("page", PAGES)
def test_wide_tables_scroll_in_their_own_box(server: str, tabs, page: str) -> None:
    """At 390 px a table that does not fit scrolls inside its box, which shows a shadow."""
    tabs[PHONE].goto(server, page)
    tab = tabs[PHONE].page
    bad = [t for t in tab.evaluate(WIDE_TABLES_JS) if not t["ok"]]
    assert not bad, bad


def check_drawer(tab, width: int, toggle: str, dialog_id: str, content: str) -> None:
    """The visible toggle opens the drawer with its links; the backdrop and Escape close it."""
    visible_one(tab, toggle).click()
    assert dialog_open(tab, dialog_id), f"{toggle} did not open #{dialog_id}"
    links = tab.locator(f"#{dialog_id} {content} a")
    assert links.count() > 0 and links.first.is_visible(), f"#{dialog_id} shows no links"
    box = tab.locator(f"#{dialog_id}").bounding_box()
    assert box is not None
    # Click the backdrop on whichever side of the drawer has room.
    right = box["x"] + box["width"]
    x = (right + width) / 2 if right < width - 8 else box["x"] / 2
    tab.mouse.click(x, 400)
    assert not dialog_open(tab, dialog_id), "a click on the backdrop did not close it"
    visible_one(tab, toggle).click()
    assert dialog_open(tab, dialog_id), f"{toggle} did not open #{dialog_id} a second time"
    tab.keyboard.press("Escape")
    assert not dialog_open(tab, dialog_id), "Escape did not close it"


@pytest.mark.parametrize("width", [PHONE, TABLET])
@pytest.mark.parametrize("page", PAGES)
def test_drawers_open_on_phone_and_tablet(server: str, tabs, page: str, width: int) -> None:
    """Below 992 px the chapter list and the page contents are reachable only through drawers."""
    tabs[width].goto(server, page)
    tab = tabs[width].page
    check_drawer(tab, width, ".primary-toggle", "pst-primary-sidebar-modal", ".bd-docs-nav")
    if tab.locator("#pst-secondary-sidebar-modal").count():
        check_drawer(tab, width, ".secondary-toggle", "pst-secondary-sidebar-modal", ".page-toc")
    # The nodes go back where they came from (on the dialog's close event), so the page
    # still has its sidebar for the next click or a resize to desktop width.
    tab.wait_for_selector("#pst-primary-sidebar .bd-docs-nav", state="attached", timeout=3000)
    assert tabs[width].errors == []


@pytest.mark.parametrize("page", PAGES)
def test_sidebar_toggles_on_desktop(server: str, tabs, page: str) -> None:
    """At 1280 px both sidebars show; the hamburger hides the chapter list and brings it back."""
    tabs[DESKTOP].goto(server, page)
    tab = tabs[DESKTOP].page
    nav = tab.locator("#pst-primary-sidebar .bd-docs-nav a").first
    assert nav.is_visible()
    if tab.locator("#pst-secondary-sidebar").count():
        assert tab.locator("#pst-secondary-sidebar .page-toc a").first.is_visible()
    toggle = visible_one(tab, ".primary-toggle")
    toggle.click()
    tab.wait_for_function(
        "getComputedStyle(document.getElementById('pst-primary-sidebar')).visibility === 'hidden'",
        timeout=3000,
    )
    assert not dialog_open(tab, "pst-primary-sidebar-modal")
    # The search field left with the sidebar; the header's search icon stands in for it.
    visible_one(tab, ".search-button__button")
    toggle.click()
    tab.wait_for_function(
        "getComputedStyle(document.getElementById('pst-primary-sidebar')).visibility === 'visible'",
        timeout=3000,
    )
    assert nav.is_visible()
    assert tabs[DESKTOP].errors == []


def test_header_is_not_a_second_search_box_and_no_download_button(server: str, tabs) -> None:
    """The site header held only a duplicate search field; the download button was unwanted."""
    tabs[DESKTOP].goto(server, "book/intro.html")
    tab = tabs[DESKTOP].page
    header = tab.locator("#pst-header")
    assert header.count() == 0 or (header.bounding_box() or {"height": 0})["height"] == 0
    fields = tab.locator(".search-button-field")
    assert sum(fields.nth(i).is_visible() for i in range(fields.count())) == 1
    assert tab.locator(".dropdown-download-buttons, .btn-download-source-button").count() == 0
    # The one search field opens the search dialog, whose icon sits beside the input, not on it.
    visible_one(tab, ".search-button-field").click()
    assert dialog_open(tab, "pst-search-dialog")
    icon = tab.locator("#pst-search-dialog .fa-magnifying-glass").bounding_box()
    field = tab.locator("#pst-search-dialog input").bounding_box()
    assert icon and field and icon["x"] + icon["width"] <= field["x"] + 1, (icon, field)
    tab.keyboard.press("Escape")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_first_click_on_colour_mode_changes_the_colours(server: str, browser, scheme: str) -> None:
    """On either system setting, the first click switches to the other look (not to "auto")."""
    ctx = browser.new_context(viewport={"width": DESKTOP, "height": 800}, color_scheme=scheme)
    tab = ctx.new_page()
    goto(tab, server, "book/intro.html")
    theme = "document.documentElement.dataset.theme"
    before = tab.evaluate(theme)
    visible_one(tab, ".theme-switch-button").click()
    after = tab.evaluate(theme)
    ctx.close()
    assert before == scheme
    assert after == {"light": "dark", "dark": "light"}[scheme]


def test_intro_first_load_is_light_and_on_host(server: str, browser) -> None:
    """book/intro.html with a cold cache: at most 1.2 MB in all, nothing from another host."""
    ctx = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    tab = ctx.new_page()
    responses, off_host = [], []
    tab.on("response", lambda r: responses.append(r))
    tab.on(
        "request",
        lambda r: urlparse(r.url).hostname != "127.0.0.1" and off_host.append(r.url),
    )
    goto(tab, server, "book/intro.html")
    tab.wait_for_load_state("networkidle")
    sizes = {r.url.rsplit("/", 1)[-1]: len(r.body()) for r in responses if r.status == 200}
    ctx.close()
    total = sum(sizes.values())
    largest = sorted(sizes.items(), key=lambda kv: -kv[1])[:4]
    assert off_host == []
    assert total <= INTRO_BUDGET, f"{total} bytes in {len(sizes)} responses; largest {largest}"
    assert not any(name.startswith("fontawesome.js") for name in sizes)


def test_icons_are_drawn_from_the_web_font(server: str, tabs) -> None:
    """Without FontAwesome's all.js the theme's icons come from fa-solid-900: it must load."""
    tabs[DESKTOP].goto(server, "notebooks/01-resolv-conf-search-lists.html")
    tab = tabs[DESKTOP].page
    tab.evaluate("document.fonts.ready.then(() => true)")
    loaded = tab.evaluate("""() => Array.from(document.fonts)
        .filter(f => f.family.includes('Font Awesome 6 Free') && f.status === 'loaded').length""")
    glyph = tab.evaluate("""() => getComputedStyle(
        document.querySelector('.theme-switch-button i, .primary-toggle span, .primary-toggle i'),
        '::before').content""")
    assert loaded >= 1
    assert glyph not in ("", "none", "normal")


def test_cjk_fallback_is_declared_and_applies(server: str, tabs) -> None:
    """The loaded CSS gives Chinese text CJK fonts: a :lang(zh) rule and the base font stack,
    and every Han character in chapter 07 (title, glossary table) sits in that stack."""
    tabs[DESKTOP].goto(server, "notebooks/07-ceph-pg-states.html")
    tab = tabs[DESKTOP].page
    lang_rules = tab.evaluate("""() => {
        const out = [];
        for (const sheet of document.styleSheets) {
          let rules; try { rules = sheet.cssRules; } catch (e) { continue; }
          for (const r of rules) if (r.selectorText && r.selectorText.includes(':lang(zh)'))
            out.push(r.style.fontFamily);
        }
        return out; }""")
    assert any(all(f in fam for f in CJK_FAMILIES) for fam in lang_rules), lang_rules
    stacks = tab.evaluate(r"""() => {
        const art = document.querySelector('article.bd-article');
        const walk = document.createTreeWalker(art, NodeFilter.SHOW_TEXT);
        const out = new Set();
        while (walk.nextNode()) if (/[\u4e00-\u9fff]/.test(walk.currentNode.data))
          out.add(getComputedStyle(walk.currentNode.parentElement).fontFamily);
        return Array.from(out); }""")
    assert stacks, "chapter 07 has no Chinese text to check"
    assert all(CJK_FAMILIES[0] in s for s in stacks), stacks


def test_search_finds_a_word_from_the_notebook(server: str, browser) -> None:
    ctx = browser.new_context()
    tab = ctx.new_page()
    tab.goto(f"{server}/search.html?q=ichenfu", wait_until="load")
    tab.wait_for_selector("#search-results ul.search li", timeout=15000)
    links = tab.locator("#search-results ul.search li a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    ctx.close()
    assert any("01-resolv-conf-search-lists" in (h or "") for h in links)
