"""Run the Harbor-style alembic chain against a database URL: status, upgrade, offline SQL,
stamp, and a backup made with the server's own dump tool before upgrading.

SQLite is the embedded default; MySQL/MariaDB and PostgreSQL are reached over any
SQLAlchemy URL, so an external database is just another URL (Harbor's own migrator fixed
``unix_socket=/var/run/mysqld/mysqld.sock`` into its URL, which is why it could not).
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from infranotes.errors import InfranotesError

SCRIPTS = Path(__file__).with_name("harbor")
# Offline SQL needs no connection, so SQLite (whose batch mode must reflect live tables to
# copy them) is not among the dialects it can be produced for.
DIALECTS = ("mysql", "postgresql")
DRIVERS = {"mysql": "mysql+pymysql", "mariadb": "mysql+pymysql", "postgresql": "postgresql+psycopg"}


class MigrationError(InfranotesError, ValueError):
    """A URL that cannot be used, a revision that does not exist, or a failed step."""


@dataclass(frozen=True)
class Revision:
    """One step of the chain: its id (a Harbor schema version) and what it changes."""

    revision: str
    down_revision: str | None
    summary: str
    doc: str


@dataclass(frozen=True)
class Status:
    current: str | None
    head: str
    pending: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"current": self.current, "head": self.head, "pending": list(self.pending)}


@dataclass(frozen=True)
class UpgradeResult:
    start: str | None
    end: str | None
    applied: tuple[str, ...]
    seconds: float
    backup: Path | None


def _config(**attributes: object) -> Config:
    cfg = Config(stdout=io.StringIO())
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes.update(attributes)
    return cfg


def script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def chain() -> list[Revision]:
    """The revisions, oldest first."""
    out = []
    for rev in script().walk_revisions("base", "heads"):
        doc = (rev.module.__doc__ or "").strip()
        down = rev.down_revision if isinstance(rev.down_revision, str) else None
        out.append(Revision(rev.revision, down, doc.splitlines()[0] if doc else "", doc))
    return list(reversed(out))


def revisions() -> list[str]:
    return [r.revision for r in chain()]


def _check_revision(rev: str) -> str:
    if rev in ("head", "base"):
        return rev
    if rev not in revisions():
        raise MigrationError(f"unknown revision {rev!r}; the chain is {' → '.join(revisions())}")
    return rev


def normalize_url(url: str) -> sa.URL:
    """Parse ``url``, giving bare ``mysql://``, ``mariadb://`` and ``postgresql://`` the
    pure-Python drivers this package installs (PyMySQL, psycopg 3)."""
    try:
        u = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise MigrationError(
            f"not a database URL: {url!r} (expected sqlite:///PATH, mysql://USER@HOST:PORT/DB "
            "or postgresql://USER@HOST:PORT/DB)"
        ) from None
    if u.drivername == "postgres":
        u = u.set(drivername="postgresql")
    if u.drivername in DRIVERS:
        u = u.set(drivername=DRIVERS[u.drivername])
    if u.get_backend_name() not in ("sqlite", "mysql", "mariadb", "postgresql"):
        raise MigrationError(f"unsupported database {u.get_backend_name()!r} in {url!r}")
    return u


@contextmanager
def connect(url: str) -> Iterator[sa.Connection]:
    """A connection to ``url``, with connection errors turned into one-line MigrationErrors."""
    u = normalize_url(url)
    try:
        engine = sa.create_engine(u)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise MigrationError(f"cannot use {u.render_as_string()}: {exc}") from None
    if u.get_backend_name() == "sqlite":
        _transactional_sqlite(engine)
    try:
        try:
            conn = engine.connect()
        except sa.exc.DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise MigrationError(f"cannot connect to {u.render_as_string()}: {reason}") from None
        with conn:
            yield conn
    finally:
        engine.dispose()


def _transactional_sqlite(engine: sa.Engine) -> None:
    """SQLite's DDL is transactional, but Python's sqlite3 driver only opens a transaction
    before INSERT/UPDATE/DELETE, so a CREATE TABLE before a failure would stay. SQLAlchemy's
    documented recipe ("Serializable isolation / Savepoints / Transactional DDL") takes the
    BEGIN over from the driver."""

    @sa.event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN")


def current(conn: sa.Connection) -> str | None:
    """The revision recorded in ``alembic_version``; ends the read's transaction, so that
    alembic's per-revision transactions are real ones."""
    rev = MigrationContext.configure(conn).get_current_revision()
    if conn.in_transaction():
        conn.rollback()
    return rev


def status(url: str) -> Status:
    revs = revisions()
    with connect(url) as conn:
        cur = current(conn)
    done = revs.index(cur) + 1 if cur in revs else 0
    return Status(cur, revs[-1], tuple(revs[done:]))


