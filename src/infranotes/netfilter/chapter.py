"""Tables and walkthroughs for the IPVS and Calico sections of the netfilter notebook.

The cases here are the ones the notebook shows; the live functions take a running
:class:`~infranotes.netfilter.lab.NetfilterLab` and put the kernel's answer beside the model's.
"""

from __future__ import annotations

from infranotes.netfilter import messages, scenarios
from infranotes.netfilter.calico import IPPool, calico_nat_rules
from infranotes.netfilter.ipvs import (
    DUMMY_DEVICE,
    IPVS_HOOKS,
    IpvsMode,
    clusterip_path,
    kube_proxy_ipvs_rules,
)
from infranotes.netfilter.kubeproxy import Endpoint, ServicePort
from infranotes.netfilter.lab import NetfilterLab
from infranotes.netfilter.messages import tr
from infranotes.netfilter.packet import Node, parse_packet
from infranotes.netfilter.ruleset import parse_iptables_save
from infranotes.netfilter.trace import Branch, Step, Tracer
from infranotes.table import Table


def first_packets(rules: str, packets: list[str], *, lang: str = "en") -> str:
    """Each packet through ``rules`` on the lab's node: its first branch's fate and events."""
    model = scenarios.tracer(rules)
    lines = []
    for text in packets:
        b = model.trace(parse_packet(text)).branches[0]
        outcome = messages.joined(
            [messages.fate(b.fate, lang), *(messages.event(e, lang) for e in b.events)], lang
        )
        lines.append(f"{text}\n  -> {outcome}")
    return "\n".join(lines)


def ipvs_entries_table(*, lang: str = "en") -> Table:
    """IPVS's six hook entries with the priority expression and the kernel line they come from."""
    rows = [
        (e.hook, e.priority, e.name, messages.label(e.role, lang), e.source.split(" ", 1)[1])
        for e in IPVS_HOOKS
    ]
    return Table(
        (
            tr(lang, "hook"),
            tr(lang, "priority"),
            tr(lang, "function (v5.15)"),
            tr(lang, "what it does"),
            "ip_vs_core.c",
        ),
        rows,
        caption=tr(
            lang,
            "ip_vs_ops4[] (IPv4); from v5.16 the functions are ip_vs_out_hook/ip_vs_in_hook",
        ),
    )


def clusterip_path_table(*, lang: str = "en") -> Table:
    """The entries a new ClusterIP connection acts at, in IPVS mode, numbered as the figure."""
    acting = [s for s in clusterip_path() if s.what]
    rows = [
        (i + 1, s.hook, s.entry.name, s.entry.priority, messages.label(s.what, lang))
        for i, s in enumerate(acting)
    ]
    header = (
        tr(lang, "step"),
        tr(lang, "hook"),
        tr(lang, "entry"),
        tr(lang, "priority"),
        tr(lang, "what happens"),
    )
    return Table(header, rows)


SERVICES = [
    ServicePort("default", "web", "10.96.0.10", 80, endpoints=(Endpoint("10.244.1.5", 8080),))
]
# (what the packet is, packet, kube-ipvs0 present)
IPVS_PACKETS = (
    ("client to ClusterIP:80", "tcp 10.0.0.5:42001 > 10.96.0.10:80 iif eth0", True),
    ("Pod to ClusterIP:80", "tcp 10.244.1.5:42002 > 10.96.0.10:80 iif cni0", True),
    ("client to ClusterIP:22", "tcp 10.0.0.5:42003 > 10.96.0.10:22 iif eth0", True),
    ("client to ClusterIP:80, no kube-ipvs0", "tcp 10.0.0.5:42005 > 10.96.0.10:80 iif eth0", False),
)


def ipvs_mode() -> IpvsMode:
    """The notebook's one Service in kube-proxy's IPVS mode."""
    return kube_proxy_ipvs_rules(SERVICES)


def lab_node(dummy: bool) -> Node:
    """The lab's node (eth0 192.0.2.1, cni0 192.0.2.2), with or without kube-ipvs0."""
    lab = NetfilterLab("", pod_addresses=("10.244.1.5",))
    if dummy:
        lab.dummy = {DUMMY_DEVICE: ipvs_mode().dummy}
    return lab.node()


def _mark(b: Branch, lang: str) -> str:
    return tr(lang, "0x4000 (masquerade)") if b.packet.mark & 0x4000 else "-"


def ipvs_mode_table(*, lang: str = "en") -> Table:
    """Each packet's fate in the model, and whether KUBE-MARK-MASQ marked it."""
    mode = ipvs_mode()
    rs = parse_iptables_save(mode.rules)
    rows = []
    for what, text, dummy in IPVS_PACKETS:
        tracer = Tracer(rs, lab_node(dummy), mode.set_contents())
        (b,) = tracer.trace(parse_packet(text)).branches
        rows.append((messages.label(what, lang), messages.fate(b.fate, lang), _mark(b, lang)))
    return Table((tr(lang, "packet"), tr(lang, "fate (model)"), tr(lang, "mark")), rows)


def _key(steps: tuple[Step, ...]) -> list[tuple[object, ...]]:
    return [(s.hook, s.table, s.chain, s.rule, s.verdict) for s in steps]


