"""The chain on SQLite (embedded, fast): order, schema at head, rows kept, failures,
offline SQL, stamp, backup and bad input."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from infranotes.migrations import runner, schema, seed, walkthrough

CHAIN = ["0.4.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0"]


def _url(tmp_path: Path, name: str = "harbor.db") -> str:
    return f"sqlite:///{tmp_path / name}"


def _seeded(tmp_path: Path, logs: int = 2_000) -> tuple[str, seed.Before]:
    url = _url(tmp_path)
    runner.upgrade(url, "0.4.0")
    with runner.connect(url) as conn:
        seed.seed(conn, seed.Size(access_logs=logs))
        snap = seed.before(conn)
    return url, snap


def _head_schema(tmp_path: Path) -> dict:
    engine = sa.create_engine(_url(tmp_path, "fresh.db"))
    schema.HEAD.create_all(engine)
    with engine.connect() as conn:
        out = schema.reflect(conn)
    engine.dispose()
    return out


def test_chain_is_harbors_versions_in_order() -> None:
    revs = runner.chain()
    assert [r.revision for r in revs] == CHAIN
    assert [r.down_revision for r in revs] == [None, *CHAIN[:-1]]
    assert all(r.summary.startswith(r.revision + ":") for r in revs)


def test_upgrade_oldest_to_head_keeps_every_row(tmp_path: Path) -> None:
    url, snap = _seeded(tmp_path)
    assert runner.status(url).pending == tuple(CHAIN[1:])
    r = runner.upgrade(url)
    assert (r.start, r.end, r.applied) == ("0.4.0", "1.5.0", tuple(CHAIN[1:]))
    with runner.connect(url) as conn:
        assert seed.lost_or_changed(snap, conn) == []
        assert schema.diff(schema.reflect(conn), _head_schema(tmp_path)) == []
    assert runner.status(url).to_json() == {"current": "1.5.0", "head": "1.5.0", "pending": []}


def test_step_by_step_keeps_every_row(tmp_path: Path) -> None:
    history, problems = walkthrough.step_by_step(_url(tmp_path), logs=300)
    assert problems == []
    assert [rev for rev, _ in history] == CHAIN
    counts = dict(history)
    assert counts["1.2.0"]["project_metadata"] is None
    assert counts["1.3.0"]["project_metadata"] == counts["1.3.0"]["project"] == 12
    assert {c["project_member"] for c in counts.values()} == {counts["0.4.0"]["project_member"]}


def test_moved_rows_are_where_the_changelog_says(tmp_path: Path) -> None:
    url, snap = _seeded(tmp_path, logs=50)
    runner.upgrade(url)
    with runner.connect(url) as conn:
        meta = conn.execute(sa.text("SELECT value FROM project_metadata WHERE project_id = 1"))
        assert meta.scalar_one() == "true"  # "library" is public, as in Harbor
        types = conn.execute(sa.text("SELECT DISTINCT entity_type FROM project_member"))
        assert types.scalars().all() == ["u"]
        nulls = conn.execute(sa.text("SELECT count(*) FROM access_log WHERE username IS NULL"))
        assert nulls.scalar_one() == 0
    assert snap.access_log[0][1].startswith(("user", "admin"))  # usernames, not ids


def test_the_check_sees_a_lost_and_a_changed_row(tmp_path: Path) -> None:
    url, snap = _seeded(tmp_path, logs=50)
    runner.upgrade(url)
    with runner.connect(url) as conn:
        conn.execute(sa.text("DELETE FROM access_log WHERE log_id = 7"))
        conn.execute(sa.text("UPDATE project_member SET role = 3 WHERE id = 1"))
        conn.commit()
        problems = seed.lost_or_changed(snap, conn)
    assert any(p.startswith("access_log: 50 rows expected, 49 found") for p in problems)
    assert any(p.startswith("project_member:") and "1 missing or changed" in p for p in problems)


def test_seed_is_deterministic(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, snap_a = _seeded(tmp_path / "a", 100)
    b, snap_b = _seeded(tmp_path / "b", 100)
    assert a != b and snap_a == snap_b


def test_failure_halfway_rolls_back_on_sqlite(tmp_path: Path) -> None:
    f = walkthrough.fail_halfway(_url(tmp_path), lambda: _url(tmp_path, "scratch.db"))
    assert f.error.startswith("upgrade failed in revision 1.3.0: injected")
    assert f.error.endswith("recorded at 1.2.0") and f.status.current == "1.2.0"
    assert f.drift == []  # transactional DDL: nothing of 1.3.0 is left
    assert walkthrough.finish(f) == (("1.3.0", "1.4.0", "1.5.0"), [])


def test_drift_names_what_does_not_belong(tmp_path: Path) -> None:
    url, _ = _seeded(tmp_path, logs=10)
    with runner.connect(url) as conn:
        conn.execute(sa.text("CREATE TABLE project_metadata (id INTEGER PRIMARY KEY)"))
        conn.commit()
    assert runner.drift(url, _url(tmp_path, "scratch.db")) == ["unexpected table project_metadata"]


@pytest.mark.parametrize("dialect", ["mysql", "postgresql"])
def test_offline_sql_has_every_revision(dialect: str) -> None:
    sql = runner.offline_sql(dialect)
    for prev, rev in zip([None, *CHAIN], CHAIN, strict=False):
        assert f"-- Running upgrade {prev or ''} -> {rev}".replace("  ", " ") in sql.replace(
            "  ", " "
        )
    assert "UPDATE access_log SET username=" in sql  # the backfill, as SQL
    assert "INSERT INTO project_metadata" in sql
    # PostgreSQL's DDL is transactional: one BEGIN/COMMIT per revision; MySQL's is not.
    assert sql.count("BEGIN;") == (len(CHAIN) if dialect == "postgresql" else 0)
    partial = runner.offline_sql(dialect, start="1.3.0")
    assert "CREATE TABLE access " not in partial and "1.3.0 -> 1.4.0" in partial


def test_offline_sql_bad_dialect_or_revision() -> None:
    with pytest.raises(runner.MigrationError, match="SQLite's batch mode"):
        runner.offline_sql("sqlite")
    with pytest.raises(runner.MigrationError, match=r"unknown revision '2\.0\.0'"):
        runner.offline_sql("mysql", to="2.0.0")


def test_stamp_records_without_running(tmp_path: Path) -> None:
    url = _url(tmp_path)
    sqlite3.connect(tmp_path / "harbor.db").close()  # stamp needs an existing database
    runner.stamp(url, "1.2.0")
    assert runner.status(url).current == "1.2.0"
    with runner.connect(url) as conn:
        assert sa.inspect(conn).get_table_names() == ["alembic_version"]


def test_backup_before_upgrade_is_a_complete_copy(tmp_path: Path) -> None:
    url, _ = _seeded(tmp_path, logs=100)
    r = runner.upgrade(url, backup_dir=tmp_path / "backups")
    assert r.backup is not None and r.backup.parent == tmp_path / "backups"
    with sqlite3.connect(r.backup) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0.4.0",)
        assert db.execute("SELECT count(*) FROM access_log").fetchone() == (100,)
    assert [p.suffix for p in (tmp_path / "backups").iterdir()] == [".sqlite"]  # no .tmp left


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not a database URL"),
        ("oracle://scott@db/orcl", "unsupported database 'oracle'"),
        ("mysql://root@127.0.0.1:1/harbor", "cannot connect to mysql+pymysql://root@127.0.0.1:1"),
        ("postgresql://u:secret@127.0.0.1:1/h", "cannot connect to postgresql+psycopg://u:***@"),
    ],
)
def test_bad_urls_are_one_line_errors(url: str, message: str) -> None:
    with pytest.raises(runner.MigrationError) as info:
        runner.status(url)
    assert message in str(info.value) and "\n" not in str(info.value)


@pytest.mark.slow
def test_benchmark_sqlite_one_million_access_logs(tmp_path: Path) -> None:
    """Upgrading 1,000,000 access-log rows from 0.4.0 to head on SQLite (time in the notes)."""
    url = _url(tmp_path)
    runner.upgrade(url, "0.4.0")
    with runner.connect(url) as conn:
        seed.seed(conn, seed.Size(access_logs=1_000_000))
    r = runner.upgrade(url)
    print(f"SQLite: upgrade {r.seconds:.2f} s")
    with runner.connect(url) as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM access_log WHERE username IS NOT NULL"))
        assert n.scalar_one() == 1_000_000
    assert r.seconds < 60
