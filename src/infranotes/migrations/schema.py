"""The expected schema at the head of the chain (1.5.0), written out independently of the
migrations, and reflection helpers that compare a database with it.

Comparing two reflections from the same engine (an upgraded database and one created fresh
from :data:`HEAD`) sidesteps each engine's own spelling of types and constraint names.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

HEAD = sa.MetaData()
NOW = sa.text("CURRENT_TIMESTAMP")


def _t(name: str, *items: Any) -> sa.Table:
    return sa.Table(name, HEAD, *items)


def _times() -> list[sa.Column]:
    return [
        sa.Column("creation_time", sa.DateTime, server_default=NOW),
        sa.Column("update_time", sa.DateTime, server_default=NOW),
    ]


def _false() -> Any:
    return sa.false()


_t(
    "access",
    sa.Column("access_id", sa.Integer, primary_key=True),
    sa.Column("access_code", sa.String(1)),
    sa.Column("comment", sa.String(30)),
)
_t(
    "role",
    sa.Column("role_id", sa.Integer, primary_key=True),
    sa.Column("role_mask", sa.Integer, nullable=False, server_default="0"),
    sa.Column("role_code", sa.String(20)),
    sa.Column("name", sa.String(20)),
)
_t(
    "user",
    sa.Column("user_id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(32), unique=True),
    sa.Column("email", sa.String(255), unique=True),
    sa.Column("password", sa.String(40), nullable=False),
    sa.Column("realname", sa.String(255), nullable=False),
    sa.Column("comment", sa.String(30)),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=_false()),
    sa.Column("reset_uuid", sa.String(40)),
    sa.Column("salt", sa.String(40)),
    sa.Column("sysadmin_flag", sa.Boolean, nullable=False, server_default=_false()),
    *_times(),
)
_t(
    "project",
    sa.Column("project_id", sa.Integer, primary_key=True),
    sa.Column("owner_id", sa.Integer, nullable=False),
    sa.Column("name", sa.String(256), nullable=False, unique=True),
    *_times(),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=_false()),
    sa.ForeignKeyConstraint(["owner_id"], ["user.user_id"], name="fk_project_owner"),
)
_t(
    "project_metadata",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.Integer, nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("value", sa.String(255)),
    *_times(),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=_false()),
    sa.UniqueConstraint("project_id", "name", name="unique_project_id_and_name"),
    sa.ForeignKeyConstraint(["project_id"], ["project.project_id"], name="fk_pmeta_project"),
)
_t(
    "project_member",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.Integer, nullable=False),
    sa.Column("entity_id", sa.Integer, nullable=False),
    sa.Column("entity_type", sa.String(1), nullable=False),
    sa.Column("role", sa.Integer, nullable=False),
    *_times(),
    sa.UniqueConstraint(
        "project_id", "entity_id", "entity_type", name="unique_project_entity_type"
    ),
    sa.ForeignKeyConstraint(["project_id"], ["project.project_id"], name="fk_member_project"),
    sa.ForeignKeyConstraint(["role"], ["role.role_id"], name="fk_member_role"),
)
_t(
    "access_log",
    sa.Column("log_id", sa.Integer, primary_key=True),
    sa.Column("project_id", sa.Integer, nullable=False),
    sa.Column("repo_name", sa.String(256)),
    sa.Column("repo_tag", sa.String(128)),
    sa.Column("GUID", sa.String(64)),
    sa.Column("operation", sa.String(20), nullable=False),
    sa.Column("op_time", sa.DateTime),
    sa.Column("username", sa.String(32)),
    sa.Index("pid_optime", "project_id", "op_time"),
)
_t(
    "repository",
    sa.Column("repository_id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(255), nullable=False, unique=True),
    sa.Column("project_id", sa.Integer, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("pull_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("star_count", sa.Integer, nullable=False, server_default="0"),
    *_times(),
)
_t(
    "replication_target",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64)),
    sa.Column("url", sa.String(64)),
    sa.Column("username", sa.String(40)),
    sa.Column("password", sa.String(128)),
    sa.Column("target_type", sa.Integer, nullable=False, server_default="0"),
    *_times(),
    sa.Column("insecure", sa.Boolean, nullable=False, server_default=_false()),
)
_t(
    "replication_policy",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(256)),
    sa.Column("project_id", sa.Integer, nullable=False),
    sa.Column("target_id", sa.Integer, nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("description", sa.Text),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=_false()),
    sa.Column("cron_str", sa.String(256)),
    sa.Column("start_time", sa.DateTime),
    *_times(),
    sa.Column("filters", sa.String(1024)),
    sa.Column("replicate_deletion", sa.Boolean, nullable=False, server_default=_false()),
)
_t(
    "replication_job",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("status", sa.String(64), nullable=False),
    sa.Column("policy_id", sa.Integer, nullable=False),
    sa.Column("repository", sa.String(256), nullable=False),
    sa.Column("operation", sa.String(64), nullable=False),
    sa.Column("tags", sa.Text),
    *_times(),
    sa.Column("job_uuid", sa.String(64)),
    sa.Index("poid_uptime", "policy_id", "update_time"),
)
_t(
    "properties",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("k", sa.String(64), nullable=False),
    sa.Column("v", sa.String(128), nullable=False),
    sa.UniqueConstraint("k", name="uq_properties_k"),
)
_t(
    "img_scan_job",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("status", sa.String(64), nullable=False),
    sa.Column("repository", sa.String(256), nullable=False),
    sa.Column("tag", sa.String(128), nullable=False),
    sa.Column("digest", sa.String(128)),
    *_times(),
    sa.Column("job_uuid", sa.String(64)),
)
_t(
    "img_scan_overview",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("image_digest", sa.String(128), nullable=False, unique=True),
    sa.Column("scan_job_id", sa.Integer, nullable=False),
    sa.Column("severity", sa.Integer, nullable=False, server_default="0"),
    sa.Column("components_overview", sa.String(2048)),
    sa.Column("details_key", sa.String(128)),
    *_times(),
)
_t(
    "clair_vuln_timestamp",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("namespace", sa.String(128), nullable=False, unique=True),
    sa.Column("last_update", sa.DateTime, nullable=False),
)
_t(
    "replication_immediate_trigger",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("policy_id", sa.Integer, nullable=False),
    sa.Column("namespace", sa.String(256), nullable=False),
    sa.Column("on_push", sa.Boolean, nullable=False, server_default=_false()),
    sa.Column("on_deletion", sa.Boolean, nullable=False, server_default=_false()),
    *_times(),
)
_t(
    "harbor_label",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("color", sa.String(16)),
    sa.Column("level", sa.String(1), nullable=False),
    sa.Column("scope", sa.String(1), nullable=False),
    sa.Column("project_id", sa.Integer),
    *_times(),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=_false()),
    sa.UniqueConstraint("name", "scope", "project_id", name="unique_label"),
)
_t(
    "harbor_resource_label",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("label_id", sa.Integer, nullable=False),
    sa.Column("resource_id", sa.Integer),
    sa.Column("resource_name", sa.String(256)),
    sa.Column("resource_type", sa.String(1), nullable=False),
    *_times(),
    sa.UniqueConstraint(
        "label_id", "resource_id", "resource_name", "resource_type", name="unique_label_resource"
    ),
)
_t("user_group", sa.Column("id", sa.Integer, primary_key=True),
   sa.Column("group_name", sa.String(255), nullable=False),
   sa.Column("group_type", sa.Integer, server_default="0"),
   sa.Column("ldap_group_dn", sa.String(512), nullable=False),
   *_times())  # fmt: skip

IGNORED_TABLES = {"alembic_version"}


def reflect(conn: sa.Connection) -> dict[str, dict[str, object]]:
    """The schema of ``conn``'s database as plain data: per table its columns (type as the
    engine spells it, nullability), primary key, foreign keys, unique column sets and
    indexes. Constraint names other than index names are left out on purpose: engines name
    primary keys and renamed tables' constraints differently."""
    insp = sa.inspect(conn)
    out: dict[str, dict[str, object]] = {}
    for table in sorted(set(insp.get_table_names()) - IGNORED_TABLES):
        cols = {
            c["name"]: (c["type"].compile(dialect=conn.dialect), bool(c["nullable"]))
            for c in insp.get_columns(table)
        }
        pk = tuple(insp.get_pk_constraint(table)["constrained_columns"])
        fks = sorted(
            (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
            for f in insp.get_foreign_keys(table)
        )
        uniques = {tuple(u["column_names"]) for u in insp.get_unique_constraints(table)}
        indexes = set()
        for ix in insp.get_indexes(table):
            if ix.get("unique"):
                uniques.add(tuple(ix["column_names"]))
            elif ix.get("name") is not None:
                indexes.add((ix["name"], tuple(ix["column_names"])))
        out[table] = {
            "columns": cols,
            "primary_key": pk,
            "foreign_keys": fks,
            "unique": sorted(uniques),
            "indexes": sorted(indexes),
        }
    return out


def diff(actual: dict[str, dict[str, object]], expected: dict[str, dict[str, object]]) -> list[str]:
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
                out.append(f"{t}.{c}: is {ac[c]}, expected {ec[c]}")
        for key in ("primary_key", "foreign_keys", "unique", "indexes"):
            if a[key] != e[key]:
                out.append(f"{t}: {key} is {a[key]}, expected {e[key]}")
    return out
