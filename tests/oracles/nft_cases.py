"""Rulesets and packets for the nftables oracle: kube-proxy's nftables mode, a firewalld-style
and a Docker-style ruleset, and one exercising sets, maps, vmaps, concatenations, jhash,
numgen and the NAT chains' shared slot. Addresses fit the lab: client 10.0.x.x on ``eth0``,
pods and containers behind ``cni0``, the node is 192.0.2.1 (eth0) and 192.0.2.2 (cni0)."""

from __future__ import annotations

from dataclasses import dataclass

from infranotes.netfilter.kubeproxy import Endpoint, ServicePort
from infranotes.netfilter.nft import build as b
from infranotes.netfilter.nft.kubeproxy import kube_proxy_nft

A, B, C = (
    Endpoint("10.244.1.2", 8080),
    Endpoint("10.244.2.3", 8080, local=False),
    Endpoint("10.244.1.4", 8080),
)
SERVICES = [
    ServicePort("default", "web", "10.96.0.20", 80, port_name="http", endpoints=(A, B, C)),
    ServicePort("default", "np", "10.96.0.21", 80, node_port=30080, endpoints=(A,)),
    ServicePort(
        "default", "lcl", "10.96.0.22", 80, node_port=30081, local_traffic=True,
        endpoints=(A, B),
    ),
    ServicePort(
        "default", "far", "10.96.0.24", 80, node_port=30082, local_traffic=True, endpoints=(B,)
    ),
    ServicePort("default", "empty", "10.96.0.23", 80, node_port=30083),
    ServicePort(
        "kube-system", "dns", "10.96.0.10", 53, protocol="udp", port_name="dns",
        endpoints=(Endpoint("10.244.1.2", 53), Endpoint("10.244.1.4", 53)),
    ),
    ServicePort("default", "sticky", "10.96.0.25", 80, affinity=True, endpoints=(A, C)),
]  # fmt: skip
KUBE_PROXY = kube_proxy_nft(SERVICES, service_cidr="10.96.0.0/16", node_ips=("192.0.2.1",))

F = ("inet", "firewalld")
_new_est = b.match(b.ct("state"), b.anon("established", "related"))
_admin = {"reject": {"type": "icmpx", "expr": "admin-prohibited"}}
FIREWALLD = b.document(
    [
        b.table(*F),
        b.chain(*F, "filter_INPUT", hook="input", prio=10),
        b.chain(*F, "filter_FORWARD", hook="forward", prio=10),
        *[
            b.chain(*F, n)
            for n in (
                "filter_INPUT_ZONES", "filter_IN_public", "filter_IN_public_allow",
                "filter_IN_trusted", "filter_FORWARD_ZONES", "filter_FWD_public",
                "filter_FWD_trusted",
            )
        ],
        b.rule(*F, "filter_INPUT", _new_est, b.verdict("accept")),
        b.rule(*F, "filter_INPUT", b.match(b.ct("status"), "dnat", "in"), b.verdict("accept")),
        b.rule(*F, "filter_INPUT", b.match(b.meta("iifname"), "lo"), b.verdict("accept")),
        b.rule(*F, "filter_INPUT", b.verdict("jump", "filter_INPUT_ZONES")),
        b.rule(*F, "filter_INPUT", b.match(b.ct("state"), b.anon("invalid")), b.verdict("drop")),
        b.rule(*F, "filter_INPUT", _admin),
        b.rule(*F, "filter_FORWARD", _new_est, b.verdict("accept")),
        b.rule(*F, "filter_FORWARD", b.match(b.ct("status"), "dnat", "in"), b.verdict("accept")),
        b.rule(*F, "filter_FORWARD", b.match(b.meta("iifname"), "lo"), b.verdict("accept")),
        b.rule(*F, "filter_FORWARD", b.match(b.payload("ip6", "daddr"), b.anon(b.prefix("::/96"))),
               _admin),
        b.rule(*F, "filter_FORWARD", b.verdict("jump", "filter_FORWARD_ZONES")),
        b.rule(*F, "filter_FORWARD", b.match(b.ct("state"), b.anon("invalid")), b.verdict("drop")),
        b.rule(*F, "filter_FORWARD", _admin),
        b.rule(*F, "filter_INPUT_ZONES", b.match(b.meta("iifname"), "cni0"),
               b.verdict("goto", "filter_IN_trusted")),
        b.rule(*F, "filter_INPUT_ZONES", b.verdict("goto", "filter_IN_public")),
        b.rule(*F, "filter_IN_public", b.verdict("jump", "filter_IN_public_allow")),
        b.rule(*F, "filter_IN_public", b.match(b.payload("icmp", "type"), "echo-request"),
               b.match(b.meta("iif"), "eth0"), b.verdict("accept")),
        b.rule(*F, "filter_IN_public", b.match(b.meta("l4proto"), b.anon("icmp", "ipv6-icmp")),
               b.verdict("accept")),
        b.rule(*F, "filter_IN_public_allow", b.match(b.payload("tcp", "dport"), 22),
               {"limit": {"rate": 1, "per": "minute", "inv": True}}, b.verdict("drop")),
        b.rule(*F, "filter_IN_public_allow", b.match(b.payload("tcp", "dport"), 2222),
               {"limit": {"rate": 5, "per": "minute"}}, b.verdict("accept")),
        b.rule(*F, "filter_IN_public_allow", b.match(b.payload("tcp", "dport"), 22),
               b.match(b.ct("state"), b.anon("new", "untracked")), b.verdict("accept")),
        b.rule(*F, "filter_IN_trusted", b.verdict("accept")),
        b.rule(*F, "filter_FORWARD_ZONES", b.match(b.meta("iifname"), "cni0"),
               b.verdict("goto", "filter_FWD_trusted")),
        b.rule(*F, "filter_FORWARD_ZONES", b.verdict("goto", "filter_FWD_public")),
        b.rule(*F, "filter_FWD_public", b.counter()),
        b.rule(*F, "filter_FWD_trusted", b.verdict("accept")),
    ]
)  # fmt: skip

