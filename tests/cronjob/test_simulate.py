"""The simulation reproduces each surprise the notebook shows, with exact outcomes."""

from __future__ import annotations

import pytest

from infranotes.cronjob.controller import CronJobSpec
from infranotes.cronjob.simulate import simulate, timeline
from tests.cronjob.table import ut

T0 = ut("2024-05-01T00:00:00Z")
H = 3600


def test_outage_on_every_minute_schedule() -> None:
    """Down 00:30-02:30 without startingDeadlineSeconds: v1.10 never starts it again, the
    current controller starts the most recent missed time at once and warns."""
    spec = CronJobSpec("backup", "* * * * *", T0)
    outage = ((T0 + H // 2, T0 + 5 * H // 2),)
    old = simulate(spec, T0, T0 + 4 * H, 20, "v1.10", outages=outage)
    assert old.jobs[-1].scheduled == T0 + 29 * 60
    assert len(old.kinds("error")) == 1 and "never starts again" in old.kinds("error")[0].detail
    new = simulate(spec, T0, T0 + 4 * H, 20, "current", outages=outage)
    after = [j for j in new.jobs if j.start >= T0 + 5 * H // 2]
    assert after[0].start == T0 + 5 * H // 2 and after[0].scheduled == T0 + 150 * 60
    assert len(new.kinds("warning")) == 1 and len(after) == 91
    # polling every 10 s (minus the outage) versus waking at each time and each Job end
    assert (old.syncs, new.syncs) == (721, 240)


@pytest.mark.parametrize("version", ["v1.10", "current"])
def test_forbid_with_a_job_longer_than_the_interval(version: str) -> None:
    spec = CronJobSpec("report", "*/10 * * * *", T0, concurrency_policy="Forbid")
    r = simulate(spec, T0, T0 + H, 25 * 60, version)
    assert [(j.scheduled - T0, j.start - T0) for j in r.jobs] == [
        (600, 600),
        (1800, 2100),
        (3600, 3600),
    ]  # the 00:30 run starts late, at 00:35
    assert len(r.kinds("skipped")) == 4


def test_replace_kills_the_running_job() -> None:
    spec = CronJobSpec("report", "*/10 * * * *", T0, concurrency_policy="Replace")
    r = simulate(spec, T0, T0 + H, 25 * 60, "current")
    assert [j.outcome for j in r.jobs] == ["replaced"] * 5 + ["running"]
    assert len(r.kinds("replaced")) == 5 and r.jobs[0].end == T0 + 1200


def test_deadline_shorter_than_the_v110_sync_period() -> None:
    """startingDeadlineSeconds 5 s, syncs at :07, :17, ...: v1.10 never sees a time inside its
    window and starts nothing, silently; the current controller wakes just after each time."""
    spec = CronJobSpec("sync", "* * * * *", T0, starting_deadline_seconds=5)
    old = simulate(spec, T0 + 7, T0 + 600, 20, "v1.10")
    assert old.jobs == [] and old.events == [] and old.syncs == 60
    new = simulate(spec, T0 + 7, T0 + 600, 20, "current")
    assert len(new.jobs) == 10 and all(j.start == j.scheduled for j in new.jobs)


def test_history_limit_deletes_the_oldest() -> None:
    spec = CronJobSpec("b", "*/5 * * * *", T0, successful_jobs_history_limit=2)
    r = simulate(spec, T0, T0 + H, 60, "current")
    deleted = [j.name for j in r.jobs if j.deleted is not None]
    assert len(r.jobs) == 12 and deleted == [j.name for j in r.jobs[:-3]]  # last one runs


def test_clock_skew_moves_starts() -> None:
    spec = CronJobSpec("b", "0 * * * *", T0)
    behind = simulate(spec, T0, T0 + 3 * H + 100, 30, "current", skew=-90)
    assert [j.start - j.scheduled for j in behind.jobs] == [90, 90, 90]
    ahead = simulate(spec, T0, T0 + 3 * H, 30, "current", skew=+90)
    assert [j.start - j.scheduled for j in ahead.jobs] == [-90, -90, -90]


def test_time_zone_across_dst() -> None:
    start, end = ut("2024-03-09T00:00:00Z"), ut("2024-03-12T12:00:00Z")
    gap = CronJobSpec("nightly", "30 2 * * *", start, time_zone="America/New_York")
    r = simulate(gap, start, end, 60, "current")
    assert [j.scheduled for j in r.jobs] == [
        ut("2024-03-09T02:30:00-05:00"),
        ut("2024-03-11T02:30:00-04:00"),
        ut("2024-03-12T02:30:00-04:00"),
    ]
    start, end = ut("2024-11-02T12:00:00Z"), ut("2024-11-04T12:00:00Z")
    overlap = CronJobSpec("nightly", "30 1 * * *", start, time_zone="America/New_York")
    r = simulate(overlap, start, end, 60, "current")
    assert [j.scheduled for j in r.jobs] == [
        ut("2024-11-03T01:30:00-04:00"),
        ut("2024-11-03T01:30:00-05:00"),
        ut("2024-11-04T01:30:00-05:00"),
    ]


def test_timeline_draws() -> None:
    spec = CronJobSpec("report", "*/10 * * * *", T0, concurrency_policy="Forbid")
    fig = timeline(simulate(spec, T0, T0 + H, 25 * 60, "current", outages=((T0 + 60, T0 + 120),)))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["schedule", "jobs 1"]


def _variants() -> list[tuple[str, CronJobSpec, int, int, int, tuple, int]]:
    from infranotes.cronjob.scenarios import SCENARIOS

    out = [
        (n, s.spec, s.start, s.end, s.duration, s.outages, s.skew)
        for n, s in SCENARIOS.items()
        if s.end - s.start <= 4 * 86400
    ]
    forbid = CronJobSpec(
        "f", "*/7 * * * *", T0, concurrency_policy="Forbid", starting_deadline_seconds=300
    )
    out.append(
        (
            "forbid-deadline-outage",
            forbid,
            T0 + 3,
            T0 + 3 * H,
            17 * 60,
            ((T0 + 40 * 60, T0 + 70 * 60),),
            0,
        )
    )
    out.append(
        (
            "skewed-weekdays",
            CronJobSpec("w", "30 6-16/4 * * 1-5", T0),
            T0,
            T0 + 4 * 86400,
            40 * 60,
            ((T0 + 86400, T0 + 86400 + 5 * H),),
            -45,
        )
    )
    return out


@pytest.mark.parametrize("case", _variants(), ids=lambda c: c[0])
def test_v110_jumps_equal_the_plain_10s_loop(case, monkeypatch) -> None:
    """The v1.10 simulation skips syncs that cannot decide differently; the result must be
    the same as syncing every 10 s."""
    import importlib

    sim = importlib.import_module("infranotes.cronjob.simulate")  # the package re-exports

    _, spec, start, end, dur, outages, skew = case
    fast = sim.simulate(spec, start, end, dur, "v1.10", outages=outages, skew=skew)
    monkeypatch.setattr(sim, "_v110_next_sync", lambda action, spec, sched, tz, now, *a: now + 10)
    slow = sim.simulate(spec, start, end, dur, "v1.10", outages=outages, skew=skew)
    assert fast.jobs == slow.jobs and fast.events == slow.events and fast.syncs == slow.syncs
