"""The notebook's surprises as named scenarios, and the tables it shows.

Each scenario is one CronJob, a period, Job durations and outages; :func:`run` simulates it
under a controller version. The table builders turn schedules, decisions and simulation
results into :class:`~infranotes.plotting.Table` rows, so notebook cells stay one call long.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from infranotes.cronjob.controller import CronJobSpec, Decision, Status, decide, iso
from infranotes.cronjob.schedule import ScheduleError, describe, next_times, parse_schedule
from infranotes.cronjob.simulate import Result, simulate
from infranotes.table import Table

T0 = 1_714_521_600  # 2024-05-01T00:00:00Z, a Wednesday
H = 3600


@dataclass(frozen=True)
class Scenario:
    title: str
    spec: CronJobSpec
    start: int
    end: int
    duration: int
    outages: tuple[tuple[int, int], ...] = ()
    skew: int = 0


SCENARIOS = {
    "outage": Scenario(
        "every minute, controller down 00:30-02:30, no startingDeadlineSeconds",
        CronJobSpec("backup", "* * * * *", T0),
        T0,
        T0 + 4 * H,
        20,
        outages=((T0 + H // 2, T0 + 5 * H // 2),),
    ),
    "forbid": Scenario(
        "every 10 minutes, Forbid, Jobs run 25 minutes",
        CronJobSpec("report", "*/10 * * * *", T0, concurrency_policy="Forbid"),
        T0,
        T0 + H,
        25 * 60,
    ),
    "replace": Scenario(
        "every 10 minutes, Replace, Jobs would run 25 minutes",
        CronJobSpec("report", "*/10 * * * *", T0, concurrency_policy="Replace"),
        T0,
        T0 + H,
        25 * 60,
    ),
    "short-deadline": Scenario(
        "every minute, startingDeadlineSeconds 5, the controller's sync at :07 past each 10 s",
        CronJobSpec("sync", "* * * * *", T0, starting_deadline_seconds=5),
        T0 + 7,
        T0 + 10 * 60,
        20,
    ),
    "friday-13": Scenario(
        "0 0 13 * 5: Fridays and the 13th",
        CronJobSpec("cleanup", "0 0 13 * 5", T0),
        T0,
        T0 + 61 * 86400,
        3 * H,
    ),
    "dst-spring": Scenario(
        "30 2 * * * in America/New_York across the spring-forward night",
        CronJobSpec("nightly", "30 2 * * *", 1_709_942_400, time_zone="America/New_York"),
        1_709_942_400,
        1_710_244_800,
        30 * 60,  # 2024-03-09T00:00Z .. 2024-03-12T12:00Z
    ),
    "dst-fall": Scenario(
        "30 1 * * * in America/New_York across the fall-back night",
        CronJobSpec("nightly", "30 1 * * *", 1_730_548_800, time_zone="America/New_York"),
        1_730_548_800,
        1_730_721_600,
        20 * 60,  # 2024-11-02T12:00Z .. 2024-11-04T12:00Z
    ),
}


def run(name: str, version: str = "current") -> Result:
    """Simulate the named scenario under a controller version."""
    s = SCENARIOS[name]
    return simulate(s.spec, s.start, s.end, s.duration, version, outages=s.outages, skew=s.skew)


def summary(results: list[Result]) -> Table:
    """One row per run: how many Jobs started, how many schedule times passed, what went wrong."""
    rows = []
    for r in results:
        late = sum(1 for j in r.jobs if j.start - j.scheduled >= 60)
        problems = sorted(
            {
                e.detail.split(";")[0][:70]
                for e in r.events
                if e.kind in ("skipped", "error", "warning")
            }
        )
        rows.append(
            (r.version, len(r.ticks), len(r.jobs), late, r.syncs, "; ".join(problems) or "-")
        )
    return Table(
        (
            "controller",
            "schedule times",
            "Jobs started",
            "started ≥ 1 min late",
            "syncs",
            "skips, errors and warnings",
        ),
        rows,
    )


def events(
    r: Result,
    kinds: tuple[str, ...] = ("started", "skipped", "error", "warning", "replaced"),
    limit: int = 12,
) -> Table:
    """The first events of a run, in order."""
    rows = [(iso(e.t), e.kind, e.detail[:95]) for e in r.events if e.kind in kinds][:limit]
    return Table(("time (UTC)", "event", "detail"), rows)


def next_table(specs: list[str], start: int, zone: str = "UTC", n: int = 3) -> Table:
    """A crontab.guru-style explainer: each spec in words and its next activations."""
    tz = ZoneInfo(zone)
    rows = []
    for spec in specs:
        try:
            s = parse_schedule(spec)
        except ScheduleError as exc:
            rows.append((spec, f"rejected by the API server: {exc}", "-"))
            continue
        times = [] if s.next(start, tz) is None else next_times(s, start, n, tz)
        out_tz = s.location() or tz
        shown = ", ".join(
            dt.datetime.fromtimestamp(t, out_tz).strftime("%a %Y-%m-%d %H:%M %Z") for t in times
        )
        never = "never (accepted; the controller reports InvalidSchedule)"
        rows.append((spec, describe(s), shown or never))
    return Table(("schedule", "in words", f"next {n} after {iso(start)} ({zone})"), rows)


def decisions(spec: CronJobSpec, status: Status, nows: list[int]) -> Table:
    """What each controller version does at each instant, side by side."""
    rows = []
    for now in nows:
        for version in ("v1.10", "current"):
            d: Decision = decide(spec, status, now, version)
            rows.append(
                (
                    iso(now),
                    version,
                    d.action,
                    iso(d.scheduled_time) or "-",
                    d.reason[:90],
                    iso(d.next) or "on change",
                )
            )
    return Table(("now", "controller", "action", "scheduled time", "why", "looks again"), rows)


def compare_figure(name: str, versions: tuple[str, ...] = ("v1.10", "current")):
    """The scenario's timeline under each controller version, one row each."""
    from infranotes.cronjob.simulate import timeline
    from infranotes.plotting import figure

    fig, axes = figure(len(versions), 1, figsize=(5, 2.3 * len(versions) + 0.8), sharex=True)
    axes = list(axes) if len(versions) > 1 else [axes]
    for ax, version in zip(axes, versions, strict=True):
        timeline(run(name, version), f"{version} controller", ax=ax)
        if ax is not axes[-1]:
            ax.set_xlabel("")
    fig.suptitle(textwrap.fill(SCENARIOS[name].title, 48), fontsize=11)
    return fig
