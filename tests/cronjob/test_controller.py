"""Both controllers: the Kubernetes tests' cases as data, then every branch of a sync."""

from __future__ import annotations

import random
from zoneinfo import ZoneInfo

import pytest
import yaml

from infranotes.cronjob.controller import (
    CronJobSpec,
    InvalidSchedule,
    Status,
    TooManyMissed,
    decide,
    job_name,
    most_recent_schedule_time,
    next_schedule_time,
    unmet_schedule_times,
)
from infranotes.cronjob.schedule import ScheduleError, parse_schedule
from tests.cronjob.table import DATA, ut

CASES = yaml.safe_load((DATA / "controller_cases.yaml").read_text(encoding="utf-8"))
UTC = ZoneInfo("UTC")


def _setup(c: dict) -> tuple[CronJobSpec, Status]:
    spec = CronJobSpec(
        "mycronjob",
        c.get("schedule", "0 * * * ?"),
        ut(c["created"]),
        starting_deadline_seconds=c.get("deadline"),
    )
    return spec, Status(ut(c["last"]) if c.get("last") else None)


@pytest.mark.parametrize("c", CASES["unmet"], ids=[c["name"] for c in CASES["unmet"]])
def test_v110_unmet_schedule_times(c: dict) -> None:
    spec, status = _setup(c)
    sched = parse_schedule(spec.schedule)
    if c.get("error"):
        with pytest.raises(TooManyMissed, match=r"Too many missed start time \(> 100\)"):
            unmet_schedule_times(sched, spec, status, ut(c["now"]), UTC)
        return
    assert unmet_schedule_times(sched, spec, status, ut(c["now"]), UTC) == [
        ut(t) for t in c["times"]
    ]


@pytest.mark.parametrize("c", CASES["most_recent"], ids=[c["name"] for c in CASES["most_recent"]])
def test_current_most_recent_schedule_time(c: dict) -> None:
    spec, status = _setup(c)
    sched = parse_schedule(spec.schedule)
    now, incl = ut(c["now"]), bool(c.get("include_deadline"))
    if c.get("error"):
        with pytest.raises(InvalidSchedule, match="less than 1 second"):
            most_recent_schedule_time(sched, spec, status, now, UTC, incl)
        return
    mr = most_recent_schedule_time(sched, spec, status, now, UTC, incl)
    assert mr.earliest == ut(c["earliest"])
    assert mr.most_recent == (ut(c["recent"]) if c["recent"] else None)
    assert mr.missed == c["missed"]


@pytest.mark.parametrize("c", CASES["requeue"], ids=[c["name"] for c in CASES["requeue"]])
def test_current_requeue(c: dict) -> None:
    spec, status = _setup(c)
    sched, now = parse_schedule(spec.schedule), ut(c["now"])
    assert next_schedule_time(sched, spec, status, now, UTC) - now == c["seconds"]


def test_the_weekday_quirk_loses_friday_1230() -> None:
    """'another complex schedule': the estimate walks from Fri 15:30, so Fri 12:30 is lost;
    v1.10, which lists every time, would start it."""
    spec = CronJobSpec("report", "30 10,11,12 * * 1-5", ut("2016-05-19T10:00:00Z"))
    status, now = Status(ut("2016-05-19T10:30:00Z")), ut("2016-05-20T16:30:00Z")
    mr = most_recent_schedule_time(parse_schedule(spec.schedule), spec, status, now, UTC)
    assert (mr.t1, mr.t2) == (ut("2016-05-19T11:30:00Z"), ut("2016-05-19T12:30:00Z"))
    assert mr.missed_estimate == 30 and mr.walk_from == ut("2016-05-20T15:30:00Z")
    current = decide(spec, status, now)
    assert current.action == "wait" and current.next == ut("2016-05-23T10:30:00Z")
    old = decide(spec, status, now, "v1.10")
    assert old.action == "start" and old.scheduled_time == ut("2016-05-20T12:30:00Z")


T0 = ut("2024-05-01T00:00:00Z")
EVERY_MIN = CronJobSpec("backup", "* * * * *", T0)