def ipvs_live_table(rows: list[tuple[str, int, str, str]], *, lang: str = "en") -> Table:
    """:func:`ipvs_mode_live`'s rows (packet, kernel steps, same?, fate) in ``lang``."""
    shown = [
        (messages.label(what, lang), n, messages.label(same, lang), messages.fate(fate, lang))
        for what, n, same, fate in rows
    ]
    header = (
        tr(lang, "packet"),
        tr(lang, "kernel steps"),
        tr(lang, "model's steps"),
        tr(lang, "fate"),
    )
    return Table(header, shown)


def ipvs_mode_live() -> Table:
    """The same packets in the lab (two labs: with and without kube-ipvs0), step by step.

    In English, its rows data; :func:`ipvs_live_table` shows them in either language.
    """
    mode = ipvs_mode()
    rs = parse_iptables_save(mode.rules)
    rows = []
    for dummy in (True, False):
        devices = {DUMMY_DEVICE: mode.dummy} if dummy else {}
        with NetfilterLab(
            mode.rules, pod_addresses=("10.244.1.5",), ipsets=mode.ipsets, dummy=devices
        ) as lab:
            tracer = Tracer(rs, lab.node(), mode.set_contents())
            for what, text, d in IPVS_PACKETS:
                if d != dummy:
                    continue
                packet = parse_packet(text)
                kernel = lab.send(packet)
                (b,) = tracer.trace(packet).branches
                same = _key(kernel.steps) == _key(b.steps)
                rows.append((what, len(kernel.steps), "same" if same else "DIFFERENT", b.fate))
    return ipvs_live_table(rows)


POOLS = [IPPool("10.244.0.0/16"), IPPool("10.245.0.0/16", nat_outgoing=False)]
LAB_PODS = ("10.244.1.5", "10.245.0.9")  # this node's Pods, one per pool
CALICO_PACKETS = (
    ("Pod to outside", "tcp 10.244.1.5:41001 > 198.51.100.7:443 iif cni0"),
    ("Pod to a Pod on another node", "tcp 10.244.1.5:41003 > 10.244.9.9:80 iif cni0"),
    ("Pod to the pool without natOutgoing", "tcp 10.244.1.5:41004 > 10.245.7.7:80 iif cni0"),
    ("Pod of that pool to outside", "tcp 10.245.0.9:41005 > 198.51.100.7:443 iif cni0"),
    ("outside to a Pod", "udp 10.0.0.5:41006 > 10.244.1.5:9 iif eth0"),
    ("the node to outside", "tcp 192.0.2.1:41007 > 198.51.100.7:443 local"),
)


def calico_table(node: Node | None = None, *, lang: str = "en") -> Table:
    """Each packet's source as it leaves, per the model, and the last chain that acted."""
    nat = calico_nat_rules(POOLS)
    if node is None:
        node = NetfilterLab("", pod_addresses=LAB_PODS).node()
    tracer = Tracer(parse_iptables_save(nat.rules), node, nat.set_contents())
    rows = []
    for what, text in CALICO_PACKETS:
        packet = parse_packet(text)
        (b,) = tracer.trace(packet).branches
        snat = "MASQUERADE" if b.packet.src != packet.src else tr(lang, "kept")
        addresses = f"{packet.src} > {packet.dst}"
        rows.append((messages.label(what, lang), addresses, b.packet.src, snat))
    header = (
        tr(lang, "packet"),
        tr(lang, "addresses"),
        tr(lang, "leaves with source"),
        tr(lang, "source"),
    )
    return Table(header, rows)


def calico_live_table(rows: list[tuple[str, str, str, str]], *, lang: str = "en") -> Table:
    """:func:`calico_live`'s rows (packet, same steps?, kernel's source, model's) in ``lang``."""
    shown = [
        (messages.label(what, lang), messages.label(same, lang), kernel, model)
        for what, same, kernel, model in rows
    ]
    header = (
        tr(lang, "packet"),
        tr(lang, "steps"),
        tr(lang, "source (kernel)"),
        tr(lang, "source (model)"),
    )
    return Table(header, shown)


def calico_live() -> Table:
    """The kernel's steps and the source read back from its conntrack entry, beside the model.

    In English, its rows data; :func:`calico_live_table` shows them in either language.
    """
    nat = calico_nat_rules(POOLS)
    rows = []
    with NetfilterLab(nat.rules, pod_addresses=LAB_PODS, ipsets=nat.ipsets) as lab:
        tracer = Tracer(parse_iptables_save(nat.rules), lab.node(), nat.set_contents())
        for what, text in CALICO_PACKETS:
            packet = parse_packet(text)
            kernel = lab.send(packet, flush=False)
            entries = [e for e in lab.conntrack() if f"sport={packet.sport} " in e]
            lab.node_ns.exec(["conntrack", "-F"])
            (b,) = tracer.trace(packet).branches
            # the reply tuple's destination is the source the packet left with
            reply = entries[0].split("src=")[2] if entries else ""
            kernel_src = reply.split("dst=")[1].split()[0] if reply else "?"
            same = _key(kernel.steps) == _key(b.steps)
            rows.append((what, "same" if same else "DIFFERENT", kernel_src, b.packet.src))
    return calico_live_table(rows)
