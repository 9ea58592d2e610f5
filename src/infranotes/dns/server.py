"""A small authoritative DNS server over UDP and TCP that logs every question it is asked.

Wire format by dnspython; the answers come from a :class:`ZoneSet`, with its fault rules
(SERVFAIL, REFUSED, no reply) applied. Sockets are created by the caller's thread, so a lab
can bind them inside a network namespace and serve them from an ordinary thread.

It stays up whatever arrives: a datagram is first sorted the way NSD (``query.c``
``query_process``) and CoreDNS (miekg/dns ``acceptfunc.go`` ``defaultMsgAcceptFunc``) sort
it — shorter than a header or a response (QR set): dropped without a word, so two servers
cannot ping-pong; an opcode other than QUERY: NOTIMP; unparsable or not one question:
FORMERR. Any other exception while answering one packet is logged as one line and answered
SERVFAIL; the serving thread goes on. The query log is a ring of ``log_limit`` entries,
each with a sequence number, so a follower (``log_since``) never misses silently.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import logging
import selectors
import socket
import struct
import threading
import time
from collections import deque
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
HEADER_BYTES = 12
QR = 0x80  # in the third byte of the header
OPCODE_QUERY = 0
LOG_LIMIT = 10_000  # entries kept in the query log (about 4 MB)
MAX_TCP_CLIENTS = 64  # connections served at once; more are closed on accept
TCP_IDLE_SECONDS = 5.0  # a TCP client silent this long is disconnected
_log = logging.getLogger(__name__)


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
    seq: int = 0  # position in the server's log since it started; never reused

    def to_json(self) -> dict[str, object]:
        return {
            "proto": self.proto,
            "server": self.server,
            "qname": self.qname,
            "qtype": self.qtype,
            "rcode": self.rcode,
            "answers": list(self.answers),
        }


def header_reply(wire: bytes, rcode: int) -> bytes:
    """A bare reply to ``wire``'s header: same ID, opcode and RD, QR set, ``rcode``, no
    sections (NSD ``query_formerr``: "Preserve the RD flag. Clear the rest.")."""
    reply = bytearray(wire[:HEADER_BYTES])
    reply[2] = QR | (wire[2] & 0x79)  # opcode (0x78) and RD (0x01)
    reply[3] = rcode
    reply[4:12] = b"\0" * 8
    return bytes(reply)


def answer_wire(
    zones: ZoneSet, wire: bytes
) -> tuple[bytes | None, dns.message.Message | None, str, tuple[str, ...]]:
    """Reply bytes (None: no reply), the parsed query, the rcode name and the answer texts."""
    if len(wire) < HEADER_BYTES:
        return None, None, "(unparsable)", ()  # no ID to answer to
    if wire[2] & QR:
        return None, None, "(response ignored)", ()  # never answer a response
    if (wire[2] >> 3) & 0xF != OPCODE_QUERY:
        return header_reply(wire, dns.rcode.NOTIMP), None, "NOTIMP", ()
    try:
        query = dns.message.from_wire(wire)
    except Exception:
        return header_reply(wire, dns.rcode.FORMERR), None, "FORMERR", ()
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

    def __init__(
        self,
        zones: ZoneSet,
        addresses: tuple[str, ...] = ("127.0.0.1",),
        port: int = 0,
        *,
        log_limit: int = LOG_LIMIT,
    ):
        self.zones = zones
        self.addresses = addresses
        self.port = port
        self._log: deque[LoggedQuery] = deque(maxlen=log_limit)
        self._seq = 0  # sequence number of the next entry
        self.errors = 0  # packets whose handling raised; each was logged as one line
        self._tcp_slots = threading.BoundedSemaphore(MAX_TCP_CLIENTS)
        self._tcp_threads: set[threading.Thread] = set()
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
        with self._lock:
            tcp = list(self._tcp_threads)
        for t in tcp:  # each notices the stop within its 0.5 s receive timeout
            t.join(timeout=5)
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
        """The entries still in the ring, oldest first."""
        with self._lock:
            return list(self._log)

    def log_since(self, seq: int) -> tuple[list[LoggedQuery], int, int]:
        """Entries numbered ``seq`` or later, the number to pass next time, and how many
        entries after ``seq`` the ring had already dropped (0 unless the follower lagged by
        more than ``log_limit`` queries)."""
        with self._lock:
            first = self._seq - len(self._log)  # number of the oldest entry kept
            new = [e for e in self._log if e.seq >= seq]
            return new, self._seq, max(0, first - seq)

    def clear_log(self) -> None:
        """Empty the ring and restart its clock; sequence numbers go on (followers stay valid)."""
        with self._lock:
            self._log.clear()
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
        try:
            reply, query, rcode, answers = answer_wire(self.zones, wire)
        except Exception as exc:  # a bug of ours must cost one answer, not the server
            self._failed(proto, client, exc)
            reply, query, rcode, answers = (
                header_reply(wire, dns.rcode.SERVFAIL),
                None,
                "SERVFAIL",
                (),
            )
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
            self._log.append(dataclasses.replace(entry, seq=self._seq))
            self._seq += 1
        return reply

    def _failed(self, proto: str, client: str, exc: BaseException) -> None:
        with self._lock:
            self.errors += 1
        text = " ".join(str(exc).split()) or type(exc).__name__
        _log.warning(
            "dns server: %s packet from %s: %s: %s", proto, client, type(exc).__name__, text
        )

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                ready = self._sel.select(timeout=0.1)
            except OSError:  # a socket closed under us: stop() is on its way
                continue
            for key, _ in ready:
                sock: socket.socket = key.fileobj  # type: ignore[assignment]
                proto, addr = key.data
                try:
                    if proto == "udp":
                        self._udp(sock, addr)
                    else:
                        self._accept(sock, addr)
                except Exception as exc:  # one packet, one line; the loop goes on
                    self._failed(proto, addr, exc)

    def _udp(self, sock: socket.socket, addr: str) -> None:
        try:
            wire, peer = sock.recvfrom(65535)
        except OSError:  # e.g. ECONNREFUSED left by an ICMP error for an earlier reply
            return
        reply = self._record("udp", addr, peer[0], wire)
        if reply is not None:
            with contextlib.suppress(OSError):
                sock.sendto(reply, peer)

    def _accept(self, sock: socket.socket, addr: str) -> None:
        try:
            conn, peer = sock.accept()
        except OSError:  # EMFILE and friends: the connection waits in the backlog
            time.sleep(0.05)
            return
        if not self._tcp_slots.acquire(blocking=False):
            conn.close()  # busy: like a server at its tcp-count limit
            return
        t = threading.Thread(target=self._tcp, args=(conn, addr, peer[0]), daemon=True)
        with self._lock:
            self._tcp_threads.add(t)
        t.start()

    def _tcp(self, conn: socket.socket, addr: str, client: str) -> None:
        try:
            with conn:
                conn.settimeout(0.5)
                while True:
                    head = self._recv_exact(conn, 2)
                    if head is None:
                        return
                    wire = self._recv_exact(conn, struct.unpack("!H", head)[0])
                    if wire is None:
                        return
                    reply = self._record("tcp", addr, client, wire)
                    if reply is not None:
                        conn.sendall(struct.pack("!H", len(reply)) + reply)
        except OSError:
            return
        except Exception as exc:
            self._failed("tcp", client, exc)
        finally:
            self._tcp_slots.release()
            with self._lock:
                self._tcp_threads.discard(threading.current_thread())

    def _recv_exact(self, conn: socket.socket, n: int) -> bytes | None:
        """``n`` bytes, or None when the client closes, idles for 5 s or the server stops."""
        data = b""
        idle = 0.0
        while len(data) < n:
            if self._stop.is_set() or idle >= TCP_IDLE_SECONDS:
                return None
            try:
                chunk = conn.recv(n - len(data))
            except TimeoutError:
                idle += 0.5
                continue
            if not chunk:
                return None
            data += chunk
            idle = 0.0
        return data
