"""Small probes compiled on first use: C (gcc for glibc, musl-gcc -static for musl) and Go
(Debian's golang-go against a library Debian packages under /usr/share/gocode, offline)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from infranotes.errors import LabUnavailable

COMPILERS = {
    "glibc": ("gcc", []),
    "musl": ("musl-gcc", ["-static"]),
    # for chroot roots that hold no shared libraries (the zone doctor's oracle)
    "glibc-static": ("gcc", ["-static"]),
}


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


GOCODE = Path("/usr/share/gocode/src")


def build_go_probe(
    name: str, module: str | None = None, debian_path: str = "", debian_pkg: str = ""
) -> Path:
    """Path to the Go probe ``<name>.go`` of this package, built once (against ``module``).

    The module is taken from Debian's source package (``/usr/share/gocode/src/<debian_path>``)
    through a ``replace`` directive, with ``GOPROXY=off``: nothing is downloaded. A probe that
    needs only the standard library passes no module.
    """
    src_dir = GOCODE / debian_path
    if shutil.which("go") is None:
        raise LabUnavailable("go not found (Debian package golang-go)")
    if module is not None and not (src_dir / "go.mod").exists():
        raise LabUnavailable(f"{module} not found in {src_dir} (Debian package {debian_pkg})")
    source = resources.files("infranotes.lab").joinpath(f"{name}.go").read_bytes()
    gomod = (src_dir / "go.mod").read_bytes() if module is not None else b""
    version_out = subprocess.run(["go", "version"], capture_output=True).stdout
    digest = hashlib.sha256(source + gomod + version_out).hexdigest()[:12]
    exe = _cache_dir() / f"{name}-go-{digest}"
    if exe.exists():
        return exe
    exe.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "main.go").write_bytes(source)
        gomod_text = f"module {name}\n\ngo 1.19\n"
        if module is not None:
            major = re.search(r"/v(\d+)$", module)  # a /vN module must be required as vN.x.y
            version = f"v{major.group(1)}.0.0" if major else "v0.0.0"
            gomod_text += f"\nrequire {module} {version}\n\nreplace {module} => {src_dir}\n"
        (work / "go.mod").write_text(gomod_text)
        env = {
            **os.environ,
            "GOPROXY": "off",
            "GOFLAGS": "-mod=mod",
            "GOCACHE": str(work / "cache"),
            "GOPATH": str(work / "gopath"),
            "CGO_ENABLED": "0",
        }
        proc = subprocess.run(
            ["go", "build", "-o", str(work / name), "."],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise LabUnavailable(f"go build failed: {proc.stderr.strip()[:300]}")
        tmp_exe = exe.with_suffix(f".tmp{os.getpid()}")
        shutil.copy2(work / name, tmp_exe)
        os.replace(tmp_exe, exe)  # atomic: parallel test workers never see half a binary
    return exe
