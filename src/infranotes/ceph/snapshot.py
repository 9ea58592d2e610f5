"""Parsers for what ``ceph`` prints, into one snapshot type.

Accepted (JSON unless said): ``ceph -s -f json`` (``health.status`` since Luminous,
``health.overall_status`` before), ``ceph health detail -f json``, ``ceph pg dump -f json``
(``pg_map.pg_stats`` since Octopus, top-level ``pg_stats`` before), ``ceph pg dump pgs_brief
-f json`` (``{"pg_ready", "pg_stats"}`` since Octopus, a bare list before), ``ceph pg stat
-f json`` (``pg_summary``) and the plain text of ``ceph pg stat``. Checked on Ceph 16.2.15
output (tests/data/ceph) and the documented older shapes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from infranotes.ceph.detail import Detail, parse_detail
from infranotes.errors import ParseError

_STAT_TEXT = re.compile(r"^(\d+) pgs: ([^;]*)")


@dataclass(frozen=True)
class PG:
    pgid: str
    state: str
    up: tuple[int, ...] = ()
    acting: tuple[int, ...] = ()

    @property
    def pool(self) -> int:
        return int(self.pgid.split(".")[0])


@dataclass(frozen=True)
class HealthCheck:
    name: str
    severity: str
    summary: str
    details: tuple[str, ...] = ()

    def lines(self) -> tuple[Detail, ...]:
        """The detail lines read by shape (``detail.parse_detail``)."""
        return tuple(parse_detail(d) for d in self.details)


@dataclass(frozen=True)
class Snapshot:
    kind: str
    health: str | None = None
    checks: tuple[HealthCheck, ...] = ()
    pgs_by_state: dict[str, int] = field(default_factory=dict)
    pgs: tuple[PG, ...] = ()
    osds: dict[str, int] = field(default_factory=dict)  # num_osds, num_up_osds, num_in_osds
    degraded: str = ""

    def by_pool(self) -> dict[int, dict[str, int]]:
        out: dict[int, dict[str, int]] = {}
        for pg in self.pgs:
            pool = out.setdefault(pg.pool, {})
            pool[pg.state] = pool.get(pg.state, 0) + 1
        return out

    def pgs_in(self, component: str) -> list[str]:
        """PG ids whose state contains ``component`` (from a pg dump or health detail)."""
        return sorted(
            (pg.pgid for pg in self.pgs if component in pg.state.split("+")),
            key=lambda p: (int(p.split(".")[0]), int(p.split(".")[1], 16)),
        )


def _need(d: Any, key: str, source: str, what: str) -> Any:
    if not isinstance(d, dict) or key not in d:
        raise ParseError(f"{what}: no {key!r}", source=source, expected=f"a {key!r} field")
    return d[key]


def _pgs(stats: Any, source: str) -> tuple[PG, ...]:
    if not isinstance(stats, list):
        raise ParseError("pg_stats is not a list", source=source, expected="a list of PGs")
    out = []
    for i, p in enumerate(stats):
        if not isinstance(p, dict) or "pgid" not in p or "state" not in p:
            raise ParseError(
                f"pg_stats[{i}] has no pgid or state",
                source=source,
                expected='{"pgid": ..., "state": ...}',
            )
        out.append(
            PG(
                str(p["pgid"]),
                str(p["state"]),
                tuple(p.get("up") or ()),
                tuple(p.get("acting") or ()),
            )
        )
    return tuple(out)


def _count(pgs: tuple[PG, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    for pg in pgs:
        out[pg.state] = out.get(pg.state, 0) + 1
    return out


def _checks(raw: Any, source: str) -> tuple[HealthCheck, ...]:
    if not isinstance(raw, dict):
        raise ParseError(
            "health checks are not an object", source=source, expected='"checks": {NAME: {...}}'
        )
    out = []
    for name, c in sorted(raw.items()):
        summary = c.get("summary", {}) if isinstance(c, dict) else {}
        details = tuple(
            d.get("message", "") for d in (c.get("detail") or []) if isinstance(d, dict)
        )
        out.append(
            HealthCheck(
                name,
                str(c.get("severity", "")) if isinstance(c, dict) else "",
                str(summary.get("message", "")) if isinstance(summary, dict) else "",
                details,
            )
        )
    return tuple(out)


def _from_health(h: Any, source: str) -> tuple[str | None, tuple[HealthCheck, ...]]:
    if not isinstance(h, dict):
        raise ParseError("health is not an object", source=source, expected='"health": {...}')
    status = h.get("status") or h.get("overall_status")
    return status, _checks(h.get("checks", {}), source)


def parse(text: str | bytes, source: str = "<input>") -> Snapshot:
    """Any of the accepted documents; a ParseError naming what is missing otherwise."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    stripped = text.strip()
    m = _STAT_TEXT.match(stripped)
    if m:  # `ceph pg stat` text: "32 pgs: 4 active+undersized, 28 active+...; 256 KiB data..."
        states = {}
        for part in m.group(2).split(","):
            n, _, state = part.strip().partition(" ")
            if n.isdigit() and state:
                states[state] = int(n)
        degraded = next((p.strip() for p in stripped.split(";") if "degraded" in p), "")
        return Snapshot("pg stat", pgs_by_state=states, degraded=degraded)
    try:
        doc = json.loads(stripped)
    except RecursionError:
        raise ParseError("nesting too deep", source=source, expected="Ceph JSON") from None
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"not JSON: {exc.msg}",
            source=source,
            line=exc.lineno,
            column=exc.colno,
            expected="ceph ... -f json output, or `ceph pg stat` text",
        ) from None
    try:
        return _parse_doc(doc, source)
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        if isinstance(exc, ParseError):
            raise
        # A field of the wrong JSON type deep inside (a number where Ceph writes an object):
        # the document is not what `ceph ... -f json` prints.
        raise ParseError(
            f"a field has an unexpected type ({type(exc).__name__}: {exc})",
            source=source,
            expected="ceph ... -f json output as Ceph 12-18 print it",
        ) from None


