"""Finding a tool and a free port: once, for every lab.

Debian installs server binaries (``nsd``, ``mariadbd``, ``ip`` on older releases) in
``/usr/sbin``, which is not on an ordinary user's PATH; a lab that can run without root must
still find them, so :func:`which` looks there after PATH, and :func:`infranotes.lab.run`
runs what it finds.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from pathlib import Path

from infranotes.errors import LabUnavailable

SBIN_DIRS = ("/usr/local/sbin", "/usr/sbin", "/sbin")


def which(tool: str) -> str | None:
    """The path of ``tool``: on PATH, else in the sbin directories; an absolute or relative
    path is checked as it is. None when there is no such executable."""
    if os.sep in tool:
        return tool if os.path.isfile(tool) and os.access(tool, os.X_OK) else None
    return shutil.which(tool) or shutil.which(tool, path=os.pathsep.join(SBIN_DIRS))


def require_tool(tool: str, package: str | None = None) -> str:
    """The path of ``tool``, or LabUnavailable naming the Debian package that has it."""
    found = which(tool)
    if found is None:
        hint = f" (Debian package {package})" if package else ""
        raise LabUnavailable(f"{tool} not found{hint}")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port the kernel says is free on ``host`` now. Another process may take it
    before the caller binds it: callers retry (see :func:`infranotes.lab.start`)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


_scratch: list[str] = []


def _remove_scratch() -> None:
    while _scratch:
        shutil.rmtree(_scratch.pop(), ignore_errors=True)


def scratch_dir(prefix: str = "tmp") -> Path:
    """A fresh temporary directory that is removed when the Python process exits.

    For notebooks (whose later cells still read what an earlier cell wrote, so a ``with``
    block cannot hold it) and for scenes that return a path: the kernel's exit removes it,
    and nothing piles up in /tmp run after run. The default prefix matches the
    ``/tmp/tmp…`` pattern nbval sanitises, so stored outputs stay comparable."""
    if not _scratch:
        atexit.register(_remove_scratch)
    path = tempfile.mkdtemp(prefix=prefix)
    _scratch.append(path)
    return Path(path)
