"""The clusterDomain incident as data: the kubelets, the node, the zones, the fixes.

A kubelet with ``clusterDomain: c1.ichenfu.com`` (the cluster is c2) writes Pods a search
list under c1; ``ndots:5`` sends ``login.example.com`` through it first, the c1 names leave
the cluster zone, and the upstream wildcard ``*.ichenfu.com`` answers the first of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from infranotes.dns.kubelet import DNSConfig, DNSOption, KubeletDNS, pod_resolv_conf
from infranotes.dns.messages import tr
from infranotes.dns.resolvconf import parse_resolv_conf
from infranotes.dns.search import Answer, Lookup, resolve
from infranotes.dns.zone import ZoneSet, parse_zone
from infranotes.table import Table

NODE_RESOLV_CONF = "nameserver 192.168.10.1\nsearch localdomain\n"
CLUSTER_DNS = ("10.254.0.2",)
WRONG = KubeletDNS(cluster_domain="c1.ichenfu.com", cluster_dns=CLUSTER_DNS)
RIGHT = KubeletDNS(cluster_domain="c2.ichenfu.com", cluster_dns=CLUSTER_DNS)
NAME = "login.example.com"

# What CoreDNS in cluster c2 is authoritative for.
CLUSTER_ZONE = """\
$ORIGIN c2.ichenfu.com.
@ 30 IN SOA ns.dns.c2.ichenfu.com. hostmaster.c2.ichenfu.com. 1 7200 1800 86400 30
kubernetes.default.svc         30 IN A    10.254.0.1
kube-dns.kube-system.svc       30 IN A    10.254.0.2
"""
# What the upstream resolvers see: the company's wildcard and the real login host.
UPSTREAM_ZONE = """\
*.ichenfu.com.                 60 IN A    1.2.3.4
login.example.com.             60 IN A    93.184.216.34
"""


def incident_zones() -> ZoneSet:
    """The cluster zone and the upstream zone, served together as CoreDNS plus upstream."""
    return ZoneSet(
        (
            parse_zone(UPSTREAM_ZONE, source="upstream.zone"),
            parse_zone(CLUSTER_ZONE, source="cluster.zone"),
        )
    )


@dataclass(frozen=True)
class Scenario:
    """One Pod resolv.conf and the name its application looks up."""

    title: str
    resolv_conf: str
    name: str


def scenarios(lang: str = "en") -> tuple[Scenario, ...]:
    """The incident and the three fixes, each as kubelet would write the Pod's file.

    ``lang`` only changes the titles, which are for the reader; the rest is the same data.
    """
    ndots2 = DNSConfig(options=(DNSOption("ndots", "2"),))
    return (
        Scenario(
            tr(lang, "incident: clusterDomain c1"),
            pod_resolv_conf(WRONG, "default", node_resolv_conf=NODE_RESOLV_CONF).text,
            NAME,
        ),
        Scenario(
            tr(lang, "fix 1: clusterDomain c2"),
            pod_resolv_conf(RIGHT, "default", node_resolv_conf=NODE_RESOLV_CONF).text,
            NAME,
        ),
        Scenario(
            tr(lang, "fix 2: trailing dot"),
            pod_resolv_conf(WRONG, "default", node_resolv_conf=NODE_RESOLV_CONF).text,
            NAME + ".",
        ),
        Scenario(
            tr(lang, "fix 3: dnsConfig ndots:2"),
            pod_resolv_conf(
                WRONG, "default", dns_config=ndots2, node_resolv_conf=NODE_RESOLV_CONF
            ).text,
            NAME,
        ),
    )


def model(scenario: Scenario, libc: str = "glibc", zones: ZoneSet | None = None) -> Lookup:
    """The model's prediction for one scenario."""
    conf = parse_resolv_conf(scenario.resolv_conf, libc)  # type: ignore[arg-type]
    return resolve(scenario.name, conf, (zones or incident_zones()).answer)


def predictions_text(predicted: dict[str, Lookup], *, lang: str = "en") -> str:
    """One line per libc: the lookup's status, its addresses and the name that answered."""
    return "\n".join(
        tr(
            lang,
            "{libc}: {status}, {addresses} from {answered_by}",
            libc=libc,
            status=look.status,
            addresses=" ".join(look.addresses),
            answered_by=look.answered_by,
        )
        for libc, look in predicted.items()
    )


def lookup_table(lookups: dict[str, Lookup], *, lang: str = "en") -> Table:
    """One row per query: who asked, the name, the type, the answer."""
    rows = []
    for who, look in lookups.items():
        for q in look.queries:
            rows.append((who, q.qname, q.qtype, q.rcode, " ".join(q.addresses) or "-"))
    return Table(
        (
            tr(lang, "client"),
            "qname",
            tr(lang, "type"),
            "rcode",
            tr(lang, "answer"),
        ),
        rows,
    )


def candidate_table(name: str, resolv_conf: str, *, lang: str = "en") -> Table:
    """The walk each libc would make if no candidate existed, side by side."""
    from infranotes.dns.search import candidates

    g = candidates(name, parse_resolv_conf(resolv_conf, "glibc"))
    m = candidates(name, parse_resolv_conf(resolv_conf, "musl"))
    rows = [
        (i + 1, g[i] if i < len(g) else "", m[i] if i < len(m) else "")
        for i in range(max(len(g), len(m)))
    ]
    return Table((tr(lang, "#"), "glibc", "musl"), rows)


