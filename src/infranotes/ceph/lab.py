"""A real Ceph mini-cluster on loopback, driven through the PG states, then torn down.

One monitor, one manager and three OSDs on the in-memory object store (Debian's Ceph 16
packages), bound to 127.0.0.1, every file under a temporary directory, no systemd. The
configuration and the order of steps follow ``../shared/oracles/ceph/minicluster.sh``, which
was run on this machine; its comments explain each setting (memstore needs
``osd fast shutdown = false``; a short PG log makes writes during an outage need backfill;
scrub and recovery sleeps make the transient states last long enough to be seen; the
recovery sleep is half the recipe's, 0.05 s, which still shows every state in about 100 s).
Commands go through the ``ceph``/``rados`` CLIs (about 0.2 s each): the librados binding is
packaged for the system interpreter only.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from infranotes.ceph.snapshot import Snapshot, parse, settled
from infranotes.errors import LabUnavailable
from infranotes.lab.tools import which

TOOLS = (
    "ceph-mon",
    "ceph-mgr",
    "ceph-osd",
    "ceph",
    "rados",
    "ceph-authtool",
    "monmaptool",
    "ceph-objectstore-tool",
    "/usr/bin/python3",
)
REQUIRES = TOOLS  # the name every lab uses for what it needs
POOL, PG_NUM, NUM_OSDS = "demo", 32, 3
STABLE_S = 2.0  # a settled histogram must hold this long

CONF = """[global]
fsid = {fsid}
mon host = [v2:127.0.0.1:{mon_port}]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
ms bind msgr1 = false
ms bind port min = {port_min}
ms bind port max = {port_max}
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
run dir = {d}/run
admin socket = {d}/run/$name.asok
pid file = {d}/run/$name.pid
log file = {d}/log/$name.log
log to stderr = false
err to stderr = false
osd crush chooseleaf type = 0
osd pool default size = 3
osd pool default min size = 2
osd pool default pg autoscale mode = off
mon allow pool delete = true
mon warn on pool no redundancy = false
mon osd down out interval = 600
mon data avail warn = 1
mon data avail crit = 0
mgr stats period = 1
mgr tick period = 1

[client]
keyring = {d}/keyring

[mon]
mon data = {d}/mon.$id
keyring = {d}/keyring

[mgr]
mgr data = {d}/mgr.$id
keyring = {d}/mgr.$id/keyring

[osd]
osd data = {d}/osd.$id
keyring = {d}/osd.$id/keyring
osd objectstore = memstore
memstore device bytes = 268435456
osd fast shutdown = false
osd min pg log entries = 10
osd max pg log entries = 10
osd pg log trim min = 5
osd recovery sleep hdd = 0.05
osd max backfills = 1
osd scrub chunk min = 1
osd scrub chunk max = 1
osd scrub sleep = 0.2
"""


# Status queries go through one librados client for the whole run: a `ceph` CLI call costs
# about 0.2 s (0.5 s on a loaded machine), a librados command a few ms, and the JSON is the
# same (the recipe's REPORT.md: its cli_check_* files match the librados snapshots). The
# binding is packaged for the system interpreter only, so a small /usr/bin/python3 process
# serves the commands over a pipe, one JSON line each way.
_CLIENT = r"""
import json, sys, rados
# no admin socket: the `ceph` CLI calls of the lab would find client.admin.asok taken
r = rados.Rados(conffile=sys.argv[1], conf={"admin_socket": ""}); r.connect(timeout=30)
for line in sys.stdin:
    q = json.loads(line)
    call = r.mgr_command if q["to"] == "mgr" else r.mon_command
    ret, out, err = call(json.dumps(q["cmd"]), b"", timeout=30)
    sys.stdout.write(json.dumps({"ret": ret, "out": out.decode(), "err": err}) + "\n")
    sys.stdout.flush()
