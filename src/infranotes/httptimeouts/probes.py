"""Probes: run a real client against a peer (or a slow client against a real server) and
report which timeout fired, after how long, and the exact error.

Every probe is bounded by ``give_up`` seconds of its own: when nothing fires by then the
result says so (``fired`` is None), which is what "no timeout at all" looks like.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import json
import select
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from infranotes.errors import LabUnavailable

DEFAULT_GIVE_UP = 3.0
T = TypeVar("T")


@dataclass(frozen=True)
class ProbeResult:
    """What one client run saw: the timeout that fired (None: none did), when, and the error."""

    client: str
    fired: str | None
    after_seconds: float
    error: str | None
    status: int | None = None
    detail: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "fired": self.fired,
            "after_seconds": round(self.after_seconds, 3),
            "error": self.error,
            "status": self.status,
        }


# --------------------------------------------------------------------------- httpx
HTTPX_NAMES = {
    "ConnectTimeout": "connect",
    "ReadTimeout": "read",
    "WriteTimeout": "write",
    "PoolTimeout": "pool",
}


async def _httpx_request(
    client: object, url: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, bytes]:
    method = "POST" if body is not None else "GET"
    stream = client.stream(method, url, content=body, headers=headers)  # type: ignore[attr-defined]
    async with stream as resp:
        data = b""
        async for chunk in resp.aiter_bytes():
            data += chunk
        return resp.status_code, data


def probe_httpx(
    url: str,
    *,
    connect: float | None = None,
    read: float | None = None,
    write: float | None = None,
    pool: float | None = None,
    total: float | None = None,
    body_bytes: int = 0,
    expect: bool = False,
    cafile: Path | None = None,
    give_up: float = DEFAULT_GIVE_UP,
) -> ProbeResult:
    """One httpx request with ``httpx.Timeout(connect, read, write, pool)`` and, as ``total``,
    an ``asyncio.timeout`` deadline around the whole exchange (httpx has no total timeout).

    ``None`` leaves a timeout unset (no limit), unlike httpx's own default of 5 s each.
    """
    import httpx

    timeout = httpx.Timeout(connect=connect, read=read, write=write, pool=pool)
    verify: ssl.SSLContext | bool = True
    if cafile is not None:
        verify = ssl.create_default_context(cafile=str(cafile))
    body = b"\0" * body_bytes if body_bytes else None
    headers = {"Expect": "100-continue"} if expect else {}
    deadline = total if total is not None else give_up
    start = time.monotonic()

    async def run() -> tuple[int, bytes]:
        nonlocal start
        async with httpx.AsyncClient(timeout=timeout, verify=verify) as client:
            start = time.monotonic()  # the client's set-up (loading CAs) is not the request's
            async with asyncio.timeout(deadline):
                return await _httpx_request(client, url, body, headers)

    try:
        status, data = _run_async(run)
    except TimeoutError:
        after = time.monotonic() - start
        if total is None:
            return ProbeResult("httpx", None, after, None, detail="still waiting at give-up")
        return ProbeResult("httpx", "total", after, "TimeoutError: asyncio.timeout expired")
    except httpx.HTTPError as exc:
        after = time.monotonic() - start
        name = type(exc).__name__
        text = f"{name}: {exc}" if str(exc) else name
        return ProbeResult("httpx", HTTPX_NAMES.get(name), after, text)
    after = time.monotonic() - start
    detail = data.decode("utf-8", "replace") if len(data) <= 200 else f"{len(data)} body bytes"
    return ProbeResult("httpx", None, after, None, status=status, detail=detail)


def _run_async(factory: Callable[[], Coroutine[object, object, T]]) -> T:
    """``asyncio.run`` here, or in a worker thread when this thread already runs a loop
    (a Jupyter kernel does)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


# --------------------------------------------------------------------------- Go
GO_FLAGS = {
    "Dialer.Timeout": "-dial",
    "TLSHandshakeTimeout": "-tls",
    "ResponseHeaderTimeout": "-response-header",
    "ExpectContinueTimeout": "-expect-continue",
    "Client.Timeout": "-total",
}


