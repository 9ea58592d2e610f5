"""Notebook 04's outputs in both editions: the English exactly as the notebook showed it
before the outputs became bilingual (tests/cni/data/nb04_en/ holds those stored outputs),
the Chinese with Chinese headers and words around the same data."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import pytest

from infranotes.cni import scenes
from infranotes.cni.bridge import load_conf, plan_addresses, plan_links
from infranotes.cni.lab import BRIDGE_CONF, Run
from infranotes.cni.messages import tr
from infranotes.cni.types import IPConfig, Result, Route
from infranotes.table import Table

STORED = Path(__file__).parent / "data" / "nb04_en"
HAN = range(0x4E00, 0xA000)


def stored(name: str) -> str:
    return (STORED / name).read_text(encoding="utf-8").rstrip("\n")


def has_chinese(text: str) -> bool:
    return any(ord(ch) in HAN for ch in text)


def test_exit_and_output_reads_as_the_two_prints_did() -> None:
    raw = json.dumps({"cniVersion": "1.0.0", "ips": [{"address": "10.22.0.2/29"}]}, indent=4)
    run = Run(0, raw + "\n", "")
    assert scenes.exit_and_output(run) == "exit 0\n" + raw + "\n"
    zh = scenes.exit_and_output(run, lang="zh")
    assert zh == "退出码 0\n" + raw + "\n"  # the plugin's JSON is data, the same in both


def test_plan_table_english_is_the_stored_output_and_chinese_keeps_the_commands() -> None:
    en, zh = scenes.plan_table(), scenes.plan_table(lang="zh")
    assert repr(en) == stored("plan_table.txt")
    assert zh.header == ("执行位置", "命令", "原因（bridge.go cmdAdd）")
    assert [r[1] for r in zh.rows] == [r[1] for r in en.rows]  # commands stay as they are
    assert {r[0] for r in zh.rows} == {"主机", "容器", ""}
    assert zh.rows[9] == ("", "exec host-local ADD (CNI_PATH)", "用同一份配置运行 IPAM")
    assert zh.rows[5][2] == "setupVeth：改名为 eth0（CNI_IFNAME）"
    assert all(has_chinese(r[2]) for r in zh.rows if r[2] != "hairpinMode")


def test_kernel_steps_table_is_the_cell_it_replaces() -> None:
    assert repr(scenes.kernel_steps_table()) == stored("kernel_steps_table.txt")
    zh = scenes.kernel_steps_table(lang="zh")
    assert [r[1] for r in zh.rows] == [r[1] for r in scenes.kernel_steps_table().rows]
    assert zh.rows[2] == (
        "容器",
        "sysctl -q -w net/ipv4/conf/eth0/arp_notify=1",
        "链路启用时发送免费 ARP",
    )


CONFS = {
    "the book's": {},
    "promiscuous, enabledad": {"promiscMode": True, "enabledad": True},
    "no gateway, no masquerade": {"isGateway": False, "ipMasq": False},
}


@pytest.mark.parametrize("changes", CONFS.values(), ids=CONFS.keys())
def test_every_why_of_a_plan_has_chinese(changes: dict[str, object]) -> None:
    """Any plan, dual-stack included, reads in Chinese but for the configuration keys."""
    c = load_conf({**BRIDGE_CONF, **changes})
    result = Result(
        (
            IPConfig(ipaddress.ip_interface("10.22.1.2/24"), None),
            IPConfig(
                ipaddress.ip_interface("fd00::2/64"),
                ipaddress.ip_address("fd00::1"),
            ),
        ),
        (Route(ipaddress.ip_network("::/0")),),
    )
    steps = plan_links(c, "/var/run/netns/p", "net1", "veth00000000")
    steps += plan_addresses(c, "p", "net1", result)
    for s in steps:
        zh = scenes.why_text(s.why, lang="zh")
        assert scenes.why_text(s.why) == s.why
        assert has_chinese(zh) or s.why in ("promiscMode", "hairpinMode"), s.why


def test_store_table(tmp_path: Path) -> None:
    d = tmp_path / "podnet"
    d.mkdir()
    (d / "10.22.0.2").write_bytes(b"ctr1\r\neth0")
    (d / "last_reserved_ip.0").write_bytes(b"10.22.0.2")
    (d / "lock").touch()
    for name, mode in (("10.22.0.2", 0o644), ("last_reserved_ip.0", 0o644), ("lock", 0o750)):
        (d / name).chmod(mode)
    en, zh = (
        scenes.store_table(tmp_path, "podnet"),
        scenes.store_table(tmp_path, "podnet", lang="zh"),
    )
    assert repr(en) == stored("store_table.txt")
    assert zh.header == ("文件", "权限", "内容") and zh.rows == en.rows


def test_leak_tables(tmp_path: Path) -> None:
    leaked = scenes.leak(data=tmp_path)
    assert repr(scenes.leak_adds_table(leaked)) == stored("leak_adds_table.txt")
    assert repr(scenes.leak_gc_table(leaked)) == stored("leak_gc_table.txt")
    assert repr(scenes.store_table(leaked.data, "podnet")) == stored("leak_store_table.txt")
    adds = scenes.leak_adds_table(leaked, lang="zh")
    assert adds.header == ("ADD", "退出码", "地址或错误")
    # host-local's error is quoted as the plugin wrote it, in both editions
    assert adds.rows == scenes.leak_adds_table(leaked).rows
    assert scenes.leak_gc_table(leaked, lang="zh") == Table(
        ("步骤", "退出码", "结果"),
        [("GC（仅 sandbox5 有效）", 0, "释放了其余地址"), ("sandbox6 再次 ADD", 0, "10.22.0.2/29")],
    )


def test_check_and_del_text() -> None:
    seen = {
        "check": (0, ""),
        "check-no-prev": (1, {"code": 999, "msg": "Required prevResult missing"}),
        "check-addr-gone": (1, {"code": 999, "msg": "Failed to match addr"}),
        "del-a": (0, ""),
        "del-a-again": (0, ""),
        "del-missing-netns": (0, ""),
        "store-after-del": {"lock": ("0750", ""), "last_reserved_ip.0": ("0644", "10.22.1.3")},
    }
    en = scenes.check_and_del_text(seen)
    assert en.splitlines() == [
        "check              (0, '')",
        "check-no-prev      (1, {'code': 999, 'msg': 'Required prevResult missing'})",
        "check-addr-gone    (1, {'code': 999, 'msg': 'Failed to match addr'})",
        "del-a              (0, '')",
        "del-a-again        (0, '')",
        "del-missing-netns  (0, '')",
        "store after DEL: ['last_reserved_ip.0', 'lock']",
    ]
    zh = scenes.check_and_del_text(seen, lang="zh").splitlines()
    assert zh[:-1] == en.splitlines()[:-1]  # the plugins' answers are data
    assert zh[-1] == "DEL 之后的存储内容：['last_reserved_ip.0', 'lock']"


def test_compare_translates_names_and_verdicts_not_the_observations() -> None:
    ours = {
        "ping-a-b": True,
        "plain: exit": 0,
        "l2 bridge: bridge MAC kept / became the veth's / set explicitly": [False, True, False],
        "gratuitous ARPs": [("10.23.1.2", "00:00:00:00:00:00")],
        "bridge accept_ra": "0",
    }
    ref = dict(ours, **{"plain: exit": 1})
    en = scenes.compare(ours, ref)
    assert en == Table(
        ("observation", "ours vs reference", "ours"),
        [
            ("ping-a-b", "same", "True"),
            ("plain: exit", "DIFFERENT", "0"),
            (
                "l2 bridge: bridge MAC kept / became the veth's / set explicitly",
                "same",
                "[False, True, False]",
            ),
            ("gratuitous ARPs", "same", "[('10.23.1.2', '00:00:00:00:00:00')]"),
            ("bridge accept_ra", "same", "0"),
        ],
    )
    zh = scenes.compare(ours, ref, lang="zh")
    assert zh.header == ("观察项", "我们的实现与参考实现", "我们的实现")
    assert [r[0] for r in zh.rows] == [
        "ping-a-b",
        "普通配置：退出码",
        "二层网桥：网桥 MAC 保持原值 / 变成 veth 的 / 被显式设置",
        "免费 ARP",
        "bridge accept_ra",
    ]
    assert [r[1] for r in zh.rows] == ["相同", "不同", "相同", "相同", "相同"]
    assert [r[2] for r in zh.rows] == [r[2] for r in en.rows]


def test_dad_and_garp_tables() -> None:
    cases, states = [(False, False), (True, False), (True, True)], ["ok", "dadfailed", "ok"]
    en = scenes.dad_table(cases, states)
    assert en == Table(
        ("hairpin on the port", "enhanced DAD", "the new address after DAD"),
        [(False, False, "ok"), (True, False, "dadfailed"), (True, True, "ok")],
    )
    zh = scenes.dad_table(cases, states, lang="zh")
    assert zh.header == ("端口开启 hairpin", "增强 DAD", "DAD 结束后新地址的状态")
    assert zh.rows == en.rows  # kernel states (dadfailed) stay as the kernel names them

    garps = {True: [("10.25.0.2", "00:00:00:00:00:00")], False: []}
    assert scenes.garp_table(garps) == Table(
        ("arp_notify", "gratuitous ARPs seen (sender IP, target MAC)"),
        [(True, "10.25.0.2, target 00:00:00:00:00:00"), (False, "none")],
    )
    assert scenes.garp_table(garps, lang="zh") == Table(
        ("arp_notify", "看到的免费 ARP（发送方 IP，目标 MAC）"),
        [(True, "10.25.0.2，目标 00:00:00:00:00:00"), (False, "无")],
    )


def test_kubenet_table() -> None:
    pod = {
        "eth0": ["10.244.1.2/24"],
        "routes": ["default via 10.244.1.1 dev eth0 " + "x" * 100],
        "hairpin on the port": [True],
        "links after teardown": ["lo"],
    }
    en = scenes.kubenet_table(pod)
    assert en == Table(
        ("observation", "value"),
        [
            ("eth0", "['10.244.1.2/24']"),
            ("routes", str(pod["routes"])[:90]),
            ("hairpin on the port", "[True]"),
            ("links after teardown", "['lo']"),
        ],
    )
    zh = scenes.kubenet_table(pod, lang="zh")
    assert zh.header == ("观察项", "值")
    assert [r[0] for r in zh.rows] == ["eth0", "路由", "端口开启 hairpin", "拆除后剩下的链路"]
    assert [r[1] for r in zh.rows] == [r[1] for r in en.rows]


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        scenes.plan_table(lang="fr")
    assert tr("zh", "none") == "无"
