"""The netfilter notebook's cluster: a node, its kube-proxy ruleset, and the packets traced.

The node is the lab's topology (``eth0`` 192.0.2.1 towards clients, ``cni0`` 192.0.2.2
towards Pods), so the model and the kernel trace the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from infranotes.netfilter import messages
from infranotes.netfilter.conntrack import ConntrackTable, send
from infranotes.netfilter.kubeproxy import Endpoint, ServicePort, kube_proxy_rules
from infranotes.netfilter.lab import NetfilterLab
from infranotes.netfilter.messages import tr
from infranotes.netfilter.packet import parse_packet
from infranotes.netfilter.ruleset import parse_iptables_save
from infranotes.netfilter.trace import Tracer
from infranotes.table import Table


def example_services() -> list[ServicePort]:
    """A web Service (NodePort, one endpoint on another node), an api with
    ``externalTrafficPolicy: Local``, a batch job whose only endpoint is elsewhere, a Service
    with no endpoints, one with session affinity, and kube-dns over UDP."""
    return [
        ServicePort(
            "shop",
            "web",
            "10.96.0.20",
            80,
            port_name="http",
            node_port=30080,
            endpoints=(Endpoint("10.244.1.2", 8080), Endpoint("10.244.2.3", 8080, local=False)),
        ),
        ServicePort(
            "shop",
            "api",
            "10.96.0.21",
            443,
            node_port=30443,
            local_traffic=True,
            endpoints=(Endpoint("10.244.1.5", 8443),),
        ),
        ServicePort(
            "shop",
            "batch",
            "10.96.0.22",
            9000,
            node_port=30900,
            local_traffic=True,
            endpoints=(Endpoint("10.244.3.9", 9000, local=False),),
        ),
        ServicePort("shop", "gone", "10.96.0.23", 80),
        ServicePort(
            "shop",
            "sticky",
            "10.96.0.24",
            80,
            affinity=True,
            endpoints=(Endpoint("10.244.1.7", 80), Endpoint("10.244.1.8", 80)),
        ),
        ServicePort(
            "kube-system",
            "kube-dns",
            "10.96.0.10",
            53,
            protocol="udp",
            port_name="dns",
            endpoints=(Endpoint("10.244.1.11", 53), Endpoint("10.244.1.12", 53)),
        ),
    ]


RULES = kube_proxy_rules(example_services())

PACKETS = {
    "ClusterIP from a client outside the cluster": "tcp 10.0.0.5:40010 > 10.96.0.20:80 iif eth0",
    "ClusterIP from a Pod on this node": "tcp 10.244.1.5:40011 > 10.96.0.20:80 iif cni0",
    "hairpin: a Pod to its own Service": "tcp 10.244.1.5:40012 > 10.96.0.21:443 iif cni0",
    "NodePort from outside (Cluster policy)": "tcp 10.0.0.5:40013 > 192.0.2.1:30080 iif eth0",
    "NodePort, Local policy, local endpoint": "tcp 10.0.0.5:40014 > 192.0.2.1:30443 iif eth0",
    "NodePort, Local policy, no local endpoint": "tcp 10.0.0.5:40015 > 192.0.2.1:30900 iif eth0",
    "Service without endpoints": "tcp 10.0.0.5:40016 > 10.96.0.23:80 iif eth0",
}


def tracer(rules: str = RULES) -> Tracer:
    """The model of the lab's node with ``rules`` loaded (no root needed)."""
    return Tracer(parse_iptables_save(rules), NetfilterLab(rules).node())


def ruleset_size(rules: str = RULES, *, lang: str = "en") -> str:
    """How long ``rules`` is: its lines and its rules."""
    n = parse_iptables_save(rules).rule_count()
    return tr(lang, "{lines} lines, {rules} rules", lines=rules.count("\n"), rules=n)


def summary_table(rules: str = RULES, *, lang: str = "en") -> Table:
    """Every scenario packet: its branches, where it ends up, and what happens to it."""
    t = tracer(rules)
    rows = []
    for title, pkt in PACKETS.items():
        trace = t.trace(parse_packet(pkt))
        for b in trace.branches:
            rows.append(
                (
                    messages.label(title, lang),
                    f"{b.probability:.2f}",
                    b.destination,
                    b.packet.src,
                    messages.fate(b.fate, lang),
                )
            )
    header = (
        tr(lang, "scenario"),
        "p",
        tr(lang, "destination"),
        tr(lang, "source after NAT"),
        tr(lang, "fate"),
    )
    return Table(header, rows)


# ---------------------------------------------------------------- stale UDP conntrack entries
DNS_PACKET = "udp 10.0.0.5:40053 > 10.96.0.10:53 iif eth0"


def dns_rules(*endpoints: str) -> str:
    """kube-dns with the given endpoint addresses (one rule set per endpoint change)."""
    svc = ServicePort(
        "kube-system",
        "kube-dns",
        "10.96.0.10",
        53,
        protocol="udp",
        port_name="dns",
        endpoints=tuple(Endpoint(ip, 53) for ip in endpoints),
    )
    return kube_proxy_rules([svc])


@dataclass(frozen=True)
class StaleStep:
    what: str
    rules: str | None  # a new ruleset to load first, or None
    delete: bool = False  # run `conntrack -D` first


