"""A small authoritative DNS server over UDP and TCP that logs every question it is asked.

Wire format by dnspython; the answers come from a :class:`ZoneSet`, with its fault rules
(SERVFAIL, REFUSED, no reply) applied. Sockets are created by the caller's thread, so a lab
can bind them inside a network namespace and serve them from an ordinary thread.
"""

from __future__ import annotations

import contextlib
import errno
import selectors
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from infranotes.dns.zone import ZoneSet

MALFORMED = "(malformed query)"


@dataclass(frozen=True)
class LoggedQuery:
    """One question as the server saw it, and what it answered."""

    t: float  # seconds since the log was last cleared
    proto: str
    server: str
    client: str
    qname: str
    qtype: str
    rcode: str  # "(dropped)" when a fault rule swallowed it
    answers: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "proto": self.proto,
            "server": self.server,
            "qname": self.qname,
            "qtype": self.qtype,
            "rcode": self.rcode,
            "answers": list(self.answers),
        }


def answer_wire(
    zones: ZoneSet, wire: bytes
) -> tuple[bytes | None, dns.message.Message | None, str, tuple[str, ...]]:
    """Reply bytes (None: no reply), the parsed query, the rcode name and the answer texts."""
    try:
        query = dns.message.from_wire(wire)
    except Exception:
        if len(wire) < 12:
            return None, None, "(unparsable)", ()
        reply = bytearray(wire[:12])
        reply[2] = 0x80 | (wire[2] & 0x79)
        reply[3] = dns.rcode.FORMERR
        reply[4:12] = b"\0" * 8
        return bytes(reply), None, "FORMERR", ()
    if len(query.question) != 1:
        resp = dns.message.make_response(query)
        resp.set_rcode(dns.rcode.FORMERR)
        return resp.to_wire(), query, "FORMERR", ()
    q = query.question[0]
    qname, qtype = q.name.to_text(), dns.rdatatype.to_text(q.rdtype)
    resp = dns.message.make_response(query)
    fault = zones.fault_for(qname, qtype)
    if fault is not None:
        if fault.action == "drop":
            return None, query, "(dropped)", ()
        rcode = dns.rcode.SERVFAIL if fault.action == "servfail" else dns.rcode.REFUSED
        resp.set_rcode(rcode)
        return resp.to_wire(), query, dns.rcode.to_text(rcode), ()
    ans = zones.lookup(qname, qtype)
    if ans.rcode == "REFUSED":
        resp.set_rcode(dns.rcode.REFUSED)
        return resp.to_wire(), query, "REFUSED", ()
    resp.flags |= dns.flags.AA
    texts = []
    for rec in ans.records:
        rrset = dns.rrset.from_text(rec.owner, rec.ttl, dns.rdataclass.IN, rec.rtype, rec.rdata)
        resp.answer.append(rrset)
        texts.append(rec.rdata)
    resp.set_rcode(dns.rcode.from_text(ans.rcode))
    soa = zones.soa(ans.zone)
    if soa is not None and (ans.rcode == "NXDOMAIN" or not ans.records):
        # RFC 2308 §3: a negative answer carries the zone's SOA, which bounds its caching
        resp.authority.append(dns.rrset.from_text(soa.owner, soa.ttl, "IN", "SOA", soa.rdata))
    return resp.to_wire(), query, ans.rcode, tuple(texts)


