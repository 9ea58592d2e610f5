"""Human error as a toy model: how much a dry-run, a canary and a quick rollback save.

DDIA ch. 1, "Human Errors", cites a study of large internet services in which operators'
configuration mistakes were the leading cause of outages, and lists what helps: interfaces
that make the right thing easy (a plan shown before it is applied), staged roll-outs that
limit the blast radius, and fast rollback. This model is an illustration, not data: an
operator makes ``changes`` changes, each wrong with probability ``p_mistake``; a wrong change
hurts the share of the fleet it reached until it is noticed and rolled back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Interface:
    """How changes are made: each field is one of DDIA's mitigations."""

    name: str
    p_caught_by_plan: float = 0.0  # a dry-run/diff shown first catches this share of mistakes
    canary_share: float = 1.0  # the share of the fleet a change reaches before it is judged
    canary_minutes: float = 0.0  # how long the canary runs before the rest gets the change
    rollback_minutes: float = 30.0  # noticing a bad change and undoing it


@dataclass(frozen=True)
class Result:
    """What ``changes`` changes cost through one interface."""

    interface: str
    changes: int
    mistakes: int
    caught_before_apply: int
    outage_fleet_minutes: float  # minutes x share of the fleet affected, summed

    def to_json(self) -> dict[str, object]:
        """A plain mapping for tables and JSON."""
        return {
            "interface": self.interface,
            "changes": self.changes,
            "mistakes": self.mistakes,
            "caught_before_apply": self.caught_before_apply,
            "outage_fleet_minutes": round(self.outage_fleet_minutes, 1),
        }


INTERFACES = (
    Interface("apply directly"),
    Interface("dry-run plan first", p_caught_by_plan=0.7),
    Interface(
        "plan + 5 % canary for 10 min", p_caught_by_plan=0.7, canary_share=0.05, canary_minutes=10
    ),
    Interface(
        "plan + 5 % canary for 30 min", p_caught_by_plan=0.7, canary_share=0.05, canary_minutes=30
    ),
    Interface(
        "plan + canary + 5-min rollback",
        p_caught_by_plan=0.7,
        canary_share=0.05,
        canary_minutes=30,
        rollback_minutes=5,
    ),
)


def operate(interface: Interface, changes: int, p_mistake: float, rng: random.Random) -> Result:
    """Run ``changes`` changes through ``interface``; the same seed gives the same mistakes."""
    if not 0 <= p_mistake <= 1 or changes < 0:
        raise ValueError("p_mistake must be in [0, 1] and changes non-negative")
    mistakes = caught = 0
    outage = 0.0
    for _ in range(changes):
        wrong = rng.random() < p_mistake
        spotted = rng.random() < interface.p_caught_by_plan  # drawn always: same stream for all
        if not wrong:
            continue
        mistakes += 1
        if spotted:
            caught += 1
            continue
        outage += _damage(interface)
    return Result(interface.name, changes, mistakes, caught, outage)


def _damage(i: Interface) -> float:
    """Fleet-minutes one applied mistake costs: it is noticed and undone after
    ``rollback_minutes``; a canary holds it to ``canary_share`` of the fleet only if the canary
    runs at least that long (a canary nobody watches long enough protects nothing)."""
    detect = i.rollback_minutes
    if detect <= i.canary_minutes:
        return i.canary_share * detect
    return i.canary_share * detect + (1 - i.canary_share) * (detect - i.canary_minutes)


def compare(changes: int = 1000, p_mistake: float = 0.02, seed: int = 3) -> list[Result]:
    """Every interface on the same sequence of changes and mistakes."""
    return [operate(i, changes, p_mistake, random.Random(seed)) for i in INTERFACES]