D = ("ip", "docker")
_not_br = b.match(b.meta("iifname"), "cni0", "!=")
DOCKER = b.document(
    [
        b.table(*D),
        b.chain(*D, "PREROUTING", hook="prerouting", prio=-100, type="nat"),
        b.chain(*D, "OUTPUT", hook="output", prio=-100, type="nat"),
        b.chain(*D, "POSTROUTING", hook="postrouting", prio=100, type="nat"),
        b.chain(*D, "FORWARD", hook="forward", prio=0, policy="drop"),
        *[b.chain(*D, n) for n in ("DOCKER", "DOCKER-USER", "DOCKER-FORWARD", "DOCKER-FILTER")],
        b.rule(*D, "PREROUTING", b.match(b.fib("daddr"), "local"), b.verdict("jump", "DOCKER")),
        b.rule(*D, "OUTPUT", b.match(b.payload("ip", "daddr"), b.prefix("127.0.0.0/8"), "!="),
               b.match(b.fib("daddr"), "local"), b.verdict("jump", "DOCKER")),
        b.rule(*D, "POSTROUTING", b.match(b.payload("ip", "saddr"), b.prefix("172.17.0.0/16")),
               b.match(b.meta("oifname"), "cni0", "!="), b.masquerade()),
        b.rule(*D, "DOCKER", b.match(b.meta("iifname"), "cni0"), b.verdict("return")),
        b.rule(*D, "DOCKER", _not_br, b.match(b.payload("tcp", "dport"), 8080),
               b.dnat("172.17.0.2", 80)),
        b.rule(*D, "FORWARD", b.verdict("jump", "DOCKER-USER")),
        b.rule(*D, "FORWARD", b.verdict("jump", "DOCKER-FORWARD")),
        b.rule(*D, "DOCKER-FORWARD", b.match(b.meta("oifname"), "cni0"),
               b.match(b.ct("state"), ["established", "related"], "in"), b.verdict("accept")),
        b.rule(*D, "DOCKER-FORWARD", b.match(b.meta("oifname"), "cni0"),
               b.verdict("jump", "DOCKER-FILTER")),
        b.rule(*D, "DOCKER-FORWARD", b.match(b.meta("iifname"), "cni0"),
               b.match(b.meta("oifname"), "cni0", "!="), b.verdict("accept")),
        b.rule(*D, "DOCKER-FILTER", b.match(b.payload("ip", "daddr"), "172.17.0.2"), _not_br,
               b.match(b.payload("tcp", "dport"), 80), b.verdict("accept")),
        b.rule(*D, "DOCKER-FILTER", _not_br, b.verdict("drop")),
    ]
)  # fmt: skip

