"""Benchmark: the current CronJob controller's sync with ten years of every-minute backlog.

Target: under 10 ms (issue 6). The current controller estimates the number of missed times
from the first two, so its cost does not grow with the backlog; v1.10 is shown beside it (it
stops at 101 times and fails). The memo of schedule times is cleared before every run, so each
figure is a cold computation. Run by hand: ``.venv/bin/python benchmarks/cron_bench.py``.
"""

from __future__ import annotations

import json
import statistics
import time

from infranotes.cronjob.controller import CronJobSpec, Status, decide
from infranotes.cronjob.schedule import spec_next

NOW = 1_900_000_000  # 2030-03-17
TEN_YEARS = 10 * 365 * 86400
SCHEDULES = ("* * * * *", "*/5 * * * 1-5", "30 6-16/4 * * 1-5", "@every 1m")


def _ms(spec: CronJobSpec, version: str, runs: int = 50) -> tuple[float, str]:
    samples, action = [], ""
    for _ in range(runs):
        spec_next.cache_clear()
        t0 = time.perf_counter()
        d = decide(spec, Status(NOW - TEN_YEARS), NOW, version)
        samples.append((time.perf_counter() - t0) * 1000)
        action = d.action
    return round(statistics.median(samples), 3), action


def main() -> dict[str, object]:
    out: dict[str, object] = {"backlog_years": 10}
    for s in SCHEDULES:
        spec = CronJobSpec("bench", s, NOW - TEN_YEARS - 60)
        cur, cur_action = _ms(spec, "current")
        old, old_action = _ms(spec, "v1.10")
        out[s] = {"current_ms": cur, "current": cur_action, "v1.10_ms": old, "v1.10": old_action}
    return out


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
