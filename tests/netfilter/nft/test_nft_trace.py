"""The nftables model and tracer: parsing, each expression kind, chains, NAT and forks."""

from __future__ import annotations

import ipaddress
import json
from fractions import Fraction

import pytest

from infranotes.errors import ParseError
from infranotes.netfilter.nft import NftTracer, parse_nft_json
from infranotes.netfilter.nft import build as b
from infranotes.netfilter.nft.expr import jhash
from infranotes.netfilter.packet import Node, Route, parse_packet

NODE = Node(
    {"eth0": ("192.168.1.10",), "cni0": ("10.244.0.1",), "lo": ("127.0.0.1",)},
    (
        Route(ipaddress.IPv4Network("10.244.0.0/16"), "cni0"),
        Route(ipaddress.IPv4Network("0.0.0.0/0"), "eth0"),
    ),
)
T = ("ip", "t")


def tracer(*items: dict, extra_chains: tuple[str, ...] = ()) -> NftTracer:
    doc = [b.table(*T)]
    doc += [b.chain(*T, c) for c in extra_chains]
    return NftTracer(parse_nft_json(b.document(doc + list(items)), "test"), NODE)


def fwd(*rules: dict, policy: str = "accept", extra: tuple[str, ...] = ()) -> NftTracer:
    items = [b.chain(*T, "fwd", hook="forward", policy=policy)]
    items += [b.rule(*T, "fwd", *r) if isinstance(r, tuple) else r for r in rules]
    return tracer(*items, extra_chains=extra)


def path(branch) -> list[tuple]:
    return [(s.chain, s.rule, s.verdict) for s in branch.steps]


PKT = parse_packet("tcp 10.0.0.5:40000 > 10.244.1.2:80 iif eth0")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("{", "not JSON"),
        ("[]", "nftables"),
        ('{"nftables": [1]}', "one key"),
        ('{"nftables": [{"table": {"family": "ipx", "name": "t"}}]}', "family"),
        (
            '{"nftables": [{"rule": {"family": "ip", "table": "t", "chain": "c", "expr": []}}]}',
            "not defined",
        ),
        (
            '{"nftables": [{"chain": {"family": "ip", "table": "t", "name": "c", '
            '"hook": "input", "prio": "weird"}}]}',
            "priority",
        ),
        ('{"nftables": [{"set": {"family": "ip", "table": "t", "name": "s"}}]}', "type"),
    ],
    ids=["json", "no-array", "item", "family", "chain", "priority", "set-type"],
)
def test_bad_input_is_a_parse_error_naming_the_source(text: str, expected: str) -> None:
    with pytest.raises(ParseError, match=expected) as exc:
        parse_nft_json(text, "rules.json")
    assert "rules.json" in str(exc.value)


def test_deep_json_is_refused_without_recursion() -> None:
    deep = {"match": {"op": "==", "left": b.meta("mark"), "right": 1}}
    for _ in range(200):
        deep = {"&": [deep, 1]}
    doc = b.document([b.table(*T), b.chain(*T, "c", hook="input"), b.rule(*T, "c", deep)])
    rs = parse_nft_json(doc, "deep.json")  # a rule's depth is checked when it first runs
    with pytest.raises(ParseError, match=r"deep\.json: rule 1 in chain c: expression nested"):
        NftTracer(rs, NODE).trace(PKT.with_(dst="192.168.1.10"))
    with pytest.raises(ParseError, match="nested too deeply"):
        parse_nft_json("[" * 100000 + "]" * 100000, "deeper.json")


def test_priorities_by_name_and_listing_order() -> None:
    items = [
        b.table(*T),
        {
            "chain": {
                "family": "ip",
                "table": "t",
                "name": "late",
                "hook": "forward",
                "type": "filter",
                "prio": "filter + 10",
            }
        },
        {
            "chain": {
                "family": "ip",
                "table": "t",
                "name": "early",
                "hook": "forward",
                "type": "filter",
                "prio": "mangle",
            }
        },
        b.chain(*T, "zero1", hook="forward", prio=0),
        b.chain(*T, "zero2", hook="forward", prio=0),
    ]
    rs = parse_nft_json(b.document(items))
    assert [c.name for c in rs.base_chains("forward", ("ip",))] == [
        "early",
        "zero1",
        "zero2",
        "late",
    ]
    assert [c.priority for c in rs.base_chains("forward", ("ip",))] == [-150, 0, 0, 10]


