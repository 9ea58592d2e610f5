"""Which timeout covers which phase of an HTTP/1.1 exchange, for Go and for Python.

The data follow the sources named on each entry: Go 1.19's ``net/http`` (``server.go``,
``transport.go``, ``client.go``), Cloudflare's "The complete guide to Go net/http timeouts",
httpx/httpcore 0.28/1.0 and uvicorn 0.54's h11 protocol. :func:`predict` turns them into
"this misbehaviour → this timeout, after this long", which the probes check live.

Names the code compares (phases, kinds, settings) are plain strings; the prose for readers
(notes, traps, descriptions) is marked ``tr("en", ...)``: English here, and Chinese in the
chapter's tables (:mod:`infranotes.httptimeouts.chapter`).
"""

from __future__ import annotations

from dataclasses import dataclass

from infranotes.httptimeouts.messages import tr

CLIENT_PHASES = (
    "dial",
    "tls",
    "request headers",
    "wait for 100",
    "request body",
    "response headers",
    "response body",
    "idle in pool",
)
SERVER_PHASES = (
    "accept",
    "tls",
    "request headers",
    "request body",
    "handler",
    "response",
    "idle (keep-alive)",
)

GO_SERVER = "go-server"
GO_CLIENT = "go-client"
HTTPX = "httpx"
UVICORN = "uvicorn"
STDLIB_SERVER = "http.server"

CLOUDFLARE = "https://blog.cloudflare.com/the-complete-guide-to-golang-net-http-timeouts/"
GO_SERVER_GO = "Go 1.19 src/net/http/server.go"
GO_TRANSPORT_GO = "Go 1.19 src/net/http/transport.go"
GO_CLIENT_GO = "Go 1.19 src/net/http/client.go"
HTTPX_DOCS = "https://www.python-httpx.org/advanced/timeouts/"
HTTPCORE_CONN = "httpcore 1.0.9 httpcore/_async/connection.py"
UVICORN_H11 = "uvicorn 0.54.0 uvicorn/protocols/http/h11_impl.py"


@dataclass(frozen=True)
class Timeout:
    """One named timeout: the phases it covers and how it counts.

    ``kind`` is ``"deadline"`` (a fixed point in time: a peer that trickles bytes still hits
    it) or ``"per-operation"`` (restarted by every read or write: only silence trips it).
    ``on_expiry`` is what happens: ``"error"``, ``"close"`` (the server drops the connection),
    ``"proceed"`` (the request goes on) or ``"close-after-handler"``.
    """

    stack: str
    name: str
    side: str  # "client" or "server"
    covers: tuple[str, ...]
    kind: str
    on_expiry: str
    default: float | None  # None: no timeout unless set
    note: str
    source: str


