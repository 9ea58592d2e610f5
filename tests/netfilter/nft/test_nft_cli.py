"""`infranotes nft trace`: the same JSON shape as `iptables trace`, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infranotes.cli import main
from infranotes.netfilter.kubeproxy import Endpoint, ServicePort
from infranotes.netfilter.nft.kubeproxy import kube_proxy_nft

DATA = Path(__file__).resolve().parents[2] / "data" / "netfilter"
SERVICES = [
    ServicePort("default", "web", "10.96.0.20", 80, endpoints=(Endpoint("10.244.1.2", 8080),)),
    ServicePort("default", "empty", "10.96.0.23", 80),
]


@pytest.fixture
def ruleset(tmp_path: Path) -> Path:
    path = tmp_path / "ruleset.json"
    path.write_text(kube_proxy_nft(SERVICES))
    return path


def test_json_shape_equals_iptables_trace(ruleset: Path, capsys) -> None:
    packet = "tcp 10.0.0.5:40000 > 10.96.0.20:80 iif eth0"
    assert main(["nft", "trace", "--ruleset", str(ruleset), "--packet", packet, "--json"]) == 0
    nft = json.loads(capsys.readouterr().out)
    rules = str(DATA / "dns-3-endpoints-udp.rules")
    assert main(["iptables", "trace", "--rules", rules, "--packet", packet, "--json"]) == 0
    ipt = json.loads(capsys.readouterr().out)
    assert set(nft) == set(ipt)
    assert set(ipt["branches"][0]) <= set(nft["branches"][0])
    assert set(ipt["branches"][0]["steps"][0]) <= set(nft["branches"][0]["steps"][0])
    (branch,) = nft["branches"]
    assert branch["destination"] == "10.244.1.2:8080"
    assert (branch["probability"], branch["probability_float"]) == ("1", 1.0)
    dnat = [s for s in branch["steps"] if "dnat" in (s["text"] or "")]
    assert dnat[0]["chain"].startswith("endpoint-") and dnat[0]["verdict"] == "ACCEPT"


def test_text_output_names_the_reject(ruleset: Path, capsys) -> None:
    packet = "tcp 10.244.1.5:40000 > 10.96.0.23:80 iif cni0"
    assert main(["nft", "trace", "--ruleset", str(ruleset), "--packet", packet]) == 0
    out = capsys.readouterr().out
    assert "rejected by ip kube-proxy reject-chain" in out


@pytest.mark.parametrize(
    "content, packet, message",
    [
        ("not json", "tcp 1.2.3.4:1 > 5.6.7.8:2", "not JSON"),
        ('{"nftables": []}', "tcp 1.2.3.4:1 > 5.6.7.8", "destination port"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, capsys, content, packet, message) -> None:
    path = tmp_path / "r.json"
    path.write_text(content)
    assert main(["nft", "trace", "--ruleset", str(path), "--packet", packet]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_missing_file_exits_2(capsys) -> None:
    assert (
        main(["nft", "trace", "--ruleset", "/nonexistent", "--packet", "icmp 1.2.3.4 > 5.6.7.8"])
        == 2
    )
    assert "cannot read" in capsys.readouterr().err


def test_trace_speaks_chinese_with_the_same_data(ruleset: Path, capsys) -> None:
    packet = "tcp 10.244.1.5:40000 > 10.96.0.23:80 iif cni0"
    base = ["nft", "trace", "--ruleset", str(ruleset), "--packet", packet]
    assert main(base) == 0
    default = capsys.readouterr().out
    assert main([*base, "--lang", "en"]) == 0
    assert capsys.readouterr().out == default
    assert main([*base, "--lang", "zh"]) == 0
    zh = capsys.readouterr().out
    assert default.splitlines()[2] == (
        "branch 1: p=1 (1.0000)  rejected by ip kube-proxy reject-chain handle 20"
    )
    assert zh.splitlines()[0] == f"数据包：{packet}"
    assert (
        zh.splitlines()[2]
        == "分支 1: p=1 (1.0000)  被 ip kube-proxy 表 reject-chain 链句柄为 20 的规则拒绝"
    )
    # steps, rule texts and the destination read the same in both
    assert [ln for ln in default.splitlines()[3:] if not ln.startswith("  * ")] == [
        ln for ln in zh.splitlines()[3:] if not ln.startswith("  * ")
    ]
    assert "  * routing: forward 10.96.0.23 via eth0" in default
    assert "  * 路由：经 eth0 转发 10.96.0.23" in zh

    docs = {}
    for lang in ("en", "zh"):
        assert main([*base, "--json", "--lang", lang]) == 0
        docs[lang] = json.loads(capsys.readouterr().out)
    en, zh_doc = docs["en"], docs["zh"]
    prose = ("fate", "events")
    assert en["packet"] == zh_doc["packet"] and en["steps"] == zh_doc["steps"]
    for a, b in zip(en["branches"], zh_doc["branches"], strict=True):
        assert {k: v for k, v in a.items() if k not in prose} == {
            k: v for k, v in b.items() if k not in prose
        }
        assert len(a["events"]) == len(b["events"])
    assert zh_doc["branches"][0]["fate"].startswith("被 ip kube-proxy 表 reject-chain")
    assert en["state"] == {"sets": "as listed; add/update statements are events, not applied"}
    assert zh_doc["state"] == {"sets": "按列出的内容；add/update 语句记为事件，并不实际生效"}

    assert main([*base, "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice: 'fr'" in err
