"""Calico natOutgoing rules traced by the model: who is masqueraded, who keeps the Pod IP."""

from __future__ import annotations

import pytest

from infranotes.errors import ParseError
from infranotes.netfilter import Tracer, parse_iptables_save, parse_packet
from infranotes.netfilter.calico import ALL_SET, MASQ_SET, IPPool, calico_nat_rules
from infranotes.netfilter.packet import Node

POOLS = [IPPool("10.244.0.0/16"), IPPool("10.245.0.0/16", nat_outgoing=False)]
NODE = Node.simple(local=("192.168.1.10",))


def leave(text: str, pools: list[IPPool] = POOLS):
    nat = calico_nat_rules(pools)
    (branch,) = (
        Tracer(parse_iptables_save(nat.rules), NODE, nat.set_contents())
        .trace(parse_packet(text))
        .branches
    )
    return branch


def test_ipsets_hold_masq_pools_and_all_pools() -> None:
    nat = calico_nat_rules(POOLS)
    assert nat.ipsets == {
        MASQ_SET: ("hash:net", ("10.244.0.0/16",)),
        ALL_SET: ("hash:net", ("10.244.0.0/16", "10.245.0.0/16")),
    }
    rule = (
        f"-A cali-nat-outgoing -m set --match-set {MASQ_SET} src "
        f"-m set ! --match-set {ALL_SET} dst -j MASQUERADE"
    )
    assert rule in nat.rules.splitlines()
    lines = nat.rules.splitlines()
    assert lines.index("-A cali-POSTROUTING -j cali-fip-snat") < lines.index(
        "-A cali-POSTROUTING -j cali-nat-outgoing"
    )


def test_pod_to_outside_is_masqueraded_to_the_node() -> None:
    b = leave("tcp 10.244.1.5:40000 > 93.184.216.34:443 iif cni0")
    assert b.packet.src == "192.168.1.10" and b.fate == "forwarded via eth0"
    assert b.steps[-1].chain == "cali-nat-outgoing"


@pytest.mark.parametrize(
    "text",
    [
        "tcp 10.244.1.5:40000 > 10.244.7.9:80 iif cni0",  # Pod to Pod, same pool
        "tcp 10.244.1.5:40000 > 10.245.0.9:80 iif cni0",  # to a pool without natOutgoing
        "tcp 10.245.0.9:40000 > 93.184.216.34:443 iif cni0",  # from a pool without it
        "tcp 93.184.216.34:443 > 10.244.1.5:40000 iif eth0",  # outside to a Pod
        "tcp 192.168.1.10:40000 > 93.184.216.34:443 local",  # the node itself
    ],
)
def test_everything_else_keeps_its_source(text: str) -> None:
    p = parse_packet(text)
    assert leave(text).packet.src == p.src


def test_no_nat_outgoing_pool_leaves_the_chain_empty() -> None:
    pools = [IPPool("10.244.0.0/16", nat_outgoing=False)]
    nat = calico_nat_rules(pools)
    assert not [r for r in nat.rules.splitlines() if r.startswith("-A cali-nat-outgoing")]
    b = leave("tcp 10.244.1.5:40000 > 93.184.216.34:443 iif cni0", pools)
    assert b.packet.src == "10.244.1.5"


def test_bad_pool_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not an IPv4 network"):
        IPPool("10.244.0.0/33")
