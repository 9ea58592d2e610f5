"""The record set of "Kubernetes DNS-Based Service Discovery" for a set of Services.

Follows ``kubernetes/dns`` ``docs/specification.md``: schema 1.1.0 (A and AAAA, in-addr.arpa
and ip6.arpa PTRs, ``publishNotReadyAddresses``) and, with ``version="1.0.1"``, the text the
seed note translated (A only, the ``tolerate-unready-endpoints`` annotation, and the
deprecated ``<a>-<b>-<c>-<d>.<ns>.pod.<zone>`` records of §2.6).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

import dns.reversename

from infranotes.dns.manifests import Endpoint, Inventory, Service
from infranotes.dns.messages import tr
from infranotes.dns.zone import Record, Zone, ZoneAnswer, ZoneSet
from infranotes.errors import ParseError
from infranotes.table import Table

SPEC_VERSIONS = ("1.1.0", "1.0.1")
DEFAULT_TTL = 5  # CoreDNS kubernetes plugin default
SRV_PRIORITY, SRV_WEIGHT = 10, 100  # not prescribed; the spec's examples use 10 100


@dataclass(frozen=True)
class SpecRecord:
    """A record and the spec section that requires it."""

    record: Record
    section: str

    def to_json(self) -> dict[str, object]:
        r = self.record
        return {"name": r.owner, "type": r.rtype, "ttl": r.ttl, "data": r.rdata}


@dataclass(frozen=True)
class RecordSet:
    zone: str
    version: str
    records: tuple[SpecRecord, ...]
    warnings: tuple[str, ...] = ()

    def of_section(self, section: str) -> tuple[Record, ...]:
        return tuple(r.record for r in self.records if r.section == section)

    def to_json(self) -> list[dict[str, object]]:
        return [r.to_json() for r in self.records]


def _abs(name: str) -> str:
    return name.lower().rstrip(".") + "."


def endpoint_hostname(e: Endpoint) -> str:
    """The endpoint's hostname, else a system-assigned one: the IP with '.'/':' as '-' (CoreDNS)."""
    return e.hostname or e.ip.replace(".", "-").replace(":", "-")


def is_ready(e: Endpoint, svc: Service, version: str) -> bool:
    """§2.1 _ready_: listed as ready, or the Service publishes not-ready addresses."""
    if e.ready:
        return True
    return svc.tolerate_unready_annotation if version == "1.0.1" else svc.publish_not_ready


def _addr_type(ip: str) -> str:
    return "A" if ipaddress.ip_address(ip).version == 4 else "AAAA"


def generate(
    inventory: Inventory,
    zone: str = "cluster.local",
    *,
    version: str = "1.1.0",
    ttl: int = DEFAULT_TTL,
    lang: str = "en",
) -> RecordSet:
    """Every record the spec requires for ``inventory`` in cluster domain ``zone``.

    ``lang`` is the language of the warnings (the records do not depend on it).
    """
    if version not in SPEC_VERSIONS:
        raise ParseError(
            f"unknown spec version {version!r}",
            source="--spec-version",
            expected=" or ".join(SPEC_VERSIONS),
        )
    z = _abs(zone)
    if any(not 1 <= len(label) <= 63 for label in z[:-1].split(".")):
        raise ParseError(
            f"cluster domain {zone!r} is not a DNS name",
            source="--cluster-domain",
            expected="labels of 1 to 63 octets",
        )
    out: set[SpecRecord] = set()
    warnings: list[str] = []

    def add(section: str, owner: str, rtype: str, rdata: str) -> None:
        if len(owner.rstrip(".")) > 253:
            warnings.append(tr(lang, "{owner}: longer than 253 octets, left out", owner=owner))
            return
        out.add(SpecRecord(Record(_abs(owner), rtype, ttl, rdata), section))

    def address(section: str, owner: str, ip: str, what: str) -> bool:
        if _addr_type(ip) == "AAAA" and version == "1.0.1":
            warnings.append(
                tr(
                    lang,
                    "{what}: {ip} is IPv6; schema 1.0.1 defines no AAAA records",
                    what=what,
                    ip=ip,
                )
            )
            return False
        add(section, owner, _addr_type(ip), ip)
        return True

    def ptr(section: str, ip: str, target: str) -> None:
        if _addr_type(ip) == "A" or version != "1.0.1":
            add(section, dns.reversename.from_address(ip).to_text(), "PTR", _abs(target))

    add("2.2", f"dns-version.{z}", "TXT", f'"{version}"')
    for svc in sorted(inventory.services, key=lambda s: (s.namespace, s.name)):
        base = f"{svc.name}.{svc.namespace}.svc.{z}"
        named = [p for p in svc.ports if p.name]
        if svc.type == "ExternalName":
            add("2.5", base, "CNAME", _abs(svc.external_name or ""))
        elif not svc.headless:
            for ip in svc.cluster_ips:
                if address("2.3.1", base, ip, f"Service {svc.namespace}/{svc.name}"):
                    ptr("2.3.3", ip, base)
            for p in named:
                add(
                    "2.3.2",
                    f"_{p.name}._{p.protocol.lower()}.{base}",
                    "SRV",
                    f"{SRV_PRIORITY} {SRV_WEIGHT} {p.port} {_abs(base)}",
                )
        else:
            ready = [e for e in inventory.endpoints_of(svc) if is_ready(e, svc, version)]
            for e in sorted(ready, key=lambda e: (e.ip, e.hostname or "")):
                host = f"{endpoint_hostname(e)}.{base}"
                if not address(
                    "2.4.1",
                    base,
                    e.ip,
                    tr(lang, "endpoint of {service}", service=f"{svc.namespace}/{svc.name}"),
                ):
                    continue
                address("2.4.1", host, e.ip, "")
                ptr("2.4.3", e.ip, host)
                for p in named:
                    add(
                        "2.4.2",
                        f"_{p.name}._{p.protocol.lower()}.{base}",
                        "SRV",
                        f"{SRV_PRIORITY} {SRV_WEIGHT} {p.port} {_abs(host)}",
                    )
    records = tuple(sorted(out, key=lambda r: (r.record.owner, r.record.rtype, r.record.rdata)))
    return RecordSet(z, version, records, tuple(dict.fromkeys(warnings)))


