"""DDIA ch. 1's Twitter example: home timelines by fan-out on write, on read, or both.

Post tweet: 4.6k requests/s on average, over 12k at peak. Home timeline: 300k requests/s. A
tweet is delivered to about 75 followers on average, so fan-out on write turns 4.6k tweets/s
into 345k timeline-cache writes/s; some users have over 30 million followers. The hybrid
approach fans out on write for most users and merges celebrities' tweets at read time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

TWEETS_PER_S = 4_600
TWEETS_PEAK_PER_S = 12_000
TIMELINE_READS_PER_S = 300_000
MEAN_FOLLOWERS = 75
MAX_FOLLOWERS = 30_000_000


def followers(
    users: int,
    rng: random.Random,
    alpha: float = 1.1,
    mean: float = MEAN_FOLLOWERS,
    cap: int = MAX_FOLLOWERS,
) -> list[int]:
    """A heavy-tailed (Pareto) follower count per user, capped, rescaled to the given mean."""
    raw = [min(rng.paretovariate(alpha), cap) for _ in range(users)]
    scale = mean * users / sum(raw)
    return sorted((max(0, min(cap, round(x * scale))) for x in raw), reverse=True)


@dataclass(frozen=True)
class Cost:
    threshold: int | None  # users above it are celebrities (None: nobody)
    writes_per_s: float  # timeline-cache inserts from fan-out on write
    reads_per_s: float  # extra tweet lookups at read time (celebrities' tweets merged)
    celebrities: int

    @property
    def total(self) -> float:
        return self.writes_per_s + self.reads_per_s


def cost(
    follower_counts: list[int],
    threshold: int | None,
    tweets_per_s: float = TWEETS_PER_S,
    reads_per_s: float = TIMELINE_READS_PER_S,
) -> Cost:
    """Work per second when users with more than ``threshold`` followers are not fanned out.

    Every user tweets at the same rate, and every user reads their timeline at the same rate.
    A tweet by a user with F followers costs F writes on write; at read time, a reader looks up
    the celebrities they follow, F readers for each celebrity with F followers."""
    n = len(follower_counts)
    limit = float("inf") if threshold is None else threshold
    normal = sum(f for f in follower_counts if f <= limit) / n
    celeb = sum(f for f in follower_counts if f > limit) / n
    return Cost(
        threshold,
        tweets_per_s * normal,
        reads_per_s * celeb,
        sum(1 for f in follower_counts if f > limit),
    )


def pure_read(reads_per_s: float = TIMELINE_READS_PER_S, mean: float = MEAN_FOLLOWERS) -> float:
    """Fan-out on read (approach 1): every timeline read looks up every followee's tweets."""
    return reads_per_s * mean


def delivery_seconds(followers_of_one: int, writes_per_s_capacity: float) -> float:
    """How long one tweet takes to reach every follower's cache at a given write capacity."""
    return followers_of_one / writes_per_s_capacity