# The Go client and server, and openssl for the TLS peer's certificate; no root needed.
REQUIRES = ("go", "openssl")


@functools.cache
def go_binary() -> Path:
    """The Go client/server probe, built on first use (raises LabUnavailable without go)."""
    from infranotes.lab import build_go_probe

    return build_go_probe("httptimeouts")


def probe_go(
    url: str,
    timeouts: dict[str, float],
    *,
    body_bytes: int = 0,
    expect: bool = False,
    cafile: Path | None = None,
    give_up: float = DEFAULT_GIVE_UP,
) -> ProbeResult:
    """One request by a Go ``net/http`` client with the named timeouts (see :data:`GO_FLAGS`)."""
    exe = go_binary()
    argv = [str(exe), "client", "-url", url]
    for name, value in sorted(timeouts.items()):
        if name not in GO_FLAGS:
            raise ValueError(f"unknown Go client timeout {name!r}")
        argv += [GO_FLAGS[name], repr(float(value))]
    if body_bytes:
        argv += ["-body", str(body_bytes)]
    if expect:
        argv.append("-expect")
    if cafile is not None:
        argv += ["-cafile", str(cafile)]
    start = time.monotonic()
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=give_up)
    except subprocess.TimeoutExpired:
        return ProbeResult(
            "go", None, time.monotonic() - start, None, detail="still waiting at give-up"
        )
    if proc.returncode != 0:
        raise LabUnavailable(f"Go probe failed: {proc.stderr.strip()[:200]}")
    doc = json.loads(proc.stdout)
    return ProbeResult(
        "go",
        doc["fired"],
        float(doc["after_seconds"]),
        doc["error"],
        status=doc["status"] or None,
        detail=doc.get("body", ""),
    )


@dataclass
class GoServer:
    """A Go ``net/http`` server with the given timeouts, its events read from its stdout."""

    read_header: float = 0.0
    read: float = 0.0
    write: float = 0.0
    idle: float = 0.0
    handler_sleep: float = 0.0

    def __post_init__(self) -> None:
        self.port = 0
        self.events: list[dict[str, object]] = []
        self._proc: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None

    def __enter__(self) -> GoServer:
        argv = [str(go_binary()), "server"]
        for flag, value in [
            ("-read-header", self.read_header),
            ("-read", self.read),
            ("-write", self.write),
            ("-idle", self.idle),
            ("-handler-sleep", self.handler_sleep),
        ]:
            argv += [flag, repr(float(value))]
        self._proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line.startswith("listening "):
            self.__exit__()
            raise LabUnavailable(f"Go server did not start: {line.strip()!r}")
        self.port = int(line.rsplit(":", 1)[1])
        self._reader = threading.Thread(target=self._read_events, daemon=True)
        self._reader.start()
        return self

    def _read_events(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for line in self._proc.stdout:
            self.events.append(json.loads(line))

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                if stream is not None:
                    stream.close()
            self._proc = None

    def wait_event(self, name: str, within: float = 2.0) -> dict[str, object] | None:
        """The first event called ``name``, waiting up to ``within`` seconds for it."""
        end = time.monotonic() + within
        while time.monotonic() < end:
            for e in list(self.events):
                if e["event"] == name:
                    return e
            time.sleep(0.01)
        return None


# --------------------------------------------------------------------------- Python servers
def _asgi_app(handler_sleep: float):
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        more = True
        while more:
            msg = await receive()
            more = msg.get("more_body", False)
        await asyncio.sleep(handler_sleep)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok\n"})

    return app


@contextmanager
def uvicorn_server(timeout_keep_alive: float = 5, handler_sleep: float = 0.0) -> Iterator[int]:
    """uvicorn (h11 protocol) on 127.0.0.1 in a thread; yields its port, stops on exit."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        _asgi_app(handler_sleep),
        http="h11",
        lifespan="off",
        log_level="critical",
        timeout_keep_alive=timeout_keep_alive,  # type: ignore[arg-type] - call_later takes floats
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(500):
            if server.started:
                break
            time.sleep(0.01)
        yield port
    finally:
        server.should_exit = True
        server.force_exit = True
        thread.join(timeout=5)
        sock.close()


@contextmanager
def stdlib_server(timeout: float | None = None) -> Iterator[int]:
    """``http.server.ThreadingHTTPServer`` whose handler has ``timeout`` (a per-recv limit)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "3")
            self.end_headers()
            self.wfile.write(b"ok\n")

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that hangs up mid-response is what these labs do on purpose

    Handler.timeout = timeout
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = False  # server_close() joins the handler threads: none outlives it
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- slow client
@dataclass(frozen=True)
class SlowClientResult:
    """When the server closed a slowloris connection (None: still open at give-up)."""

    part: str
    interval: float
    closed_after: float | None
    bytes_sent: int
    response: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "part": self.part,
            "interval": self.interval,
            "closed_after": None if self.closed_after is None else round(self.closed_after, 3),
            "bytes_sent": self.bytes_sent,
            "response": self.response,
        }


