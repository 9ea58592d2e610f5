"""Run the Harbor-style alembic chain against a database URL: status, upgrade, offline SQL,
stamp, and a backup made with the server's own dump tool before upgrading.

SQLite is the embedded default; MySQL/MariaDB and PostgreSQL are reached over any
SQLAlchemy URL, so an external database is just another URL (Harbor's own migrator fixed
``unix_socket=/var/run/mysqld/mysqld.sock`` into its URL, which is why it could not).
"""

from __future__ import annotations

import io
import os
import re
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


SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite 3 database file
# A URL-like token: scheme, colon, the rest up to whitespace or a quote.
_URL_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:/*[^\s'\"<>]+")


def mask_password(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***``.

    Messages built here render parsed URLs with ``URL.render_as_string(hide_password=True)``;
    this is the net under them, for any text: in every ``scheme:[//]user:password@…`` (also
    a typo such as ``mysql:/`` or ``mysq://``, which SQLAlchemy cannot parse), everything
    between the first ``:`` of the user info and the last ``@`` is masked — the last, since
    SQLAlchemy itself splits ``u:a@b@h`` as password ``a`` at host ``b@h``."""

    def one(m: re.Match[str]) -> str:
        token = m.group(0)
        scheme, sep, rest = token.partition(":")
        slashes = len(rest) - len(rest.lstrip("/"))
        userinfo, at, hostpart = rest[slashes:].rpartition("@")
        if not at or ":" not in userinfo:
            return token
        user = userinfo.split(":", 1)[0]
        return f"{scheme}{sep}{rest[:slashes]}{user}:***@{hostpart}"

    return _URL_TOKEN.sub(one, text)


class MigrationError(InfranotesError, ValueError):
    """A URL that cannot be used, a revision that does not exist, or a failed step.

    Its message is one line, and any URL in it has its password masked, whoever built it."""

    def __init__(self, message: str) -> None:
        super().__init__(mask_password(" ".join(str(message).split())))


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

    def to_json(self) -> dict[str, object]:
        return {
            "from": self.start,
            "to": self.end,
            "applied": list(self.applied),
            "seconds": round(self.seconds, 3),
            "backup": str(self.backup) if self.backup else None,
        }


@dataclass(frozen=True)
class Verification:
    """Whether a database is at a revision of this chain with exactly that revision's
    schema (``differences`` empty), checked before any step touches it."""

    revision: str | None
    tables: int
    differences: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.differences

    def to_json(self) -> dict[str, object]:
        return {
            "verified": self.ok,
            "revision": self.revision,
            "tables": self.tables,
            "differences": list(self.differences),
        }


@dataclass(frozen=True)
class Step:
    """One revision of a plan and the SQL it runs, one line per statement."""

    revision: str
    summary: str
    statements: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "revision": self.revision,
            "summary": self.summary,
            "statements": list(self.statements),
        }


@dataclass(frozen=True)
class Plan:
    """What ``upgrade`` would do: the verification, the backup, then each step."""

    verification: Verification
    start: str | None
    to: str
    steps: tuple[Step, ...]
    backup_dir: Path | None
    sql_dialect: str

    def to_json(self) -> dict[str, object]:
        return {
            "verification": self.verification.to_json(),
            "from": self.start,
            "to": self.to,
            "backup_dir": str(self.backup_dir) if self.backup_dir else None,
            "sql_dialect": self.sql_dialect,
            "steps": [s.to_json() for s in self.steps],
        }


@dataclass(frozen=True)
class Outcome:
    """What ``migrate upgrade`` did: the plan, and the result if it was applied."""

    plan: Plan
    result: UpgradeResult | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "applied": self.result is not None,
            "plan": self.plan.to_json(),
            "result": self.result.to_json() if self.result else None,
        }


class DriftError(MigrationError):
    """The database is not verifiably at a known revision with its schema: nothing was done."""

    def __init__(self, verification: Verification) -> None:
        self.verification = verification
        n = len(verification.differences)
        super().__init__(
            f"refusing to upgrade: the database is not verifiably at "
            f"{verification.revision or 'an empty state'} ({n} difference{'s' * (n != 1)}: "
            f"{verification.differences[0]}{'; …' if n > 1 else ''})"
        )


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
    charset = u.query.get("charset")
    if u.get_backend_name() in ("mysql", "mariadb") and charset is not None:
        from pymysql.charset import charset_by_name

        if not isinstance(charset, str) or charset_by_name(charset) is None:
            raise MigrationError(
                f"unknown MySQL charset {charset!r} in {u.render_as_string()} "
                "(expected a MariaDB character set such as utf8mb4)"
            )
    return u


def check_sqlite_file(path: str, *, create: bool = False) -> None:
    """Refuse an SQLite target that is not a database: a missing file (unless ``create``, as
    only ``upgrade`` may: a typo in ``status`` must not leave an empty database behind), a
    directory, an unreadable file, or a file that does not start with SQLite's header."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    p = Path(path)
    if p.is_dir():
        raise MigrationError(f"{path}: is a directory, not an SQLite database")
    if not p.exists():
        if create:
            if not p.parent.is_dir():
                raise MigrationError(f"{path}: no such directory {p.parent} to create it in")
            return
        raise MigrationError(
            f"{path}: no such SQLite database (only upgrade creates one; check the path)"
        )
    try:
        with open(p, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise MigrationError(f"{path}: cannot read: {exc.strerror}") from None
    if head and head != SQLITE_MAGIC:  # an empty file is an empty database to SQLite
        raise MigrationError(
            f"{path}: not an SQLite database (it does not start with 'SQLite format 3')"
        )


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextmanager
def connect(url: str, *, create: bool = False) -> Iterator[sa.Connection]:
    """A connection to ``url``, with connection errors turned into one-line MigrationErrors.

    An SQLite file must exist and be a database unless ``create`` (see check_sqlite_file)."""
    u = normalize_url(url)
    shown = u.render_as_string(hide_password=True)
    if u.get_backend_name() == "sqlite":
        check_sqlite_file(u.database or "", create=create)
    try:
        engine = sa.create_engine(u)
    except (sa.exc.ArgumentError, ImportError, TypeError, ValueError) as exc:
        raise MigrationError(f"cannot use {shown}: {exc}") from None
    if u.get_backend_name() == "sqlite":
        _transactional_sqlite(engine)
    try:
        try:
            conn = engine.connect()
        except sa.exc.DBAPIError as exc:
            raise MigrationError(f"cannot connect to {shown}: {_reason(exc)}") from None
        except (OSError, ValueError, TypeError, LookupError, AttributeError) as exc:
            # a driver tripping over a query option it does not check first
            raise MigrationError(
                f"cannot connect to {shown}: {type(exc).__name__}: {_reason(exc)}"
            ) from None
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
    try:
        rev = MigrationContext.configure(conn).get_current_revision()
    except sa.exc.DBAPIError as exc:
        shown = conn.engine.url.render_as_string(hide_password=True)
        raise MigrationError(f"cannot read the revision of {shown}: {_reason(exc)}") from None
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
    verify: bool = True,
) -> UpgradeResult:
    """Upgrade to ``to``, each revision in its own transaction; back up first if asked.

    With ``verify`` (the default) nothing is touched unless :func:`verify_conn` finds the
    database at a revision of the chain with exactly that revision's schema; otherwise
    :class:`DriftError` lists the differences. ``fail_in`` injects a failure halfway
    through that revision (the notebook's demo of what non-transactional DDL leaves behind).
    A failure raises MigrationError naming the revision that failed and the revision the
    database is recorded at.
    """
    _check_revision(to)
    if backup_dir is not None:
        check_backup_dir(backup_dir)
    backup = None
    start_t = time.perf_counter()
    with connect(url, create=True) as conn:
        if verify:
            checked = verify_conn(conn)
            if not checked.ok:
                raise DriftError(checked)
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


def verify_conn(conn: sa.Connection) -> Verification:
    """Check that ``conn``'s database is at a known revision with that revision's schema
    (compared by reflection with :func:`schema.expected_at`), or empty."""
    from infranotes.migrations import schema

    rev = current(conn)
    actual = schema.reflect(conn, on_update=False)
    if conn.in_transaction():
        conn.rollback()
    if rev is None:
        problems = [f"no revision recorded, yet table {t} exists" for t in sorted(actual)]
    elif rev not in revisions():
        problems = [f"recorded revision {rev!r} is not in the chain {' → '.join(revisions())}"]
    else:
        problems = schema.diff(actual, schema.expected_at(rev))
    return Verification(rev, len(actual), tuple(problems))


def verify(url: str) -> Verification:
    """:func:`verify_conn` on ``url``."""
    with connect(url) as conn:
        return verify_conn(conn)


def plan(url: str, to: str = "head", backup_dir: Path | None = None) -> Plan:
    """What :func:`upgrade` would do to ``url``, touching nothing: the verification, the
    backup directory, and per revision the statements it runs (the offline SQL of the URL's
    engine; for SQLite, PostgreSQL's, which SQLite runs as batch table copies)."""
    _check_revision(to)
    u = normalize_url(url)
    path = u.database or ""
    if u.get_backend_name() == "sqlite" and path and path != ":memory:" and not Path(path).exists():
        # Only ``upgrade`` creates an SQLite file; the plan for one to be created is the
        # whole chain, and planning must not create it.
        check_sqlite_file(path, create=True)
        checked = Verification(None, 0, ())
    else:
        checked = verify(url)
    revs = revisions()
    target = revs[-1] if to == "head" else revs[0] if to == "base" else to
    lo = revs.index(checked.revision) + 1 if checked.revision in revs else 0
    hi = revs.index(target) + 1
    todo = revs[lo:hi]
    backend = normalize_url(url).get_backend_name()
    dialect = "mysql" if backend in ("mysql", "mariadb") else "postgresql"
    steps: list[Step] = []
    if checked.ok and todo:
        sql = offline_sql(dialect, target, checked.revision)
        by_rev = _statements_by_revision(sql)
        docs = {r.revision: r.summary for r in chain()}
        steps = [Step(r, docs[r], tuple(by_rev.get(r, ()))) for r in todo]
    return Plan(checked, checked.revision, target, tuple(steps), backup_dir, dialect)


_RUNNING = re.compile(r"^-- Running upgrade (\S*) ?-> (\S+)$", re.MULTILINE)


def _statements_by_revision(sql: str) -> dict[str, list[str]]:
    """Offline SQL cut at alembic's ``-- Running upgrade A -> B`` markers, each statement
    shortened to its first line (at most 100 characters)."""
    out: dict[str, list[str]] = {}
    marks = list(_RUNNING.finditer(sql))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(sql)
        lines = []
        for stmt in sql[m.end() : end].split(";\n"):
            first = " ".join(stmt.strip().splitlines()[0].split()) if stmt.strip() else ""
            if first and first not in ("BEGIN", "COMMIT") and not first.startswith("--"):
                lines.append(first if len(first) <= 100 else first[:99] + "…")
        out[m.group(2)] = lines
    return out


def _next(rev: str | None) -> str:
    revs = revisions()
    return revs[0] if rev is None else revs[min(revs.index(rev) + 1, len(revs) - 1)]


@dataclass(frozen=True)
class Stamped:
    revision: str

    def to_json(self) -> dict[str, object]:
        return {"stamped": self.revision}


@dataclass(frozen=True)
class OfflineSQL:
    """The SQL for ``dialect`` from ``start`` (None: an empty database) to ``to``."""

    dialect: str
    start: str | None
    to: str
    sql: str

    def to_json(self) -> dict[str, object]:
        return {"dialect": self.dialect, "from": self.start, "to": self.to, "sql": self.sql}


def offline_script(dialect: str, to: str = "head", start: str | None = None) -> OfflineSQL:
    """:func:`offline_sql` with what it was made for."""
    return OfflineSQL(dialect, start, to, offline_sql(dialect, to, start))


def stamp(url: str, rev: str) -> Stamped:
    """Record ``rev`` as the database's revision without running anything (for a database
    that already has that schema, as Harbor's migrator did for 0.1.x databases)."""
    _check_revision(rev)
    with connect(url) as conn:
        command.stamp(_config(connection=conn), rev)
        if conn.in_transaction():
            conn.commit()
    return Stamped(rev)


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
def check_backup_dir(directory: Path) -> None:
    """Refuse a backup directory that is an existing file (or under one) before anything
    runs; a directory that does not exist yet is created by make_backup."""
    for p in (directory, *directory.parents):
        if p.exists():
            if not p.is_dir():
                what = "is" if p == directory else f"is under {p}, which is"
                raise MigrationError(f"--backup {directory}: {what} a file, not a directory")
            if not os.access(p, os.W_OK | os.X_OK):
                raise MigrationError(f"--backup {directory}: {p} is not writable")
            return


def make_backup(url: str, directory: Path) -> Path:
    """A dump of the database made with the engine's own tool (sqlite3's backup API,
    mariadb-dump/mysqldump, pg_dump), written atomically into ``directory``."""
    u = normalize_url(url)
    check_backup_dir(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MigrationError(f"--backup {directory}: {exc.strerror}") from None
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
    with connect(scratch_url, create=True) as conn:
        expected = reflect(conn)
    return diff(actual, expected)
