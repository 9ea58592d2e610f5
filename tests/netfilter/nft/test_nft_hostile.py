"""Hostile rulesets: any document gives a trace or a ParseError, never another exception."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infranotes.cli import main
from infranotes.errors import ParseError
from infranotes.netfilter.kubeproxy import Endpoint, ServicePort
from infranotes.netfilter.nft import NftTracer, parse_nft_json
from infranotes.netfilter.nft.kubeproxy import kube_proxy_nft
from infranotes.netfilter.packet import parse_packet

DOC = json.loads(
    kube_proxy_nft(
        [
            ServicePort("d", "web", "10.96.0.20", 80, node_port=30080,
                        endpoints=(Endpoint("10.244.1.2", 8080), Endpoint("10.244.1.3", 80))),
            ServicePort("d", "empty", "10.96.0.23", 80),
        ]
    )
)  # fmt: skip
PACKETS = [
    parse_packet(p)
    for p in (
        "tcp 10.0.0.5:40000 > 10.96.0.20:80 iif eth0",
        "tcp 10.0.0.5:40000 > 192.168.1.10:30080 iif eth0",
        "udp 10.244.1.5:40000 > 10.96.0.23:80 iif cni0",
        "icmp 10.0.0.5 > 10.96.0.20 iif eth0",
        "tcp 192.168.1.10:40000 > 10.96.0.20:80 local",
    )
]
JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=8)
    | st.sampled_from(["@service-ips", "10.0.0.0/8", "tcp", "accept", "jump", "@nope"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["match", "left", "right", "op", "set", "concat", "prefix", "range",
                         "payload", "meta", "key", "vmap", "jump", "target", "elem"]),
        inner, max_size=2),
    max_leaves=8,
)  # fmt: skip


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


ALL_PATHS = [p for p in _paths(DOC) if len(p) > 2]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ALL_PATHS), JUNK)
def test_a_mutated_ruleset_traces_or_is_a_parse_error(path: tuple, junk: object) -> None:
    doc = copy.deepcopy(DOC)
    node = doc
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = junk
    try:
        tracer = NftTracer(parse_nft_json(json.dumps(doc), "mutated.json"))
        for packet in PACKETS:
            trace = tracer.trace(packet)
            assert trace.branches and sum(b.probability for b in trace.branches) == 1
    except ParseError as exc:
        assert "mutated.json" in str(exc)


@pytest.mark.parametrize(
    "content",
    [b"", bytes(range(256)) * 4, b"[" * 200_000 + b"]" * 200_000, b'{"nftables": {"x": 1}}',
     b'{"nftables": [{"rule": 5}]}', b'{"nftables": [{"chain": {"family": "ip"}}]}'],
    ids=["empty", "random", "deep", "object", "rule-int", "chain-no-table"],
)  # fmt: skip
def test_cli_exits_2_on_hostile_files(tmp_path, capsys, content: bytes) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(content)
    packet = "tcp 10.0.0.5:40000 > 10.96.0.20:80 iif eth0"
    assert main(["nft", "trace", "--ruleset", str(path), "--packet", packet]) == 2
    assert capsys.readouterr().err.count("\n") == 1
