"""`infranotes iptables trace`: the JSON shape and the errors."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from infranotes.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "netfilter"


def test_trace_json_shape(capsys) -> None:
    code = main(
        [
            "iptables",
            "trace",
            "--rules",
            str(DATA / "dns-3-endpoints-udp.rules"),
            "--packet",
            "udp 10.0.0.5:40000 > 10.96.0.10:53 iif eth0",
            "--json",
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and set(doc) == {"packet", "steps", "branches", "state"}
    assert doc["steps"][0] == {
        "hook": "PREROUTING",
        "table": "nat",
        "chain": "PREROUTING",
        "rule": 1,
        "verdict": "JUMP",
    }
    dests = {b["destination"]: b["probability"] for b in doc["branches"]}
    assert dests == {"10.244.0.11:53": "1/3", "10.244.0.12:53": "1/3", "10.244.0.13:53": "1/3"}
    assert sum(Fraction(p) for p in dests.values()) == 1  # exact: no 0.999999
    for b in doc["branches"]:
        assert {"probability", "probability_float", "fate", "destination", "steps"} <= set(b)
        assert b["probability_float"] == float(Fraction(b["probability"]))
        assert all(set(s) == {"hook", "table", "chain", "rule", "verdict"} for s in b["steps"])


def test_trace_text_and_errors(capsys, tmp_path: Path) -> None:
    code = main(
        [
            "iptables",
            "trace",
            "--rules",
            str(DATA / "kube-proxy-sample.rules"),
            "--packet",
            "tcp 10.0.0.5:1 > 10.96.0.10:80 iif eth0",
        ]
    )
    out = capsys.readouterr().out
    assert (
        code == 0
        and "branch 2: p=1/2 (0.5000)" in out
        and "DNAT 10.96.0.10:80 -> 10.244.2.3:8080" in out
    )
    bad = tmp_path / "bad.rules"
    bad.write_text("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j NOWHERE\nCOMMIT\n")
    code = main(["iptables", "trace", "--rules", str(bad), "--packet", "tcp 1.1.1.1:1 > 2.2.2.2:2"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"infranotes: {bad}:3:") and err.count("\n") == 1
