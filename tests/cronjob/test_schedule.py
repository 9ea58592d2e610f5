"""The schedule model against the table of robfig/cron and Kubernetes cases, and its parts."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from infranotes.cronjob.schedule import (
    STAR_BIT,
    ScheduleError,
    describe,
    go_date,
    go_duration_ns,
    next_times,
    parse_schedule,
)
from tests.cronjob.table import CASES, Case, ut


def test_the_table_is_large_and_sourced() -> None:
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)
    assert all(c.source and (c.next or c.never or c.error) for c in CASES)
    kinds = {"next": sum(bool(c.next) for c in CASES), "error": sum(bool(c.error) for c in CASES)}
    assert kinds["next"] >= 50 and kinds["error"] >= 15


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_schedule_table(case: Case) -> None:
    tz = ZoneInfo(case.zone)
    if case.error is not None:
        with pytest.raises(ScheduleError) as err:
            parse_schedule(case.spec)
        assert str(err.value) == case.error
        assert isinstance(err.value, ValueError)
        return
    if case.never:
        assert parse_schedule(case.spec).next(case.start, tz) is None
        with pytest.raises(ScheduleError, match="never fires"):
            next_times(case.spec, case.start, 3, tz)
        return
    assert tuple(next_times(case.spec, case.start, len(case.next), tz)) == case.next


@pytest.mark.parametrize(
    ("spec", "dom_star", "dow_star"),
    [
        ("* * * * *", True, True),
        ("* * ? * ?", True, True),
        ("* * */1 * *", True, True),
        ("* * */2 * *", False, True),
        ("* * 1-31 * 0-6", False, False),
        ("@weekly", True, False),
        ("@monthly", False, True),
    ],
)
def test_star_bit(spec: str, dom_star: bool, dow_star: bool) -> None:
    s = parse_schedule(spec)
    assert bool(s.dom & STAR_BIT) is dom_star and bool(s.dow & STAR_BIT) is dow_star


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("1h30m", 5_400 * 10**9),
        ("1.5h", 5_400 * 10**9),
        ("-5s", -5 * 10**9),
        ("0", 0),
        ("300ms", 3 * 10**8),
        ("2us", 2000),
        ("2µs", 2000),
        ("+1m", 60 * 10**9),
        (".5s", 5 * 10**8),
    ],
)
def test_go_duration(text: str, ns: int) -> None:
    assert go_duration_ns(text) == ns


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", 'time: invalid duration ""'),
        ("h", 'time: invalid duration "h"'),
        (".s", 'time: invalid duration ".s"'),
        ("5", 'time: missing unit in duration "5"'),
        ("5x", 'time: unknown unit "x" in duration "5x"'),
        ("9999999999h", 'time: invalid duration "9999999999h"'),
    ],
)
def test_go_duration_errors(text: str, message: str) -> None:
    with pytest.raises(ScheduleError) as err:
        go_duration_ns(text)
    assert str(err.value) == message


def test_every_is_at_least_a_second_and_whole_seconds() -> None:
    assert parse_schedule("@every -5s").every == 1
    assert parse_schedule("@every 1500ms").every == 1
    assert parse_schedule("@every 90m").every == 5400


def test_go_date_normalises_and_resolves_gaps_like_go() -> None:
    ny = ZoneInfo("America/New_York")
    # 2012-03-11 02:30 does not exist: Go reads it with the offset after the gap (EDT), which
    # lands at 01:30 EST (checked with go1.19: time.Date(2012, 3, 11, 2, 30, 0, 0, ny))
    assert go_date(2012, 3, 11, 2, 30, 0, ny) == ut("2012-03-11T01:30:00-05:00")
    # 01:30 on 2012-11-04 happens twice: Go picks the first (EDT)
    assert go_date(2012, 11, 4, 1, 30, 0, ny) == ut("2012-11-04T01:30:00-04:00")
    # month 13 and day 32 roll over, as time.Date does
    assert go_date(2012, 13, 32, 0, 0, 0, ZoneInfo("UTC")) == ut("2013-02-01T00:00:00Z")


def test_tz_prefix_forms() -> None:
    assert parse_schedule("TZ=Asia/Tokyo 0 9 * * *").zone == "Asia/Tokyo"
    assert parse_schedule("CRON_TZ=UTC 0 9 * * *").zone == "UTC"
    assert parse_schedule("TZ= 0 9 * * *").zone == "UTC"  # LoadLocation("") is UTC
    assert parse_schedule("TZ=Local 0 9 * * *").zone is None  # the process's zone
    with pytest.raises(ScheduleError, match="no schedule after the time zone prefix"):
        parse_schedule("TZ=Europe/Berlin")


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        ("0 0 13 * 5", "At 00:00 on day-of-month 13 or on Fri."),
        ("* * * * *", "Every minute."),
        (
            "*/15 9-17 * * mon-fri",
            "At minute every 15th from 0 through 45 past hour 9 through 17 on Mon through Fri.",
        ),
        ("30 6-16/4 * * 1-5", "At 06:30 and 10:30 and 14:30 on Mon through Fri."),
        ("0 0 1 jan,jul *", "At 00:00 on day-of-month 1 in Jan and Jul."),
        ("0 0 */2 * 1", "At 00:00 on day-of-month every 2nd from 1 through 31 or on Mon."),
        ("0 0 */1 * 1", "At 00:00 on Mon."),
        ("0 0 1-31 * 1", "At 00:00 every day."),
        ("TZ=Europe/Berlin 0 3 * * *", "At 03:00 (Europe/Berlin)."),
        ("@every 90m", "Every 1:30:00 after the previous activation."),
        ("@weekly", "At 00:00 on Sun."),
    ],
)
def test_describe(spec: str, text: str) -> None:
    assert describe(spec) == text
