"""A kube-proxy (iptables mode) ruleset from Services and endpoints, for examples and benchmarks.

Follows the chains kube-proxy writes in ``pkg/proxy/iptables/proxier.go`` (v1.28 and later):
KUBE-SERVICES → KUBE-SVC-* (statistic over endpoints, probability 1/(n−i)) → KUBE-SEP-*
(DNAT), KUBE-NODEPORTS → KUBE-EXT-* for NodePorts (``externalTrafficPolicy: Local`` goes to
KUBE-SVL-*, local endpoints only), KUBE-MARK-MASQ / KUBE-POSTROUTING for SNAT, ``-m recent``
for session affinity, and the filter chains that REJECT Services without endpoints and DROP
NodePort traffic on nodes without a local endpoint.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

MASQ_MARK = "0x4000"


@dataclass(frozen=True)
class Endpoint:
    ip: str
    port: int
    local: bool = True  # runs on this node


@dataclass(frozen=True)
class ServicePort:
    namespace: str
    name: str
    cluster_ip: str
    port: int
    protocol: str = "tcp"
    port_name: str = ""
    node_port: int | None = None
    local_traffic: bool = False  # externalTrafficPolicy: Local
    affinity: bool = False  # sessionAffinity: ClientIP
    endpoints: tuple[Endpoint, ...] = field(default=())

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}" + (f":{self.port_name}" if self.port_name else "")


def _hash(prefix: str, *parts: str) -> str:
    """kube-proxy's chain names: a prefix and 16 base32 characters of a SHA-256."""
    digest = hashlib.sha256("".join(parts).encode()).digest()
    return prefix + base64.b32encode(digest).decode()[:16]


