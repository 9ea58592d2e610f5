"""1.5.0: labels, user groups, and project members that can be users or groups.

changelog.md 1.5.0: create ``harbor_label``, ``harbor_resource_label`` and ``user_group``;
``project_member`` gets an ``id`` primary key and ``entity_id``/``entity_type`` (``u`` for
a user, ``g`` for a group) in place of ``user_id`` (every row is copied, as a user); add
``job_uuid`` to ``replication_job`` and ``img_scan_job``.
"""

import sqlalchemy as sa
from alembic import op

revision = "1.5.0"
down_revision = "1.4.0"
branch_labels = None
depends_on = None

NOW = sa.text("CURRENT_TIMESTAMP")


def upgrade() -> None:
    op.create_table(
        "harbor_label",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("color", sa.String(16)),
        sa.Column("level", sa.String(1), nullable=False),
        sa.Column("scope", sa.String(1), nullable=False),
        sa.Column("project_id", sa.Integer),
        sa.Column("creation_time", sa.DateTime, server_default=NOW),
        sa.Column("update_time", sa.DateTime, server_default=NOW),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("name", "scope", "project_id", name="unique_label"),
    )
    op.create_table(
        "harbor_resource_label",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label_id", sa.Integer, nullable=False),
        sa.Column("resource_id", sa.Integer),
        sa.Column("resource_name", sa.String(256)),
        sa.Column("resource_type", sa.String(1), nullable=False),
        sa.Column("creation_time", sa.DateTime, server_default=NOW),
        sa.Column("update_time", sa.DateTime, server_default=NOW),
        sa.UniqueConstraint(
            "label_id",
            "resource_id",
            "resource_name",
            "resource_type",
            name="unique_label_resource",
        ),
    )
    op.create_table(
        "user_group",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("group_name", sa.String(255), nullable=False),
        sa.Column("group_type", sa.Integer, server_default="0"),
        sa.Column("ldap_group_dn", sa.String(512), nullable=False),
        sa.Column("creation_time", sa.DateTime, server_default=NOW),
        sa.Column("update_time", sa.DateTime, server_default=NOW),
    )
    new = op.create_table(
        "project_member_new",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("entity_id", sa.Integer, nullable=False),
        sa.Column("entity_type", sa.String(1), nullable=False),
        sa.Column("role", sa.Integer, nullable=False),
        sa.Column("creation_time", sa.DateTime, server_default=NOW),
        sa.Column("update_time", sa.DateTime, server_default=NOW),
        sa.UniqueConstraint(
            "project_id", "entity_id", "entity_type", name="unique_project_entity_type"
        ),
        sa.ForeignKeyConstraint(["project_id"], ["project.project_id"], name="fk_member_project"),
        sa.ForeignKeyConstraint(["role"], ["role.role_id"], name="fk_member_role"),
    )
    old = sa.table(
        "project_member",
        sa.column("project_id"),
        sa.column("user_id"),
        sa.column("role"),
        sa.column("creation_time"),
        sa.column("update_time"),
    )
    rows = sa.select(
        old.c.project_id,
        old.c.user_id,
        sa.literal("u"),
        old.c.role,
        old.c.creation_time,
        old.c.update_time,
    ).order_by(old.c.project_id, old.c.user_id)
    cols = ["project_id", "entity_id", "entity_type", "role", "creation_time", "update_time"]
    op.execute(sa.insert(new).from_select(cols, rows))
    op.drop_table("project_member")
    op.rename_table("project_member_new", "project_member")
    for table in ("replication_job", "img_scan_job"):
        with op.batch_alter_table(table) as b:
            b.add_column(sa.Column("job_uuid", sa.String(64)))


def downgrade() -> None:
    raise NotImplementedError("Harbor's migrations cannot be downgraded: restore the backup")
