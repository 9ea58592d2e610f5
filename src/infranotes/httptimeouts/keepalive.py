"""TCP keep-alive against a hung peer: what the probes do and what they cannot do.

A client's ``SO_KEEPALIVE`` (Go: ``net.Dialer{KeepAlive}``) makes the kernel send an empty
segment after ``TCP_KEEPIDLE`` seconds of silence and every ``TCP_KEEPINTVL`` after that; when
``TCP_KEEPCNT`` probes in a row go unanswered the connection is reset and a blocked read fails
with ``ETIMEDOUT`` (Linux ``net/ipv4/tcp_timer.c``, ``tcp_keepalive_timer``; tcp(7)). A peer
whose *process* hangs still has a kernel that acknowledges every probe, so keep-alive never
ends that connection: only a read timeout does. A peer whose *host* is gone (powered off, cut
off by a firewall) answers nothing, and keep-alive notices after idle + interval x count.

The lab runs both cases in a network namespace of its own, on its loopback, and counts the
probes with the namespace's ``TcpExt: TCPKeepAlive`` counter (``/proc/net/netstat``).
"""

from __future__ import annotations

import contextlib
import errno
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from infranotes.lab import NetNS, available, build_go_probe, run

REQUIRES = ("ip", "nft")


@dataclass(frozen=True)
class KeepAliveRun:
    """One connection to a silent peer, with keep-alive on."""

    scenario: str  # "process hung" or "host gone"
    idle_s: int
    interval_s: int
    count: int
    probes_sent: int
    ended_after_s: float | None  # when the blocked read failed; None: still open at the end
    error: str | None  # e.g. "ETIMEDOUT"

    def to_json(self) -> dict[str, object]:
        """A plain mapping for tables and JSON."""
        return {
            "scenario": self.scenario,
            "idle_s": self.idle_s,
            "interval_s": self.interval_s,
            "count": self.count,
            "probes_sent": self.probes_sent,
            "ended_after_s": None if self.ended_after_s is None else round(self.ended_after_s, 1),
            "error": self.error,
        }


def predicted_detection_s(idle_s: float, interval_s: float, count: int) -> float:
    """When keep-alive gives up on a peer that answers nothing: idle + interval x count."""
    return idle_s + interval_s * count


def _keepalive_probes(ns: NetNS) -> int:
    """The namespace's TcpExt TCPKeepAlive counter (probes sent by its sockets)."""
    text = ns.exec(["cat", "/proc/net/netstat"]).stdout
    lines = [line.split() for line in text.splitlines() if line.startswith("TcpExt:")]
    header, values = lines[0], lines[1]
    return int(values[header.index("TCPKeepAlive")])


@contextlib.contextmanager
def _silent_peer(ns: NetNS) -> Iterator[tuple[socket.socket, socket.socket, int]]:
    """A listener in ``ns`` that accepts and then never sends; yields (client, server, port)."""
    with ns.entered():
        listener = socket.create_server(("127.0.0.1", 0))
        client = socket.socket()
    port = listener.getsockname()[1]
    try:
        with ns.entered():
            client.connect(("127.0.0.1", port))
        server, _ = listener.accept()
        try:
            yield client, server, port
        finally:
            server.close()
    finally:
        client.close()
        listener.close()


def measure(
    scenario: str, idle_s: int = 1, interval_s: int = 1, count: int = 3, watch_s: float = 6.0
) -> KeepAliveRun:
    """Block in ``recv`` on a keep-alive connection to a silent peer for up to ``watch_s``."""
    if scenario not in ("process hung", "host gone"):
        raise ValueError(f"scenario: expected 'process hung' or 'host gone', got {scenario!r}")
    available(*REQUIRES, netns=True)
    with NetNS("keepalive") as ns, _silent_peer(ns) as (client, _server, port):
        client.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle_s)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, interval_s)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, count)
        if scenario == "host gone":  # the peer's host answers nothing from now on
            for cmd in (
                ["nft", "add", "table", "inet", "gone"],
                ["nft", "add", "chain", "inet", "gone", "input",
                 "{ type filter hook input priority 0 ; }"],
                ["nft", "add", "rule", "inet", "gone", "input", "tcp", "dport", str(port), "drop"],
            ):  # fmt: skip
                run(["ip", "netns", "exec", ns.name, *cmd], check=True)
        before = _keepalive_probes(ns)
        client.settimeout(watch_s)
        start = time.monotonic()
        ended, error = _blocked_read(client)
        ended = None if ended is None else ended - start
        probes = _keepalive_probes(ns) - before
    return KeepAliveRun(scenario, idle_s, interval_s, count, probes, ended, error)


def _blocked_read(sock: socket.socket) -> tuple[float | None, str | None]:
    """Block in recv: (when it ended, errno name), or (None, None) if our own timeout ran out."""
    try:
        data = sock.recv(1)
    except OSError as exc:  # the kernel's ETIMEDOUT is a TimeoutError too, but with an errno
        if exc.errno is None:
            return None, None
        return time.monotonic(), errno.errorcode.get(exc.errno, str(exc))
    return time.monotonic(), "EOF" if not data else "data"


def go_dialer_socket(period: str) -> dict[str, int]:
    """What Go's ``net.Dialer{KeepAlive: period}`` sets on its socket, read back by a Go probe
    with getsockopt (``net/tcpsockopt_unix.go``, ``setKeepAlivePeriod``; ``net/dial.go``)."""
    exe = build_go_probe("gokeepalive")
    proc = run([str(exe), period], check=True)
    return json.loads(proc.stdout)


def both(idle_s: int = 1, interval_s: int = 1, count: int = 3) -> list[KeepAliveRun]:
    """The two scenarios side by side, run at the same time in two namespaces."""
    results: dict[str, KeepAliveRun] = {}
    errors: list[BaseException] = []

    def one(scenario: str) -> None:
        try:
            results[scenario] = measure(scenario, idle_s, interval_s, count)
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(s,)) for s in ("process hung", "host gone")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return [results["process hung"], results["host gone"]]
