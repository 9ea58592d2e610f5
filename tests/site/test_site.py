"""The built book: builds with -W, every page renders in Chromium, nothing is fetched off-host."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def toc_pages() -> list[str]:
    """Every file listed in _toc.yml, as the .html path the build writes."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for e in entries:
            if "file" in e:
                files.append(e["file"])
            walk(e.get("sections", []) + e.get("chapters", []))
            for part in e.get("parts", []):
                walk(part.get("chapters", []))

    walk(toc.get("chapters", []))
    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    return [str(Path(f).with_suffix(".html")) for f in files]


@pytest.fixture(scope="module")
def built() -> Path:
    """Build the whole book with warnings as errors (re-reading every page, so none hide)."""
    jb = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run(
        [str(jb), "build", str(ROOT), "--all", "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return HTML


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


def test_every_toc_page_is_built(built: Path) -> None:
    missing = [p for p in toc_pages() if not (built / p).exists()]
    assert not missing


def test_no_remote_urls_in_scripts_or_links(built: Path) -> None:
    """No <script src>, <link href> or <img src> points at another host."""
    import re

    bad = []
    for page in built.rglob("*.html"):
        for m in re.finditer(
            r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//([^"/]+)',
            page.read_text(encoding="utf-8"),
        ):
            bad.append(f"{page.name}: {m.group(2)}")
    assert not bad


@pytest.mark.parametrize("page", toc_pages())
def test_page_renders_offline(server: str, browser, page: str) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = ctx.new_page()
    off_host, errors, failed = [], [], []
    tab.on(
        "request",
        lambda r: (
            urlparse(r.url).hostname not in ("127.0.0.1", None)
            and r.url.startswith("http")
            and off_host.append(r.url)
        ),
    )
    tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("requestfailed", lambda r: failed.append(r.url))
    tab.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    tab.goto(f"{server}/{page}", wait_until="load")
    tab.wait_for_load_state("networkidle")
    title = tab.locator("article h1").first.inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(
        path=str(SHOTS / (page.replace("/", "_").removesuffix(".html") + ".png")), full_page=True
    )
    ctx.close()
    assert title.strip()
    assert off_host == [] and errors == [] and failed == []


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