def upgrade(
    url: str,
    to: str = "head",
    *,
    backup_dir: Path | None = None,
    fail_in: str | None = None,
) -> UpgradeResult:
    """Upgrade to ``to``, each revision in its own transaction; back up first if asked.

    ``fail_in`` injects a failure halfway through that revision (the notebook's demo of
    what non-transactional DDL leaves behind). A failure raises MigrationError naming the
    revision that failed and the revision the database is recorded at.
    """
    _check_revision(to)
    backup = None
    start_t = time.perf_counter()
    with connect(url) as conn:
        start = current(conn)
        if backup_dir is not None:
            backup = make_backup(url, backup_dir)
        cfg = _config(connection=conn, fail_in=fail_in)
        try:
            command.upgrade(cfg, to)
        except Exception as exc:
            if conn.in_transaction():
                conn.rollback()
            at = current(conn)
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            failed = _next(at)
            raise MigrationError(
                f"upgrade failed in revision {failed}: {reason}; the database is recorded at "
                f"{at or 'no revision'}"
            ) from exc
        if conn.in_transaction():
            conn.commit()
        end = current(conn)
    revs = revisions()
    lo = revs.index(start) + 1 if start in revs else 0
    hi = revs.index(end) + 1 if end in revs else 0
    return UpgradeResult(start, end, tuple(revs[lo:hi]), time.perf_counter() - start_t, backup)


def _next(rev: str | None) -> str:
    revs = revisions()
    return revs[0] if rev is None else revs[min(revs.index(rev) + 1, len(revs) - 1)]


def stamp(url: str, rev: str) -> None:
    """Record ``rev`` as the database's revision without running anything (for a database
    that already has that schema, as Harbor's migrator did for 0.1.x databases)."""
    _check_revision(rev)
    with connect(url) as conn:
        command.stamp(_config(connection=conn), rev)
        if conn.in_transaction():
            conn.commit()


def offline_sql(dialect: str, to: str = "head", start: str | None = None) -> str:
    """The SQL a DBA would run to go from ``start`` (None: an empty database) to ``to``."""
    if dialect not in DIALECTS:
        raise MigrationError(
            f"--dialect: expected one of {', '.join(DIALECTS)}, got {dialect!r} (SQLite's "
            "batch mode copies tables it must reflect from a live database)"
        )
    _check_revision(to)
    if start is not None:
        _check_revision(start)
    out = io.StringIO()
    target = f"{start}:{to}" if start else to
    command.upgrade(_config(dialect=dialect, output=out), target, sql=True)
    return out.getvalue()


# --------------------------------------------------------------------------- backups
def make_backup(url: str, directory: Path) -> Path:
    """A dump of the database made with the engine's own tool (sqlite3's backup API,
    mariadb-dump/mysqldump, pg_dump), written atomically into ``directory``."""
    u = normalize_url(url)
    directory.mkdir(parents=True, exist_ok=True)
    stamp_ = time.strftime("%Y%m%dT%H%M%S")
    backend = u.get_backend_name()
    if backend == "sqlite":
        if not u.database or u.database == ":memory:":
            raise MigrationError("cannot back up an in-memory SQLite database")
        dest = directory / f"{Path(u.database).stem}-{stamp_}.sqlite"
        tmp = dest.with_suffix(".tmp")
        with sqlite3.connect(u.database) as src, sqlite3.connect(tmp) as dst:
            src.backup(dst)
        os.replace(tmp, dest)
        return dest
    if backend in ("mysql", "mariadb"):
        tool = shutil.which("mariadb-dump") or shutil.which("mysqldump")
        argv = [tool or "mysqldump", "--single-transaction", "--routines", "--databases"]
        argv.insert(1, f"--user={u.username or 'root'}")
        if u.query.get("unix_socket"):
            argv.insert(1, f"--socket={u.query['unix_socket']}")
        else:
            argv[1:1] = [f"--host={u.host or '127.0.0.1'}", f"--port={u.port or 3306}"]
        argv.append(u.database or "")
        env = {**os.environ, "MYSQL_PWD": u.password or ""}
        dest = directory / f"{u.database}-{stamp_}.sql"
    else:
        tool = shutil.which("pg_dump")
        argv = [tool or "pg_dump", f"--host={u.host or '127.0.0.1'}", f"--port={u.port or 5432}"]
        argv += [f"--username={u.username or 'postgres'}", f"--dbname={u.database}"]
        env = {**os.environ, "PGPASSWORD": u.password or ""}
        dest = directory / f"{u.database}-{stamp_}.sql"
    if tool is None:
        raise MigrationError(f"{argv[0]} not found: cannot back up before upgrading")
    tmp = dest.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        proc = subprocess.run(argv, stdout=fh, stderr=subprocess.PIPE, env=env)
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        err = proc.stderr.decode(errors="replace").strip().splitlines()
        raise MigrationError(f"{Path(argv[0]).name} failed: {err[0] if err else proc.returncode}")
    os.replace(tmp, dest)
    return dest


def drift(url: str, scratch_url: str) -> list[str]:
    """How ``url``'s schema differs from what its recorded revision should look like: the
    chain is run up to that revision on the empty database ``scratch_url`` (same engine),
    and the two are compared by reflection. Empty when the schema matches its revision."""
    from infranotes.migrations.schema import diff, reflect

    with connect(url) as conn:
        rev = current(conn)
        actual = reflect(conn)
    if rev is not None:
        upgrade(scratch_url, rev)
    with connect(scratch_url) as conn:
        expected = reflect(conn)
    return diff(actual, expected)
