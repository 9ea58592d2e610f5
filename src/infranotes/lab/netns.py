"""A named network namespace with its own /etc files, created and removed by a context manager.

``ip netns exec NAME`` runs a command in the namespace inside a fresh mount namespace where
every file of ``/etc/netns/NAME/`` is bind-mounted over its ``/etc`` twin (iproute2,
``ip/ipnetns.c``), which is how a Pod gets its own resolv.conf here. ``entered()`` moves the
calling thread into the namespace, so sockets created there belong to it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ipaddress
import itertools
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from infranotes.errors import LabUnavailable
from infranotes.lab.checks import available
from infranotes.lab.process import run

CLONE_NEWNET = 0x40000000
_counter = itertools.count()
_libc = ctypes.CDLL(None, use_errno=True)


def _setns(fd: int) -> None:
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise LabUnavailable(f"setns failed: {os.strerror(err)}")


class NetNS:
    """A network namespace named ``<prefix>-<pid>-<n>`` with ``lo`` up.

    ``files`` maps names under /etc (``resolv.conf``, ``hosts``, ``nsswitch.conf``) to their
    text for processes started with :meth:`exec`; ``addresses`` are added to ``lo``.
    """

    def __init__(
        self,
        prefix: str = "infranotes",
        *,
        files: Mapping[str, str] | None = None,
        addresses: Sequence[str] = (),
    ) -> None:
        self.name = f"{prefix}-{os.getpid()}-{next(_counter)}"
        self.files = dict(files or {})
        self.addresses = list(addresses)
        self.etc = Path("/etc/netns") / self.name
        self._created = False

    def __enter__(self) -> NetNS:
        available("ip", netns=True)
        run(["ip", "netns", "add", self.name], check=True)
        self._created = True
        try:
            run(["ip", "-n", self.name, "link", "set", "lo", "up"], check=True)
            for addr in self.addresses:
                ip = ipaddress.ip_address(addr)
                if ip.is_loopback and ip.version == 4 and addr.startswith("127."):
                    continue  # 127.0.0.0/8 is already on lo
                plen = 32 if ip.version == 4 else 128
                extra = ["nodad"] if ip.version == 6 else []
                run(
                    ["ip", "-n", self.name, "addr", "add", f"{addr}/{plen}", "dev", "lo", *extra],
                    check=True,
                )
            if self.files:
                self.etc.mkdir(parents=True, exist_ok=True)
                for name, text in self.files.items():
                    (self.etc / name).write_text(text)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._created:
            subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
            self._created = False
        shutil.rmtree(self.etc, ignore_errors=True)

    def exec(self, cmd: Sequence[str], *, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        """Run ``cmd`` inside the namespace, with this namespace's /etc files mounted."""
        return run(["ip", "netns", "exec", self.name, *cmd], timeout=timeout)

    def entered(self) -> contextlib.AbstractContextManager[None]:
        """Run the ``with`` body with the calling thread inside the namespace."""
        return NetNS.entered_by_name(self.name)

    @staticmethod
    @contextlib.contextmanager
    def entered_by_name(name: str) -> Iterator[None]:
        """Like :meth:`entered`, for any named namespace (``ip netns add NAME``)."""
        home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        target = os.open(f"/run/netns/{name}", os.O_RDONLY)
        try:
            _setns(target)
            try:
                yield
            finally:
                _setns(home)
        finally:
            os.close(target)
            os.close(home)


def veth(a: NetNS, dev_a: str, b: NetNS, dev_b: str) -> None:
    """A veth pair with one end in each namespace, both ends up (removed with the namespaces)."""
    run(
        [
            "ip",
            "link",
            "add",
            dev_a,
            "netns",
            a.name,
            "type",
            "veth",
            "peer",
            "name",
            dev_b,
            "netns",
            b.name,
        ],
        check=True,
    )
    run(["ip", "-n", a.name, "link", "set", dev_a, "up"], check=True)
    run(["ip", "-n", b.name, "link", "set", dev_b, "up"], check=True)
