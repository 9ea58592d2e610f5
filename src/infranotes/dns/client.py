"""Asking a DNS server one question over UDP (dnspython) and showing the reply as a table."""

from __future__ import annotations

from dataclasses import dataclass

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

from infranotes.dns.messages import tr
from infranotes.table import Table


@dataclass(frozen=True)
class Reply:
    """The parts of a reply the notes compare: rcode, AA, and the sections as text rows."""

    qname: str
    qtype: str
    rcode: str
    aa: bool
    answer: tuple[tuple[str, int, str, str], ...]
    authority: tuple[tuple[str, int, str, str], ...]

    def table(self, *, lang: str = "en") -> Table:
        flags = "aa" if self.aa else "-"
        rows = [(tr(lang, "answer"), *r) for r in self.answer] + [
            (tr(lang, "authority"), *r) for r in self.authority
        ]
        return Table(
            (tr(lang, "section"), tr(lang, "name"), "ttl", tr(lang, "type"), tr(lang, "data")),
            rows,
            caption=tr(
                lang,
                "{qname} {qtype}: {rcode}, flags {flags}",
                qname=self.qname,
                qtype=self.qtype,
                rcode=self.rcode,
                flags=flags,
            ),
        )


def _rows(section: list) -> tuple[tuple[str, int, str, str], ...]:
    return tuple(
        sorted(
            (rr.name.to_text(), rr.ttl, dns.rdatatype.to_text(rr.rdtype), rd.to_text())
            for rr in section
            for rd in rr
        )
    )


def ask(name: str, qtype: str, port: int, server: str = "127.0.0.1", timeout: float = 3) -> Reply:
    """One UDP question to ``server:port``."""
    reply = dns.query.udp(dns.message.make_query(name, qtype), server, port=port, timeout=timeout)
    return Reply(
        name,
        qtype,
        dns.rcode.to_text(reply.rcode()),
        bool(reply.flags & dns.flags.AA),
        _rows(reply.answer),
        _rows(reply.authority),
    )
