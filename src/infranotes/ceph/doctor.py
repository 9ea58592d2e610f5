"""The doctor: a snapshot's states and health checks in plain words, and what to run next,
most urgent first — never "watch the recovery" when nothing lets it start."""

from __future__ import annotations

import re
from dataclasses import dataclass

from infranotes.ceph.checks import CHECKS, Check, lookup_check
from infranotes.ceph.detail import Detail
from infranotes.ceph.glossary import SEVERITY_RANK, STATES, State, lookup
from infranotes.ceph.messages import PHRASES_ZH, STATE_WHY_ZH, STEPS_ZH, tr
from infranotes.ceph.snapshot import HealthCheck, Snapshot
from infranotes.i18n import check_lang

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
class CheckExplained:
    """A health check the cluster raised, with the glossary's meaning (None if unknown)."""

    raised: HealthCheck
    glossary: Check | None
    details: tuple[Detail, ...]

    def to_json(self) -> dict[str, object]:
        g = self.glossary
        return {
            "code": self.raised.name,
            "severity": self.raised.severity,
            "summary": self.raised.summary,
            "meaning_en": g.meaning_en if g else None,
            "meaning_zh": g.meaning_zh if g else None,
            "documented_severity": g.severity if g else None,
            "urgency": g.urgency if g else None,
            "details": [d.to_json() for d in self.details],
        }


@dataclass(frozen=True)
class Report:
    health: str | None
    pgs_by_state: dict[str, int]
    by_pool: dict[int, dict[str, int]]
    combinations: tuple[tuple[str, int, str], ...]  # (state, count, in words)
    explanations: tuple[State, ...]
    next_steps: tuple[Step, ...]
    checks: tuple[str, ...]
    check_explanations: tuple[CheckExplained, ...] = ()
    recovery_blocked: tuple[str, ...] = ()  # why no recovery can start, if so

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
            "health_check_explanations": [c.to_json() for c in self.check_explanations],
            "recovery_blocked": list(self.recovery_blocked),
            "next_steps": [{"why": s.why, "command": s.command} for s in self.next_steps],
        }


def in_words(state: str, lang: str = "en") -> str:
    """``active+undersized+degraded`` -> "serving reads and writes, with fewer copies ..."."""
    if check_lang(lang) == "zh":
        return "，".join(
            PHRASES_ZH.get(p) or (lookup(p).meaning_zh.rstrip("。") if lookup(p) else p)
            for p in state.split("+")
        )
    parts = [
        PHRASES.get(p) or (lookup(p).meaning_en.rstrip(".") if lookup(p) else p)
        for p in state.split("+")
    ]
    return ", ".join(parts)


def _step_why(why: str, lang: str) -> str:
    """A step's reason from ``checks.CHECKS`` (English data) in ``lang``."""
    return STEPS_ZH.get(why, why) if lang == "zh" else why


def _pgid_example(s: Snapshot, component: str) -> str:
    ids = s.pgs_in(component)
    return ids[0] if ids else "PGID"


# Recovery and backfill are running when a PG shows one of these (pg-states.rst).
_RECOVERING = ("recovering", "recovery_wait", "backfilling", "backfill_wait")
# src/osd/OSDMap.cc, OSDMap::check_health: OSDMAP_FLAGS' summary is "<flags> flag(s) set".
_FLAGS = re.compile(r"^(\S+) flag\(s\) set")
# The cluster flags that stop recovery or IO (doc/rados/operations/health-checks.rst,
# OSDMAP_FLAGS).
_FLAG_BLOCKS = ("norecover", "nobackfill", "pause", "pauserd", "pausewr")


def _flag_blocks(flag: str, lang: str) -> str:
    """What ``flag`` (one of :data:`_FLAG_BLOCKS`) stops, in ``lang``."""
    return {
        "norecover": tr(lang, "the norecover flag suspends recovery"),
        "nobackfill": tr(lang, "the nobackfill flag suspends backfill"),
        "pause": tr(lang, "the pause flags stop all IO"),
        "pauserd": tr(lang, "the pauserd flag stops reads"),
        "pausewr": tr(lang, "the pausewr flag stops writes"),
    }[flag]