STALE_STEPS = (
    StaleStep("first query: kube-dns has one endpoint, 10.244.1.11", dns_rules("10.244.1.11")),
    StaleStep(
        "that Pod is deleted; kube-proxy now sends DNS to 10.244.1.12", dns_rules("10.244.1.12")
    ),
    StaleStep("the client retries from the same port (the same 5-tuple)", None),
    StaleStep("after `conntrack -D` for the old endpoint (what kube-proxy does)", None, True),
)


def stale_udp_table(rows: list[tuple[str, str, str]], *, lang: str = "en") -> Table:
    """The stale-entry story's rows (step, conntrack state, where the query went) in ``lang``."""
    shown = [
        (messages.label(what, lang), state, messages.label(to, lang)) for what, state, to in rows
    ]
    header = (tr(lang, "step"), "conntrack", tr(lang, "query goes to"))
    return Table(header, shown)


def stale_udp_model(*, lang: str = "en") -> Table:
    """Where each query of the story goes, by the conntrack model."""
    table = ConntrackTable()
    model = tracer(STALE_STEPS[0].rules or "")
    rows = []
    now = 0.0
    for step in STALE_STEPS:
        if step.rules is not None:
            model = tracer(step.rules)
        if step.delete:
            table.delete(dst="10.244.1.11")
        if step.rules is not None and step is not STALE_STEPS[0]:
            rows.append((step.what, "-", "(no packet)"))
            continue
        r = send(model, table, parse_packet(DNS_PACKET), now)
        rows.append((step.what, r.state, r.destination))
        now += 1
    return stale_udp_table(rows, lang=lang)


_REPLY_SRC = re.compile(
    r"\[UNREPLIED\] src=(\S+) .*sport=(\d+)|src=\S+ dst=\S+ sport=\d+ "
    r"dport=\d+ (?:\[UNREPLIED\] )?src=(\S+) dst=\S+ sport=(\d+)"
)


def stale_udp_live(lab: NetfilterLab) -> Table:
    """The same story in the kernel: the conntrack entry's reply source after each step.

    In English: the rows are data (the oracle compares them with the model's); show them in
    another language with :func:`stale_udp_table`.
    """
    rows = []
    packet = parse_packet(DNS_PACKET)
    for i, step in enumerate(STALE_STEPS):
        if step.rules is not None and i > 0:
            lab.reload(step.rules)
            rows.append((step.what, "-", "(no packet)"))
            continue
        if step.delete:
            lab.node_ns.exec(["conntrack", "-D", "-p", "udp", "--reply-src", "10.244.1.11"])
        had = bool(lab.conntrack())
        lab.send(packet, flush=False)
        entries = lab.conntrack()
        dest = "?"
        if entries:
            m = _REPLY_SRC.search(entries[0])
            if m:
                ip, port = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
                dest = f"{ip}:{port}"
        rows.append((step.what, "ESTABLISHED" if had else "NEW", dest))
    return stale_udp_table(rows)


def table_full_model(max_entries: int = 4, *, lang: str = "en") -> Table:
    """A tiny conntrack table filling up: early_drop evicts the one unanswered flow, then
    every new connection is dropped while all entries are assured."""
    table = ConntrackTable(max_entries=max_entries)
    model = tracer()
    rows = []
    for i in range(max_entries + 3):
        pkt = parse_packet(f"tcp 10.0.0.5:{41000 + i} > 10.96.0.20:80 iif eth0")
        before = len(table.entries)
        r = send(model, table, pkt, now=float(i))
        if r.state != "DROPPED" and i != max_entries - 1:
            table.reply(pkt, now=float(i))  # answered, so assured; flow 4 never gets a reply
        evicted = before == max_entries and r.state == "NEW"
        rows.append(
            (
                tr(lang, "flow {n} (sport {sport})", n=i + 1, sport=41000 + i),
                r.state,
                tr(lang, "early_drop evicted an unassured entry") if evicted else "-",
                len(table.entries),
                table.dropped,
            )
        )
    return Table(
        (
            tr(lang, "new connection"),
            tr(lang, "result"),
            tr(lang, "note"),
            tr(lang, "entries"),
            tr(lang, "dropped"),
        ),
        rows,
        caption=f"nf_conntrack_max = {max_entries}",
    )


def nat_once_table(rules: str, notrack_rules: str, packet: str, *, lang: str = "en") -> Table:
    """NAT decided by the first packet, reused for the next, skipped for an untracked one."""
    table = ConntrackTable()
    model = tracer(rules)
    p = parse_packet(packet)
    rows = []
    for label, t, tab in (
        ("first packet", model, table),
        ("next packet, same connection", model, table),
        ("with NOTRACK in raw", tracer(notrack_rules), None),
    ):
        if tab is None:
            b = t.trace(p).branches[0]
            state, dest, fate = b.packet.ctstate, b.destination, b.fate
        else:
            r = send(t, tab, p, now=0.0)
            b = r.branch
            state, dest, fate = r.state, r.destination, b.fate if b else "dropped"
        assert b is not None
        met = sum(s.table == "nat" for s in b.steps)
        rows.append((messages.label(label, lang), state, met, dest, messages.fate(fate, lang)))
    header = (
        tr(lang, "packet"),
        "conntrack",
        tr(lang, "nat rules met"),
        tr(lang, "destination"),
        tr(lang, "fate"),
    )
    return Table(header, rows)
