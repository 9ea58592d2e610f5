"""The doctor: a snapshot's states in plain words, and what to run next, most urgent first."""

from __future__ import annotations

import re
from dataclasses import dataclass

from infranotes.ceph.glossary import SEVERITY_RANK, STATES, State, lookup
from infranotes.ceph.snapshot import Snapshot

# One short phrase per state, to read a combination as a sentence.
PHRASES = {
    "active": "serving reads and writes",
    "clean": "fully replicated",
    "undersized": "with fewer copies than the pool's size",
    "degraded": "with some objects below full redundancy",
    "peering": "its OSDs agreeing on its history",
    "activating": "about to become active",
    "creating": "being created",
    "stale": "not reported by its OSDs lately",
    "remapped": "temporarily on other OSDs",
    "recovery_wait": "queued for recovery",
    "recovering": "recovering objects from the log",
    "backfill_wait": "queued for backfill",
    "backfilling": "being copied in full (backfill)",
    "scrubbing": "being scrubbed",
    "deep": "checked against checksums (deep scrub)",
    "inconsistent": "with replicas that disagree",
    "repair": "being repaired",
    "down": "offline: an OSD with needed data is down",
    "incomplete": "missing history, offline",
    "unknown": "not yet reported to the mgr",
    "peered": "peered but below min_size, no IO",
}


@dataclass(frozen=True)
class Step:
    why: str
    command: str


@dataclass(frozen=True)
class Report:
    health: str | None
    pgs_by_state: dict[str, int]
    by_pool: dict[int, dict[str, int]]
    combinations: tuple[tuple[str, int, str], ...]  # (state, count, in words)
    explanations: tuple[State, ...]
    next_steps: tuple[Step, ...]
    checks: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.health in (None, "HEALTH_OK") and all(
            s.severity == "healthy" for s in self.explanations
        )

    def to_json(self) -> dict[str, object]:
        return {
            "health": self.health,
            "pgs_by_state": self.pgs_by_state,
            "pgs_by_pool": {str(k): v for k, v in self.by_pool.items()},
            "combinations": [
                {"state": s, "count": n, "in_words": w} for s, n, w in self.combinations
            ],
            "explanations": [
                {
                    "state": s.name,
                    "meaning_en": s.meaning_en,
                    "meaning_zh": s.meaning_zh,
                    "severity": s.severity,
                }
                for s in self.explanations
            ],
            "health_checks": list(self.checks),
            "next_steps": [{"why": s.why, "command": s.command} for s in self.next_steps],
        }


def in_words(state: str) -> str:
    """``active+undersized+degraded`` -> "serving reads and writes, with fewer copies ..."."""
    parts = [
        PHRASES.get(p) or (lookup(p).meaning_en.rstrip(".") if lookup(p) else p)
        for p in state.split("+")
    ]
    return ", ".join(parts)


def _pgid_example(s: Snapshot, component: str) -> str:
    ids = s.pgs_in(component)
    return ids[0] if ids else "PGID"


def explain(s: Snapshot) -> Report:
    components = sorted({p for st in s.pgs_by_state for p in st.split("+")})
    explanations = tuple(
        sorted(
            (STATES.get(p) or lookup(p) for p in components if lookup(p) is not None),
            key=lambda x: (-SEVERITY_RANK[x.severity], x.name),
        )
    )
    combos = tuple(
        (st, n, in_words(st))
        for st, n in sorted(s.pgs_by_state.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    steps: list[Step] = []
    names = {c.name for c in s.checks}
    down = s.osds.get("num_osds", 0) - s.osds.get("num_up_osds", 0)
    if "OSD_DOWN" in names or down > 0:
        steps += [
            Step("an OSD is down: which one, on which host", "ceph osd tree down"),
            Step("the PGs it held and their states", "ceph health detail"),
        ]
    for st in explanations:
        if st.severity == "action" and st.check and st.name != "inconsistent":
            pgid = _pgid_example(s, st.name)
            why = f"{st.name}: " + st.check.replace("`", "").split(":")[0]
            steps += [
                Step(why, cmd.replace("PGID", pgid)) for cmd in re.findall(r"`([^`]+)`", st.check)
            ]
    if "inconsistent" in components:
        pgid = _pgid_example(s, "inconsistent")
        steps += [
            Step(
                "which object and shard disagree",
                f"rados list-inconsistent-obj {pgid} --format=json-pretty",
            ),
            Step("rewrite the bad copy from the authoritative one", f"ceph pg repair {pgid}"),
        ]
    if any(p in components for p in ("peering", "activating", "stale", "unknown", "creating")):
        steps.append(
            Step("PGs stuck for longer than mon_pg_stuck_threshold", "ceph pg dump_stuck inactive")
        )
    if any(
        p in components
        for p in (
            "degraded",
            "undersized",
            "recovering",
            "backfilling",
            "recovery_wait",
            "backfill_wait",
            "remapped",
        )
    ):
        steps.append(Step("recovery and backfill progress", "ceph -s"))
    if steps or s.health not in (None, "HEALTH_OK"):
        steps.append(
            Step(
                "one PG in detail: its up and acting sets, recovery state, blockers",
                f"ceph pg {_pgid_example(s, components[0] if components else '')} query",
            )
        )
    seen: set[str] = set()
    ordered = [st for st in steps if not (st.command in seen or seen.add(st.command))]
    checks = tuple(f"{c.name} ({c.severity}): {c.summary}" for c in s.checks)
    return Report(
        s.health, dict(s.pgs_by_state), s.by_pool(), combos, explanations, tuple(ordered), checks
    )
