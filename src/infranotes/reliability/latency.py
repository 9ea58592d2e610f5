"""Percentiles and tail latency: exact and streaming percentiles, fan-out amplification, hedging.

DDIA ch. 1, "Describing Performance": use percentiles, not the mean; a request that fans out to
many backends is as slow as the slowest ("tail latency amplification"). Dean and Barroso, *The
Tail at Scale* (CACM 56(2), 2013): if each server is slow 1 time in 100, a request to 100
servers is slow 63 % of the time; hedged requests cut the tail for a few percent more load.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values: the smallest value with at least p %
    of the values at or below it (the definition HdrHistogram also uses)."""
    if not sorted_values:
        raise ValueError("no values")
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def hdr_percentiles(
    values: Sequence[int], ps: Sequence[float], digits: int = 3, highest: int = 3_600_000_000
) -> dict[float, int]:
    """Percentiles from an HdrHistogram (``hdrhistogram`` on PyPI) with ``digits`` significant
    digits: constant memory, values within 10**-digits of the exact ones."""
    from hdrh.histogram import HdrHistogram

    h = HdrHistogram(1, highest, digits)
    for v in values:
        h.record_value(v)
    return {p: h.get_value_at_percentile(p) for p in ps}


def p_any_slow(p_slow: float, fanout: int) -> float:
    """Probability that a request waiting for ``fanout`` independent backends meets at least one
    slow one: 1 - (1 - p)^n."""
    if not 0 <= p_slow <= 1 or fanout < 1:
        raise ValueError("p_slow must be in [0, 1] and fanout at least 1")
    return 1 - (1 - p_slow) ** fanout


@dataclass(frozen=True)
class FanOutTail:
    """How often a request fanned out to ``fanout`` backends waits for a slow one."""

    p_slow: float
    fanout: int
    p_request_slow: float

    def to_json(self) -> dict[str, float | int]:
        """The shape ``infranotes reliability tail --json`` prints."""
        return {"p_slow": self.p_slow, "fanout": self.fanout, "p_request_slow": self.p_request_slow}


def fanout_tail(p_slow: float, fanout: int) -> FanOutTail:
    """:func:`p_any_slow` with its inputs, as a result."""
    return FanOutTail(p_slow, fanout, p_any_slow(p_slow, fanout))


def fanout_needed(p_slow: float, target: float) -> int:
    """The smallest fan-out at which at least ``target`` of the requests are slow."""
    return math.ceil(math.log(1 - target) / math.log(1 - p_slow))


def simulate_fanout(p_slow: float, fanout: int, trials: int, rng: random.Random) -> float:
    """The fraction of ``trials`` fanned-out requests that met at least one slow backend."""
    slow = sum(any(rng.random() < p_slow for _ in range(fanout)) for _ in range(trials))
    return slow / trials


@dataclass(frozen=True)
class Mixture:
    """A backend's latency: usually fast (exponential, mean ``fast_ms``), with probability
    ``p_slow`` a fixed ``slow_ms`` hiccup (GC pause, queueing behind a batch job)."""

    fast_ms: float = 10.0
    p_slow: float = 0.01
    slow_ms: float = 1000.0

    def sample(self, rng: random.Random) -> float:
        return self.slow_ms if rng.random() < self.p_slow else rng.expovariate(1 / self.fast_ms)

    def sf(self, t: float) -> float:
        """P(latency > t)."""
        fast = math.exp(-t / self.fast_ms) if t >= 0 else 1.0
        return (1 - self.p_slow) * fast + (self.p_slow if t < self.slow_ms else 0.0)

    def quantile(self, q: float) -> float:
        """The latency below which a fraction ``q`` of requests finish (numerically)."""
        lo, hi = 0.0, self.slow_ms * 2
        for _ in range(100):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if 1 - self.sf(mid) < q else (lo, mid)
        return hi


def hedged_sf(m: Mixture, delay_ms: float, t: float) -> float:
    """P(latency > t) with a hedged request: a second copy goes to another backend if the first
    has not answered after ``delay_ms``; the first answer wins (independent backends)."""
    return m.sf(t) * (m.sf(t - delay_ms) if t >= delay_ms else 1.0)


def hedged_quantile(m: Mixture, delay_ms: float, q: float) -> float:
    lo, hi = 0.0, m.slow_ms * 2
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if 1 - hedged_sf(m, delay_ms, mid) < q else (lo, mid)
    return hi


def simulate_hedged(
    m: Mixture, delay_ms: float, n: int, rng: random.Random
) -> tuple[list[float], float]:
    """Sorted latencies of ``n`` hedged requests and the extra load (second copies per request)."""
    out, extra = [], 0
    for _ in range(n):
        first = m.sample(rng)
        if first > delay_ms:
            extra += 1
            first = min(first, delay_ms + m.sample(rng))
        out.append(first)
    return sorted(out), extra / n
