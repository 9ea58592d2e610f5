"""Shared fixtures for the site tests: one build, one local server, one Chromium per session.

The site tests live in one module on purpose: `make test` distributes files over workers
(`--dist loadfile`), and two workers building the book into the same `_build` would race.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.labs import lab_skip

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
#: The three widths the book must work at: a phone, a tablet, a laptop.
PHONE, TABLET, DESKTOP = 390, 768, 1280


def watch(tab: Any) -> tuple[list[str], list[str], list[str]]:
    """Record a tab's requests to another host, console and page errors, and failed requests
    (lists the caller reads after the page has loaded)."""
    off_host: list[str] = []
    errors: list[str] = []
    failed: list[str] = []
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
    return off_host, errors, failed


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


#: One id for the whole pytest run, shared by its xdist workers (each has its own session).
RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


@contextmanager
def _locked(name: str) -> Iterator[bool]:
    """Serialise one build step across xdist workers; yields True if this run already did it.

    test_site.py and test_zh_site.py may land on different workers (--dist loadfile), and two
    builds writing the same _build/html would race; the second worker waits, then reuses.
    """
    (ROOT / "_build").mkdir(exist_ok=True)
    stamp = ROOT / "_build" / f".{name}.run"
    with open(ROOT / "_build" / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = stamp.exists() and stamp.read_text() == RUN_ID
        yield done
        if not done:
            stamp.write_text(RUN_ID)


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


@pytest.fixture(scope="session")
def built() -> Path:
    """Build the whole book with warnings as errors (re-reading every page, so none hide)."""
    jb = Path(sys.executable).parent / "jupyter-book"
    with _locked("build-en") as done:
        if not done:
            _run([str(jb), "build", str(ROOT), "--all", "-W", "-n", "--keep-going"])
    return HTML


@pytest.fixture(scope="session")
def built_zh(built: Path) -> Path:
    """The Chinese edition into _build/html/zh, as `make book` builds it (tools/i18n.py)."""
    with _locked("build-zh") as done:
        if not done:
            _run([sys.executable, str(ROOT / "tools" / "i18n.py"), "html"])
    return HTML / "zh"


@pytest.fixture(scope="session")
def server(built: Path) -> Iterator[str]:
    """The built site on an ephemeral loopback port (so off-host requests are easy to spot)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no `playwright install` download)."""
    if not Path(CHROMIUM).exists():
        lab_skip("Debian's chromium is not installed (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@dataclass
class Tab:
    """A reused browser tab and the console errors and page exceptions seen since the last load."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def goto(self, server: str, path: str) -> None:
        """Load a page; the theme binds its handlers on DOMContentLoaded, so "load" is enough."""
        self.errors.clear()
        self.page.goto(f"{server}/{path}", wait_until="load")


@pytest.fixture(scope="session")
def tabs(browser) -> Iterator[dict[int, Tab]]:
    """One reused tab per width. Tests that change stored state (colour mode) open their own."""
    contexts = {
        w: browser.new_context(viewport={"width": w, "height": 800})
        for w in (PHONE, TABLET, DESKTOP)
    }
    out = {}
    for w, ctx in contexts.items():
        tab = Tab(ctx.new_page())
        tab.page.on("console", lambda m, t=tab: m.type == "error" and t.errors.append(m.text))
        tab.page.on("pageerror", lambda e, t=tab: t.errors.append(str(e)))
        out[w] = tab
    yield out
    for ctx in contexts.values():
        ctx.close()