@pytest.mark.parametrize(
    "stmt, hit",
    [
        (b.match(b.payload("ip", "saddr"), "10.0.0.5"), True),
        (b.match(b.payload("ip", "saddr"), b.prefix("10.0.0.0/8")), True),
        (b.match(b.payload("ip", "saddr"), b.prefix("10.0.0.0/8"), "!="), False),
        (b.match(b.payload("ip", "daddr"), {"range": ["10.244.1.1", "10.244.1.9"]}), True),
        (b.match(b.payload("tcp", "dport"), 80), True),
        (b.match(b.payload("udp", "dport"), 80), False),
        (b.match(b.payload("udp", "dport"), 80, "!="), False),  # implicit l4proto udp
        (b.match(b.payload("th", "dport"), {"range": [0, 100]}), True),
        (b.match(b.payload("tcp", "dport"), b.anon(22, {"range": [79, 81]})), True),
        (b.match(b.meta("l4proto"), "tcp"), True),
        (b.match(b.meta("l4proto"), 6), True),
        (b.match(b.payload("ip", "protocol"), "udp"), False),
        (b.match(b.meta("l4proto"), b.anon("tcp", "udp")), True),
        (b.match(b.meta("iifname"), "eth0"), True),
        (b.match(b.meta("iifname"), "eth*"), True),
        (b.match(b.meta("oifname"), b.anon("cni0", "lo")), True),
        (b.match(b.ct("state"), "new", "in"), True),
        (b.match(b.ct("state"), ["established", "related"], "in"), False),
        (b.match(b.ct("status"), "dnat", "in"), False),
        (b.match(b.fib("daddr"), "local"), False),
        (b.match(b.fib("saddr"), "local"), False),
        (b.match(b.meta("mark"), 0), True),
        (b.match({"&": [b.meta("mark"), 0x4000]}, 0), True),
        (b.match(b.payload("tcp", "dport"), 1024, "<"), True),
        (b.match(b.payload("ip6", "saddr"), b.prefix("::/0")), False),  # never an IPv4 packet
        (b.match(b.payload("ip6", "saddr"), b.prefix("::/0"), "!="), False),
        (b.match(b.meta("nfproto"), "ipv6"), False),
        (b.match(b.meta("iif"), "eth0"), True),
        (b.match(b.ct("direction"), "original"), True),
        (
            b.match(
                b.concat(b.payload("ip", "saddr"), b.payload("tcp", "dport")),
                b.anon(b.concat(b.prefix("10.0.0.0/24"), 80)),
            ),
            True,
        ),
        (
            b.match(
                b.concat(b.payload("ip", "daddr"), b.meta("l4proto"), b.payload("th", "dport")),
                b.anon(b.concat("10.244.1.2", "udp", 80)),
            ),
            False,
        ),
    ],
)
def test_matches(stmt: dict, hit: bool) -> None:
    t = fwd((stmt, b.verdict("drop")))
    br = t.trace(PKT).branches
    assert len(br) == 1
    assert (br[0].fate.startswith("dropped by")) is hit, br[0].fate


@pytest.mark.parametrize("inv, dropped", [(False, True), (True, False)])
def test_limit_and_quota_pass_one_packet_and_over_does_not_match(inv: bool, dropped: bool) -> None:
    limit = {"limit": {"rate": 10, "per": "second", **({"inv": True} if inv else {})}}
    quota = {"quota": {"val": 1, "val_unit": "mbytes", **({"inv": True} if inv else {})}}
    for stmt in (limit, quota):
        (br,) = fwd((stmt, b.verdict("drop"))).trace(PKT).branches
        assert br.fate.startswith("dropped by") is dropped


def test_icmp_type_by_name() -> None:
    t = fwd((b.match(b.payload("icmp", "type"), "echo-request"), b.verdict("drop")))
    (br,) = t.trace(parse_packet("icmp 10.0.0.5 > 10.244.1.2 iif eth0")).branches
    assert br.fate.startswith("dropped by")
    (br,) = t.trace(PKT).branches
    assert br.fate == "forwarded via cni0"


