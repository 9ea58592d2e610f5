"""Issue 17: conntrack beyond --ctstate, iprange, stateful recent/nth, exact fractions, the
survey's every match and target, and the node's interfaces (each held against the kernel in
tests/oracles/test_netfilter_oracle.py)."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infranotes.cli import main
from infranotes.errors import ParseError
from infranotes.netfilter import Tracer, parse_iptables_save, parse_packet
from infranotes.netfilter.kubeproxy import Endpoint, ServicePort, kube_proxy_rules
from infranotes.netfilter.matches import (
    EVALUATORS,
    UNDECIDABLE,
    Memory,
    kernel_probability,
    nominal_probability,
)
from infranotes.netfilter.packet import Node, parse_iface
from infranotes.netfilter.survey import SURVEY, rows
from infranotes.netfilter.trace import UNDECIDABLE_TARGETS

from .test_trace import NODE, PKT, ruleset, trace


def fate(rule: str, packet: str = PKT, **kw: str) -> str:
    return trace(ruleset(f"-A FORWARD {rule} -j DROP", **kw), packet).branches[0].fate


@pytest.mark.parametrize(
    ("rule", "hit"),
    [
        ("-m conntrack --ctorigsrc 10.0.0.0/24", True),
        ("-m conntrack ! --ctorigsrc 10.0.0.0/24", False),
        ("-m conntrack --ctorigdst 10.244.1.2", True),
        ("-m conntrack --ctreplsrc 10.244.1.2", True),  # no NAT: reply comes from the dst
        ("-m conntrack --ctrepldst 10.0.0.5", True),
        ("-m conntrack ! --ctrepldst 10.0.0.5", False),
        ("-m conntrack --ctorigsrcport 40000", True),
        ("-m conntrack --ctorigsrcport 1:1023", False),
        ("-m conntrack --ctreplsrcport 80", True),
        ("-m conntrack --ctrepldstport 40000:40010", True),
        ("-m conntrack --ctstatus CONFIRMED", False),  # unconfirmed until it leaves
        ("-m conntrack --ctstatus NONE", False),
        ("-m conntrack ! --ctstatus SEEN_REPLY,ASSURED", True),
        ("-m conntrack --ctdir REPLY", False),
        ("-m conntrack --ctdir ORIGINAL", True),
        ("-m iprange --src-range 10.0.0.1-10.0.0.5", True),
        ("-m iprange --src-range 10.0.0.6-10.0.0.9", False),
        ("-m iprange ! --dst-range 10.244.1.3-10.244.1.9", True),
        ("-m iprange --dst-range 10.244.1.2", True),
        ("-m helper --helper ftp", False),
        ("-m helper ! --helper ftp", True),
        ("-m hashlimit --hashlimit-above 1/sec --hashlimit-name a", False),
        ("-m hashlimit --hashlimit-upto 1/sec --hashlimit-name a", True),
        ("-m policy --dir in --pol none", True),
        ("-m policy --dir in --pol ipsec", False),
        ("-m rpfilter", True),
        ("-m rpfilter --invert", False),
        ("-p tcp -m sctp --dport 80", False),  # sctp match on a tcp packet
    ],
)
def test_new_matches(rule: str, hit: bool) -> None:
    assert fate(rule).startswith("dropped") == hit, fate(rule)


def test_conntrack_reply_tuple_follows_dnat() -> None:
    rules = ruleset(
        "-A FORWARD -m conntrack --ctreplsrc 10.244.1.9 --ctreplsrcport 8080 "
        "--ctorigdst 10.96.0.9 --ctorigdstport 80 -j DROP",
        nat="-A PREROUTING -d 10.96.0.9/32 -p tcp -j DNAT --to-destination 10.244.1.9:8080",
    )
    assert (
        trace(rules, "tcp 10.0.0.5:1 > 10.96.0.9:80 iif eth0")
        .branches[0]
        .fate.startswith("dropped")
    )


def test_untracked_packet_matches_only_a_state_test() -> None:
    """xt_conntrack.c conntrack_mt: without an entry, the verdict is 'had a state test'."""
    raw = "-A PREROUTING -j CT --notrack"
    assert fate("-m conntrack --ctstate UNTRACKED --ctorigdst 1.2.3.4", raw=raw).startswith(
        "dropped"
    )
    assert not fate("-m conntrack ! --ctorigdst 1.2.3.4", raw=raw).startswith("dropped")


def test_ctstatus_assured_of_established_is_undecided() -> None:
    f = fate("-m conntrack --ctstatus ASSURED", PKT + " state ESTABLISHED")
    assert f.startswith("undecided: unsupported match -m conntrack --ctstatus ASSURED")
    assert fate("-m conntrack --ctstatus SEEN_REPLY", PKT + " state ESTABLISHED").startswith(
        "dropped"
    )


@pytest.mark.parametrize(
    ("text", "nominal"),
    [
        ("0.33333333349", Fraction(1, 3)),
        ("0.50000000000", Fraction(1, 2)),
        ("0.25000000000", Fraction(1, 4)),
        ("0.14285714272", Fraction(1, 7)),
        ("0.10000000009", Fraction(1, 10)),
        ("1.00000000000", Fraction(1)),
        ("0.00000000000", Fraction(0)),
    ],
)
def test_nominal_probability(text: str, nominal: Fraction) -> None:
    assert nominal_probability(text) == nominal
    # the nominal value is one the kernel stores exactly as it stores the printed one
    assert kernel_probability(str(float(nominal))) == kernel_probability(text)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=60))
def test_kube_proxy_shares_are_exact(n: int) -> None:
    """kube-proxy's 1/(n-i) rules, as %.11f text, give each endpoint exactly 1/n."""
    eps = tuple(Endpoint(f"10.244.{i // 200}.{i % 200 + 2}", 8080) for i in range(n))
    rules = kube_proxy_rules([ServicePort("ns", "web", "10.96.0.20", 80, endpoints=eps)])
    t = trace(rules, "tcp 10.0.0.5:1 > 10.96.0.20:80 iif eth0")
    assert len(t.branches) == n
    assert all(b.share == Fraction(1, n) for b in t.branches)
    assert sum(b.share for b in t.branches) == 1
    doc = t.to_json()
    assert sum(Fraction(b["probability"]) for b in doc["branches"]) == 1


