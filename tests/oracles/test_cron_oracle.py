"""The schedule model against the real robfig/cron v3.0.1 (Debian's package, built offline).

Two checks: the whole schedule table (so the table's expectations are the library's, not
ours), and a seeded random differential of specs, zones with unusual DST and start times.
"""

from __future__ import annotations

import random
from zoneinfo import ZoneInfo

import pytest

from infranotes.cronjob.lab import Answer, Query, robfig_next
from infranotes.cronjob.schedule import BOUNDS, ScheduleError, parse_schedule
from infranotes.lab import unavailable_reason
from tests.cronjob.table import CASES

pytestmark = pytest.mark.oracle
ZONES = (
    "UTC",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Tehran",
    "Pacific/Chatham",
)


@pytest.fixture(scope="module", autouse=True)
def _go() -> None:
    reason = unavailable_reason("go", root=False)
    if reason:
        pytest.skip(reason)


def _model(q: Query) -> Answer:
    try:
        s = parse_schedule(q.spec)
    except ScheduleError as exc:
        return Answer(error=str(exc))
    times, t = [], q.start
    for _ in range(q.n):
        nxt = s.next(t, ZoneInfo(q.loc))
        if nxt is None:
            return Answer(tuple(times), zero=True)
        times.append(nxt)
        t = nxt
    return Answer(tuple(times))


def test_table_is_the_librarys() -> None:
    queries = [Query(c.spec, c.start, max(1, len(c.next)), c.zone) for c in CASES]
    for case, real in zip(CASES, robfig_next(queries), strict=True):
        if case.error is not None:
            assert real.error == case.error, case.id
        elif case.never:
            assert real.zero and not real.times, case.id
        else:
            assert real.times == case.next, case.id


def _random_field(rng: random.Random, lo: int, hi: int) -> str:
    a = rng.randint(lo, hi)
    return rng.choice(
        [
            "*",
            "?",
            f"*/{rng.randint(1, hi)}",
            f"{a}",
            f"{a}-{rng.randint(a, hi)}",
            f"{a}/{rng.randint(1, 7)}",
            f"{a}-{rng.randint(a, hi)}/{rng.randint(1, 4)}",
            ",".join(str(rng.randint(lo, hi)) for _ in range(rng.randint(2, 4))),
            f"{rng.randint(lo, hi + 3)}",  # sometimes out of range: the error texts must agree
        ]
    )


def test_random_specs_agree_with_the_library() -> None:
    rng = random.Random(20261125)
    queries = []
    for _ in range(2000):
        spec = " ".join(_random_field(rng, lo, hi) for lo, hi, _ in BOUNDS)
        if rng.random() < 0.15:
            spec = f"CRON_TZ={rng.choice(ZONES)} {spec}"
        start = rng.randint(0, 2_100_000_000)
        queries.append(Query(spec, start, 6, rng.choice(ZONES)))
    real = robfig_next(queries)
    differ = [(q, r, m) for q, r in zip(queries, real, strict=True) if (m := _model(q)) != r]
    assert not differ, differ[:3]
    assert sum(r.error is None for r in real) > 1000  # most of them parse