def _exists_only_absolute(absolute: str):
    def respond(qname: str, qtype: str) -> Answer:
        return Answer("NOERROR", ("192.0.2.1",)) if qname == absolute else Answer("NXDOMAIN")

    return respond


def cost_rows(
    search: tuple[str, ...], ndots_values: tuple[int, ...], max_dots: int = 6
) -> list[tuple[str, int, str, int, int]]:
    """Queries (A+AAAA) per lookup by dots in the name: (libc, ndots, case, dots, queries)."""
    rows = []
    for libc in ("glibc", "musl"):
        for ndots in ndots_values:
            text = (
                "nameserver 10.254.0.2\nsearch " + " ".join(search) + f"\noptions ndots:{ndots}\n"
            )
            conf = parse_resolv_conf(text, libc)  # type: ignore[arg-type]
            for dots in range(max_dots + 1):
                name = ".".join(["h", *[f"l{i}" for i in range(dots)]]) if dots else "h"
                exists = len(resolve(name, conf, _exists_only_absolute(name + ".")).queries)
                missing = len(resolve(name, conf, lambda q, t: Answer("NXDOMAIN")).queries)
                rows.append((libc, ndots, "exists", dots, exists))
                rows.append((libc, ndots, "missing", dots, missing))
    return rows


def cost_figure(rows: list[tuple[str, int, str, int, int]]):
    """Two panels, one above the other: a name that exists upstream, and one that exists nowhere.

    Stacked and 5 in wide so that its text stays at least 9 px on a phone (358 px wide).
    """
    from infranotes.plotting import figure

    fig, axes = figure(2, 1, sharex=True, sharey=True, figsize=(5, 6.4))
    for ax, case, title in zip(
        axes,
        ("exists", "missing"),
        ("name exists (outside the cluster)", "name exists nowhere"),
        strict=True,
    ):
        for libc, style in (("glibc", "-o"), ("musl", "--s")):
            for ndots in sorted({r[1] for r in rows}):
                pts = [
                    (r[3], r[4]) for r in rows if r[0] == libc and r[1] == ndots and r[2] == case
                ]
                ax.plot(
                    [p[0] for p in pts],
                    [p[1] for p in pts],
                    style,
                    label=f"{libc} ndots:{ndots}",
                    markersize=4,
                    alpha=0.85,
                )
        ax.set_title(title, fontsize=11)
        ax.set_ylabel("queries per lookup")
    axes[1].set_xlabel("dots in the name")
    axes[0].legend(fontsize=10)
    return fig


@dataclass(frozen=True)
class ScenarioRun:
    """A scenario through the model and, when the lab ran, through a real client."""

    scenario: Scenario
    client: str
    model: Lookup
    real: Lookup | None

    @property
    def agree(self) -> bool:
        return self.real is None or (
            self.real.tried == self.model.tried
            and set(self.real.addresses) == set(self.model.addresses)
        )


def run_scenarios(
    zones: ZoneSet, clients: tuple[str, ...] = ("getent", "musl"), live: bool = True
) -> list[ScenarioRun]:
    """Every scenario through the model and (``live``) the real clients, one namespace each."""
    from infranotes.dns.lab import ResolverLab

    runs = []
    for s in scenarios():
        lab = ResolverLab(zones, s.resolv_conf) if live else None
        if lab is not None:
            lab.__enter__()
        try:
            for client in clients:
                libc = "musl" if client == "musl" else "glibc"
                real = lab.run(client, s.name).lookup if lab is not None else None
                runs.append(ScenarioRun(s, client, model(s, libc, zones), real))
        finally:
            if lab is not None:
                lab.__exit__(None, None, None)
    return runs


def scenario_table(runs: list[ScenarioRun], *, lang: str = "en") -> Table:
    """Each scenario and client: the names tried and the answer, by the model and for real."""
    titles = dict(
        zip((s.title for s in scenarios()), (s.title for s in scenarios(lang)), strict=True)
    )

    def show(look: Lookup | None) -> str:
        if look is None:
            return tr(lang, "(not run)")
        return tr(
            lang,
            "{n} name(s) -> {answer}",
            n=len(look.tried),
            answer=" ".join(look.addresses) or look.status,
        )

    rows = [
        (
            titles.get(r.scenario.title, r.scenario.title),
            r.client,
            r.scenario.name,
            show(r.model),
            show(r.real),
            tr(lang, "yes") if r.agree else tr(lang, "NO"),
        )
        for r in runs
    ]
    header = (
        tr(lang, "scenario"),
        tr(lang, "client"),
        tr(lang, "name"),
        tr(lang, "model"),
        tr(lang, "real"),
        tr(lang, "agree"),
    )
    return Table(header, rows)


def cost_table(
    rows: list[tuple[str, int, str, int, int]], case: str = "exists", *, lang: str = "en"
) -> Table:
    """The figure's numbers: queries per lookup by dots, one column per libc and ndots."""
    cols = [
        (libc, n) for n in sorted({r[1] for r in rows}, reverse=True) for libc in ("glibc", "musl")
    ]
    value = {(r[0], r[1], r[3]): r[4] for r in rows if r[2] == case}
    dots = sorted({r[3] for r in rows})
    caption = (
        tr(lang, "queries (A + AAAA) per lookup for a name that exists outside the cluster")
        if case == "exists"
        else tr(lang, "queries (A + AAAA) per lookup for a name that exists nowhere")
    )
    return Table(
        (tr(lang, "dots"), *[f"{libc} ndots:{n}" for libc, n in cols]),
        [(d, *[value[(libc, n, d)] for libc, n in cols]) for d in dots],
        caption=caption,
    )
