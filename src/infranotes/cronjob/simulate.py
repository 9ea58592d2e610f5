"""A discrete-event run of one CronJob under a controller version, with outages and clock skew.

The v1.10 controller syncs every 10 s. The current one wakes at its requeue time (just after
the next schedule time), when one of its Jobs finishes (the Job informer enqueues the
CronJob), and when it comes back from an outage (the informers list everything again). Jobs
run for a given duration and succeed; after each sync, succeeded Jobs beyond
``successfulJobsHistoryLimit`` are deleted, oldest first. ``skew`` is added to the
controller's clock, not to the Jobs'. The result lists every event and every Job.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from infranotes.cronjob.controller import RESYNC_V110, CronJobSpec, Phrase, Status, decide
from infranotes.cronjob.messages import tr
from infranotes.cronjob.schedule import Schedule, parse_schedule

MAX_TICKS = 5000  # schedule ticks kept for the figure


@dataclass(frozen=True)
class Event:
    t: int
    kind: str  # started, skipped, error, replaced, succeeded, deleted, warning
    detail: str  # English, as the controller's reason reads
    scheduled: int | None = None
    said: Phrase | None = field(default=None, compare=False, repr=False)

    def detail_in(self, lang: str) -> str:
        """The detail in ``lang``: English, or what ``said`` renders (None: the same in both,
        as Kubernetes' own events and job names are)."""
        return self.detail if lang == "en" or self.said is None else self.said(lang)


def _said(t: int, kind: str, said: Phrase, scheduled: int | None) -> Event:
    """An event whose detail is ours: English in ``detail``, any language from ``said``."""
    return Event(t, kind, said("en"), scheduled, said)


@dataclass
class Job:
    name: str
    scheduled: int
    start: int
    end: int
    outcome: str = "running"  # running | succeeded | replaced
    deleted: int | None = None  # when the history limit removed it


@dataclass
class Result:
    spec: CronJobSpec
    version: str
    start: int
    end: int
    events: list[Event] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    outages: tuple[tuple[int, int], ...] = ()
    ticks: list[int] = field(default_factory=list)
    syncs: int = 0

    def kinds(self, kind: str) -> list[Event]:
        return [e for e in self.events if e.kind == kind]


def simulate(
    spec: CronJobSpec,
    start: int,
    end: int,
    duration: int | Callable[[int], int],
    version: str = "current",
    outages: tuple[tuple[int, int], ...] = (),
    skew: int = 0,
    status: Status | None = None,
    controller_zone: str = "UTC",
) -> Result:
    """Run the controller from ``start`` to ``end`` (UT seconds). ``duration`` is seconds per
    Job, or a function of the Job's index; ``outages`` are [down, up) intervals."""
    res = Result(spec, version, start, end, outages=outages)
    sched, tz = parse_schedule(spec.schedule_text(version)), ZoneInfo(controller_zone)
    t = sched.next(start - 1, tz)
    while t is not None and t <= end and len(res.ticks) < MAX_TICKS:
        res.ticks.append(t)
        t = sched.next(t, tz)
    st = status or Status()
    queue: list[int] = [start, *(up for _, up in outages)]
    heapq.heapify(queue)
    reported: set[tuple[str, str, int | None]] = set()
    running: dict[str, Job] = {}

    def down(at: int) -> bool:
        return any(a <= at < b for a, b in outages)

    def reap(at: int) -> None:
        """Jobs that ended by ``at`` succeed; the history limit deletes the oldest."""
        nonlocal st
        for name, job in sorted(running.items(), key=lambda kv: kv[1].end):
            if job.end <= at:
                job.outcome = "succeeded"
                del running[name]
                res.events.append(Event(job.end, "succeeded", name, job.scheduled))
        st = Status(st.last_schedule_time, tuple(running))
        kept = [j for j in res.jobs if j.outcome == "succeeded" and j.deleted is None]
        for old in kept[: max(0, len(kept) - spec.successful_jobs_history_limit)]:
            old.deleted = at
            res.events.append(
                Event(
                    at,
                    "deleted",
                    f"{old.name} (successfulJobsHistoryLimit {spec.successful_jobs_history_limit})",
                    old.scheduled,
                )
            )

    def report(
        at: int, kind: str, detail: str, scheduled: int | None, said: Phrase | None = None
    ) -> None:
        key = (kind, detail.split(";")[0], scheduled)
        if key not in reported:  # the controller repeats itself every sync; say it once
            reported.add(key)
            res.events.append(Event(at, kind, detail, scheduled, said))

    last = None
    while queue:
        now = heapq.heappop(queue)
        if now > end or now == last:
            continue
        last = now
        if down(now):
            continue
        res.syncs += 1
        reap(now)
        d = decide(spec, st, now + skew, version, controller_zone)
        for e in d.events:
            if e.startswith("Warning TooManyMissedTimes"):
                report(now, "warning", e, None)
        if d.action == "start":
            for victim in d.replace:
                job = running.pop(victim)
                job.outcome, job.end = "replaced", now
                res.events.append(
                    _said(
                        now,
                        "replaced",
                        lambda lang, v=victim: tr(lang, "{job} deleted (Replace)", job=v),
                        job.scheduled,
                    )
                )
            dur = duration(len(res.jobs)) if callable(duration) else duration
            assert d.job_name is not None and d.scheduled_time is not None
            job = Job(d.job_name, d.scheduled_time, now, now + dur)
            res.jobs.append(job)
            running[job.name] = job
            st = Status(d.scheduled_time, tuple(running))
            res.events.append(
                _said(
                    now,
                    "started",
                    lambda lang, n=job.name, d=d: f"{n}: {d.reason_in(lang)}",
                    d.scheduled_time,
                )
            )
            if version == "current":  # the Job informer enqueues the CronJob when a Job ends
                heapq.heappush(queue, job.end)
        elif d.action in ("skip", "error"):
            kind = "skipped" if d.action == "skip" else "error"
            report(now, kind, d.reason, d.scheduled_time, d.said)
        if version == "v1.10":
            nxt = _v110_next_sync(d.action, spec, sched, tz, now, skew, running, outages)
            res.syncs += _grid(now, now + 1, min(nxt, end + 1))  # skipped: they decide the same
            heapq.heappush(queue, nxt)
        elif d.next is not None:
            heapq.heappush(queue, max(now + 1, d.next - skew))
    reap(end)
    res.events.sort(key=lambda e: e.t)
    return res


def _grid(base: int, lo: int, hi: int) -> int:
    """How many syncs ``base + 10 k`` (k >= 1) fall in [lo, hi)."""
    first = max(1, -(-(lo - base) // RESYNC_V110))
    last = (hi - 1 - base) // RESYNC_V110
    return max(0, last - first + 1)


def _v110_next_sync(
    action: str,
    spec: CronJobSpec,
    sched: Schedule,
    tz: ZoneInfo,
    now: int,
    skew: int,
    running: dict[str, Job],
    outages: tuple[tuple[int, int], ...],
) -> int:
    """The next v1.10 sync (every 10 s after ``now``) whose decision can differ from this one.

    With nothing due ("wait"), nothing changes before the next schedule time; without a
    deadline, a skip or an error only changes then or when a running Job ends. Otherwise
    (a start, or a deadline window that moves with the clock) the very next sync counts. A
    jump stops at an outage, where the 10 s loop stops too."""
    step = now + RESYNC_V110
    if action == "start" or (action != "wait" and spec.starting_deadline_seconds is not None):
        return step
    due = sched.next(now + skew, tz)
    wakes = [j.end for j in running.values()] + [a for a, _ in outages if a > now]
    if due is not None:
        wakes.append(due - skew)
    if not wakes:
        return now + 10**12  # nothing can change any more: beyond any simulated period
    first = max(min(wakes), step)
    return now + -(-(first - now) // RESYNC_V110) * RESYNC_V110


def timeline(res: Result, title: str = "", ax=None):
    """A Gantt chart: schedule ticks, Jobs as bars, outages shaded, skipped times marked.
    Draws on ``ax`` when given, else on a new figure; returns the figure."""
    import datetime as dt

    import matplotlib.dates as mdates

    from infranotes.plotting import PALETTE, figure

    def x(t: int) -> dt.datetime:
        return dt.datetime.fromtimestamp(t, dt.UTC).replace(tzinfo=None)

    if ax is None:
        fig, ax = figure(figsize=(5, 3.0))
    fig = ax.figure
    for a, b in res.outages:
        ax.axvspan(x(a), x(b), color="#bbbbbb", alpha=0.45, lw=0, label="controller down")
    for t in res.ticks:
        ax.plot([x(t), x(t)], [-0.95, -0.55], color="#555555", lw=0.8)
    colors = {"succeeded": PALETTE[2], "replaced": PALETTE[3], "running": PALETTE[0]}
    lanes: list[int] = []
    for job in res.jobs:
        lane = next((i for i, free in enumerate(lanes) if free <= job.start), len(lanes))
        if lane == len(lanes):
            lanes.append(0)
        lanes[lane] = job.end
        ax.barh(
            lane,
            (job.end - job.start) / 86400,
            left=x(job.start),
            height=0.6,
            color=colors[job.outcome],
            edgecolor="white",
            lw=0.5,
        )
        if job.start - job.scheduled >= 60:  # started late: from its schedule time to its start
            ax.annotate(
                "",
                xy=(x(job.start), lane - 0.3),
                xytext=(x(job.scheduled), -0.55),
                arrowprops={"arrowstyle": "->", "ls": ":", "color": PALETTE[1]},
            )
    for e in res.events:
        if e.kind in ("skipped", "error"):
            ax.plot(
                x(e.scheduled if e.scheduled is not None else e.t),
                -0.75,
                marker="x",
                color=PALETTE[3],
                ms=7,
                mew=2,
            )
    ax.set_ylim(-1.2, max(1, len(lanes)) - 0.2)
    ax.set_yticks(
        [-0.75, *range(len(lanes))], ["schedule", *[f"jobs {i + 1}" for i in range(len(lanes))]]
    )
    ax.set_xlim(x(res.start), x(res.end))
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("UTC")
    ax.set_title(title or f"{res.spec.schedule} ({res.version} controller)", fontsize=11)
    # 5 in wide: few enough labels to stay 10 pt. minticks=3 lets a 4-hour window take hourly
    # ticks; the default (5) forced minutes and a "Defaulting to 30" warning on the page.
    locator = mdates.AutoDateLocator(minticks=3, maxticks=5)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    return fig
