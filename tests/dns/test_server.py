"""The logging server over real UDP and TCP sockets on loopback."""

from __future__ import annotations

import dns.message
import dns.query
import dns.rcode
import pytest

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


def test_port_zero_skips_a_number_held_by_tcp(monkeypatch) -> None:
    """port=0: when TCP cannot have the number the kernel gave UDP, another one is tried."""
    import errno

    from infranotes.dns.server import DNSServer
    from infranotes.dns.zone import ZoneSet

    srv = DNSServer(ZoneSet(()), port=0)
    real, calls = srv._bind_all, []

    def flaky() -> None:
        calls.append(srv.port)
        if len(calls) == 1:  # as if a TCP socket held the number UDP was given
            real()
            srv.close()
            raise OSError(errno.EADDRINUSE, "Address already in use")
        real()

    monkeypatch.setattr(srv, "_bind_all", flaky)
    srv.bind()
    assert calls == [0, 0] and srv.port != 0  # the second try asked the kernel again
    srv.close()
    fixed = DNSServer(ZoneSet(()), port=srv.port)
    monkeypatch.setattr(
        fixed, "_bind_all", lambda: (_ for _ in ()).throw(OSError(errno.EADDRINUSE, "in use"))
    )
    with pytest.raises(OSError):
        fixed.bind()  # an explicit port is not silently changed
