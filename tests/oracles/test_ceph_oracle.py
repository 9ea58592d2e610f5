"""The live mini-cluster: the scenario's settled states exactly, its transient states seen;
then the health scenario's conditions, each settled exactly and explained by the doctor; and
the health-check glossary against the codes the installed 16.2.15 binaries can raise."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from infranotes.ceph.checks import CHECKS
from infranotes.ceph.doctor import explain
from infranotes.ceph.lab import leftovers, run_scenario, states_seen, unavailable_reason
from tests.labs import lab_skip

pytestmark = pytest.mark.oracle

# MiniCluster.health_scenario: (health, settled PG states) and the checks raised, per stage.
HEALTH_STAGES = {
    "nearfull ratio lowered": ("HEALTH_WARN", {"active+clean": 32}),
    "full ratios lowered": ("HEALTH_ERR", {"active+clean": 32}),
    "pool quota 94 %, warn threshold 80 %": ("HEALTH_WARN", {"active+clean": 32}),
    "pool quota reached": ("HEALTH_WARN", {"active+clean": 32}),
    "noout, osd.2 stopped": ("HEALTH_WARN", {"active+undersized+degraded": 32}),
    "min_size 3 = size, osd.2 down": ("HEALTH_WARN", {"undersized+degraded+peered": 32}),
    "osd.2 back, noout unset": ("HEALTH_OK", {"active+clean": 32}),
    "osd.1 out, still up": ("HEALTH_OK", {"active+clean+remapped": 32}),
}
HEALTH_CHECKS = {
    "nearfull ratio lowered": ["OSD_NEARFULL", "POOL_NEARFULL"],
    "full ratios lowered": ["OSD_FULL", "POOL_FULL"],
    "pool quota 94 %, warn threshold 80 %": ["POOL_NEAR_FULL"],
    "pool quota reached": ["POOL_FULL"],
    "noout, osd.2 stopped": ["OSDMAP_FLAGS", "OSD_DOWN", "PG_DEGRADED"],
    "min_size 3 = size, osd.2 down": ["OSDMAP_FLAGS", "OSD_DOWN", "PG_AVAILABILITY", "PG_DEGRADED"],
    "osd.2 back, noout unset": [],
    "osd.1 out, still up": [],
}


def test_scenario_on_a_real_cluster() -> None:
    reason = unavailable_reason()
    if reason:
        lab_skip(reason)
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
        **HEALTH_STAGES,
    }
    checks = {s.name: sorted(c.name for c in s.snapshot.checks) for s in stages}
    assert {name: checks[name] for name in HEALTH_CHECKS} == HEALTH_CHECKS
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
    health_seconds = sum(s.seconds for s in stages if s.name in HEALTH_STAGES)
    assert health_seconds < 90  # the budget for the health scenario in CI
    assert seconds < 270 and peak_kib < 1024 * 1024 and len(timeline.points) > 10
    by_name = {s.name: s for s in stages}
    # noout with osd.2 down: no recovery starts, and the doctor does not say to watch one
    noout = by_name["noout, osd.2 stopped"]
    assert not {"recovering", "recovery_wait", "backfilling", "backfill_wait"} & {
        p for st in noout.seen for p in st.split("+")
    }
    report = explain(noout.snapshot)
    assert report.recovery_blocked and "ceph -s" not in [s.command for s in report.next_steps]
    # osd.1 out but up: up sets of 2, acting sets of 3, and the doctor names osd.1
    out = by_name["osd.1 out, still up"].snapshot
    assert {(len(pg.up), len(pg.acting)) for pg in out.pgs} == {(2, 3)}
    assert "ceph osd in 1" in [s.command for s in explain(out).next_steps]
    for name in HEALTH_STAGES:
        explained = explain(by_name[name].snapshot).check_explanations
        assert all(e.glossary is not None for e in explained), name
    scrub = next(s for s in stages if s.name == "deep scrub")
    report = explain(scrub.snapshot)
    assert report.next_steps[0].command.startswith("rados list-inconsistent-obj 1.")


BINARIES = (
    "/usr/bin/ceph-mon",
    "/usr/bin/ceph-mgr",
    "/usr/lib/x86_64-linux-gnu/ceph/libceph-common.so.2",
)
MGR_MODULES = Path("/usr/share/ceph/mgr")


def test_glossary_origins_against_the_installed_binaries() -> None:
    """Each code's ``origin`` holds on the installed build: compiled into the mon, the mgr or
    libceph-common (where the OSDMap and OSD checks live), or in that mgr module's Python;
    "doc only" codes are nowhere. The dashboard module is a separate package."""
    if not all(Path(b).exists() for b in BINARIES) or not MGR_MODULES.is_dir():
        lab_skip("Ceph 16 packages not installed (ceph-mon ceph-mgr ceph-common)")
    version = subprocess.run(["ceph", "--version"], capture_output=True, text=True).stdout
    if " 16.2.15 " not in version:
        pytest.skip(f"the survey is of 16.2.15, this is {version.strip()}")
    compiled = b"".join(Path(b).read_bytes() for b in BINARIES)
    python = "".join(p.read_text(errors="replace") for p in MGR_MODULES.rglob("*.py"))
    found = {}
    for code, check in CHECKS.items():
        if code == "OSD_<crush type>_DOWN":  # built at run time from the CRUSH type name
            continue
        # NUL-terminated; the linker may keep it as the tail of a longer string with the same
        # ending (POOL_NEAR_FULL lives in CACHE_POOL_NEAR_FULL's bytes)
        in_binary = code.encode() + b"\0" in compiled
        module = check.origin.removeprefix("mgr/") if "/" in check.origin else None
        if module == "dashboard" and not (MGR_MODULES / "dashboard").is_dir():
            continue
        in_module = module is not None and code in "".join(
            p.read_text(errors="replace") for p in (MGR_MODULES / module).rglob("*.py")
        )
        found[code] = in_binary or in_module or code in python
        if check.origin == "doc only":
            assert not found[code], code
        else:
            assert found[code], code
    assert len(found) >= 80 and shutil.which("ceph-mon")
