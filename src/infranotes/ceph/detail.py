"""The lines of ``ceph health detail``, read into what they are about.

Ceph 16 writes each detail line with ``ostringstream`` in the code that raises the check;
the shapes, and where they come from (the format strings are in the 16.2.15 binaries here):

- ``src/mon/PGMap.cc``, ``PGMap::get_health_checks`` (PG_AVAILABILITY, PG_DEGRADED,
  PG_DAMAGED, PG_BACKFILL_FULL, PG_RECOVERY_FULL), two shapes per PG:
  stuck: ``pg 1.f is stuck inactive for 10m, current state undersized+peered, last acting
  [0,1]`` (``since forever`` when the stamp is zero); immediate: ``pg 1.1 is
  active+clean+inconsistent, acting [2,0,1]``, then ``, N unfound`` and, for incomplete PGs,
  `` (reducing pool P min_size from N may help; search ceph.com/docs for 'incomplete')``.
  The word after "is stuck" is the condition that lasted (``inactive``, ``unclean``,
  ``undersized``, ``stale``, ``peering``); the PG's state is after "current state".
- same function: ``pg 1.2 not scrubbed since STAMP`` / ``not deep-scrubbed since``,
  ``snap trim queue for pg 1.2 at N``, ``pool P pg_num N > pgp_num M``, ``pool 'P' has N
  objects (max M)`` (quota), ``osd.N had M reads repaired``, ``Slow OSD heartbeats on back
  from osd.N [...] to osd.M [...] T msec``.
- ``src/osd/OSDMap.cc``, ``OSDMap::check_health``: ``osd.2 (root=default,host=vm) is down``,
  ``host vm (root=default) (3 osds) is down``, ``osd.0 is near full`` / ``is backfill full`` /
  ``is full``, ``osd.1 has flags noout``, ``pool 'demo' is full (running out of quota)`` /
  ``(no space)``, ``pool 'demo' is nearfull`` / ``is backfillfull``.
- ``src/mon/HealthMonitor.cc`` / ``MonMap``: ``mon.b (rank 1) addr ... is down (out of quorum)``.
- ``src/mon/PGMap.cc`` / ``DaemonServer``: ``N slow ops, oldest one blocked for S sec, daemons
  [osd.0] have slow ops.`` (the summary; SLOW_OPS has no per-daemon detail lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PGID = r"(?P<pgid>\d+\.[0-9a-f]+)"
_STATE = r"(?P<state>[a-z_]+(?:\+[a-z_]+)*)"
_OSDS = r"\[(?P<osds>[0-9,]*)\]"

_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "pg stuck",
        re.compile(
            rf"^pg {_PGID} is stuck (?P<stuck>[a-z_]+) "
            rf"(?:for (?P<since>\S+)|since forever), current state {_STATE}, last acting {_OSDS}"
        ),
    ),
    (
        "pg state",
        re.compile(
            rf"^pg {_PGID} is {_STATE}, acting {_OSDS}"
            r"(?:, (?P<unfound>\d+) unfound)?"
            r"(?: \(reducing pool (?P<pool>\S+) min_size from (?P<min_size>\d+) may help)?"
        ),
    ),
    (
        "pg not scrubbed",
        re.compile(rf"^pg {_PGID} not (?P<what>deep-scrubbed|scrubbed) since (?P<since>.+)$"),
    ),
    ("pg unfound", re.compile(rf"^pg {_PGID} has (?P<unfound>\d+) unfound objects")),
    ("pg snap trim", re.compile(rf"^snap trim queue for pg {_PGID} at (?P<count>\d+)")),
    ("osd down", re.compile(r"^osd\.(?P<osd>\d+)(?: \((?P<where>[^)]*)\))? is down")),
    (
        "subtree down",
        re.compile(r"^(?P<type>[a-z_]+) (?P<name>\S+) .*\((?P<count>\d+) osds\) is down"),
    ),
    ("osd fullness", re.compile(r"^osd\.(?P<osd>\d+) is (?P<what>near full|backfill full|full)$")),
    ("osd flags", re.compile(r"^osd\.(?P<osd>\d+) has flags (?P<flags>\S+)")),
    ("osd repaired", re.compile(r"^osd\.(?P<osd>\d+) had (?P<count>\d+) reads repaired")),
    (
        "pool full",
        re.compile(
            r"^pool '(?P<pool>[^']*)' is full \((?P<why>running out of quota|no space|[^)]*)\)"
        ),
    ),
    ("pool fullness", re.compile(r"^pool '(?P<pool>[^']*)' is (?P<what>nearfull|backfillfull)$")),
    ("pool quota", re.compile(r"^pool '(?P<pool>[^']*)' has (?P<used>.+) \(max (?P<max>[^)]+)\)$")),
    (
        "pool pgp_num",
        re.compile(r"^pool (?P<pool>\S+) pg_num (?P<pg_num>\d+) > pgp_num (?P<pgp_num>\d+)"),
    ),
    ("mon down", re.compile(r"^mon\.(?P<mon>\S+) \(rank (?P<rank>\d+)\) .*is down")),
)


@dataclass(frozen=True)
class Detail:
    """One detail line: its shape, the PG/OSD/pool it names, and the PG's current state."""

    text: str
    shape: str  # one of the _SHAPES names, or "other"
    pgid: str | None = None
    state: str | None = None  # the PG's current state (never the "stuck" condition)
    stuck: str | None = None  # inactive | unclean | undersized | stale | peering ...
    since: str | None = None  # "10m", "forever", or a scrub stamp
    acting: tuple[int, ...] = ()
    unfound: int = 0
    osd: int | None = None
    pool: str | None = None
    what: str | None = None  # near full / no space / flags / scrubbed ... per shape

    def to_json(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, (), 0) or k == "text"}


def parse_detail(text: str) -> Detail:
    """A detail line read by its shape; "other" (only the text) when no shape matches."""
    for shape, rx in _SHAPES:
        m = rx.match(text)
        if not m:
            continue
        g = {k: v for k, v in m.groupdict().items() if v is not None}
        osds = g.get("osds")
        since = g.get("since")
        if shape == "pg stuck" and since is None:
            since = "forever"
        what = g.get("what") or g.get("why") or g.get("flags") or g.get("where")
        if shape == "subtree down":
            what = f"{g['type']} {g['name']}"
        return Detail(
            text=text,
            shape=shape,
            pgid=g.get("pgid"),
            state=g.get("state"),
            stuck=g.get("stuck"),
            since=since,
            acting=tuple(int(x) for x in osds.split(",") if x) if osds else (),
            unfound=int(g.get("unfound", 0)),
            osd=int(g["osd"]) if "osd" in g else None,
            pool=g.get("pool"),
            what=what,
        )
    return Detail(text=text, shape="other")
