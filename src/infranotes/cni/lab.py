"""Running CNI plugins for real: ours and the reference (Debian's containernetworking-plugins).

:func:`exec_plugin` runs one plugin binary with the exec protocol's environment, the way a
runtime does; :func:`store_files` reads a host-local store back. The oracle tests and the
notebook put our plugins and the reference side by side with these.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path("/usr/lib/cni")


def our_plugin(name: str) -> Path:
    """Path to ``infranotes-<name>``, next to this Python's executable or on PATH."""
    exe = Path(sys.executable).parent / f"infranotes-{name}"
    if exe.exists():
        return exe
    found = shutil.which(f"infranotes-{name}")
    if found is None:
        raise FileNotFoundError(f"infranotes-{name} is not installed")
    return Path(found)


@dataclass(frozen=True)
class Run:
    """One plugin execution: exit status, stdout (parsed when JSON), stderr."""

    rc: int
    raw: str
    stderr: str

    @property
    def doc(self) -> Any:
        try:
            return json.loads(self.raw) if self.raw.strip() else None
        except json.JSONDecodeError:
            return None


def exec_plugin(
    plugin: Path,
    command: str,
    conf: dict[str, Any] | str,
    cid: str = "ctr1",
    ifname: str = "eth0",
    netns: str = "/var/run/netns/none",
    args: str = "",
    cni_path: str | None = None,
    wrap: tuple[str, ...] = (),
) -> Run:
    """Run ``plugin`` once as a runtime would; ``wrap`` prefixes the command (``ip netns exec``)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
        "CNI_COMMAND": command,
        "CNI_CONTAINERID": cid,
        "CNI_NETNS": netns,
        "CNI_IFNAME": ifname,
        "CNI_ARGS": args,
        "CNI_PATH": cni_path or str(plugin.parent),
    }
    env = {k: v for k, v in env.items() if v or k == "CNI_ARGS"}
    data = conf if isinstance(conf, str) else json.dumps(conf)
    proc = subprocess.run(
        [*wrap, str(plugin)], input=data.encode(), env=env, capture_output=True, timeout=60
    )
    return Run(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def store_files(data_dir: Path, network: str) -> dict[str, tuple[str, str]]:
    """name -> (octal mode, content) of every file in a host-local store."""
    d = data_dir / network
    if not d.is_dir():
        return {}
    return {
        p.name: (oct(p.stat().st_mode & 0o777)[2:].zfill(4), p.read_bytes().decode())
        for p in sorted(d.iterdir())
    }