@settings(max_examples=60, deadline=None)
@given(
    every=st.integers(min_value=1, max_value=6),
    data=st.data(),
    count=st.integers(min_value=1, max_value=14),
    inverted=st.booleans(),
)
def test_nth_is_a_counter(every: int, data, count: int, inverted: bool) -> None:
    """Evaluation k (from 0) matches when k % every == packet (libxt_statistic.c +
    xt_statistic.c); no fork, ever; inverted swaps the two outcomes."""
    packet = data.draw(st.integers(min_value=0, max_value=every - 1))
    neg = "! " if inverted else ""
    rules = ruleset(
        f"-A FORWARD -m statistic --mode nth {neg}--every {every} --packet {packet} -j DROP"
    )
    tracer = Tracer(parse_iptables_save(rules), NODE)
    pkts = [
        parse_packet(f"tcp 10.0.0.5:{40000 + k} > 10.244.1.2:80 iif eth0") for k in range(count)
    ]
    (history,) = tracer.sequence(pkts)
    dropped = [b.fate.startswith("dropped") for b in history.branches]
    assert dropped == [(k % every == packet) != inverted for k in range(count)]


def test_recent_affinity_first_packet_then_sticky() -> None:
    eps = (Endpoint("10.244.1.7", 80), Endpoint("10.244.1.8", 80), Endpoint("10.244.1.9", 80))
    rules = kube_proxy_rules(
        [ServicePort("ns", "web", "10.96.0.24", 80, endpoints=eps, affinity=True)]
    )
    tracer = Tracer(parse_iptables_save(rules), NODE)
    pkts = [parse_packet(f"tcp 10.0.0.5:{k + 1} > 10.96.0.24:80 iif eth0") for k in range(3)]
    histories = tracer.sequence(pkts)
    assert len(histories) == 3 and all(h.share == Fraction(1, 3) for h in histories)
    for h in histories:
        assert len(set(h.destinations)) == 1  # the client stays on its endpoint
    # another client is not on any list: it forks again
    first = histories[0].branches[-1].memory
    other = tracer.trace(parse_packet("tcp 10.0.0.6:1 > 10.96.0.24:80 iif eth0"), first)
    assert len(other.branches) == 3
    # --seen: a memory naming the list is the same as having sent the first packet
    (sep_list,) = [k for k, v in first.recent.items() if v]
    seen = Memory({sep_list: {"10.0.0.5": 1}})
    again = tracer.trace(pkts[0], seen)
    assert [b.destination for b in again.branches] == [histories[0].destinations[0]]