L = ("ip", "lab")
_jumps = b.anon(*([i, b.verdict("jump", f"j{i}")] for i in range(4)))
SETS = b.document(
    [
        b.table(*L),
        b.chain(*L, "early", hook="prerouting", prio=-120),
        b.chain(*L, "pre", hook="prerouting", prio=-150, type="nat"),
        b.chain(*L, "pre2", hook="prerouting", prio=-100, type="nat"),
        b.chain(*L, "fwd", hook="forward", prio=0, policy="drop"),
        b.chain(*L, "post", hook="postrouting", prio=100, type="nat"),
        *[b.chain(*L, n) for n in ("from_outside", "j0", "j1", "j2", "j3")],
        b.set_(*L, "allowed", ["ipv4_addr", "inet_service"],
               [b.concat(b.prefix("10.0.0.0/24"), 8080),
                b.concat("10.0.9.9", {"range": [1, 1024]})],
               flags=["interval"]),
        b.set_(*L, "blocked", "ipv4_addr",
               [b.prefix("10.0.7.0/24"), {"range": ["10.0.8.1", "10.0.8.20"]}], flags=["interval"]),
        b.set_(*L, "by_if", ["ifname", "ipv4_addr"],
               [[b.concat("eth0", "10.244.1.2"), b.verdict("jump", "from_outside")]],
               data="verdict"),
        b.rule(*L, "early", b.match(b.payload("tcp", "dport"), 9000), b.mark_set(7)),
        b.rule(*L, "pre", b.match(b.payload("tcp", "dport"), 9000),
               {"dnat": {"addr": {"map": {"key": b.numgen(2), "data": b.anon(
                   [0, "10.244.1.2"], [1, "10.244.1.4"])}}}}),
        b.rule(*L, "pre2", b.match(b.payload("tcp", "dport"), 9000), b.dnat("10.244.9.9")),
        b.rule(*L, "pre2", b.match(b.payload("tcp", "dport"), 9100), b.redirect(22)),
        b.rule(*L, "post", b.match(b.payload("tcp", "dport"), 7777), b.snat("192.0.2.2")),
        b.rule(*L, "fwd", b.match(b.ct("state"), ["established", "related"], "in"),
               b.verdict("accept")),
        b.rule(*L, "fwd", b.match(b.payload("ip", "saddr"), "@blocked"), b.verdict("drop")),
        b.rule(*L, "fwd", b.match(b.meta("iifname"), "cni0"), b.verdict("accept")),
        b.rule(*L, "fwd", b.vmap(b.concat(b.meta("iifname"), b.payload("ip", "daddr")), "@by_if")),
        b.rule(*L, "fwd", b.match(b.concat(b.payload("ip", "saddr"), b.payload("tcp", "dport")),
                                  "@allowed"), b.verdict("accept")),
        b.rule(*L, "fwd", b.match(b.meta("mark"), 7), b.verdict("accept")),
        b.rule(*L, "fwd", b.vmap(b.jhash(b.payload("ip", "saddr"), 4, 0xCAFE), _jumps)),
        b.rule(*L, "from_outside", b.match(b.payload("tcp", "dport"), 8080), b.verdict("accept")),
        b.rule(*L, "from_outside", b.verdict("return")),
        *[b.rule(*L, f"j{i}", b.counter()) for i in range(4)],
    ]
)  # fmt: skip

RULESETS = {"kube-proxy": KUBE_PROXY, "firewalld": FIREWALLD, "docker": DOCKER, "sets": SETS}
POD_ADDRESSES = {"docker": ("172.17.0.3",), "sets": ("10.244.1.2", "10.244.1.4", "10.244.9.9")}


@dataclass(frozen=True)
class NftCase:
    id: str
    ruleset: str  # a key of RULESETS
    packet: str
    count: int = 1  # > 1: that many new flows, and the endpoint distribution is checked