def _parse_doc(doc: Any, source: str) -> Snapshot:
    if isinstance(doc, list):  # pgs_brief before Octopus
        pgs = _pgs(doc, source)
        return Snapshot("pgs_brief", pgs_by_state=_count(pgs), pgs=pgs)
    if not isinstance(doc, dict):
        raise ParseError("not a JSON object or list", source=source)
    if "pgmap" in doc:  # ceph -s
        health, checks = _from_health(_need(doc, "health", source, "ceph -s"), source)
        pgmap = doc["pgmap"]
        states = {}
        for i, s in enumerate(_need(pgmap, "pgs_by_state", source, "ceph -s pgmap")):
            if not isinstance(s, dict) or "state_name" not in s or "count" not in s:
                raise ParseError(
                    f"pgmap.pgs_by_state[{i}] has no state_name or count",
                    source=source,
                    expected='{"state_name": ..., "count": ...}',
                )
            states[str(s["state_name"])] = int(s["count"])
        osdmap = doc.get("osdmap", {})
        osdmap = osdmap.get("osdmap", osdmap)  # Luminous nests it once more
        osds = {
            k: int(osdmap[k]) for k in ("num_osds", "num_up_osds", "num_in_osds") if k in osdmap
        }
        degraded = ""
        if pgmap.get("degraded_objects"):
            degraded = (
                f"{pgmap['degraded_objects']}/{pgmap.get('degraded_total', '?')} objects "
                f"degraded ({100 * float(pgmap.get('degraded_ratio', 0)):.3f}%)"
            )
        return Snapshot("ceph -s", health, checks, states, osds=osds, degraded=degraded)
    if "checks" in doc and ("status" in doc or "overall_status" in doc):  # health detail
        health, checks = _from_health(doc, source)
        pgs = {}
        for c in checks:
            for d in c.lines():
                # the PG's current state: "is stuck inactive ..., current state X" names X
                if d.pgid and d.state:
                    pgs[d.pgid] = PG(d.pgid, d.state, (), d.acting)
        pg_tuple = tuple(pgs.values())
        return Snapshot("health detail", health, checks, _count(pg_tuple), pg_tuple)
    if "pg_map" in doc:  # pg dump since Octopus
        pgs = _pgs(_need(doc["pg_map"], "pg_stats", source, "pg dump pg_map"), source)
        return Snapshot("pg dump", pgs_by_state=_count(pgs), pgs=pgs)
    if "pg_stats" in doc:  # pgs_brief since Octopus, or a pg dump before it
        pgs = _pgs(doc["pg_stats"], source)
        return Snapshot(
            "pg dump" if "version" in doc else "pgs_brief", pgs_by_state=_count(pgs), pgs=pgs
        )
    if "pg_summary" in doc or "num_pg_by_state" in doc:  # pg stat -f json
        summary = doc.get("pg_summary", doc)
        states = {
            str(s["name"]): int(s["num"])
            for s in summary.get("num_pg_by_state", [])
            if isinstance(s, dict) and "name" in s and "num" in s
        }
        return Snapshot("pg stat", pgs_by_state=states)
    raise ParseError(
        "not a document this tool reads",
        source=source,
        expected="ceph -s, ceph health detail, ceph pg dump [pgs_brief] or "
        "ceph pg stat, with -f json",
    )


def settled(health: Snapshot, brief: Snapshot, status: Snapshot | None = None) -> Snapshot:
    """One snapshot from the documents taken together: the health checks of ``ceph health
    detail``, every PG with its up and acting sets from ``pg dump pgs_brief`` (health detail
    names at most mon_health_max_detail PGs), and the OSD counts of ``ceph -s``."""
    return Snapshot(
        "settled",
        health.health,
        health.checks,
        brief.pgs_by_state,
        brief.pgs,
        osds=status.osds if status else {},
        degraded=health.degraded,
    )


def parse_recorded(doc: dict[str, Any], source: str = "<recorded>") -> Snapshot:
    """A recorded stage (``ceph_s``, ``health_detail``, ``pg_dump_pgs_brief``) as one snapshot."""
    return settled(
        parse(json.dumps(doc["health_detail"]), source),
        parse(json.dumps(doc["pg_dump_pgs_brief"]), source),
        parse(json.dumps(doc["ceph_s"]), source) if "ceph_s" in doc else None,
    )
