"""Which versions of the real components a chapter's labs ran against.

Every chapter ends with one line, "Measured with glibc 2.36, musl 1.2.3, Linux 6.18, …",
printed by :func:`collect` in the chapter's last cell, so a reader knows which versions the
claims were checked against, and the line cannot drift from the machine that ran them.

Each probe asks the component itself (``getconf GNU_LIBC_VERSION``, the musl dynamic
loader's banner, ``iptables --version``…) or, for Python packages, their installed metadata.
A component that is not on the machine reads "not installed". The parsers are pure
functions of the tool's output, so the tests hold them to recorded outputs.
"""

from __future__ import annotations

import importlib.metadata
import platform
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from infranotes.lab.messages import tr

NOT_INSTALLED = "not installed"

# The musl dynamic loader prints "musl libc (x86_64)\nVersion 1.2.3\n..." on stderr when run
# with no arguments (musl ldso/dynlink.c, __dls3: the "Version %s" banner).
MUSL_LOADERS = ("/lib/ld-musl-x86_64.so.1", "/lib/ld-musl-aarch64.so.1")


def _output(argv: Sequence[str]) -> str | None:
    """stdout and stderr of ``argv``, or None when the program is missing or hangs."""
    if shutil.which(argv[0]) is None and not Path(argv[0]).is_file():
        return None
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout + done.stderr


def _first(pattern: str, text: str | None) -> str | None:
    """The first group of ``pattern`` in ``text``, or None."""
    if text is None:
        return None
    match = re.search(pattern, text, re.MULTILINE)
    return match.group(1) if match else None


def parse_glibc(text: str | None) -> str | None:
    """``getconf GNU_LIBC_VERSION`` prints ``glibc 2.36``."""
    return _first(r"^glibc (\S+)", text)


def parse_musl(text: str | None) -> str | None:
    """The musl loader's banner holds ``Version 1.2.3``."""
    return _first(r"^Version (\S+)", text)


def parse_linux(release: str) -> str:
    """``uname -r`` (``6.1.0-18-amd64``) as major.minor (``6.1``): the kernel series."""
    parts = re.match(r"(\d+)\.(\d+)", release)
    return f"{parts.group(1)}.{parts.group(2)}" if parts else release


def parse_iptables(text: str | None) -> str | None:
    """``iptables --version`` prints ``iptables v1.8.9 (nf_tables)`` → ``1.8.9 (nf_tables)``."""
    found = re.search(r"iptables v(\S+)(?: \((\w+)\))?", text or "")
    if found is None:
        return None
    return f"{found.group(1)} ({found.group(2)})" if found.group(2) else found.group(1)


def parse_v_version(text: str | None) -> str | None:
    """``nftables v1.0.6 (Lester Gooch #5)``, ``conntrack v1.4.7 (…)`` → the number."""
    return _first(r"\bv(\d[\w.]*)", text)


def parse_ceph(text: str | None) -> str | None:
    """``ceph version 16.2.15 (618f…) pacific (stable)`` → ``16.2.15 pacific``."""
    found = re.search(r"ceph version (\S+) \(\w+\) (\w+)", text or "")
    return f"{found.group(1)} {found.group(2)}" if found else None


def parse_go(text: str | None) -> str | None:
    """``go version go1.19.8 linux/amd64`` → ``1.19.8``."""
    return _first(r"go version go(\S+)", text)


def parse_mariadb(text: str | None) -> str | None:
    """``mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for …`` → ``10.11.19``."""
    return _first(r"Ver (\d+\.\d+\.\d+)-MariaDB", text)


def parse_postgres(text: str | None) -> str | None:
    """``postgres (PostgreSQL) 15.18 (Debian …)`` → ``15.18``."""
    return _first(r"\(PostgreSQL\) (\S+)", text)


def parse_nsd(text: str | None) -> str | None:
    """``nsd -v`` prints ``NSD version 4.6.1`` first."""
    return _first(r"NSD version (\S+)", text)


def parse_openssl(text: str | None) -> str | None:
    """``OpenSSL 3.0.19 27 Jan 2026 (…)`` → ``3.0.19``."""
    return _first(r"^OpenSSL (\S+)", text)


def parse_chrony(text: str | None) -> str | None:
    """``chronyd (chrony) version 4.3 (+CMDMON …)`` → ``4.3``."""
    return _first(r"chrony\) version (\S+)", text)


