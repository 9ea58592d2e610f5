"""The health-check glossary and the doctor on the recorded health stages of the mini-cluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infranotes.ceph.checks import CHECKS, lookup_check
from infranotes.ceph.doctor import explain
from infranotes.ceph.snapshot import parse
from infranotes.cli import main

DATA = Path(__file__).resolve().parents[2] / "src" / "infranotes" / "ceph" / "recorded"
HEALTH = sorted(DATA.glob("health_*.json"))

# The section headings of doc/rados/operations/health-checks.rst on the Pacific branch
# (ceph/ceph 8105b2eb), in page order; POOL_FULL is listed twice there.
DOC_CODES = [
    "DAEMON_OLD_VERSION",
    "MON_DOWN",
    "MON_CLOCK_SKEW",
    "MON_MSGR2_NOT_ENABLED",
    "MON_DISK_LOW",
    "MON_DISK_CRIT",
    "MON_DISK_BIG",
    "AUTH_INSECURE_GLOBAL_ID_RECLAIM",
    "AUTH_INSECURE_GLOBAL_ID_RECLAIM_ALLOWED",
    "MGR_DOWN",
    "MGR_MODULE_DEPENDENCY",
    "MGR_MODULE_ERROR",
    "OSD_DOWN",
    "OSD_<crush type>_DOWN",
    "OSD_ORPHAN",
    "OSD_OUT_OF_ORDER_FULL",
    "OSD_FULL",
    "OSD_BACKFILLFULL",
    "OSD_NEARFULL",
    "OSDMAP_FLAGS",
    "OSD_FLAGS",
    "OLD_CRUSH_TUNABLES",
    "OLD_CRUSH_STRAW_CALC_VERSION",
    "CACHE_POOL_NO_HIT_SET",
    "OSD_NO_SORTBITWISE",
    "OSD_FILESTORE",
    "POOL_FULL",
    "BLUEFS_SPILLOVER",
    "BLUEFS_AVAILABLE_SPACE",
    "BLUEFS_LOW_SPACE",
    "BLUESTORE_FRAGMENTATION",
    "BLUESTORE_LEGACY_STATFS",
    "BLUESTORE_NO_PER_POOL_OMAP",
    "BLUESTORE_NO_PER_PG_OMAP",
    "BLUESTORE_DISK_SIZE_MISMATCH",
    "BLUESTORE_NO_COMPRESSION",
    "BLUESTORE_SPURIOUS_READ_ERRORS",
    "DEVICE_HEALTH",
    "DEVICE_HEALTH_IN_USE",
    "DEVICE_HEALTH_TOOMANY",
    "PG_AVAILABILITY",
    "PG_DEGRADED",
    "PG_RECOVERY_FULL",
    "PG_BACKFILL_FULL",
    "PG_DAMAGED",
    "OSD_SCRUB_ERRORS",
    "OSD_TOO_MANY_REPAIRS",
    "LARGE_OMAP_OBJECTS",
    "CACHE_POOL_NEAR_FULL",
    "TOO_FEW_PGS",
    "POOL_PG_NUM_NOT_POWER_OF_TWO",
    "POOL_TOO_FEW_PGS",
    "TOO_MANY_PGS",
    "POOL_TOO_MANY_PGS",
    "POOL_TARGET_SIZE_BYTES_OVERCOMMITTED",
    "POOL_HAS_TARGET_SIZE_BYTES_AND_RATIO",
    "TOO_FEW_OSDS",
    "SMALLER_PGP_NUM",
    "MANY_OBJECTS_PER_PG",
    "POOL_APP_NOT_ENABLED",
    "POOL_FULL",
    "POOL_NEAR_FULL",
    "OBJECT_MISPLACED",
    "OBJECT_UNFOUND",
    "SLOW_OPS",
    "PG_NOT_SCRUBBED",
    "PG_NOT_DEEP_SCRUBBED",
    "PG_SLOW_SNAP_TRIMMING",
    "INCORRECT_NUM_BUCKETS_STRETCH_MODE",
    "UNEVEN_WEIGHTS_STRETCH_MODE",
    "RECENT_CRASH",
    "RECENT_MGR_MODULE_CRASH",
    "TELEMETRY_CHANGED",
    "AUTH_BAD_CAPS",
    "OSD_NO_DOWN_OUT_INTERVAL",
    "DASHBOARD_DEBUG",
]
# Raised by the 16.2.15 build but not on the page (tests/oracles: strings in the binaries).
NOT_ON_THE_PAGE = [
    "OSD_UPGRADE_FINISHED",
    "OSD_SLOW_PING_TIME_BACK",
    "OSD_SLOW_PING_TIME_FRONT",
    "POOL_NEARFULL",
    "POOL_BACKFILLFULL",
    "POOL_NO_REDUNDANCY",
    "POOL_SCRUB_FLAGS",
    "REQUEST_SLOW",
    "REQUEST_STUCK",
    "MON_LOCATION_NOT_SET",
    "DEGRADED_STRETCH_MODE",
    "RECOVERING_STRETCH_MODE",
]


def _stage(name: str) -> dict:
    return json.loads(next(p for p in HEALTH if name in p.name).read_text())


def _report(name: str, doc: str = "health_detail"):
    d = _stage(name)
    s = parse(json.dumps(d[doc]), name)
    if doc == "health_detail":  # the doctor reads up/acting and OSD counts beside it
        brief = parse(json.dumps(d["pg_dump_pgs_brief"]))
        status = parse(json.dumps(d["ceph_s"]))
        s = type(s)("settled", s.health, s.checks, brief.pgs_by_state, brief.pgs, status.osds)
    return explain(s)


def test_every_surveyed_code_is_explained_in_both_languages() -> None:
    assert len(DOC_CODES) == 76 and len(set(DOC_CODES)) == 75
    assert set(CHECKS) == set(DOC_CODES) | set(NOT_ON_THE_PAGE) and len(CHECKS) == 87
    for c in CHECKS.values():
        assert c.meaning_en and c.severity in (
            "HEALTH_WARN",
            "HEALTH_ERR",
            "HEALTH_WARN|HEALTH_ERR",
        )
        assert any("\u4e00" <= ch <= "\u9fff" for ch in c.meaning_zh), c.code
        assert c.urgency in (0, 1, 2, 3) and c.steps, c.code
        assert all(len(step) in (1, 2) for step in c.steps)
        assert any(len(step) == 2 and step[1] for step in c.steps), c.code  # a real command
    doc_only = sorted(c.code for c in CHECKS.values() if c.origin == "doc only")
    assert doc_only == [  # notebook 07: on the page, in no 16.2.15 binary or module
        "BLUEFS_AVAILABLE_SPACE",
        "BLUEFS_LOW_SPACE",
        "BLUESTORE_FRAGMENTATION",
        "OSD_FILESTORE",
        "RECENT_MGR_MODULE_CRASH",
    ]
    assert lookup_check("OSD_HOST_DOWN") is lookup_check("OSD_ROOT_DOWN") is not None
    assert lookup_check("OSD_HOST_DOWN").code == "OSD_<crush type>_DOWN"
    assert lookup_check("MDS_DAMAGE") is None  # CephFS checks are out of this survey


def test_every_recorded_health_stage_is_fully_explained() -> None:
    assert len(HEALTH) >= 4
    for path in HEALTH:
        d = json.loads(path.read_text())
        for doc in ("ceph_s", "health_detail"):
            r = explain(parse(json.dumps(d[doc]), path.name))
            assert all(e.glossary is not None for e in r.check_explanations), path.name
            assert [e.raised.name for e in r.check_explanations] != [] or r.health == "HEALTH_OK"


# (stage, health, settled PG states, checks raised, first three commands of the doctor)
SETTLED = [
    (
        "nearfull_ratio",
        "HEALTH_WARN",
        {"active+clean": 32},
        ["OSD_NEARFULL", "POOL_NEARFULL"],
        ["ceph osd df", "ceph df", "ceph osd dump | grep ratio"],
    ),
    (
        "full_ratios",
        "HEALTH_ERR",
        {"active+clean": 32},
        ["OSD_FULL", "POOL_FULL"],
        ["ceph osd df", "ceph df", "ceph osd dump | grep ratio"],
    ),
    (
        "quota_94",
        "HEALTH_WARN",
        {"active+clean": 32},
        ["POOL_NEAR_FULL"],
        [
            "ceph osd pool get-quota demo",
            "ceph osd pool set-quota demo max_bytes BYTES",
            "ceph pg 1.0 query",
        ],
    ),
    (
        "quota_reached",
        "HEALTH_WARN",
        {"active+clean": 32},
        ["POOL_FULL"],
        [
            "ceph osd pool get-quota demo",
            "ceph osd pool set-quota demo max_objects N",
            "ceph osd pool set-quota demo max_bytes BYTES",
        ],
    ),
    (
        "noout_osd_2",
        "HEALTH_WARN",
        {"active+undersized+degraded": 32},
        ["OSDMAP_FLAGS", "OSD_DOWN", "PG_DEGRADED"],
        ["ceph osd tree down", "ceph osd unset noout", "ceph osd dump | grep flags"],
    ),
    (
        "min_size_3",
        "HEALTH_WARN",
        {"undersized+degraded+peered": 32},
        ["OSDMAP_FLAGS", "OSD_DOWN", "PG_AVAILABILITY", "PG_DEGRADED"],
        ["ceph osd tree down", "ceph osd unset noout", "ceph osd pool ls detail"],
    ),
    ("osd_2_back", "HEALTH_OK", {"active+clean": 32}, [], []),
    (
        "osd_1_out",
        "HEALTH_OK",
        {"active+clean+remapped": 32},
        [],
        ["ceph osd tree", "ceph osd in 1", "ceph pg 1.0 query"],
    ),
]


@pytest.mark.parametrize(
    ("stage", "health", "states", "checks", "first"), SETTLED, ids=[c[0] for c in SETTLED]
)
def test_the_doctor_on_the_recorded_health_stages(stage, health, states, checks, first) -> None:
    r = _report(stage)
    assert (r.health, r.pgs_by_state) == (health, states)
    assert sorted(e.raised.name for e in r.check_explanations) == checks
    assert [s.command for s in r.next_steps][:3] == first
    assert r.ok == (health == "HEALTH_OK" and set(states) == {"active+clean"})


def test_stuck_lines_of_a_real_cluster_give_current_states() -> None:
    """PG_AVAILABILITY and PG_DEGRADED say "is stuck inactive/undersized for Ns"; the states
    read from them are the PGs' current states, as pg dump shows them."""
    d = _stage("min_size_3")
    s = parse(json.dumps(d["health_detail"]))
    lines = [x for c in s.checks for x in c.lines() if x.shape == "pg stuck"]
    assert {x.stuck for x in lines} == {"inactive", "undersized"}
    assert s.pgs_by_state == {"undersized+degraded+peered": 32}  # 32 PGs, below the 50 cap
    brief = parse(json.dumps(d["pg_dump_pgs_brief"]))
    assert {pg.pgid: pg.state for pg in s.pgs} == {pg.pgid: pg.state for pg in brief.pgs}


