"""Authoritative zone data with RFC 4592 wildcard semantics, and the fault rules of the lab server.

Zone files are RFC 1035 master files read by dnspython. Lookups follow RFC 4592 §3.3.1: a
wildcard ``*.<closest encloser>`` answers only when the name does not exist, and an empty
non-terminal (a name that exists only because something lies below it) blocks the wildcard.
CNAMEs are followed inside the zone set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import dns.exception
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.zone

from infranotes.dns.search import Answer
from infranotes.errors import ParseError

ADDRESS_TYPES = ("A", "AAAA")


@dataclass(frozen=True)
class Record:
    """One resource record, owner absolute and lower-case."""

    owner: str
    rtype: str
    ttl: int
    rdata: str


@dataclass(frozen=True)
class ZoneAnswer:
    """The authoritative answer to one question."""

    rcode: str
    records: tuple[Record, ...] = ()
    wildcard: str | None = None  # the wildcard owner that synthesised the answer, if any
    zone: str | None = None

    def addresses(self, qtype: str) -> tuple[str, ...]:
        return tuple(r.rdata for r in self.records if r.rtype == qtype)


def _key(name: str) -> str:
    return name.lower().rstrip(".") + "."


def _parent(name: str) -> str | None:
    if name == ".":
        return None
    rest = name.split(".", 1)[1]
    return rest or "."


def _is_under(name: str, origin: str) -> bool:
    return origin == "." or name == origin or name.endswith("." + origin)


@dataclass(frozen=True)
class Zone:
    """The records of one zone, indexed for RFC 4592 lookups."""

    origin: str
    records: tuple[Record, ...]
    nodes: frozenset[str] = field(default=frozenset(), repr=False)

    @classmethod
    def from_records(cls, origin: str, records: Iterable[Record]) -> Zone:
        recs = tuple(records)
        origin = _key(origin)
        nodes = {origin}
        for r in recs:
            name: str | None = r.owner
            while name is not None and _is_under(name, origin):
                nodes.add(name)
                if name == origin:
                    break
                name = _parent(name)
        return cls(origin, recs, frozenset(nodes))

    def rrset(self, owner: str, rtype: str | None = None) -> tuple[Record, ...]:
        return tuple(r for r in self.records if r.owner == owner and rtype in (None, r.rtype))

    def closest_encloser(self, qname: str) -> str:
        """The longest existing ancestor of ``qname`` (RFC 4592 §3.3.1)."""
        name: str | None = qname
        while name is not None:
            if name in self.nodes:
                return name
            name = _parent(name)
        return self.origin

    def lookup(self, qname: str, qtype: str) -> ZoneAnswer:
        """Answer ``qname``/``qtype`` from this zone alone (no CNAME chasing)."""
        qname = _key(qname)
        owner, wildcard = qname, None
        if qname not in self.nodes:
            source = "*." + self.closest_encloser(qname) if qname != "." else "*."
            source = source.replace("*..", "*.")
            if source not in self.nodes:
                return ZoneAnswer("NXDOMAIN", zone=self.origin)
            owner, wildcard = source, source
        rrs = self.rrset(owner)
        cname = [r for r in rrs if r.rtype == "CNAME"]
        chosen = cname if cname and qtype != "CNAME" else [r for r in rrs if r.rtype == qtype]
        out = tuple(Record(qname, r.rtype, r.ttl, r.rdata) for r in chosen)
        return ZoneAnswer("NOERROR", out, wildcard, self.origin)


@dataclass(frozen=True)
class Fault:
    """A lab rule: queries under ``suffix`` (of one type, maybe) get SERVFAIL, REFUSED, nothing."""

    suffix: str
    action: str  # servfail | refused | drop
    qtype: str | None = None

    @classmethod
    def parse(cls, text: str, action: str) -> Fault:
        if action not in ("servfail", "refused", "drop"):
            raise ParseError(f"unknown fault {action!r}", expected="servfail, refused or drop")
        suffix, _, qtype = text.partition("/")
        return cls(_key(suffix or "."), action, qtype.upper() or None)

    def matches(self, qname: str, qtype: str) -> bool:
        return _is_under(_key(qname), self.suffix) and self.qtype in (None, qtype)


@dataclass(frozen=True)
class ZoneSet:
    """Several zones served together; each question goes to the deepest enclosing zone.

    A name under no zone gets REFUSED, as from an authoritative-only server.
    """

    zones: tuple[Zone, ...]
    faults: tuple[Fault, ...] = ()

    def zone_for(self, qname: str) -> Zone | None:
        qname = _key(qname)
        best = [z for z in self.zones if _is_under(qname, z.origin)]
        return max(best, key=lambda z: len(z.origin) if z.origin != "." else 0, default=None)

    def soa(self, origin: str | None) -> Record | None:
        """The SOA at ``origin``'s apex, for the authority section of negative answers."""
        zone = next((z for z in self.zones if z.origin == origin), None)
        return next(iter(zone.rrset(zone.origin, "SOA")), None) if zone else None

    def fault_for(self, qname: str, qtype: str) -> Fault | None:
        return next((f for f in self.faults if f.matches(qname, qtype)), None)

    def lookup(self, qname: str, qtype: str, max_chain: int = 8) -> ZoneAnswer:
        """The answer with CNAMEs followed across the set (up to ``max_chain`` links)."""
        records: list[Record] = []
        name, first = _key(qname), None
        for _ in range(max_chain):
            zone = self.zone_for(name)
            if zone is None:
                return first or ZoneAnswer("REFUSED")
            ans = zone.lookup(name, qtype)
            if first is None:
                first = ans
            if ans.rcode != "NOERROR":
                return ZoneAnswer(
                    first.rcode if not records else "NOERROR",
                    tuple(records),
                    first.wildcard,
                    first.zone,
                )
            records += ans.records
            cname = [r for r in ans.records if r.rtype == "CNAME"]
            if not cname or qtype == "CNAME":
                break
            name = _key(cname[0].rdata)
        assert first is not None
        return ZoneAnswer("NOERROR", tuple(records), first.wildcard, first.zone)

    def answer(self, qname: str, qtype: str) -> Answer:
        """The stub resolver's view: an rcode and the addresses (faults applied)."""
        fault = self.fault_for(qname, qtype)
        if fault is not None:
            return Answer(
                {"drop": "TIMEOUT", "servfail": "SERVFAIL", "refused": "REFUSED"}[fault.action]
            )  # type: ignore[arg-type]
        ans = self.lookup(qname, qtype)
        return Answer(ans.rcode, ans.addresses(qtype))  # type: ignore[arg-type]


