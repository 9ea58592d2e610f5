"""IPVS on the netfilter hooks, and the iptables half of kube-proxy's IPVS mode.

IPVS (the Linux Virtual Server) is not a table of rules: it registers its own functions on
the hooks, at priorities chosen relative to the nat table's, and keeps its own service and
connection tables. ``IPVS_HOOKS`` is its ``ip_vs_ops4`` array; :func:`hook_entries` merges it
with the iptables tables of :mod:`infranotes.netfilter.hooks`, so a reader sees who runs
first at each hook.

kube-proxy in IPVS mode still writes iptables rules, but only a few, matching ipsets instead
of one rule per Service: :func:`kube_proxy_ipvs_rules` writes them (``writeIptablesRules`` in
``pkg/proxy/ipvs/proxier.go``), with the ipset contents and the ``kube-ipvs0`` dummy
addresses that make every ClusterIP a local address. That last part is the reason the design
works: only a packet addressed to a local address reaches LOCAL_IN, where IPVS waits.
"""

from __future__ import annotations

from dataclasses import dataclass

from infranotes.netfilter.hooks import HOOK_ORDER, HOOKS
from infranotes.netfilter.kubeproxy import MASQ_MARK, ServicePort

LINUX = "https://github.com/torvalds/linux/blob/v5.15"
PRIORITIES_H = f"{LINUX}/include/uapi/linux/netfilter_ipv4.h"  # enum nf_ip_hook_priorities
IP_VS_CORE = f"{LINUX}/net/netfilter/ipvs/ip_vs_core.c"  # ip_vs_ops4[]
IP_VS_XMIT = f"{LINUX}/net/netfilter/ipvs/ip_vs_xmit.c"  # ip_vs_nat_send_or_cont()
K8S = "https://github.com/kubernetes/kubernetes/blob/v1.30.0"
PROXIER = f"{K8S}/pkg/proxy/ipvs/proxier.go"

# The two priorities IPVS counts from (enum nf_ip_hook_priorities).
NF_IP_PRI_NAT_DST = -100
NF_IP_PRI_NAT_SRC = 100

# The iptables name of each netfilter hook (NF_INET_*).
NF_INET = {
    "PREROUTING": "NF_INET_PRE_ROUTING",
    "INPUT": "NF_INET_LOCAL_IN",
    "FORWARD": "NF_INET_FORWARD",
    "OUTPUT": "NF_INET_LOCAL_OUT",
    "POSTROUTING": "NF_INET_POST_ROUTING",
}


@dataclass(frozen=True)
class HookEntry:
    """One function registered on one hook: who owns it, at which priority, what it does."""

    hook: str  # iptables name of the hook: PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING
    priority: int  # lower runs first (nf_hook_entries are kept sorted by priority)
    owner: str  # "iptables", "conntrack" or "IPVS"
    name: str  # the table, the conntrack step, or the IPVS hook function
    role: str  # what it does there, in a few words
    source: str  # where the priority is defined (tagged upstream URL + symbol)

    def to_json(self) -> dict[str, object]:
        return {
            "hook": self.hook,
            "priority": self.priority,
            "owner": self.owner,
            "name": self.name,
            "role": self.role,
            "source": self.source,
        }