def test_noout_with_an_osd_down_never_advises_watching_recovery() -> None:
    for stage in ("noout_osd_2", "min_size_3"):
        for doc in ("health_detail", "ceph_s"):
            r = _report(stage, doc)
            assert any("noout is set" in b for b in r.recovery_blocked)
            commands = [s.command for s in r.next_steps]
            assert "ceph -s" not in commands and "ceph osd unset noout" in commands


def test_out_but_up_names_the_osd_and_why_the_remap_cannot_finish() -> None:
    r = _report("osd_1_out")
    (why,) = r.recovery_blocked
    assert why.startswith("osd.1 marked out while up: CRUSH finds only 2 OSDs in")
    assert "acting [0, 2, 1]" in why and "can never complete" in why
    assert not r.ok
    only_status = _report("osd_1_out", "ceph_s")  # no PG lists: the counts still tell
    assert [s.command for s in only_status.next_steps][:2] == ["ceph osd tree", "ceph osd in ID"]


def test_pool_full_no_space_is_fullness_and_quota_is_quota() -> None:
    full = [s.command for s in _report("full_ratios").next_steps]
    assert "ceph osd set-full-ratio 0.95" in full
    assert not any("quota" in c for c in full)
    quota = [s.command for s in _report("quota_reached").next_steps]
    assert not any("ratio" in c for c in quota)


