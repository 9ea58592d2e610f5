"""DDIA ch. 1 and The Tail at Scale reproduced; closed forms against seeded simulations."""

from __future__ import annotations

import json
import math
import random

import pytest

from infranotes.cli import main
from infranotes.reliability import fanout, faults, faultsim, latency


def test_ddia_disks_die_about_once_a_day() -> None:
    # MTTF 10-50 years, 10,000 disks: 2.7 to 0.55 a day; "about one per day" at ~27 years
    assert faults.fleet(10, 10_000).failures_per_day == pytest.approx(2.738, abs=1e-3)
    assert faults.fleet(50, 10_000).failures_per_day == pytest.approx(0.548, abs=1e-3)
    assert faults.fleet(27.4, 10_000).failures_per_day == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize(
    ("availability", "nines", "per_year_s"),
    [
        (0.99, 2, 3.6525 * 86400),
        (0.999, 3, 8.766 * 3600),
        (0.9999, 4, 52.596 * 60),
        (0.99999, 5, 315.576),
    ],
)
def test_nines(availability: float, nines: float, per_year_s: float) -> None:
    d = faults.downtime(availability)
    assert d.nines == pytest.approx(nines) and d.per_year_s == pytest.approx(per_year_s, rel=1e-9)


def test_data_loss_closed_form_against_simulation() -> None:
    # exaggerated rates (MTTF 1 year, 30-day repairs) so that losses are frequent enough to count
    expected = faults.loss_events_per_year(2000, 3, 1.0, 720) * 10
    seen = faults.loss_sim(2000, 3, 1.0, 720, 10, random.Random(11))
    assert abs(seen - expected) < 4 * math.sqrt(expected)  # Poisson count: within 4 sd
    corr = faults.loss_events_per_year(200, 3, 1.0, 720, correlated=0.05) * 10
    seen = faults.loss_sim(200, 3, 1.0, 720, 10, random.Random(12), correlated=0.05)
    assert abs(seen - corr) < 4 * math.sqrt(corr)


def test_correlated_faults_dominate() -> None:
    indep = faults.loss_events_per_year(10_000, 3, 10, 24)
    corr = faults.loss_events_per_year(10_000, 3, 10, 24, correlated=0.001)
    assert indep < 1e-3 and corr > 1000 * indep


def test_tail_at_scale_headline_numbers() -> None:
    # 1 in 100 slow, fan-out 100: 63 % of requests are slow
    assert latency.p_any_slow(0.01, 100) == pytest.approx(0.634, abs=1e-3)
    # 1 in 10,000 slow, fan-out 2,000: almost 1 in 5
    assert latency.p_any_slow(1e-4, 2000) == pytest.approx(0.181, abs=1e-3)
    assert latency.fanout_needed(0.01, 0.5) == 69


@pytest.mark.parametrize(("p", "n"), [(0.01, 100), (0.001, 500), (0.05, 10)])
def test_fanout_closed_form_against_simulation(p: float, n: int) -> None:
    trials = 20_000
    seen = latency.simulate_fanout(p, n, trials, random.Random(n))
    expected = latency.p_any_slow(p, n)
    assert abs(seen - expected) < 4 * math.sqrt(expected * (1 - expected) / trials)


def test_hedged_requests_cut_the_tail() -> None:
    m = latency.Mixture()
    delay = m.quantile(0.95)
    lat, extra = latency.simulate_hedged(m, delay, 200_000, random.Random(5))
    assert latency.percentile(lat, 99.9) == pytest.approx(
        latency.hedged_quantile(m, delay, 0.999), rel=0.05
    )
    assert m.quantile(0.999) == pytest.approx(1000, rel=1e-6)  # unhedged: the 1 s hiccup
    assert latency.hedged_quantile(m, delay, 0.999) < 70 and extra == pytest.approx(0.05, abs=0.005)


def test_percentile_definition() -> None:
    v = sorted(range(1, 101))
    assert latency.percentile(v, 50) == 50 and latency.percentile(v, 99) == 99
    assert latency.percentile(v, 0) == 1 and latency.percentile(v, 100) == 100
    with pytest.raises(ValueError):
        latency.percentile([], 50)


