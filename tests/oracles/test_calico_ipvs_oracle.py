"""Calico natOutgoing and the iptables half of kube-proxy's IPVS mode, against the kernel.

Both rulesets match ipsets, created in the lab's node with ``ipset restore``. SNAT is
invisible in the nf_tables trace (NAT applies after the chain), so the source a packet
leaves with is read from the conntrack entry's reply tuple and compared with the model's.
IPVS itself cannot be shown here: this kernel is built without CONFIG_IP_VS (ipvsadm:
"Protocol not available"); what is shown is everything around it: the ClusterIP on the down
``kube-ipvs0`` dummy is local, so the packet reaches LOCAL_IN, where IPVS would take it.
"""

from __future__ import annotations

import pytest

from infranotes.netfilter import Tracer, parse_iptables_save, parse_packet
from infranotes.netfilter.calico import IPPool, calico_nat_rules
from infranotes.netfilter.ipvs import DUMMY_DEVICE, kube_proxy_ipvs_rules
from infranotes.netfilter.kubeproxy import Endpoint, ServicePort
from infranotes.netfilter.lab import NetfilterLab

from .conftest import require

pytestmark = pytest.mark.oracle
TOOLS = ("ip", "iptables-nft-restore", "xtables-monitor", "nft", "conntrack", "stdbuf", "ipset")

POOLS = [IPPool("10.244.0.0/16"), IPPool("10.245.0.0/16", nat_outgoing=False)]
PODS = ("10.244.1.5", "10.245.0.9")  # this node's Pods, one per pool
# (packet, the source it must leave with: read back from the conntrack entry)
CALICO_CASES = {
    "pod-to-outside-masqueraded": ("tcp 10.244.1.5:41001 > 198.51.100.7:443 iif cni0", "192.0.2.1"),
    "pod-to-outside-udp": ("udp 10.244.1.5:41002 > 198.51.100.7:53 iif cni0", "192.0.2.1"),
    "pod-to-remote-pod-kept": ("tcp 10.244.1.5:41003 > 10.244.9.9:80 iif cni0", "10.244.1.5"),
    "pod-to-pool-without-nat-kept": ("tcp 10.244.1.5:41004 > 10.245.7.7:80 iif cni0", "10.244.1.5"),
    "no-nat-pool-pod-to-outside": (
        "tcp 10.245.0.9:41005 > 198.51.100.7:443 iif cni0",
        "10.245.0.9",
    ),
    "outside-to-pod": ("udp 10.0.0.5:41006 > 10.244.1.5:9 iif eth0", "10.0.0.5"),
    "node-to-outside": ("tcp 192.0.2.1:41007 > 198.51.100.7:443 local", "192.0.2.1"),
}


def key(steps) -> list[tuple]:
    return [(s.hook, s.table, s.chain, s.rule, s.verdict) for s in steps]


def test_calico_nat_outgoing_matches_kernel() -> None:
    require(*TOOLS)
    nat = calico_nat_rules(POOLS)
    with NetfilterLab(nat.rules, pod_addresses=PODS, ipsets=nat.ipsets) as lab:
        tracer = Tracer(parse_iptables_save(nat.rules), lab.node(), nat.set_contents())
        for name, (text, source) in CALICO_CASES.items():
            packet = parse_packet(text)
            kernel = lab.send(packet, flush=False)
            entries = [e for e in lab.conntrack() if f"sport={packet.sport} " in e]
            lab.node_ns.exec(["conntrack", "-F"])
            (branch,) = tracer.trace(packet).branches
            assert key(kernel.steps) == key(branch.steps), name
            assert branch.packet.src == source, name
            # the reply tuple's destination is the source the packet left with
            (entry,) = entries
            reply = entry.split("src=")[2]
            assert f"dst={source} " in reply, (name, entry)


SERVICES = [
    ServicePort("default", "web", "10.96.0.10", 80, endpoints=(Endpoint("10.244.1.5", 8080),))
]
IPVS_CASES = {
    # (packet, kube-ipvs0 present, the fate the model must give)
    "clusterip-from-outside-reaches-input": (
        "tcp 10.0.0.5:42001 > 10.96.0.10:80 iif eth0",
        True,
        "delivered to a local process",
    ),
    "clusterip-from-pod-reaches-input": (
        "tcp 10.244.1.5:42002 > 10.96.0.10:80 iif cni0",
        True,
        "delivered to a local process",
    ),
    "clusterip-other-port-rejected": (
        "tcp 10.0.0.5:42003 > 10.96.0.10:22 iif eth0",
        True,
        "rejected by filter KUBE-IPVS-FILTER rule 2",
    ),
    "clusterip-from-node": ("tcp 192.0.2.1:42004 > 10.96.0.10:80 local", True, "sent out via lo"),
    "clusterip-without-dummy-is-forwarded": (
        "tcp 10.0.0.5:42005 > 10.96.0.10:80 iif eth0",
        False,
        "forwarded via eth0",
    ),
}


@pytest.mark.parametrize("with_dummy", [True, False], ids=["kube-ipvs0", "no-dummy"])
def test_ipvs_mode_iptables_half_matches_kernel(with_dummy: bool) -> None:
    require(*TOOLS)
    mode = kube_proxy_ipvs_rules(SERVICES)
    dummy = {DUMMY_DEVICE: mode.dummy} if with_dummy else {}
    cases = {k: v for k, v in IPVS_CASES.items() if v[1] == with_dummy}
    with NetfilterLab(
        mode.rules, pod_addresses=("10.244.1.5",), ipsets=mode.ipsets, dummy=dummy
    ) as lab:
        tracer = Tracer(parse_iptables_save(mode.rules), lab.node(), mode.set_contents())
        for name, (text, _, fate) in cases.items():
            packet = parse_packet(text)
            kernel = lab.send(packet)
            (branch,) = tracer.trace(packet).branches
            assert key(kernel.steps) == key(branch.steps), (
                name,
                key(kernel.steps),
                key(branch.steps),
            )
            assert branch.fate.startswith(fate), (name, branch.fate)
