"""Fault injection: a replicated service under crashes and slow nodes, faults versus failures.

DDIA ch. 1: a *fault* is one component deviating from its spec, a *failure* is the system as a
whole no longer serving the user; fault tolerance keeps the first from becoming the second,
and deliberately injected faults test it. Here N replicas (each a FIFO queue with exponential
service times) sit behind a load balancer; replicas crash and come back, and some become
slow. A client gives each attempt ``timeout_ms`` and retries up to ``retries`` times on another
replica. A request *fails* when every attempt timed out. Timed-out work still occupies the
replica, so under load retries add queueing — the retry storm.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Service:
    replicas: int = 3
    service_ms: float = 10.0  # mean service time of a healthy replica
    rate_per_s: float = 150.0  # request arrivals (Poisson)
    timeout_ms: float = 100.0
    retries: int = 2
    health_checks: bool = True  # the balancer skips replicas it knows are down
    mttf_s: float = 600.0  # per replica, crashes
    mttr_s: float = 60.0
    slow_replicas: int = 0  # replicas that serve ``slow_factor`` times slower throughout
    slow_factor: float = 20.0


@dataclass
class Outcome:
    requests: int = 0
    failures: int = 0
    attempts: int = 0
    crashes: int = 0
    latencies: list[float] = field(default_factory=list)

    @property
    def failure_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0

    @property
    def load_factor(self) -> float:
        """Attempts per request: the extra load that retries put on the replicas."""
        return self.attempts / self.requests if self.requests else 0.0


def _down_intervals(
    s: Service, horizon_ms: float, rng: random.Random
) -> list[list[tuple[float, float]]]:
    out = []
    for _ in range(s.replicas):
        t, ivs = 0.0, []
        while True:
            t += rng.expovariate(1 / s.mttf_s) * 1000
            if t > horizon_ms:
                break
            end = t + rng.expovariate(1 / s.mttr_s) * 1000
            ivs.append((t, end))
            t = end
        out.append(ivs)
    return out


def simulate(s: Service, seconds: float, rng: random.Random) -> Outcome:
    """Run the service for ``seconds`` of simulated time."""
    horizon = seconds * 1000
    down = _down_intervals(s, horizon, rng)
    free_at = [0.0] * s.replicas
    out = Outcome(crashes=sum(len(d) for d in down))

    def is_down(r: int, t: float) -> bool:
        return any(a <= t < b for a, b in down[r])

    # events: (time, seq, request id, attempt number, arrival time of the request)
    events: list[tuple[float, int, int, int, float]] = []
    t, seq = 0.0, 0
    while True:
        t += rng.expovariate(s.rate_per_s / 1000)
        if t > horizon:
            break
        heapq.heappush(events, (t, seq, seq, 0, t))
        seq += 1
    out.requests = seq
    while events:
        now, _, rid, attempt, arrived = heapq.heappop(events)
        candidates = [r for r in range(s.replicas) if not (s.health_checks and is_down(r, now))]
        out.attempts += 1
        if not candidates:
            done = None
        else:
            r = rng.choice(candidates)
            if is_down(r, now):
                done = None  # a crashed replica never answers
            else:
                factor = s.slow_factor if r < s.slow_replicas else 1.0
                start = max(now, free_at[r])
                free_at[r] = start + rng.expovariate(1 / (s.service_ms * factor))
                done = free_at[r]
        if done is not None and done - now <= s.timeout_ms:
            out.latencies.append(done - arrived)
        elif attempt < s.retries:
            heapq.heappush(events, (now + s.timeout_ms, seq, rid, attempt + 1, arrived))
            seq += 1
        else:
            out.failures += 1
    return out
