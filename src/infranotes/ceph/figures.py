"""PG states over time as a stacked area, from the live lab or from a recorded run."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import TYPE_CHECKING

from infranotes.plotting import PALETTE, figure
from infranotes.table import Table

if TYPE_CHECKING:
    from infranotes.ceph.lab import Stage

# Families of states, most serious first wins: a PG counts in the first family its state has.
FAMILIES = (
    ("inconsistent / repair", ("inconsistent", "repair")),
    ("stale / down", ("stale", "down")),
    ("peering / activating", ("peering", "activating", "unknown", "creating")),
    ("backfill", ("backfill_wait", "backfilling")),
    ("recovery", ("recovery_wait", "recovering")),
    ("undersized / degraded", ("undersized", "degraded", "remapped")),
    ("scrubbing", ("scrubbing",)),
    ("active+clean", ("clean",)),
)
RECORDED = (
    "timeline_pool_create",
    "timeline_osd2_down",
    "timeline_osd2_restart",
    "timeline_deep_scrub",
    "timeline_repair",
)


def family(state: str) -> str:
    parts = state.split("+")
    for name, keys in FAMILIES:
        if any(k in parts for k in keys):
            return name
    return "other"


def recorded_points() -> list[tuple[float, dict[str, int]]]:
    """The recorded run's timelines (the shared recipe, Ceph 16.2.15) laid end to end."""
    points, offset = [], 0.0
    base = resources.files("infranotes.ceph").joinpath("recorded")
    for name in RECORDED:
        doc = json.loads(base.joinpath(f"{name}.json").read_text())
        for p in doc["timeline"]:
            points.append((round(offset + p["t"], 2), dict(p["states"])))
        offset += doc["seconds_to_predicate"] + 5
    return points


def recorded_snapshot(stage: str) -> dict:
    return json.loads(
        resources.files("infranotes.ceph")
        .joinpath("recorded")
        .joinpath(f"{stage}.json")
        .read_text()
    )


def stacked_states(points: list[tuple[float, dict[str, int]]], title: str = ""):
    """PG counts by family of state against time (a step function between samples)."""
    names = [n for n, _ in FAMILIES] + ["other"]
    xs, series = [], {n: [] for n in names}
    for t, hist in points:
        counts = dict.fromkeys(names, 0)
        for state, n in hist.items():
            counts[family(state)] += n
        xs.append(t)
        for n in names:
            series[n].append(counts[n])
    fig, ax = figure(figsize=(5, 5.0))  # narrow, legend below: 10 pt text stays legible on a phone
    colors = [
        PALETTE[3],
        "#444444",
        PALETTE[4],
        PALETTE[1],
        "#e0b040",
        PALETTE[0],
        "#9bbbd4",
        PALETTE[2],
        "#bbbbbb",
    ]
    used = [n for n in names if any(series[n])]
    ax.stackplot(
        xs,
        *[series[n] for n in used],
        labels=used,
        step="post",
        colors=[colors[names.index(n)] for n in used],
    )
    ax.set_xlabel("seconds")
    ax.set_ylabel("placement groups")
    ax.set_xlim(xs[0], xs[-1])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, fontsize=10)
    if title:
        ax.set_title(title, fontsize=11)
    return fig


def glossary_table() -> Table:
    from infranotes.ceph.glossary import STATES

    return Table(
        ("state", "meaning", "含义", "severity"),
        [(s.name, s.meaning_en, s.meaning_zh, s.severity) for s in STATES.values()],
    )


def counts_phrase(counts: Mapping[str, int]) -> str:
    """PG counts as a reader says them: ``28 active+undersized+degraded, 4 active+undersized``.

    Largest count first (ties by state), so the settled state of a stage reads first; an
    empty mapping (no PG reported) is ``no PGs``. The notebook shows this instead of the dict.
    """
    if not counts:
        return "no PGs"
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{n} {state}" for state, n in ordered)


def stages_table(stages: Iterable[Stage]) -> Table:
    """One row per step of the live scenario: time taken, health, settled states in words."""
    return Table(
        ("step", "seconds", "health", "settled PG states", "states seen on the way"),
        [
            (
                s.name,
                s.seconds,
                s.snapshot.health if s.snapshot else "—",
                counts_phrase(s.snapshot.pgs_by_state) if s.snapshot else "—",
                len(s.seen),
            )
            for s in stages
        ],
    )


HEALTH_STAGES = (
    "health_01_nearfull_ratio_lowered",
    "health_02_full_ratios_lowered",
    "health_03_pool_quota_94_warn_threshold_80",
    "health_04_pool_quota_reached",
    "health_05_noout_osd_2_stopped",
    "health_06_min_size_3_size_osd_2_down",
    "health_07_osd_2_back_noout_unset",
    "health_08_osd_1_out_still_up",
)


def health_stages_table() -> Table:
    """The recorded health stages (``MiniCluster.health_scenario``): what each one raised."""
    from infranotes.ceph.snapshot import parse_recorded

    rows = []
    for name in HEALTH_STAGES:
        doc = recorded_snapshot(name)
        s = parse_recorded(doc, name)
        rows.append(
            (
                doc["stage"],
                s.health,
                counts_phrase(s.pgs_by_state),
                ", ".join(c.name for c in s.checks) or "-",
            )
        )
    return Table(("stage", "health", "settled PG states", "health checks"), rows)


def health_glossary_table() -> Table:
    """Every Ceph 16 health check code (``checks.CHECKS``) in both languages."""
    from infranotes.ceph.checks import CHECKS

    return Table(
        ("check", "raised by", "severity", "meaning", "含义"),
        [(c.code, c.origin, c.severity, c.meaning_en, c.meaning_zh) for c in CHECKS.values()],
    )


def checks_table(report) -> Table:
    """A report's health checks: as raised, and what they mean in both languages."""
    return Table(
        ("check", "raised as", "summary", "meaning", "含义"),
        [
            (
                e.raised.name,
                e.raised.severity,
                e.raised.summary,
                e.glossary.meaning_en if e.glossary else "?",
                e.glossary.meaning_zh if e.glossary else "?",
            )
            for e in report.check_explanations
        ],
    )


def steps_table(report) -> Table:
    return Table(
        ("#", "run", "why"), [(i, s.command, s.why) for i, s in enumerate(report.next_steps, 1)]
    )
