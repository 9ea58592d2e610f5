"""Notebook 03's outputs in both languages: the English exactly as the book stored it before,
the Chinese with Chinese words around the same data (addresses, chains, verdicts, counts).

The trace's own data stays English (the CLI prints it, tests compare it with the kernel's);
only the tables translate it, through :mod:`infranotes.netfilter.messages`.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from infranotes.i18n import UnknownLanguage
from infranotes.netfilter import chapter, messages, report, scenarios
from infranotes.netfilter.nft import scenarios as nft_scenarios
from infranotes.netfilter.packet import parse_packet
from infranotes.table import Table


def chinese(text: object) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


def both(make, *args, **kwargs) -> tuple[Table, Table]:
    return make(*args, lang="en", **kwargs), make(*args, lang="zh", **kwargs)


def same_data(en: Table, zh: Table, *columns: int) -> None:
    """``columns`` hold data: the same cells in both languages; the header is Chinese."""
    assert len(en.rows) == len(zh.rows)
    for a, b in zip(en.rows, zh.rows, strict=True):
        assert [a[i] for i in columns] == [b[i] for i in columns]
    assert any(chinese(h) for h in zh.header)


def translated(en: Table, zh: Table, column: int) -> None:
    """Every non-empty cell of ``column`` reads in Chinese, and differs from the English."""
    for a, b in zip(en.rows, zh.rows, strict=True):
        if a[column] != "-":
            assert chinese(b[column]) and a[column] != b[column], (a[column], b[column])


DNAT_RULES = """*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d 192.0.2.1/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.244.1.2:80
-A POSTROUTING -o cni0 -j MASQUERADE
COMMIT
"""
NOTRACK_RULES = DNAT_RULES.replace(
    "*nat",
    "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
    "-A PREROUTING -p tcp -m tcp --dport 8080 -j CT --notrack\nCOMMIT\n*nat",
)
TO_8080 = "tcp 10.0.0.5:40000 > 192.0.2.1:8080 iif eth0"
TO_22 = "tcp 10.0.0.5:40000 > 192.0.2.1:22 iif eth0"


# ------------------------------------------------------------ English: as the book stored it
def test_hook_order_table_english_as_stored_and_chinese() -> None:
    en, zh = both(report.hook_order_table)
    assert repr(en) == (
        "hook         stages in order (priority)\n"
        "-----------  ---------------------------------------------------------------------"
        "-------------\n"
        "PREROUTING   raw (-300), conntrack (-200), mangle (-150), nat (-100)\n"
        "INPUT        mangle (-150), filter (0), security (50), nat (100), conntrack confirm\n"
        "FORWARD      mangle (-150), filter (0), security (50)\n"
        "OUTPUT       raw (-300), conntrack (-200), mangle (-150), nat (-100), filter (0), "
        "security (50)\n"
        "POSTROUTING  mangle (-150), nat (100), conntrack confirm"
    )
    assert zh.header == ("钩子", "依次经过的阶段（优先级）")
    assert zh.rows[1] == (
        "INPUT",
        "mangle (-150), filter (0), security (50), nat (100), conntrack 确认",
    )
    same_data(en, zh, 0)


def test_first_packets_english_as_printed_and_chinese() -> None:
    en, zh = both(chapter.first_packets, DNAT_RULES, [TO_8080, TO_22])
    assert en == (
        "tcp 10.0.0.5:40000 > 192.0.2.1:8080 iif eth0\n"
        "  -> forwarded via cni0; DNAT 192.0.2.1:8080 -> 10.244.1.2:80; routing: forward "
        "10.244.1.2 via cni0; MASQUERADE 10.0.0.5 -> 192.0.2.2 (address of cni0)\n"
        "tcp 10.0.0.5:40000 > 192.0.2.1:22 iif eth0\n"
        "  -> delivered to a local process; routing: 192.0.2.1 is local, to INPUT"
    )
    assert zh == (
        "tcp 10.0.0.5:40000 > 192.0.2.1:8080 iif eth0\n"
        "  -> 经 cni0 转发；DNAT 192.0.2.1:8080 -> 10.244.1.2:80；路由：经 cni0 转发 "
        "10.244.1.2；MASQUERADE 10.0.0.5 -> 192.0.2.2（cni0 的地址）\n"
        "tcp 10.0.0.5:40000 > 192.0.2.1:22 iif eth0\n"
        "  -> 交给本机进程；路由：192.0.2.1 是本机地址，进入 INPUT"
    )


def test_nat_once_table() -> None:
    en, zh = both(scenarios.nat_once_table, DNAT_RULES, NOTRACK_RULES, TO_8080)
    assert repr(en).splitlines()[0].split() == [
        "packet", "conntrack", "nat", "rules", "met", "destination", "fate",
    ]  # fmt: skip
    assert [tuple(r) for r in en.rows] == [
        ("first packet", "NEW", 2, "10.244.1.2:80", "forwarded via cni0"),
        ("next packet, same connection", "ESTABLISHED", 0, "10.244.1.2:80", "forwarded via cni0"),
        ("with NOTRACK in raw", "UNTRACKED", 0, "192.0.2.1:8080", "delivered to a local process"),
    ]
    assert zh.rows[2] == ("raw 表里有 NOTRACK", "UNTRACKED", 0, "192.0.2.1:8080", "交给本机进程")
    same_data(en, zh, 1, 2, 3)
    translated(en, zh, 0)
    translated(en, zh, 4)


def test_ruleset_size_and_summary_table() -> None:
    assert scenarios.ruleset_size() == "103 lines, 67 rules"
    assert scenarios.ruleset_size(lang="zh") == "103 行，67 条规则"
    en, zh = both(scenarios.summary_table)
    assert en.header == ("scenario", "p", "destination", "source after NAT", "fate")
    assert en.rows[-1] == (
        "Service without endpoints",
        "1.00",
        "10.96.0.23:80",
        "10.0.0.5",
        "rejected by filter KUBE-SERVICES rule 1",
    )
    assert zh.header == ("场景", "p", "目的地址", "NAT 后的源地址", "去向")
    assert zh.rows[-2][4] == "被 filter 表 KUBE-EXTERNAL-SERVICES 链的规则 1 丢弃"
    same_data(en, zh, 1, 2, 3)
    translated(en, zh, 0)
    translated(en, zh, 4)


def test_branch_tables_caption_events_fate_and_probability() -> None:
    model = scenarios.tracer()
    nodeport = model.trace(
        parse_packet(scenarios.PACKETS["NodePort from outside (Cluster policy)"])
    )
    b = nodeport.branches[0]
    en, zh = both(report.branch_table, b, probability=True)
    assert en.caption == (
        "p = 0.5: mark set to 0x4000 (PREROUTING nat KUBE-MARK-MASQ #1); DNAT 192.0.2.1:30080 "
        "-> 10.244.1.2:8080; routing: forward 10.244.1.2 via cni0; mark set to 0x0 "
        "(POSTROUTING nat KUBE-POSTROUTING #2); MASQUERADE 10.0.0.5 -> 192.0.2.2 (address of cni0)"
    )
    assert zh.caption == (
        "p = 0.5: mark 设为 0x4000（PREROUTING nat KUBE-MARK-MASQ #1）；DNAT 192.0.2.1:30080 "
        "-> 10.244.1.2:8080；路由：经 cni0 转发 10.244.1.2；mark 设为 0x0"
        "（POSTROUTING nat KUBE-POSTROUTING #2）；MASQUERADE 10.0.0.5 -> 192.0.2.2（cni0 的地址）"
    )
    # the same table as the notebook built by hand before
    assert repr(en) == repr(
        report.steps_table(b.steps, caption=f"p = {b.probability}: " + "; ".join(b.events))
    )
    assert en.header == ("hook", "table", "chain", "rule", "verdict")
    assert zh.header == ("钩子", "表", "链", "规则", "裁决")
    same_data(en, zh, 0, 1, 2, 3, 4)

    packet = parse_packet(scenarios.PACKETS["NodePort, Local policy, no local endpoint"])
    nolocal = model.trace(packet).branches[0]
    en, zh = both(report.branch_table, nolocal, "fate")
    assert en.caption == "dropped by filter KUBE-EXTERNAL-SERVICES rule 1"
    assert zh.caption == "被 filter 表 KUBE-EXTERNAL-SERVICES 链的规则 1 丢弃"
    assert ("PREROUTING", "nat", "PREROUTING", "policy", "policy:ACCEPT") in zh.rows
    # rendering translated nothing in the trace itself
    assert nolocal.fate == "dropped by filter KUBE-EXTERNAL-SERVICES rule 1"


def test_compare_table_marks_a_difference_in_both_languages() -> None:
    b = scenarios.tracer().trace(parse_packet(scenarios.PACKETS["Service without endpoints"]))
    branch = b.branches[0]
    en, zh = both(report.compare_table, branch, branch.steps)
    assert en.header == ("#", "model", "kernel (xtables-monitor --trace)", "")
    assert zh.header == ("#", "模型", "内核（xtables-monitor --trace）", "")
    assert {r[3] for r in en.rows} == {r[3] for r in zh.rows} == {"="}
    en, zh = both(report.compare_table, branch, branch.steps[:-1])
    assert en.rows[-1][2:] == ("-", "DIFFERENT") and zh.rows[-1][2:] == ("-", "不同")


STALE_ROWS = [
    ("first query: kube-dns has one endpoint, 10.244.1.11", "NEW", "10.244.1.11:53"),
    ("that Pod is deleted; kube-proxy now sends DNS to 10.244.1.12", "-", "(no packet)"),
    ("the client retries from the same port (the same 5-tuple)", "ESTABLISHED", "10.244.1.11:53"),
    (
        "after `conntrack -D` for the old endpoint (what kube-proxy does)",
        "NEW",
        "10.244.1.12:53",
    ),
]


def test_stale_udp_story_model_and_live_rows() -> None:
    en, zh = both(scenarios.stale_udp_model)
    assert [tuple(r) for r in en.rows] == STALE_ROWS
    assert en.header == ("step", "conntrack", "query goes to")
    assert zh.header == ("步骤", "conntrack", "查询发往")
    assert zh.rows[1] == (
        "这个 Pod 被删除；kube-proxy 现在把 DNS 发往 10.244.1.12",
        "-",
        "（没有数据包）",
    )
    assert "`conntrack -D`" in zh.rows[3][0]
    same_data(en, zh, 1)
    translated(en, zh, 0)
    # the live cell renders the kernel's rows (English data) the same way
    live = scenarios.stale_udp_table(STALE_ROWS, lang="zh")
    assert live.rows == zh.rows and live.header == zh.header


def test_table_full_model() -> None:
    en, zh = both(scenarios.table_full_model, 4)
    assert en.caption == zh.caption == "nf_conntrack_max = 4"
    assert en.header == ("new connection", "result", "note", "entries", "dropped")
    assert en.rows[4] == (
        "flow 5 (sport 41004)",
        "NEW",
        "early_drop evicted an unassured entry",
        4,
        0,
    )
    assert zh.rows[4] == (
        "流 5（sport 41004）",
        "NEW",
        "early_drop 逐出了一条未确认（unassured）的条目",
        4,
        0,
    )
    assert zh.rows[6] == ("流 7（sport 41006）", "DROPPED", "-", 4, 2)
    same_data(en, zh, 1, 3, 4)


def test_ipvs_tables_both_languages() -> None:
    en, zh = both(chapter.ipvs_entries_table)
    assert en.caption.startswith("ip_vs_ops4[] (IPv4); from v5.16")
    assert zh.caption.startswith("ip_vs_ops4[]（IPv4）；从 v5.16 起")
    assert en.rows[0][3] == "VS/NAT replies: source back to the virtual IP"
    same_data(en, zh, 0, 1, 2, 4)
    translated(en, zh, 3)

    en, zh = both(chapter.clusterip_path_table)
    assert en.rows[0] == (
        1,
        "PREROUTING",
        "nat",
        -100,
        "KUBE-SERVICES: mark for SNAT, ACCEPT (no DNAT)",
    )
    assert zh.rows[0][4] == "KUBE-SERVICES：打上 SNAT 标记，ACCEPT（不做 DNAT）"
    same_data(en, zh, 0, 1, 2, 3)
    translated(en, zh, 4)

    en, zh = both(chapter.ipvs_mode_table)
    assert [tuple(r) for r in en.rows] == [
        ("client to ClusterIP:80", "delivered to a local process", "0x4000 (masquerade)"),
        ("Pod to ClusterIP:80", "delivered to a local process", "-"),
        ("client to ClusterIP:22", "rejected by filter KUBE-IPVS-FILTER rule 2", "-"),
        ("client to ClusterIP:80, no kube-ipvs0", "forwarded via eth0", "-"),
    ]
    assert zh.rows[2] == (
        "客户端访问 ClusterIP:22",
        "被 filter 表 KUBE-IPVS-FILTER 链的规则 2 拒绝",
        "-",
    )
    translated(en, zh, 0)
    translated(en, zh, 1)
    translated(en, zh, 2)


def test_live_tables_render_the_kernels_rows() -> None:
    rows = [
        ("client to ClusterIP:80", 9, "same", "delivered to a local process"),
        ("client to ClusterIP:22", 5, "DIFFERENT", "rejected by filter KUBE-IPVS-FILTER rule 2"),
    ]
    en, zh = both(chapter.ipvs_live_table, rows)
    assert [tuple(r) for r in en.rows] == rows
    assert en.header == ("packet", "kernel steps", "model's steps", "fate")
    assert zh.rows == [
        ("客户端访问 ClusterIP:80", 9, "相同", "交给本机进程"),
        ("客户端访问 ClusterIP:22", 5, "不同", "被 filter 表 KUBE-IPVS-FILTER 链的规则 2 拒绝"),
    ]
    rows = [("Pod to outside", "same", "192.0.2.1", "192.0.2.1")]
    en, zh = both(chapter.calico_live_table, rows)
    assert [tuple(r) for r in en.rows] == rows
    assert zh.rows == [("Pod 访问外部", "相同", "192.0.2.1", "192.0.2.1")]
    assert zh.header == ("数据包", "步骤", "源地址（内核）", "源地址（模型）")


def test_calico_table() -> None:
    en, zh = both(chapter.calico_table)
    assert en.header == ("packet", "addresses", "leaves with source", "source")
    assert en.rows[0] == ("Pod to outside", "10.244.1.5 > 198.51.100.7", "192.0.2.1", "MASQUERADE")
    assert zh.rows[0] == ("Pod 访问外部", "10.244.1.5 > 198.51.100.7", "192.0.2.1", "MASQUERADE")
    assert zh.rows[1][3] == "不变"
    same_data(en, zh, 1, 2)
    translated(en, zh, 0)


def test_nft_tables_both_languages() -> None:
    en, zh = both(nft_scenarios.side_by_side)
    assert en.header[-1] == "fate (nftables mode)" and zh.header[-1] == "去向（nftables 模式）"
    assert en.rows[-2][-1] == "dropped by ip kube-proxy nodeport-endpoints-check handle 19"
    # the nftables table is two words: family and name
    assert zh.rows[-2][-1] == "被 ip kube-proxy 表 nodeport-endpoints-check 链句柄为 19 的规则丢弃"
    same_data(en, zh, 1, 2, 3, 5)
    translated(en, zh, 0)
    translated(en, zh, 4)
    translated(en, zh, 6)

    packet = parse_packet(scenarios.PACKETS["NodePort from outside (Cluster policy)"])
    branch = nft_scenarios.tracer().trace(packet).branches[0]
    en, zh = both(nft_scenarios.steps_table, branch)
    assert en.caption.startswith("p = 1/2: forwarded via cni0; meta mark set to 0x4000; DNAT")
    assert zh.caption.startswith("p = 1/2: 经 cni0 转发；meta mark 设为 0x4000；DNAT")
    assert zh.header == ("钩子", "链", "句柄", "裁决", "规则")
    same_data(en, zh, 0, 1, 2, 3, 4)


def test_kernel_agreement_table() -> None:
    agreement = nft_scenarios.Agreement(
        (
            ("PREROUTING", "nat-prerouting", 60, "JUMP"),
            ("FORWARD", "filter-forward", "policy", "policy:ACCEPT"),
        ),
        Fraction(1, 2),
        "10.244.2.3:8080",
        "192.0.2.2",
        "10.244.2.3:8080",
        "192.0.2.2",
    )
    en, zh = agreement.table(), agreement.table(lang="zh")
    assert en.caption == (
        "the kernel's path (nft monitor trace) is the model's branch with p = 1/2; kernel: "
        "10.244.2.3:8080 from 192.0.2.2, model: 10.244.2.3:8080 from 192.0.2.2"
    )
    assert en.header == ("hook", "chain", "handle", "verdict")
    assert zh.caption.startswith("内核走的路径（nft monitor trace）就是模型中 p = 1/2 的那个分支")
    assert zh.rows == en.rows


# ------------------------------------------------------------ the phrases the trace keeps
def every_trace_text() -> tuple[set[str], set[str]]:
    """The fates and events of every packet the notebook traces, in both modes."""
    fates, events = set(), set()
    ipt, nft = scenarios.tracer(), nft_scenarios.tracer()
    packets = [*scenarios.PACKETS.values(), TO_8080, TO_22, scenarios.DNS_PACKET]
    for text in packets:
        for model in (ipt, nft, scenarios.tracer(DNAT_RULES), scenarios.tracer(NOTRACK_RULES)):
            for b in model.trace(parse_packet(text)).branches:
                fates.add(b.fate)
                events.update(b.events)
    return fates, events


def test_every_fate_and_event_of_the_notebook_reads_in_chinese() -> None:
    fates, events = every_trace_text()
    assert (
        "delivered to a local process" in fates
        and "routing: 192.0.2.1 is local, to input" in events
    )
    for text in fates:
        assert messages.fate.recognises(text), text
        assert chinese(messages.fate(text, "zh")), text
        assert messages.fate(text, "en") == text
    # NAT rewrites (DNAT a -> b) read the same in both languages; everything else translates
    for text in events:
        if text.startswith(("DNAT ", "SNAT ", "NETMAP ")):
            assert not messages.event.recognises(text) and messages.event(text, "zh") == text
        else:
            assert messages.event.recognises(text), text
            assert chinese(messages.event(text, "zh")), text


def test_phrases_take_fields_from_the_english_and_keep_unknown_text() -> None:
    assert messages.fate("undecided: unsupported match foo in rule 3 of filter X; the trace "
                         "cannot decide whether the rule matches", "zh") == (
        "无法判定：filter 表 X 链的规则 3 用了不支持的匹配 foo；追踪无法判定这条规则是否匹配"
    )  # fmt: skip
    assert messages.fate("dropped by the policy of filter FORWARD", "zh") == (
        "被 filter 表 FORWARD 链的默认策略丢弃"
    )
    assert messages.event("nat POSTROUTING skipped: conntrack state ESTABLISHED", "zh") == (
        "跳过 nat POSTROUTING：conntrack 状态为 ESTABLISHED"
    )
    assert messages.fate("something no template wrote", "zh") == "something no template wrote"
    assert messages.label("a scenario not in the catalog", "zh") == "a scenario not in the catalog"
    with pytest.raises(UnknownLanguage):
        messages.fate("dropped", "fr")
    with pytest.raises(UnknownLanguage):
        messages.joined(["a"], "fr")


def test_the_rarer_fates_read_in_chinese_around_the_rules_own_words() -> None:
    """Fates from real traces that stop where the model ends: the frame is Chinese, the
    rule's own match or target, table, chain and number stay as iptables/nft spell them."""
    from infranotes.netfilter import Tracer, parse_iptables_save
    from infranotes.netfilter.nft import NftTracer, parse_nft_json
    from infranotes.netfilter.nft import build as b

    from .test_trace import NODE, PKT, ruleset

    def ipt(rules: str) -> str:
        trace = Tracer(parse_iptables_save(ruleset(rules)), NODE).trace(parse_packet(PKT))
        (branch,) = trace.branches
        return branch.fate

    match = ipt("-A FORWARD -m owner --uid-owner 0 -j DROP")
    target = ipt("-A FORWARD -j NFQUEUE --queue-num 1")
    nft_doc = b.document(
        [
            b.table("ip", "t"),
            b.chain("ip", "t", "fwd", hook="forward", policy="accept"),
            b.rule("ip", "t", "fwd", b.verdict("jump", "nowhere")),
        ]
    )
    (branch,) = NftTracer(parse_nft_json(nft_doc, "t"), NODE).trace(parse_packet(PKT)).branches
    jump = branch.fate
    assert jump == "unsupported: jump to a chain 'nowhere' not in the ruleset"
    assert messages.fate(match, "zh") == (
        "无法判定：filter 表 FORWARD 链的规则 1 用了不支持的匹配 -m owner "
        "(it reads the sending process's uid/gid)；追踪无法判定这条规则是否匹配"
    )
    assert messages.fate(target, "zh").startswith(
        "无法判定：filter 表 FORWARD 链的规则 1 用了不支持的目标 NFQUEUE"
    ) and messages.fate(target, "zh").endswith("；追踪无法判定它对数据包做了什么")
    assert messages.fate(jump, "zh") == "不支持：jump 到规则集中没有的链 'nowhere'"
    for fate in (match, target, jump):
        assert messages.fate(fate, "en") == fate
        assert "unsupported" not in messages.fate(fate, "zh")
