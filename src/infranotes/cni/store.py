"""host-local's on-disk store, file for file compatible with the reference plugin.

Layout (``plugins/ipam/host-local/backend/disk/backend.go``): ``<dataDir>/<network>/`` holds one
file per reserved address, named by the address and containing ``<containerID>\\r\\n<ifname>``
(older versions wrote the ID alone, which is still matched); ``last_reserved_ip.<N>`` with the
last address reserved from range set N; and ``lock``, which every change holds with
``flock(LOCK_EX)`` — the same lock the reference takes, so both plugins can share a store. The
kernel drops a flock when its holder dies, even by SIGKILL, so no lock is ever stale.

Unlike the reference, a reservation is written to a temporary file first and linked into place
(``link(2)`` fails if the name exists), so a crash never leaves an empty or half-written
reservation; ``last_reserved_ip.N`` is replaced atomically with ``rename(2)``.
"""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import os
from collections.abc import Iterator
from pathlib import Path

from infranotes.cni.types import IP

LAST_RESERVED = "last_reserved_ip."
LINE_BREAK = "\r\n"
_TMP = ".tmp-"


def ip_key(ip: IP) -> tuple[int, int]:
    """A sort key for mixed IPv4 and IPv6 addresses (they do not compare with each other)."""
    return ip.version, int(ip)


class DiskStore:
    """The reservations of one network under ``data_dir``."""

    def __init__(self, data_dir: str | Path, network: str) -> None:
        self.dir = Path(data_dir) / network
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o755)
        self.lock_path = self.dir / "lock"
        fd = os.open(self.lock_path, os.O_RDONLY | os.O_CREAT, 0o750)
        os.close(fd)

    @contextlib.contextmanager
    def locked(self) -> Iterator[DiskStore]:
        """Hold the store's flock for the duration of the block."""
        fd = os.open(self.lock_path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._remove_stale_temps()
            yield self
        finally:
            os.close(fd)  # closing the descriptor releases the flock

    def _remove_stale_temps(self) -> None:
        for p in self.dir.glob(_TMP + "*"):  # left by a process killed between write and link
            with contextlib.suppress(OSError):
                p.unlink()

    def _write_atomic(self, final: Path, data: str, exclusive: bool) -> bool:
        tmp = self.dir / f"{_TMP}{os.getpid()}-{final.name}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            if exclusive:
                try:
                    os.link(tmp, final)
                except FileExistsError:
                    return False
            else:
                os.replace(tmp, final)
                return True
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return True

    def reserve(self, cid: str, ifname: str, ip: IP, range_id: int) -> bool:
        """Reserve ``ip`` for the container; False if it is taken. Call under :meth:`locked`."""
        if not self._write_atomic(self.dir / str(ip), cid.strip() + LINE_BREAK + ifname, True):
            return False
        self._write_atomic(self.dir / f"{LAST_RESERVED}{range_id}", str(ip), False)
        return True

    def last_reserved(self, range_id: int) -> IP | None:
        try:
            return ipaddress.ip_address(
                (self.dir / f"{LAST_RESERVED}{range_id}").read_bytes().decode()
            )
        except (OSError, ValueError):
            return None

    def reservations(self) -> dict[IP, tuple[str, str]]:
        """Every reserved address with its (container ID, ifname); ifname "" for old files."""
        out: dict[IP, tuple[str, str]] = {}
        for p in self.dir.iterdir():
            try:
                ip = ipaddress.ip_address(p.name)
                text = p.read_bytes().decode().strip()  # bytes: keep the \r\n separator
            except (ValueError, OSError):
                continue
            cid, _, ifname = text.partition(LINE_BREAK)
            out[ip] = (cid, ifname)
        return out

    def _matches(self, owner: tuple[str, str], cid: str, ifname: str) -> bool:
        return owner == (cid.strip(), ifname) or owner == (cid.strip(), "")

    def get_by_id(self, cid: str, ifname: str) -> list[IP]:
        """The container's addresses; IPv4 before IPv6 (plain sorted() cannot compare them)."""
        mine = (ip for ip, o in self.reservations().items() if self._matches(o, cid, ifname))
        return sorted(mine, key=ip_key)

    def release_by_id(self, cid: str, ifname: str) -> list[IP]:
        """Release the container's addresses (``ReleaseByID``: the new format first, else the
        old ID-only files). Returns what was released."""
        res = self.reservations()
        exact = [ip for ip, o in res.items() if o == (cid.strip(), ifname)]
        gone = exact or [ip for ip, o in res.items() if o == (cid.strip(), "")]
        for ip in gone:
            with contextlib.suppress(FileNotFoundError):
                (self.dir / str(ip)).unlink()
        return sorted(gone, key=ip_key)

    def release(self, ip: IP) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.dir / str(ip)).unlink()

    def listing(self) -> list[tuple[str, str, str]]:
        """(name, octal mode, content) of every file, sorted: what the notebook shows."""
        rows = []
        for p in sorted(self.dir.iterdir()):
            content = p.read_bytes().decode() if p.is_file() else ""
            rows.append((p.name, oct(p.stat().st_mode & 0o777)[2:].zfill(4), content))
        return rows
