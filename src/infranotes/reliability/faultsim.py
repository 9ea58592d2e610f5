"""Fault injection: a replicated service under crashes and slow nodes, faults versus failures.

DDIA ch. 1: a *fault* is one component deviating from its spec, a *failure* is the system as a
whole no longer serving the user; fault tolerance keeps the first from becoming the second,
and deliberately injected faults test it. Here N replicas (each a FIFO queue with exponential
service times) sit behind a load balancer; replicas crash and come back, and some become
slow. A client gives each attempt ``timeout_ms`` and retries up to ``retries`` times on another
replica. A request *fails* when every attempt timed out. Timed-out work still occupies the
replica, so under load retries add queueing — the retry storm.

Software faults are the correlated kind (DDIA ch. 1, "Software Errors"): a *poison request*
(an input that hits a bug) crashes whichever replica serves it, and the client's retry carries
it to the next replica. ``poison_per_s`` adds such requests; ``all_down_s`` measures how long
no replica was up, which independent hardware crashes almost never achieve.
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
    poison_per_s: float = 0.0  # requests that crash the replica serving them (a software bug)
    restart_s: float = 30.0  # how long a replica crashed by a poison request stays down


@dataclass
class Outcome:
    requests: int = 0
    failures: int = 0
    attempts: int = 0
    crashes: int = 0
    latencies: list[float] = field(default_factory=list)
    all_down_s: float = 0.0  # time during which every replica was down at once

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
    poison: set[int] = set()
    if s.poison_per_s > 0:
        t = 0.0
        while True:
            t += rng.expovariate(s.poison_per_s / 1000)
            if t > horizon:
                break
            heapq.heappush(events, (t, seq, seq, 0, t))
            poison.add(seq)
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
            elif rid in poison:  # the bug: this replica crashes, the request never answers
                down[r].append((now, now + s.restart_s * 1000))
                out.crashes += 1
                done = None
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
    out.all_down_s = _all_down_ms(down, horizon) / 1000
    return out


def _all_down_ms(down: list[list[tuple[float, float]]], horizon: float) -> float:
    """Total time within ``[0, horizon]`` during which every replica was inside a down interval."""
    edges = sorted(
        (t, delta) for ivs in down for a, b in ivs for t, delta in ((a, 1), (min(b, horizon), -1))
    )
    total, depth, since = 0.0, 0, 0.0
    for t, delta in edges:
        if depth == len(down):
            total += t - since
        depth += delta
        since = t
    return total


def correlated_versus_independent(
    seconds: float = 3600, seed: int = 11, crashes_per_replica_hour: float = 12.0
) -> tuple[Outcome, Outcome]:
    """The same number of crashes, independent (hardware) or caused by poison requests (a bug).

    Both services see about ``crashes_per_replica_hour`` crashes per replica per hour; the
    hardware ones strike each replica independently, the software ones come from poison
    requests that the client's retries carry from replica to replica.
    """
    base = {"rate_per_s": 20.0, "timeout_ms": 150, "retries": 2, "health_checks": True}
    mttf_s = 3600 / crashes_per_replica_hour
    hardware = simulate(Service(**base, mttf_s=mttf_s, mttr_s=30), seconds, random.Random(seed))
    # each poison request crashes up to 1 + retries replicas: divide to get the same crash rate
    poison_per_s = 3 * crashes_per_replica_hour / 3600 / (1 + base["retries"])
    software = simulate(
        Service(**base, mttf_s=1e12, poison_per_s=poison_per_s, restart_s=30),
        seconds,
        random.Random(seed),
    )
    return hardware, software
