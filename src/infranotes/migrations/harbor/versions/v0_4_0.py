"""0.4.0: the schema of Harbor 0.4 and 0.5 (the oldest revision of this chain).

Harbor 0.5.0 shipped schema 0.4.0 unchanged. Tables and columns follow Harbor's
``registry.sql`` of that era and ``tools/migration/db/changelog.md``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0.4.0"
down_revision = None
branch_labels = None
depends_on = None


def _times() -> list[sa.Column]:
    return [
        sa.Column("creation_time", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")),
        sa.Column("update_time", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")),
    ]


def upgrade() -> None:
    access = op.create_table(
        "access",
        sa.Column("access_id", sa.Integer, primary_key=True),
        sa.Column("access_code", sa.String(1)),
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
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("reset_uuid", sa.String(40)),
        sa.Column("salt", sa.String(40)),
        sa.Column("sysadmin_flag", sa.Boolean, nullable=False, server_default=sa.false()),
        *_times(),
    )
    op.create_table(
        "project",
        sa.Column("project_id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(41), nullable=False, unique=True),
        *_times(),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("public", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(["owner_id"], ["user.user_id"], name="fk_project_owner"),
    )
    op.create_table(
        "project_member",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("role", sa.Integer, nullable=False),
        *_times(),
        sa.PrimaryKeyConstraint("project_id", "user_id"),
        sa.ForeignKeyConstraint(["project_id"], ["project.project_id"], name="fk_pm_project"),
        sa.ForeignKeyConstraint(["user_id"], ["user.user_id"], name="fk_pm_user"),
        sa.ForeignKeyConstraint(["role"], ["role.role_id"], name="fk_pm_role"),
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
        sa.Column("op_time", sa.DateTime),
        sa.ForeignKeyConstraint(["user_id"], ["user.user_id"], name="fk_access_log_user"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.project_id"], name="fk_access_log_project"
        ),
        sa.Index("pid_optime", "project_id", "op_time"),
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
        *_times(),
    )
    op.create_table(
        "replication_target",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64)),
        sa.Column("url", sa.String(64)),
        sa.Column("username", sa.String(40)),
        sa.Column("password", sa.String(128)),
        sa.Column("target_type", sa.Integer, nullable=False, server_default="0"),
        *_times(),
    )
    op.create_table(
        "replication_policy",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(256)),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("target_id", sa.Integer, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("description", sa.Text),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("cron_str", sa.String(256)),
        sa.Column("start_time", sa.DateTime),
        *_times(),
    )
    op.create_table(
        "replication_job",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(64), nullable=False),
        sa.Column("policy_id", sa.Integer, nullable=False),
        sa.Column("repository", sa.String(256), nullable=False),
        sa.Column("operation", sa.String(64), nullable=False),
        sa.Column("tags", sa.Text),
        *_times(),
        sa.Index("poid_uptime", "policy_id", "update_time"),
    )
    op.create_table(
        "properties",
        sa.Column("k", sa.String(64), primary_key=True),
        sa.Column("v", sa.String(128), nullable=False),
    )
    # Reference rows every Harbor database starts with (registry.sql).
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
