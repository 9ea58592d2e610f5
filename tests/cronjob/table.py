"""The schedule table (tests/data/cron/schedules.yaml) as typed cases, for the unit and oracle
tests alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "data" / "cron"


def ut(text: str) -> int:
    """An ISO-8601 time with an offset as UT seconds."""
    return int(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


@dataclass(frozen=True)
class Case:
    id: str
    spec: str
    zone: str
    start: int
    next: tuple[int, ...]
    never: bool
    error: str | None
    source: str


def load_cases() -> list[Case]:
    raw = yaml.safe_load((DATA / "schedules.yaml").read_text(encoding="utf-8"))["cases"]
    return [
        Case(
            c["id"],
            c["spec"],
            c.get("zone", "UTC"),
            ut(c["from"]),
            tuple(ut(t) for t in c.get("next", ())),
            bool(c.get("never")),
            c.get("error"),
            c["source"],
        )
        for c in raw
    ]


CASES = load_cases()
