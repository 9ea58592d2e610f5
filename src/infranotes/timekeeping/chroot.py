"""Small root filesystems holding chosen zone files, and the real C libraries asked in them.

A :class:`Root` names the files a container image would have (copies of host zone files,
symlinks, or bytes made on purpose: a cut footer, a v1-only file, a 44-byte header). The
same directory serves the doctor (:func:`~infranotes.timekeeping.resolve.diagnose`) and the
libraries: :func:`ask_libcs` copies statically linked glibc and musl builds of ``tzprobe.c``
into the root and runs them under ``chroot`` with the given environment, so each library
reads exactly those files and nothing from the host. Static glibc needs no loader in the
root; ``tzset``/``localtime`` use no NSS.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from infranotes.errors import LabUnavailable
from infranotes.lab import build_probe

HOST_ZONEINFO = Path("/usr/share/zoneinfo")
ZI = "/usr/share/zoneinfo"
PROBES = {"glibc": "glibc-static", "musl": "musl"}


@dataclass(frozen=True)
class Root:
    """Files of a root: path → ``"copy:ZONE"``, ``"link:TARGET"`` or bytes."""

    name: str
    files: dict[str, str | bytes] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)  # TZ absent = unset


def build(root: Root, base: Path) -> Path:
    """Make the directory for ``root`` under ``base``; returns its path."""
    top = base / root.name
    for path, spec in root.files.items():
        dest = top / path.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.is_symlink() or dest.exists():
            dest.unlink()  # building twice gives the same root
        if isinstance(spec, bytes):
            dest.write_bytes(spec)
        elif spec.startswith("copy:"):
            shutil.copyfile(HOST_ZONEINFO / spec[5:], dest)
        elif spec.startswith("link:"):
            dest.symlink_to(spec[5:])
        else:
            raise ValueError(f"{root.name}: bad file spec {spec!r} for {path}")
    top.mkdir(parents=True, exist_ok=True)
    return top


def ask_libcs(top: Path, env: dict[str, str], epochs: tuple[int, ...]) -> dict[str, list]:
    """(tm_zone, tm_gmtoff, tm_isdst) per epoch from each libc, run chrooted in ``top``."""
    if os.geteuid() != 0:
        raise LabUnavailable("chroot needs root")
    chroot = shutil.which("chroot")
    if chroot is None:
        raise LabUnavailable("chroot not found (coreutils)")
    out: dict[str, list] = {}
    for libc, flavour in PROBES.items():
        exe = build_probe("tzprobe", flavour)
        inside = top / f".tzprobe-{libc}"
        if not inside.exists():
            shutil.copyfile(exe, inside)
            inside.chmod(0o755)
        proc = subprocess.run(
            [chroot, str(top), f"/{inside.name}", *map(str, epochs)],
            env=dict(env),
            capture_output=True,
            timeout=20,
        )
        if proc.returncode != 0:
            out[libc] = [("<crash>", proc.returncode, False)] * len(epochs)
            continue
        at = json.loads(proc.stdout.decode("latin-1"))["at"]  # tm_zone bytes, one char each
        out[libc] = [(a["zone"], a["gmtoff"], bool(a["isdst"])) for a in at]
    return out


def as_printed(abbr: str) -> str:
    """A zone name as ``tzprobe`` prints it: it drops control characters, ``"`` and ``\\``."""
    return "".join(c for c in abbr if c >= " " and c not in '"\\')


# --------------------------------------------------------------------------- damage
def tzif_parts(data: bytes) -> tuple[int, int]:
    """(end of the v1 block, end of the v2+ data block, i.e. where the footer starts)."""
    counts = struct.unpack_from(">6l", data, 20)
    isut, isstd, leap, time, typ, char = counts
    v1 = 44 + time * 5 + typ * 6 + char + leap * 8 + isstd + isut
    if data[4] == 0:
        return v1, v1
    isut, isstd, leap, time, typ, char = struct.unpack_from(">6l", data, v1 + 20)
    return v1, v1 + 44 + time * 9 + typ * 6 + char + leap * 12 + isstd + isut


def zone_bytes(zone: str) -> bytes:
    """The host's file for ``zone``."""
    return (HOST_ZONEINFO / zone).read_bytes()


def v1_only(zone: str) -> bytes:
    """A valid version-1 file: the host file's first block with a NUL version byte."""
    data = zone_bytes(zone)
    v1, _ = tzif_parts(data)
    out = bytearray(data[:v1])
    out[4] = 0
    return bytes(out)


def with_version(zone: str, version: bytes) -> bytes:
    """The host file with both headers' version bytes set to ``version``."""
    data = bytearray(zone_bytes(zone))
    v1, _ = tzif_parts(bytes(data))
    data[4] = data[v1 + 4] = version[0]
    return bytes(data)


def with_footer(zone: str, footer: bytes) -> bytes:
    """The host file with everything after the 64-bit data replaced by ``footer``."""
    data = zone_bytes(zone)
    _, end = tzif_parts(data)
    return data[:end] + footer


def cut(zone: str, n: int) -> bytes:
    """The host file without its last ``n`` bytes."""
    return zone_bytes(zone)[:-n]
