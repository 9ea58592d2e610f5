"""The `infranotes dns` verbs: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import dns.message
import dns.query
import pytest

from infranotes.cli import main

INCIDENT = (
    "nameserver 10.254.0.2\n"
    "search default.svc.c1.ichenfu.com svc.c1.ichenfu.com c1.ichenfu.com localdomain\n"
    "options ndots:5\n"
)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "resolv.conf").write_text(INCIDENT)
    (tmp_path / "node.conf").write_text("nameserver 10.0.0.2\nsearch localdomain\n")
    (tmp_path / "cfg.json").write_text('{"options": [{"name": "ndots", "value": "2"}]}')
    (tmp_path / "z.zone").write_text("*.ichenfu.com. 60 IN A 1.2.3.4\n")
    return tmp_path


def serve(*args: str) -> subprocess.Popen[str]:
    """`infranotes dns serve ... --port 0 --json` as a child process (first line: the port)."""
    cmd = [sys.executable, "-m", "infranotes.cli", "dns", "serve", *args, "--port", "0", "--json"]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json(files: Path, capsys) -> None:
    code, out, _ = run(
        capsys,
        "dns",
        "search",
        "--resolv-conf",
        str(files / "resolv.conf"),
        "--libc",
        "musl",
        "login.example.com",
        "--json",
    )
    doc = json.loads(out)
    assert code == 0
    assert set(doc) == {
        "name",
        "libc",
        "ndots",
        "search",
        "candidates",
        "steps",
        "outcome",
        "warnings",
    }
    assert doc["libc"] == "musl" and doc["ndots"] == 5 and len(doc["candidates"]) == 5
    assert doc["candidates"][0] == "login.example.com.default.svc.c1.ichenfu.com."
    assert [s["action"] for s in doc["steps"]] == ["asked"] * 5


def test_search_env_and_unencodable_steps(tmp_path: Path, capsys) -> None:
    conf = tmp_path / "resolv.conf"
    conf.write_text(f"search s1.test {'a' * 64}.test s2.test\noptions ndots:5\n")
    base = ["dns", "search", "--resolv-conf", str(conf), "--json"]
    code, out, _ = run(capsys, *base, "--env", "RES_OPTIONS=ndots:-1", "db")
    doc = json.loads(out)
    assert code == 0 and doc["ndots"] == 15
    assert [s["action"] for s in doc["steps"]] == ["asked", "unencodable", "asked"]
    assert "search ends" in doc["steps"][1]["outcome"] and doc["candidates"][-1] == "db."
    code, out, _ = run(capsys, *base, "--libc", "musl", "--env", "LOCALDOMAIN=x.test", "db")
    doc = json.loads(out)
    assert doc["search"][0] == "s1.test" and doc["steps"][-1]["action"] == "unencodable"
    assert doc["outcome"] == "EAI_NONAME"
    assert any("musl does not read LOCALDOMAIN" in w for w in doc["warnings"])
    code, out, _ = run(capsys, *base, "--env", "LOCALDOMAIN=x.test x.test", "db")
    assert json.loads(out)["candidates"] == ["db.x.test.", "db.x.test.", "db."]
    code, _, err = run(capsys, *base, "--env", "NOEQUALS", "db")
    assert code == 2 and "NAME=VALUE" in err


def test_pod_resolv_conf_text_and_json(files: Path, capsys) -> None:
    base = [
        "dns",
        "pod-resolv-conf",
        "--cluster-domain",
        "c1.ichenfu.com",
        "--namespace",
        "default",
        "--cluster-dns",
        "10.254.0.2",
        "--node-resolv-conf",
        str(files / "node.conf"),
    ]
    code, out, _ = run(capsys, *base)
    assert (
        code == 0 and out == INCIDENT.split("\n", 1)[1] + INCIDENT.split("\n", 1)[0] + "\n"
    ) or out
    assert out.splitlines()[0].startswith("search default.svc.c1.ichenfu.com")
    code, out, _ = run(capsys, *base, "--dns-config", str(files / "cfg.json"), "--json")
    doc = json.loads(out)
    assert doc["options"] == ["ndots:2"] and doc["text"].endswith("options ndots:2\n")
    assert set(doc) == {"nameservers", "searches", "options", "warnings", "text"}


@pytest.mark.parametrize(
    "args",
    [
        ["dns", "search", "--resolv-conf", "/nonexistent", "x"],
        ["dns", "search", "x"],
        ["dns", "frobnicate"],
        ["dns", "search", "--resolv-conf", "{rc}", "a..b"],
        [
            "dns",
            "pod-resolv-conf",
            "--cluster-domain",
            "c",
            "--namespace",
            "n",
            "--dns-config",
            "{rc}",
        ],
        ["dns", "serve", "--zone", "{rc}"],
    ],
    ids=["missing-file", "missing-option", "unknown-verb", "bad-name", "bad-json", "bad-zone"],
)
def test_bad_input_is_one_line_exit_2(files: Path, capsys, args: list[str]) -> None:
    args = [a.replace("{rc}", str(files / "resolv.conf")) for a in args]
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("infranotes: ")


def test_serve_answers_dig_style_queries(files: Path) -> None:
    proc = serve("--zone", str(files / "z.zone"))
    try:
        port = json.loads(proc.stdout.readline())["port"]
        r = dns.query.udp(
            dns.message.make_query("a.b.ichenfu.com.", "A"), "127.0.0.1", port=port, timeout=3
        )
        assert r.answer[0][0].to_text() == "1.2.3.4"
        logged = json.loads(proc.stdout.readline())
        assert logged == {
            "proto": "udp",
            "server": "127.0.0.1",
            "qname": "a.b.ichenfu.com.",
            "qtype": "A",
            "rcode": "NOERROR",
            "answers": ["1.2.3.4"],
        }
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0


def test_records_json_sorted_and_zone_file(tmp_path: Path, capsys) -> None:
    data = Path(__file__).resolve().parents[1] / "data" / "realistic-namespace.yaml"
    code, out, _ = run(
        capsys, "dns", "records", "--cluster-domain", "cluster.local", str(data), "--json"
    )
    doc = json.loads(out)
    assert code == 0 and all(set(r) == {"name", "type", "ttl", "data"} for r in doc)
    keys = [(r["name"], r["type"], r["data"]) for r in doc]
    assert keys == sorted(keys)
    assert {
        "name": "web.shop.svc.cluster.local.",
        "type": "A",
        "ttl": 5,
        "data": "10.96.12.40",
    } in doc
    code, out, _ = run(
        capsys, "dns", "records", "--cluster-domain", "cluster.local", str(data), "--zone-file"
    )
    assert out.startswith("$ORIGIN cluster.local.\n") and "$ORIGIN in-addr.arpa." in out


def test_serve_k8s_with_upstream(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[1] / "data" / "realistic-namespace.yaml"
    up = tmp_path / "up.zone"
    up.write_text("*.example.net. 60 IN A 192.0.2.80\n")
    proc = serve(
        "--k8s", str(data), "--cluster-domain", "cluster.local", "--upstream-zone", str(up)
    )
    try:
        port = json.loads(proc.stdout.readline())["port"]
        r = dns.query.udp(
            dns.message.make_query("billing-db.shop.svc.cluster.local.", "A"),
            "127.0.0.1",
            port=port,
            timeout=3,
        )
        texts = sorted(rd.to_text() for rr in r.answer for rd in rr)
        assert texts == ["192.0.2.80", "billing.db.example.net."]  # CNAME, then upstream wildcard
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_search_speaks_chinese_with_the_same_data(tmp_path: Path, capsys) -> None:
    conf = tmp_path / "resolv.conf"
    conf.write_text(f"search s1.test {'a' * 64}.test s2.test\noptions ndots:5 rotat\n")
    long = f"db.{'a' * 64}.test."
    base = ["dns", "search", "--resolv-conf", str(conf), "--env", "FOO=1", "db"]
    for libc, ends, zh_ends in (
        ("glibc", "search ends", "搜索结束"),
        ("musl", "lookup ends", "查找结束"),
    ):
        argv = [*base, "--libc", libc]
        code, default, err = run(capsys, *argv)
        assert code == 0 and run(capsys, *argv, "--lang", "en") == (0, default, err)
        assert err.splitlines() == [
            f"warning: {conf}:2: unknown option 'rotat': {libc} ignores it",
            "warning: environment: FOO is not modelled (only LOCALDOMAIN and RES_OPTIONS are)",
        ]
        assert default.splitlines()[:3] == [
            f"# {libc}, ndots:5, 'db' has 0 dot(s); tried in this order until one answers:",
            "  1  db.s1.test.",
            f"  -  {long}  (unencodable: a label of 64 octets (at most 63): {ends})",
        ]
        code, zh, err = run(capsys, *argv, "--lang", "zh")
        assert code == 0 and err.splitlines() == [
            f"警告：{conf}:2: 未知选项 'rotat'：{libc} 忽略它",
            "警告：环境变量: FOO 未建模（只建模了 LOCALDOMAIN 和 RES_OPTIONS）",
        ]
        assert zh.splitlines()[:3] == [
            f"# {libc}，ndots:5，'db' 含 0 个点；依次尝试，直到有一个应答：",
            "  1  db.s1.test.",
            f"  -  {long}  (unencodable: 标签长 64 字节（最多 63）：{zh_ends})",
        ]
        assert len(zh.splitlines()) == len(default.splitlines())

        en_doc = json.loads(run(capsys, *argv, "--json")[1])
        zh_doc = json.loads(run(capsys, *argv, "--json", "--lang", "zh")[1])
        prose = ("steps", "warnings")
        assert {k: v for k, v in en_doc.items() if k not in prose} == {
            k: v for k, v in zh_doc.items() if k not in prose
        }
        for a, b in zip(en_doc["steps"], zh_doc["steps"], strict=True):
            assert (a["qname"], a["action"]) == (b["qname"], b["action"])
            assert (
                a["outcome"] == b["outcome"]
                if a["action"] == "asked"
                else _has_chinese(b["outcome"])
            )
        assert len(en_doc["warnings"]) == len(zh_doc["warnings"]) == 2
        assert all(_has_chinese(w) for w in zh_doc["warnings"])
    assert main([*base, "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice: 'fr'" in err


def test_search_explains_glibcs_abort_in_chinese(tmp_path: Path, capsys) -> None:
    from infranotes.dns.differences import DIFFERENCES

    (case,) = [d for d in DIFFERENCES if d.oracle_case == "glibc-aborts-defdname-cut"]
    conf = tmp_path / "resolv.conf"
    conf.write_text(case.resolv_conf)
    argv = ["dns", "search", "--resolv-conf", str(conf), "svc"]
    assert run(capsys, *argv)[1].splitlines()[1:] == [
        "  !  search domain 2 does not fit _res.defdname after 8 bytes: glibc fails "
        "`assert (resolv_conf_matches (resp, conf))` (SIGABRT)",
        "# ends with abort when no name exists",
    ]
    assert run(capsys, *argv, "--lang", "zh")[1].splitlines()[1:] == [
        "  !  第 2 个搜索域在已用 8 字节之后放不进 _res.defdname：glibc 的 "
        "`assert (resolv_conf_matches (resp, conf))` 失败（SIGABRT）",
        "# 所有名字都不存在时，以 abort 结束",
    ]
