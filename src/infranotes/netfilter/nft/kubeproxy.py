"""A kube-proxy ``nftables``-mode ruleset from Services and endpoints (the same
:class:`~infranotes.netfilter.kubeproxy.ServicePort` values the iptables-mode generator takes).

Follows ``pkg/proxy/nftables/proxier.go`` (Kubernetes 1.31+; the exact text of its expected
output is in ``proxier_test.go`` ``baseRules`` and ``TestOverallNFTablesRules``): one table
``ip kube-proxy``; the ``services`` chain looks the packet up in the verdict maps
``service-ips`` (``ip daddr . meta l4proto . th dport``) and ``service-nodeports``; each
Service port has a ``service-HASH-ns/name/proto/port`` chain that marks off-cluster sources
for masquerading and picks an endpoint with ``numgen random mod N vmap``; each endpoint has
an ``endpoint-HASH-…__ip/port`` chain that DNATs; ``masquerading`` SNATs what
``mark-for-masquerade`` marked. Services without endpoints are in ``no-endpoint-services``
(``goto reject-chain``); NodePorts with ``externalTrafficPolicy: Local`` and no local endpoint
are dropped through ``no-endpoint-nodeports``. LoadBalancer source ranges (``firewall-ips``)
are created empty: the ServicePort model has no load balancer.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from infranotes.netfilter.kubeproxy import Endpoint, ServicePort
from infranotes.netfilter.nft import build as b

TABLE = ("ip", "kube-proxy")
MASQ_MARK = 0x4000
KEY3 = ["ipv4_addr", "inet_proto", "inet_service"]


def chain_name_base(*parts: str) -> str:
    """``hashAndTruncate``: 8 base32 characters of the name's SHA-256, a dash, the name."""
    name = "/".join(parts)
    digest = base64.b32encode(hashlib.sha256(name.encode()).digest()).decode()
    return f"{digest[:8]}-{name}"


def _svc_base(svc: ServicePort) -> str:
    return chain_name_base(svc.namespace, svc.name, svc.protocol, svc.port_name)


def _ep_base(svc: ServicePort, ep: Endpoint) -> str:
    return chain_name_base(
        svc.namespace, svc.name, svc.protocol, f"{svc.port_name}__{ep.ip}", str(ep.port)
    )


def _daddr_proto_port() -> dict[str, Any]:
    return b.concat(b.payload("ip", "daddr"), b.meta("l4proto"), b.payload("th", "dport"))