def test_hdr_histogram_within_its_precision_on_a_million_samples() -> None:
    rng = random.Random(42)
    values = [max(1, round(rng.lognormvariate(9, 1.2))) for _ in range(1_000_000)]  # microseconds
    ps = (50, 90, 95, 99, 99.9, 99.99)
    hdr = latency.hdr_percentiles(values, ps, digits=3)
    exact = sorted(values)
    for p in ps:
        e = latency.percentile(exact, p)
        assert abs(hdr[p] - e) <= e * 1e-3 + 1, (p, hdr[p], e)


def test_mean_is_not_typical() -> None:
    rng = random.Random(3)
    lat = sorted(
        latency.Mixture(fast_ms=10, p_slow=0.02, slow_ms=2000).sample(rng) for _ in range(50_000)
    )
    mean = sum(lat) / len(lat)
    assert mean > latency.percentile(lat, 90)  # one slow request in 50 drags the mean past p90


def test_faults_versus_failures() -> None:
    base = dict(rate_per_s=90, timeout_ms=150, mttf_s=120, mttr_s=30, health_checks=False)
    runs = [
        faultsim.simulate(faultsim.Service(retries=r, **base), 200, random.Random(7))
        for r in range(4)
    ]
    assert all(o.crashes > 0 for o in runs)  # faults happened in every run
    rates = [o.failure_rate for o in runs]
    assert rates[0] > 0.05 and rates[3] < 0.01 and rates == sorted(rates, reverse=True)
    checked = faultsim.simulate(
        faultsim.Service(retries=0, **{**base, "health_checks": True}), 200, random.Random(7)
    )
    assert checked.failure_rate < 0.001


def test_retry_storm() -> None:
    base = dict(rate_per_s=240, timeout_ms=150, mttf_s=120, mttr_s=30, health_checks=False)
    none = faultsim.simulate(faultsim.Service(retries=0, **base), 200, random.Random(7))
    many = faultsim.simulate(faultsim.Service(retries=3, **base), 200, random.Random(7))
    assert many.failure_rate > 3 * none.failure_rate and many.load_factor > 3


def test_twitter_fanout_numbers() -> None:
    fc = fanout.followers(200_000, random.Random(1))
    assert sum(fc) / len(fc) == pytest.approx(fanout.MEAN_FOLLOWERS, rel=0.01)
    write_all = fanout.cost(fc, None)
    assert write_all.writes_per_s == pytest.approx(345_000, rel=0.01)  # 4.6k tweets/s x 75
    assert write_all.reads_per_s == 0
    assert fanout.pure_read() == 22_500_000
    hybrid = fanout.cost(fc, 10_000)
    assert hybrid.writes_per_s < write_all.writes_per_s and hybrid.reads_per_s > 0
    assert hybrid.writes_per_s + sum(f for f in fc if f > 10_000) / len(
        fc
    ) * 4_600 == pytest.approx(write_all.writes_per_s)
    assert fanout.delivery_seconds(30_000_000, 345_000) == pytest.approx(86.96, abs=0.01)


@pytest.mark.parametrize(
    ("argv", "key", "value"),
    [
        (["tail", "--p-slow", "0.01", "--fanout", "100"], "p_request_slow", 0.634),
        (["nines", "--availability", "0.999"], "downtime_per_year_s", 31557.6),
        (["fleet", "--mttf-years", "10", "--count", "10000"], "failures_per_day", 2.738),
    ],
)
def test_cli(argv: list[str], key: str, value: float, capsys) -> None:
    assert main(["reliability", *argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[key] == pytest.approx(value, abs=1e-3)


@pytest.mark.parametrize(
    "argv",
    [
        ["nines", "--availability", "1"],
        ["tail", "--p-slow", "2", "--fanout", "3"],
        ["fleet", "--mttf-years", "0", "--count", "3"],
        ["fleet", "--mttf-years", "x", "--count", "3"],
    ],
)
def test_cli_errors(argv: list[str], capsys) -> None:
    assert main(["reliability", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("infranotes: ") and err.count("\n") == 1