# ip_vs_ops4[] in ip_vs_core.c, v5.15 (the last release with these wrapper names: from v5.16
# they are ip_vs_out_hook for the *reply* entries and ip_vs_in_hook for the *request* ones,
# Florian Westphal's "netfilter: ipvs: remove unneeded output wrappers"; hooks and priorities
# unchanged). The comments are the kernel's own, shortened.
IPVS_HOOKS: tuple[HookEntry, ...] = (
    HookEntry(
        "INPUT",
        NF_IP_PRI_NAT_SRC - 2,
        "IPVS",
        "ip_vs_reply4",
        "VS/NAT replies: source back to the virtual IP",
        f"{IP_VS_CORE} ip_vs_ops4[0]: NF_INET_LOCAL_IN, NF_IP_PRI_NAT_SRC - 2",
    ),
    HookEntry(
        "INPUT",
        NF_IP_PRI_NAT_SRC - 1,
        "IPVS",
        "ip_vs_remote_request4",
        "schedule a request: pick a real server, DNAT, send",
        f"{IP_VS_CORE} ip_vs_ops4[1]: NF_INET_LOCAL_IN, NF_IP_PRI_NAT_SRC - 1",
    ),
    HookEntry(
        "OUTPUT",
        NF_IP_PRI_NAT_DST + 1,
        "IPVS",
        "ip_vs_local_reply4",
        "VS/NAT replies of local real servers",
        f"{IP_VS_CORE} ip_vs_ops4[2]: NF_INET_LOCAL_OUT, NF_IP_PRI_NAT_DST + 1",
    ),
    HookEntry(
        "OUTPUT",
        NF_IP_PRI_NAT_DST + 2,
        "IPVS",
        "ip_vs_local_request4",
        "schedule requests of local clients",
        f"{IP_VS_CORE} ip_vs_ops4[3]: NF_INET_LOCAL_OUT, NF_IP_PRI_NAT_DST + 2",
    ),
    HookEntry(
        "FORWARD",
        99,
        "IPVS",
        "ip_vs_forward_icmp",
        "ICMP errors about IPVS connections",
        f"{IP_VS_CORE} ip_vs_ops4[4]: NF_INET_FORWARD, 99",
    ),
    HookEntry(
        "FORWARD",
        100,
        "IPVS",
        "ip_vs_reply4",
        "VS/NAT replies routed through the director",
        f"{IP_VS_CORE} ip_vs_ops4[5]: NF_INET_FORWARD, 100",
    ),
)

# After ip_vs_remote_request4 rewrites a VS/NAT packet, ip_vs_nat_send_or_cont() hands it to
# NF_HOOK(pf, NF_INET_LOCAL_OUT, ..., dst_output): the packet leaves LOCAL_IN, runs the
# LOCAL_OUT hook again (marked ipvs_property, so IPVS's own LOCAL_OUT entries let it pass)
# and then POST_ROUTING on its way out. That is where kube-proxy's KUBE-POSTROUTING can
# MASQUERADE it, which is why kube-proxy sets net.ipv4.vs.conntrack=1 (NewProxier,
# sysctlVSConnTrack): without it IPVS detaches the packet from conntrack (ip_vs_notrack)
# and there is no NAT in POSTROUTING.
RESEND = f"{IP_VS_XMIT} ip_vs_nat_send_or_cont(): NF_HOOK(pf, NF_INET_LOCAL_OUT, ..., dst_output)"

_ROLE = {
    "raw": "raw table (NOTRACK)",
    "conntrack": "conntrack: look up / create entry",
    "mangle": "mangle table",
    "nat": "nat table",
    "filter": "filter table",
    "security": "security table",
    "confirm": "conntrack: confirm the entry",
}


def iptables_entries() -> tuple[HookEntry, ...]:
    """The tables and conntrack steps of ``hooks.HOOK_ORDER`` as hook entries with sources."""
    out = []
    for hook in HOOKS:
        for stage, prio in HOOK_ORDER[hook]:
            owner = "conntrack" if stage in ("conntrack", "confirm") else "iptables"
            role = _ROLE[stage]
            if stage == "nat":
                role = "nat table: DNAT" if prio < 0 else "nat table: SNAT"
            out.append(
                HookEntry(
                    hook,
                    prio,
                    owner,
                    stage,
                    role,
                    f"{PRIORITIES_H} enum nf_ip_hook_priorities",
                )
            )
    return tuple(out)


def hook_entries(hook: str | None = None) -> tuple[HookEntry, ...]:
    """Every entry (iptables, conntrack, IPVS), per hook in packet order, by priority."""
    entries = iptables_entries() + IPVS_HOOKS
    hooks = HOOKS if hook is None else (hook,)
    return tuple(e for h in hooks for e in sorted((e for e in entries if e.hook == h), key=_order))