def kube_proxy_rules(services: list[ServicePort], cluster_cidr: str = "10.244.0.0/16") -> str:
    """The ``iptables-save`` text kube-proxy would program for ``services``."""
    nat_chains = ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"]
    nat: list[str] = [
        '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
        f"-A KUBE-MARK-MASQ -j MARK --or-mark {MASQ_MARK}",
        f"-A KUBE-POSTROUTING -m mark ! --mark {MASQ_MARK}/{MASQ_MARK} -j RETURN",
        f"-A KUBE-POSTROUTING -j MARK --xor-mark {MASQ_MARK}",
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" '
        "-j MASQUERADE --random-fully",
    ]
    filt: list[str] = [
        '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible '
        'service portals" -j KUBE-EXTERNAL-SERVICES',
        '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
        '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" '
        "-j KUBE-SERVICES",
        '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible '
        'service portals" -j KUBE-EXTERNAL-SERVICES',
        '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" '
        "-j KUBE-SERVICES",
        "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP",
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" '
        f"-m mark --mark {MASQ_MARK}/{MASQ_MARK} -j ACCEPT",
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" '
        "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    ]
    services_rules: list[str] = []
    nodeport_rules: list[str] = []
    chain_rules: list[str] = []
    for svc in services:
        p, key = svc.protocol, svc.key
        svc_chain = _hash("KUBE-SVC-", key, p)
        if not svc.endpoints:
            filt.append(
                f"-A KUBE-SERVICES -d {svc.cluster_ip}/32 -p {p} -m comment --comment "
                f'"{key} has no endpoints" -m {p} --dport {svc.port} -j REJECT '
                "--reject-with icmp-port-unreachable"
            )
            continue
        nat_chains.append(svc_chain)
        services_rules.append(
            f"-A KUBE-SERVICES -d {svc.cluster_ip}/32 -p {p} -m comment "
            f'--comment "{key} cluster IP" -m {p} --dport {svc.port} -j {svc_chain}'
        )
        chain_rules.append(
            f"-A {svc_chain} ! -s {cluster_cidr} -d {svc.cluster_ip}/32 -p {p} "
            f'-m comment --comment "{key} cluster IP" -m {p} --dport {svc.port} '
            "-j KUBE-MARK-MASQ"
        )
        chain_rules += _balance(svc_chain, svc, svc.endpoints)
        sep_rules: list[str] = []
        for ep in svc.endpoints:
            sep = _hash("KUBE-SEP-", key, p, f"{ep.ip}:{ep.port}")
            nat_chains.append(sep)
            recent = (
                f" -m recent --set --name {sep} --mask 255.255.255.255 --rsource"
                if svc.affinity
                else ""
            )
            sep_rules += [
                f'-A {sep} -s {ep.ip}/32 -m comment --comment "{key}" -j KUBE-MARK-MASQ',
                f'-A {sep} -p {p} -m comment --comment "{key}"{recent} -m {p} '
                f"-j DNAT --to-destination {ep.ip}:{ep.port}",
            ]
        chain_rules += sep_rules
        if svc.node_port is None:
            continue
        ext = _hash("KUBE-EXT-", key, p)
        nat_chains.append(ext)
        nodeport_rules.append(
            f'-A KUBE-NODEPORTS -p {p} -m comment --comment "{key}" -m {p} '
            f"--dport {svc.node_port} -j {ext}"
        )
        if not svc.local_traffic:
            chain_rules += [
                f'-A {ext} -m comment --comment "masquerade traffic for {key} external '
                'destinations" '
                "-j KUBE-MARK-MASQ",
                f"-A {ext} -j {svc_chain}",
            ]
            continue
        chain_rules += [
            f'-A {ext} -s {cluster_cidr} -m comment --comment "pod traffic for {key} external '
            f'destinations" -j {svc_chain}',
            f'-A {ext} -m comment --comment "masquerade LOCAL traffic for {key} external '
            'destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
            f'-A {ext} -m comment --comment "route LOCAL traffic for {key} external destinations" '
            f"-m addrtype --src-type LOCAL -j {svc_chain}",
        ]
        local = tuple(e for e in svc.endpoints if e.local)
        if local:
            svl = _hash("KUBE-SVL-", key, p)
            nat_chains.append(svl)
            chain_rules.append(f"-A {ext} -j {svl}")
            chain_rules += _balance(svl, svc, local)
        else:
            filt.append(
                f'-A KUBE-EXTERNAL-SERVICES -p {p} -m comment --comment "{key} has no '
                f'local endpoints" -m addrtype --dst-type LOCAL -m {p} --dport '
                f"{svc.node_port} -j DROP"
            )
    services_rules.append(
        '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; '
        'NOTE: this must be the last rule in this chain" -m addrtype '
        "--dst-type LOCAL -j KUBE-NODEPORTS"
    )
    lines = [
        "# Generated by infranotes (kube-proxy iptables mode)",
        "*filter",
        ":INPUT ACCEPT [0:0]",
        ":FORWARD ACCEPT [0:0]",
        ":OUTPUT ACCEPT [0:0]",
        ":KUBE-EXTERNAL-SERVICES - [0:0]",
        ":KUBE-FORWARD - [0:0]",
        ":KUBE-SERVICES - [0:0]",
        *filt,
        "COMMIT",
        "*nat",
        ":PREROUTING ACCEPT [0:0]",
        ":INPUT ACCEPT [0:0]",
        ":OUTPUT ACCEPT [0:0]",
        ":POSTROUTING ACCEPT [0:0]",
        *[f":{c} - [0:0]" for c in nat_chains],
        *nat,
        *nodeport_rules,
        *services_rules,
        *chain_rules,
        "COMMIT",
    ]
    return "\n".join(lines) + "\n"


def _balance(chain: str, svc: ServicePort, endpoints: tuple[Endpoint, ...]) -> list[str]:
    """Session-affinity checks, then one rule per endpoint with probability 1/(n−i)."""
    key, p = svc.key, svc.protocol
    out = []
    seps = [_hash("KUBE-SEP-", key, p, f"{e.ip}:{e.port}") for e in endpoints]
    if svc.affinity:
        for ep, sep in zip(endpoints, seps, strict=True):
            out.append(
                f'-A {chain} -m comment --comment "{key} -> {ep.ip}:{ep.port}" -m recent '
                f"--name {sep} --rcheck --seconds 10800 --reap -j {sep}"
            )
    n = len(endpoints)
    for i, (ep, sep) in enumerate(zip(endpoints, seps, strict=True)):
        stat = f" -m statistic --mode random --probability {1 / (n - i):.11f}" if i < n - 1 else ""
        out.append(f'-A {chain} -m comment --comment "{key} -> {ep.ip}:{ep.port}"{stat} -j {sep}')
    return out


def synthetic_services(count: int, endpoints: int = 3) -> list[ServicePort]:
    """``count`` ClusterIP Services with ``endpoints`` endpoints each (for benchmarks)."""
    out = []
    for i in range(count):
        cip = (
            f"10.96.{(i >> 8) & 0xFF}.{i & 0xFF}"
            if i < 65536
            else f"10.97.{(i >> 8) & 0xFF}.{i & 0xFF}"
        )
        eps = tuple(
            Endpoint(
                f"10.244.{(i * endpoints + j) // 250 % 250}.{(i * endpoints + j) % 250 + 2}", 8080
            )
            for j in range(endpoints)
        )
        out.append(
            ServicePort(
                "bench",
                f"svc-{i}",
                cip,
                80,
                port_name="http",
                endpoints=eps,
                node_port=30000 + i if i < 2000 else None,
            )
        )
    return out