def test_start_names_and_requeue_per_version() -> None:
    now = T0 + 60 + 5
    cur = decide(EVERY_MIN, Status(), now)
    assert (cur.action, cur.scheduled_time, cur.job_name) == ("start", T0 + 60, "backup-28575361")
    assert (
        cur.next == T0 + 120
        and cur.events[-1] == "Normal SuccessfulCreate Created job backup-28575361"
    )
    old = decide(EVERY_MIN, Status(), now, "v1.10")
    assert (old.action, old.job_name, old.next) == ("start", f"backup-{T0 + 60}", now + 10)
    assert job_name(EVERY_MIN, T0 + 60, "v1.10") == "backup-1714521660"


def test_already_processed_and_nothing_due() -> None:
    done = Status(T0 + 60, ("backup-28575361",))
    d = decide(EVERY_MIN, done, T0 + 61)
    assert d.action == "wait" and d.next == T0 + 120
    assert decide(EVERY_MIN, Status(T0 + 60), T0 + 61, "v1.10").reason == "No unmet start times"


@pytest.mark.parametrize("version", ["v1.10", "current"])
def test_forbid_and_replace(version: str) -> None:
    running = Status(T0, ("backup-old",))
    forbid = decide(
        CronJobSpec("backup", "* * * * *", T0, concurrency_policy="Forbid"),
        running,
        T0 + 61,
        version,
    )
    assert forbid.action == "skip" and "concurrency policy is Forbid" in forbid.reason
    assert any("JobAlreadyActive" in e for e in forbid.events)
    repl = decide(
        CronJobSpec("backup", "* * * * *", T0, concurrency_policy="Replace"),
        running,
        T0 + 61,
        version,
    )
    assert repl.action == "start" and repl.replace == ("backup-old",)
    assert "Normal SuccessfulDelete Deleted job backup-old" in repl.events
    allow = decide(EVERY_MIN, running, T0 + 61, version)
    assert allow.action == "start" and allow.replace == ()


@pytest.mark.parametrize("version", ["v1.10", "current"])
def test_deadline_window(version: str) -> None:
    spec = CronJobSpec("backup", "0 * * * *", T0, starting_deadline_seconds=100)
    assert decide(spec, Status(), T0 + 3600 + 99, version).action == "start"
    # 101 s late: the window (now-100 s, now] no longer holds 01:00, so it is not even listed
    late = decide(spec, Status(), T0 + 3600 + 101, version)
    assert (late.action, late.reason, late.events) == ("wait", "No unmet start times", ())


@pytest.mark.parametrize("version", ["v1.10", "current"])
def test_missed_starting_window_cannot_fire(version: str) -> None:
    """Both controllers first move `earliest` up to now - startingDeadlineSeconds and then pick
    a time strictly after it, so their later `tooLate` check (event MissSchedule) never holds:
    a time that misses its deadline vanishes without an event."""
    rng = random.Random(7)
    for _ in range(400):
        spec = CronJobSpec(
            "j",
            rng.choice(
                ["* * * * *", "*/7 * * * *", "0 * * * *", "30 6-16/4 * * 1-5", "@every 90s"]
            ),
            T0,
            starting_deadline_seconds=rng.choice([0, 1, 5, 59, 600, 7200]),
        )
        last = rng.choice([None, T0 + rng.randint(0, 86400)])
        d = decide(spec, Status(last), T0 + rng.randint(0, 3 * 86400), version)
        assert d.reason != "Missed starting window"
        assert not any("MissSchedule" in e for e in d.events)


def test_v110_stuck_after_too_many_missed_and_rescued_by_a_deadline() -> None:
    now = T0 + 3 * 3600
    stuck = decide(EVERY_MIN, Status(T0), now, "v1.10")
    assert stuck.action == "error" and "never starts again" in stuck.reason
    assert stuck.events[0].startswith(
        "Warning FailedNeedsStart Cannot determine if job needs "
        "to be started: Too many missed start time (> 100)"
    )
    rescued = CronJobSpec("backup", "* * * * *", T0, starting_deadline_seconds=200)
    d = decide(rescued, Status(T0), now, "v1.10")
    assert d.action == "start" and d.scheduled_time == now
    current = decide(EVERY_MIN, Status(T0), now)
    assert current.action == "start" and current.scheduled_time == now
    assert any(e.startswith("Warning TooManyMissedTimes") for e in current.events)