def kube_proxy_nft(
    services: list[ServicePort],
    cluster_cidr: str = "10.244.0.0/16",
    service_cidr: str = "10.96.0.0/12",
    node_ips: tuple[str, ...] = ("192.168.1.10",),
) -> str:
    """The ruleset as a libnftables JSON document (``nft -j -f`` loads it as it is)."""
    R = TABLE
    chains = [
        b.chain(*R, "cluster-ips-check"),
        b.chain(*R, "filter-prerouting-pre-dnat", hook="prerouting", prio=-110),
        b.chain(*R, "filter-output-pre-dnat", hook="output", prio=-110),
        b.chain(*R, "filter-forward", hook="forward", prio=0),
        b.chain(*R, "filter-input", hook="input", prio=0),
        b.chain(*R, "filter-output", hook="output", prio=0),
        b.chain(*R, "firewall-check"),
        b.chain(*R, "mark-for-masquerade"),
        b.chain(*R, "masquerading"),
        b.chain(*R, "nat-output", hook="output", prio=-100, type="nat"),
        b.chain(*R, "nat-postrouting", hook="postrouting", prio=100, type="nat"),
        b.chain(*R, "nat-prerouting", hook="prerouting", prio=-100, type="nat"),
        b.chain(*R, "nodeport-endpoints-check"),
        b.chain(
            *R, "reject-chain", comment="helper for @no-endpoint-services / @no-endpoint-nodeports"
        ),
        b.chain(*R, "services"),
        b.chain(*R, "service-endpoints-check"),
    ]
    new = b.match(b.ct("state"), "new", "in")
    mark = b.meta("mark")
    rules = [
        b.rule(*R, "cluster-ips-check", b.match(b.payload("ip", "daddr"), "@cluster-ips"),
               b.reject(), comment="Reject traffic to invalid ports of ClusterIPs"),
        b.rule(*R, "cluster-ips-check", b.match(b.payload("ip", "daddr"),
                                                b.anon(b.prefix(service_cidr))),
               b.verdict("drop"), comment="Drop traffic to unallocated ClusterIPs"),
        b.rule(*R, "filter-prerouting-pre-dnat", new, b.verdict("jump", "firewall-check")),
        b.rule(*R, "filter-forward", new, b.verdict("jump", "service-endpoints-check")),
        b.rule(*R, "filter-forward", new, b.verdict("jump", "cluster-ips-check")),
        b.rule(*R, "filter-input", new, b.verdict("jump", "nodeport-endpoints-check")),
        b.rule(*R, "filter-input", new, b.verdict("jump", "service-endpoints-check")),
        b.rule(*R, "filter-output", new, b.verdict("jump", "service-endpoints-check")),
        b.rule(*R, "filter-output-pre-dnat", new, b.verdict("jump", "firewall-check")),
        b.rule(*R, "filter-output", new, b.verdict("jump", "cluster-ips-check")),
        b.rule(*R, "firewall-check", b.vmap(_daddr_proto_port(), "@firewall-ips")),
        b.rule(*R, "mark-for-masquerade", b.mark_set({"|": [mark, MASQ_MARK]})),
        b.rule(*R, "masquerading", b.match({"&": [mark, MASQ_MARK]}, 0), b.verdict("return")),
        b.rule(*R, "masquerading", b.mark_set({"^": [mark, MASQ_MARK]})),
        b.rule(*R, "masquerading", b.masquerade(fully_random=True)),
        b.rule(*R, "nat-output", b.verdict("jump", "services")),
        b.rule(*R, "nat-postrouting", b.verdict("jump", "masquerading")),
        b.rule(*R, "nat-prerouting", b.verdict("jump", "services")),
        b.rule(*R, "nodeport-endpoints-check",
               b.match(b.payload("ip", "daddr"), "@nodeport-ips"),
               b.vmap(b.concat(b.meta("l4proto"), b.payload("th", "dport")),
                      "@no-endpoint-nodeports")),
        b.rule(*R, "reject-chain", b.reject()),
        b.rule(*R, "services", b.vmap(_daddr_proto_port(), "@service-ips")),
        b.rule(*R, "services", b.match(b.payload("ip", "daddr"), "@nodeport-ips"),
               b.vmap(b.concat(b.meta("l4proto"), b.payload("th", "dport")),
                      "@service-nodeports")),
        b.rule(*R, "service-endpoints-check",
               b.vmap(_daddr_proto_port(), "@no-endpoint-services")),
    ]  # fmt: skip
    cluster_ips: list[Any] = []
    service_ips: list[Any] = []
    nodeports: list[Any] = []
    no_ep_services: list[Any] = []
    no_ep_nodeports: list[Any] = []
    affinity_sets: list[dict[str, Any]] = []
    for svc in services:
        p = svc.protocol
        base = _svc_base(svc)
        svc_chain, ext_chain, local_chain = f"service-{base}", f"external-{base}", f"local-{base}"
        if svc.cluster_ip not in cluster_ips:
            cluster_ips.append(svc.cluster_ip)
        if not svc.endpoints:
            no_ep_services.append([b.concat(svc.cluster_ip, p, svc.port),
                                   b.verdict("goto", "reject-chain")])  # fmt: skip
            if svc.node_port is not None:
                no_ep_nodeports.append(
                    [b.concat(p, svc.node_port), b.verdict("goto", "reject-chain")]
                )
            continue
        chains.append(b.chain(*R, svc_chain))
        service_ips.append([b.concat(svc.cluster_ip, p, svc.port), b.verdict("goto", svc_chain)])
        rules.append(b.rule(*R, svc_chain,
                            b.match(b.payload("ip", "daddr"), svc.cluster_ip),
                            b.match(b.payload("ip", "saddr"), b.prefix(cluster_cidr), "!="),
                            b.verdict("jump", "mark-for-masquerade")))  # fmt: skip
        rules += _balance(svc, svc_chain, svc.endpoints, affinity_sets)
        if svc.node_port is not None:
            chains.append(b.chain(*R, ext_chain))
            nodeports.append([b.concat(p, svc.node_port), b.verdict("goto", ext_chain)])
            local = tuple(e for e in svc.endpoints if e.local)
            if not svc.local_traffic:
                rules.append(b.rule(*R, ext_chain, b.verdict("jump", "mark-for-masquerade")))
                rules.append(b.rule(*R, ext_chain, b.verdict("goto", svc_chain)))
            else:
                rules += [
                    b.rule(*R, ext_chain, b.match(b.payload("ip", "saddr"), b.prefix(cluster_cidr)),
                           b.verdict("goto", svc_chain), comment="short-circuit pod traffic"),
                    b.rule(*R, ext_chain, b.match(b.fib("saddr"), "local"),
                           b.verdict("jump", "mark-for-masquerade"),
                           comment="masquerade local traffic"),
                    b.rule(*R, ext_chain, b.match(b.fib("saddr"), "local"),
                           b.verdict("goto", svc_chain), comment="short-circuit local traffic"),
                ]  # fmt: skip
                if local:
                    chains.append(b.chain(*R, local_chain))
                    rules.append(b.rule(*R, ext_chain, b.verdict("goto", local_chain)))
                    rules += _balance(svc, local_chain, local, [])
                else:
                    no_ep_nodeports.append([b.concat(p, svc.node_port), b.verdict("drop")])
        for ep in svc.endpoints:
            ep_chain = f"endpoint-{_ep_base(svc, ep)}"
            chains.append(b.chain(*R, ep_chain))
            rules.append(b.rule(*R, ep_chain, b.match(b.payload("ip", "saddr"), ep.ip),
                                b.verdict("jump", "mark-for-masquerade")))  # fmt: skip
            if svc.affinity:
                update = {"op": "update", "elem": b.payload("ip", "saddr"),
                          "set": f"@affinity-{_ep_base(svc, ep)}"}  # fmt: skip
                rules.append(b.rule(*R, ep_chain, {"set": update}))
            rules.append(b.rule(*R, ep_chain, b.match(b.meta("l4proto"), p),
                                b.dnat(ep.ip, ep.port)))  # fmt: skip
    sets = [
        b.set_(*R, "cluster-ips", "ipv4_addr", cluster_ips, comment="Active ClusterIPs"),
        b.set_(*R, "nodeport-ips", "ipv4_addr", list(node_ips),
               comment="IPs that accept NodePort traffic"),
        b.set_(*R, "firewall-ips", KEY3, [], data="verdict",
               comment="destinations that are subject to LoadBalancerSourceRanges"),
        b.set_(*R, "no-endpoint-nodeports", ["inet_proto", "inet_service"], no_ep_nodeports,
               data="verdict",
               comment="vmap to drop or reject packets to service nodeports with no endpoints"),
        b.set_(*R, "no-endpoint-services", KEY3, no_ep_services, data="verdict",
               comment="vmap to drop or reject packets to services with no endpoints"),
        b.set_(*R, "service-ips", KEY3, service_ips, data="verdict",
               comment="ClusterIP, ExternalIP and LoadBalancer IP traffic"),
        b.set_(*R, "service-nodeports", ["inet_proto", "inet_service"], nodeports,
               data="verdict", comment="NodePort traffic"),
        *affinity_sets,
    ]  # fmt: skip
    # chains before the maps whose elements name them, sets before the rules that use them
    return b.document([b.table(*R, comment="rules for kube-proxy"), *chains, *sets, *rules])


