"""The "Try it on your own input" panels: the CLI in the browser (Pyodide) agrees with the CLI.

For each panel, 20 inputs (bad ones among them) are typed into the panel's form in Chromium;
the test checks the argv the panel passed to ``infranotes.run`` and that its result (exit
status, stderr, the ``--json`` document) is exactly what ``infranotes.cli.main`` gives here on
the same argv and files. Also: nothing is requested from another host, nothing of Pyodide is
fetched before a panel opens, a panel is ready in under 10 s, and the page's first load grows
by at most 30 KB. On the Chinese edition (_build/html/zh/, the site tests' build) the panels
speak Chinese around the same data. Chromium is the site tests' (tests/site/conftest.py).
Timings and sizes are written to ``_build/tryit-site/tryit-figures.json``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from infranotes.cli import main

from .conftest import PHONE, SHOTS, watch

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[2]
# Its own output directory: the site tests may build into _build/html at the same time.
OUT = ROOT / "_build" / "tryit-site"
HTML = OUT / "_build" / "html"
FIGURES = OUT / "tryit-figures.json"
ZONES = Path("/usr/share/zoneinfo")
RECORDED = ROOT / "src" / "infranotes" / "ceph" / "recorded"
NETFILTER = ROOT / "tests" / "data" / "netfilter"
# A panel is ready in under 10 s here: the fastest of the six first opens (each in a fresh
# browser context, so nothing is cached) must be; on a machine shared with other builds one
# open can take longer, so each alone only has to finish within HANG_LIMIT_S.
LOAD_LIMIT_S = 10.0
HANG_LIMIT_S = 30.0
GROWTH_LIMIT = 30 * 1024
PANEL_JS = "(p => document.querySelector(`.infranotes-tryit[data-panel=${p}]`))"

# --- what the CLI answers here -----------------------------------------------------------


def cli(argv: list[str], files: dict[str, bytes]) -> dict[str, Any]:
    """``infranotes.cli.main(argv)`` in a directory holding ``files``, as the page runs it."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / name).write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        with (
            contextlib.chdir(tmp),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            code = main(list(argv))
    return {"exit_code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}


def same(got: dict[str, Any], want: dict[str, Any]) -> None:
    """Equal exit status and stderr; equal JSON documents (or both print nothing)."""
    assert got["exit_code"] == want["exit_code"], (got, want)
    assert got["stderr"] == want["stderr"], (got, want)
    assert parse(got["stdout"]) == parse(want["stdout"]), (got, want)


def parse(stdout: str) -> Any:
    """The JSON document printed, or None when nothing was."""
    return json.loads(stdout) if stdout.strip() else None


# --- the panels: 20 inputs each, and the argv each input must give -------------------------

J = ["--json"]
RESOLV = "search default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n"
DNS_CASES = [
    {"conf": RESOLV, "name": n}
    for n in (
        "web",
        "web.default",
        "api.example.com",
        "api.example.com.",
        "a.b.c.d.e.f",
        "",
        "bad name",
        "x" * 64,
        "-lead.example",
        "localhost",
    )
] + [
    {"conf": c, "name": "kubernetes.default"}
    for c in (
        "",
        "search a b c d e f g h\n",
        "domain corp.example\n",
        "search corp.example\nsearch other.example\noptions ndots:1 attempts:9\n",
        "options ndots:x\n",
        "options ndots:99\nsearch " + " ".join(f"d{i}.example" for i in range(40)) + "\n",
        "nameserver 10.0.0.1\nsearch .\n",
        "search " + "a" * 250 + ".example\n",
        "search example.com\x00\n",
        "options rotate edns0 trust-ad ndots:2\nsearch svc.cluster.local\n",
    )
]


def dns_jobs(v: dict[str, Any]) -> list[tuple[list[str], dict[str, bytes]]]:
    files = {"resolv.conf": v["conf"].encode()}
    return [
        (["dns", "search", "--resolv-conf", "resolv.conf", "--libc", libc, v["name"], *J], files)
        for libc in ("glibc", "musl")
    ]


CJ = """apiVersion: batch/v1
kind: CronJob
metadata: {{name: report, creationTimestamp: "2026-01-01T00:00:00Z"}}
spec:
  schedule: "{schedule}"
{extra}  jobTemplate:
    spec: {{template: {{spec: {{restartPolicy: Never, containers: [{{name: a, image: b}}]}}}}}}
"""
CRON_BASE = {
    "spec": "0 0 13 * 5",
    "tz": "Europe/Berlin",
    "from": "2026-01-01T00:00:00Z",
    "n": "5",
    "cronjob": "",
    "now": "2026-01-02T00:00:00Z",
}
CRON_CASES = [
    {**CRON_BASE, **change}
    for change in (
        {},
        {"spec": "*/15 9-17 * * 1-5", "tz": "America/New_York", "n": "8"},
        {"spec": "@every 90m", "tz": "UTC"},
        {"spec": "@hourly", "tz": "Asia/Tokyo", "from": "2026-03-29T00:30:00Z"},
        {"spec": "30 2 * * *", "tz": "Europe/Berlin", "from": "2026-03-28T00:00:00Z", "n": "3"},
        {"spec": "0 0 30 2 *"},
        {"spec": "0 0 * * 7"},
        {"spec": "61 * * * *"},
        {"spec": ""},
        {"spec": "TZ=Asia/Tokyo 0 9 * * *"},
        {"tz": "Mars/Olympus_Mons"},
        {"from": "yesterday"},
        {"n": "0"},
        {"n": "abc"},
        {"spec": "0 12 * JAN,JUL MON", "tz": "Australia/Lord_Howe", "n": "4"},
        {"cronjob": CJ.format(schedule="*/5 * * * *", extra="")},
        {
            "cronjob": CJ.format(schedule="0 * * * *", extra="  suspend: true\n"),
            "now": "2026-01-01T05:00:00Z",
        },
        {"cronjob": CJ.format(schedule="0 0 * * 7", extra="")},
        {"cronjob": "kind: CronJob\nspec: [unclosed\n"},
        {
            "cronjob": CJ.format(
                schedule="0 9 * * *",
                extra="  timeZone: Europe/Paris\n  startingDeadlineSeconds: 10\n",
            ),
            "now": "2026-01-03T08:00:05Z",
        },
    )
]


def cron_jobs(v: dict[str, Any]) -> list[tuple[list[str], dict[str, bytes]]]:
    jobs = [
        (["cron", "next", v["spec"], "--tz", v["tz"], "--from", v["from"], "-n", v["n"], *J], {})
    ]
    if v["cronjob"].strip():
        jobs.append(
            (
                ["cron", "explain", "--cronjob", "cronjob.yaml", "--now", v["now"], *J],
                {"cronjob.yaml": v["cronjob"].encode()},
            )
        )
    return jobs


def zone(name: str) -> bytes:
    return (ZONES / name).read_bytes()


TZ_BASE = {"tz": "CET-1CEST,M3.5.0,M10.5.0/3", "file": None, "at": "2026-07-01T12:00:00Z"}
TZ_CASES = [
    {**TZ_BASE, **change}
    for change in (
        {},
        {"at": "2026-01-15T12:00:00Z"},
        {"tz": "EST5EDT,M3.2.0,M11.1.0", "at": "2026-03-08T07:30:00Z"},
        {"tz": "<+0330>-3:30"},
        {"tz": "UTC0"},
        {"tz": "Europe/Berlin"},
        {"tz": ":Asia/Tokyo"},
        {"tz": "garbage"},
        {"tz": "AB-1"},
        {"tz": "AEST-10AEDT,M10.1.0,M4.1.0/3", "at": "2026-04-05T15:59:59Z"},
        {"tz": ""},
        {"at": "not a time"},
        {"file": lambda: zone("Europe/Berlin")},
        {"file": lambda: zone("America/New_York"), "at": "2026-11-01T06:30:00Z"},
        {"file": lambda: zone("Asia/Kolkata")},
        {"file": lambda: zone("Australia/Lord_Howe")},
        {"file": lambda: zone("UTC")},
        {"file": lambda: b"not a TZif file at all"},
        {"file": lambda: zone("Europe/Berlin")[:60]},
        {"file": lambda: zone("Pacific/Apia"), "at": "2011-12-30T12:00:00Z"},
    )
]


def tz_jobs(v: dict[str, Any]) -> list[tuple[list[str], dict[str, bytes]]]:
    data = v["file"]() if v["file"] else None
    files = {"etc/localtime": data} if data is not None else {}
    env = [] if data is not None else ["--env", "TZ=" + v["tz"]]
    jobs = [(["tz", "inspect", "etc/localtime", *J], files)] if data is not None else []
    return jobs + [
        (["tz", "doctor", "--root", ".", *env, "--libc", libc, "--at", v["at"], *J], files)
        for libc in ("glibc", "musl")
    ]


MINI = (
    "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
    "-A FORWARD -p tcp -m tcp --dport 80 -j ACCEPT\nCOMMIT\n"
)
KP = (NETFILTER / "kube-proxy-sample.rules").read_text()
DNS3 = (NETFILTER / "dns-3-endpoints-udp.rules").read_text()
IPT_CASES = [
    {"rules": r, "packet": p}
    for r, p in (
        (MINI, "tcp 10.244.0.5:40000 > 10.244.0.9:80 iif cni0"),
        (MINI, "tcp 10.244.0.5:40000 > 10.244.0.9:22 iif cni0"),
        (MINI, "udp 10.244.0.5:40000 > 10.244.0.9:80 iif cni0"),
        (MINI, "tcp 10.0.0.5:1 > 192.168.1.10:22 iif eth0"),
        (MINI, "tcp 192.168.1.10:5000 > 1.1.1.1:443 local"),
        (KP, "tcp 10.0.0.5:1 > 10.96.0.10:80 iif eth0"),
        (KP, "tcp 10.0.0.5:40000 > 10.244.1.2:80 iif eth0"),
        (KP, "tcp 10.244.0.7:1234 > 10.96.0.10:80 iif cni0"),
        (KP, "icmp 10.0.0.5 > 10.244.1.2 iif eth0"),
        (KP, "tcp 10.0.0.5:1 > 10.96.9.7:80 iif eth0"),
        (DNS3, "udp 10.244.0.7:5353 > 10.96.0.10:53 iif cni0"),
        (DNS3, "tcp 10.244.0.7:5353 > 10.96.0.10:53 iif cni0"),
        (DNS3, "udp 10.244.0.7:5353 > 10.96.0.10:53 iif cni0 state ESTABLISHED"),
        (MINI, "tcp 1.2.3.999:1 > 1.2.3.4:5"),
        (MINI, "tcp 1.2.3.4:1 > 1.2.3.5:99999"),
        (MINI, "tcp 1.2.3.4:1 > 1.2.3.5:2 color red"),
        (MINI, ""),
        ("not a ruleset\n", "tcp 1.1.1.1:1 > 2.2.2.2:2 iif eth0"),
        ("*filter\n-A NOWHERE -j ACCEPT\nCOMMIT\n", "tcp 1.1.1.1:1 > 2.2.2.2:2 iif eth0"),
        ("", "tcp 1.1.1.1:1 > 2.2.2.2:2 iif eth0"),
    )
]


def ipt_jobs(v: dict[str, Any]) -> list[tuple[list[str], dict[str, bytes]]]:
    return [
        (
            ["iptables", "trace", "--rules", "rules.txt", "--packet", v["packet"], *J],
            {"rules.txt": v["rules"].encode()},
        )
    ]


STAGES = (
    "01a_creating",
    "04a_osd_down_stale",
    "05_osd_down_undersized_degraded",
    "06_degraded_after_writes",
    "07a_restart_peering",
    "07b_recovery_wait",
    "07c_recovering",
    "09a_deep_scrubbing",
    "10a_repairing",
)


def recorded(stage: str, key: str) -> str:
    """One document of a recorded stage of the Ceph lab, as ``ceph ... -f json`` printed it."""
    return json.dumps(json.loads((RECORDED / f"{stage}.json").read_text())[key])


CEPH_CASES = (
    [{"json": recorded(s, "ceph_s")} for s in STAGES]
    + [{"json": recorded(s, "health_detail")} for s in STAGES[1:6]]
    + [
        {"json": (RECORDED / f).read_text()}
        for f in ("cli_check_ceph_s.json", "cli_check_health_detail.json")
    ]
    + [{"json": t} for t in ("", "not json", "[]", '{"health": {"status": "HEALTH_WARN"}}')]
)


def ceph_jobs(v: dict[str, Any]) -> list[tuple[list[str], dict[str, bytes]]]:
    return [(["ceph", "explain", "ceph.json", *J], {"ceph.json": v["json"].encode()})]


REL_BASE = {"p": "0.01", "fanout": "100", "a": "0.999", "mttf": "30", "count": "10000"}
REL_CASES = [
    {**REL_BASE, **change}
    for change in (
        {},
        {"p": "0.001", "fanout": "1000", "a": "0.99999"},
        {"p": "0", "fanout": "1", "a": "1", "mttf": "1", "count": "1"},
        {"p": "1", "fanout": "1000000000", "a": "0"},
        # 3.125 % is an exact rounding tie at two places: Python prints 3.12 (JS toFixed: 3.13)
        {"p": "0.03125", "fanout": "1", "a": "0.9", "mttf": "0.5", "count": "3"},
        {"p": "1e-9", "fanout": "7", "a": "0.9999999999"},
        {"p": "1.5"},
        {"p": "-0.1"},
        {"p": "abc"},
        {"p": "nan"},
        {"fanout": "0"},
        {"fanout": "2.5"},
        {"fanout": "10000000000"},
        {"a": "inf"},
        {"a": "99.9"},
        {"mttf": "0"},
        {"mttf": "1e10"},
        {"count": "-5"},
        {"count": ""},
        {"p": "0.02", "fanout": "60", "a": "0.995", "mttf": "4", "count": "2500"},
    )
]


def rel_jobs(v: dict[str, Any]) -> list[tuple[list[str], dict[str, bytes]]]:
    return [
        (["reliability", "tail", "--p-slow", v["p"], "--fanout", v["fanout"]], {}),
        (["reliability", "nines", "--availability", v["a"]], {}),
        (["reliability", "fleet", "--mttf-years", v["mttf"], "--count", v["count"]], {}),
    ]


PANELS = {
    "dns-search": (DNS_CASES, dns_jobs),
    "cron": (CRON_CASES, cron_jobs),
    "tz": (TZ_CASES, tz_jobs),
    "iptables": (IPT_CASES, ipt_jobs),
    "ceph": (CEPH_CASES, ceph_jobs),
    "reliability": (REL_CASES, rel_jobs),
}

# --- the site, served; the browser ----------------------------------------------------------


@pytest.fixture(scope="module")
def site() -> Path:
    """The book built into its own directory (the page scripts, Pyodide, the wheels)."""
    jb = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run(
        [
            str(jb),
            "build",
            str(ROOT),
            "--path-output",
            str(OUT),
            "--all",
            "-W",
            "-n",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return HTML


@pytest.fixture(scope="module")
def tryit_server(site: Path) -> Iterator[str]:
    """This build on an ephemeral loopback port (the site tests' `server` serves _build/html)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def figures() -> Iterator[dict[str, Any]]:
    found: dict[str, Any] = {}
    yield found
    FIGURES.write_text(json.dumps(found, indent=1) + "\n")


def panel_page(site: Path, panel: str) -> str:
    """The chapter whose page holds the panel."""
    pages = [
        p
        for p in sorted(site.glob("notebooks/*.html"))
        if f'data-panel="{panel}"' in p.read_text(encoding="utf-8")
    ]
    assert len(pages) == 1, f"panel {panel!r} is on {len(pages)} pages (run pending/nb21_panels.py)"
    return str(pages[0].relative_to(site))


def submit_and_compare(tab: Any, panel: str, jobs_of: Any, case: dict[str, Any], n: int) -> float:
    """Type ``case`` into the panel's form, run it (the panel's ``n``-th run) and check that
    every job's argv and result are the CLI's; return the seconds from click to result."""
    el = tab.locator(f'.infranotes-tryit[data-panel="{panel}"]')
    want_jobs = jobs_of(case)
    for name, value in case.items():
        field = el.locator(f"form [name={name}]")
        if name == "file":
            data = value() if value else None
            field.set_input_files(
                [{"name": "localtime", "mimeType": "application/octet-stream", "buffer": data}]
                if data is not None
                else []
            )
        else:
            field.fill(value)
    t1 = time.monotonic()
    el.locator("form button[type=submit]").click()
    tab.wait_for_function(f"{PANEL_JS}('{panel}').dataset.runs === '{n}'", timeout=30_000)
    took = time.monotonic() - t1
    got = el.evaluate(
        "e => e.tryitLast.map(r => ({argv: r.argv, files: r.files, result: r.result}))"
    )
    assert [g["argv"] for g in got] == [argv for argv, _ in want_jobs], case
    for g, (argv, files) in zip(got, want_jobs, strict=True):
        assert sorted(g["files"]) == sorted(files)
        if "--json" in argv:
            same(g["result"], cli(argv, files))
        else:  # a verb's text answer: exactly what the CLI prints
            assert g["result"] == cli(argv, files), case
    # and the page shows that text as printed (the sentence, or the one-line error)
    for shown, (argv, files) in zip(sentences(el), want_jobs, strict=True):
        if "--json" not in argv:
            assert shown == plain(argv, files), case
    return took


def sentences(el: Any) -> list[str | None]:
    """The first paragraph of each result: the panel's sentence, or the error it shows
    (``None`` for a result rendered from JSON that opens with something else, e.g. a table)."""
    return el.evaluate(
        "e => [...e.querySelectorAll('.tryit-out > section')]"
        ".map(s => s.querySelector(':scope > p')?.textContent ?? null)"
    )


def plain(argv: list[str], files: dict[str, bytes]) -> str:
    """What the CLI prints for ``argv`` (a verb run without ``--json``): its answer, or its
    one-line error."""
    r = cli(argv, files)
    return (r["stdout"] if r["exit_code"] == 0 else r["stderr"]).strip()


def test_only_panel_pages_load_the_script(site: Path) -> None:
    with_script = {
        str(p.relative_to(site))
        for p in site.rglob("*.html")
        if "tryit/tryit.js" in p.read_text(encoding="utf-8")
    }
    assert with_script == {panel_page(site, name) for name in PANELS}


@pytest.mark.parametrize("panel", list(PANELS))
def test_panel_agrees_with_the_cli(
    tryit_server: str, site: Path, browser, figures: dict, panel: str
) -> None:
    cases, jobs_of = PANELS[panel]
    assert len(cases) == 20
    ctx = browser.new_context()
    tab = ctx.new_page()
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    page = panel_page(site, panel)
    tab.goto(f"{tryit_server}/{page}", wait_until="load")

    # The page's first load: what the panel adds is its script, its style and its markup.
    first = tab.evaluate(
        "performance.getEntriesByType('resource').map(e => [e.name, e.encodedBodySize])"
    )
    assert not [u for u, _ in first if "/tryit/pyodide/" in u or "/tryit/wheels/" in u]
    html = (site / page).read_text(encoding="utf-8")
    start = html.index('<div class="infranotes-tryit"')
    markup = len(html[start : html.index("</div>", start) + 6].encode())
    added = sum(n for u, n in first if "/_static/tryit/" in u) + markup
    assert added <= GROWTH_LIMIT

    # Open the panel: Python loads, with a progress bar, and says how long it took.
    el = tab.locator(f'.infranotes-tryit[data-panel="{panel}"]')
    t0 = time.monotonic()
    el.locator("summary").first.click()
    tab.wait_for_function(
        f"{PANEL_JS}('{panel}').dataset.state === 'ready'",
        timeout=60_000,
    )
    open_s = time.monotonic() - t0
    loaded = tab.evaluate(
        "performance.getEntriesByType('resource')"
        ".filter(e => /[/]_static[/]tryit[/](pyodide|wheels|manifest|runner)/.test(e.name))"
        ".reduce((a, e) => a + e.encodedBodySize, 0)"
    )
    assert "ready in" in el.locator(".tryit-status").inner_text()
    assert open_s < HANG_LIMIT_S  # each open; the 10 s figure is checked over all six below

    # 20 inputs through the form; each run is what the CLI gives here.
    first_result_s = None
    for n, case in enumerate(cases, 1):
        took = submit_and_compare(tab, panel, jobs_of, case, n)
        if first_result_s is None:
            first_result_s = took
    hosts = {urlparse(u).hostname for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}
    assert not errors
    figures[panel] = {
        "page": page,
        "open_s": round(open_s, 2),
        "bytes_on_open": loaded,
        "first_result_s": round(first_result_s or 0, 3),
        "first_load_added_bytes": added,
    }
    ctx.close()


def test_a_panel_opens_in_under_10_s(figures: dict) -> None:
    """Run after the six panels (pytest keeps file order): their first-open times."""
    opens = [f["open_s"] for name, f in figures.items() if name in PANELS]
    if len(opens) < len(PANELS):
        pytest.skip("needs every panel test to have run")
    assert min(opens) < LOAD_LIMIT_S, opens


def test_run_is_the_one_way_in(tryit_server: str, site: Path, browser) -> None:
    """``infranotes.run`` from the console: files as text or bytes, bad names refused."""
    ctx = browser.new_context()
    tab = ctx.new_page()
    tab.goto(f"{tryit_server}/{panel_page(site, 'reliability')}", wait_until="load")
    got = tab.evaluate(
        """async () => [
          await infranotes.run(["ceph", "explain", "c.json", "--json"],
                               {"c.json": new TextEncoder().encode("{}")}),
          await infranotes.run(["reliability", "nines", "--availability", "0.99", "--json"], {}),
          await infranotes.run(["dns", "search", "--resolv-conf", "missing", "x", "--json"], {}),
          await infranotes.run(["nope"], {}),
          await infranotes.run(["ceph", "explain", "x"], {"../x": "{}"})
            .then(() => "accepted", e => e.message),
        ]"""
    )
    same(got[0], cli(["ceph", "explain", "c.json", "--json"], {"c.json": b"{}"}))
    same(got[1], cli(["reliability", "nines", "--availability", "0.99", "--json"], {}))
    same(got[2], cli(["dns", "search", "--resolv-conf", "missing", "x", "--json"], {}))
    assert got[3]["exit_code"] == 2 and got[3]["stderr"].startswith("infranotes:")
    assert "not a relative file name" in got[4]
    ctx.close()


def test_data_scripts_hold_the_files(site: Path) -> None:
    """Each file a file:// page reads from _static/tryit/data/ is byte for byte the served one."""
    import base64
    import gzip
    import re

    tryit = site / "_static" / "tryit"
    wheels = {f"wheels/{p.name}" for p in (tryit / "wheels").glob("*.whl")}
    rels = {"manifest.json", "runner.py", "pyodide/pyodide-lock.json"} | wheels
    rels |= {"pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip"}
    found = {
        str(p.relative_to(tryit / "data"))[: -len(".js")] for p in (tryit / "data").rglob("*.js")
    }
    assert found == rels
    shape = re.compile(
        r'\(window\.__infranotesTryitData \|\|= \{\}\)\[("[^"]+")\] = '
        r'\{gzip: (true|false), b64: "([A-Za-z0-9+/=]*)"\};\n'
    )
    for rel in rels:
        m = shape.fullmatch((tryit / "data" / f"{rel}.js").read_text())
        assert m and json.loads(m[1]) == rel, rel
        data = base64.b64decode(m[3], validate=True)
        assert (gzip.decompress(data) if m[2] == "true" else data) == (tryit / rel).read_bytes()


def test_panel_works_from_a_file(site: Path, browser, figures: dict) -> None:
    """The built site opened from file:// in a Chromium without special flags.

    Chromium refuses fetch() of file:// URLs but loads scripts: the panel reads Pyodide's
    files and the wheels from their data scripts (_static/tryit/data/), only once a panel
    is opened. Three inputs (one the API server rejects) agree with the CLI, and every
    request stays on the disk: no http(s) at all.
    """
    ctx = browser.new_context()
    tab = ctx.new_page()
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto((site / panel_page(site, "cron")).as_uri(), wait_until="load")
    assert not [u for u in requests if "/tryit/data/" in u or "/tryit/pyodide/" in u]

    el = tab.locator('.infranotes-tryit[data-panel="cron"]')
    t0 = time.monotonic()
    el.locator("summary").first.click()
    tab.wait_for_function(  # ready, or the one-line reason it is not
        f"(e => e.dataset.state === 'ready' || /^could not/.test("
        f"e.querySelector('.tryit-status').textContent))({PANEL_JS}('cron'))",
        timeout=60_000,
    )
    open_s = time.monotonic() - t0
    status = el.locator(".tryit-status").inner_text()
    assert el.evaluate("e => e.dataset.state") == "ready", status
    assert open_s < HANG_LIMIT_S

    cases = [CRON_CASES[0], CRON_CASES[6], CRON_CASES[15]]  # next runs; "7" refused; YAML
    took = [submit_and_compare(tab, "cron", cron_jobs, case, n) for n, case in enumerate(cases, 1)]

    assert requests and all(u.startswith(("file:", "data:", "blob:")) for u in requests), {
        u for u in requests if not u.startswith(("file:", "data:", "blob:"))
    }
    assert not errors
    tryit = [Path(urlparse(u).path) for u in requests if "/_static/tryit/" in u]
    on_open = sum(p.stat().st_size for p in set(tryit) if p.name not in ("tryit.js", "tryit.css"))
    figures["from_file"] = {
        "page": panel_page(site, "cron"),
        "open_s": round(open_s, 2),
        "bytes_on_open": on_open,
        "first_result_s": round(took[0], 3),
    }
    ctx.close()


# --- the Chinese edition ---------------------------------------------------------------------

#: Labels that are a file, field or command name, kept as printed on both editions.
KEPT_LABELS = {"resolv.conf", "spec.schedule", "spec.timeZone", "iptables-save"}
ZH_INPUTS = {
    # A `ceph health detail -f json` recorded by the lab: noout set, osd.2 stopped.
    "ceph": {"json": recorded("health_05_noout_osd_2_stopped", "health_detail")},
    "cron": CRON_CASES[15],  # next runs, and the controller's decision on a CronJob YAML
    "reliability": {**REL_BASE, "p": "0.03125", "fanout": "1"},  # 3.125 %: prints 3.12
}


def has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def run_panel(tab: Any, panel: str, case: dict[str, Any]) -> dict[str, Any]:
    """Open the panel, run ``case`` once; what it passed and got, and what it shows."""
    el = tab.locator(f'.infranotes-tryit[data-panel="{panel}"]')
    el.locator("summary").first.click()
    tab.wait_for_function(f"{PANEL_JS}('{panel}').dataset.state === 'ready'", timeout=60_000)
    status = el.locator(".tryit-status").inner_text()
    for name, value in case.items():
        el.locator(f"form [name={name}]").fill(value)
    el.locator("form button[type=submit]").click()
    tab.wait_for_function(f"{PANEL_JS}('{panel}').dataset.runs === '1'", timeout=30_000)
    shown = el.evaluate(
        """e => {
          const out = e.querySelector('.tryit-out');
          const texts = (sel) => [...out.querySelectorAll(sel)].map(n => n.textContent);
          return {
            titles: [...out.querySelectorAll('h4')].map(h => h.firstChild.textContent.trim()),
            prose: texts(':scope > section > p'), bold: texts('p > b'), items: texts('li'),
            jobs: e.tryitLast.map(r => ({argv: r.argv, files: r.files, result: r.result})),
          }; }"""
    )
    return {"status": status, **shown}


def test_zh_panels_speak_chinese(server: str, built_zh: Path, browser) -> None:
    """On the Chinese edition every panel's summary, labels, button and status are Chinese;
    the ceph, cron and reliability panels run on a phone and show Chinese prose around the
    English page's data: the same states, times, events and numbers (ceph and cron explain
    pass --lang zh; ceph shows meaning_zh only; reliability runs its verbs with --lang zh
    and shows their sentences as printed). Nothing from another host, and nothing wider
    than 390 px."""
    ctx = browser.new_context(viewport={"width": PHONE, "height": 800})
    tab = ctx.new_page()
    off_host, errors, failed = watch(tab)
    for panel in PANELS:
        tab.goto(f"{server}/zh/{panel_page(built_zh, panel)}", wait_until="load")
        assert tab.evaluate("document.documentElement.lang") == "zh-CN"
        el = tab.locator(f'.infranotes-tryit[data-panel="{panel}"]')
        assert el.locator("summary").first.inner_text() == "用你自己的输入试试"
        assert el.locator("button").text_content() == "运行"  # in the closed panel
        assert el.locator(".tryit-status").text_content() == "打开此面板时才加载 Python。"
        labels = el.locator("label").evaluate_all("ls => ls.map(l => l.firstChild.textContent)")
        assert labels and all(lb in KEPT_LABELS or has_han(lb) for lb in labels), labels

    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for panel, case in ZH_INPUTS.items():
        page = panel_page(built_zh, panel)
        for edition, prefix in (("zh", "/zh"), ("en", "")):
            tab.goto(f"{server}{prefix}/{page}", wait_until="load")
            seen[panel, edition] = run_panel(tab, panel, case)
            assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE, (panel, edition)
            if edition == "zh":
                SHOTS.mkdir(parents=True, exist_ok=True)
                tab.locator(f'.infranotes-tryit[data-panel="{panel}"]').screenshot(
                    path=str(SHOTS / f"tryit-zh-{panel}-{PHONE}.png")
                )
    ctx.close()
    assert (off_host, errors, failed) == ([], [], [])

    zh, en = seen["ceph", "zh"], seen["ceph", "en"]
    assert zh["status"].startswith("已就绪，用时") and en["status"].startswith("ready in")
    argv = ["ceph", "explain", "ceph.json", "--lang", "zh", *J]
    assert [j["argv"] for j in zh["jobs"]] == [argv]
    assert [j["argv"] for j in en["jobs"]] == [["ceph", "explain", "ceph.json", *J]]
    same(zh["jobs"][0]["result"], cli(argv, {"ceph.json": ZH_INPUTS["ceph"]["json"].encode()}))
    doc = json.loads(zh["jobs"][0]["result"]["stdout"])
    assert doc["explanations"], doc
    assert zh["titles"] == ["解释"]
    # The same health and states as the English page; each state's meaning in Chinese only.
    assert zh["bold"] == en["bold"] == [e["state"] for e in doc["explanations"]]
    assert zh["prose"][0] == en["prose"][0] == doc["health"]
    assert zh["prose"][1:] == [f"{e['state']}：{e['meaning_zh']}" for e in doc["explanations"]]
    assert not any(e["meaning_en"] in p for e in doc["explanations"] for p in zh["prose"])

    zh, en = seen["cron", "zh"], seen["cron", "en"]
    # cron next has no prose; cron explain gets --lang zh on the Chinese page
    en_argv = [j["argv"] for j in en["jobs"]]
    assert [j["argv"] for j in zh["jobs"]] == [en_argv[0], [*en_argv[1][:-1], "--lang", "zh", *J]]
    same(zh["jobs"][0]["result"], en["jobs"][0]["result"])
    zh_doc, en_doc = (json.loads(x["jobs"][1]["result"]["stdout"]) for x in (zh, en))
    assert zh_doc["action"] == en_doc["action"] and zh_doc["events"] == en_doc["events"]
    assert has_han(zh_doc["reason"]) and not has_han(en_doc["reason"])
    assert zh["titles"] == ["接下来的运行时间", "控制器"]
    assert zh["items"] == en["items"] and zh["bold"] == en["bold"]  # the runs; the action
    events = json.loads(zh["jobs"][1]["result"]["stdout"])["events"]
    assert events and [p for p in zh["prose"] if p.startswith("事件：")] == [
        f"事件：{e}" for e in events
    ]
    assert [p for p in en["prose"] if p.startswith("event: ")] == [f"event: {e}" for e in events]

    zh, en = seen["reliability", "zh"], seen["reliability", "en"]
    # the same verbs with --lang zh; the page shows each sentence as the CLI prints it
    assert [j["argv"] for j in zh["jobs"]] == [[*j["argv"], "--lang", "zh"] for j in en["jobs"]]
    assert zh["titles"] == ["尾延迟", "可用性“九”的个数", "机群"]
    assert en["prose"] == [plain(j["argv"], {}) for j in en["jobs"]]
    assert zh["prose"] == [plain(j["argv"], {}) for j in zh["jobs"]]
    assert zh["prose"][0] == "3.12% 的请求至少要等待一个慢后端"