r.shutdown()
"""
# The CLI's `ceph -s -f json`, `ceph health detail -f json`, `ceph pg dump pgs_brief -f json`
# as the command JSON it sends (src/mon/MonCommands.h, src/mgr/MgrCommands.h).
QUERIES: dict[str, tuple[str, dict[str, object]]] = {
    "ceph -s": ("mon", {"prefix": "status", "format": "json"}),
    "health detail": ("mon", {"prefix": "health", "detail": "detail", "format": "json"}),
    "pgs_brief": ("mgr", {"prefix": "pg dump", "dumpcontents": ["pgs_brief"], "format": "json"}),
}


class _Client:
    """The librados helper process (see ``_CLIENT``)."""

    def __init__(self, conf: Path) -> None:
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", "-c", _CLIENT, str(conf)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def query(self, name: str) -> str:
        to, cmd = QUERIES[name]
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"to": to, "cmd": cmd}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise LabUnavailable(f"{name}: the librados client exited")
        reply = json.loads(line)
        if reply["ret"] != 0:
            raise LabUnavailable(f"{name}: {reply['err'][:300]}")
        return str(reply["out"])

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def unavailable_reason() -> str | None:
    if os.geteuid() != 0:
        return "needs root (Ceph daemons)"
    missing = [t for t in TOOLS if which(t) is None]
    if missing:
        return (
            "missing tool(s): "
            + ", ".join(missing)
            + " (Debian packages ceph-mon ceph-mgr ceph-osd ceph-common)"
        )
    return None


def _free_block(n: int = 40) -> int:
    """The first port of ``n`` consecutive free loopback ports (mon, mgr and OSDs bind there)."""
    first = 20000 + (os.getpid() % 400) * n  # two clusters started together start apart
    for start in [*range(first, 40000, n), *range(20000, first, n)]:
        ok = True
        for p in range(start, start + n):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", p))
                except OSError:
                    ok = False
                    break
        if ok:
            return start
    raise LabUnavailable("no block of free loopback ports")


@dataclass
class Stage:
    """What one step of the scenario produced: settled snapshots and the states seen."""

    name: str
    seconds: float
    snapshot: Snapshot | None = None
    seen: list[str] = field(default_factory=list)  # every PG state string met on the way
    documents: dict[str, object] = field(default_factory=dict)  # the settled JSON, as printed

    def recorded(self) -> dict[str, object]:
        """What ``recorded/health_*.json`` holds: the stage, its states and its documents."""
        return {"stage": self.name, "seen": self.seen, **self.documents}


@dataclass
class Timeline:
    """Every change of the PG-state histogram, with the time since the scenario started."""

    points: list[tuple[float, dict[str, int]]] = field(default_factory=list)


class MiniCluster:
    """``with MiniCluster() as c:`` — a running cluster; always stopped and removed after."""

    def __init__(self) -> None:
        reason = unavailable_reason()
        if reason:
            raise LabUnavailable(reason)
        self.dir = Path(tempfile.mkdtemp(prefix="minicluster-"))
        self.conf = self.dir / "ceph.conf"
        self.t0 = time.monotonic()
        self.timeline = Timeline()
        self.stages: list[Stage] = []
        self.peak_rss_kib = 0
        self.client: _Client | None = None

    def query(self, name: str) -> str:
        """One of ``QUERIES`` through the librados client (the CLI before it is up)."""
        if self.client is None:
            return self.ceph(*name.replace("ceph ", "").split(), fmt=True)
        return self.client.query(name)

    # ------------------------------------------------------------------ plumbing
    def ceph(self, *args: str, fmt: bool = False) -> str:
        cmd = ["ceph", "-c", str(self.conf), "--connect-timeout", "30", *args]
        if fmt:
            cmd += ["-f", "json"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise LabUnavailable(f"{' '.join(args)}: {proc.stderr.strip()[:300]}")
        return proc.stdout

    def _run(self, *cmd: str, **kw: object) -> None:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=120, **kw)  # type: ignore[call-overload]
        if proc.returncode != 0:
            raise LabUnavailable(f"{cmd[0]} failed: {proc.stderr.strip()[:300]}")

    def _pid(self, name: str) -> int | None:
        try:
            pid = int((self.dir / "run" / f"{name}.pid").read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            return None
        return pid if str(self.conf).encode() in cmdline else None

    def stop(self, name: str, timeout: float = 30) -> None:
        """SIGTERM the daemon by its pid file (and only if it is ours); wait until it is gone."""
        pid = self._pid(name)
        if pid is None:
            return
        self._sample_memory()
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)

    def _sample_memory(self) -> None:
        total = 0
        for f in (self.dir / "run").glob("*.pid"):
            pid = self._pid(f.stem)
            if pid is None:
                continue
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                total += int(
                    next(
                        line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")
                    )
                )
        self.peak_rss_kib = max(self.peak_rss_kib, total)

    def wait(self, ok: Callable[[], bool], what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not ok():
            if time.monotonic() > deadline:
                raise LabUnavailable(f"timed out after {timeout:.0f}s waiting for {what}")
            time.sleep(0.2)

    # ------------------------------------------------------------------ up / down
    def __enter__(self) -> MiniCluster:
        try:
            self._up()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        # OSDs first, while the mon can still take their "mark me down"; then mgr and mon
        for i in range(NUM_OSDS):
            self.stop(f"osd.{i}")
        self.stop("mgr.x")
        self.stop("mon.a")
        shutil.rmtree(self.dir, ignore_errors=True)

    def _up(self) -> None:
        d = self.dir
        for sub in ("run", "log", "mon.a", "mgr.x"):
            (d / sub).mkdir(parents=True, exist_ok=True)
        fsid, base = str(uuid.uuid4()), _free_block()
        self.conf.write_text(
            CONF.format(fsid=fsid, mon_port=base, port_min=base + 1, port_max=base + 39, d=d)
        )
        kr = str(d / "keyring")
        self._run(
            "ceph-authtool",
            "--create-keyring",
            kr,
            "--gen-key",
            "-n",
            "mon.",
            "--cap",
            "mon",
            "allow *",
        )
        self._run(
            "ceph-authtool",
            kr,
            "--gen-key",
            "-n",
            "client.admin",
            "--cap",
            "mon",
            "allow *",
            "--cap",
            "osd",
            "allow *",
            "--cap",
            "mgr",
            "allow *",
            "--cap",
            "mds",
            "allow *",
        )
        self._run(
            "monmaptool",
            "--create",
            "--fsid",
            fsid,
            "--addv",
            "a",
            f"[v2:127.0.0.1:{base}]",
            str(d / "monmap"),
        )
        self._run(
            "ceph-mon",
            "-c",
            str(self.conf),
            "--mkfs",
            "-i",
            "a",
            "--monmap",
            str(d / "monmap"),
            "--keyring",
            kr,
        )
        self._run("ceph-mon", "-c", str(self.conf), "-i", "a")
        self.ceph("-s")
        self.ceph("config", "set", "mgr", "mgr/devicehealth/enable_monitoring", "false", "--force")
        self.ceph(
            "auth",
            "get-or-create",
            "mgr.x",
            "mon",
            "allow profile mgr",
            "osd",
            "allow *",
            "mds",
            "allow *",
            "-o",
            str(d / "mgr.x" / "keyring"),
        )
        self._run("ceph-mgr", "-c", str(self.conf), "-i", "x")
        self.wait(
            lambda: json.loads(self.ceph("mgr", "stat", fmt=True)).get("available") is True,
            "the mgr",
            60,
        )
        starters = []
        for i in range(NUM_OSDS):
            osd_uuid = str(uuid.uuid4())
            key = subprocess.run(
                ["ceph-authtool", "--gen-print-key"], capture_output=True, text=True, check=True
            ).stdout.strip()
            (d / f"osd.{i}").mkdir()
            (d / f"osd.{i}" / "new.json").write_text(json.dumps({"cephx_secret": key}))
            got = self.ceph("osd", "new", osd_uuid, "-i", str(d / f"osd.{i}" / "new.json")).strip()
            if got != str(i):
                raise LabUnavailable(f"expected osd id {i}, got {got}")
            self._run(
                "ceph-authtool",
                "--create-keyring",
                str(d / f"osd.{i}" / "keyring"),
                "--name",
                f"osd.{i}",
                "--add-key",
                key,
            )
            self._run(
                "ceph-osd", "-c", str(self.conf), "-i", str(i), "--mkfs", "--osd-uuid", osd_uuid
            )
            starters.append(subprocess.Popen(["ceph-osd", "-c", str(self.conf), "-i", str(i)]))
        for p in starters:
            p.wait(timeout=120)
        self.wait(
            lambda: json.loads(self.ceph("osd", "stat", fmt=True)).get("num_up_osds") == NUM_OSDS,
            "3 OSDs up",
            90,
        )
        self.client = _Client(self.conf)
        self._sample_memory()

    # ------------------------------------------------------------------ observing
    def histogram(self) -> dict[str, int]:
        """The mgr's PG states now (``ceph pg dump pgs_brief``), recorded on the timeline."""
        snap = parse(self.query("pgs_brief"), "pg dump pgs_brief")
        h = dict(sorted(snap.pgs_by_state.items()))
        if not self.timeline.points or self.timeline.points[-1][1] != h:
            self.timeline.points.append((round(time.monotonic() - self.t0, 2), h))
        return h

    def settled_snapshot(self) -> tuple[Snapshot, dict[str, object]]:
        """``ceph health detail`` once the mon's digest agrees with the mgr (gotcha 6), and
        the three documents it was built from (``ceph -s``, health detail, pgs_brief)."""
        docs: dict[str, object] = {}

        def agrees() -> bool:
            text = self.query("ceph -s")
            docs["ceph_s"] = json.loads(text)
            return parse(text, "ceph -s").pgs_by_state == self.histogram()

        with contextlib.suppress(LabUnavailable):
            self.wait(agrees, "the mon's digest", 15)
        brief_text = self.query("pgs_brief")
        health_text = self.query("health detail")
        docs["health_detail"] = json.loads(health_text)
        docs["pg_dump_pgs_brief"] = json.loads(brief_text)
        status = parse(json.dumps(docs["ceph_s"]), "ceph -s") if "ceph_s" in docs else None
        snap = settled(parse(health_text, "health detail"), parse(brief_text, "pgs_brief"), status)
        return snap, docs

    def until(
        self,
        name: str,
        done: Callable[[dict[str, int]], bool],
        timeout: float = 180,
        start: Callable[[], None] | None = None,
        health: Callable[[Snapshot], bool] | None = None,
    ) -> Stage:
        """Poll the PG states (after ``start``) until ``done`` holds and the histogram has not
        changed for ``STABLE_S`` (the OSDs report to the mgr once a second, so a change can
        still be on its way when ``done`` first holds); the stage with what was seen. With
        ``health``, ``ceph health detail`` must satisfy it too, and its check codes and
        summaries must hold as long (the detail lines' durations tick, so not those)."""
        t, seen = time.monotonic(), []
        if start is not None:
            start()
        deadline = t + timeout
        since: float | None = None
        last: object = None
        while True:
            h = self.histogram()
            seen += [s for s in h if s not in seen]
            key: object = h
            ok = done(h) and bool(h)
            if ok and health is not None:
                hd = parse(self.query("health detail"), "health detail")
                ok = health(hd)
                key = (h, sorted((c.name, c.summary) for c in hd.checks))
            now = time.monotonic()
            if ok:
                if since is None or key != last:
                    since, last = now, key
                elif now - since >= STABLE_S:
                    break
            else:
                since = None
            if now > deadline:
                raise LabUnavailable(f"{name}: timed out after {timeout:.0f}s at {h}")
            time.sleep(0.1)
        snap, docs = self.settled_snapshot()
        stage = Stage(name, round(time.monotonic() - t, 1), snap, seen, docs)
        self.stages.append(stage)
        self._sample_memory()
        return stage

    # ------------------------------------------------------------------ the scenario
    def write(self, count: int, prefix: str) -> None:
        """Write ``count`` 4 KiB objects through librados. Its Python binding is packaged for
        the system interpreter only, so that one runs this (the recipe's gotcha 8)."""
        script = (
            "import rados, sys\n"
            "r = rados.Rados(conffile=sys.argv[1]); r.connect(timeout=30)\n"
            "io = r.open_ioctx(sys.argv[2])\n"
            "for i in range(int(sys.argv[3])):\n"
            "    name = f'{sys.argv[4]}-{i}'\n"
            "    io.write_full(name, (f'{name}:'.encode() * 4096)[:4096])\n"
            "io.close(); r.shutdown()\n"
        )
        self._run("/usr/bin/python3", "-c", script, str(self.conf), POOL, str(count), prefix)

    def start_osd(self, i: int) -> None:
        subprocess.Popen(["ceph-osd", "-c", str(self.conf), "-i", str(i)])

    def scenario(self) -> list[Stage]:
        """Pool creation, an OSD down, writes while degraded, its return, a corrupted replica
        found by deep scrub and repaired. Every step waits for its settled state."""
        clean = lambda h: set(h) == {"active+clean"}  # noqa: E731
        self.until(
            "pool created",
            clean,
            120,
            start=lambda: self.ceph(
                "osd",
                "pool",
                "create",
                POOL,
                str(PG_NUM),
                str(PG_NUM),
                "replicated",
                "--autoscale-mode=off",
            ),
        )
        self.ceph("osd", "pool", "application", "enable", POOL, "rados")
        for i in range(8):
            self._run(
                "rados",
                "-c",
                str(self.conf),
                "-p",
                POOL,
                "put",
                f"hello-{i}",
                "-",
                input=f"hello object {i}\n",
            )
        self.write(64, "base")
        self.until("objects written", clean, 60)
        self.until(
            "osd.2 stopped",
            lambda h: all(s.startswith("active+undersized") for s in h),
            120,
            start=lambda: self.stop("osd.2"),
        )
        self.write(400, "degraded")
        self.until(
            "written while degraded",
            lambda h: all(s.startswith("active+undersized") for s in h),
            60,
        )
        self.until("osd.2 restarted", clean, 300, start=lambda: self.start_osd(2))
        mapping = json.loads(self.ceph("osd", "map", POOL, "hello-0", fmt=True))
        pg, victim = mapping["pgid"], mapping["acting"][-1]
        self.stop(f"osd.{victim}")
        garbage = self.dir / "garbage"
        garbage.write_bytes(b"CORRUPTED BYTES")
        self._run(
            "ceph-objectstore-tool",
            "--data-path",
            str(self.dir / f"osd.{victim}"),
            "hello-0",
            "set-bytes",
            str(garbage),
            env={**os.environ, "CEPH_CONF": str(self.conf)},
        )
        self.until("replica corrupted offline", clean, 120, start=lambda: self.start_osd(victim))
        self.until(
            "deep scrub",
            lambda h: any("inconsistent" in s for s in h),
            120,
            start=lambda: self.ceph("pg", "deep-scrub", pg),
        )
        self.until("repair", clean, 120, start=lambda: self.ceph("pg", "repair", pg))
        return self.stages

    def health_scenario(self) -> list[Stage]:
        """After ``scenario``: the conditions behind the common health checks, each made for
        real and settled — fullness ratios lowered below the OSDs' usage (memstore holds a few
        hundred KiB of its 256 MiB, so no data has to be written), a pool quota reached,
        ``noout`` with an OSD down, min_size raised to size while it is down, and an OSD marked
        out while up. Each stage undoes the one before; the last is left to the teardown."""
        clean = lambda h: set(h) == {"active+clean"}  # noqa: E731
        anything = lambda h: True  # noqa: E731

        def codes(s: Snapshot) -> set[str]:
            return {c.name for c in s.checks}

        def summary(s: Snapshot, code: str) -> str:
            return next((c.summary for c in s.checks if c.name == code), "")

        def lines(s: Snapshot, code: str) -> list[str]:
            return [d for c in s.checks if c.name == code for d in c.details]

        def run(*commands: tuple[str, ...]) -> Callable[[], None]:
            def start() -> None:
                for c in commands:
                    self.ceph(*c)

            return start

        def stop_osd2() -> None:
            self.ceph("osd", "set", "noout")
            self.stop("osd.2")

        def osd2_back() -> None:
            run(("osd", "pool", "set", POOL, "min_size", "2"), ("osd", "unset", "noout"))()
            self.start_osd(2)

        # The stuck checks wait mon_pg_stuck_threshold (60 s by default) before naming a PG
        # (src/mon/PGMap.cc, PGMap::get_health_checks: the "cutoff"); 3 s here.
        self.ceph("config", "set", "global", "mon_pg_stuck_threshold", "3")
        self.until(
            "nearfull ratio lowered",
            clean,
            60,
            start=run(("osd", "set-nearfull-ratio", "0.00001")),
            health=lambda s: (
                codes(s) == {"OSD_NEARFULL", "POOL_NEARFULL"}
                and summary(s, "OSD_NEARFULL").startswith("3 ")
            ),
        )
        self.until(
            "full ratios lowered",
            anything,
            60,
            start=run(
                ("osd", "set-backfillfull-ratio", "0.00002"), ("osd", "set-full-ratio", "0.00003")
            ),
            health=lambda s: summary(s, "OSD_FULL").startswith("3 "),
        )
        # The mgr's quota check (PGMap::get_health_checks, "POOL_FULL / POOL_NEAR_FULL") is off
        # until mon_pool_quota_warn_threshold is set (0 by default): 472 objects of 500 is 94 %.
        self.until(
            "pool quota 94 %, warn threshold 80 %",
            clean,
            60,
            start=run(
                ("osd", "set-full-ratio", "0.95"),
                ("osd", "set-backfillfull-ratio", "0.90"),
                ("osd", "set-nearfull-ratio", "0.85"),
                ("config", "set", "global", "mon_pool_quota_warn_threshold", "80"),
                ("osd", "pool", "set-quota", POOL, "max_objects", "500"),
            ),
            health=lambda s: (
                bool(codes(s))
                and not codes(s) & {"OSD_NEARFULL", "OSD_BACKFILLFULL", "OSD_FULL"}
                and all("(no space)" not in d for d in lines(s, "POOL_FULL"))
            ),
        )
        self.until(
            "pool quota reached",
            clean,
            60,
            start=run(("osd", "pool", "set-quota", POOL, "max_objects", "100")),
            health=lambda s: codes(s) == {"POOL_FULL"},
        )
        run(("osd", "pool", "set-quota", POOL, "max_objects", "0"))()
        self.until(
            "noout, osd.2 stopped",
            lambda h: all(s.startswith("active+undersized") for s in h),
            60,
            start=stop_osd2,
            health=lambda s: (
                codes(s) == {"OSDMAP_FLAGS", "OSD_DOWN", "PG_DEGRADED"}
                and any(" is stuck undersized " in d for d in lines(s, "PG_DEGRADED"))
            ),
        )
        self.until(
            "min_size 3 = size, osd.2 down",
            lambda h: all("peered" in s.split("+") for s in h),
            60,
            start=run(("osd", "pool", "set", POOL, "min_size", "3")),
            health=lambda s: any(" is stuck inactive " in d for d in lines(s, "PG_AVAILABILITY")),
        )
        self.until(
            "osd.2 back, noout unset", clean, 120, start=osd2_back, health=lambda s: not s.checks
        )
        self.until(
            "osd.1 out, still up",
            lambda h: set(h) == {"active+clean+remapped"},
            60,
            start=run(("osd", "out", "1")),
        )
        return self.stages


def states_seen(stages: list[Stage]) -> list[str]:
    out: list[str] = []
    for st in stages:
        out += [s for s in st.seen if s not in out]
    return out


@dataclass
class Run:
    stages: list[Stage]
    timeline: Timeline
    peak_rss_kib: int
    seconds: float
    directory: Path


def run_scenario() -> Run:
    """Bring a cluster up, run the scenario and the health scenario, tear it down."""
    t = time.monotonic()
    with MiniCluster() as c:
        c.scenario()
        c.health_scenario()
    return Run(c.stages, c.timeline, c.peak_rss_kib, round(time.monotonic() - t, 1), c.dir)


def leftovers(directory: Path) -> list[str]:
    """What a finished cluster left: its directory, or daemons whose command line names it."""
    found = [str(directory)] if directory.exists() else []
    for p in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            if str(directory).encode() in p.read_bytes():
                found.append(p.parent.name)
    return found