def _status(state: str, *checks: tuple[str, str]) -> str:
    """A hand-made ``ceph -s -f json``: 8 PGs in ``state``, these checks, 3 OSDs up and in."""
    return json.dumps(
        {
            "health": {
                "status": "HEALTH_WARN",
                "checks": {
                    name: {"severity": "HEALTH_WARN", "summary": {"message": summary}}
                    for name, summary in checks
                },
            },
            "pgmap": {"pgs_by_state": [{"state_name": state, "count": 8}]},
            "osdmap": {"num_osds": 3, "num_up_osds": 3, "num_in_osds": 3},
        }
    )


@pytest.mark.parametrize(
    ("flags", "watch"),
    [(None, True), ("norecover", False), ("nobackfill,noscrub", False), ("noscrub", True)],
)
def test_recovery_is_worth_watching_only_when_nothing_holds_it(flags, watch) -> None:
    checks = [("PG_DEGRADED", "Degraded data redundancy: 8 pgs degraded")]
    if flags:
        checks.append(("OSDMAP_FLAGS", f"{flags} flag(s) set"))
    r = explain(parse(_status("active+recovering+degraded", *checks)))
    commands = [s.command for s in r.next_steps]
    assert ("ceph -s" in commands) == watch
    assert bool(r.recovery_blocked) != watch
    if flags and not watch:
        assert f"ceph osd unset {flags.split(',')[0]}" in commands


