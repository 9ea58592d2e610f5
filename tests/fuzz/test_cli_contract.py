"""The CLI contract on hostile input: exit 2 and one line on stderr, in bounded time and memory.

Every file-taking verb gets the same hostile inputs (empty, random bytes, a directory, a
missing or unreadable path, invalid UTF-8, /dev/zero, 200,000-deep JSON and YAML, a YAML
alias bomb, JSON of the wrong types); the other verbs get absurd numbers, bad ports and
bad addresses. The verbs run in-process in a child with a 1 GiB address-space limit and a
10 s alarm per case (``cli_driver.py``). None may reach the last-resort handler (exit 3).
The second half runs every verb with ``--json`` on good input and parses its output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infranotes.cli import main

DRIVER = Path(__file__).with_name("cli_driver.py")
DATA = Path(__file__).resolve().parents[1] / "data"
RECORDED = Path(__file__).resolve().parents[2] / "src" / "infranotes" / "ceph" / "recorded"
SECRET = "S3cr3tPW"

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)
WRONG_TYPES = json.dumps(
    {
        "kind": 5,
        "items": "x",
        "metadata": [1],
        "spec": {"schedule": 7, "jobTemplate": None},
        "pgmap": "x",
        "health": 3,
        "plugins": 3,
        "type": [],
        "cniVersion": 1.0,
        "name": {},
        "searches": 4,
        "options": "x",
    }
)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    d = tmp_path_factory.mktemp("hostile")
    (d / "empty").write_bytes(b"")
    (d / "random").write_bytes(bytes(range(256)) * 16)
    (d / "dir").mkdir()
    (d / "badutf8").write_bytes(b"nameserver 1.2.3.4\n\xff\xfe search a\x80\n{\x80}")
    (d / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
    (d / "deep.yaml").write_text("a:\n" + "- " * 200_000 + "x\n")
    (d / "alias.yaml").write_text(ALIAS_BOMB)
    (d / "types.json").write_text(WRONG_TYPES)
    return {
        "empty": str(d / "empty"),
        "random": str(d / "random"),
        "directory": str(d / "dir"),
        "missing": str(d / "missing"),
        "unreadable": "/etc/hostname/not-a-directory",
        "invalid-utf8": str(d / "badutf8"),
        "dev-zero": "/dev/zero",
        "deep-json": str(d / "deep.json"),
        "deep-yaml": str(d / "deep.yaml"),
        "alias-bomb": str(d / "alias.yaml"),
        "wrong-types": str(d / "types.json"),
    }


PACKET = "tcp 10.0.0.5:40000 > 10.96.0.10:53 iif eth0"
# Each file-taking verb with {F} where the hostile file goes. Inputs a verb legitimately
# accepts (an empty resolv.conf is a valid, empty configuration) may exit 0 or 1.
FILE_VERBS: dict[str, list[str]] = {
    "dns-search": ["dns", "search", "--resolv-conf", "{F}", "a.example"],
    "dns-dnsconfig": ["dns", "pod-resolv-conf", "--cluster-domain", "c.l", "--namespace", "n",
                      "--dns-config", "{F}"],
    "dns-node-resolv": ["dns", "pod-resolv-conf", "--cluster-domain", "c.l", "--namespace", "n",
                        "--node-resolv-conf", "{F}"],
    "dns-records": ["dns", "records", "--cluster-domain", "c.l", "{F}"],
    "dns-serve": ["dns", "serve", "--zone", "{F}", "--port", "0", "--address", "127.0.0.999"],
    "iptables-trace": ["iptables", "trace", "--rules", "{F}", "--packet", PACKET],
    "nft-trace": ["nft", "trace", "--ruleset", "{F}", "--packet", PACKET],
    "iptables-ipset": ["iptables", "trace", "--rules", "/dev/null", "--packet", PACKET,
                       "--ipset", "KUBE=/{F}"],
    "tz-inspect": ["tz", "inspect", "{F}"],
    "tz-doctor": ["tz", "doctor", "--root", "{F}", "--at", "2024-01-01T00:00:00Z"],
    "cron-explain": ["cron", "explain", "--cronjob", "{F}", "--now", "2024-05-01T00:00:00Z"],
    "cni-add": ["cni", "add", "--conf", "{F}", "--netns", "x", "--cache-dir", "{F}.cache"],
    "cni-check": ["cni", "check", "--conf", "{F}", "--netns", "x", "--cache-dir", "{F}.cache"],
    "ceph-explain": ["ceph", "explain", "{F}"],
    "http-cafile": ["http", "probe", "https://127.0.0.1:1/", "--cafile", "{F}", "--give-up", "1"],
    "migrate-status": ["migrate", "status", "--url", "sqlite:///{F}"],
    "migrate-cfg": ["migrate", "cfg", "--from", "{F}"],
}  # fmt: skip
# Inputs that are valid for a verb (it may answer 0 or 1 on them, never 3).
VALID_FOR = {
    ("dns-search", "empty"), ("dns-search", "invalid-utf8"), ("dns-search", "random"),
    ("dns-node-resolv", "empty"), ("dns-node-resolv", "invalid-utf8"),
    ("dns-node-resolv", "random"), ("dns-search", "deep-json"), ("dns-search", "deep-yaml"),
    ("dns-search", "alias-bomb"), ("dns-search", "wrong-types"), ("dns-node-resolv", "deep-json"),
    ("dns-node-resolv", "deep-yaml"), ("dns-node-resolv", "alias-bomb"),
    ("dns-node-resolv", "wrong-types"), ("iptables-trace", "empty"),
    ("iptables-ipset", "empty"), ("iptables-ipset", "random"), ("iptables-ipset", "invalid-utf8"),
    ("iptables-ipset", "deep-json"), ("iptables-ipset", "deep-yaml"),
    ("iptables-ipset", "alias-bomb"), ("iptables-ipset", "wrong-types"), ("dns-records", "empty"),
    ("tz-doctor", "directory"), ("dns-dnsconfig", "wrong-types"),  # a Pod without dnsConfig
    ("dns-records", "alias-bomb"), ("dns-records", "wrong-types"),  # YAML with no Services
    ("migrate-status", "empty"),  # SQLite reads a 0-byte file as an empty database
}  # fmt: skip

OTHER_CASES: dict[str, list[str]] = {
    "cron-n-huge": ["cron", "next", "* * * * *", "-n", "1000000000"],
    "cron-n-zero": ["cron", "next", "* * * * *", "-n", "0"],
    "cron-n-text": ["cron", "next", "* * * * *", "-n", "many"],
    "cron-from-garbage": ["cron", "next", "* * * * *", "--from", "yesterday"],
    "cron-tz-garbage": ["cron", "next", "* * * * *", "--tz", "../../etc/passwd"],
    "cron-past-9999": ["cron", "next", "0 0 1 1 *", "--from", "9999-12-31"],
    "fleet-inf": ["reliability", "fleet", "--mttf-years", "inf", "--count", "10"],
    "fleet-nan": ["reliability", "fleet", "--mttf-years", "nan", "--count", "10"],
    "fleet-zero": ["reliability", "fleet", "--mttf-years", "0", "--count", "10"],
    "fleet-count-huge": ["reliability", "fleet", "--mttf-years", "5", "--count", "1e400"],
    "nines-nan": ["reliability", "nines", "--availability", "nan"],
    "nines-above-1": ["reliability", "nines", "--availability", "1.5"],
    "tail-p-negative": ["reliability", "tail", "--p-slow", "-0.1", "--fanout", "10"],
    "tail-fanout-huge": ["reliability", "tail", "--p-slow", "0.5", "--fanout", "1" + "0" * 30],
    "probe-port-70000": ["http", "probe", "http://127.0.0.1:70000/"],
    "probe-port-negative": ["http", "probe", "http://127.0.0.1:-1/"],
    "probe-body-huge": ["http", "probe", "http://127.0.0.1:1/", "--body", "1000000000000"],
    "probe-read-inf": ["http", "probe", "http://127.0.0.1:1/", "--read", "inf"],
    "probe-scheme": ["http", "probe", "gopher://127.0.0.1/"],
    "misbehave-port": ["http", "misbehave", "--mode", "ok", "--port", "70000"],
    "misbehave-mode": ["http", "misbehave", "--mode", "nonsense"],
    "serve-port-70000": ["dns", "serve", "--zone", "/dev/null", "--port", "70000"],
    "serve-port-negative": ["dns", "serve", "--zone", "/dev/null", "--port", "-1"],
    "serve-address": ["dns", "serve", "--zone", "/dev/null", "--port", "0", "--address", "zz"],
    "trace-pod-cidr": ["iptables", "trace", "--rules", "/dev/null", "--packet", PACKET,
                       "--pod-cidr", "zzz"],
    "trace-local-address": ["iptables", "trace", "--rules", "/dev/null", "--packet", PACKET,
                            "--local-address", "garbage"],
    "trace-bridge-address": ["iptables", "trace", "--rules", "/dev/null", "--packet", PACKET,
                             "--bridge-address", "10.0.0.300"],
    "trace-route": ["iptables", "trace", "--rules", "/dev/null", "--packet", PACKET,
                    "--route", "nope=eth1"],
    "trace-packet": ["iptables", "trace", "--rules", "/dev/null", "--packet", "garbage"],
    "trace-iface": ["iptables", "trace", "--rules", "/dev/null", "--packet", PACKET,
                    "--iface", "eth0=1.2.3.4/99"],
    "trace-seen": ["iptables", "trace", "--rules", "/dev/null", "--packet", PACKET,
                   "--seen", "LIST=not-an-address"],
    "trace-then": ["iptables", "trace", "--rules", "/dev/null", "--packet", PACKET,
                   "--then", "garbage"],
    "trace-packet-port": ["iptables", "trace", "--rules", "/dev/null", "--packet",
                          "tcp 1.2.3.4:99999 > 5.6.7.8:2"],
    "inspect-limit": ["tz", "inspect", "/usr/share/zoneinfo/UTC", "--limit", "-1"],
    "inspect-limit-huge": ["tz", "inspect", "/usr/share/zoneinfo/UTC", "--limit", "1e30"],
    "doctor-at": ["tz", "doctor", "--root", "/", "--at", "99999-01-01"],
    "doctor-env": ["tz", "doctor", "--root", "/", "--env", "LANG=C"],
    "search-env-garbage": ["dns", "search", "--resolv-conf", "/dev/null", "--env", "=x", "a"],
    "search-env-nul": ["dns", "search", "--resolv-conf", "/dev/null", "--env", "LOCALDOMAIN=a\x00b",
                       "a"],
    "nft-iface": ["nft", "trace", "--ruleset", "/dev/null", "--packet", PACKET,
                  "--iface", "eth0"],
    "search-long-name": ["dns", "search", "--resolv-conf", "/dev/null", "a" * 300],
    "search-empty-name": ["dns", "search", "--resolv-conf", "/dev/null", ""],
    "pod-cluster-dns": ["dns", "pod-resolv-conf", "--cluster-domain", "c.l", "--namespace", "n",
                        "--cluster-dns", "zz"],
    "migrate-oracle": ["migrate", "status", "--url", f"oracle://harbor:{SECRET}@h/db"],
    "migrate-typo-scheme": ["migrate", "status", "--url", f"mysq://harbor:{SECRET}@h/db"],
    "migrate-one-slash": ["migrate", "status", "--url", f"mysql:/harbor:{SECRET}@h/db"],
    "migrate-sql-dialect": ["migrate", "sql", "--dialect", "oracle"],
    "migrate-to": ["migrate", "sql", "--dialect", "mysql", "--to", "9.9.9"],
    "unknown-topic": ["frobnicate"],
    "unknown-flag": ["dns", "search", "--bogus"],
}  # fmt: skip


def _run_all(cases: list[list[str]]) -> list[dict[str, object]]:
    """Run the cases in a child limited to 1 GiB of address space."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [sys.executable, str(DRIVER)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _problems(outcome: dict[str, object], must_fail: bool) -> list[str]:
    rc, err = outcome["rc"], str(outcome["stderr"])
    found = []
    if rc not in (0, 1, 2):
        found.append(f"exit {rc}")
    if must_fail and rc != 2:
        found.append(f"exit {rc}, expected 2")
    if rc == 2 and err.count("\n") != 1:
        found.append(f"{err.count(chr(10))} stderr lines")
    if "Traceback" in err:
        found.append("traceback")
    if float(outcome["seconds"]) >= 10:  # type: ignore[arg-type]
        found.append(f"{outcome['seconds']} s")
    if SECRET in err + str(outcome["stdout_head"]):
        found.append("password echoed")
    return [f"{outcome['argv']}: {', '.join(found)}: {err.strip()[:200]}"] if found else []


