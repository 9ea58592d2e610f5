"""The live mini-cluster: the scenario's settled states exactly, its transient states seen."""

from __future__ import annotations

import pytest

from infranotes.ceph.doctor import explain
from infranotes.ceph.lab import leftovers, run_scenario, states_seen, unavailable_reason

pytestmark = pytest.mark.oracle


def test_scenario_on_a_real_cluster() -> None:
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    run = run_scenario()
    stages, timeline, peak_kib, seconds = run.stages, run.timeline, run.peak_rss_kib, run.seconds
    assert leftovers(run.directory) == []  # no daemon, no file
    settled = {s.name: (s.snapshot.health, s.snapshot.pgs_by_state) for s in stages}
    assert settled == {
        "pool created": ("HEALTH_OK", {"active+clean": 32}),
        "objects written": ("HEALTH_OK", {"active+clean": 32}),
        "osd.2 stopped": (
            "HEALTH_WARN",
            {"active+undersized+degraded": 28, "active+undersized": 4},
        ),
        "written while degraded": ("HEALTH_WARN", {"active+undersized+degraded": 32}),
        "osd.2 restarted": ("HEALTH_OK", {"active+clean": 32}),
        "replica corrupted offline": ("HEALTH_OK", {"active+clean": 32}),
        "deep scrub": ("HEALTH_ERR", {"active+clean": 31, "active+clean+inconsistent": 1}),
        "repair": ("HEALTH_OK", {"active+clean": 32}),
    }
    seen = {part for state in states_seen(stages) for part in state.split("+")}
    assert {
        "peering",
        "undersized",
        "degraded",
        "recovering",
        "recovery_wait",
        "backfill_wait",
        "backfilling",
        "remapped",
        "scrubbing",
        "deep",
        "inconsistent",
        "repair",
    } <= seen
    assert seconds < 180 and peak_kib < 1024 * 1024 and len(timeline.points) > 10
    scrub = next(s for s in stages if s.name == "deep scrub")
    report = explain(scrub.snapshot)
    assert report.next_steps[0].command.startswith("rados list-inconsistent-obj 1.")
