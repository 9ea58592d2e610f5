"""0.4.0: the schema of Harbor 0.4 and 0.5 (the oldest revision of this chain).

Harbor 0.5.0 shipped schema 0.4.0 unchanged: this revision re-expresses its MySQL
``registry.sql`` (the version that records ``alembic_version`` 0.4.0) table by table — types
(``char(1)``, ``tinyint(1)``, ``timestamp``, ``varchar(16384)``), defaults, keys and indexes,
with foreign keys given the names MySQL gives Harbor's unnamed ones (``access_log_ibfk_1``…),
so that a later revision can drop them on a real Harbor database too.
"""

import sqlalchemy as sa
from alembic import op

from infranotes.migrations.columns import bare_times, flag, times

revision = "0.4.0"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    d = op.get_context().dialect.name
    access = op.create_table(
        "access",
        sa.Column("access_id", sa.Integer, primary_key=True),
        sa.Column("access_code", sa.CHAR(1)),
        sa.Column("comment", sa.String(30)),
    )
    role = op.create_table(
        "role",
        sa.Column("role_id", sa.Integer, primary_key=True),
        sa.Column("role_mask", sa.Integer, nullable=False, server_default="0"),
        sa.Column("role_code", sa.String(20)),
        sa.Column("name", sa.String(20)),
    )
    op.create_table(
        "user",
        sa.Column("user_id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(32), unique=True),
        sa.Column("email", sa.String(255), unique=True),
        sa.Column("password", sa.String(40), nullable=False),
        sa.Column("realname", sa.String(20), nullable=False),
        sa.Column("comment", sa.String(30)),
        flag("deleted"),
        sa.Column("reset_uuid", sa.String(40)),
        sa.Column("salt", sa.String(40)),
        flag("sysadmin_flag", default=None, nullable=True),
        *bare_times(),
    )
    op.create_table(
        "project",
        sa.Column("project_id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(41), nullable=False, unique=True),
        *bare_times(),
        flag("deleted"),
        flag("public"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.user_id"], name="project_ibfk_1"),
    )
    op.create_table(
        "project_member",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("role", sa.Integer, nullable=False),
        *bare_times(),
        sa.PrimaryKeyConstraint("project_id", "user_id"),
        sa.ForeignKeyConstraint(["role"], ["role.role_id"], name="project_member_ibfk_1"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.project_id"], name="project_member_ibfk_2"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.user_id"], name="project_member_ibfk_3"),
    )
    op.create_table(
        "access_log",
        sa.Column("log_id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("repo_name", sa.String(256)),
        sa.Column("repo_tag", sa.String(128)),
        sa.Column("GUID", sa.String(64)),
        sa.Column("operation", sa.String(20), nullable=False),
        sa.Column("op_time", sa.TIMESTAMP),
        sa.Index("pid_optime", "project_id", "op_time"),
        sa.ForeignKeyConstraint(["user_id"], ["user.user_id"], name="access_log_ibfk_1"),
        sa.ForeignKeyConstraint(["project_id"], ["project.project_id"], name="access_log_ibfk_2"),
    )
    op.create_table(
        "repository",
        sa.Column("repository_id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, unique=True),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("owner_id", sa.Integer, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("pull_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("star_count", sa.Integer, nullable=False, server_default="0"),
        *times(d),
    )
    op.create_table(
        "replication_policy",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(256)),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("target_id", sa.Integer, nullable=False),
        flag("enabled", default=True),
        sa.Column("description", sa.Text),
        flag("deleted"),
        sa.Column("cron_str", sa.String(256)),
        sa.Column("start_time", sa.TIMESTAMP),
        *times(d),
    )
    op.create_table(
        "replication_target",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64)),
        sa.Column("url", sa.String(64)),
        sa.Column("username", sa.String(40)),
        sa.Column("password", sa.String(128)),
        # 0: another Harbor, 1: a plain registry (a tinyint(1) in registry.sql)
        flag("target_type"),
        *times(d),
    )
    op.create_table(
        "replication_job",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(64), nullable=False),
        sa.Column("policy_id", sa.Integer, nullable=False),
        sa.Column("repository", sa.String(256), nullable=False),
        sa.Column("operation", sa.String(64), nullable=False),
        sa.Column("tags", sa.String(16384)),
        *times(d),
        sa.Index("policy", "policy_id"),
        sa.Index("poid_uptime", "policy_id", "update_time"),
    )
    op.create_table(
        "properties",
        sa.Column("k", sa.String(64), primary_key=True),
        sa.Column("v", sa.String(128), nullable=False),
    )
    # The reference rows every Harbor database starts with (registry.sql); its admin and
    # anonymous users and the "library" project are an installation's data, not the schema's.
    op.bulk_insert(
        access,
        [
            {"access_id": 1, "access_code": "M", "comment": "Management access for project"},
            {"access_id": 2, "access_code": "R", "comment": "Read access for project"},
            {"access_id": 3, "access_code": "W", "comment": "Write access for project"},
            {"access_id": 4, "access_code": "D", "comment": "Delete access for project"},
            {"access_id": 5, "access_code": "S", "comment": "Search access for project"},
        ],
    )
    op.bulk_insert(
        role,
        [
            {"role_id": 1, "role_mask": 0, "role_code": "MDRWS", "name": "projectAdmin"},
            {"role_id": 2, "role_mask": 0, "role_code": "RWS", "name": "developer"},
            {"role_id": 3, "role_mask": 0, "role_code": "RS", "name": "guest"},
        ],
    )


def downgrade() -> None:
    raise NotImplementedError("Harbor's migrations cannot be downgraded: restore the backup")