TIMEOUTS: tuple[Timeout, ...] = (
    # ---- Go server (net/http.Server)
    Timeout(GO_SERVER, "ReadHeaderTimeout", "server", ("tls", "request headers"), "deadline",
            "close", None,
            tr("en", "from the start of reading a request to the end of its headers; 0 falls "
                     "back to ReadTimeout. The TLS handshake gets the smallest of the three read "
                     "and write timeouts"),
            f"{GO_SERVER_GO} readRequest, tlsHandshakeTimeout()"),
    Timeout(GO_SERVER, "ReadTimeout", "server", ("tls", "request headers", "request body"),
            "deadline", "error", None,
            tr("en", "from the start of reading the request to the end of its body: a slow but "
                     "steady upload fails too"),
            f"{GO_SERVER_GO} readRequest; {CLOUDFLARE}"),
    Timeout(GO_SERVER, "WriteTimeout", "server", ("tls", "handler", "response"), "deadline",
            "close-after-handler", None,
            tr("en", "set when the request headers have been read; it does not stop the "
                     "handler, whose writes fail once it is past"),
            f"{GO_SERVER_GO} readRequest (deferred SetWriteDeadline); {CLOUDFLARE}"),
    Timeout(GO_SERVER, "IdleTimeout", "server", ("idle (keep-alive)",), "deadline", "close",
            None,
            tr("en", "between requests on a keep-alive connection; 0 falls back to ReadTimeout"),
            f"{GO_SERVER_GO} serve, idleTimeout()"),
    # ---- Go client (net.Dialer, http.Transport, http.Client)
    Timeout(GO_CLIENT, "Dialer.Timeout", "client", ("dial",), "deadline", "error", None,
            tr("en", "the TCP connect; http.DefaultTransport sets 30 s"),
            "Go 1.19 src/net/dial.go"),
    Timeout(GO_CLIENT, "TLSHandshakeTimeout", "client", ("tls",), "deadline", "error", None,
            tr("en", "the TLS handshake; http.DefaultTransport sets 10 s"), GO_TRANSPORT_GO),
    Timeout(GO_CLIENT, "ExpectContinueTimeout", "client", ("wait for 100",), "deadline",
            "proceed", None,
            tr("en", "how long to wait for 100 Continue before sending the body anyway; 0 sends "
                     "the body at once"),
            GO_TRANSPORT_GO),
    Timeout(GO_CLIENT, "ResponseHeaderTimeout", "client", ("response headers",), "deadline",
            "error", None,
            tr("en", "from the end of writing the request to the response headers; the body is "
                     "not covered"),
            GO_TRANSPORT_GO),
    Timeout(GO_CLIENT, "IdleConnTimeout", "client", ("idle in pool",), "deadline", "close", None,
            tr("en", "how long an idle keep-alive connection stays in the pool; "
                     "DefaultTransport: 90 s"),
            GO_TRANSPORT_GO),
    Timeout(GO_CLIENT, "Client.Timeout", "client", CLIENT_PHASES[:-1], "deadline", "error", None,
            tr("en", "the whole exchange, redirects and reading the body included"),
            f"{GO_CLIENT_GO} (\"Client.Timeout or context cancellation while reading body\")"),
    # ---- httpx (httpx.Timeout(connect, read, write, pool)); default 5 s each
    Timeout(HTTPX, "connect", "client", ("dial", "tls"), "per-operation", "error", 5.0,
            tr("en", "the TCP connect and then, with a budget of its own, the TLS handshake"),
            HTTPCORE_CONN),
    Timeout(HTTPX, "write", "client", ("request headers", "request body"), "per-operation",
            "error", 5.0, tr("en", "each send of a chunk of the request"), HTTPX_DOCS),
    Timeout(HTTPX, "read", "client", ("response headers", "response body"), "per-operation",
            "error", 5.0,
            tr("en", "each receive of a chunk of the response: a server that trickles bytes "
                     "never trips it"),
            HTTPX_DOCS),
    Timeout(HTTPX, "pool", "client", ("idle in pool",), "deadline", "error", 5.0,
            tr("en", "waiting for a free connection from the pool"), HTTPX_DOCS),
    Timeout(HTTPX, "total", "client", CLIENT_PHASES[:-1], "deadline", "error", None,
            tr("en", "httpx has none: an asyncio.timeout() (or anyio.fail_after) around the "
                     "request"),
            "Python 3.11 asyncio.timeout"),
    # ---- uvicorn (h11)
    Timeout(UVICORN, "timeout_keep_alive", "server", ("idle (keep-alive)",), "deadline", "close",
            5.0,
            tr("en", "armed only after a response; any byte received cancels it, so a request "
                     "that never completes is never timed out"),
            UVICORN_H11),
    # ---- Python's http.server
    Timeout(STDLIB_SERVER, "timeout", "server",
            ("request headers", "request body", "response", "idle (keep-alive)"),
            "per-operation", "close", None,
            tr("en", "StreamRequestHandler.timeout: socket.settimeout on each connection, so "
                     "each recv or send"),
            "CPython 3.11 Lib/socketserver.py"),
)  # fmt: skip


def timeouts(stack: str) -> tuple[Timeout, ...]:
    """The timeouts of one stack, in the order of the phases they start in."""
    return tuple(t for t in TIMEOUTS if t.stack == stack)


def find(stack: str, name: str) -> Timeout:
    for t in TIMEOUTS:
        if t.stack == stack and t.name == name:
            return t
    raise KeyError(f"{stack} has no timeout {name!r}")


@dataclass(frozen=True)
class Misbehaviour:
    """A way a peer can misbehave: the phase it holds up, and whether bytes still trickle."""

    name: str
    side: str  # the side that suffers: "client" (a bad server) or "server" (a bad client)
    phase: str
    trickle: bool
    description: str


MISBEHAVIOURS: tuple[Misbehaviour, ...] = (
    Misbehaviour("no-accept", "client", "dial", False,
                 tr("en", "the server's accept queue is full: SYNs are dropped")),
    Misbehaviour("tls-stall", "client", "tls", False, tr("en", "the TLS handshake never finishes")),
    Misbehaviour("ignore-expect", "client", "wait for 100", False,
                 tr("en", "Expect: 100-continue is ignored")),
    Misbehaviour("no-read", "client", "request body", False,
                 tr("en", "the server never reads the upload")),
    Misbehaviour("no-response", "client", "response headers", False,
                 tr("en", "the server reads the request and never answers")),
    Misbehaviour("slow-headers", "client", "response headers", True,
                 tr("en", "the server sends its headers one byte every 50 ms, forever")),
    Misbehaviour("stall-body", "client", "response body", False,
                 tr("en", "the server stalls in the middle of the body")),
    Misbehaviour("silent-client", "server", "request headers", False,
                 tr("en", "the client connects and sends nothing")),
    Misbehaviour("slowloris", "server", "request headers", True,
                 tr("en", "the client sends its headers one byte at a time, forever")),
    Misbehaviour("slow-upload", "server", "request body", True,
                 tr("en", "the client sends its body one byte at a time")),
    Misbehaviour("idle-keep-alive", "server", "idle (keep-alive)", False,
                 tr("en", "the client keeps its connection open after a response and sends "
                          "nothing")),
    Misbehaviour("slow-handler", "server", "handler", False,
                 tr("en", "our own handler takes longer than the write timeout")),
)  # fmt: skip


