"""kube-proxy's nftables mode: the chains proxier.go writes, traced for each kind of Service."""

from __future__ import annotations

import ipaddress
from fractions import Fraction

import pytest

from infranotes.netfilter.kubeproxy import Endpoint, ServicePort
from infranotes.netfilter.nft import NftTracer, parse_nft_json
from infranotes.netfilter.nft.kubeproxy import chain_name_base, kube_proxy_nft
from infranotes.netfilter.packet import Node, Route, parse_packet

NODE = Node(
    {"eth0": ("192.168.1.10",), "cni0": ("10.244.0.1",), "lo": ("127.0.0.1",)},
    (
        Route(ipaddress.IPv4Network("10.244.0.0/16"), "cni0"),
        Route(ipaddress.IPv4Network("0.0.0.0/0"), "eth0"),
    ),
)
LOCAL, REMOTE = Endpoint("10.244.1.2", 8080), Endpoint("10.244.2.3", 8080, local=False)
SERVICES = [
    ServicePort("default", "web", "10.96.0.20", 80, endpoints=(LOCAL, REMOTE)),
    ServicePort("default", "np", "10.96.0.21", 80, node_port=30080, endpoints=(LOCAL,)),
    ServicePort(
        "default", "lcl", "10.96.0.22", 80, node_port=30081, local_traffic=True,
        endpoints=(LOCAL, REMOTE),
    ),
    ServicePort(
        "default", "far", "10.96.0.24", 80, node_port=30082, local_traffic=True,
        endpoints=(REMOTE,),
    ),
    ServicePort("default", "empty", "10.96.0.23", 80, node_port=30083),
]  # fmt: skip


@pytest.fixture(scope="module")
def tracer() -> NftTracer:
    return NftTracer(parse_nft_json(kube_proxy_nft(SERVICES)), NODE)


def test_chain_names_are_proxier_go_s() -> None:
    # pkg/proxy/nftables/proxier_test.go TestOverallNFTablesRules
    assert chain_name_base("ns1", "svc1", "tcp", "p80") == "ULMVA6XW-ns1/svc1/tcp/p80"
    assert (
        chain_name_base("ns1", "svc1", "tcp", "p80__10.180.0.1", "80")
        == "5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80"
    )


def outcomes(tracer: NftTracer, packet: str) -> list[tuple[Fraction, str, str, str]]:
    t = tracer.trace(parse_packet(packet))
    return sorted((b.probability, b.fate, b.destination, b.packet.src) for b in t.branches)


@pytest.mark.parametrize(
    "packet, expected",
    [
        (
            "tcp 10.244.1.5:40000 > 10.96.0.20:80 iif cni0",
            [
                (Fraction(1, 2), "forwarded via cni0", "10.244.1.2:8080", "10.244.1.5"),
                (Fraction(1, 2), "forwarded via cni0", "10.244.2.3:8080", "10.244.1.5"),
            ],
        ),
        (  # off-cluster source to a ClusterIP: masqueraded
            "tcp 10.0.0.5:40000 > 10.96.0.21:80 iif eth0",
            [(1, "forwarded via cni0", "10.244.1.2:8080", "10.244.0.1")],
        ),
        (  # NodePort, Cluster policy: masqueraded
            "tcp 10.0.0.5:40000 > 192.168.1.10:30080 iif eth0",
            [(1, "forwarded via cni0", "10.244.1.2:8080", "10.244.0.1")],
        ),
        (  # NodePort, Local policy: local endpoint only, client address kept
            "tcp 10.0.0.5:40000 > 192.168.1.10:30081 iif eth0",
            [(1, "forwarded via cni0", "10.244.1.2:8080", "10.0.0.5")],
        ),
        (  # Local policy without a local endpoint: dropped
            "tcp 10.0.0.5:40000 > 192.168.1.10:30082 iif eth0",
            [(1, "dropped by ip kube-proxy nodeport-endpoints-check handle 19",
              "192.168.1.10:30082", "10.0.0.5")],
        ),
        (  # hairpin: a pod reaching itself through the Service is masqueraded
            "tcp 10.244.1.2:40000 > 10.96.0.21:80 iif cni0",
            [(1, "forwarded via cni0", "10.244.1.2:8080", "10.244.0.1")],
        ),
        (  # no endpoints: rejected
            "tcp 10.244.1.5:40000 > 10.96.0.23:80 iif cni0",
            [(1, "rejected by ip kube-proxy reject-chain handle 20", "10.96.0.23:80",
              "10.244.1.5")],
        ),
        (  # a port the ClusterIP does not serve
            "tcp 10.244.1.5:40000 > 10.96.0.20:81 iif cni0",
            [(1, "rejected by ip kube-proxy cluster-ips-check handle 1", "10.96.0.20:81",
              "10.244.1.5")],
        ),
        (  # ICMP: th dport is unknown, but no service-ips element has l4proto icmp
            "icmp 10.244.1.5 > 10.96.0.20 iif cni0",
            [(1, "rejected by ip kube-proxy cluster-ips-check handle 1", "10.96.0.20",
              "10.244.1.5")],
        ),
    ],
    ids=["clusterip", "offcluster", "nodeport", "local", "local-none", "hairpin", "empty", "port",
         "ping"],
)  # fmt: skip
def test_service_kinds(tracer: NftTracer, packet: str, expected: list) -> None:
    assert outcomes(tracer, packet) == sorted(expected)
