"""The real robfig/cron v3 beside the model: a Go probe built against Debian's package.

Kubernetes pins ``github.com/robfig/cron/v3 v3.0.1``; Debian's ``golang-github-robfig-cron-dev``
is that release. :func:`robfig_next` asks it for the next activations of many schedules in
one process, so a test or a notebook cell can put the library's answers beside the model's.
"""

from __future__ import annotations

import json
import random
import subprocess
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from infranotes.cronjob.schedule import BOUNDS, ScheduleError, parse_schedule
from infranotes.lab.probes import build_go_probe

# The comparison with robfig/cron builds a Go program (no root needed).
REQUIRES = ("go",)

# Zones with unusual DST: midnight missing (Sao_Paulo, Santiago), 30-min DST (Lord_Howe),
# a 45-min offset (Chatham), a half-hour offset (Tehran).
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


@dataclass(frozen=True)
class Query:
    spec: str
    start: int  # UT seconds
    n: int = 5
    loc: str = "UTC"  # the location of the start time (the controller's zone)


@dataclass(frozen=True)
class Answer:
    times: tuple[int, ...] = ()
    zero: bool = False  # Next returned the zero time: nothing within five years
    error: str | None = None


def _probe() -> str:
    return str(
        build_go_probe(
            "cronnext",
            "github.com/robfig/cron/v3",
            "github.com/robfig/cron",
            "golang-github-robfig-cron-dev",
        )
    )


def _line(q: Query) -> str:
    return json.dumps({"spec": q.spec, "from": q.start, "n": q.n, "loc": q.loc}) + "\n"


def _answer(line: str) -> Answer:
    d = json.loads(line)
    return Answer(tuple(d.get("times") or ()), bool(d.get("zero")), d.get("error"))


def robfig_next(queries: list[Query]) -> list[Answer]:
    """The library's answers, in order; LabUnavailable when Go or the package is missing."""
    lines = "".join(_line(q) for q in queries)
    out = subprocess.run([_probe()], input=lines, capture_output=True, text=True, check=True)
    return [_answer(line) for line in out.stdout.splitlines()]


class RobfigProbe:
    """One long-running probe answering a query at a time (for property tests, where the
    generator asks one question per example): a line in, a line out."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen(
            [_probe()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )

    def ask(self, q: Query) -> Answer:
        """The library's answer to one query."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(_line(q))
        self._proc.stdin.flush()
        return _answer(self._proc.stdout.readline())

    def close(self) -> None:
        """End the probe (closing its stdin ends its read loop)."""
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._proc.wait(timeout=10)


def model_answer(q: Query) -> Answer:
    """The model's answer to a query, in the probe's terms."""
    try:
        s = parse_schedule(q.spec)
    except ScheduleError as exc:
        return Answer(error=str(exc))
    times: list[int] = []
    t = q.start
    for _ in range(q.n):
        nxt = s.next(t, ZoneInfo(q.loc))
        if nxt is None:
            return Answer(tuple(times), zero=True)
        times.append(nxt)
        t = nxt
    return Answer(tuple(times))


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


def random_queries(n: int, seed: int) -> list[Query]:
    """``n`` seeded random schedules (some with CRON_TZ=, some invalid), starts and zones."""
    rng = random.Random(seed)
    queries = []
    for _ in range(n):
        spec = " ".join(_random_field(rng, lo, hi) for lo, hi, _ in BOUNDS)
        if rng.random() < 0.15:
            spec = f"CRON_TZ={rng.choice(ZONES)} {spec}"
        queries.append(Query(spec, rng.randint(0, 2_100_000_000), 6, rng.choice(ZONES)))
    return queries


def differences(queries: list[Query]) -> list[tuple[Query, Answer, Answer]]:
    """(query, library, model) wherever the model and the real library disagree."""
    return [
        (q, real, m)
        for q, real in zip(queries, robfig_next(queries), strict=True)
        if (m := model_answer(q)) != real
    ]