def test_named_sets_intervals_and_verdict_maps() -> None:
    items = [
        b.set_(
            *T,
            "nets",
            "ipv4_addr",
            [b.prefix("10.0.0.0/8"), {"range": ["1.1.1.1", "1.1.1.9"]}],
            flags=["interval"],
        ),
        b.set_(
            *T,
            "svc",
            ["ipv4_addr", "inet_proto", "inet_service"],
            [[b.concat("10.244.1.2", "tcp", 80), b.verdict("jump", "allow")]],
            data="verdict",
        ),
        b.chain(*T, "fwd", hook="forward", policy="drop"),
        b.rule(*T, "fwd", b.match(b.payload("ip", "saddr"), "@nets", "!="), b.verdict("drop")),
        b.rule(
            *T,
            "fwd",
            b.vmap(
                b.concat(b.payload("ip", "daddr"), b.meta("l4proto"), b.payload("th", "dport")),
                "@svc",
            ),
        ),
    ]
    t = tracer(
        *items, b.rule(*T, "allow", b.counter(), b.verdict("accept")), extra_chains=("allow",)
    )
    (br,) = t.trace(PKT).branches
    assert path(br) == [("fwd", 2, "JUMP"), ("allow", 3, "ACCEPT")]
    (br,) = t.trace(PKT.with_(dport=81)).branches
    assert path(br) == [("fwd", None, "policy:DROP")]
    assert br.fate == "dropped by the policy of ip t fwd"
    (br,) = t.trace(PKT.with_(src="192.0.2.1")).branches
    assert path(br) == [("fwd", 1, "DROP")]


def test_jump_returns_goto_does_not() -> None:
    t = fwd(
        (b.verdict("jump", "a"),),
        (b.verdict("goto", "b"),),
        (b.verdict("drop"),),
        b.rule(*T, "a", b.match(b.meta("mark"), 1), b.verdict("accept")),
        b.rule(*T, "b", b.match(b.meta("mark"), 1), b.verdict("accept")),
        extra=("a", "b"),
    )
    (br,) = t.trace(PKT).branches
    # a falls off and returns to fwd rule 2; b was entered by goto, so its end returns from fwd
    assert path(br) == [("fwd", 1, "JUMP"), ("fwd", 2, "GOTO"), ("fwd", None, "policy:ACCEPT")]
    assert br.fate == "forwarded via cni0"


def test_explicit_return_and_mark_set() -> None:
    t = fwd(
        (b.mark_set({"|": [b.meta("mark"), 0x4000]}),),
        (b.verdict("jump", "a"),),
        (b.match(b.meta("mark"), 0x4001), b.verdict("drop")),
        b.rule(
            *T, "a", b.match({"&": [b.meta("mark"), 0x4000]}, 0x4000, "=="), b.verdict("return")
        ),
        b.rule(*T, "a", b.verdict("drop")),
        extra=("a",),
    )
    (br,) = t.trace(PKT).branches
    assert path(br) == [
        ("fwd", 1, "CONTINUE"),
        ("fwd", 2, "JUMP"),
        ("a", 4, "RETURN"),
        ("fwd", None, "policy:ACCEPT"),
    ]
    assert br.packet.mark == 0x4000


def test_numgen_forks_with_exact_probabilities_and_merges_equal_outcomes() -> None:
    t = fwd(
        (
            b.vmap(
                b.numgen(3),
                b.anon([0, b.verdict("accept")], [1, b.verdict("drop")], [2, b.verdict("accept")]),
            ),
        ),
    )
    br = t.trace(PKT).branches
    assert sorted((x.probability, x.fate.split()[0]) for x in br) == [
        (Fraction(1, 3), "dropped"),
        (Fraction(2, 3), "forwarded"),
    ]
    t = fwd(
        (b.match(b.numgen(4), 0), b.verdict("drop")),
    )
    assert sorted(x.probability for x in t.trace(PKT).branches) == [Fraction(1, 4), Fraction(3, 4)]


