"""A conntrack table model: what NAT decided for a flow, and why later packets never re-ask.

The kernel NATs the first packet of a connection by running the nat chains, stores the
translation in the conntrack entry, and applies it to every later packet without looking at
the rules again (``net/netfilter/nf_nat_core.c``). Two incidents follow from that, both
shown here: a UDP flow whose entry outlives its endpoint keeps going to the deleted Pod until
the entry is deleted (kube-proxy runs ``conntrack -D`` for UDP Services for this reason), and
a full table drops new flows (``nf_conntrack: table full, dropping packet``) once no entry
is left that ``early_drop`` may evict (only entries not yet *assured*, i.e. without replies).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from infranotes.netfilter.packet import Packet
from infranotes.netfilter.trace import Branch, Trace, Tracer

# Default timeouts (seconds), net/netfilter/nf_conntrack_proto_{udp,tcp}.c
UDP_TIMEOUT, UDP_STREAM_TIMEOUT = 30, 120
TCP_ESTABLISHED_TIMEOUT = 5 * 24 * 3600


@dataclass(frozen=True)
class FlowKey:
    proto: str
    src: str
    sport: int
    dst: str
    dport: int

    @classmethod
    def of(cls, p: Packet) -> FlowKey:
        return cls(p.proto, p.src, p.sport, p.dst, p.dport)


@dataclass
class Entry:
    key: FlowKey  # the original direction, as the first packet arrived
    translated: Packet  # the first packet after NAT
    created: float
    expires: float
    assured: bool = False  # seen traffic both ways (early_drop spares assured entries)


@dataclass
class ConntrackTable:
    """Entries by original 5-tuple, with a size limit (``nf_conntrack_max``)."""

    max_entries: int = 262144
    entries: dict[FlowKey, Entry] = field(default_factory=dict)
    dropped: int = 0  # "table full, dropping packet"

    def expire(self, now: float) -> None:
        for k in [k for k, e in self.entries.items() if e.expires <= now]:
            del self.entries[k]

    def lookup(self, p: Packet, now: float) -> Entry | None:
        self.expire(now)
        return self.entries.get(FlowKey.of(p))

    def insert(self, p: Packet, translated: Packet, now: float) -> Entry | None:
        """Add the entry for a NEW flow; None when the table is full and nothing can go."""
        self.expire(now)
        if len(self.entries) >= self.max_entries:
            victim = next((k for k, e in self.entries.items() if not e.assured), None)
            if victim is None:
                self.dropped += 1
                return None
            del self.entries[victim]  # early_drop: an unassured entry makes room
        timeout = UDP_TIMEOUT if p.proto == "udp" else TCP_ESTABLISHED_TIMEOUT
        entry = Entry(FlowKey.of(p), translated, now, now + timeout)
        self.entries[entry.key] = entry
        return entry

    def reply(self, p: Packet, now: float) -> None:
        """A reply was seen: the entry is assured (UDP: stream timeout)."""
        e = self.lookup(p, now)
        if e is not None:
            e.assured = True
            if p.proto == "udp":
                e.expires = now + UDP_STREAM_TIMEOUT

    def delete(self, dst: str | None = None) -> int:
        """``conntrack -D [--dst-nat DST]``: remove entries (those NAT-ed to ``dst``)."""
        keys = [k for k, e in self.entries.items() if dst is None or e.translated.dst == dst]
        for k in keys:
            del self.entries[k]
        return len(keys)


@dataclass(frozen=True)
class FlowResult:
    """One packet of a flow: whether conntrack knew it, where it went, and the trace."""

    state: str  # NEW, ESTABLISHED, or DROPPED (table full)
    destination: str | None
    trace: Trace | None
    branch: Branch | None


def send(
    tracer: Tracer, table: ConntrackTable, packet: Packet, now: float, pick: int = 0
) -> FlowResult:
    """Send one packet of a flow through ``tracer`` with conntrack ``table``.

    A known flow gets its stored translation and skips the nat chains (ESTABLISHED); a new
    one is traced and, when ``-m statistic`` forks, branch ``pick`` is taken (the kernel's
    random choice, made explicit so the example is reproducible).
    """
    entry = table.lookup(packet, now)
    if entry is not None:
        # conntrack applies the stored DNAT at PREROUTING/OUTPUT, before the routing decision
        # and without the nat chains; the rest of the walk is the tracer's.
        done = entry.translated
        t = tracer.trace(packet.with_(ctstate="ESTABLISHED", dst=done.dst, dport=done.dport))
        b = t.branches[0]
        return FlowResult("ESTABLISHED", b.destination, t, b)
    t = tracer.trace(packet.with_(ctstate="NEW"))
    b = t.branches[min(pick, len(t.branches) - 1)]
    if table.insert(packet, b.packet, now) is None:
        return FlowResult("DROPPED", None, t, None)
    return FlowResult("NEW", b.destination, t, b)