def _order(e: HookEntry) -> tuple[int, int]:
    # equal priorities do not occur at one hook here; tables first if they ever did
    return (e.priority, e.owner == "IPVS")


@dataclass(frozen=True)
class PathStep:
    """One entry a ClusterIP packet meets in kube-proxy's IPVS mode, and what happens there."""

    hook: str
    entry: HookEntry
    what: str


def clusterip_path() -> tuple[PathStep, ...]:
    """The entries a new connection to a ClusterIP meets on the node, in IPVS mode.

    PREROUTING: the nat table's KUBE-SERVICES marks it for MASQUERADE when it does not
    come from a Pod and ACCEPTs it (no DNAT: nothing to rewrite yet). Routing: the
    ClusterIP sits on ``kube-ipvs0``, so it is local and goes to LOCAL_IN. INPUT: the
    filter table runs first (KUBE-IPVS-FILTER lets Service ports through), then
    ``ip_vs_remote_request4`` schedules a Pod and rewrites the destination; the packet is
    re-sent through LOCAL_OUT (``RESEND``) and POST_ROUTING, where KUBE-POSTROUTING
    masquerades marked packets. The nat table at INPUT (priority 100) never sees it.
    """
    what = {
        ("PREROUTING", "nat"): "KUBE-SERVICES: mark for SNAT, ACCEPT (no DNAT)",
        ("INPUT", "filter"): "KUBE-IPVS-FILTER: Service ports pass",
        ("INPUT", "ip_vs_remote_request4"): "IPVS: pick a Pod, DNAT, re-send",
        ("OUTPUT", "filter"): "re-sent packet passes OUTPUT",
        ("POSTROUTING", "nat"): "KUBE-POSTROUTING: MASQUERADE if marked",
    }
    steps = []
    for hook in ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"):
        for e in hook_entries(hook):
            if hook == "INPUT" and e.priority > NF_IP_PRI_NAT_SRC - 1:
                break  # IPVS took the packet (NF_STOLEN): nat INPUT and confirm never run
            if hook == "OUTPUT" and e.owner == "IPVS":
                continue  # skb->ipvs_property: IPVS's own LOCAL_OUT entries let it pass
            if e.owner == "IPVS" and e.name != "ip_vs_remote_request4":
                continue  # ip_vs_reply4 looks for a reply of a known connection: none
            steps.append(PathStep(hook, e, what.get((hook, e.name), "")))
    return tuple(steps)


# ------------------------------------------------------------- kube-proxy IPVS mode (iptables)
CLUSTER_IP_SET = "KUBE-CLUSTER-IP"  # hash:ip,port "Kubernetes service cluster ip + port ..."
IPVS_IPS_SET = "KUBE-IPVS-IPS"  # hash:ip, every address bound to kube-ipvs0
DUMMY_DEVICE = "kube-ipvs0"  # defaultDummyDevice


@dataclass(frozen=True)
class IpvsMode:
    """What kube-proxy's IPVS mode programs besides IPVS itself."""

    rules: str  # iptables-save text
    ipsets: dict[str, tuple[str, tuple[str, ...]]]  # name -> (ipset type, entries)
    dummy: tuple[str, ...]  # addresses bound to kube-ipvs0
    virtual_servers: tuple[tuple[str, tuple[str, ...]], ...]  # "tcp 10.96.0.10:80" -> reals

    def set_contents(self) -> dict[str, tuple[str, ...]]:
        """The ipsets as the tracer takes them (name -> entries)."""
        return {name: entries for name, (_, entries) in self.ipsets.items()}


