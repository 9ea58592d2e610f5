"""A chaos experiment on loopback: injected faults find an error-handling bug.

DDIA ch. 1 ("Hardware Faults", "Software Errors") argues that many critical bugs sit in
error handling, and that deliberately triggering faults (as Netflix's Chaos Monkey does)
exercises the paths that otherwise run only during an incident. Here a small order service
calls a dependency through a pool of four connections. The buggy version forgets to return
its connection when the call fails; nothing shows it until a fault is injected, and then a
few dependency errors take the whole service down. The fixed version returns the connection
in ``finally``. Both run as real HTTP servers on 127.0.0.1 (ports chosen by the kernel).
"""

from __future__ import annotations

import contextlib
import http.client
import random
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

POOL_SIZE = 4
DEPENDENCY_TIMEOUT_S = 0.5
POOL_WAIT_S = 0.05  # how long a request waits for a free connection before answering 503


@dataclass(frozen=True)
class ChaosRun:
    """The statuses clients saw from one service under one fault rate."""

    service: str  # "buggy" or "fixed"
    fault_rate: float
    requests: int
    faults_injected: int
    statuses: tuple[tuple[int, int], ...]  # (HTTP status, count), sorted

    @property
    def failed(self) -> int:
        """Requests that did not get a 200."""
        return sum(n for status, n in self.statuses if status != 200)

    def to_json(self) -> dict[str, object]:
        """A plain mapping for tables and JSON."""
        return {
            "service": self.service,
            "fault_rate": self.fault_rate,
            "requests": self.requests,
            "faults_injected": self.faults_injected,
            "statuses": {str(s): n for s, n in self.statuses},
            "failed": self.failed,
        }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True


def _quiet(handler: type[BaseHTTPRequestHandler]) -> type[BaseHTTPRequestHandler]:
    handler.log_message = lambda *_args, **_kw: None  # type: ignore[method-assign]
    return handler


@contextlib.contextmanager
def _serving(server: _Server) -> Iterator[int]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@contextlib.contextmanager
def dependency(fault_rate: float, seed: int) -> Iterator[tuple[int, list[int]]]:
    """A dependency that answers 500 on a seeded ``fault_rate`` share of its calls.

    Yields its port and the list of call numbers it failed (filled as calls arrive)."""
    rng, lock, failed = random.Random(seed), threading.Lock(), []
    calls = [0]

    @_quiet
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                calls[0] += 1
                fail = rng.random() < fault_rate
                if fail:
                    failed.append(calls[0])
            body = b"injected fault\n" if fail else b'{"price": 42}\n'
            self.send_response(500 if fail else 200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with _serving(_Server(("127.0.0.1", 0), Handler)) as port:
        yield port, failed


@contextlib.contextmanager
def order_service(dependency_port: int, fixed: bool) -> Iterator[int]:
    """The order service: a pool of ``POOL_SIZE`` connections to the dependency."""
    pool = threading.BoundedSemaphore(POOL_SIZE)

    def call_dependency() -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", dependency_port, DEPENDENCY_TIMEOUT_S)
        try:
            conn.request("GET", "/price")
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                raise RuntimeError(f"dependency answered {resp.status}")
            return body
        finally:
            conn.close()

    @_quiet
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if not pool.acquire(timeout=POOL_WAIT_S):
                return self._answer(503, b"no connection to the dependency available\n")
            if fixed:
                try:
                    body = call_dependency()
                except (OSError, RuntimeError):
                    return self._answer(502, b"dependency failed\n")
                finally:
                    pool.release()
                return self._answer(200, body)
            # The bug: the release is on the success path only, so a failed call leaks it.
            try:
                body = call_dependency()
                pool.release()
            except (OSError, RuntimeError):
                return self._answer(502, b"dependency failed\n")
            return self._answer(200, body)

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with _serving(_Server(("127.0.0.1", 0), Handler)) as port:
        yield port


def run(fixed: bool, fault_rate: float, requests: int = 100, seed: int = 4) -> ChaosRun:
    """Send ``requests`` requests one after another and count the statuses."""
    statuses: Counter[int] = Counter()
    with (
        dependency(fault_rate, seed) as (dep_port, failed),
        order_service(dep_port, fixed) as port,
    ):
        for _ in range(requests):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                conn.request("GET", "/order")
                resp = conn.getresponse()
                resp.read()
                statuses[resp.status] += 1
            finally:
                conn.close()
        injected = len(failed)
    return ChaosRun(
        "fixed" if fixed else "buggy",
        fault_rate,
        requests,
        injected,
        tuple(sorted(statuses.items())),
    )


def experiment(fault_rate: float = 0.05, requests: int = 200) -> list[ChaosRun]:
    """Both services, without faults and with ``fault_rate`` of the dependency's calls failing."""
    return [run(fixed, rate, requests) for fixed in (False, True) for rate in (0.0, fault_rate)]