def test_suspend() -> None:
    spec = CronJobSpec("backup", "* * * * *", T0, suspend=True)
    cur = decide(spec, Status(), T0 + 3600)
    assert cur.action == "skip" and cur.next is None
    assert decide(spec, Status(), T0 + 3600, "v1.10").next == T0 + 3610


def test_errors_per_version() -> None:
    bad = CronJobSpec("x", "61 * * * *", T0)
    cur = decide(bad, Status(), T0 + 60)
    assert cur.action == "error" and cur.next is None
    assert cur.events == (
        'Warning UnparseableSchedule unparseable schedule: "61 * * * *" : '
        "end of range (61) above maximum (59): 61",
    )
    assert decide(bad, Status(), T0 + 60, "v1.10").reason.startswith("Unparseable schedule: ")
    rogue = decide(CronJobSpec("x", "59 23 31 2 *", T0), Status(), T0 + 60)
    assert rogue.events[0].startswith("Warning InvalidSchedule invalid schedule: 59 23 31 2 *")
    tz = decide(CronJobSpec("x", "* * * * *", T0, time_zone="Mars/Base"), Status(), T0 + 60)
    assert tz.action == "error" and "UnknownTimeZone" in tz.events[0]
    with pytest.raises(ScheduleError):
        decide(EVERY_MIN, Status(), T0, "v2")
    with pytest.raises(ScheduleError):
        decide(EVERY_MIN, Status(), T0, controller_zone="Nowhere/Zone")


def test_time_zone_field_and_controller_zone() -> None:
    spec = CronJobSpec("report", "0 9 * * *", T0, time_zone="Asia/Shanghai")
    d = decide(spec, Status(), ut("2024-05-01T01:00:30Z"))  # 09:00 in Shanghai
    assert d.action == "start" and d.scheduled_time == ut("2024-05-01T01:00:00Z")
    # v1.10 had no spec.timeZone: the controller's own zone applies
    plain = CronJobSpec("report", "0 9 * * *", T0)
    old = decide(spec, Status(), ut("2024-05-01T09:00:30Z"), "v1.10")
    assert old.scheduled_time == ut("2024-05-01T09:00:00Z")
    local = decide(plain, Status(), ut("2024-05-01T01:00:30Z"), controller_zone="Asia/Shanghai")
    assert local.scheduled_time == ut("2024-05-01T01:00:00Z")
    tz_in_schedule = decide(
        CronJobSpec("r", "TZ=UTC 0 9 * * *", T0), Status(), ut("2024-05-01T09:00:30Z")
    )
    assert tz_in_schedule.action == "start"
    assert tz_in_schedule.events[0].startswith("Warning UnsupportedSchedule")


def test_json_shape() -> None:
    d = decide(EVERY_MIN, Status(), T0 + 65).to_json()
    assert list(d)[:4] == ["action", "scheduled_time", "reason", "next"]
    assert d["scheduled_time"] == "2024-05-01T00:01:00Z" and d["next"] == "2024-05-01T00:02:00Z"
    assert d["details"]["t1_time"] == "2024-05-01T00:01:00Z"


def test_ten_years_of_every_minute_backlog_under_10_ms() -> None:
    """The issue's performance target, measured cold (benchmarks/cron_bench.py reports more)."""
    import time

    from infranotes.cronjob.schedule import spec_next

    now = 1_900_000_000
    spec = CronJobSpec("bench", "* * * * *", now - 10 * 365 * 86400 - 60)
    samples = []
    for _ in range(20):
        spec_next.cache_clear()
        t0 = time.perf_counter()
        d = decide(spec, Status(now - 10 * 365 * 86400), now)
        samples.append(time.perf_counter() - t0)
    assert d.action == "start" and d.scheduled_time == now - now % 60
    assert sorted(samples)[10] < 0.010