CASES = [
    NftCase("kp-clusterip-external", "kube-proxy", "tcp 10.0.0.5:0 > 10.96.0.20:80 iif eth0"),
    NftCase("kp-clusterip-from-pod", "kube-proxy", "tcp 10.244.1.5:0 > 10.96.0.20:80 iif cni0"),
    NftCase("kp-hairpin", "kube-proxy", "tcp 10.244.1.2:0 > 10.96.0.21:80 iif cni0"),
    NftCase("kp-nodeport", "kube-proxy", "tcp 10.0.0.5:0 > 192.0.2.1:30080 iif eth0"),
    NftCase("kp-nodeport-local-policy", "kube-proxy", "tcp 10.0.0.5:0 > 192.0.2.1:30081 iif eth0"),
    NftCase("kp-local-policy-no-local-endpoint", "kube-proxy",
            "tcp 10.0.0.5:0 > 192.0.2.1:30082 iif eth0"),
    NftCase("kp-no-endpoints-clusterip", "kube-proxy", "tcp 10.244.1.5:0 > 10.96.0.23:80 iif cni0"),
    NftCase("kp-no-endpoints-nodeport", "kube-proxy", "tcp 10.0.0.5:0 > 192.0.2.1:30083 iif eth0"),
    NftCase("kp-clusterip-wrong-port", "kube-proxy", "tcp 10.244.1.5:0 > 10.96.0.20:81 iif cni0"),
    NftCase("kp-unallocated-clusterip", "kube-proxy", "tcp 10.244.1.5:0 > 10.96.0.99:80 iif cni0"),
    NftCase("kp-node-to-clusterip", "kube-proxy", "tcp 192.0.2.1:0 > 10.96.0.21:80 local"),
    NftCase("kp-node-to-local-nodeport", "kube-proxy", "tcp 192.0.2.1:0 > 192.0.2.1:30081 local"),
    NftCase("kp-udp-dns", "kube-proxy", "udp 10.244.1.5:0 > 10.96.0.10:53 iif cni0"),
    NftCase("kp-session-affinity-first", "kube-proxy", "tcp 10.0.0.7:0 > 10.96.0.25:80 iif eth0"),
    NftCase("kp-not-a-service", "kube-proxy", "tcp 10.0.0.5:0 > 10.244.1.2:8080 iif eth0"),
    NftCase("kp-ping-clusterip", "kube-proxy", "icmp 10.244.1.5 > 10.96.0.20 iif cni0"),
    NftCase("kp-numgen-400-flows", "kube-proxy", "tcp 10.0.0.5:0 > 10.96.0.20:80 iif eth0", 400),
    NftCase("fw-ssh-accepted", "firewalld", "tcp 10.0.0.5:0 > 192.0.2.1:22 iif eth0"),
    NftCase("fw-http-rejected", "firewalld", "tcp 10.0.0.5:0 > 192.0.2.1:80 iif eth0"),
    NftCase("fw-limited-port", "firewalld", "tcp 10.0.0.5:0 > 192.0.2.1:2222 iif eth0"),
    NftCase("fw-ping-accepted", "firewalld", "icmp 10.0.0.5 > 192.0.2.1 iif eth0"),
    NftCase("fw-forward-rejected", "firewalld", "tcp 10.0.0.5:0 > 10.244.1.2:80 iif eth0"),
    NftCase("fw-trusted-zone", "firewalld", "tcp 10.244.1.2:0 > 192.0.2.2:9999 iif cni0"),
    NftCase("dk-published-port", "docker", "tcp 10.0.0.5:0 > 192.0.2.1:8080 iif eth0"),
    NftCase("dk-container-outbound", "docker", "tcp 172.17.0.3:0 > 10.0.0.5:443 iif cni0"),
    NftCase("dk-direct-to-container-dropped", "docker",
            "tcp 10.0.0.5:0 > 172.17.0.2:80 iif eth0"),
    NftCase("dk-unpublished-port", "docker", "tcp 10.0.0.5:0 > 192.0.2.1:8081 iif eth0"),
    NftCase("sm-interval-blocked", "sets", "tcp 10.0.7.5:0 > 10.244.1.2:8080 iif eth0"),
    NftCase("sm-vmap-ifname-concat", "sets", "tcp 10.0.0.5:0 > 10.244.1.2:8080 iif eth0"),
    NftCase("sm-concat-prefix", "sets", "tcp 10.0.0.5:0 > 10.244.1.4:8080 iif eth0"),
    NftCase("sm-concat-range", "sets", "tcp 10.0.9.9:0 > 10.244.1.4:22 iif eth0"),
    *[
        NftCase(f"sm-jhash-{i}", "sets", f"tcp 10.0.3.{i}:0 > 10.244.1.4:7000 iif eth0")
        for i in range(1, 5)
    ],
    NftCase("sm-redirect", "sets", "tcp 10.0.0.5:0 > 10.244.1.4:9100 iif eth0"),
    NftCase("sm-snat", "sets", "tcp 10.244.1.2:0 > 10.0.0.5:7777 iif cni0"),
    NftCase("sm-nat-slot-numgen-map-400-flows", "sets",
            "tcp 10.0.0.5:0 > 192.0.2.1:9000 iif eth0", 400),
]  # fmt: skip
