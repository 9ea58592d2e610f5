"""PG states over time as a stacked area, from the live lab or from a recorded run."""

from __future__ import annotations

import json
from importlib import resources

from infranotes.plotting import PALETTE, figure

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
