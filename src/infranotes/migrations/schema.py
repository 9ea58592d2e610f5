"""The expected schema at the head of the chain (1.5.0), written out independently of the
migrations; reflection of a live database as engine-neutral plain data; and the comparison
the runner makes before it touches a database.

How faithful the head is to Harbor's own 1.5 schema is held by
``tests/migrations/test_faithful.py``: it loads ``tests/data/harbor/registry-1.5.json`` (the
DDL facts of Harbor's MySQL ``make/photon/db/registry.sql`` of the 1.5 line, written down by
hand) into a fresh MariaDB database and compares it with a database upgraded from 0.4.0.
The differences kept on purpose, and why (:data:`KEPT_DIFFERENCES` is the exact list the test
expects):

* Five indexes — ``replication_job.poid_status`` and ``img_scan_job``'s ``idx_status``,
  ``idx_digest``, ``idx_uuid``, ``idx_repository_tag`` — are created by Harbor's own 1.5.0
  upgrade revision but not by its fresh-install ``registry.sql``. We follow the upgrade:
  a database upgraded by Harbor has them, and they only speed up the job queries.
* The 0.4.0 revision inserts the reference rows (``access``, ``role``) but not
  ``registry.sql``'s admin and anonymous users, ``library`` project and its membership: those
  are an installation's data, which an upgraded database already has.
* Where Harbor's upgrade models (``tools/migration/db/db_meta.py``) and its ``registry.sql``
  disagree — ``harbor_label`` unique on (name, scope) vs (name, scope, project_id) with a
  NOT NULL ``project_id``; ``user_group.group_name`` 255 vs 128 characters;
  ``clair_vuln_timestamp.last_update`` NOT NULL vs nullable — we follow ``registry.sql``, so
  that an upgraded database equals a freshly installed 1.5.
* ``harbor_label.deleted``, which an earlier version of this chain added, is gone: Harbor's
  1.5 MySQL ``registry.sql`` has no such column (it first appears in 1.6's PostgreSQL
  schema).
* Harbor's 1.4.0 revision migrates every replication policy to manual triggers when it runs
  beside Admiral (``WITH_ADMIRAL=true``); that deployment is not reproduced.
* On PostgreSQL and SQLite, ``update_time`` has no ``ON UPDATE CURRENT_TIMESTAMP`` (a MySQL
  clause; Harbor 1.5 supported MySQL only). Foreign keys carry the names MySQL generates for
  Harbor's unnamed ones (``access_log_ibfk_1``...), so the same revision can drop them on a
  real Harbor database and on ours.
"""

from __future__ import annotations

import functools
import re
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from infranotes.migrations.columns import bare_times, flag, times

IGNORED_TABLES = {"alembic_version"}

# The comparison of an upgraded database with Harbor's registry.sql finds exactly these.
KEPT_DIFFERENCES = [
    "img_scan_job: unexpected index idx_digest (digest)",
    "img_scan_job: unexpected index idx_repository_tag (repository, tag)",
    "img_scan_job: unexpected index idx_status (status)",
    "img_scan_job: unexpected index idx_uuid (job_uuid)",
    "replication_job: unexpected index poid_status (policy_id, status)",
]

# Every difference from Harbor's own chain kept on purpose, and why (the module docstring in
# a table's shape, for the notebook).
DIFFERENCES_KEPT: list[tuple[str, str]] = [
    ("five job indexes (poid_status, idx_status, idx_digest, idx_uuid, idx_repository_tag)",
     "Harbor's 1.5.0 upgrade creates them, its fresh registry.sql does not; we follow the "
     "upgrade"),
    ("no admin/anonymous users, library project or its membership in 0.4.0",
     "an installation's data, which an upgraded database already has; the access and role "
     "reference rows are inserted"),
    ("harbor_label unique on (name, scope), project_id nullable",
     "registry.sql's form; Harbor's upgrade models say (name, scope, project_id), NOT NULL"),
    ("user_group.group_name varchar(255)", "registry.sql's length; the upgrade models say 128"),
    ("clair_vuln_timestamp.last_update NOT NULL",
     "registry.sql's; the upgrade models leave it nullable"),
    ("no harbor_label.deleted", "not in 1.5's MySQL registry.sql (it appears in 1.6)"),
    ("no WITH_ADMIRAL branch in 1.4.0",
     "an Admiral deployment's policy migration, not reproduced"),
    ("update_time without ON UPDATE on PostgreSQL and SQLite",
     "a MySQL clause; Harbor 1.5 supported MySQL only"),
    ("foreign keys named access_log_ibfk_1 etc. explicitly",
     "the names MySQL gives Harbor's unnamed ones, so 1.2.0 can drop them everywhere"),
]  # fmt: skip


