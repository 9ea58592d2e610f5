"""The Ceph glossary, parsers and doctor on every snapshot captured from the mini-cluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infranotes.ceph.doctor import explain, in_words
from infranotes.ceph.glossary import STATES, lookup
from infranotes.ceph.snapshot import parse
from infranotes.cli import main
from infranotes.errors import ParseError

DATA = Path(__file__).resolve().parents[2] / "src" / "infranotes" / "ceph" / "recorded"
STAGES = sorted(DATA.glob("[0-9]*.json"))
# doc/rados/operations/pg-states.rst, current development release (and Pacific to Reef)
DOC_STATES = [
    "creating",
    "activating",
    "active",
    "clean",
    "down",
    "laggy",
    "wait",
    "scrubbing",
    "deep",
    "degraded",
    "inconsistent",
    "peering",
    "repair",
    "recovering",
    "forced_recovery",
    "recovery_wait",
    "recovery_toofull",
    "recovery_unfound",
    "backfilling",
    "forced_backfill",
    "backfill_wait",
    "backfill_toofull",
    "backfill_unfound",
    "incomplete",
    "stale",
    "remapped",
    "undersized",
    "peered",
    "snaptrim",
    "snaptrim_wait",
    "snaptrim_error",
    "unknown",
    "premerge",
    "failed_repair",
]


def test_glossary_is_complete_and_bilingual() -> None:
    assert set(STATES) == set(DOC_STATES) and len(STATES) == 34
    for s in STATES.values():
        assert s.meaning_en and s.severity in ("healthy", "transient", "action")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in s.meaning_zh), s.name  # Chinese text
        assert s.severity != "action" or "`" in s.check  # an action names a command
    assert lookup("backfill") is STATES["backfilling"] and lookup("nosuch") is None


def test_every_state_seen_on_the_cluster_is_explained() -> None:
    seen = json.loads((DATA / "states_observed.json").read_text())
    names = seen if isinstance(seen, list) else seen.get("states", seen)
    for state in names:
        for part in state.split("+"):
            assert lookup(part) is not None, part
        assert in_words(state)


@pytest.mark.parametrize("stage", STAGES, ids=[p.stem for p in STAGES])
def test_every_document_of_every_snapshot_parses(stage: Path) -> None:
    d = json.loads(stage.read_text())
    s = parse(json.dumps(d["ceph_s"]), stage.name)
    brief = parse(json.dumps(d["pg_dump_pgs_brief"]), stage.name)
    health = parse(json.dumps(d["health_detail"]), stage.name)
    stat = parse(d["pg_stat_text"], stage.name)
    assert parse(json.dumps(d["pg_stat"])).pgs_by_state == stat.pgs_by_state
    assert s.health == health.health == d["ceph_s"]["health"]["status"]
    assert sum(brief.pgs_by_state.values()) == len(brief.pgs)
    # pg stat and pgs_brief come from the mgr; ceph -s from the mon's digest, which can lag
    # (just after the pool is created it still shows 0 PGs: the recipe's gotcha 6)
    assert sum(stat.pgs_by_state.values()) == len(brief.pgs)
    report = explain(brief)
    assert report.ok == (set(brief.pgs_by_state) <= {"active+clean"})


@pytest.mark.parametrize(
    ("stage", "health", "states", "first_command"),
    [
        ("02_active_clean", "HEALTH_OK", {"active+clean": 32}, None),
        (
            "05_osd_down_undersized_degraded",
            "HEALTH_WARN",
            {"active+undersized+degraded": 28, "active+undersized": 4},
            "ceph osd tree down",
        ),
        (
            "10a_repairing",
            "HEALTH_ERR",
            {"active+clean": 31, "active+clean+inconsistent": 1},
            "rados list-inconsistent-obj 1.1 --format=json-pretty",
        ),
    ],
)
def test_the_doctor_on_settled_stages(stage: str, health: str, states: dict, first_command) -> None:
    d = json.loads((DATA / f"{stage}.json").read_text())
    r = explain(parse(json.dumps(d["health_detail"])))
    assert r.health == health
    assert explain(parse(json.dumps(d["ceph_s"]))).pgs_by_state == states
    assert (r.next_steps[0].command if r.next_steps else None) == first_command


def test_degraded_in_plain_words_and_by_pool() -> None:
    d = json.loads((DATA / "05_osd_down_undersized_degraded.json").read_text())
    r = explain(parse(json.dumps(d["pg_dump_pgs_brief"])))
    assert r.combinations[0] == (
        "active+undersized+degraded",
        28,
        "serving reads and writes, with fewer copies than the pool's "
        "size, with some objects below full redundancy",
    )
    assert r.by_pool == {1: {"active+undersized+degraded": 28, "active+undersized": 4}}
    assert [s.name for s in r.explanations] == ["degraded", "undersized", "active"]


def test_older_release_shapes() -> None:
    brief = [
        {"pgid": "2.a", "state": "active+clean", "up": [0, 1], "acting": [0, 1]},
        {"pgid": "2.b", "state": "stale+down+peering", "up": [2], "acting": [2]},
    ]
    s = parse(json.dumps(brief))  # pgs_brief before Octopus: a bare list
    r = explain(s)
    assert s.kind == "pgs_brief" and [st.name for st in r.explanations][:2] == ["down", "stale"]
    assert any(step.command == "ceph pg 2.b query" for step in r.next_steps)
    jewel = {
        "health": {"overall_status": "HEALTH_WARN", "checks": {}},
        "pgmap": {"pgs_by_state": [{"state_name": "active+clean", "count": 8}]},
    }
    assert parse(json.dumps(jewel)).health == "HEALTH_WARN"
    old_dump = {"version": 7, "pg_stats": brief}
    assert parse(json.dumps(old_dump)).kind == "pg dump"
    assert parse(json.dumps({"pg_map": {"pg_stats": brief}})).kind == "pg dump"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not JSON"),
        ("[1]", "pg_stats[0] has no pgid or state"),
        ('{"pgmap": {}, "health": {"status": "HEALTH_OK"}}', "no 'pgs_by_state'"),
        ('{"pgmap": {"pgs_by_state": [{"count": 1}]}, "health": {}}', "has no state_name"),
        ('{"pgmap": {"pgs_by_state": []}}', "no 'health'"),
        ('{"x": 1}', "not a document"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse(text, "cluster.json")


def test_cli(tmp_path: Path, capsys) -> None:
    d = json.loads((DATA / "10a_repairing.json").read_text())
    f = tmp_path / "h.json"
    f.write_text(json.dumps(d["health_detail"]))
    assert main(["ceph", "explain", str(f), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"health", "pgs_by_state", "explanations", "next_steps"}
    assert doc["explanations"][0]["state"] == "inconsistent"
    assert doc["explanations"][0]["meaning_zh"].startswith("Ceph 发现")
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps(json.loads((DATA / "02_active_clean.json").read_text())["ceph_s"]))
    assert main(["ceph", "explain", str(ok)]) == 0
    assert main(["ceph", "explain", str(tmp_path / "missing.json")]) == 2


def test_recorded_run_behind_the_notebooks_prose() -> None:
    """Notebook 07 quotes these from the recorded run of the shared recipe."""
    pool = json.loads((DATA / "timeline_pool_create.json").read_text())
    assert list(pool["first_seen"])[:3] == ["unknown", "creating+peering", "active+clean"]
    assert round(pool["first_seen"]["active+clean"], 1) == 2.9
    restart = json.loads((DATA / "timeline_osd2_restart.json").read_text())
    assert {
        "active+recovery_wait+degraded",
        "active+recovering+degraded",
        "active+undersized+degraded+remapped+backfill_wait",
        "active+undersized+degraded+remapped+backfilling",
    } <= set(restart["first_seen"])


def test_counts_read_as_a_phrase_not_a_dict() -> None:
    from infranotes.ceph.chapter import counts_phrase, stages_table
    from infranotes.ceph.lab import Stage

    assert counts_phrase({"active+undersized": 4, "active+undersized+degraded": 28}) == (
        "28 active+undersized+degraded, 4 active+undersized"
    )
    assert counts_phrase({"b": 1, "a": 1}) == "1 a, 1 b"
    assert counts_phrase({}) == "no PGs"
    recorded = json.loads((DATA / "05_osd_down_undersized_degraded.json").read_text())
    snap = parse(json.dumps(recorded["pg_dump_pgs_brief"]))
    table = stages_table([Stage("osd.2 stopped", 5.1, snap, ["a", "b"]), Stage("pending", 0.0)])
    assert table.rows[0][3] == "28 active+undersized+degraded, 4 active+undersized"
    assert table.rows[1][2:4] == ("—", "—")
    assert "{" not in repr(table)
