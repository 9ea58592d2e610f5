"""The logging server over real UDP and TCP sockets on loopback."""

from __future__ import annotations

import dns.message
import dns.query
import dns.rcode

from infranotes.dns.server import DNSServer, answer_wire
from infranotes.dns.zone import Fault, ZoneSet, parse_zone

ZONES = ZoneSet(
    (parse_zone("*.ichenfu.com. 60 IN A 1.2.3.4\nlogin.example.com. 60 IN A 5.6.7.8\n"),),
    (Fault.parse("broken.test", "servfail"), Fault.parse("silent.test", "drop")),
)


def test_udp_tcp_and_log() -> None:
    with DNSServer(ZONES, port=0) as srv, srv.capture() as log:
        q = dns.message.make_query("x.c1.ichenfu.com.", "A")
        r = dns.query.udp(q, "127.0.0.1", port=srv.port, timeout=2)
        assert r.answer[0][0].to_text() == "1.2.3.4"
        r = dns.query.tcp(
            dns.message.make_query("nope.example.com.", "AAAA"),
            "127.0.0.1",
            port=srv.port,
            timeout=2,
        )
        assert r.rcode() == dns.rcode.NXDOMAIN
        r = dns.query.udp(
            dns.message.make_query("a.broken.test.", "A"), "127.0.0.1", port=srv.port, timeout=2
        )
        assert r.rcode() == dns.rcode.SERVFAIL
    assert [(e.proto, e.qname, e.qtype, e.rcode) for e in log] == [
        ("udp", "x.c1.ichenfu.com.", "A", "NOERROR"),
        ("tcp", "nope.example.com.", "AAAA", "NXDOMAIN"),
        ("udp", "a.broken.test.", "A", "SERVFAIL"),
    ]


def test_drop_and_garbage() -> None:
    q = dns.message.make_query("a.silent.test.", "A").to_wire()
    assert answer_wire(ZONES, q)[0] is None
    reply, query, rcode, _ = answer_wire(ZONES, b"\x12\x34" + b"\xff" * 20)
    assert query is None and rcode == "FORMERR" and reply is not None and reply[:2] == b"\x12\x34"
    assert answer_wire(ZONES, b"\x01")[0] is None