class DNSServer:
    """Serves a ZoneSet on UDP and TCP sockets bound to ``addresses`` and ``port``.

    Use as a context manager, or ``start()``/``stop()``. ``port=0`` picks a free port
    (the same one for UDP and TCP on every address).
    """

    def __init__(self, zones: ZoneSet, addresses: tuple[str, ...] = ("127.0.0.1",), port: int = 0):
        self.zones = zones
        self.addresses = addresses
        self.port = port
        self._log: list[LoggedQuery] = []
        self._lock = threading.Lock()
        self._t0 = time.monotonic()
        self._stop = threading.Event()
        self._sel = selectors.DefaultSelector()
        self._socks: list[socket.socket] = []
        self._thread: threading.Thread | None = None

    # -- sockets
    def bind(self) -> None:
        """Create and bind the sockets in the calling thread's network namespace.

        With ``port=0`` the kernel picks the UDP port, and TCP must get the same number; a TCP
        socket may already hold it (loopback connections use ephemeral ports too), so another
        port is tried."""
        if self.port != 0:
            self._bind_all()
            return
        for _ in range(50):
            try:
                self._bind_all()
                return
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                self.port = 0
        raise OSError(errno.EADDRINUSE, "no port free for both UDP and TCP after 50 tries")

    def _bind_all(self) -> None:
        for i, addr in enumerate(self.addresses):
            fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
            udp = socket.socket(fam, socket.SOCK_DGRAM)
            tcp = socket.socket(fam, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                udp.bind((addr, self.port))
                if i == 0 and self.port == 0:
                    self.port = udp.getsockname()[1]
                tcp.bind((addr, self.port))
            except OSError:
                udp.close()
                tcp.close()
                self.close()
                raise
            tcp.listen(16)
            self._socks += [udp, tcp]
            self._sel.register(udp, selectors.EVENT_READ, ("udp", addr))
            self._sel.register(tcp, selectors.EVENT_READ, ("tcp", addr))

    def start(self) -> DNSServer:
        if not self._socks:
            self.bind()
        self._thread = threading.Thread(target=self._serve, name="infranotes-dns", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.close()

    def close(self) -> None:
        for s in self._socks:
            with contextlib.suppress(KeyError, ValueError):
                self._sel.unregister(s)
            s.close()
        self._socks = []

    def __enter__(self) -> DNSServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- log
    def log(self) -> list[LoggedQuery]:
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log = []
            self._t0 = time.monotonic()

    @contextlib.contextmanager
    def capture(self) -> Iterator[list[LoggedQuery]]:
        """Collect the queries made inside the ``with`` block into the yielded list."""
        self.clear_log()
        out: list[LoggedQuery] = []
        try:
            yield out
        finally:
            time.sleep(0.05)  # replies to the last queries are already sent; let the log settle
            out.extend(self.log())

    # -- serving
    def _record(self, proto: str, server: str, client: str, wire: bytes) -> bytes | None:
        reply, query, rcode, answers = answer_wire(self.zones, wire)
        if query is not None and query.question:
            q = query.question[0]
            qname, qtype = q.name.to_text(), dns.rdatatype.to_text(q.rdtype)
        else:
            qname, qtype = MALFORMED, "-"
        entry = LoggedQuery(
            round(time.monotonic() - self._t0, 4),
            proto,
            server,
            client,
            qname,
            qtype,
            rcode,
            answers,
        )
        with self._lock:
            self._log.append(entry)
        return reply

    def _serve(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._sel.select(timeout=0.1):
                sock: socket.socket = key.fileobj  # type: ignore[assignment]
                proto, addr = key.data
                try:
                    if proto == "udp":
                        wire, peer = sock.recvfrom(65535)
                        reply = self._record("udp", addr, peer[0], wire)
                        if reply is not None:
                            sock.sendto(reply, peer)
                    else:
                        conn, peer = sock.accept()
                        threading.Thread(
                            target=self._tcp, args=(conn, addr, peer[0]), daemon=True
                        ).start()
                except OSError:
                    continue

    def _tcp(self, conn: socket.socket, addr: str, client: str) -> None:
        conn.settimeout(5)
        with conn:
            try:
                while True:
                    head = _recv_exact(conn, 2)
                    if head is None:
                        return
                    wire = _recv_exact(conn, struct.unpack("!H", head)[0])
                    if wire is None:
                        return
                    reply = self._record("tcp", addr, client, wire)
                    if reply is not None:
                        conn.sendall(struct.pack("!H", len(reply)) + reply)
            except OSError:
                return


def _recv_exact(conn: socket.socket, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data
