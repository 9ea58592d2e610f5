"""`infranotes migrate` end to end on SQLite: JSON shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from infranotes.cli import main


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
    assert main(["migrate", "upgrade", "--url", url, "--to", "1.2.0", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["from"], doc["to"], doc["applied"]) == (None, "1.2.0", ["0.4.0", "1.2.0"])
    assert main(["migrate", "upgrade", "--url", url, "--backup", str(tmp_path / "bk")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1.2.0 → 1.5.0: 1.3.0 → 1.4.0 → 1.5.0 in ") and "backup: " in out
    assert main(["migrate", "status", "--url", url]) == 0
    assert capsys.readouterr().out == "current 1.5.0, head 1.5.0, pending none\n"


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
        (["status", "--url", "mysql://root@127.0.0.1:1/h"], "cannot connect to"),
    ],
)
def test_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