def misbehaviour(name: str) -> Misbehaviour:
    for m in MISBEHAVIOURS:
        if m.name == name:
            return m
    raise KeyError(f"unknown misbehaviour {name!r}")


@dataclass(frozen=True)
class Prediction:
    """What the model says: the setting that ends the stall (None: nothing does) and when.

    ``after`` is seconds from the start of the stalled phase; for ``close-after-handler`` it
    is the handler's own duration, since the write deadline only shows when the handler writes.
    """

    fired: str | None
    after: float | None
    on_expiry: str | None


def _effective(stack: str, configured: dict[str, float]) -> dict[str, tuple[float, str]]:
    """Each timeout's value and the setting it comes from, after Go's server fallbacks:
    an unset ReadHeaderTimeout or IdleTimeout takes ReadTimeout's value (``server.go``)."""
    eff = {k: (v, k) for k, v in configured.items() if v}
    if stack == GO_SERVER and "ReadTimeout" in eff:
        eff.setdefault("ReadHeaderTimeout", eff["ReadTimeout"])
        eff.setdefault("IdleTimeout", eff["ReadTimeout"])
    return eff


def predict(
    stack: str,
    misbehaviour_name: str,
    configured: dict[str, float],
    *,
    handler_seconds: float = 0.0,
) -> Prediction:
    """The timeout of ``stack`` that ends ``misbehaviour_name`` given ``configured`` values.

    A timeout can end a stall when it covers the stalled phase, and (for a per-operation
    timeout) only when the peer is silent rather than trickling. The earliest one wins. Unset
    timeouts (absent or 0) never fire: that is the "no defaults" trap, spelled out.
    """
    m = misbehaviour(misbehaviour_name)
    eff = _effective(stack, configured)
    best: tuple[float, Timeout, str] | None = None
    for t in timeouts(stack):
        if t.name not in eff or m.phase not in t.covers:
            continue
        value, setting = eff[t.name]
        if t.kind == "per-operation" and m.trickle:
            continue
        if stack == GO_SERVER and t.name == "ReadTimeout" and m.phase == "request headers":
            continue  # the header deadline is ReadHeaderTimeout's (which defaults to this)
        if best is None or value < best[0]:
            best = (value, t, setting)
    if best is None:
        return Prediction(None, None, None)
    value, t, setting = best
    if t.on_expiry == "close-after-handler":
        return Prediction(setting, max(value, handler_seconds), t.on_expiry)
    return Prediction(setting, value, t.on_expiry)


@dataclass(frozen=True)
class Trap:
    """A well-known surprise, with the probe that shows it and its source."""

    title: str
    stack: str
    detail: str
    source: str


TRAPS: tuple[Trap, ...] = (
    Trap(tr("en", "WriteTimeout does not cancel the handler"), GO_SERVER,
         tr("en", "The handler runs to its end; only its writes fail. The client waits for the "
                  "whole handler and then gets a closed connection with no response."),
         CLOUDFLARE),
    Trap(tr("en", "ReadTimeout includes the request body"), GO_SERVER,
         tr("en", "It is one deadline from the first header byte to the last body byte: a slow "
                  "but steady upload is cut off, and the handler sees an i/o timeout."),
         GO_SERVER_GO),
    Trap(tr("en", "Client.Timeout includes reading the body"), GO_CLIENT,
         tr("en", "A large download on a slow link fails when Client.Timeout expires; "
                  "ResponseHeaderTimeout does not cover the body at all."),
         GO_CLIENT_GO),
    Trap(tr("en", "No timeouts by default"), GO_CLIENT,
         tr("en", "http.DefaultClient has Timeout 0 and http.Server's zero timeouts mean none; "
                  "requests has none either. httpx is the exception: 5 s for each of its four."),
         CLOUDFLARE),
    Trap(tr("en", "httpx read and write are per operation"), HTTPX,
         tr("en", "Each socket read gets the full budget again, so a server that sends one byte "
                  "every 50 ms keeps a request alive forever; only an overall deadline ends it."),
         HTTPX_DOCS),
    Trap(tr("en", "uvicorn has no request-header timeout"), UVICORN,
         tr("en", "Its only timer, timeout_keep_alive, starts after a response and stops at any "
                  "byte: a slowloris client holds a connection for as long as it likes."),
         UVICORN_H11),
)  # fmt: skip
