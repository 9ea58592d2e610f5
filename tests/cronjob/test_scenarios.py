"""The notebook's scenarios and tables: each surprise shows what the notebook says it shows."""

from __future__ import annotations

from infranotes.cronjob import scenarios as sc
from infranotes.cronjob.controller import CronJobSpec, Status


def test_summary_of_the_outage() -> None:
    table = sc.summary([sc.run("outage", "v1.10"), sc.run("outage", "current")])
    old, new = table.rows
    assert old[:5] == ("v1.10", 241, 29, 0, 721) and "Too many missed start time" in old[5]
    assert new[:5] == ("current", 241, 120, 0, 240) and "TooManyMissedTimes" in new[5]


def test_friday_13_runs_on_fridays_and_13ths() -> None:
    r = sc.run("friday-13")
    days = [sc.iso(j.scheduled)[:10] for j in r.jobs]
    assert days == [
        "2024-05-03",
        "2024-05-10",
        "2024-05-13",
        "2024-05-17",
        "2024-05-24",
        "2024-05-31",
        "2024-06-07",
        "2024-06-13",
        "2024-06-14",
        "2024-06-21",
        "2024-06-28",
    ]


def test_dst_scenarios_only_matter_with_time_zone() -> None:
    assert len(sc.run("dst-spring").jobs) == 3  # Sunday 02:30 New York does not exist
    assert len(sc.run("dst-fall").jobs) == 3  # Sunday 01:30 New York happens twice
    # v1.10 had no spec.timeZone: 02:30 in the controller's zone (UTC), every day
    assert len(sc.run("dst-spring", "v1.10").jobs) == 4


def test_next_table_and_rejections() -> None:
    t = sc.next_table(["0 0 13 * 5", "0 0 * * 7", "59 23 31 2 *"], sc.T0, n=2)
    assert t.rows[0][1] == "At 00:00 on day-of-month 13 or on Fri."
    assert t.rows[0][2] == "Fri 2024-05-03 00:00 UTC, Fri 2024-05-10 00:00 UTC"
    assert t.rows[1][1] == "rejected by the API server: end of range (7) above maximum (6): 7"
    assert t.rows[2][2].startswith("never (accepted")


def test_decisions_side_by_side_and_events() -> None:
    spec = CronJobSpec("report", "30 10,11,12 * * 1-5", 1_463_652_000)
    t = sc.decisions(spec, Status(1_463_653_800), [1_463_761_800])
    assert [(r[1], r[2], r[3]) for r in t.rows] == [
        ("v1.10", "start", "2016-05-20T12:30:00Z"),
        ("current", "wait", "-"),
    ]
    ev = sc.events(sc.run("forbid"))
    assert [r[1] for r in ev.rows][:3] == ["started", "skipped", "skipped"]
