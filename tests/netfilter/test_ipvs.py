"""IPVS's hook entries (data with sources), the ClusterIP path, kube-proxy's IPVS-mode rules."""

from __future__ import annotations

import re

from matplotlib.text import Text

from infranotes.netfilter import Tracer, parse_iptables_save, parse_packet
from infranotes.netfilter.figures import FONT, ipvs_hooks
from infranotes.netfilter.hooks import HOOK_ORDER, HOOKS
from infranotes.netfilter.ipvs import (
    IPVS_HOOKS,
    NF_IP_PRI_NAT_DST,
    NF_IP_PRI_NAT_SRC,
    clusterip_path,
    hook_entries,
    kube_proxy_ipvs_rules,
)
from infranotes.netfilter.kubeproxy import Endpoint, ServicePort
from infranotes.netfilter.packet import Node

TAGGED = re.compile(r"^https://github\.com/[\w-]+/[\w-]+/blob/v[\d.]+/\S+ \S")


def prio(hook: str, name: str) -> int:
    (e,) = [e for e in hook_entries(hook) if e.name == name]
    return e.priority


def test_ipvs_entries_are_ip_vs_ops4() -> None:
    got = [(e.hook, e.priority, e.name) for e in IPVS_HOOKS]
    assert got == [
        ("INPUT", NF_IP_PRI_NAT_SRC - 2, "ip_vs_reply4"),
        ("INPUT", NF_IP_PRI_NAT_SRC - 1, "ip_vs_remote_request4"),
        ("OUTPUT", NF_IP_PRI_NAT_DST + 1, "ip_vs_local_reply4"),
        ("OUTPUT", NF_IP_PRI_NAT_DST + 2, "ip_vs_local_request4"),
        ("FORWARD", 99, "ip_vs_forward_icmp"),
        ("FORWARD", 100, "ip_vs_reply4"),
    ]
    assert (NF_IP_PRI_NAT_DST, NF_IP_PRI_NAT_SRC) == (-100, 100)


def test_every_entry_has_a_tagged_source() -> None:
    for e in hook_entries():
        assert TAGGED.match(e.source), e
    for i, e in enumerate(IPVS_HOOKS):
        assert e.source.endswith(f"ip_vs_ops4[{i}]: " + e.source.split(": ", 1)[1])
        assert "ip_vs_core.c" in e.source


def test_ipvs_runs_after_filter_and_before_snat_at_local_in() -> None:
    assert prio("INPUT", "filter") < prio("INPUT", "security") < 98
    assert prio("INPUT", "ip_vs_reply4") < prio("INPUT", "ip_vs_remote_request4")
    assert prio("INPUT", "ip_vs_remote_request4") < prio("INPUT", "nat")


def test_ipvs_runs_after_nat_dnat_and_before_filter_at_local_out() -> None:
    order = [e.name for e in hook_entries("OUTPUT")]
    assert order.index("nat") < order.index("ip_vs_local_reply4")
    assert order.index("ip_vs_local_reply4") < order.index("ip_vs_local_request4")
    assert order.index("ip_vs_local_request4") < order.index("filter")


def test_entries_sorted_per_hook_and_tables_unchanged() -> None:
    for hook in HOOKS:
        entries = hook_entries(hook)
        assert [e.priority for e in entries] == sorted(e.priority for e in entries)
        tables = [(e.name, e.priority) for e in entries if e.owner != "IPVS"]
        assert tables == list(HOOK_ORDER[hook])
    assert not [
        e for e in hook_entries() if e.hook in ("PREROUTING", "POSTROUTING") and e.owner == "IPVS"
    ]


def test_clusterip_path_stops_at_ipvs_and_resends_through_local_out() -> None:
    path = clusterip_path()
    hooks = list(dict.fromkeys(s.hook for s in path))
    assert hooks == ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"]
    inp = [s.entry.name for s in path if s.hook == "INPUT"]
    assert inp[-1] == "ip_vs_remote_request4" and "nat" not in inp
    assert not [s for s in path if s.hook == "OUTPUT" and s.entry.owner == "IPVS"]
    acting = [(s.hook, s.entry.name) for s in path if s.what]
    assert acting == [
        ("PREROUTING", "nat"),
        ("INPUT", "filter"),
        ("INPUT", "ip_vs_remote_request4"),
        ("OUTPUT", "filter"),
        ("POSTROUTING", "nat"),
    ]


SVC = [ServicePort("default", "web", "10.96.0.10", 80, endpoints=(Endpoint("10.244.1.5", 8080),))]


def node(dummy: bool) -> Node:
    base = Node.simple(local=("192.0.2.1",))
    if dummy:
        return Node({**base.addresses, "kube-ipvs0": ("10.96.0.10",)}, base.routes)
    return base


def test_ipvs_mode_sets_and_dummy() -> None:
    mode = kube_proxy_ipvs_rules(SVC)
    assert mode.ipsets["KUBE-CLUSTER-IP"] == ("hash:ip,port", ("10.96.0.10,tcp:80",))
    assert mode.ipsets["KUBE-IPVS-IPS"] == ("hash:ip", ("10.96.0.10",))
    assert mode.dummy == ("10.96.0.10",)
    assert mode.virtual_servers == (("tcp 10.96.0.10:80", ("10.244.1.5:8080",)),)
    rs = parse_iptables_save(mode.rules)
    assert rs.rule_count() > 10


def test_clusterip_is_local_only_with_the_dummy() -> None:
    mode = kube_proxy_ipvs_rules(SVC)
    rs = parse_iptables_save(mode.rules)
    pkt = parse_packet("tcp 10.0.0.5:40000 > 10.96.0.10:80 iif eth0")
    (on,) = Tracer(rs, node(True), mode.set_contents()).trace(pkt).branches
    assert on.fate == "delivered to a local process"
    assert on.packet.dst == "10.96.0.10"  # no DNAT in iptables: IPVS does it at LOCAL_IN
    assert on.packet.mark & 0x4000  # marked for MASQUERADE (not from the cluster CIDR)
    (off,) = Tracer(rs, node(False), mode.set_contents()).trace(pkt).branches
    assert off.fate.startswith("forwarded")


def test_pod_source_is_not_marked_and_other_ports_rejected() -> None:
    mode = kube_proxy_ipvs_rules(SVC)
    tracer = Tracer(parse_iptables_save(mode.rules), node(True), mode.set_contents())
    (pod,) = tracer.trace(parse_packet("tcp 10.244.1.7:40000 > 10.96.0.10:80 iif cni0")).branches
    assert pod.fate == "delivered to a local process" and not pod.packet.mark & 0x4000
    (ssh,) = tracer.trace(parse_packet("tcp 10.0.0.5:40000 > 10.96.0.10:22 iif eth0")).branches
    assert ssh.fate.startswith("rejected by filter KUBE-IPVS-FILTER")


def test_figure_is_phone_legible() -> None:
    fig = ipvs_hooks()
    width, height = fig.get_size_inches()
    assert 5.0 <= width <= 5.5 and height > width
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    assert texts and min(t.get_fontsize() for t in texts) >= FONT >= 10
    # shown 358 px wide, 10 pt is at least 9 px
    assert FONT / 72 * 358 / width >= 9
    drawn = {t.get_text() for t in texts}
    assert {e.name for e in IPVS_HOOKS} <= drawn
    assert {str(i) for i in range(1, 6)} <= drawn
