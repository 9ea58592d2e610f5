"""The tracer: each match, each target, and each rule of hook traversal."""

from __future__ import annotations

import ipaddress

import pytest

from infranotes.errors import ParseError
from infranotes.netfilter import Node, Tracer, parse_iptables_save, parse_packet
from infranotes.netfilter.hooks import HOOK_ORDER, tables_at
from infranotes.netfilter.kubeproxy import Endpoint, ServicePort, kube_proxy_rules
from infranotes.netfilter.packet import Route

NODE = Node(
    {"eth0": ("192.168.1.10",), "cni0": ("10.244.0.1",), "lo": ("127.0.0.1",)},
    (
        Route(ipaddress.IPv4Network("10.244.0.0/16"), "cni0"),
        Route(ipaddress.IPv4Network("0.0.0.0/0"), "eth0"),
    ),
)
CT = "-A OUTPUT -m conntrack --ctstate INVALID -j DROP"  # keeps conntrack (and so nat) active


def ruleset(
    filter_rules: str = "",
    nat: str = "",
    raw: str = "",
    mangle: str = "",
    forward: str = "ACCEPT",
    chains: str = "",
) -> str:
    out = []
    if raw:
        out += ["*raw", ":PREROUTING ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", raw, "COMMIT"]
    if mangle:
        out += [
            "*mangle",
            *[
                f":{c} ACCEPT [0:0]"
                for c in ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING")
            ],
            mangle,
            "COMMIT",
        ]
    if nat:
        out += [
            "*nat",
            *[f":{c} ACCEPT [0:0]" for c in ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING")],
            nat,
            "COMMIT",
        ]
    out += [
        "*filter",
        ":INPUT ACCEPT [0:0]",
        f":FORWARD {forward} [0:0]",
        ":OUTPUT ACCEPT [0:0]",
        *[f":{c} - [0:0]" for c in chains.split()],
        CT,
        filter_rules,
        "COMMIT",
    ]
    return "\n".join(line for line in out if line) + "\n"


def trace(rules: str, packet: str, node: Node = NODE):
    return Tracer(parse_iptables_save(rules), node).trace(parse_packet(packet))


def verdicts(t) -> list[tuple]:
    assert len(t.branches) == 1
    return [(s.hook, s.table, s.chain, s.rule, s.verdict) for s in t.branches[0].steps]


PKT = "tcp 10.0.0.5:40000 > 10.244.1.2:80 iif eth0"


@pytest.mark.parametrize(
    ("rule", "hit"),
    [
        ("-s 10.0.0.0/8", True),
        ("! -s 10.0.0.0/8", False),
        ("-d 10.244.1.2", True),
        ("-i eth+", True),
        ("-i eth1", False),
        ("-o cni0", True),
        ("-p tcp", True),
        ("-p 6", True),
        ("-p udp", False),
        ("-p all", True),
        ("-p tcp -m tcp --dport 80", True),
        ("-p tcp -m tcp --dport 1:79", False),
        ("-p tcp -m tcp ! --dport 81", True),
        ("-p tcp -m tcp --sport 40000:", True),
        ("-p tcp -m tcp --syn", True),
        ("-p tcp -m tcp --tcp-flags SYN,ACK SYN", True),
        ("-p tcp -m multiport --dports 22,80,443", True),
        ("-m multiport --dports 1000:2000", False),
        ("-m comment --comment x", True),
        ("-m conntrack --ctstate NEW", True),
        ("-m conntrack --ctstate ESTABLISHED", False),
        ("-m conntrack --ctorigdst 10.244.1.2/32", True),
        ("-m conntrack --ctorigdstport 80", True),
        ("-m conntrack --ctproto tcp", True),
        ("-m conntrack --ctdir ORIGINAL", True),
        ("-m state --state NEW", True),
        ("-m mark --mark 0x0", True),
        ("-m mark --mark 0x1/0x1", False),
        ("-m connmark --mark 0x0", True),
        ("-m addrtype --dst-type UNICAST", True),
        ("-m addrtype --dst-type LOCAL", False),
        ("-m addrtype --src-type LOCAL", False),
        ("-m addrtype ! --dst-type LOCAL", True),
        ("-m physdev --physdev-is-bridged", False),
        ("-m physdev ! --physdev-is-bridged", True),
        ("-m recent --name X --rcheck --seconds 60", False),
        ("-m recent --name X --set", True),
        ("-m limit --limit 5/sec", True),
        ("-p icmp -m icmp --icmp-type 8", False),
    ],
)
def test_each_match(rule: str, hit: bool) -> None:
    t = trace(ruleset(f"-A FORWARD {rule} -j DROP"), PKT)
    assert (t.branches[0].fate.startswith("dropped")) == hit, t.branches[0].fate


def test_icmp_and_ipset() -> None:
    rules = ruleset("-A FORWARD -p icmp -m icmp --icmp-type echo-request -j DROP")
    assert (
        trace(rules, "icmp 10.0.0.5 > 10.244.1.2 iif eth0").branches[0].fate.startswith("dropped")
    )
    rs = parse_iptables_save(ruleset("-A FORWARD -m set --match-set blocked src -j DROP"))
    hit = Tracer(rs, NODE, {"blocked": ("10.0.0.0/24",)}).trace(parse_packet(PKT))
    assert hit.branches[0].fate.startswith("dropped")
    unknown = Tracer(rs, NODE).trace(parse_packet(PKT))
    assert "ipset 'blocked': contents not supplied" in unknown.branches[0].fate


def test_unsupported_is_said_not_guessed() -> None:
    t = trace(ruleset("-A FORWARD -m owner --uid-owner 0 -j DROP"), PKT)
    assert t.branches[0].fate == (
        "undecided: unsupported match -m owner (it reads the sending process's uid/gid) "
        "in rule 1 of filter FORWARD; the trace cannot decide whether the rule matches"
    )
    assert t.branches[0].steps[-1].verdict == "UNDECIDED" and t.branches[0].steps[-1].rule == 1
    t2 = trace(ruleset("-A FORWARD -j NFQUEUE --queue-num 1"), PKT)
    assert t2.branches[0].undecided and "unsupported target NFQUEUE" in t2.branches[0].fate
    t3 = trace(ruleset("-A FORWARD -p tcp -j TCPMSS --clamp-mss-to-pmtu"), PKT)
    assert verdicts(t3)[0][-1] == "CONTINUE"  # TCPMSS edits the MSS option, then XT_CONTINUE


@pytest.mark.parametrize(
    ("target", "mark"),
    [
        ("--set-xmark 0x4000/0x4000", 0x4001),
        ("--set-mark 0x10/0xf0", 0x11),
        ("--or-mark 0x2", 0x3),
        ("--and-mark 0x0", 0x0),
        ("--xor-mark 0x1", 0x0),
    ],
)
def test_mark_targets(target: str, mark: int) -> None:
    t = trace(ruleset(mangle=f"-A FORWARD -j MARK {target}"), PKT + " mark 0x1")
    assert t.branches[0].packet.mark == mark
    assert ("FORWARD", "mangle", "FORWARD", 1, "CONTINUE") in verdicts(t)


def test_connmark_save_restore() -> None:
    rules = ruleset(
        mangle="-A PREROUTING -j MARK --set-xmark 0x5/0xffffffff\n"
        "-A PREROUTING -j CONNMARK --save-mark\n-A PREROUTING -j MARK --set-xmark 0x0/0xffffffff\n"
        "-A PREROUTING -j CONNMARK --restore-mark"
    )
    assert trace(rules, PKT).branches[0].packet.mark == 0x5


def test_jump_return_goto_and_policy() -> None:
    rules = ruleset(
        "-A FORWARD -j A\n-A FORWARD -j ACCEPT\n-A A -g B\n-A A -j DROP\n-A B -j RETURN",
        forward="DROP",
        chains="A B",
    )
    assert verdicts(trace(rules, PKT)) == [
        ("FORWARD", "filter", "FORWARD", 1, "JUMP"),
        ("FORWARD", "filter", "A", 1, "GOTO"),
        ("FORWARD", "filter", "B", 1, "RETURN"),
        ("FORWARD", "filter", "FORWARD", 2, "ACCEPT"),
    ]
    dropped = trace(ruleset(forward="DROP"), PKT)
    assert dropped.branches[0].fate == "dropped by the policy of filter FORWARD"
    rejected = trace(ruleset("-A FORWARD -j REJECT"), PKT)
    assert rejected.branches[0].fate == "rejected by filter FORWARD rule 1"


def test_dnat_changes_the_routing_decision() -> None:
    to_pod = trace(
        ruleset(nat="-A PREROUTING -p tcp -j DNAT --to-destination 10.244.3.3:8080"),
        "tcp 10.0.0.5:1 > 192.168.1.10:80 iif eth0",
    )
    b = to_pod.branches[0]
    assert b.destination == "10.244.3.3:8080" and b.fate == "forwarded via cni0"
    assert [s.hook for s in b.steps].count("INPUT") == 0
    local = trace(ruleset(), "tcp 10.0.0.5:1 > 192.168.1.10:80 iif eth0")
    assert local.branches[0].fate == "delivered to a local process"


def test_nat_only_for_new_connections_and_notrack() -> None:
    nat = "-A PREROUTING -p tcp -j DNAT --to-destination 10.244.3.3:8080"
    est = trace(ruleset(nat=nat), PKT + " state ESTABLISHED").branches[0]
    assert est.destination == "10.244.1.2:80" and not any(s.table == "nat" for s in est.steps)
    assert "nat PREROUTING skipped: conntrack state ESTABLISHED" in est.events
    untracked = trace(ruleset(nat=nat, raw="-A PREROUTING -j CT --notrack"), PKT).branches[0]
    assert untracked.destination == "10.244.1.2:80" and untracked.packet.ctstate == "UNTRACKED"


def test_nat_needs_conntrack_in_the_namespace() -> None:
    text = (
        "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
        ":POSTROUTING ACCEPT [0:0]\n-A PREROUTING -j RETURN\nCOMMIT\n"
    )
    b = trace(text, PKT).branches[0]
    assert (
        b.steps == () and "nat PREROUTING not consulted: no rule enables conntrack here" in b.events
    )


def test_local_output_reroutes_after_dnat_and_masquerade() -> None:
    nat = (
        "-A OUTPUT -d 10.96.0.1/32 -p tcp -j DNAT --to-destination 10.244.2.2:6443\n"
        "-A POSTROUTING -o cni0 -j MASQUERADE"
    )
    b = trace(ruleset(nat=nat), "tcp 192.168.1.10:5000 > 10.96.0.1:443 local").branches[0]
    assert b.fate == "sent out via cni0" and b.packet.src == "10.244.0.1"
    assert "re-routed after DNAT: out via cni0" in b.events
    assert [s.hook for s in b.steps] == ["OUTPUT", "OUTPUT", "POSTROUTING"]


def test_forwarding_off_and_no_route() -> None:
    off = Node(NODE.addresses, NODE.routes, forwarding=False)
    assert "forwarding is off" in trace(ruleset(), PKT, off).branches[0].fate
    noroute = Node(NODE.addresses, ())
    assert trace(ruleset(), PKT, noroute).branches[0].fate == "no route to 10.244.1.2"


def test_hook_order_is_the_kernels() -> None:
    assert tables_at("PREROUTING") == ("raw", "mangle", "nat")
    assert tables_at("OUTPUT") == ("raw", "mangle", "nat", "filter", "security")
    assert tables_at("INPUT") == ("mangle", "filter", "security", "nat")
    for stages in HOOK_ORDER.values():
        assert [p for _, p in stages] == sorted(p for _, p in stages)


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_kube_proxy_statistic_gives_each_endpoint_an_equal_share(n: int) -> None:
    eps = tuple(Endpoint(f"10.244.1.{i + 2}", 8080) for i in range(n))
    rules = kube_proxy_rules([ServicePort("ns", "web", "10.96.0.20", 80, endpoints=eps)])
    t = trace(rules, "tcp 10.0.0.5:1 > 10.96.0.20:80 iif eth0")
    shares = {b.destination: b.probability for b in t.branches}
    assert set(shares) == {f"{e.ip}:8080" for e in eps}
    assert all(abs(p - 1 / n) < 1e-6 for p in shares.values())
    assert t.steps[:3] == t.branches[0].steps[:3]


def test_packet_parser_errors() -> None:
    for bad in (
        "tcp 10.0.0.5 > 10.0.0.6",
        "sctp 1.2.3.4:1 > 5.6.7.8:2",
        "tcp 1.2.3.999:1 > 1.2.3.4:5",
        "tcp 1.2.3.4:1 > 1.2.3.5:2 state WEIRD",
        "tcp 1.2.3.4:1 > 1.2.3.5:2 iif",
        "tcp 1.2.3.4:1 > 1.2.3.5:99999",
        "tcp 1.2.3.4:1 > 1.2.3.5:2 color red",
    ):
        with pytest.raises(ParseError):
            parse_packet(bad)


def test_statistic_nth_legacy_header_and_limit_iface() -> None:
    rules = ruleset("-A FORWARD -m statistic --mode nth --every 4 --packet 0 -j DROP")
    t = trace(rules, PKT)  # deterministic: the first evaluation is packet 0, so it matches
    assert len(t.branches) == 1 and t.branches[0].fate.startswith("dropped")
    legacy = parse_iptables_save("# Generated by iptables-legacy-save v1.8.9\n" + ruleset())
    assert legacy.backend == "legacy"
    local = ruleset("-A INPUT -m addrtype --dst-type LOCAL --limit-iface-in -j DROP")
    assert (
        trace(local, "tcp 10.0.0.5:1 > 192.168.1.10:22 iif eth0")
        .branches[0]
        .fate.startswith("dropped")
    )
    assert (
        trace(local, "tcp 10.0.0.5:1 > 10.244.0.1:22 iif eth0")
        .branches[0]
        .fate.startswith("delivered")
    )
