"""The chapter's figures, in the book style, from seeded data.

Each is 5 in wide with 10 pt text (legends below the axes), so that shown 358 px wide on a
phone no label is smaller than about 9 px.
"""

from __future__ import annotations

import random

from infranotes.plotting import PALETTE, figure
from infranotes.reliability import fanout, faultsim, latency


def response_times(n: int = 400, seed: int = 1):
    """DDIA fig. 1-4: requests' response times, with the mean and percentiles as lines."""
    rng = random.Random(seed)
    # most requests around 50 ms; 2 % hit a ~1.5 s hiccup (a GC pause, a lost packet's retransmit)
    lat = [
        rng.uniform(1200, 1800) if rng.random() < 0.02 else rng.lognormvariate(3.9, 0.5)
        for _ in range(n)
    ]
    fig, ax = figure(figsize=(5, 4.0))
    ax.bar(range(n), lat, width=1.0, color=PALETTE[0])
    s = sorted(lat)
    lines = {
        "mean": sum(lat) / n,
        "median": latency.percentile(s, 50),
        "p95": latency.percentile(s, 95),
        "p99": latency.percentile(s, 99),
    }
    for (label, y), c in zip(lines.items(), PALETTE[1:], strict=False):
        ax.axhline(y, color=c, lw=1.2, label=f"{label} {y:.0f} ms")
    ax.set_xlabel("request")
    ax.set_ylabel("response time (ms)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2, fontsize=10)
    return fig


def tail_amplification():
    """The share of fanned-out requests that meet a slow backend, against the fan-out."""
    fig, ax = figure(figsize=(5, 3.8))
    ns = list(range(1, 2001))
    for p, c in zip((0.01, 0.001, 0.0001), PALETTE, strict=False):
        ax.plot(ns, [latency.p_any_slow(p, n) for n in ns], color=c, label=f"1 in {round(1 / p):,}")
    ax.scatter(
        [100, 2000],
        [latency.p_any_slow(0.01, 100), latency.p_any_slow(1e-4, 2000)],
        color="black",
        zorder=3,
        s=14,
    )
    ax.set_xscale("log")
    ax.set_xlabel("backends per request (fan-out)")
    ax.set_ylabel("requests that are slow")
    ax.legend(title="one backend slow", fontsize=10, title_fontsize=10)
    return fig


def faults_vs_failures(seconds: float = 200, seed: int = 7):
    """Failure rate and load against retries, light and heavy load (the retry storm)."""
    fig, (a, b) = figure(2, 1, figsize=(5, 6.6), sharex=True)
    retries = [0, 1, 2, 3]
    for (rate, hc), c in zip(((90, False), (90, True), (240, False)), PALETTE, strict=False):
        runs = [
            faultsim.simulate(
                faultsim.Service(
                    rate_per_s=rate,
                    timeout_ms=150,
                    retries=r,
                    health_checks=hc,
                    mttf_s=120,
                    mttr_s=30,
                ),
                seconds,
                random.Random(seed),
            )
            for r in retries
        ]
        label = f"{rate}/s, {'health checks' if hc else 'no health checks'}"
        a.plot(retries, [o.failure_rate for o in runs], marker="o", color=c, label=label)
        b.plot(retries, [o.load_factor for o in runs], marker="o", color=c, label=label)
    for ax in (a, b):
        ax.set_xticks(retries)
    a.set_ylabel("failed requests")
    b.set_xlabel("retries")
    b.set_ylabel("attempts per request")
    b.legend(fontsize=10, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=1)
    return fig


def twitter_costs(users: int = 200_000, seed: int = 1):
    """Hybrid fan-out: timeline writes and read-time lookups against the celebrity threshold."""
    fc = fanout.followers(users, random.Random(seed))
    thresholds = [10**k for k in range(2, 7)]
    costs = [fanout.cost(fc, t) for t in thresholds]
    fig, ax = figure(figsize=(5, 4.0))
    ax.plot(thresholds, [c.writes_per_s for c in costs], marker="o", label="fan-out writes/s")
    ax.plot(thresholds, [c.reads_per_s for c in costs], marker="o", label="read-time lookups/s")
    ax.axhline(fanout.pure_read(), color=PALETTE[3], ls="--", label="fan-out on read only")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("celebrity threshold (followers)")
    ax.set_ylabel("operations per second")
    ax.legend(fontsize=10, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=1)
    return fig