def apex_records(zone: str, ttl: int = DEFAULT_TTL, serial: int = 1) -> tuple[Record, ...]:
    """SOA and NS at the zone apex, as CoreDNS synthesises them (not part of the spec)."""
    z = _abs(zone)
    return (
        Record(z, "SOA", ttl, f"ns.dns.{z} hostmaster.{z} {serial} 7200 1800 86400 {ttl}"),
        Record(z, "NS", ttl, f"ns.dns.{z}"),
    )


REVERSE_ORIGINS = ("in-addr.arpa.", "ip6.arpa.")


class PodRecordZone(Zone):
    """A zone that also synthesises §2.6's deprecated ``<a>-<b>-<c>-<d>.<ns>.pod.<zone>`` A
    records (schema 1.0.1), for any namespace and any four octets, as kube-dns did."""

    def lookup(self, qname: str, qtype: str) -> ZoneAnswer:
        name = _abs(qname)
        suffix = ".pod." + self.origin
        if name.endswith(suffix):
            labels = name[: -len(suffix)].split(".")
            if len(labels) == 2:
                parts = labels[0].split("-")
                if len(parts) == 4 and all(
                    p.isdigit() and int(p) <= 255 and str(int(p)) == p for p in parts
                ):
                    ip = ".".join(parts)
                    recs = (Record(name, "A", self.records[0].ttl if self.records else 5, ip),)
                    return ZoneAnswer("NOERROR", recs if qtype == "A" else (), None, self.origin)
            if len(labels) <= 1:  # pod.<zone> and <ns>.pod.<zone>: empty non-terminals
                return ZoneAnswer("NOERROR", (), None, self.origin)
        return super().lookup(qname, qtype)


def zones(rs: RecordSet) -> tuple[Zone, ...]:
    """The cluster zone and the reverse zones, each with SOA and NS, ready to serve."""
    forward = [r.record for r in rs.records if r.record.rtype != "PTR"]
    cls = PodRecordZone if rs.version == "1.0.1" else Zone
    out: list[Zone] = [cls.from_records(rs.zone, [*apex_records(rs.zone), *forward])]
    for origin in REVERSE_ORIGINS:
        ptrs = [
            r.record
            for r in rs.records
            if r.record.rtype == "PTR" and r.record.owner.endswith(origin)
        ]
        soa = Record(
            origin,
            "SOA",
            rs.records[0].record.ttl,
            f"ns.dns.{rs.zone} hostmaster.{rs.zone} 1 7200 1800 86400 {rs.records[0].record.ttl}",
        )
        ns = Record(origin, "NS", soa.ttl, f"ns.dns.{rs.zone}")
        out.append(Zone.from_records(origin, [soa, ns, *ptrs]))
    return tuple(out)


def zone_file(records: Iterable[Record], origin: str) -> str:
    """RFC 1035 master-file text, absolute names, one record per line."""
    lines = [f"$ORIGIN {origin}"]
    for r in records:
        lines.append(f"{r.owner:<50} {r.ttl:>6} IN {r.rtype:<5} {r.rdata}")
    return "\n".join(lines) + "\n"