def head(dialect: str = "mysql") -> sa.MetaData:
    """The 1.5.0 schema as ``dialect`` gets it (``ON UPDATE`` only on MySQL)."""
    md = sa.MetaData()
    d = dialect

    def t(name: str, *items: Any) -> None:
        sa.Table(name, md, *items)

    def col(name: str, type_: Any, **kw: Any) -> sa.Column:
        return sa.Column(name, type_, **kw)

    t(
        "access",
        col("access_id", sa.Integer, primary_key=True),
        col("access_code", sa.CHAR(1)),
        col("comment", sa.String(30)),
    )
    t(
        "role",
        col("role_id", sa.Integer, primary_key=True),
        col("role_mask", sa.Integer, nullable=False, server_default="0"),
        col("role_code", sa.String(20)),
        col("name", sa.String(20)),
    )
    t(
        "user",
        col("user_id", sa.Integer, primary_key=True),
        col("username", sa.String(255), unique=True),
        col("email", sa.String(255), unique=True),
        col("password", sa.String(40), nullable=False),
        col("realname", sa.String(255), nullable=False),
        col("comment", sa.String(30)),
        flag("deleted"),
        col("reset_uuid", sa.String(40)),
        col("salt", sa.String(40)),
        flag("sysadmin_flag", default=None, nullable=True),
        *bare_times(),
    )
    t(
        "project",
        col("project_id", sa.Integer, primary_key=True),
        col("owner_id", sa.Integer, nullable=False),
        col("name", sa.String(255), nullable=False, unique=True),
        *bare_times(),
        flag("deleted"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.user_id"], name="project_ibfk_1"),
    )
    t(
        "project_member",
        col("id", sa.Integer, primary_key=True),
        col("project_id", sa.Integer, nullable=False),
        col("entity_id", sa.Integer, nullable=False),
        col("entity_type", sa.CHAR(1), nullable=False),
        col("role", sa.Integer, nullable=False),
        *times(d),
        sa.UniqueConstraint(
            "project_id", "entity_id", "entity_type", name="unique_project_entity_type"
        ),
    )
    t(
        "project_metadata",
        col("id", sa.Integer, primary_key=True),
        col("project_id", sa.Integer, nullable=False),
        col("name", sa.String(255), nullable=False),
        col("value", sa.String(255)),
        *times(d),
        flag("deleted"),
        sa.UniqueConstraint("project_id", "name", name="unique_project_id_and_name"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.project_id"], name="project_metadata_ibfk_1"
        ),
    )
    t(
        "user_group",
        col("id", sa.Integer, primary_key=True),
        col("group_name", sa.String(255), nullable=False),
        col("group_type", sa.Integer, server_default="0"),
        col("ldap_group_dn", sa.String(512), nullable=False),
        *times(d),
    )
    t(
        "access_log",
        col("log_id", sa.Integer, primary_key=True),
        col("username", sa.String(255), nullable=False),
        col("project_id", sa.Integer, nullable=False),
        col("repo_name", sa.String(256)),
        col("repo_tag", sa.String(128)),
        col("GUID", sa.String(64)),
        col("operation", sa.String(20), nullable=False),
        col("op_time", sa.TIMESTAMP),
        sa.Index("pid_optime", "project_id", "op_time"),
    )
    t(
        "repository",
        col("repository_id", sa.Integer, primary_key=True),
        col("name", sa.String(255), nullable=False, unique=True),
        col("project_id", sa.Integer, nullable=False),
        col("description", sa.Text),
        col("pull_count", sa.Integer, nullable=False, server_default="0"),
        col("star_count", sa.Integer, nullable=False, server_default="0"),
        *times(d),
    )
    t(
        "replication_policy",
        col("id", sa.Integer, primary_key=True),
        col("name", sa.String(256)),
        col("project_id", sa.Integer, nullable=False),
        col("target_id", sa.Integer, nullable=False),
        flag("enabled", default=True),
        col("description", sa.Text),
        flag("deleted"),
        col("cron_str", sa.String(256)),
        col("filters", sa.String(1024)),
        flag("replicate_deletion"),
        col("start_time", sa.TIMESTAMP),
        *times(d),
    )
    t(
        "replication_target",
        col("id", sa.Integer, primary_key=True),
        col("name", sa.String(64)),
        col("url", sa.String(64)),
        col("username", sa.String(255)),
        col("password", sa.String(128)),
        flag("target_type"),
        flag("insecure"),
        *times(d),
    )
    t(
        "replication_job",
        col("id", sa.Integer, primary_key=True),
        col("status", sa.String(64), nullable=False),
        col("policy_id", sa.Integer, nullable=False),
        col("repository", sa.String(256), nullable=False),
        col("operation", sa.String(64), nullable=False),
        col("tags", sa.String(16384)),
        col("job_uuid", sa.String(64)),
        *times(d),
        sa.Index("policy", "policy_id"),
        sa.Index("poid_uptime", "policy_id", "update_time"),
        sa.Index("poid_status", "policy_id", "status"),
    )
    t(
        "replication_immediate_trigger",
        col("id", sa.Integer, primary_key=True),
        col("policy_id", sa.Integer, nullable=False),
        col("namespace", sa.String(256), nullable=False),
        flag("on_push"),
        flag("on_deletion"),
        *times(d),
    )
    t(
        "img_scan_job",
        col("id", sa.Integer, primary_key=True),
        col("status", sa.String(64), nullable=False),
        col("repository", sa.String(256), nullable=False),
        col("tag", sa.String(128), nullable=False),
        col("digest", sa.String(128)),
        col("job_uuid", sa.String(64)),
        *times(d),
        sa.Index("idx_status", "status"),
        sa.Index("idx_digest", "digest"),
        sa.Index("idx_uuid", "job_uuid"),
        sa.Index("idx_repository_tag", "repository", "tag"),
    )
    t(
        "img_scan_overview",
        col("id", sa.Integer, primary_key=True),
        col("image_digest", sa.String(128), nullable=False, unique=True),
        col("scan_job_id", sa.Integer, nullable=False),
        col("severity", sa.Integer, nullable=False, server_default="0"),
        col("components_overview", sa.String(2048)),
        col("details_key", sa.String(128)),
        *times(d),
    )
    t(
        "clair_vuln_timestamp",
        col("id", sa.Integer, primary_key=True),
        col("namespace", sa.String(128), nullable=False, unique=True),
        col("last_update", sa.TIMESTAMP, nullable=False),
    )
    t(
        "properties",
        col("id", sa.Integer, primary_key=True),
        col("k", sa.String(64), nullable=False),
        col("v", sa.String(128), nullable=False),
        sa.UniqueConstraint("k", name="uq_properties_k"),
    )
    t(
        "harbor_label",
        col("id", sa.Integer, primary_key=True),
        col("name", sa.String(128), nullable=False),
        col("description", sa.Text),
        col("color", sa.String(16)),
        col("level", sa.CHAR(1), nullable=False),
        col("scope", sa.CHAR(1), nullable=False),
        col("project_id", sa.Integer),
        *times(d),
        sa.UniqueConstraint("name", "scope", name="unique_name_and_scope"),
    )
    t("harbor_resource_label", col("id", sa.Integer, primary_key=True),
      col("label_id", sa.Integer, nullable=False), col("resource_id", sa.Integer),
      col("resource_name", sa.String(256)), col("resource_type", sa.CHAR(1), nullable=False),
      *times(d),
      sa.UniqueConstraint("label_id", "resource_id", "resource_name", "resource_type",
                          name="unique_label_resource"))  # fmt: skip
    return md


HEAD = head("sqlite")  # kept for callers that create the head on SQLite


# --------------------------------------------------------------------------- reflection
def norm_type(t: sa.types.TypeEngine) -> str:
    """An engine-neutral spelling of a reflected type: MySQL's ``TINYINT(1)`` and the other
    engines' ``BOOLEAN`` are both ``boolean``; ``INTEGER(11)`` is ``integer``."""
    if isinstance(t, sa.Boolean) or (
        type(t).__name__ == "TINYINT" and getattr(t, "display_width", None) == 1
    ):
        return "boolean"
    if isinstance(t, sa.Integer):
        return "integer"
    if isinstance(t, sa.Text):
        return "text"
    if isinstance(t, sa.CHAR) and not isinstance(t, sa.NCHAR | sa.VARCHAR):
        return f"char({t.length})"
    if isinstance(t, sa.String):
        return f"varchar({t.length})"
    if isinstance(t, sa.TIMESTAMP):
        return "timestamp"
    if isinstance(t, sa.DateTime):
        return "datetime"
    return type(t).__name__.lower()


_CAST = re.compile(r"::[a-z ]+(\(\d+\))?$")


def norm_default(default: str | None) -> tuple[str | None, bool]:
    """A reflected server default as (value, refreshed on update): quotes, brackets, casts
    and the engines' spellings of now/false/true made equal."""
    if default is None:
        return None, False
    text = default.strip()
    if text.lower().startswith("nextval("):  # PostgreSQL's SERIAL: an autoincrement key
        return None, False
    on_update = False
    m = re.search(r"\s+on update\s+", text, re.IGNORECASE)
    if m:
        text, on_update = text[: m.start()], True
    text = _CAST.sub("", text.strip())
    while len(text) >= 2 and text[0] + text[-1] in ("''", "()", '""'):
        text = text[1:-1]
    low = text.lower()
    low = {"current_timestamp()": "current_timestamp", "now()": "current_timestamp"}.get(low, low)
    low = {"false": "0", "true": "1"}.get(low, low)
    return (None if low == "null" else low), on_update


Reflection = dict[str, dict[str, object]]


def reflect(conn: sa.Connection, *, on_update: bool = True) -> Reflection:
    """The schema of ``conn``'s database as plain data: per table its columns (normalised
    type, nullability, default, and — with ``on_update`` — whether MySQL refreshes it on
    update), primary key, foreign keys, unique column sets and named indexes. Constraint
    names are left out (engines name them differently), and so are the indexes MySQL creates
    by itself to back a foreign key."""
    insp = sa.inspect(conn)
    out: Reflection = {}
    for table in sorted(set(insp.get_table_names()) - IGNORED_TABLES):
        cols = {}
        for c in insp.get_columns(table):
            default, refreshed = norm_default(c.get("default"))
            shape: tuple[object, ...] = (norm_type(c["type"]), bool(c["nullable"]), default)
            cols[c["name"]] = (*shape, refreshed) if on_update else shape
        pk = tuple(insp.get_pk_constraint(table)["constrained_columns"])
        fk_list = insp.get_foreign_keys(table)
        fks = sorted(
            (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
            for f in fk_list
        )
        fk_cols = {tuple(f["constrained_columns"]) for f in fk_list}
        uniques = {tuple(u["column_names"]) for u in insp.get_unique_constraints(table)}
        indexes = set()
        for ix in insp.get_indexes(table):
            cols_ix = tuple(ix["column_names"])
            if ix.get("unique"):
                uniques.add(cols_ix)
            elif ix.get("name") is not None and cols_ix not in fk_cols:
                indexes.add((ix["name"], cols_ix))
        out[table] = {
            "columns": cols,
            "primary_key": pk,
            "foreign_keys": fks,
            "unique": sorted(uniques),
            "indexes": sorted(indexes),
        }
    return out


def diff(actual: Reflection, expected: Reflection) -> list[str]:
    """Differences between two reflections, one readable line each (empty: the same)."""
    out = []
    for t in sorted(set(expected) - set(actual)):
        out.append(f"missing table {t}")
    for t in sorted(set(actual) - set(expected)):
        out.append(f"unexpected table {t}")
    for t in sorted(set(actual) & set(expected)):
        a, e = actual[t], expected[t]
        ac, ec = a["columns"], e["columns"]
        assert isinstance(ac, dict) and isinstance(ec, dict)
        for c in sorted(set(ec) - set(ac)):
            out.append(f"{t}: missing column {c}")
        for c in sorted(set(ac) - set(ec)):
            out.append(f"{t}: unexpected column {c}")
        for c in sorted(set(ac) & set(ec)):
            if ac[c] != ec[c]:
                out.append(f"{t}.{c}: is {_col(ac[c])}, expected {_col(ec[c])}")
        for key in ("primary_key", "foreign_keys", "unique"):
            if a[key] != e[key]:
                out.append(f"{t}: {key.replace('_', ' ')} is {a[key]}, expected {e[key]}")
        ai, ei = dict(a["indexes"]), dict(e["indexes"])  # type: ignore[call-overload]
        for name in sorted(set(ai) | set(ei)):
            if name not in ei:
                out.append(f"{t}: unexpected index {name} ({', '.join(ai[name])})")
            elif name not in ai:
                out.append(f"{t}: missing index {name} ({', '.join(ei[name])})")
            elif ai[name] != ei[name]:
                out.append(f"{t}: index {name} is on {ai[name]}, expected {ei[name]}")
    return out


def _col(shape: object) -> str:
    assert isinstance(shape, tuple)
    type_, nullable, default, *rest = shape
    words = [str(type_), "NULL" if nullable else "NOT NULL"]
    if default is not None:
        words.append(f"DEFAULT {default}")
    if rest and rest[0]:
        words.append("ON UPDATE")
    return " ".join(words)


@functools.cache
def expected_at(revision: str) -> Reflection:
    """What a database at ``revision`` should look like: the chain is run up to it on a
    scratch SQLite file and reflected (without ``ON UPDATE``, which SQLite cannot have), so
    that a database of any engine can be checked without a scratch database of its own."""
    from infranotes.migrations import runner

    with tempfile.TemporaryDirectory(prefix="infranotes-expected-") as tmp:
        db = Path(tmp) / "expected.db"
        db.touch()
        url = f"sqlite:///{db}"
        runner.upgrade(url, revision, verify=False)
        with runner.connect(url) as conn:
            return reflect(conn, on_update=False)
