"""The notebook's surprises as named scenarios, and the tables it shows.

Each scenario is one CronJob, a period, Job durations and outages; :func:`run` simulates it
under a controller version. The table builders turn schedules, decisions and simulation
results into :class:`~infranotes.plotting.Table` rows, so notebook cells stay one call long.
Each builder takes ``lang`` ("en" or "zh"): the words are translated when the table is built,
never in the results (actions, event kinds and versions stay the English data they are).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from infranotes.cronjob.controller import CronJobSpec, Decision, Status, decide, iso
from infranotes.cronjob.messages import tr
from infranotes.cronjob.schedule import (
    ScheduleError,
    day_name,
    describe,
    next_times,
    parse_schedule,
)
from infranotes.cronjob.simulate import Result, simulate
from infranotes.table import Table

T0 = 1_714_521_600  # 2024-05-01T00:00:00Z, a Wednesday
H = 3600


def title(name: str, lang: str = "en") -> str:
    """The named scenario's one-line title (the figures show the English one)."""
    titles = {
        "outage": lambda: tr(
            lang, "every minute, controller down 00:30-02:30, no startingDeadlineSeconds"
        ),
        "forbid": lambda: tr(lang, "every 10 minutes, Forbid, Jobs run 25 minutes"),
        "replace": lambda: tr(lang, "every 10 minutes, Replace, Jobs would run 25 minutes"),
        "short-deadline": lambda: tr(
            lang,
            "every minute, startingDeadlineSeconds 5, the controller's sync at :07 past each 10 s",
        ),
        "friday-13": lambda: tr(lang, "0 0 13 * 5: Fridays and the 13th"),
        "dst-spring": lambda: tr(
            lang, "30 2 * * * in America/New_York across the spring-forward night"
        ),
        "dst-fall": lambda: tr(lang, "30 1 * * * in America/New_York across the fall-back night"),
    }
    return titles[name]()


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
        title("outage"),
        CronJobSpec("backup", "* * * * *", T0),
        T0,
        T0 + 4 * H,
        20,
        outages=((T0 + H // 2, T0 + 5 * H // 2),),
    ),
    "forbid": Scenario(
        title("forbid"),
        CronJobSpec("report", "*/10 * * * *", T0, concurrency_policy="Forbid"),
        T0,
        T0 + H,
        25 * 60,
    ),
    "replace": Scenario(
        title("replace"),
        CronJobSpec("report", "*/10 * * * *", T0, concurrency_policy="Replace"),
        T0,
        T0 + H,
        25 * 60,
    ),
    "short-deadline": Scenario(
        title("short-deadline"),
        CronJobSpec("sync", "* * * * *", T0, starting_deadline_seconds=5),
        T0 + 7,
        T0 + 10 * 60,
        20,
    ),
    "friday-13": Scenario(
        title("friday-13"),
        CronJobSpec("cleanup", "0 0 13 * 5", T0),
        T0,
        T0 + 61 * 86400,
        3 * H,
    ),
    "dst-spring": Scenario(
        title("dst-spring"),
        CronJobSpec("nightly", "30 2 * * *", 1_709_942_400, time_zone="America/New_York"),
        1_709_942_400,
        1_710_244_800,
        30 * 60,  # 2024-03-09T00:00Z .. 2024-03-12T12:00Z
    ),
    "dst-fall": Scenario(
        title("dst-fall"),
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


def version_name(version: str, lang: str = "en") -> str:
    """A controller version as a table shows it: v1.10, or current (当前版本)."""
    return tr(lang, "current") if version == "current" else version


def summary(results: list[Result], lang: str = "en") -> Table:
    """One row per run: how many Jobs started, how many schedule times passed, what went wrong.

    The last column holds each distinct problem once, cut at its first ";" and 70 characters:
    the controller's own messages and events as Kubernetes writes them, the reasons in ``lang``.
    """
    rows = []
    for r in results:
        late = sum(1 for j in r.jobs if j.start - j.scheduled >= 60)
        problems = {}  # the English first part decides what is distinct, and the order
        for e in r.events:
            if e.kind in ("skipped", "error", "warning"):
                first = e.detail.split(";")[0][:70]
                problems.setdefault(first, e.detail_in(lang).split("；")[0].split(";")[0][:70])
        rows.append(
            (
                version_name(r.version, lang),
                len(r.ticks),
                len(r.jobs),
                late,
                r.syncs,
                "; ".join(problems[k] for k in sorted(problems)) or "-",
            )
        )
    return Table(
        (
            tr(lang, "controller"),
            tr(lang, "schedule times"),
            tr(lang, "Jobs started"),
            tr(lang, "started ≥ 1 min late"),
            tr(lang, "syncs"),
            tr(lang, "skips, errors and warnings"),
        ),
        rows,
    )


def event_kind(kind: str, lang: str = "en") -> str:
    """An event kind of a simulation (started, skipped...) as a table shows it."""
    words = {
        "started": lambda: tr(lang, "started"),
        "skipped": lambda: tr(lang, "skipped"),
        "error": lambda: tr(lang, "error"),
        "warning": lambda: tr(lang, "warning"),
        "replaced": lambda: tr(lang, "replaced"),
        "succeeded": lambda: tr(lang, "succeeded"),
        "deleted": lambda: tr(lang, "deleted"),
    }
    return words[kind]()


def events(
    r: Result,
    kinds: tuple[str, ...] = ("started", "skipped", "error", "warning", "replaced"),
    limit: int = 12,
    lang: str = "en",
) -> Table:
    """The first events of a run, in order."""
    rows = [
        (iso(e.t), event_kind(e.kind, lang), e.detail_in(lang)[:95])
        for e in r.events
        if e.kind in kinds
    ][:limit]
    return Table((tr(lang, "time (UTC)"), tr(lang, "event"), tr(lang, "detail")), rows)


def local_time(t: int, zone: ZoneInfo, lang: str = "en", with_year: bool = True) -> str:
    """An instant in ``zone``: "Fri 2024-05-03 00:00 UTC" ("周五 2024-05-03 00:00 UTC"), or
    without the year "Sat 09 Mar 02:30 EST" ("3 月 9 日 周六 02:30 EST")."""
    d = dt.datetime.fromtimestamp(t, zone)
    if lang == "en":
        return d.strftime("%a %Y-%m-%d %H:%M %Z" if with_year else "%a %d %b %H:%M %Z")
    day = day_name(d.isoweekday() % 7, lang)
    if with_year:
        return f"{day} {d:%Y-%m-%d %H:%M %Z}"
    return tr(
        lang,
        "{weekday} {day} {month} {time}",
        weekday=day,
        day=d.day,
        month=d.month,
        time=f"{d:%H:%M %Z}",
    )


def next_table(
    specs: list[str], start: int, zone: str = "UTC", n: int = 3, lang: str = "en"
) -> Table:
    """A crontab.guru-style explainer: each spec in words and its next activations."""
    tz = ZoneInfo(zone)
    rows = []
    for spec in specs:
        try:
            s = parse_schedule(spec)
        except ScheduleError as exc:
            rows.append((spec, tr(lang, "rejected by the API server: {error}", error=exc), "-"))
            continue
        times = [] if s.next(start, tz) is None else next_times(s, start, n, tz)
        out_tz = s.location() or tz
        shown = ", ".join(local_time(t, out_tz, lang) for t in times)
        never = tr(lang, "never (accepted; the controller reports InvalidSchedule)")
        rows.append((spec, describe(s, lang), shown or never))
    header = (
        tr(lang, "schedule"),
        tr(lang, "in words"),
        tr(lang, "next {n} after {start} ({zone})", n=n, start=iso(start), zone=zone),
    )
    return Table(header, rows)


def action_name(action: str, lang: str = "en") -> str:
    """A decision's action (start, skip, wait, error) as a table shows it."""
    words = {
        "start": lambda: tr(lang, "start"),
        "skip": lambda: tr(lang, "skip"),
        "wait": lambda: tr(lang, "wait"),
        "error": lambda: tr(lang, "error"),
    }
    return words[action]()


def decisions(spec: CronJobSpec, status: Status, nows: list[int], lang: str = "en") -> Table:
    """What each controller version does at each instant, side by side."""
    rows = []
    for now in nows:
        for version in ("v1.10", "current"):
            d: Decision = decide(spec, status, now, version)
            rows.append(
                (
                    iso(now),
                    version_name(version, lang),
                    action_name(d.action, lang),
                    iso(d.scheduled_time) or "-",
                    d.reason_in(lang)[:90],
                    iso(d.next) or tr(lang, "on change"),
                )
            )
    return Table(
        (
            tr(lang, "now"),
            tr(lang, "controller"),
            tr(lang, "action"),
            tr(lang, "scheduled time"),
            tr(lang, "why"),
            tr(lang, "looks again"),
        ),
        rows,
    )


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
