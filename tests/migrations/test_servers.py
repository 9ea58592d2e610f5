"""Oracle: the chain on real MariaDB 10.11 and PostgreSQL 15 servers (Debian's packages),
each a plain process with its data in a temporary directory, on 127.0.0.1 only."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from infranotes.errors import LabUnavailable
from infranotes.migrations import runner, schema, seed, walkthrough
from infranotes.migrations.servers import MariaDB, PostgreSQL, Server
from tests.labs import lab_skip

pytestmark = pytest.mark.oracle
ENGINES = ["mariadb", "postgresql"]


@pytest.fixture(scope="module", params=ENGINES)
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    cls = MariaDB if request.param == "mariadb" else PostgreSQL
    try:
        with cls() as s:
            yield s
    except LabUnavailable as exc:
        lab_skip(exc.reason)


def _head(server: Server) -> dict:
    engine = sa.create_engine(server.create_database("fresh_head"))
    schema.head(engine.dialect.name).create_all(engine)
    with engine.connect() as conn:
        out = schema.reflect(conn)
    engine.dispose()
    return out


def _seeded(server: Server, name: str, logs: int = 3_000) -> tuple[str, seed.Before]:
    url = server.create_database(name)
    runner.upgrade(url, "0.4.0")
    with runner.connect(url) as conn:
        seed.seed(conn, seed.Size(access_logs=logs))
        snap = seed.before(conn)
    return url, snap


def test_oldest_to_head_nothing_lost(server: Server) -> None:
    url, snap = _seeded(server, "upgrade")
    r = runner.upgrade(url)
    assert r.applied == ("1.2.0", "1.3.0", "1.4.0", "1.5.0")
    with runner.connect(url) as conn:
        assert seed.lost_or_changed(snap, conn) == []
        assert schema.diff(schema.reflect(conn), _head(server)) == []


def test_failure_halfway(server: Server) -> None:
    """MariaDB: DDL commits by itself, so the failed revision leaves its new table behind
    (empty: the rows went with the rolled-back transaction), the database is recorded at
    1.2.0, and a retry is refused (it would fail). PostgreSQL: everything rolled back."""
    f = walkthrough.fail_halfway(
        server.create_database("halfway"), lambda: server.create_database("scratch")
    )
    assert re.search(r"1\.3\.0.*recorded at 1\.2\.0", f.error)
    assert f.status.current == "1.2.0"
    if isinstance(server, MariaDB):
        assert f.drift == ["unexpected table project_metadata"]
        with runner.connect(f.url) as conn:
            n = conn.execute(sa.text("SELECT count(*) FROM project_metadata")).scalar_one()
        # The CREATE TABLE committed itself; the INSERT after it was rolled back with the
        # revision's transaction: the table is there, empty.
        assert n == 0
        # A plain retry is refused before it runs anything: the schema is not 1.2.0's.
        with pytest.raises(runner.DriftError, match="unexpected table project_metadata"):
            runner.upgrade(f.url)
        # Without the check, the retry fails on the table the failed attempt left.
        with pytest.raises(runner.MigrationError, match="already exists"):
            runner.upgrade(f.url, verify=False)
        with runner.connect(f.url) as conn:  # the repair: undo the half-applied revision
            conn.execute(sa.text("DROP TABLE project_metadata"))
            conn.commit()
        assert runner.drift(f.url, server.create_database("scratch")) == []
    else:
        assert f.drift == []
    assert walkthrough.finish(f) == (("1.3.0", "1.4.0", "1.5.0"), [])


def test_a_socket_in_the_url_wins_over_host_and_port(server: Server) -> None:
    """Notebook 10's first claim: Harbor's ``?unix_socket=…`` makes the MySQL driver ignore
    host and port. libpq does the same with a directory in ``?host=``."""
    tcp = server.url("mysql" if isinstance(server, MariaDB) else "postgres")
    assert runner.status(tcp).head == "1.5.0"  # host and port alone reach the server
    socket_param = (
        "unix_socket=/nonexistent/mysqld.sock"
        if isinstance(server, MariaDB)
        else ("host=/nonexistent")
    )
    with pytest.raises(runner.MigrationError, match="No such file or directory"):
        runner.status(f"{tcp}?{socket_param}")


def test_step_by_step_counts_equal_sqlites(server: Server, tmp_path) -> None:
    history, problems = walkthrough.step_by_step(server.create_database("steps"), logs=500)
    sqlite_history, sqlite_problems = walkthrough.step_by_step(
        f"sqlite:///{tmp_path / 'steps.db'}", logs=500
    )
    assert problems == sqlite_problems == [] and history == sqlite_history
    assert [rev for rev, _ in history] == runner.revisions()


def test_offline_sql_builds_the_head_schema(server: Server) -> None:
    """The SQL a DBA would run, applied with the server's own client, gives the head schema."""
    dialect = "mysql" if isinstance(server, MariaDB) else "postgresql"
    sql = runner.offline_sql(dialect)
    url = server.create_database("offline")
    if isinstance(server, MariaDB):
        argv = ["mariadb", "--no-defaults", "-uroot", "-h127.0.0.1", f"-P{server.port}", "offline"]
    else:
        argv = ["psql", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres",
                "-d", "offline", "-v", "ON_ERROR_STOP=1", "-q"]  # fmt: skip
    if shutil.which(argv[0]) is None:
        lab_skip(f"{argv[0]} not found")
    proc = subprocess.run(argv, input=sql, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert runner.status(url).current == "1.5.0"
    with runner.connect(url) as conn:
        assert schema.diff(schema.reflect(conn), _head(server)) == []


def test_backup_is_a_dump_of_the_database(server: Server, tmp_path) -> None:
    url, _ = _seeded(server, "backedup", logs=200)
    r = runner.upgrade(url, backup_dir=tmp_path)
    assert r.backup is not None and r.backup.stat().st_size > 10_000
    text = r.backup.read_text()
    assert "access_log" in text and "0.4.0" in text  # the dump is of the 0.4.0 database
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.slow
def test_benchmark_one_million_access_logs(server: Server) -> None:
    """Upgrading 1,000,000 access-log rows from 0.4.0 to head (the times go in the notes)."""
    url = server.create_database("bench")
    runner.upgrade(url, "0.4.0")
    t = time.perf_counter()
    with runner.connect(url) as conn:
        counts = seed.seed(conn, seed.Size(access_logs=1_000_000))
    seeded = time.perf_counter() - t
    r = runner.upgrade(url)
    with runner.connect(url) as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM access_log WHERE username IS NOT NULL"))
        assert n.scalar_one() == counts["access_log"] == 1_000_000
    print(f"{type(server).__name__}: seed {seeded:.1f} s, upgrade {r.seconds:.2f} s")
    assert r.seconds < 60