def test_recent_remove_update_hitcount_rdest() -> None:
    rules = ruleset(
        """-A FORWARD -m recent --name r --rcheck --hitcount 2 -j DROP
-A FORWARD -m recent --name r --set
-A FORWARD -m recent --name d --rdest --set"""
    )
    tracer = Tracer(parse_iptables_save(rules), NODE)
    p = parse_packet(PKT)
    (h,) = tracer.sequence([p, p, p])
    assert [b.fate.startswith("dropped") for b in h.branches] == [False, False, True]
    assert h.memory.recent["d"] == {"10.244.1.2": 2}
    removing = ruleset("-A FORWARD -m recent --name r --remove -j DROP")
    t = Tracer(parse_iptables_save(removing), NODE).trace(p, Memory({"r": {"10.0.0.5": 1}}))
    assert t.branches[0].fate.startswith("dropped") and t.branches[0].memory.recent["r"] == {}


def test_connmark_masks() -> None:
    rules = ruleset(
        mangle="-A FORWARD -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xf0\n"
        "-A FORWARD -j CONNMARK --restore-mark --nfmask 0x0f --ctmask 0x0f"
    )
    b = trace(rules, PKT + " mark 0x1234").branches[0]
    # save: ct = (0 & ~0xf0) ^ (0x1234 & 0xff) = 0x34; restore: (0x1234 & ~0xf) ^ (0x34 & 0xf)
    assert b.packet.ctmark == 0x34 and b.packet.mark == 0x1234


def test_netmap_and_continue_targets() -> None:
    rules = ruleset(
        "-A FORWARD -p tcp -j TCPMSS --clamp-mss-to-pmtu",
        nat="-A PREROUTING -d 10.96.9.0/24 -j NETMAP --to 10.244.1.0/24",
    )
    b = trace(rules, "tcp 10.0.0.5:1 > 10.96.9.7:80 iif eth0").branches[0]
    assert b.destination == "10.244.1.7:80" and b.fate.startswith("forwarded")


def _survey_ruleset(entry) -> str:
    base = {"filter": "FORWARD", "nat": "PREROUTING", "mangle": "PREROUTING", "raw": "PREROUTING"}
    chain = base[entry.table]
    if re.search(r"-j (MASQUERADE|SNAT)", entry.example):
        chain = "POSTROUTING"  # source NAT is valid only there
    user = re.findall(r"-g (\S+)", entry.example)
    line = f"-A {chain} {entry.example}"
    kw = {"filter": "filter_rules", "nat": "nat", "mangle": "mangle", "raw": "raw"}
    extra = "\n".join(f"-A {c} -j RETURN" for c in user)
    body = line + ("\n" + extra if extra else "")
    if entry.table == "filter":
        return ruleset(body, chains=" ".join(user))
    return ruleset(**{kw[entry.table]: body})


@pytest.mark.parametrize("entry", SURVEY, ids=[f"{e.kind}:{e.name}" for e in SURVEY])
def test_every_surveyed_match_and_target(entry) -> None:
    """Each entry of the survey is either decided or said to be undecided, explicitly."""
    rs = parse_iptables_save(_survey_ruleset(entry))
    sets = {"cali40s": ("10.0.0.0/8",), "docker-ext-bridges-v4": ("10.244.0.0/16",)}
    outcomes = []
    for pkt in (PKT, "udp 10.0.0.5:40000 > 10.244.1.2:53 iif eth0"):
        t = Tracer(rs, NODE, sets).trace(parse_packet(pkt))
        assert t.branches and all(b.steps for b in t.branches)
        for b in t.branches:
            if b.undecided:
                assert b.steps[-1].verdict == "UNDECIDED"
                assert re.search(r"unsupported (match|target) .+ in rule \d+ of ", b.fate)
        outcomes += [b.undecided for b in t.branches]
    assert any(outcomes) == (entry.status == "undecided"), entry


def test_survey_names_only_what_the_code_knows() -> None:
    for e in SURVEY:
        modules = re.findall(r"-m (\S+)", e.example)
        for m in modules:
            assert m in EVALUATORS or m in UNDECIDABLE, m
        target = re.search(r"-j (\S+)", e.example)
        if e.status == "undecided" and e.kind == "target":
            assert target and target.group(1) in UNDECIDABLE_TARGETS
    assert {r[3] for r in rows()} == {"modelled", "undecided"}


