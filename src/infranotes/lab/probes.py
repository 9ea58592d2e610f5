"""Small C probes compiled on first use (gcc for glibc, musl-gcc -static for musl)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from infranotes.errors import LabUnavailable

COMPILERS = {"glibc": ("gcc", []), "musl": ("musl-gcc", ["-static"])}


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or tempfile.gettempdir()
    return Path(base) / "infranotes-probes"


def build_gai(libc: str) -> Path:
    """Path to the ``gai`` probe (one getaddrinfo() call) linked against ``libc``."""
    return build_probe("gai", libc)


def build_probe(name: str, libc: str) -> Path:
    """Path to the probe ``<name>.c`` of this package linked against ``libc``, compiled once."""
    if libc not in COMPILERS:
        raise LabUnavailable(f"no probe for libc {libc!r}")
    cc, flags = COMPILERS[libc]
    source = resources.files("infranotes.lab").joinpath(f"{name}.c").read_bytes()
    digest = hashlib.sha256(source + cc.encode()).hexdigest()[:12]
    exe = _cache_dir() / f"{name}-{libc}-{digest}"
    if exe.exists():
        return exe
    if shutil.which(cc) is None:
        pkg = "musl-tools" if libc == "musl" else "gcc"
        raise LabUnavailable(f"{cc} not found (Debian package {pkg})")
    exe.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{name}.c"
        src.write_bytes(source)
        out = Path(tmp) / name
        proc = subprocess.run(
            [cc, "-O1", "-o", str(out), str(src), *flags], capture_output=True, text=True
        )
        if proc.returncode != 0:
            raise LabUnavailable(f"{cc} failed: {proc.stderr.strip()[:300]}")
        tmp_exe = exe.with_suffix(f".tmp{os.getpid()}")
        shutil.copy2(out, tmp_exe)
        os.replace(tmp_exe, exe)  # atomic: parallel test workers never see half a binary
    return exe