def slow_client(
    port: int,
    *,
    part: str = "headers",
    interval: float = 0.1,
    give_up: float = DEFAULT_GIVE_UP,
    idle_after_response: bool = False,
) -> SlowClientResult:
    """Slowloris: send a request one byte every ``interval`` seconds and time the server.

    ``part="headers"`` trickles the header block (it never ends); ``"body"`` sends the
    headers at once and trickles a 1 MiB body; ``"idle"`` sends one whole request, reads the
    response and then sits idle on the keep-alive connection; ``"silent"`` connects and
    sends nothing at all.
    """
    if part not in ("headers", "body", "idle", "silent"):
        raise ValueError(f"part must be headers, body, idle or silent, not {part!r}")
    sock = socket.create_connection(("127.0.0.1", port), timeout=2)
    start = time.monotonic()
    sent = 0
    response = b""
    head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    try:
        if part == "body":
            sock.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1048576\r\n\r\n")
        elif part == "idle":
            sock.sendall(head + b"\r\n")
            start = None  # type: ignore[assignment] - starts once the response is in
        pad = b"X-Pad: " + b"." * 60 + b"\r\n" if part == "headers" else b"\0"
        pending = head if part == "headers" else b""  # the request line goes first, slowly
        while True:
            now = time.monotonic()
            if start is not None and now - start > give_up:
                return SlowClientResult(part, interval, None, sent, _status(response))
            readable, _, _ = select.select([sock], [], [], interval)
            if readable:
                chunk = sock.recv(65536)
                if not chunk:
                    after = time.monotonic() - start if start is not None else 0.0
                    return SlowClientResult(part, interval, after, sent, _status(response))
                response += chunk
                if part == "idle" and start is None and b"\r\n\r\n" in response:
                    start = time.monotonic()
                continue
            if part in ("idle", "silent"):
                continue
            if sent < len(pending):
                data = pending[sent : sent + 1]
            else:
                i = (sent - len(pending)) % len(pad)
                data = pad[i : i + 1]
            try:
                sock.sendall(data)
            except OSError:
                return SlowClientResult(
                    part, interval, time.monotonic() - start, sent, _status(response)
                )
            sent += 1
    except (ConnectionResetError, BrokenPipeError):
        return SlowClientResult(part, interval, time.monotonic() - start, sent, _status(response))
    finally:
        sock.close()


def _status(response: bytes) -> str | None:
    if not response:
        return None
    return response.split(b"\r\n", 1)[0].decode("latin-1")


@dataclass(frozen=True)
class FetchResult:
    """A plain request to a server: its status line (None: none came) and when it ended."""

    status: str | None
    after_seconds: float


def fetch_raw(port: int, give_up: float = DEFAULT_GIVE_UP) -> FetchResult:
    """One GET on a new connection, reading until the server closes or answers in full."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=give_up)
    start = time.monotonic()
    data = b""
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    finally:
        sock.close()
    return FetchResult(_status(data), time.monotonic() - start)
