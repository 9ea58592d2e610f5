"""No password in any message; no database created by a typo; clear one-line errors for
files that are not databases, unknown charsets and a backup path that is a file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from infranotes.errors import InfranotesError
from infranotes.migrations import runner

PW = "S3cr3tPW"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("oracle://harbor:S3cr3tPW@h/db", "oracle://harbor:***@h/db"),
        ("mysq://harbor:S3cr3tPW@h/db", "mysq://harbor:***@h/db"),
        ("mysql:/harbor:S3cr3tPW@h/db", "mysql:/harbor:***@h/db"),
        ("mysql:harbor:S3cr3tPW@h:3306/db", "mysql:harbor:***@h:3306/db"),
        ("postgresql://u:p%40ss@h:5432/d?sslmode=x", "postgresql://u:***@h:5432/d?sslmode=x"),
        ("'mysql://u:a@b@h/db' and sqlite:///x.db", "'mysql://u:***@h/db' and sqlite:///x.db"),
        ("mysql://root@h/db", "mysql://root@h/db"),  # no password: unchanged
        ("see https://example.org/a:b", "see https://example.org/a:b"),
    ],
)
def test_mask_password(text: str, masked: str) -> None:
    assert runner.mask_password(text) == masked


@pytest.mark.parametrize(
    "url",
    [
        f"oracle://harbor:{PW}@h/db",
        f"mysq://harbor:{PW}@h/db",
        f"mysql:/harbor:{PW}@h/db",
        f"mysql://harbor:{PW}@127.0.0.1:1/db",
        f"postgresql://harbor:{PW}@127.0.0.1:1/db",
        f"mysql://harbor:{PW}@127.0.0.1:1/db?charset=zz",
        f"postgresql://harbor:{PW}@127.0.0.1:1/db?sslmode=zz",
        f"mysql://harbor:{PW}@127.0.0.1:1/db?unix_socket=/nonexistent.sock",
    ],
)
def test_no_message_shows_the_password(url: str) -> None:
    for call in (runner.status, lambda u: runner.upgrade(u), lambda u: runner.stamp(u, "0.4.0")):
        with pytest.raises(runner.MigrationError) as info:
            call(url)
        text = str(info.value)
        assert PW not in text and "\n" not in text and "***" in text, text
        assert isinstance(info.value, InfranotesError)


def test_unknown_charset_is_named() -> None:
    with pytest.raises(runner.MigrationError, match="unknown MySQL charset 'zz'"):
        runner.status("mysql://u:pw@127.0.0.1:1/db?charset=zz")


def test_status_on_a_typo_creates_nothing(tmp_path: Path) -> None:
    typo = tmp_path / "regsitry.db"
    for call in (runner.status, lambda u: runner.stamp(u, "0.4.0")):
        with pytest.raises(runner.MigrationError, match="no such SQLite database"):
            call(f"sqlite:///{typo}")
    assert not typo.exists()
    with pytest.raises(runner.MigrationError, match="no such directory"):
        runner.upgrade(f"sqlite:///{tmp_path / 'nodir' / 'x.db'}")
    assert runner.upgrade(f"sqlite:///{typo}", "0.4.0").end == "0.4.0"  # upgrade creates it


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, world\n" * 10, "not an SQLite database"),
        (b"\x00" * 4096, "not an SQLite database"),
        (b"SQLite", "not an SQLite database"),  # a prefix of the header is not a database
    ],
)
def test_a_file_that_is_not_sqlite(tmp_path: Path, content: bytes, message: str) -> None:
    f = tmp_path / "notes.txt"
    f.write_bytes(content)
    for call in (runner.status, lambda u: runner.upgrade(u)):
        with pytest.raises(runner.MigrationError, match=message):
            call(f"sqlite:///{f}")
    assert f.read_bytes() == content  # untouched


def test_a_directory_or_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(runner.MigrationError, match="is a directory"):
        runner.status(f"sqlite:///{tmp_path}")
    empty = tmp_path / "empty.db"
    empty.touch()  # SQLite treats an empty file as an empty database
    assert runner.status(f"sqlite:///{empty}").current is None


def test_corrupt_sqlite_after_the_header(tmp_path: Path) -> None:
    f = tmp_path / "broken.db"
    f.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    with pytest.raises(runner.MigrationError) as info:
        runner.status(f"sqlite:///{f}")
    assert "cannot read the revision" in str(info.value) and "\n" not in str(info.value)


def test_backup_onto_an_existing_file(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    url = f"sqlite:///{db}"
    runner.upgrade(url, "0.4.0")
    afile = tmp_path / "backup.sql"
    afile.write_text("not a directory")
    for target in (afile, afile / "sub"):
        with pytest.raises(runner.MigrationError, match="a file, not a directory"):
            runner.upgrade(url, backup_dir=target)
    assert runner.status(url).current == "0.4.0"  # refused before anything ran
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from alembic_version").fetchone() == (1,)
