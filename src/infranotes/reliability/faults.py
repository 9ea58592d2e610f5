"""Fault arithmetic: failures in a fleet, availability in nines, data loss with replicas.

DDIA ch. 1, "Hardware Faults": disks have an MTTF of 10 to 50 years, so a cluster of 10,000
disks should expect about one disk to die per day. These are the closed forms; ``loss_sim``
checks the replica formula by Monte Carlo.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

YEAR_DAYS = 365.25
HOURS_PER_YEAR = YEAR_DAYS * 24


@dataclass(frozen=True)
class Fleet:
    mttf_years: float
    count: int

    @property
    def failures_per_day(self) -> float:
        """Expected failures per day: count / MTTF (exponential lifetimes, replaced at once)."""
        return self.count / (self.mttf_years * YEAR_DAYS)

    @property
    def days_between_failures(self) -> float:
        return 1 / self.failures_per_day

    def p_no_failure(self, days: float) -> float:
        """Probability that no member fails within ``days`` (Poisson)."""
        return math.exp(-self.failures_per_day * days)

    def to_json(self) -> dict[str, float | int]:
        """The shape ``infranotes reliability fleet --json`` prints."""
        return {
            "mttf_years": self.mttf_years,
            "count": self.count,
            "failures_per_day": self.failures_per_day,
            "failures_per_year": self.failures_per_day * YEAR_DAYS,
            "days_between_failures": self.days_between_failures,
        }


def fleet(mttf_years: float, count: int) -> Fleet:
    if mttf_years <= 0 or count < 1:
        raise ValueError("MTTF must be positive and the fleet must have at least one member")
    return Fleet(mttf_years, count)


@dataclass(frozen=True)
class Downtime:
    availability: float
    nines: float
    per_year_s: float
    per_month_s: float
    per_week_s: float
    per_day_s: float

    def to_json(self) -> dict[str, float]:
        """The shape ``infranotes reliability nines --json`` prints (nines to 3 places)."""
        return {
            "availability": self.availability,
            "nines": round(self.nines, 3),
            "downtime_per_year_s": self.per_year_s,
            "downtime_per_month_s": self.per_month_s,
            "downtime_per_week_s": self.per_week_s,
            "downtime_per_day_s": self.per_day_s,
        }


def downtime(availability: float) -> Downtime:
    """Allowed downtime for an availability (0 < A < 1); "nines" is -log10(1 - A)."""
    if not 0 < availability < 1:
        raise ValueError("availability must be strictly between 0 and 1, e.g. 0.999")
    down = 1 - availability
    year = YEAR_DAYS * 86400
    return Downtime(
        availability,
        -math.log10(down),
        down * year,
        down * year / 12,
        down * 7 * 86400,
        down * 86400,
    )


def loss_events_per_year(
    groups: int, replicas: int, mttf_years: float, repair_hours: float, correlated: float = 0.0
) -> float:
    """Expected data-loss events per year: a group of ``replicas`` copies loses data when, after
    one copy fails, every other copy fails before the repair (``repair_hours``) completes.
    ``correlated`` is the probability that a failure takes the group's other copies with it
    (a shared rack, a bad firmware batch): independent faults are rare, correlated ones are not.
    """
    rate = replicas / (mttf_years * HOURS_PER_YEAR)  # first failures per hour per group
    q = 1 - math.exp(-repair_hours / (mttf_years * HOURS_PER_YEAR))
    q_all = correlated + (1 - correlated) * q ** (replicas - 1)
    healthy = 1 / (1 + rate * repair_hours)  # the share of time a group is not under repair
    return groups * rate * healthy * q_all * HOURS_PER_YEAR


def p_loss(events_per_year: float, years: float = 1.0) -> float:
    return 1 - math.exp(-events_per_year * years)


def loss_sim(
    groups: int,
    replicas: int,
    mttf_years: float,
    repair_hours: float,
    years: float,
    rng: random.Random,
    correlated: float = 0.0,
) -> int:
    """Count data-loss events by simulation (each group: exponential failures, fixed repair)."""
    mttf_h, horizon = mttf_years * HOURS_PER_YEAR, years * HOURS_PER_YEAR
    losses = 0
    for _ in range(groups):
        t = 0.0
        while True:
            t += rng.expovariate(replicas / mttf_h)  # the next first failure in a healthy group
            if t > horizon:
                break
            if rng.random() < correlated or all(
                rng.expovariate(1 / mttf_h) < repair_hours for _ in range(replicas - 1)
            ):
                losses += 1
            t += repair_hours  # the group is whole again after the repair
    return losses
