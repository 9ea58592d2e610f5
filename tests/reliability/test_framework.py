"""DDIA chapter 1's framework, executed: correlated software faults, human error, chaos."""

from __future__ import annotations

import random

import pytest

from infranotes.reliability import faultsim, lab, operators


def test_all_down_counts_only_overlap_of_every_replica() -> None:
    down = [[(0.0, 10.0), (50.0, 70.0)], [(5.0, 20.0), (60.0, 65.0)], [(8.0, 9.0), (55.0, 90.0)]]
    # all three overlap in [8, 9] and [60, 65]
    assert faultsim._all_down_ms(down, 100.0) == pytest.approx(1.0 + 5.0)
    assert faultsim._all_down_ms([[(0.0, 50.0)], []], 100.0) == 0.0
    assert faultsim._all_down_ms([[(90.0, 200.0)]], 100.0) == pytest.approx(10.0)


def test_software_faults_are_correlated_hardware_faults_are_not() -> None:
    hardware, software = faultsim.correlated_versus_independent(seed=11)
    assert hardware.crashes >= 20 and software.crashes >= 20
    assert hardware.all_down_s == 0.0 and hardware.failure_rate < 0.001
    # every poison request took all three replicas down for the 30 s restart
    assert software.all_down_s >= 300
    assert software.failure_rate > 0.05


def test_poison_requests_off_leave_the_simulation_unchanged() -> None:
    s = faultsim.Service(rate_per_s=90, timeout_ms=150, retries=2, mttf_s=120, mttr_s=30)
    a = faultsim.simulate(s, 100, random.Random(7))
    b = faultsim.simulate(faultsim.Service(**{**s.__dict__, "poison_per_s": 0.0}), 100,
                          random.Random(7))  # fmt: skip
    assert (a.failures, a.attempts, a.crashes) == (b.failures, b.attempts, b.crashes)


def test_safer_interfaces_reduce_outage_from_the_same_mistakes() -> None:
    results = operators.compare(changes=1000, p_mistake=0.02, seed=3)
    assert len({r.mistakes for r in results}) == 1  # the same mistakes for every interface
    outage = [r.outage_fleet_minutes for r in results]
    assert outage == sorted(outage, reverse=True)
    direct, plan, short_canary, canary, fast = results
    assert direct.outage_fleet_minutes == direct.mistakes * 30
    assert plan.caught_before_apply > 0
    # a canary shorter than the time to notice protects little; a long enough one a lot
    assert short_canary.outage_fleet_minutes > 10 * canary.outage_fleet_minutes
    assert fast.outage_fleet_minutes < canary.outage_fleet_minutes


def test_operate_rejects_bad_probabilities() -> None:
    with pytest.raises(ValueError):
        operators.operate(operators.INTERFACES[0], 10, 1.5, random.Random(1))


def test_chaos_finds_the_error_handling_bug() -> None:
    """Real servers on loopback: without faults both services look perfect; with 5 % of the
    dependency's calls failing the buggy one leaks its pool and answers 503 from then on."""
    runs = {(r.service, r.fault_rate): r for r in lab.experiment(0.05, 200)}
    assert runs["buggy", 0.0].failed == runs["fixed", 0.0].failed == 0
    buggy, fixed = runs["buggy", 0.05], runs["fixed", 0.05]
    assert buggy.faults_injected == lab.POOL_SIZE  # four faults leak all four connections
    assert dict(buggy.statuses)[502] == lab.POOL_SIZE
    assert dict(buggy.statuses)[503] > 100  # every request after the leak
    assert fixed.failed == fixed.faults_injected == dict(fixed.statuses)[502]
    assert 3 <= fixed.faults_injected <= 20