def parse_dpkg_version(text: str | None) -> str | None:
    """A Debian version (``1.1.1+ds1-3+b5``, ``2025b-0+deb12u2``) as its upstream part."""
    if not text or not text.strip():
        return None
    version = text.strip().split(":", 1)[-1]
    if not version[:1].isdigit():
        return None
    upstream = version.rsplit("-", 1)[0] if "-" in version else version
    return re.split(r"[+~]", upstream, maxsplit=1)[0]


def _dpkg(package: str) -> str | None:
    out = _output(["dpkg-query", "-W", "-f", "${Status}|${Version}", package])
    if out is None or "|" not in out or "installed" not in out.split("|", 1)[0].split():
        return None
    return parse_dpkg_version(out.split("|", 1)[1])


def _musl() -> str | None:
    for loader in MUSL_LOADERS:
        if Path(loader).is_file():
            return parse_musl(_output([loader]))
    return None


def _postgres() -> str | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), reverse=True)
    argv0 = str(candidates[0]) if candidates else "postgres"
    return parse_postgres(_output([argv0, "--version"]))


def _python_package(name: str) -> Callable[[], str | None]:
    def probe() -> str | None:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    return probe


# name shown to the reader → how to ask the component. Order is the order of the line.
PROBES: dict[str, Callable[[], str | None]] = {
    "glibc": lambda: parse_glibc(_output(["getconf", "GNU_LIBC_VERSION"])),
    "musl": _musl,
    "Linux": lambda: parse_linux(platform.release()),
    "iptables": lambda: parse_iptables(_output(["iptables", "--version"])),
    "nftables": lambda: parse_v_version(_output(["nft", "--version"])),
    "conntrack-tools": lambda: parse_v_version(_output(["conntrack", "--version"])),
    "CNI plugins": lambda: _dpkg("containernetworking-plugins"),
    "Go": lambda: parse_go(_output(["go", "version"])),
    "robfig/cron": lambda: _dpkg("golang-github-robfig-cron-dev"),
    "tzdata": lambda: _dpkg("tzdata"),
    "chrony": lambda: parse_chrony(_output(["chronyd", "--version"])),
    "Ceph": lambda: parse_ceph(_output(["ceph", "--version"])),
    "NSD": lambda: parse_nsd(_output(["nsd", "-v"])),
    "OpenSSL": lambda: parse_openssl(_output(["openssl", "version"])),
    "MariaDB": lambda: parse_mariadb(_output(["mariadbd", "--version"])),
    "PostgreSQL": _postgres,
    "SQLite": lambda: sqlite3.sqlite_version,
    "Python": platform.python_version,
    "dnspython": _python_package("dnspython"),
    "httpx": _python_package("httpx"),
    "uvicorn": _python_package("uvicorn"),
    "alembic": _python_package("alembic"),
    "SQLAlchemy": _python_package("SQLAlchemy"),
    "hdrhistogram": _python_package("hdrhistogram"),
}


@dataclass(frozen=True)
class Versions:
    """The version of each component asked for, ``None`` where it is not installed."""

    found: tuple[tuple[str, str | None], ...]

    def get(self, tool: str) -> str | None:
        """The version of ``tool`` (``None``: not installed); KeyError if it was not asked."""
        return dict(self.found)[tool]

    def line(self, tools: Iterable[str] | None = None, *, lang: str = "en") -> str:
        """``Measured with glibc 2.36, musl 1.2.3, Linux 6.18.`` for ``tools`` (default: all)."""
        wanted = list(tools) if tools is not None else [name for name, _ in self.found]
        versions = dict(self.found)
        missing = NOT_INSTALLED if lang == "en" else tr(lang, "not installed")
        parts = [f"{t} {versions[t] if versions[t] is not None else missing}" for t in wanted]
        if lang == "zh":
            return tr(lang, "Measured with {tools}.", tools="、".join(parts))
        return tr(lang, "Measured with {tools}.", tools=", ".join(parts))


def collect(tools: Iterable[str]) -> Versions:
    """Ask each of ``tools`` (names of :data:`PROBES`) for its version, in the order given."""
    names = list(tools)
    unknown = [t for t in names if t not in PROBES]
    if unknown:
        raise KeyError(f"no version probe for {', '.join(unknown)}; known: {', '.join(PROBES)}")
    return Versions(tuple((t, PROBES[t]()) for t in names))


def measured_with(*tools: str, lang: str = "en") -> str:
    """The chapter footer for ``tools``: one line, as :meth:`Versions.line` prints it."""
    return collect(tools).line(lang=lang)
