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


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _run(capsys, argv: list[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def _without_prose(doc: object) -> object:
    """The document with every fate and event blanked: what must not change with --lang."""
    if isinstance(doc, dict):
        return {
            k: ("" if k == "fate" else len(v) if k == "events" else _without_prose(v))
            for k, v in doc.items()
        }
    if isinstance(doc, list):
        return [_without_prose(v) for v in doc]
    return doc


def test_trace_speaks_chinese_with_the_same_data(capsys) -> None:
    base = [
        "iptables",
        "trace",
        "--rules",
        str(DATA / "kube-proxy-sample.rules"),
        "--packet",
        "tcp 10.0.0.5:1 > 10.96.0.10:80 iif eth0",
    ]
    default = _run(capsys, base)
    assert _run(capsys, [*base, "--lang", "en"]) == default
    assert default.splitlines()[:3] == [
        "packet: tcp 10.0.0.5:1 > 10.96.0.10:80 iif eth0",
        "state: a freshly loaded ruleset (empty recent lists, nth counters as loaded)",
        "",
    ]
    assert "\nbranch 1: p=1/2 (0.5000)  forwarded via cni0  -> 10.244.1.2:8080\n" in default
    assert "  * routing: forward 10.244.1.2 via cni0\n" in default
    zh = _run(capsys, [*base, "--lang", "zh"])
    assert zh.splitlines()[:2] == [
        "数据包：tcp 10.0.0.5:1 > 10.96.0.10:80 iif eth0",
        "状态：刚加载的规则集（recent 列表为空，nth 计数器为加载时的值）",
    ]
    assert "\n分支 1: p=1/2 (0.5000)  经 cni0 转发  -> 10.244.1.2:8080\n" in zh
    assert "  * 路由：经 cni0 转发 10.244.1.2\n" in zh
    # the steps (hooks, tables, chains, rules, verdicts) and NAT events read the same
    steps = [ln for ln in default.splitlines() if ln.startswith("  ") and "*" not in ln]
    assert steps == [ln for ln in zh.splitlines() if ln.startswith("  ") and "*" not in ln]
    assert "  * DNAT 10.96.0.10:80 -> 10.244.1.2:8080\n" in zh

    en_doc = json.loads(_run(capsys, [*base, "--json"]))
    zh_doc = json.loads(_run(capsys, [*base, "--json", "--lang", "zh"]))
    assert _without_prose(en_doc) == _without_prose(zh_doc)
    assert [b["fate"] for b in zh_doc["branches"]] == ["经 cni0 转发"] * 2
    assert all(_has_chinese(e) or e.startswith("DNAT") for e in zh_doc["branches"][0]["events"])

    assert main([*base, "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice: 'fr'" in err


def test_a_sequence_speaks_chinese_with_the_same_data(capsys) -> None:
    base = [
        "iptables",
        "trace",
        "--rules",
        str(DATA / "dns-3-endpoints-udp.rules"),
        "--packet",
        "udp 10.0.0.5:40000 > 10.96.0.10:53 iif eth0",
        "--then",
        "udp 10.0.0.5:40001 > 10.96.0.10:53 iif eth0",
    ]
    default = _run(capsys, base)
    assert _run(capsys, [*base, "--lang", "en"]) == default
    zh = _run(capsys, [*base, "--lang", "zh"])
    assert default.startswith("2 new connections, one after another\n")
    assert zh.startswith("2 个新连接，一个接一个\n")
    assert default.count("\nhistory ") == zh.count("\n历程 ") == 9
    assert default.count("  packet 2: ") == zh.count("  数据包 2: ") == 9
    en_doc = json.loads(_run(capsys, [*base, "--json"]))
    zh_doc = json.loads(_run(capsys, [*base, "--json", "--lang", "zh"]))
    assert _without_prose(en_doc) == _without_prose(zh_doc)
    fates = {b["fate"] for h in zh_doc["histories"] for b in h["branches"]}
    assert fates and all(_has_chinese(f) for f in fates)