def _balance(
    svc: ServicePort, chain: str, endpoints: tuple[Endpoint, ...], affinity_sets: list[Any]
) -> list[dict[str, Any]]:
    """Session-affinity checks, then ``numgen random mod N vmap { i : goto endpoint-… }``."""
    R = TABLE
    out = []
    if svc.affinity:
        for ep in endpoints:
            name = f"affinity-{_ep_base(svc, ep)}"
            if not any(s["set"]["name"] == name for s in affinity_sets):
                # proxier.go asks for "dynamic,timeout"; libnftables 1.0 JSON input has no
                # "dynamic" flag, and nft sets it itself for a set a rule updates
                s = b.set_(*R, name, "ipv4_addr", flags=["timeout"])
                s["set"]["timeout"] = 10800
                affinity_sets.append(s)
            out.append(b.rule(*R, chain, b.match(b.payload("ip", "saddr"), f"@{name}"),
                              b.verdict("goto", f"endpoint-{_ep_base(svc, ep)}")))  # fmt: skip
    vmap = b.anon(
        *([i, b.verdict("goto", f"endpoint-{_ep_base(svc, ep)}")] for i, ep in enumerate(endpoints))
    )
    out.append(b.rule(*R, chain, b.vmap(b.numgen(len(endpoints)), vmap)))
    return out