def _flags(s: Snapshot) -> set[str]:
    for c in s.checks:
        m = _FLAGS.match(c.summary) if c.name == "OSDMAP_FLAGS" else None
        if m:
            return set(m.group(1).split(","))
    return set()


def _down_osds(s: Snapshot) -> tuple[list[int], int]:
    """The OSDs health detail names as down, and how many are down (``ceph -s`` counts)."""
    named = sorted(
        {d.osd for c in s.checks if c.name == "OSD_DOWN" for d in c.lines() if d.osd is not None}
    )
    counted = s.osds.get("num_osds", 0) - s.osds.get("num_up_osds", 0)
    return named, max(len(named), counted)


def _out_but_up(s: Snapshot) -> tuple[list[int], int]:
    """OSDs still in a remapped PG's acting set but in no PG's up set (marked out, still up),
    and how many OSDs are up but not in by ``ceph -s`` (num_up_osds - num_in_osds)."""
    remapped = [pg for pg in s.pgs if "remapped" in pg.state.split("+")]
    in_up = {o for pg in s.pgs for o in pg.up}
    named = sorted({o for pg in remapped for o in pg.acting if o not in in_up})
    counted = s.osds.get("num_up_osds", 0) - s.osds.get("num_in_osds", 0)
    return named, max(len(named), counted)


def _subjects(c: HealthCheck) -> dict[str, str]:
    """Placeholders of the glossary's commands filled from the check's detail lines."""
    out: dict[str, str] = {}
    for d in c.lines():
        if d.pgid and "PGID" not in out:
            out["PGID"] = d.pgid
        if d.pool and "POOL" not in out:
            out["POOL"] = d.pool
        if d.osd is not None and "ID" not in out:
            out["ID"] = str(d.osd)
    return out


def _fill(command: str, subjects: dict[str, str]) -> str:
    for key in ("PGID", "POOL", "ID"):  # PGID before ID: "PGID" contains "ID"
        if key in subjects:
            command = re.sub(rf"\b{key}\b", subjects[key], command)
    return command


def _check_steps(
    c: HealthCheck, g: Check, reading_detail: bool, flags: set[str], names: set[str], lang: str
) -> list[Step]:
    subjects = _subjects(c)
    pairs = g.steps
    # POOL_FULL "(no space)" is full OSDs, not a quota (OSDMap::check_health); without the
    # detail lines (ceph -s), OSD_FULL beside it says the same.
    if c.name == "POOL_FULL" and (
        any(d.what == "no space" for d in c.lines()) or (not c.details and "OSD_FULL" in names)
    ):
        pairs = CHECKS["OSD_FULL"].steps
    if c.name == "OSDMAP_FLAGS" and flags:
        pairs = (
            pairs[0],
            # "full" is set by Ceph itself and cannot be unset by hand (health-checks.rst)
            *(
                (tr(lang, "clear {flag} when its work is done", flag=f), f"ceph osd unset {f}")
                for f in sorted(flags - {"full"})
            ),
        )
    if lang == "zh":
        translated = {p[0] for p in g.steps} | {p[0] for p in CHECKS["OSD_FULL"].steps}
        pairs = tuple((_step_why(w, lang) if w in translated else w, *cmd) for w, *cmd in pairs)
    steps = []
    for why, *command in pairs:
        if not command:  # advice without a command ("add OSDs, or delete data")
            continue
        cmd = _fill(command[0], subjects)
        if reading_detail and cmd == "ceph health detail":
            continue  # the document already is the health detail
        steps.append(Step(f"{c.name}: {why}", cmd))
    return steps