def test_every_file_verb_refuses_hostile_files(inputs: dict[str, str]) -> None:
    keys = [(verb, kind) for verb in FILE_VERBS for kind in inputs]
    cases = [[a.replace("{F}", inputs[kind]) for a in FILE_VERBS[verb]] for verb, kind in keys]
    outcomes = _run_all(cases)
    problems = [
        p
        for (verb, kind), o in zip(keys, outcomes, strict=True)
        for p in _problems(o, must_fail=(verb, kind) not in VALID_FOR)
    ]
    assert not problems, f"{len(problems)} of {len(cases)}:\n" + "\n".join(problems)


def test_absurd_numbers_ports_and_addresses_are_usage_errors() -> None:
    outcomes = _run_all(list(OTHER_CASES.values()))
    problems = [p for o in outcomes for p in _problems(o, must_fail=True)]
    assert not problems, f"{len(problems)} of {len(outcomes)}:\n" + "\n".join(problems)


def test_an_internal_error_is_one_line_and_exit_3(monkeypatch, capsys) -> None:
    from infranotes.cli import reliability

    def boom(_args: object) -> tuple[dict[str, object], str]:
        raise KeyError("unexpected\nsecond line")

    monkeypatch.setattr(reliability, "_tail", boom)
    assert main(["reliability", "tail", "--p-slow", "0.1", "--fanout", "3"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" in err and "--debug" in err
    assert main(["reliability", "tail", "--p-slow", "0.1", "--fanout", "3", "--debug"]) == 3
    assert "Traceback" in capsys.readouterr().err


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    d = tmp_path_factory.mktemp("good")
    (d / "resolv.conf").write_text("nameserver 10.96.0.10\nsearch ns.svc.cluster.local\n")
    (d / "dnsconfig.json").write_text('{"options": [{"name": "ndots", "value": "2"}]}')
    (d / "zone").write_text("$ORIGIN t.\n$TTL 30\n@ SOA ns h 1 2 3 4 5\nwww A 192.0.2.1\n")
    (d / "cronjob.yaml").write_text(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: backup\n"
        "  creationTimestamp: '2024-04-01T00:00:00Z'\nspec:\n  schedule: '30 0 * * *'\n"
        "  jobTemplate: {spec: {template: {spec: {containers: []}}}}\n"
    )
    (d / "root" / "etc").mkdir(parents=True)
    from infranotes.netfilter import scenarios
    from infranotes.netfilter.nft.kubeproxy import kube_proxy_nft

    (d / "ruleset.json").write_text(kube_proxy_nft(scenarios.example_services()))
    return {k: str(p) for k, p in {
        "nft": d / "ruleset.json",
        "resolv": d / "resolv.conf", "dnsconfig": d / "dnsconfig.json", "zone": d / "zone",
        "cronjob": d / "cronjob.yaml", "root": d / "root", "db": d / "registry.db",
    }.items()}  # fmt: skip


def _json_verbs(good: dict[str, str]) -> dict[str, list[str]]:
    db = f"sqlite:///{good['db']}"
    return {
        "dns search": ["dns", "search", "--resolv-conf", good["resolv"], "api"],
        "dns pod-resolv-conf": ["dns", "pod-resolv-conf", "--cluster-domain", "cluster.local",
                                "--namespace", "prod", "--dns-config", good["dnsconfig"]],
        "dns records": ["dns", "records", "--cluster-domain", "cluster.local",
                        str(DATA / "spec-examples.yaml")],
        "iptables trace": ["iptables", "trace", "--rules",
                           str(DATA / "netfilter" / "kube-proxy-sample.rules"), "--packet",
                           PACKET],
        "nft trace": ["nft", "trace", "--ruleset", good["nft"], "--packet", PACKET],
        "tz inspect": ["tz", "inspect", "/usr/share/zoneinfo/UTC"],
        "tz doctor": ["tz", "doctor", "--root", good["root"], "--at", "2024-01-01T00:00:00Z"],
        "cron next": ["cron", "next", "0 0 13 * 5", "-n", "3", "--from", "2024-01-01T00:00:00Z"],
        "cron explain": ["cron", "explain", "--cronjob", good["cronjob"], "--now",
                         "2024-05-01T00:35:00Z"],
        "reliability tail": ["reliability", "tail", "--p-slow", "0.01", "--fanout", "100"],
        "reliability nines": ["reliability", "nines", "--availability", "0.999"],
        "reliability fleet": ["reliability", "fleet", "--mttf-years", "10", "--count", "10000"],
        "ceph explain": ["ceph", "explain", str(RECORDED / "cli_check_ceph_s.json")],
        "migrate sql": ["migrate", "sql", "--dialect", "mysql", "--to", "1.2.0"],
        "migrate upgrade (plan)": ["migrate", "upgrade", "--url", db, "--to", "1.2.0"],
        "migrate upgrade": ["migrate", "upgrade", "--url", db, "--to", "1.2.0", "--apply",
                            "--no-backup"],
        "migrate status": ["migrate", "status", "--url", db],
        "migrate stamp": ["migrate", "stamp", "--url", db, "--to", "1.3.0"],
        "migrate cfg": ["migrate", "cfg", "--from", str(DATA / "harbor" / "harbor-0.5.cfg")],
    }  # fmt: skip


def test_every_verb_prints_exactly_one_json_document(good: dict[str, str], capsys) -> None:
    """One JSON document per verb (in order: migrate's verbs share one database)."""
    for name, argv in _json_verbs(good).items():
        rc = main([*argv, "--json"])
        out = capsys.readouterr().out
        assert rc in (0, 1), f"{name}: exit {rc}"
        try:
            _doc, end = json.JSONDecoder().raw_decode(out)
        except json.JSONDecodeError as exc:
            raise AssertionError(f"{name}: not JSON: {out[:200]!r}") from exc
        assert out[end:].strip() == "", f"{name}: more than one document"
        assert "NaN" not in out and "Infinity" not in out, name


HEAVY = ("matplotlib", "sqlalchemy", "alembic", "httpx", "uvicorn", "numpy", "hdrh")


@pytest.mark.parametrize(
    "verb",
    ["--help", "dns search", "dns records", "iptables trace", "nft trace", "tz inspect",
     "cron next", "cron explain", "reliability tail", "ceph explain", "migrate sql", "http probe",
     "migrate cfg"],
)  # fmt: skip
def test_pure_verbs_do_not_import_heavy_libraries(verb: str, good: dict[str, str]) -> None:
    """Start-up stays small: a verb loads only its own topic (``migrate sql`` needs alembic,
    ``http probe`` httpx: they are allowed what their engine really uses)."""
    argv = (
        ["--help"]
        if verb == "--help"
        else next(v for k, v in _json_verbs(good).items() if k == verb)
        if verb != "http probe"
        else ["http", "probe", "--help"]
    )
    allowed = {"migrate sql": {"sqlalchemy", "alembic"}}.get(verb, set())
    code = (
        "import sys, contextlib, io\n"
        "from infranotes.cli import main\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        f"    main({argv!r})\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().replace("'", '"')))
    assert loaded <= allowed, f"{verb} imports {sorted(loaded - allowed)}"
