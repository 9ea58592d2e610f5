"""A peer left running stays bounded: connections reaped, heads capped, EMFILE survived.

Each peer runs in a child process under ``RLIMIT_NOFILE`` 256 (or less), and the test
counts that process's threads and descriptors in /proc from outside.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import pytest

CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_NOFILE, ({nofile}, {nofile}))
from infranotes.httptimeouts.peers import Peer
with Peer(sys.argv[1], header_interval=0.001) as peer:
    print(json.dumps({{"port": peer.port}}), flush=True)
    for _ in sys.stdin:  # each line asks for the events so far
        print(json.dumps(peer.events_since(0)[0]), flush=True)
"""
REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


@dataclass
class Child:
    proc: subprocess.Popen[str]
    port: int

    def tasks(self) -> int:
        return len(os.listdir(f"/proc/{self.proc.pid}/task"))

    def fds(self) -> int:
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def events(self) -> list[dict[str, object]]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def settle(self, tasks: int, fds: int, within: float = 5.0) -> tuple[int, int]:
        """Wait until threads and fds are back to at most ``tasks``/``fds``; the last count."""
        deadline = time.monotonic() + within
        while True:
            now = self.tasks(), self.fds()
            if (now[0] <= tasks and now[1] <= fds) or time.monotonic() > deadline:
                return now
            time.sleep(0.05)


@contextmanager
def child(mode: str, nofile: int = 256) -> Iterator[Child]:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(nofile=nofile), mode],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        yield Child(proc, json.loads(proc.stdout.readline())["port"])
    finally:  # end of stdin ends the child's loop: its Peer cleans up (a TLS peer's cert dir)
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _one(port: int, mode: str) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        if mode == "tls-stall":
            s.sendall(b"\x16\x03\x01\x00\x05hello")  # a broken ClientHello
        elif mode != "no-read":
            s.sendall(REQUEST)
        if mode == "ok":
            assert s.recv(4096).startswith(b"HTTP/1.1 200 OK")


@pytest.mark.parametrize(
    "mode",
    ["ok", "no-response", "stall-body", "no-read", "slow-headers", "ignore-expect", "tls-stall"],
)
def test_thousand_connections_leave_nothing_behind(mode: str) -> None:
    with child(mode) as c:
        base = c.settle(0, 0, within=0.5)  # idle: the main thread and the accept loop
        for _ in range(1000):
            _one(c.port, mode)
        _one(c.port, mode)  # and it still serves
        if mode not in ("no-read", "tls-stall"):  # the ones that read a request
            deadline = time.monotonic() + 10
            while sum(e["event"] == "request" for e in c.events()) < 1001:
                assert time.monotonic() < deadline, f"{mode}: not every request was read"
                time.sleep(0.05)
        tasks, fds = c.settle(*base)
        assert (tasks, fds) == base, f"{mode}: threads {base[0]}→{tasks}, fds {base[1]}→{fds}"
        print(f"{mode}: after 1,001 connections {tasks} threads, {fds} fds (idle: {base})")


def test_out_of_descriptors_it_backs_off_and_serves_again() -> None:
    """With 64 descriptors and 100 idle clients, accept fails (EMFILE); once they go,
    requests are answered again."""
    with child("ok", nofile=64) as c:
        idle = []
        for _ in range(100):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", c.port))
            idle.append(s)
        deadline = time.monotonic() + 5
        while not any(e["event"] == "accept_failed" for e in c.events()):
            assert time.monotonic() < deadline, "the peer never ran out of descriptors"
            time.sleep(0.05)
        assert {"event": "accept_failed", "error": "EMFILE"} in c.events()
        for s in idle:
            s.close()
        for _ in range(20):
            _one(c.port, "ok")
        assert c.proc.poll() is None


def test_endless_header_line_is_cut_at_the_limit() -> None:
    with child("no-response") as c, socket.create_connection(("127.0.0.1", c.port), timeout=5) as s:
        s.sendall(b"GET / HTTP/1.1\r\nX-Long: ")
        with suppress(OSError):  # the peer may stop reading before all of it is sent
            for _ in range(200):  # 200 x 1 KiB > 64 KiB
                s.sendall(b"a" * 1024)
        reply = s.recv(4096)
        assert reply.startswith(b"HTTP/1.1 431 ")
        assert [e["event"] for e in c.events()] == ["header_too_large"]


def test_bad_content_length_is_a_400_not_a_dead_thread() -> None:
    with (
        child("ignore-expect") as c,
        socket.create_connection(("127.0.0.1", c.port), timeout=5) as s,
    ):
        s.sendall(b"POST / HTTP/1.1\r\nContent-Length: lots\r\n\r\n")
        assert s.recv(4096).startswith(b"HTTP/1.1 400 ")
        assert c.events()[-1] == {
            "event": "bad_request",
            "reason": "Content-Length is not a number",
        }


def test_events_are_a_numbered_ring() -> None:
    from infranotes.httptimeouts.peers import Peer

    with Peer("ok", event_limit=3) as peer:
        for _ in range(5):
            _one(peer.port, "ok")
        deadline = time.monotonic() + 5
        while peer.events_since(0)[1] < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        events, nxt = peer.events_since(0)
        assert nxt == 5 and len(events) == 3 and len(peer.events) == 3
        assert peer.events_since(4) == (events[-1:], 5)
        assert peer.events_since(5) == ([], 5)
        json.dumps(events)  # JSON lines as they are