def test_an_unknown_check_is_reported_without_a_meaning(tmp_path, capsys) -> None:
    doc = {
        "status": "HEALTH_WARN",
        "checks": {"MDS_SLOW_REQUEST": {"severity": "HEALTH_WARN", "summary": {"message": "x"}}},
    }
    r = explain(parse(json.dumps(doc)))
    (e,) = r.check_explanations
    assert e.glossary is None and e.to_json()["meaning_en"] is None


def test_cli_json_carries_the_explanations(tmp_path, capsys) -> None:
    f = tmp_path / "h.json"
    f.write_text(json.dumps(_stage("noout_osd_2")["health_detail"]))
    assert main(["ceph", "explain", str(f), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    codes = [c["code"] for c in doc["health_check_explanations"]]
    assert codes == ["OSDMAP_FLAGS", "OSD_DOWN", "PG_DEGRADED"]
    first = doc["health_check_explanations"][0]
    assert first["meaning_zh"].startswith("设置了") and first["severity"] == "HEALTH_WARN"
    osd_down = doc["health_check_explanations"][1]["details"][0]
    assert osd_down == {
        "text": "osd.2 (root=default,host=vm) is down",
        "shape": "osd down",
        "osd": 2,
        "what": "root=default,host=vm",
    }
    assert doc["recovery_blocked"] and doc["pgs_by_state"] == {"active+undersized+degraded": 32}


def test_misplaced_objects_are_not_watched_while_recovery_is_held() -> None:
    checks = [
        ("OBJECT_MISPLACED", "10/96 objects misplaced (10.417%)"),
        ("OSDMAP_FLAGS", "norebalance,nobackfill flag(s) set"),
    ]
    r = explain(parse(_status("active+remapped+backfill_wait", *checks)))
    commands = [s.command for s in r.next_steps]
    assert "ceph -s" not in commands and "ceph osd unset nobackfill" in commands
    assert r.recovery_blocked == ("the nobackfill flag suspends backfill",)
    free = explain(parse(_status("active+remapped+backfilling", checks[0])))
    assert "ceph -s" in [s.command for s in free.next_steps] and not free.recovery_blocked
