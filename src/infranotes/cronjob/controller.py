"""What the CronJob controller decides at one sync, in v1.10 and in the current version.

v1.10 (``pkg/controller/cronjob/cronjob_controller.go`` ``syncOne``, ``utils.go``
``getRecentUnmetScheduleTimes``): every 10 s it lists *every* unmet schedule time since the
last schedule (or creation), gives up past 100 with an error — and since nothing then updates
``lastScheduleTime``, it never starts that CronJob again unless ``startingDeadlineSeconds``
narrows the window — and starts only the most recent one.

The current controller (``cronjob_controllerv2.go`` ``syncCronJob``, ``utils.go``
``mostRecentScheduleTime`` and ``nextScheduleTimeDuration``) estimates the number of missed
times from the gap between the first two, walks only from near the end, warns instead of
stopping, and requeues itself just after the next schedule time. The estimate assumes evenly
spaced times, so an uneven schedule can lose its most recent time (see ``quirk`` tests).

Both are pure functions of the spec, the status, ``now`` and the controller's own time zone
(the zone of kube-controller-manager's process, which applies when ``spec.timeZone`` is unset).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from infranotes.cronjob.messages import tr
from infranotes.cronjob.schedule import Schedule, ScheduleError, find_zone, parse_schedule
from infranotes.errors import InfranotesError

RESYNC_V110 = 10  # seconds between two syncAll passes of the v1.10 controller
TOO_MANY = 100
POLICIES = ("Allow", "Forbid", "Replace")
VERSIONS = ("v1.10", "current")
NEXT_SCHEDULE_DELTA = 0.1  # s; cronjob_controllerv2.go nextScheduleDelta (NTP padding)

#: A sentence in a given language ("en" or "zh"): how a reason is kept until it is shown.
Phrase = Callable[[str], str]


@dataclass(frozen=True)
class CronJobSpec:
    """The fields of a CronJob the controller reads."""

    name: str
    schedule: str
    created: int  # metadata.creationTimestamp, UT seconds
    starting_deadline_seconds: int | None = None
    concurrency_policy: str = "Allow"
    suspend: bool = False
    successful_jobs_history_limit: int = 3
    failed_jobs_history_limit: int = 1
    time_zone: str | None = None  # spec.timeZone (1.24 alpha, GA in 1.27)

    def schedule_text(self, version: str = "current") -> str:
        """``formatSchedule``: spec.timeZone becomes a ``TZ=`` prefix (not in v1.10)."""
        if version == "current" and self.time_zone and "TZ" not in self.schedule:
            return f"TZ={self.time_zone} {self.schedule}"
        return self.schedule


@dataclass(frozen=True)
class Status:
    """``status.lastScheduleTime`` and the names in ``status.active``."""

    last_schedule_time: int | None = None
    active: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """One sync: start a Job, skip a due time, wait, or fail; with the reason and the events
    the controller records, and when it looks at this CronJob again (None: only on a change).

    ``reason`` is English (the CLI and its JSON print it); ``said`` renders the same reason
    in another language, and is None where the reason is Kubernetes' own message, which reads
    the same in both."""

    action: str  # start | skip | wait | error
    reason: str
    scheduled_time: int | None = None
    job_name: str | None = None
    next: int | None = None
    replace: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    details: tuple[tuple[str, object], ...] = ()
    said: Phrase | None = field(default=None, compare=False, repr=False)

    def reason_in(self, lang: str) -> str:
        """The reason in ``lang``: English, or what ``said`` renders."""
        return self.reason if lang == "en" or self.said is None else self.said(lang)

    def to_json(self) -> dict[str, object]:
        return {
            "action": self.action,
            "scheduled_time": iso(self.scheduled_time),
            "reason": self.reason,
            "next": iso(self.next),
            "job_name": self.job_name,
            "replace": list(self.replace),
            "events": list(self.events),
            "details": {k: iso(v) if k.endswith("_time") else v for k, v in self.details},
        }


def iso(t: object) -> object:
    """UT seconds as ISO-8601 with Z; anything else unchanged."""
    if isinstance(t, int):
        return dt.datetime.fromtimestamp(t, dt.UTC).isoformat().replace("+00:00", "Z")
    return t


def _rfc1123z(t: int) -> str:
    return format_datetime(dt.datetime.fromtimestamp(t, dt.UTC))  # Go time.RFC1123Z, in UTC


class TooManyMissed(InfranotesError):
    """v1.10: more than 100 unmet start times."""


class InvalidSchedule(InfranotesError):
    """Current controller: the first two schedule times are less than a second apart (or the
    schedule never fires, so Go's zero time stands in for them)."""


def _decision(action: str, why: str | Phrase, **fields: object) -> Decision:
    """A Decision whose reason is a Kubernetes message (``str``, the same in every language)
    or a Phrase, rendered in English for ``reason`` and kept to render in other languages."""
    if isinstance(why, str):
        return Decision(action, why, **fields)  # type: ignore[arg-type]
    return Decision(action, why("en"), said=why, **fields)  # type: ignore[arg-type]


def _earliest(spec: CronJobSpec, status: Status, now: int, with_deadline: bool) -> int:
    earliest = status.last_schedule_time if status.last_schedule_time is not None else spec.created
    if with_deadline and spec.starting_deadline_seconds is not None:
        earliest = max(earliest, now - spec.starting_deadline_seconds)
    return earliest


def unmet_schedule_times(
    sched: Schedule, spec: CronJobSpec, status: Status, now: int, zone: ZoneInfo
) -> list[int]:
    """v1.10 ``getRecentUnmetScheduleTimes``: every schedule time in (earliest, now]."""
    earliest = _earliest(spec, status, now, with_deadline=True)
    if earliest > now:
        return []
    starts: list[int] = []
    t = sched.next(earliest, zone)
    while t is not None and t <= now:
        starts.append(t)
        if len(starts) > TOO_MANY:
            raise TooManyMissed(
                "Too many missed start time (> 100). Set or decrease "
                ".spec.startingDeadlineSeconds or check clock skew."
            )
        t = sched.next(t, zone)
    return starts


@dataclass(frozen=True)
class MostRecent:
    """``mostRecentScheduleTime``'s answer, with the intermediate values of its estimate."""

    earliest: int
    most_recent: int | None
    missed: str  # none | few | many
    t1: int | None = None
    t2: int | None = None
    missed_estimate: int = 0
    walk_from: int | None = None  # potentialEarliest: where the walk to now starts


def most_recent_schedule_time(
    sched: Schedule,
    spec: CronJobSpec,
    status: Status,
    now: int,
    zone: ZoneInfo,
    include_deadline: bool = True,
) -> MostRecent:
    """The current controller's ``mostRecentScheduleTime``, approximation and all."""
    earliest = _earliest(spec, status, now, include_deadline)
    t1 = sched.next(earliest, zone)
    t2 = sched.next(t1, zone) if t1 is not None else None
    if t1 is not None and now < t1:
        return MostRecent(earliest, None, "none", t1, t2)
    if t1 is not None and t2 is not None and now < t2:
        return MostRecent(earliest, t1, "none", t1, t2)
    # A schedule that never fires gives Go's zero time for t1 and t2: a zero difference.
    if t1 is None or t2 is None or t2 - t1 < 1:
        raise InvalidSchedule("time difference between two schedules is less than 1 second")
    between = t2 - t1
    missed = (now - t1) // between + 1
    walk_from = t1 + (missed - 1 - 1) * between
    most: int | None = None
    t = sched.next(walk_from, zone)
    while t is not None and t <= now:
        most = t
        t = sched.next(t, zone)
    kind = "many" if missed > TOO_MANY else "few"
    return MostRecent(earliest, most, kind, t1, t2, missed, walk_from)


def next_schedule_time(
    sched: Schedule, spec: CronJobSpec, status: Status, now: int, zone: ZoneInfo
) -> int | None:
    """``nextScheduleTimeDuration`` as an instant: when the current controller requeues
    (plus ``NEXT_SCHEDULE_DELTA``, which whole seconds leave out); None: never."""
    try:
        mr = most_recent_schedule_time(sched, spec, status, now, zone, include_deadline=False)
        base = mr.most_recent
        if base is None:
            base = mr.earliest if mr.missed == "none" else now
    except InvalidSchedule:
        base = now
    return sched.next(base, zone)


def job_name(spec: CronJobSpec, scheduled: int, version: str) -> str:
    """v1.10 suffixes the scheduled time in seconds (``getTimeHash``), the current controller
    in minutes (``getTimeHashInMinutes``)."""
    return f"{spec.name}-{scheduled if version == 'v1.10' else scheduled // 60}"


def _zone(name: str) -> ZoneInfo:
    zone = find_zone(name)
    if zone is None:
        raise ScheduleError(f"unknown time zone {name}", source="--controller-zone")
    return zone


def decide(
    spec: CronJobSpec,
    status: Status,
    now: int,
    version: str = "current",
    controller_zone: str = "UTC",
) -> Decision:
    """What the controller does when it syncs this CronJob at ``now`` (UT seconds)."""
    if version not in VERSIONS:
        raise ScheduleError(f"unknown controller version {version!r}", source="--controller")
    zone = _zone(controller_zone)
    if version == "v1.10":
        return _decide_v110(spec, status, now, zone)
    return _decide_current(spec, status, now, zone)


def _start(
    spec: CronJobSpec,
    status: Status,
    scheduled: int,
    version: str,
    why: Phrase,
    nxt: int | None,
    events: tuple[str, ...],
    details: tuple,
) -> Decision:
    if spec.concurrency_policy == "Forbid" and status.active:
        return _decision(
            "skip",
            lambda lang: tr(
                lang,
                "Not starting job because prior execution is still running and concurrency "
                "policy is Forbid",
            ),
            scheduled_time=scheduled,
            job_name=job_name(spec, scheduled, version),
            next=nxt,
            events=(
                *events,
                "Normal JobAlreadyActive Not starting job because prior "
                "execution is running and concurrency policy is Forbid",
            ),
            details=details,
        )
    name = job_name(spec, scheduled, version)
    victims = status.active if spec.concurrency_policy == "Replace" else ()
    deleted = tuple(f"Normal SuccessfulDelete Deleted job {v}" for v in victims)
    return _decision(
        "start",
        why,
        scheduled_time=scheduled,
        job_name=name,
        next=nxt,
        replace=victims,
        events=(*events, *deleted, f"Normal SuccessfulCreate Created job {name}"),
        details=details,
    )


def _missed_window(
    spec: CronJobSpec,
    scheduled: int,
    now: int,
    nxt: int | None,
    events: tuple[str, ...],
    details: tuple,
) -> Decision | None:
    """``tooLate`` in both versions: the time plus startingDeadlineSeconds is past. (The
    window already excludes such times, so this cannot fire; see the tests.)"""
    if spec.starting_deadline_seconds is None or scheduled + spec.starting_deadline_seconds >= now:
        return None
    event = f"Warning MissSchedule Missed scheduled time to start a job: {_rfc1123z(scheduled)}"
    return _decision(
        "skip",
        lambda lang: tr(lang, "Missed starting window"),
        scheduled_time=scheduled,
        next=nxt,
        events=(*events, event),
        details=details,
    )


def _decide_v110(spec: CronJobSpec, status: Status, now: int, zone: ZoneInfo) -> Decision:
    nxt = now + RESYNC_V110
    if spec.suspend:
        return _decision(
            "skip", lambda lang: tr(lang, "Not starting job because it is suspended"), next=nxt
        )
    try:
        sched = parse_schedule(spec.schedule_text("v1.10"))
        times = unmet_schedule_times(sched, spec, status, now, zone)
    except ScheduleError as exc:
        msg = f"Unparseable schedule: {spec.schedule} : {exc}"
        return Decision(
            "error",
            msg,
            next=nxt,
            events=(
                f"Warning FailedNeedsStart Cannot determine if job needs to be started: {msg}",
            ),
        )
    except TooManyMissed as exc:
        error = str(exc)
        return _decision(
            "error",
            lambda lang: tr(
                lang,
                "{error} lastScheduleTime is not updated, so every later sync fails the same "
                "way: the CronJob never starts again until startingDeadlineSeconds narrows the "
                "window",
                error=error,
            ),
            next=nxt,
            events=(
                f"Warning FailedNeedsStart Cannot determine if job needs to be started: {exc}",
            ),
            details=(("earliest_time", _earliest(spec, status, now, True)),),
        )
    details: tuple = (("earliest_time", _earliest(spec, status, now, True)), ("unmet", len(times)))
    if not times:
        return _decision(
            "wait", lambda lang: tr(lang, "No unmet start times"), next=nxt, details=details
        )
    scheduled = times[-1]
    count = len(times)

    def why(lang: str) -> str:
        if count == 1:
            return tr(lang, "Unmet start time")
        return tr(
            lang,
            "Unmet start time; {count} unmet start times, only the most recent is started",
            count=count,
        )

    missed = _missed_window(spec, scheduled, now, nxt, (), details)
    if missed is not None:
        return missed
    return _start(spec, status, scheduled, "v1.10", why, nxt, (), details)


def _decide_current(spec: CronJobSpec, status: Status, now: int, zone: ZoneInfo) -> Decision:
    events: tuple[str, ...] = ()
    if spec.time_zone is not None and find_zone(spec.time_zone) is None:
        msg = f'invalid timeZone: "{spec.time_zone}": unknown time zone {spec.time_zone}'
        return _decision(
            "error",
            lambda lang: tr(
                lang, "Not starting job because timeZone is invalid: {error}", error=msg
            ),
            events=(f"Warning UnknownTimeZone {msg}",),
        )
    if spec.suspend:
        return _decision(
            "skip", lambda lang: tr(lang, "Not starting job because the cron is suspended")
        )
    if "TZ" in spec.schedule:
        events = (
            f'Warning UnsupportedSchedule CRON_TZ or TZ used in schedule "{spec.schedule}"'
            " is not officially supported",
        )
    try:
        sched = parse_schedule(spec.schedule_text())
    except ScheduleError as exc:
        msg = f'unparseable schedule: "{spec.schedule}" : {exc}'
        return Decision("error", msg, events=(*events, f"Warning UnparseableSchedule {msg}"))
    try:
        mr = most_recent_schedule_time(sched, spec, status, now, zone)
    except InvalidSchedule as exc:
        msg = f"invalid schedule: {spec.schedule} : {exc}"
        return Decision("error", msg, events=(*events, f"Warning InvalidSchedule {msg}"))
    details: tuple = (
        ("earliest_time", mr.earliest),
        ("t1_time", mr.t1),
        ("t2_time", mr.t2),
        ("missed_estimate", mr.missed_estimate),
        ("walk_from_time", mr.walk_from),
    )
    nxt = next_schedule_time(sched, spec, status, now, zone)
    if mr.most_recent is None:
        estimate, walked = mr.missed_estimate, mr.missed != "none"

        def nothing(lang: str) -> str:
            if not walked:
                return tr(lang, "No unmet start times")
            return tr(
                lang,
                "No unmet start times found walking from the estimate (about {missed} missed, "
                "assuming evenly spaced schedule times)",
                missed=estimate,
            )

        return _decision("wait", nothing, next=nxt, events=events, details=details)
    scheduled = mr.most_recent
    if mr.missed == "many":
        events = (
            *events,
            "Warning TooManyMissedTimes too many missed start times. Set or "
            "decrease .spec.startingDeadlineSeconds or check clock skew",
        )
    missed = _missed_window(spec, scheduled, now, nxt, events, details)
    if missed is not None:
        return missed
    name = job_name(spec, scheduled, "current")
    if name in status.active or status.last_schedule_time == scheduled:
        return _decision(
            "wait",
            lambda lang: tr(
                lang, "Not starting job because the scheduled time is already processed"
            ),
            scheduled_time=scheduled,
            job_name=name,
            next=nxt,
            events=events,
            details=details,
        )
    missed_estimate = mr.missed_estimate

    def why(lang: str) -> str:
        if missed_estimate <= 1:
            return tr(lang, "Unmet start time")
        return tr(
            lang,
            "Unmet start time; about {missed} missed, only the most recent is started",
            missed=missed_estimate,
        )

    after = Status(scheduled, (*status.active, name))
    if spec.concurrency_policy == "Replace":
        after = Status(scheduled, (name,))
    requeue = next_schedule_time(sched, spec, after, now, zone)
    d = _start(spec, status, scheduled, "current", why, requeue, events, details)
    return d if d.action == "start" else replace(d, next=nxt)