def explain(s: Snapshot, lang: str = "en") -> Report:
    """What ``s`` means and what to run next; ``lang="zh"`` words it in Chinese (the states,
    check codes, Ceph's own summaries and the commands stay as Ceph prints them)."""
    check_lang(lang)
    components = sorted({p for st in s.pgs_by_state for p in st.split("+")})
    explanations = tuple(
        sorted(
            (STATES.get(p) or lookup(p) for p in components if lookup(p) is not None),
            key=lambda x: (-SEVERITY_RANK[x.severity], x.name),
        )
    )
    combos = tuple(
        (st, n, in_words(st, lang))
        for st, n in sorted(s.pgs_by_state.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    raised = tuple(
        sorted(
            (CheckExplained(c, lookup_check(c.name), c.lines()) for c in s.checks),
            key=lambda e: (
                e.glossary.urgency if e.glossary else 9,
                e.raised.severity != "HEALTH_ERR",
                e.raised.name,
            ),
        )
    )
    names = {c.name for c in s.checks}
    flags = _flags(s)
    down_named, down = _down_osds(s)
    out_named, out_up = _out_but_up(s)
    out_text = ", ".join(f"osd.{o}" for o in out_named) or tr(lang, "{n} OSD(s)", n=out_up)
    # Remapped PGs whose up set is shorter than their acting set: CRUSH cannot find enough
    # OSDs in, so the pg_temp that keeps the old acting set can never be dropped.
    short = [
        pg for pg in s.pgs if "remapped" in pg.state.split("+") and len(pg.up) < len(pg.acting)
    ]
    reading_detail = s.kind in ("health detail", "settled")
    down_text = ", ".join(f"osd.{o}" for o in down_named) or tr(lang, "{n} OSD(s)", n=down)

    # Why no recovery can start now, each with the step that lifts it.
    blocked: list[str] = []
    steps: list[Step] = []
    if down and "noout" in flags:
        blocked.append(
            tr(
                lang,
                "noout is set with {osds} down: a down OSD is never marked out, so no recovery "
                "to other OSDs starts; the PGs stay undersized until it is back",
                osds=down_text,
            )
        )
        steps += [
            Step(
                tr(lang, "noout with {osds} down: which, on which host", osds=down_text),
                "ceph osd tree down",
            ),
            Step(tr(lang, "noout: clear it when the maintenance is done"), "ceph osd unset noout"),
        ]
    elif down and ({"degraded", "undersized"} & set(components) or "PG_DEGRADED" in names):
        blocked.append(
            tr(
                lang,
                "{osds} down but not yet out: recovery onto other OSDs starts only once it is "
                "marked out (mon_osd_down_out_interval, 600 s by default), and only if enough "
                "OSDs remain in for the pool's size",
                osds=down_text,
            )
        )
    for flag in sorted(flags & set(_FLAG_BLOCKS)):
        blocked.append(_flag_blocks(flag, lang))
        steps.append(
            Step(tr(lang, "{flag}: clear it when done", flag=flag), f"ceph osd unset {flag}")
        )
    if {"OSD_FULL", "PG_RECOVERY_FULL"} & names or "recovery_toofull" in components:
        blocked.append(tr(lang, "OSDs are above the full ratio: recovery onto them waits"))
    if {"OSD_BACKFILLFULL", "PG_BACKFILL_FULL"} & names or "backfill_toofull" in components:
        blocked.append(tr(lang, "OSDs are above the backfillfull ratio: backfill onto them waits"))
    if short:
        pg = short[0]
        blocked.append(
            tr(
                lang,
                "{osds} marked out while up: CRUSH finds only {up} OSDs in for PGs that keep "
                "{copies} copies (pg {pgid}: up {up_set}, acting {acting_set}), fewer OSDs in "
                "than the pool's size, so {remapped} remapped PGs keep their old acting set "
                "(pg_temp) and the remap can never complete; nothing moves until it is marked "
                "in again (or OSDs are added)",
                osds=out_text,
                up=len(pg.up),
                copies=len(pg.acting),
                pgid=pg.pgid,
                up_set=list(pg.up),
                acting_set=list(pg.acting),
                remapped=len(short),
            )
        )
    if out_up:
        steps.append(
            Step(
                tr(
                    lang,
                    "{osds} out but up: which (REWEIGHT 0 in the tree); with fewer OSDs in than "
                    "a pool's size its remap cannot complete",
                    osds=out_text,
                ),
                "ceph osd tree",
            )
        )
        steps += [
            Step(tr(lang, "osd.{osd} out but up: mark it in again", osd=o), f"ceph osd in {o}")
            for o in out_named
        ]
        if not out_named:
            steps.append(Step(tr(lang, "an OSD out but up: mark it in again"), "ceph osd in ID"))
    if any("peered" in st.split("+") and "active" not in st.split("+") for st in s.pgs_by_state):
        steps += [
            Step(
                tr(
                    lang,
                    "peered PGs: fewer copies than the pool's min_size, so no IO; size and "
                    "min_size per pool",
                ),
                "ceph osd pool ls detail",
            ),
            Step(tr(lang, "peered PGs: bring back the missing OSDs"), "ceph osd tree down"),
        ]

    for e in raised:
        if e.glossary:
            steps += _check_steps(e.raised, e.glossary, reading_detail, flags, names, lang)

    if "OSD_DOWN" in names or down > 0:
        steps += [
            Step(tr(lang, "an OSD is down: which one, on which host"), "ceph osd tree down"),
            Step(tr(lang, "the PGs it held and their states"), "ceph health detail"),
        ]
    for st in explanations:
        if st.severity == "action" and st.check and st.name != "inconsistent":
            pgid = _pgid_example(s, st.name)
            reason = st.check.replace("`", "").split(":")[0]
            if lang == "zh":
                reason = STATE_WHY_ZH.get(st.name, reason)
            why = f"{st.name}: {reason}"
            steps += [
                Step(why, cmd.replace("PGID", pgid)) for cmd in re.findall(r"`([^`]+)`", st.check)
            ]
    if "inconsistent" in components:
        pgid = _pgid_example(s, "inconsistent")
        steps += [
            Step(
                tr(lang, "which object and shard disagree"),
                f"rados list-inconsistent-obj {pgid} --format=json-pretty",
            ),
            Step(
                tr(lang, "rewrite the bad copy from the authoritative one"),
                f"ceph pg repair {pgid}",
            ),
        ]
    if any(p in components for p in ("peering", "activating", "stale", "unknown", "creating")):
        steps.append(
            Step(
                tr(lang, "PGs stuck for longer than mon_pg_stuck_threshold"),
                "ceph pg dump_stuck inactive",
            )
        )
    # Only recovery that is running and not blocked is worth watching.
    if any(p in components for p in _RECOVERING) and not blocked:
        steps.append(Step(tr(lang, "recovery and backfill progress"), "ceph -s"))
    if steps or s.health not in (None, "HEALTH_OK"):
        steps.append(
            Step(
                tr(lang, "one PG in detail: its up and acting sets, recovery state, blockers"),
                f"ceph pg {_pgid_example(s, components[0] if components else '')} query",
            )
        )
    if reading_detail:
        steps = [st for st in steps if st.command != "ceph health detail"]
    if blocked:  # a check's own "progress: ceph -s" (OBJECT_MISPLACED...) would watch nothing
        steps = [st for st in steps if st.command != "ceph -s"]
    seen: set[str] = set()
    ordered = [st for st in steps if not (st.command in seen or seen.add(st.command))]
    checks = tuple(f"{c.name} ({c.severity}): {c.summary}" for c in s.checks)
    return Report(
        s.health,
        dict(s.pgs_by_state),
        s.by_pool(),
        combos,
        explanations,
        tuple(ordered),
        checks,
        raised,
        tuple(blocked),
    )