def kube_proxy_ipvs_rules(
    services: list[ServicePort], cluster_cidr: str = "10.244.0.0/16"
) -> IpvsMode:
    """The iptables rules, ipsets and dummy addresses of kube-proxy's IPVS mode.

    ``writeIptablesRules`` (proxier.go): ``KUBE-SERVICES`` returns loopback sources, marks
    traffic to a ClusterIP:port from outside the cluster CIDR for MASQUERADE, sends local
    destinations to ``KUBE-NODE-PORT`` and ACCEPTs ClusterIP:port (``acceptIPVSTraffic``);
    ``KUBE-POSTROUTING`` and ``KUBE-MARK-MASQ`` as in iptables mode. In filter INPUT,
    ``KUBE-IPVS-FILTER`` lets Service ports through and REJECTs new connections to any other
    port of an address on ``kube-ipvs0`` (kubernetes#72236). ClusterIP Services only: the
    NodePort, LoadBalancer, external-IP, firewall and health-check sets and chains are
    left out (they are empty for such Services, apart from their jumps), and so is the
    hairpin rule (``KUBE-LOOP-BACK`` set, MASQUERADE in ``KUBE-POSTROUTING``) that matches
    packets IPVS has already sent back to a local endpoint.
    """
    cluster = []
    reals = []
    for svc in services:
        cluster.append(f"{svc.cluster_ip},{svc.protocol}:{svc.port}")
        reals.append(
            (
                f"{svc.protocol} {svc.cluster_ip}:{svc.port}",
                tuple(f"{e.ip}:{e.port}" for e in svc.endpoints),
            )
        )
    dummy = tuple(dict.fromkeys(s.cluster_ip for s in services))
    mark = f"{MASQ_MARK}/{MASQ_MARK}"
    comment = '"Kubernetes service cluster ip + port for masquerade purpose"'
    nat = [
        '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
        "-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN",
        f"-A KUBE-SERVICES -m comment --comment {comment} -m set --match-set {CLUSTER_IP_SET} "
        f"dst,dst ! -s {cluster_cidr} -j KUBE-MARK-MASQ",
        "-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT",
        f"-A KUBE-SERVICES -m set --match-set {CLUSTER_IP_SET} dst,dst -j ACCEPT",
        f"-A KUBE-POSTROUTING -m mark ! --mark {mark} -j RETURN",
        f"-A KUBE-POSTROUTING -j MARK --xor-mark {MASQ_MARK}",
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" '
        "-j MASQUERADE --random-fully",
        f"-A KUBE-MARK-MASQ -j MARK --or-mark {MASQ_MARK}",
    ]
    filt = [
        '-A INPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-FILTER',
        f"-A KUBE-IPVS-FILTER -m set --match-set {CLUSTER_IP_SET} dst,dst -j RETURN",
        f"-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set {IPVS_IPS_SET} dst "
        "-j REJECT --reject-with icmp-port-unreachable",
    ]
    lines = [
        "# Generated by infranotes (kube-proxy IPVS mode, iptables part)",
        "*filter",
        ":INPUT ACCEPT [0:0]",
        ":FORWARD ACCEPT [0:0]",
        ":OUTPUT ACCEPT [0:0]",
        ":KUBE-IPVS-FILTER - [0:0]",
        *filt,
        "COMMIT",
        "*nat",
        ":PREROUTING ACCEPT [0:0]",
        ":INPUT ACCEPT [0:0]",
        ":OUTPUT ACCEPT [0:0]",
        ":POSTROUTING ACCEPT [0:0]",
        ":KUBE-SERVICES - [0:0]",
        ":KUBE-POSTROUTING - [0:0]",
        ":KUBE-NODE-PORT - [0:0]",
        ":KUBE-MARK-MASQ - [0:0]",
        *nat,
        "COMMIT",
    ]
    ipsets = {
        CLUSTER_IP_SET: ("hash:ip,port", tuple(cluster)),
        IPVS_IPS_SET: ("hash:ip", dummy),
    }
    return IpvsMode("\n".join(lines) + "\n", ipsets, dummy, tuple(reals))
