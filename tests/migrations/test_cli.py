"""`infranotes migrate` end to end on SQLite: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from infranotes.cli import main
from infranotes.migrations import runner


def test_status_upgrade_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    assert main(["migrate", "status", "--url", url, "--json"]) == 2  # a typo must not create it
    assert "no such SQLite database" in capsys.readouterr().err
    assert not (tmp_path / "h.db").exists()
    sqlite3.connect(tmp_path / "h.db").close()  # an empty database, as a DBA would create
    assert main(["migrate", "status", "--url", url, "--json"]) == 1  # pending revisions
    doc = json.loads(capsys.readouterr().out)
    assert doc == {"current": None, "head": "1.5.0", "pending": ["0.4.0", "1.2.0", "1.3.0",
                                                                  "1.4.0", "1.5.0"]}  # fmt: skip
    argv = ["migrate", "upgrade", "--url", url, "--to", "1.2.0", "--no-backup", "--json"]
    assert main([*argv, "--apply"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["applied"] is True and doc["result"]["backup"] is None
    assert (doc["result"]["from"], doc["result"]["to"], doc["result"]["applied"]) == (
        None, "1.2.0", ["0.4.0", "1.2.0"])  # fmt: skip
    argv = ["migrate", "upgrade", "--url", url, "--backup", str(tmp_path / "bk"), "--apply"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("verified: at 1.2.0, 14 tables, schema as expected\n")
    assert "1.2.0 → 1.5.0: 1.3.0 → 1.4.0 → 1.5.0 in " in out and "backup: " in out
    assert len(list((tmp_path / "bk").glob("h-*.sqlite"))) == 1
    assert main(["migrate", "status", "--url", url]) == 0
    assert capsys.readouterr().out == "current 1.5.0, head 1.5.0, pending none\n"


def test_upgrade_plans_first_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'h.db'}"
    assert main(["migrate", "upgrade", "--url", url, "--to", "1.2.0", "--apply"]) == 0
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == ["harbor-backups"]  # default
    capsys.readouterr()
    before = (tmp_path / "h.db").read_bytes()
    assert main(["migrate", "upgrade", "--url", url]) == 0  # --dry-run is the default
    out = capsys.readouterr().out
    assert (tmp_path / "h.db").read_bytes() == before
    assert "plan 1.2.0 → 1.5.0" in out and out.endswith("add --apply to run it\n")
    assert "    ALTER TABLE project DROP COLUMN public\n" in out  # the SQL summary, per step
    assert main(["migrate", "upgrade", "--url", url, "--json", "--dry-run"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["applied"] is False and doc["result"] is None
    assert [s["revision"] for s in doc["plan"]["steps"]] == ["1.3.0", "1.4.0", "1.5.0"]
    assert doc["plan"]["verification"] == {
        "verified": True, "revision": "1.2.0", "tables": 14, "differences": []}  # fmt: skip


def test_upgrade_refuses_a_drifted_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "h.db"
    url = f"sqlite:///{db}"
    assert (
        main(["migrate", "upgrade", "--url", url, "--to", "1.2.0", "--no-backup", "--apply"]) == 0
    )
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE project_metadata (id INTEGER PRIMARY KEY)")
        conn.execute("ALTER TABLE access_log ADD COLUMN note TEXT")
        conn.execute("DROP INDEX pid_optime")
    capsys.readouterr()
    before = db.read_bytes()
    assert main(["migrate", "upgrade", "--url", url, "--no-backup", "--apply"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "refusing to upgrade: the database (recorded at 1.2.0) does not have the schema of its "
        "revision; 3 difference(s):",
        "  unexpected table project_metadata",
        "  access_log: unexpected column note",
        "  access_log: missing index pid_optime (project_id, op_time)",
    ]
    assert db.read_bytes() == before
    assert main(["migrate", "upgrade", "--url", url, "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["plan"]["verification"]["differences"] == [line.strip() for line in lines[1:]]
    assert doc["plan"]["steps"] == [] and doc["applied"] is False


def test_upgrade_refuses_tables_without_a_revision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "h.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE user (user_id INTEGER PRIMARY KEY)")
    assert main(["migrate", "upgrade", "--url", f"sqlite:///{db}", "--apply"]) == 1
    assert capsys.readouterr().out.splitlines()[1:] == [
        "  no revision recorded, yet table user exists"
    ]


def test_sql_for_a_dba(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", "sql", "--dialect", "mysql", "--from", "1.4.0"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("-- Running upgrade 1.4.0 -> 1.5.0")
    assert "ALTER TABLE replication_job ADD COLUMN job_uuid VARCHAR(64);" in out
    assert main(["migrate", "sql", "--url", "postgresql://x@db/h", "--to", "0.4.0"]) == 0
    assert "BEGIN;" in capsys.readouterr().out  # the dialect came from the URL, offline


def test_stamp(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    assert main(["migrate", "stamp", "--url", url, "--to", "0.4.0"]) == 2
    assert not (tmp_path / "h.db").exists()  # stamp records on a database, it creates none
    sqlite3.connect(tmp_path / "h.db").close()
    assert main(["migrate", "stamp", "--url", url, "--to", "0.4.0"]) == 0
    assert main(["migrate", "status", "--url", url, "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["current"] == "0.4.0"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["status"], "--url is required"),
        (["sql"], "give --dialect"),
        (["sql", "--dialect", "oracle"], "--dialect: expected one of mysql, postgresql"),
        (["upgrade", "--url", "sqlite:///x.db", "--to", "9"], "unknown revision '9'"),
        (["stamp", "--url", "sqlite:///x.db"], "--to REV is required"),
        (["upgrade", "--url", "sqlite:///x.db", "--backup", "b", "--no-backup"], "exclude"),
        (["upgrade", "--url", "sqlite:///x.db", "--apply", "--dry-run"], "exclude each other"),
        (["status", "--url", "mysql://root@127.0.0.1:1/h"], "cannot connect to"),
    ],
)
def test_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_plan_for_a_new_sqlite_file_does_not_create_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.db"
    assert main(["migrate", "upgrade", "--url", f"sqlite:///{db}", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert not db.exists()
    assert [s["revision"] for s in doc["plan"]["steps"]] == runner.revisions()
    argv = ["migrate", "upgrade", "--url", f"sqlite:///{db}", "--no-backup", "--apply"]
    assert main(argv) == 0 and db.exists()