@pytest.mark.parametrize("last, bucket", [(1, 1), (2, 2), (3, 2), (4, 2)])
def test_jhash_is_the_kernels(last: int, bucket: int) -> None:
    # the buckets the kernel chose for these sources (tests/oracles, cases sm-jhash-N)
    h = jhash(bytes([10, 0, 3, last]), 0xCAFE)
    assert (h * 4) >> 32 == bucket  # reciprocal_scale(hash, 4)
    verdicts = b.anon(*([i, b.verdict("accept" if i == bucket else "drop")] for i in range(4)))
    t = fwd((b.vmap(b.jhash(b.payload("ip", "saddr"), 4, 0xCAFE), verdicts),))
    (br,) = t.trace(PKT.with_(src=f"10.0.3.{last}")).branches  # deterministic: no fork
    assert br.probability == 1 and br.fate == "forwarded via cni0"


def test_unsupported_expression_is_an_explicit_verdict() -> None:
    t = fwd(
        ({"xt": {"type": "match", "name": "recent"}}, b.verdict("drop")),
    )
    (br,) = t.trace(PKT).branches
    assert br.unsupported
    assert [(s.chain, s.rule, s.verdict) for s in br.steps] == [("fwd", 1, "UNDECIDED")]
    assert br.fate == ("unsupported expression xt in chain fwd handle 1: the trace cannot decide")
    t = fwd(
        (b.match(b.meta("skuid"), 0), b.verdict("drop")),
    )
    assert t.trace(PKT).branches[0].fate.startswith("unsupported expression meta skuid")
    ping = parse_packet("icmp 10.0.0.5 > 10.244.1.2 iif eth0")
    t = fwd((b.match(b.payload("th", "dport"), 80), b.verdict("drop")))
    assert (
        t.trace(ping)
        .branches[0]
        .fate.startswith("unsupported expression th dport of an icmp packet in chain fwd handle 1")
    )


def test_nat_chains_share_one_slot_and_stop_after_a_mapping() -> None:
    items = [
        b.chain(*T, "pre1", hook="prerouting", prio=-150, type="nat"),
        b.chain(*T, "pre2", hook="prerouting", prio=-100, type="nat"),
        b.chain(*T, "filt", hook="prerouting", prio=-120),
        b.rule(*T, "pre1", b.match(b.payload("tcp", "dport"), 80), b.dnat("10.244.1.3", 8080)),
        b.rule(*T, "pre2", b.dnat("10.244.1.4")),
        b.rule(*T, "filt", b.counter()),
    ]
    (br,) = tracer(*items).trace(PKT).branches
    # the filter chain at -120 runs before the nat chain at -150 (nat runs at -100)
    assert [(s.chain, s.verdict) for s in br.steps[:3]] == [
        ("filt", "CONTINUE"),
        ("filt", "policy:ACCEPT"),
        ("pre1", "ACCEPT"),
    ]
    assert "pre2" not in [s.chain for s in br.steps]
    assert br.destination == "10.244.1.3:8080"
    (br,) = tracer(*items).trace(PKT.with_(ctstate="ESTABLISHED")).branches
    assert br.destination == "10.244.1.2:80"


def test_masquerade_redirect_reject_and_local_delivery() -> None:
    items = [
        b.chain(*T, "post", hook="postrouting", prio=100, type="nat"),
        b.rule(*T, "post", b.match(b.meta("oifname"), "eth0"), b.masquerade(True)),
        b.chain(*T, "pre", hook="prerouting", prio=-100, type="nat"),
        b.rule(*T, "pre", b.match(b.payload("tcp", "dport"), 99), b.redirect(8080)),
        b.chain(*T, "in", hook="input", prio=0),
        b.rule(*T, "in", b.match(b.payload("tcp", "dport"), 22), b.reject()),
    ]
    t = tracer(*items)
    (br,) = t.trace(parse_packet("tcp 10.244.1.2:4000 > 8.8.8.8:53 iif cni0")).branches
    assert br.packet.src == "192.168.1.10" and br.fate == "forwarded via eth0"
    (br,) = t.trace(PKT.with_(dport=99)).branches
    assert br.destination == "192.168.1.10:8080" and br.fate == "delivered to a local process"
    (br,) = t.trace(PKT.with_(dst="192.168.1.10", dport=22)).branches
    assert br.fate == "rejected by ip t in handle 3"


def test_generated_documents_without_handles_are_numbered_per_table() -> None:
    t = fwd((b.counter(),), (b.counter(),))
    rs = t.rs
    assert [r.handle for r in rs.chain("ip t", "fwd").rules] == [1, 2]
    data = json.loads(b.document([b.table(*T)]))
    assert data["nftables"][0]["table"]["name"] == "t"