def records_table(rs: RecordSet, prefix: str = "", *, lang: str = "en") -> Table:
    """The records whose spec section starts with ``prefix``, one row each."""
    rows = [
        (r.record.owner, r.record.ttl, r.record.rtype, r.record.rdata, "§" + r.section)
        for r in rs.records
        if r.section.startswith(prefix)
    ]
    return Table(
        (tr(lang, "name"), "ttl", tr(lang, "type"), tr(lang, "data"), tr(lang, "spec")), rows
    )


def serve_zones(rs: RecordSet, upstream: Iterable[Zone] = ()) -> ZoneSet:
    """The cluster's zones plus, for every other name, the given upstream zones."""
    return ZoneSet((*zones(rs), *upstream))


def version_changes(lang: str = "en") -> tuple[tuple[str, str, str], ...]:
    """What changed from the 1.0.1 text (the one the seed note translated) to 1.1.0."""
    return (
        (tr(lang, "§1 schema version"), "1.0.1", "1.1.0"),
        (
            tr(lang, "§2.1 ready"),
            tr(lang, "listed in addresses, or the tolerate-unready-endpoints annotation"),
            tr(lang, "listed in addresses, or spec.publishNotReadyAddresses: true"),
        ),
        (
            tr(lang, "§2.2 TXT example"),
            tr(lang, '"1.0.0": does not match the text\'s own version (erratum)'),
            '"1.1.0"',
        ),
        (
            tr(lang, "§2.3.1 / §2.4.1 addresses"),
            tr(lang, "A records only"),
            tr(lang, "A for IPv4, AAAA for IPv6 addresses"),
        ),
        (
            tr(lang, "§2.3.2 / §2.4.2 SRV format"),
            tr(lang, "<weight> <priority>: reversed against RFC 2782 (erratum)"),
            tr(lang, "<priority> <weight>, as on the wire"),
        ),
        (
            "§2.3.3 / §2.4.3 PTR",
            tr(lang, "in-addr.arpa only"),
            tr(lang, "in-addr.arpa and ip6.arpa"),
        ),
        (
            tr(lang, "§2.6 deprecated records"),
            tr(lang, "<a>-<b>-<c>-<d>.<ns>.pod.<zone> A records still required"),
            tr(lang, "removed"),
        ),
    )


VERSION_CHANGES = version_changes()


def version_changes_table(*, lang: str = "en") -> Table:
    """:func:`version_changes` under the two versions."""
    return Table(("", "1.0.1", "1.1.0"), version_changes(lang))


def spec_sections(lang: str = "en") -> tuple[tuple[str, str, str, str], ...]:
    """Every spec section, where the notebook shows it, and the test that holds it."""
    schema = tr(lang, "1. Schema version")
    clusterip = tr(lang, "2. ClusterIP Services")
    headless = tr(lang, "3. Headless Services")
    return (
        (
            "2.2",
            tr(lang, "Record for Schema Version"),
            schema,
            "test_records.py::test_spec_example[*2.2*]",
        ),
        ("2.3.1", "ClusterIP: A / AAAA", clusterip, "test_records.py::test_spec_example[*2.3.1*]"),
        ("2.3.2", "ClusterIP: SRV", clusterip, "test_records.py::test_spec_example[*2.3.2*]"),
        ("2.3.3", "ClusterIP: PTR", clusterip, "test_records.py::test_spec_example[*2.3.3*]"),
        (
            "2.4.1",
            "Headless: A / AAAA",
            headless,
            "test_records.py::test_spec_example[*2.4.1*], "
            "test_records.py::test_headless_without_ready_endpoints_is_nxdomain",
        ),
        ("2.4.2", "Headless: SRV", headless, "test_records.py::test_spec_example[*2.4.2*]"),
        ("2.4.3", "Headless: PTR", headless, "test_records.py::test_spec_example[*2.4.3*]"),
        (
            "2.5",
            "ExternalName: CNAME",
            tr(lang, "4. ExternalName Services"),
            "test_records.py::test_spec_example[*2.5*]",
        ),
        (
            "2.6",
            tr(lang, "Deprecated pod records (1.0.1)"),
            tr(lang, "6. 1.0.1 and 1.1.0"),
            "test_records.py::test_version_differences",
        ),
        (
            tr(lang, "negative"),
            tr(lang, "NXDOMAIN versus NODATA"),
            tr(lang, "5. Negative answers"),
            "test_records.py::test_negative_answers, "
            "oracles/test_k8s_dns_oracle.py::test_same_answers_as_nsd",
        ),
    )


SPEC_SECTIONS = spec_sections()


def spec_sections_table(*, lang: str = "en") -> Table:
    """:func:`spec_sections` as the chapter's last table."""
    return Table(
        ("§", tr(lang, "records"), tr(lang, "notebook section"), tr(lang, "tests")),
        spec_sections(lang),
    )