def _parses(text: str, origin: str) -> bool:
    try:
        dns.zone.from_text(text, origin=origin, relativize=False, check_origin=False)
    except dns.exception.DNSException:
        return False
    return True


def _first_bad_line(text: str, origin: str) -> int | None:
    """The first line whose record breaks the file (dnspython reports where its reader stopped,
    often the line after). Only prefixes that close every parenthesis are tried."""
    lines = text.split("\n")
    depth, cuts = 0, []
    for i, line in enumerate(lines, start=1):
        code = line.split(";", 1)[0]
        depth += code.count("(") - code.count(")")
        if depth == 0:
            cuts.append(i)
    lo, hi, found = 0, len(cuts) - 1, None
    while lo <= hi:  # a prefix that fails keeps failing when extended: bisect
        mid = (lo + hi) // 2
        if _parses("\n".join(lines[: cuts[mid]]) + "\n", origin):
            lo = mid + 1
        else:
            found, hi = cuts[mid], mid - 1
    return found


def parse_zone(text: str, *, source: str = "<zone>", origin: str | None = None) -> Zone:
    """Read an RFC 1035 master file. The origin is ``origin``, else ``$ORIGIN``, else the root."""
    if origin is None:
        origin = "."
        for line in text.splitlines():
            words = line.split(";", 1)[0].split()
            if len(words) >= 2 and words[0].upper() == "$ORIGIN":
                origin = words[1]
                break
    try:
        zorigin = dns.name.from_text(origin)
        z = dns.zone.from_text(
            text, origin=zorigin, relativize=False, check_origin=False, filename=source
        )
    except dns.exception.SyntaxError as exc:
        msg = str(exc)
        if msg.startswith(source + ":"):
            msg = msg[len(source) + 1 :].split(":", 1)[-1].strip()
        line = _first_bad_line(text, origin)
        raise ParseError(
            msg, source=source, line=line, expected="an RFC 1035 master file"
        ) from None
    except dns.exception.DNSException as exc:
        raise ParseError(str(exc), source=source, expected="an RFC 1035 master file") from None
    records = []
    for name, rdataset in z.iterate_rdatasets():
        for rdata in rdataset:
            records.append(
                Record(
                    _key(name.to_text()),
                    dns.rdatatype.to_text(rdataset.rdtype),
                    rdataset.ttl,
                    rdata.to_text(),
                )
            )
    records.sort(key=lambda r: (r.owner, r.rtype, r.rdata))
    return Zone.from_records(zorigin.to_text(), records)
