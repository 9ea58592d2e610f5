"""Misbehaving HTTP peers on 127.0.0.1: each one stalls a different phase of the exchange.

A :class:`Peer` is a context manager running a listening socket in background threads. Every
stall waits on the peer's stop event, so leaving the ``with`` block ends all of its threads
and closes every socket it opened: a test never leaves a peer behind.

It also survives being left running (``infranotes http misbehave``): a connection's thread
ends and its socket is closed as soon as the client goes away, whatever the mode (a stall
watches for the client's FIN or RST without reading); a request head longer than
``max_header_bytes`` is answered 431 and closed, as Go's ``net/http`` does past
``MaxHeaderBytes``; when ``accept`` fails for lack of file descriptors (EMFILE) the loop
backs off and tries again, like Go's ``Server.Serve``; and its events are a bounded,
numbered ring of JSON-ready dicts that a follower reads with :meth:`Peer.events_since`.
"""

from __future__ import annotations

import contextlib
import errno
import json
import select
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from infranotes.errors import LabUnavailable, ParseError
from infranotes.httptimeouts.messages import tr

MODES: dict[str, str] = {
    "no-accept": tr("en", "listens but never accepts, with its accept queue full: connect() hangs"),
    "no-response": tr("en", "accepts and reads the request, then never answers"),
    "slow-headers": tr(
        "en", "sends the status line and headers one byte at a time, never ending them"
    ),
    "stall-body": tr("en", "sends the headers and 1 KiB of a 1 MiB body, then stalls"),
    "tls-stall": tr(
        "en", "starts the TLS handshake (self-signed certificate) and never finishes it"
    ),
    "ignore-expect": tr(
        "en", "ignores Expect: 100-continue, waits for the body, reports when it came"
    ),
    "no-read": tr("en", "accepts and never reads: an upload fills the socket buffers and stalls"),
    "ok": tr("en", "answers at once (a control)"),
}

STATUS = b"HTTP/1.1 200 OK\r\n"
HEADER_BYTE_INTERVAL = 0.05  # slow-headers: one byte every 50 ms
STALL_BODY_LENGTH = 1 << 20
STALL_BODY_SENT = 1024
# Go's http.DefaultMaxHeaderBytes is 1 MiB; nginx's large_client_header_buffers 4 x 8k. A
# test peer needs far less, and an endless header line must not grow without bound.
MAX_HEADER_BYTES = 64 * 1024
EVENT_LIMIT = 10_000  # events kept for followers
# accept(2) errors that mean "not now" (net/http server.go Serve retries them with a delay
# doubling from 5 ms to 1 s): out of descriptors, buffers or memory, or a connection reset
# while it waited in the queue.
RETRY_ACCEPT = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM, errno.ECONNABORTED}
_CLOSED = select.POLLRDHUP | select.POLLHUP | select.POLLERR | select.POLLNVAL


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI."""

    cert: Path
    key: Path


def self_signed(directory: Path) -> Certificate:
    """Write a fresh P-256 certificate and key into ``directory`` (valid one day)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    cmd = [
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-days", "1", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout", str(key), "-out", str(cert),
    ]  # fmt: skip
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        raise LabUnavailable("openssl not found (Debian package openssl)") from None
    if proc.returncode != 0:
        raise LabUnavailable(f"openssl req failed: {proc.stderr.strip()[:200]}")
    return Certificate(cert, key)


