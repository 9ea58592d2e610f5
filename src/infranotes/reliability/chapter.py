"""The tables and summaries the reliability notebook shows, in English or Chinese.

Each helper takes what the notebook computed (so the cell still shows the computation) and a
``lang``; the notebook shows it with :func:`infranotes.i18n.bilingual`. The English rendering
is exactly what the notebook printed before it was bilingual. Names that are data (an
:class:`~infranotes.reliability.operators.Interface`'s name, a chaos run's ``service``) stay
English in the model and are translated here, when they are rendered.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from infranotes.reliability import fanout, faults, faultsim, lab, latency, operators
from infranotes.reliability.messages import tr
from infranotes.table import Table

# ------------------------------------------------------------------ section 0: the framework


def fault_sources_table(
    hardware: faultsim.Outcome, software: faultsim.Outcome, *, lang: str = "en"
) -> Table:
    """Independent (hardware) against correlated (software) crashes of the same service."""
    rows = [
        (tr(lang, "hardware (independent)"), hardware),
        (tr(lang, "software (poison requests)"), software),
    ]
    return Table(
        (
            tr(lang, "fault source"),
            tr(lang, "replica crashes"),
            tr(lang, "time with no replica up"),
            tr(lang, "failed requests"),
        ),
        [(name, o.crashes, f"{o.all_down_s:.0f} s", f"{o.failure_rate:.2%}") for name, o in rows],
    )


def interface_name(name: str, *, lang: str = "en") -> str:
    """One of :data:`operators.INTERFACES`' names in ``lang`` (another name as it is)."""
    names = {
        "apply directly": tr(lang, "apply directly"),
        "dry-run plan first": tr(lang, "dry-run plan first"),
        "plan + 5 % canary for 10 min": tr(lang, "plan + 5 % canary for 10 min"),
        "plan + 5 % canary for 30 min": tr(lang, "plan + 5 % canary for 30 min"),
        "plan + canary + 5-min rollback": tr(lang, "plan + canary + 5-min rollback"),
    }
    return names.get(name, name)


def interfaces_table(results: Iterable[operators.Result], *, lang: str = "en") -> Table:
    """The same operator mistakes through each way of making changes."""
    return Table(
        (
            tr(lang, "interface"),
            tr(lang, "mistakes"),
            tr(lang, "caught by the plan"),
            tr(lang, "outage (fleet-minutes)"),
        ),
        [
            (
                interface_name(r.interface, lang=lang),
                r.mistakes,
                r.caught_before_apply,
                f"{r.outage_fleet_minutes:.1f}",
            )
            for r in results
        ],
    )


def service_name(service: str, *, lang: str = "en") -> str:
    """A :class:`~infranotes.reliability.lab.ChaosRun`'s ``service`` (``buggy``/``fixed``)."""
    names = {"buggy": tr(lang, "buggy"), "fixed": tr(lang, "fixed")}
    return names.get(service, service)


STATUSES = (200, 502, 503)


def chaos_table(runs: Iterable[lab.ChaosRun], *, lang: str = "en") -> Table:
    """What clients saw from each service, without and with injected dependency faults."""
    return Table(
        (
            tr(lang, "service"),
            tr(lang, "dependency faults"),
            tr(lang, "requests"),
            tr(lang, "injected"),
            *(str(s) for s in STATUSES),
        ),
        [
            (
                service_name(r.service, lang=lang),
                f"{r.fault_rate:.0%}",
                r.requests,
                r.faults_injected,
                *(dict(r.statuses).get(s, 0) for s in STATUSES),
            )
            for r in runs
        ],
    )


# ------------------------------------------------------------------ section 1: hardware faults


def fleet_table(fleets: Iterable[faults.Fleet], *, lang: str = "en") -> Table:
    """Failures per day of fleets of disks, and the time between two of them."""
    return Table(
        (
            tr(lang, "MTTF (years)"),
            tr(lang, "disks"),
            tr(lang, "failures per day"),
            tr(lang, "one every (hours)"),
        ),
        [
            (
                f.mttf_years,
                f.count,
                f"{f.failures_per_day:.2f}",
                f"{f.days_between_failures * 24:.1f}",
            )
            for f in fleets
        ],
    )


def nines_table(downtimes: Iterable[faults.Downtime], *, lang: str = "en") -> Table:
    """The downtime an availability allows per year, month and day."""
    return Table(
        (
            tr(lang, "availability"),
            tr(lang, "nines"),
            tr(lang, "per year"),
            tr(lang, "per month"),
            tr(lang, "per day"),
        ),
        [
            (
                d.availability,
                f"{d.nines:.0f}",
                f"{d.per_year_s / 3600:.2f} h",
                f"{d.per_month_s / 60:.1f} min",
                f"{d.per_day_s:.1f} s",
            )
            for d in downtimes
        ],
    )


def data_loss(events_per_year: Mapping[float, float], *, lang: str = "en") -> str:
    """One line per correlation: expected loss events a year and the chance of any in a year.

    ``events_per_year`` maps the ``correlated`` argument of
    :func:`~infranotes.reliability.faults.loss_events_per_year` to its result.
    """
    return "\n".join(
        tr(
            lang,
            "correlated {correlated}: {events} loss events a year, "
            "P(any loss in a year) = {p_loss}",
            correlated=f"{c:>5}",
            events=f"{e:.2e}",
            p_loss=f"{faults.p_loss(e):.2%}",
        )
        for c, e in events_per_year.items()
    )


