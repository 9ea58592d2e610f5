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
# The live bridge lab (root and network namespaces too); the reference plugins beside it.
REQUIRES = ("ip", "nsenter", "iptables", "ping")
REFERENCE_REQUIRES = (str(REFERENCE_DIR / "bridge"), str(REFERENCE_DIR / "host-local"))


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


BRIDGE_CONF = {
    "cniVersion": "1.0.0",
    "name": "brnet",
    "type": "bridge",
    "bridge": "cnibr0",
    "isGateway": True,
    "ipMasq": True,
    "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "10.22.1.0/24"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
    },
}


class BridgeLab:
    """A "node" network namespace and two "Pod" namespaces wired to a bridge by a CNI plugin:
    ``ours`` (infranotes-bridge with infranotes-host-local) or ``reference`` (/usr/lib/cni)."""

    def __init__(self, which: str, data_dir: Path, conf: dict[str, Any] | None = None) -> None:
        import tempfile

        from infranotes.lab.netns import NetNS

        self.which, self.data_dir = which, data_dir
        self.conf = json.loads(json.dumps(conf or BRIDGE_CONF))
        self.conf["ipam"]["dataDir"] = str(data_dir)
        self._ns = [NetNS(f"cni{which[0]}") for _ in range(3)]
        self._tmp = tempfile.TemporaryDirectory(prefix="cnipath-")
        if which == "ours":
            path = Path(self._tmp.name)
            for name in ("bridge", "host-local"):
                (path / name).symlink_to(our_plugin(name))
            self.cni_path = path
        else:
            self.cni_path = REFERENCE_DIR
        self.results: dict[str, Run] = {}

    def __enter__(self) -> BridgeLab:
        for ns in self._ns:
            ns.__enter__()
        self.host, self.pod_a, self.pod_b = (ns.name for ns in self._ns)
        return self

    def __exit__(self, *exc: object) -> None:
        for ns in reversed(self._ns):
            ns.__exit__(None, None, None)
        self._tmp.cleanup()

    def netns_path(self, pod: str) -> str:
        return f"/var/run/netns/{pod}"

    def call(self, command: str, cid: str, pod: str, conf: dict[str, Any] | None = None) -> Run:
        run = exec_plugin(
            self.cni_path / "bridge",
            command,
            conf or self.conf,
            cid=cid,
            netns=self.netns_path(pod),
            cni_path=str(self.cni_path),
            wrap=("ip", "netns", "exec", self.host),
        )
        self.results[f"{command} {cid}"] = run
        return run

    def sh(self, ns: str, *argv: str) -> str:
        return subprocess.run(
            ["ip", "netns", "exec", ns, *argv], capture_output=True, text=True
        ).stdout

    def ping(self, src: str, dst: str) -> bool:
        return (
            subprocess.run(
                ["ip", "netns", "exec", src, "ping", "-c", "1", "-W", "2", dst], capture_output=True
            ).returncode
            == 0
        )

    def nat_rules(self) -> list[str]:
        """The nat table's chains and rules in the node namespace, without counters."""
        out = self.sh(self.host, "iptables-save", "-t", "nat")
        return [
            line.split(" [")[0]
            for line in out.splitlines()
            if line.startswith(("-A", ":")) and "CNI-" in line
        ]