@dataclass
class Peer:
    """One misbehaving server on ``host`` (loopback by default; ``port`` 0 picks a free port)."""

    mode: str
    port: int = 0
    header_interval: float = HEADER_BYTE_INTERVAL
    host: str = "127.0.0.1"
    max_header_bytes: int = MAX_HEADER_BYTES
    event_limit: int = EVENT_LIMIT
    _events: deque[dict[str, object]] = field(default_factory=deque, repr=False)
    _seq: int = field(default=0, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _sockets: set[socket.socket] = field(default_factory=set, repr=False)
    _threads: set[threading.Thread] = field(default_factory=set, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _tmp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)
    certificate: Certificate | None = None
    _tls: ssl.SSLContext | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ParseError(
                f"unknown mode {self.mode!r}", source="--mode", expected=", ".join(MODES)
            )
        self._events = deque(maxlen=self.event_limit)

    @property
    def url(self) -> str:
        scheme = "https" if self.mode == "tls-stall" else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}/"

    @property
    def events(self) -> list[dict[str, object]]:
        """The events still kept, oldest first: each a dict of str, int, float or None
        under an ``"event"`` name, ready for ``json.dumps`` as one JSON line."""
        with self._lock:
            return list(self._events)

    def events_since(self, seq: int) -> tuple[list[dict[str, object]], int]:
        """Events numbered ``seq`` or later, and the number to ask for next time (events are
        numbered from 0 in the order they happened; the oldest fall out of the ring)."""
        with self._lock:
            first = self._seq - len(self._events)
            return list(self._events)[max(0, seq - first) :], self._seq

    def __enter__(self) -> Peer:
        if self.mode == "tls-stall":
            self._tmp = tempfile.TemporaryDirectory(prefix="infranotes-tls-")
            self.certificate = self_signed(Path(self._tmp.name))
            self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._tls.load_cert_chain(self.certificate.cert, self.certificate.key)
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if self.mode == "no-read":  # small buffers, so an upload stalls after a few KiB
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        try:
            listener.bind((self.host, self.port))
        except OSError:
            listener.close()
            self.stop()
            raise
        self.port = listener.getsockname()[1]
        self._sockets.add(listener)
        if self.mode == "no-accept":
            # Backlog 0 leaves room for one queued connection; fill it (and the SYN queue
            # behind it) with our own, so the kernel drops the next client's SYNs.
            listener.listen(0)
            for _ in range(2):
                filler = socket.socket(family, socket.SOCK_STREAM)
                filler.setblocking(False)
                filler.connect_ex((self.host, self.port))
                self._sockets.add(filler)
            time.sleep(0.05)
        else:
            listener.listen(socket.SOMAXCONN)  # as Go does: a burst waits, not its SYNs
            listener.settimeout(0.05)
            self._spawn(self._accept_loop, listener)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """End every thread and close every socket of this peer."""
        self._stop.set()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the accept loop may spawn one last thread
            with self._lock:
                alive = [t for t in self._threads if t.is_alive()]
            if not alive:
                break
            for t in alive:
                t.join(timeout=0.5)
        with self._lock:
            for s in self._sockets:
                s.close()
            self._sockets.clear()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    # ------------------------------------------------------------------ internals
    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        """Run ``target`` in a thread that forgets itself when it ends (reaped at once)."""

        def run() -> None:
            try:
                target(*args)
            finally:
                with self._lock:
                    self._threads.discard(threading.current_thread())

        t = threading.Thread(target=run, daemon=True)
        with self._lock:
            self._threads.add(t)
        try:
            t.start()
        except RuntimeError:  # can't start new thread: the caller closes what it holds
            with self._lock:
                self._threads.discard(t)
            raise

    def _accept_loop(self, listener: socket.socket) -> None:
        delay = 0.0
        while not self._stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError as exc:
                if exc.errno not in RETRY_ACCEPT:
                    return  # the listener was closed: stop() is under way
                if delay == 0.0:
                    self._note("accept_failed", error=errno.errorcode.get(exc.errno or 0, "?"))
                delay = min(max(delay * 2, 0.005), 1.0)
                self._stop.wait(delay)
                continue
            delay = 0.0
            with self._lock:
                self._sockets.add(conn)
            try:
                self._spawn(self._connection, conn)
            except RuntimeError:
                self._forget(conn)

    def _forget(self, conn: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(conn)
        conn.close()

    def _connection(self, conn: socket.socket) -> None:
        """Serve one connection; whatever happens, close it and forget it."""
        try:
            self._serve(conn)
        except Exception as exc:  # one line in the events, never a traceback on stderr
            text = " ".join(str(exc).split())[:200]
            self._note("error", error=f"{type(exc).__name__}: {text}")
        finally:
            self._forget(conn)

    def _note(self, event: str, **detail: object) -> None:
        with self._lock:
            self._events.append({"event": event, **detail})
            self._seq += 1

    def _until_closed(self, conn: socket.socket) -> None:
        """Stall without reading until the client closes or resets, or the peer stops.

        POLLRDHUP reports the client's FIN even while unread data waits (Linux poll(2))."""
        poller = select.poll()
        poller.register(conn, select.POLLRDHUP)
        while not self._stop.is_set():
            if any(ev & _CLOSED for _, ev in poller.poll(50)):
                return

    def _chunks(self, conn: socket.socket) -> Iterator[bytes]:
        """What the client sends, chunk by chunk, until it closes, fails or the peer stops."""
        conn.settimeout(0.05)  # so a stop is noticed within 50 ms
        while not self._stop.is_set():
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not chunk:
                return
            yield chunk

    def _read_head(self, conn: socket.socket) -> bytes | None:
        """Read up to the end of the request headers; None if the client went away or sent
        more than ``max_header_bytes`` without ending them (answered 431, as Go does)."""
        data = bytearray()
        for chunk in self._chunks(conn):
            data += chunk
            end = data.find(b"\r\n\r\n")
            if 0 <= end <= self.max_header_bytes:
                return bytes(data)
            if len(data) > self.max_header_bytes:
                self._note("header_too_large", bytes=len(data), limit=self.max_header_bytes)
                self._refuse(conn, b"431 Request Header Fields Too Large")
                return None
        return None

    def _refuse(self, conn: socket.socket, status: bytes) -> None:
        """Answer ``status`` and close the way Go's ``closeWriteAndWait`` does: FIN first,
        then discard what the client still sends for up to 0.5 s, so that closing with
        unread data does not reset the connection before the client reads the answer."""
        with contextlib.suppress(OSError):
            conn.sendall(
                b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            conn.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + 0.5
            while time.monotonic() < deadline and not self._stop.is_set():
                try:
                    if not conn.recv(65536):
                        break
                except TimeoutError:
                    continue

    def _send_slowly(self, conn: socket.socket, data: bytes) -> bool:
        for i in range(len(data)):
            if self._stop.wait(self.header_interval):
                return False
            try:
                conn.sendall(data[i : i + 1])
            except OSError:
                return False
        return True

    def _serve(self, conn: socket.socket) -> None:
        mode = self.mode
        if mode == "no-read":
            self._until_closed(conn)
            return
        if mode == "tls-stall":
            self._tls_stall(conn)
            return
        head = self._read_head(conn)
        if head is None:
            return
        self._note("request", head=head.split(b"\r\n", 1)[0].decode("latin-1"))
        if mode == "no-response":
            self._until_closed(conn)
        elif mode == "slow-headers":
            pad = b"X-Pad: " + b"." * 60 + b"\r\n"
            if self._send_slowly(conn, STATUS):
                while self._send_slowly(conn, pad):
                    pass
        elif mode == "stall-body":
            conn.sendall(
                STATUS + b"Content-Type: application/octet-stream\r\n"
                b"Content-Length: %d\r\n\r\n" % STALL_BODY_LENGTH + b"\0" * STALL_BODY_SENT
            )
            self._until_closed(conn)
        elif mode == "ignore-expect":
            self._ignore_expect(conn, head)
        else:  # ok
            self._answer(conn, {"ok": True})

    def _answer(self, conn: socket.socket, doc: dict[str, object]) -> None:
        body = json.dumps(doc).encode()
        with contextlib.suppress(OSError):
            conn.sendall(
                STATUS + b"Content-Type: application/json\r\nConnection: close\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body) + body
            )

    def _ignore_expect(self, conn: socket.socket, head: bytes) -> None:
        """Never send 100 Continue; time how long the client waits before sending its body."""
        headers_done = time.monotonic()
        header_block, _, early = head.partition(b"\r\n\r\n")
        length = 0
        for line in header_block.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                text = value.strip()
                if not text.isdigit() or len(text) > 18:
                    self._note("bad_request", reason="Content-Length is not a number")
                    self._refuse(conn, b"400 Bad Request")
                    return
                length = int(text)
        received = len(early)
        first_body = headers_done if early else None
        chunks = self._chunks(conn)
        while received < length:
            chunk = next(chunks, None)
            if chunk is None:
                return
            if first_body is None:
                first_body = time.monotonic()
            received += len(chunk)
        waited = None if first_body is None else round(first_body - headers_done, 3)
        self._note("body", waited=waited, bytes=received)
        self._answer(conn, {"body_after_seconds": waited, "body_bytes": received})

    def _tls_stall(self, conn: socket.socket) -> None:
        """Read the ClientHello, send half of the server's first flight, then stall."""
        assert self._tls is not None
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = self._tls.wrap_bio(incoming, outgoing, server_side=True)
        for chunk in self._chunks(conn):
            incoming.write(chunk)
            try:
                tls.do_handshake()
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLError:
                return
            flight = outgoing.read()
            if flight:
                self._note("client_hello", server_flight_bytes=len(flight))
                with contextlib.suppress(OSError):
                    conn.sendall(flight[: len(flight) // 2])
                    self._until_closed(conn)  # and never send the rest
                return
            if incoming.pending > self.max_header_bytes:  # no ClientHello is that long
                self._note("header_too_large", bytes=incoming.pending, limit=self.max_header_bytes)
                return