# ------------------------------------------------------------------ sections 3-4: latency


def hdr_table(exact: Sequence[float], hdr: Mapping[float, int], *, lang: str = "en") -> Table:
    """HdrHistogram's percentiles beside the exact ones (``exact`` sorted)."""
    return Table(
        (
            tr(lang, "percentile"),
            tr(lang, "exact (µs)"),
            tr(lang, "HdrHistogram (µs)"),
            tr(lang, "difference"),
        ),
        [
            (p, e, h, f"{abs(h - e) / e:.4%}")
            for p, h in hdr.items()
            for e in [latency.percentile(exact, p)]
        ],
    )


def width(text: str) -> int:
    """Columns ``text`` takes in a monospace font (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned(rows: Sequence[tuple[str, str]]) -> str:
    """Labels and values, the values lined up one column after the longest label."""
    column = max(width(label) for label, _ in rows) + 1
    return "\n".join(f"{label}{' ' * (column - width(label))}{value}" for label, value in rows)


def slow_requests(
    closed_forms: Iterable[latency.FanOutTail],
    simulated: Iterable[latency.FanOutTail] = (),
    *,
    lang: str = "en",
) -> str:
    """The share of fanned-out requests that wait for a slow backend, computed and simulated."""
    rows = [
        (
            tr(
                lang,
                "1 in {one_in}, fan-out {fanout}:",
                one_in=f"{round(1 / t.p_slow):,}",
                fanout=f"{t.fanout:,}",
            ),
            f"{t.p_request_slow:.1%}",
        )
        for t in closed_forms
    ]
    rows += [
        (
            tr(
                lang,
                "simulated, 1 in {one_in} x {fanout}:",
                one_in=f"{round(1 / t.p_slow):,}",
                fanout=f"{t.fanout:,}",
            ),
            f"{t.p_request_slow:.1%}",
        )
        for t in simulated
    ]
    return aligned(rows)


def hedging_table(
    m: latency.Mixture,
    delay_ms: float,
    simulated: Sequence[float],
    extra: float,
    *,
    lang: str = "en",
) -> Table:
    """Percentiles without hedging, hedged (closed form) and hedged (``simulated``, sorted)."""
    qs, ps = (0.5, 0.99, 0.999), (50, 99, 99.9)
    return Table(
        ("", "p50 (ms)", "p99 (ms)", "p99.9 (ms)", tr(lang, "extra requests")),
        [
            (tr(lang, "no hedging"), *(f"{m.quantile(q):.1f}" for q in qs), "0 %"),
            (
                tr(lang, "hedge after {delay} ms (closed form)", delay=f"{delay_ms:.1f}"),
                *(f"{latency.hedged_quantile(m, delay_ms, q):.1f}" for q in qs),
                "-",
            ),
            (
                tr(lang, "hedged, simulated"),
                *(f"{latency.percentile(simulated, p):.1f}" for p in ps),
                f"{extra:.1%}",
            ),
        ],
    )


# ------------------------------------------------------------------ section 5: Twitter


def timeline_load(follower_counts: Sequence[int], *, lang: str = "en") -> str:
    """Twitter's load from a follower distribution (sorted, largest first): the followers,
    fan-out on write and on read, and how long one celebrity's tweet takes to deliver."""
    fc = follower_counts
    write = fanout.cost(list(fc), None)
    return "\n".join(
        (
            tr(
                lang,
                "mean followers {mean}, largest {largest}",
                mean=f"{sum(fc) / len(fc):.1f}",
                largest=f"{fc[0]:,}",
            ),
            tr(
                lang,
                "fan-out on write: {writes} writes/s ({peak} at the 12k/s peak)",
                writes=f"{write.writes_per_s:,.0f}",
                peak=f"{fanout.TWEETS_PEAK_PER_S * 75:,}",
            ),
            tr(
                lang,
                "fan-out on read:  {lookups} lookups/s",
                lookups=f"{fanout.pure_read():,.0f}",
            ),
            tr(
                lang,
                "one tweet to 30M followers at 345k writes/s: {seconds} s",
                seconds=f"{fanout.delivery_seconds(30_000_000, 345_000):.0f}",
            ),
        )
    )


def celebrity_table(
    follower_counts: Sequence[int],
    thresholds: Iterable[int] = (1_000, 10_000, 100_000),
    *,
    lang: str = "en",
) -> Table:
    """The hybrid's costs: users above each threshold are merged at read time."""
    return Table(
        (
            tr(lang, "threshold"),
            tr(lang, "celebrities"),
            tr(lang, "writes/s"),
            tr(lang, "read-time lookups/s"),
        ),
        [
            (f"{t:,}", c.celebrities, f"{c.writes_per_s:,.0f}", f"{c.reads_per_s:,.0f}")
            for t in thresholds
            for c in [fanout.cost(list(follower_counts), t)]
        ],
    )
