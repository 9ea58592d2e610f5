"""Misbehaving HTTP peers on 127.0.0.1: each one stalls a different phase of the exchange.

A :class:`Peer` is a context manager running a listening socket in background threads. Every
stall waits on the peer's stop event, so leaving the ``with`` block ends all of its threads
and closes every socket it opened: a test never leaves a peer behind.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from infranotes.errors import LabUnavailable, ParseError

MODES: dict[str, str] = {
    "no-accept": "listens but never accepts, with its accept queue full: connect() hangs",
    "no-response": "accepts and reads the request, then never answers",
    "slow-headers": "sends the status line and headers one byte at a time, never ending them",
    "stall-body": "sends the headers and 1 KiB of a 1 MiB body, then stalls",
    "tls-stall": "starts the TLS handshake (self-signed certificate) and never finishes it",
    "ignore-expect": "ignores Expect: 100-continue, waits for the body, reports when it came",
    "no-read": "accepts and never reads: an upload fills the socket buffers and stalls",
    "ok": "answers at once (a control)",
}

STATUS = b"HTTP/1.1 200 OK\r\n"
HEADER_BYTE_INTERVAL = 0.05  # slow-headers: one byte every 50 ms
STALL_BODY_LENGTH = 1 << 20
STALL_BODY_SENT = 1024


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
    """One misbehaving server on 127.0.0.1 (``port`` 0 picks a free port)."""

    mode: str
    port: int = 0
    header_interval: float = HEADER_BYTE_INTERVAL
    events: list[dict[str, object]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _sockets: list[socket.socket] = field(default_factory=list, repr=False)
    _threads: list[threading.Thread] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _tmp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)
    certificate: Certificate | None = None
    _tls: ssl.SSLContext | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ParseError(
                f"unknown mode {self.mode!r}", source="--mode", expected=", ".join(MODES)
            )

    @property
    def url(self) -> str:
        scheme = "https" if self.mode == "tls-stall" else "http"
        return f"{scheme}://127.0.0.1:{self.port}/"

    def __enter__(self) -> Peer:
        if self.mode == "tls-stall":
            self._tmp = tempfile.TemporaryDirectory(prefix="infranotes-tls-")
            self.certificate = self_signed(Path(self._tmp.name))
            self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._tls.load_cert_chain(self.certificate.cert, self.certificate.key)
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if self.mode == "no-read":  # small buffers, so an upload stalls after a few KiB
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        listener.bind(("127.0.0.1", self.port))
        self.port = listener.getsockname()[1]
        self._sockets.append(listener)
        if self.mode == "no-accept":
            # Backlog 0 leaves room for one queued connection; fill it (and the SYN queue
            # behind it) with our own, so the kernel drops the next client's SYNs.
            listener.listen(0)
            for _ in range(2):
                filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                filler.setblocking(False)
                filler.connect_ex(("127.0.0.1", self.port))
                self._sockets.append(filler)
            time.sleep(0.05)
        else:
            listener.listen(64)
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
    def _spawn(self, target, *args) -> None:
        t = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads.append(t)
        t.start()

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._sockets.append(conn)
            self._spawn(self._serve, conn)

    def _note(self, event: str, **detail: object) -> None:
        with self._lock:
            self.events.append({"event": event, **detail})

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
        """Read up to the end of the request headers; None if the client went away."""
        data = b""
        for chunk in self._chunks(conn):
            data += chunk
            if b"\r\n\r\n" in data:
                return data
        return None

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
            self._stop.wait()
            return
        if mode == "tls-stall":
            self._tls_stall(conn)
            return
        head = self._read_head(conn)
        if head is None:
            return
        self._note("request", head=head.split(b"\r\n", 1)[0].decode("latin-1"))
        if mode == "no-response":
            self._stop.wait()
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
            self._stop.wait()
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
                length = int(value.strip() or 0)
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
                    self._stop.wait()  # and never send the rest
                return