def test_parse_iface_and_node() -> None:
    name, iface = parse_iface("eth1=172.16.0.4/24")
    assert name == "eth1" and str(iface.network) == "172.16.0.0/24"
    for bad in ("eth1", "eth1=172.16.0.4", "=1.2.3.4/24", "eth1=300.1.1.1/24", "eth1=1.2.3.4/40"):
        with pytest.raises(ParseError):
            parse_iface(bad)
    node = Node.from_interfaces(
        [parse_iface("eth0=192.0.2.10/24"), parse_iface("eth1=172.16.0.4/24")], "eth0"
    )
    assert node.route("172.16.0.99").dev == "eth1" and node.route("8.8.8.8").dev == "eth0"
    assert node.is_local("172.16.0.4") and not node.is_local("172.16.0.5")


def test_cli_iface_then_seen(capsys, tmp_path) -> None:
    eps = (Endpoint("172.16.0.7", 80), Endpoint("172.16.0.8", 80))
    rules = tmp_path / "r.rules"
    rules.write_text(
        kube_proxy_rules([ServicePort("ns", "web", "10.96.0.24", 80, endpoints=eps, affinity=True)])
    )
    base = ["iptables", "trace", "--rules", str(rules), "--iface", "eth0=192.0.2.10/24"]
    base += ["--iface", "eth1=172.16.0.1/24", "--packet", "tcp 10.0.0.5:1 > 10.96.0.24:80 iif eth0"]
    assert main([*base, "--then", "tcp 10.0.0.5:2 > 10.96.0.24:80 iif eth0", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [h["probability"] for h in doc["histories"]] == ["1/2", "1/2"]
    for h in doc["histories"]:
        assert len(set(h["destinations"])) == 1
        assert h["branches"][0]["fate"] == "forwarded via eth1"  # the connected route of eth1
    assert main([*base, "--then", "tcp 10.0.0.5:2 > 10.96.0.24:80 iif eth0"]) == 0
    out = capsys.readouterr().out
    assert "history 2: p=1/2 (0.5000)" in out and "state: a freshly loaded ruleset" in out
    sep = re.search(r"--name (KUBE-SEP-\S+) --mask", rules.read_text()).group(1)
    assert main([*base, "--seen", f"{sep}=10.0.0.5", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [b["probability"] for b in doc["branches"]] == ["1"]
    assert doc["state"]["recent"] == {sep: ["10.0.0.5"]}
    assert main([*base, "--local-address", "1.2.3.4"]) == 2
    assert "--iface names every address" in capsys.readouterr().err
    assert main([*base[:4], "--iface", "eth0", "--packet", "tcp 1.1.1.1:1 > 2.2.2.2:2"]) == 2


def test_sequence_history_limit() -> None:
    """Random choices multiply the histories; past the limit the tracer refuses, by name."""
    from infranotes.netfilter.trace import SequenceTooLarge

    eps = tuple(Endpoint(f"10.244.1.{i + 2}", 80) for i in range(3))
    rules = kube_proxy_rules([ServicePort("ns", "web", "10.96.0.20", 80, endpoints=eps)])
    tracer = Tracer(parse_iptables_save(rules), NODE)
    pkts = [parse_packet(f"tcp 10.0.0.5:{k + 1} > 10.96.0.20:80 iif eth0") for k in range(4)]
    assert len(tracer.sequence(pkts[:3], limit=27)) == 27
    with pytest.raises(SequenceTooLarge, match="more than 27 histories after 4 packets"):
        tracer.sequence(pkts, limit=27)


def test_helper_reads_the_master() -> None:
    """xt_helper.c: only a RELATED connection has a master whose helper it reads."""
    raw = "-A PREROUTING -p tcp -m tcp --dport 80 -j CT --helper ftp"
    t = trace(ruleset("-A FORWARD -m helper --helper ftp -j DROP", raw=raw), PKT)
    assert t.branches[0].fate.startswith("forwarded")
    assert "conntrack helper ftp attached (CT --helper)" in t.branches[0].events
    related = fate("-m helper --helper ftp", PKT + " state RELATED")
    assert related.startswith("undecided: unsupported match -m helper on a RELATED packet")
