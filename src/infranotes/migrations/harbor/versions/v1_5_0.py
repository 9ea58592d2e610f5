"""1.5.0: labels, user groups, and project members that can be users or groups.

As Harbor's ``migration_harbor/versions/1_5_0.py`` and changelog.md 1.5.0, with the tables
in the form 1.5's ``registry.sql`` creates them: create ``harbor_label``,
``harbor_resource_label`` and ``user_group``; ``project_member`` loses its composite key and
its three foreign keys, gets an ``id`` primary key, ``entity_id`` in place of ``user_id`` and
``entity_type char(1)`` (``u`` for a user, ``g`` for a group; every existing row is a
user), unique per (project, entity, type) — rebuilt here as a new table the rows are copied
into; add ``job_uuid`` to ``replication_job`` and ``img_scan_job``; add the indexes Harbor's
revision adds (``poid_status``, ``idx_status``, ``idx_digest``, ``idx_uuid``,
``idx_repository_tag``), which 1.5's ``registry.sql`` does not create.
"""

import sqlalchemy as sa
from alembic import op

from infranotes.migrations.columns import times

revision = "1.5.0"
down_revision = "1.4.0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    d = op.get_context().dialect.name
    op.create_table(
        "harbor_label",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("color", sa.String(16)),
        sa.Column("level", sa.CHAR(1), nullable=False),  # s: system, u: user
        sa.Column("scope", sa.CHAR(1), nullable=False),  # g: global, p: project
        sa.Column("project_id", sa.Integer),
        *times(d),
        sa.UniqueConstraint("name", "scope", name="unique_name_and_scope"),
    )
    op.create_table(
        "harbor_resource_label",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label_id", sa.Integer, nullable=False),
        sa.Column("resource_id", sa.Integer),
        sa.Column("resource_name", sa.String(256)),
        sa.Column("resource_type", sa.CHAR(1), nullable=False),  # p, r or i (image)
        *times(d),
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
        *times(d),
    )
    new = op.create_table(
        "project_member_new",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("entity_id", sa.Integer, nullable=False),
        sa.Column("entity_type", sa.CHAR(1), nullable=False),
        sa.Column("role", sa.Integer, nullable=False),
        *times(d),
        sa.UniqueConstraint(
            "project_id", "entity_id", "entity_type", name="unique_project_entity_type"
        ),
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
    op.create_index("poid_status", "replication_job", ["policy_id", "status"])
    op.create_index("idx_status", "img_scan_job", ["status"])
    op.create_index("idx_digest", "img_scan_job", ["digest"])
    op.create_index("idx_uuid", "img_scan_job", ["job_uuid"])
    op.create_index("idx_repository_tag", "img_scan_job", ["repository", "tag"])


def downgrade() -> None:
    raise NotImplementedError("Harbor's migrations cannot be downgraded: restore the backup")
