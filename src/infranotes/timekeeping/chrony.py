"""NTP on loopback without touching this machine's clock: two chronyd, both with ``-x``.

A server (``local stratum 8``) and a client run in a network namespace of their own. Both use
``chronyd -x``, which never adjusts the system clock: the client measures, decides and logs
what it *would* do. The server's clock is this machine's, so a skewed server is simulated with
the client's per-source ``offset`` option (``chrony.conf(5)``): a measured offset of that size.
``makestep 1 3`` is Debian's default rule: step when the offset is over 1 s in the first three
updates, otherwise slew at most ``maxslewrate`` (83,333 ppm: 1 s takes 12 s).
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from infranotes.errors import LabUnavailable
from infranotes.lab import NetNS, available, run

REQUIRES = ("ip", "chronyd", "chronyc")
SERVER_PORT = 123
CMD_PORT = 323
MAX_SLEW_PPM = 83333.333  # chronyd's default maxslewrate


@dataclass(frozen=True)
class Tracking:
    """``chronyc -c tracking``, the fields this chapter uses."""

    reference: str
    stratum: int
    system_offset_s: float  # how far the system clock is from NTP time (the correction due)
    frequency_ppm: float  # the clock's frequency error chronyd has estimated
    leap_status: str

    @classmethod
    def parse_csv(cls, line: str) -> Tracking:
        """One line of ``chronyc -c tracking`` (fields as chronyc(1) lists them)."""
        f = line.strip().split(",")
        if len(f) < 14:
            raise ValueError(f"chronyc tracking: expected 14 fields, got {len(f)}: {line!r}")
        return cls(f[1], int(f[2]), float(f[4]), float(f[7]), f[13])


# chrony's log line for a step (sys_generic.c / reference.c: "System clock wrong by %.6f seconds").
_WRONG_BY = re.compile(r"wrong by (-?\d+(?:\.\d+)?) seconds")


@dataclass(frozen=True)
class ChronyRun:
    """What a ``chronyd -x`` client measured against a server ``offset_s`` away, and would do."""

    offset_s: float
    tracking: Tracking
    would: str  # "step" or "slew"
    slew_seconds: float  # at maxslewrate, for a slew
    log: tuple[str, ...]  # the client's log lines about the clock, without timestamps

    @property
    def measured_offset_s(self) -> float:
        """The offset the client measured before acting on it.

        A step is logged with what it corrects ("System clock wrong by -5.000 seconds"); once
        made, ``chronyc tracking`` reads about 0, so whether tracking showed -5 or 0 depended
        on which came first under load. The log line does not; a slew keeps its offset in
        tracking for seconds, so there tracking is the measurement.
        """
        return measured_offset(self.log, self.tracking)

    def to_json(self) -> dict[str, object]:
        """A plain mapping for tables and JSON."""
        return {
            "offset_s": self.offset_s,
            "measured_offset_s": round(self.measured_offset_s, 3),
            "stratum": self.tracking.stratum,
            "would": self.would,
            "slew_seconds": round(self.slew_seconds, 1),
            "log": list(self.log),
        }


def measured_offset(log: tuple[str, ...], tracking: Tracking) -> float:
    """The step's logged correction if chronyd stepped, else the offset tracking reports."""
    for line in log:
        m = _WRONG_BY.search(line)
        if m:
            return float(m.group(1))
    return tracking.system_offset_s


def slew_seconds(offset_s: float, max_slew_ppm: float = MAX_SLEW_PPM) -> float:
    """How long slewing ``offset_s`` away takes at the maximum rate."""
    return abs(offset_s) / (max_slew_ppm * 1e-6)


def _conf(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


@contextlib.contextmanager
def _chronyd(ns: NetNS, conf: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["ip", "netns", "exec", ns.name, "chronyd", "-x", "-d", "-u", "root", "-f", str(conf)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure(offset_s: float, settle_s: float = 20.0) -> ChronyRun:
    """Run the pair until the client has made three clock updates; report what it would do."""
    available(*REQUIRES, netns=True)
    with tempfile.TemporaryDirectory(prefix="infranotes-chrony-") as tmp, NetNS("chrony") as ns:
        d = Path(tmp)
        server = _conf(d / "server.conf", [
            f"port {SERVER_PORT}", "bindaddress 127.0.0.1", "allow 127.0.0.1",
            "local stratum 8", "cmdport 0", f"pidfile {d}/server.pid",
        ])  # fmt: skip
        client = _conf(d / "client.conf", [
            f"server 127.0.0.1 port {SERVER_PORT} iburst minpoll -4 maxpoll -4 offset {offset_s}",
            "port 0", f"cmdport {CMD_PORT}", "bindcmdaddress 127.0.0.1", "bindcmdaddress /",
            "cmdallow 127.0.0.1", f"pidfile {d}/client.pid", "makestep 1 3",
        ])  # fmt: skip
        with _chronyd(ns, server, d / "server.log"), _chronyd(ns, client, d / "client.log"):
            tracking = _wait_for_sync(ns, settle_s)
            time.sleep(0.5)  # the update after selection, which logs a step decision
        lines = (d / "client.log").read_text().splitlines()
    clock = tuple(
        dict.fromkeys(
            line.split(" ", 1)[1]
            for line in lines
            if "ystem clock" in line and "Disabled" not in line
        )
    )
    would = "step" if any("wrong by" in line for line in clock) else "slew"
    slew = slew_seconds(measured_offset(clock, tracking))
    return ChronyRun(offset_s, tracking, would, slew, clock)


def _wait_for_sync(ns: NetNS, settle_s: float) -> Tracking:
    deadline = time.monotonic() + settle_s
    last = ""
    while time.monotonic() < deadline:
        proc = run(["ip", "netns", "exec", ns.name, "chronyc", "-h", "127.0.0.1", "-p",
                    str(CMD_PORT), "-c", "tracking"], timeout=5)  # fmt: skip
        last = proc.stdout.strip() or proc.stderr.strip()
        if proc.returncode == 0 and last:
            t = Tracking.parse_csv(last)
            if t.leap_status == "Normal" and t.reference == "127.0.0.1":
                return t
        time.sleep(0.2)
    raise LabUnavailable(f"chronyd did not synchronise within {settle_s} s (last: {last[:200]})")
