"""Real MariaDB and PostgreSQL servers for the labs, each a plain process with its data in a
temporary directory, listening on 127.0.0.1 (and a unix socket there), stopped on exit."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from infranotes import lab
from infranotes.errors import LabUnavailable
from infranotes.lab import report_skip

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _answers(url: str) -> Callable[[], bool]:
    """A readiness check for :func:`infranotes.lab.start`: the server runs ``SELECT 1``."""

    def ready() -> bool:
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.OperationalError:
            return False
        finally:
            engine.dispose()

    return ready


@dataclass
class Server:
    """Base of the two servers: a temporary directory, a process, an admin URL."""

    name: str = "server"
    port: int = 0
    tmp: Path | None = None
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _tmpdir: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    def url(self, database: str) -> str:
        raise NotImplementedError

    def create_database(self, database: str) -> str:
        """A fresh, empty database (dropped first if it exists); returns its URL."""
        raise NotImplementedError

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _launch(self, argv: Callable[[int], list[str]], log: Path, admin_db: str) -> None:
        """Start the server on a free 127.0.0.1 port and wait until it answers. The port is
        free when chosen but another process may take it first: then try another."""
        for _ in range(3):
            self.port = lab.free_port()
            try:
                self._proc = lab.start(
                    argv(self.port),
                    ready=_answers(self.url(admin_db)),
                    what=type(self).__name__,
                    log=log,
                )
                return
            except LabUnavailable as exc:
                if "not ready within" in exc.reason:  # running but silent: not a port clash
                    self.stop()
                    raise
                self._proc = None
        self.stop()
        raise LabUnavailable(f"{type(self).__name__} could not bind a port on 127.0.0.1")

    def stop(self) -> None:
        lab.stop(self._proc)
        self._proc = None
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None


class MariaDB(Server):
    """Debian's mariadbd, initialised with mariadb-install-db, root without a password."""

    REQUIRES = ("mariadbd", "mariadb-install-db")

    def __enter__(self) -> MariaDB:
        for tool in self.REQUIRES:  # in /usr/sbin: found without root's PATH too
            lab.require_tool(tool, "mariadb-server")
        self._tmpdir = tempfile.TemporaryDirectory(prefix="infranotes-mariadb-")
        self.tmp = Path(self._tmpdir.name)
        data = self.tmp / "data"
        user = ["--user=root"] if os.geteuid() == 0 else []
        init = subprocess.run(
            [lab.require_tool("mariadb-install-db"), "--no-defaults", f"--datadir={data}", *user,
             "--auth-root-authentication-method=normal", "--skip-test-db"],
            capture_output=True, text=True,
        )  # fmt: skip
        if init.returncode != 0:
            self.stop()
            raise LabUnavailable(f"mariadb-install-db failed: {init.stderr.strip()[-200:]}")
        log = self.tmp / "server.log"
        self._launch(
            lambda port: [
                lab.require_tool("mariadbd"), "--no-defaults", *user, f"--datadir={data}",
                f"--socket={self.tmp / 'mysqld.sock'}", "--bind-address=127.0.0.1",
                f"--port={port}", f"--pid-file={self.tmp / 'mysqld.pid'}",
                "--skip-log-bin", "--innodb-buffer-pool-size=128M",
                "--innodb-flush-log-at-trx-commit=2", f"--log-error={log}",
            ],
            log,
            "mysql",
        )  # fmt: skip
        return self

    def url(self, database: str) -> str:
        return f"mysql+pymysql://root@127.0.0.1:{self.port}/{database}"

    def create_database(self, database: str, charset: str = "utf8mb3") -> str:
        """As Harbor's ``registry.sql`` does (``create database registry charset = utf8``,
        MySQL's three-byte utf8): its ``replication_job.tags varchar(16384)`` fits a row in
        three-byte characters, not in utf8mb4's four."""
        engine = sa.create_engine(self.url("mysql"))
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS `{database}`"))
            conn.execute(sa.text(f"CREATE DATABASE `{database}` CHARACTER SET {charset}"))
        engine.dispose()
        return self.url(database)


class PostgreSQL(Server):
    """Debian's PostgreSQL 15 (initdb, postgres), trust authentication on 127.0.0.1 only.

    PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user
    that Debian's package creates.
    """

    REQUIRES = (str(PG_BIN / "postgres"), str(PG_BIN / "initdb"))

    def __enter__(self) -> PostgreSQL:
        if not (PG_BIN / "postgres").exists():
            raise LabUnavailable(f"{PG_BIN}/postgres not found (Debian package postgresql)")
        self._tmpdir = tempfile.TemporaryDirectory(prefix="infranotes-pg-")
        self.tmp = Path(self._tmpdir.name)
        run_as: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres")
            run_as = ["runuser", "-u", "postgres", "--"]
        data = self.tmp / "data"
        init = subprocess.run(
            [*run_as, str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres",
             "--auth=trust", "-E", "UTF8", "--no-sync"],
            capture_output=True, text=True,
        )  # fmt: skip
        if init.returncode != 0:
            self.stop()
            raise LabUnavailable(f"initdb failed: {init.stderr.strip()[-200:]}")
        log = self.tmp / "server.log"
        self._launch(
            lambda port: [
                *run_as, str(PG_BIN / "postgres"), "-D", str(data), "-k", str(self.tmp),
                "-p", str(port), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            ],
            log,
            "postgres",
        )  # fmt: skip
        return self

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, database: str) -> str:
        engine = sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}"'))
            conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
        engine.dispose()
        return self.url(database)


def start(cls: type[Server]) -> Server | None:
    """For notebooks: a started server, or None after saying what is skipped and why (an
    error instead under ``make test`` as root, see :func:`infranotes.lab.report_skip`)."""
    try:
        return cls().__enter__()
    except LabUnavailable as exc:
        report_skip(f"the {cls.__name__} part", exc.reason)
        return None
