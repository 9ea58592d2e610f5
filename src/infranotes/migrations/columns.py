"""Column shapes Harbor's MySQL ``registry.sql`` repeats in every table, for the revisions
and the expected schema.

Harbor 1.5 ran on MySQL/MariaDB only, so its DDL is MySQL's: ``timestamp`` columns, and
``update_time ... default CURRENT_TIMESTAMP on update CURRENT_TIMESTAMP`` so that the engine
refreshes the time of every update. The ``ON UPDATE`` clause exists only in MySQL; on
PostgreSQL and SQLite the column keeps just its default (Harbor 1.6's PostgreSQL schema used
a trigger instead, ``update_update_time_at_column``), which is one of the differences
:mod:`infranotes.migrations.schema` lists.
"""

from __future__ import annotations

import sqlalchemy as sa

NOW = "CURRENT_TIMESTAMP"


def is_mysql(dialect: str) -> bool:
    return dialect in ("mysql", "mariadb")


def created(dialect: str, name: str = "creation_time") -> sa.Column:
    """``creation_time timestamp default CURRENT_TIMESTAMP``."""
    return sa.Column(name, sa.TIMESTAMP, server_default=sa.text(NOW))


def updated(dialect: str, name: str = "update_time") -> sa.Column:
    """``update_time timestamp default CURRENT_TIMESTAMP on update CURRENT_TIMESTAMP``."""
    on_update = f"{NOW} ON UPDATE {NOW}" if is_mysql(dialect) else NOW
    return sa.Column(name, sa.TIMESTAMP, server_default=sa.text(on_update))


def times(dialect: str) -> list[sa.Column]:
    """The pair most tables end with."""
    return [created(dialect), updated(dialect)]


def bare_times() -> list[sa.Column]:
    """``creation_time timestamp, update_time timestamp`` without defaults: ``user``,
    ``project`` and the 0.4.0 ``project_member``, whose times Harbor's code sets."""
    return [sa.Column("creation_time", sa.TIMESTAMP), sa.Column("update_time", sa.TIMESTAMP)]


def flag(name: str, default: bool | None = False, nullable: bool = False) -> sa.Column:
    """``tinyint(1)`` (MySQL's BOOL) with Harbor's default 0/1, or none."""
    server_default = None if default is None else (sa.true() if default else sa.false())
    return sa.Column(name, sa.Boolean, nullable=nullable, server_default=server_default)
