"""1.3.0: project metadata replaces ``project.public``; insecure replication targets.

changelog.md 1.3.0: create ``project_metadata`` and fill it (here: one ``public`` row per
project, from ``project.public``), drop ``project.public``, add
``replication_target.insecure``. The runner can inject a failure between filling the new
table and dropping the old column, to show what a failure halfway leaves behind.
"""

import sqlalchemy as sa
from alembic import context, op

revision = "1.3.0"
down_revision = "1.2.0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    meta = op.create_table(
        "project_metadata",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("value", sa.String(255)),
        sa.Column("creation_time", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")),
        sa.Column("update_time", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("project_id", "name", name="unique_project_id_and_name"),
        sa.ForeignKeyConstraint(["project_id"], ["project.project_id"], name="fk_pmeta_project"),
    )
    project = sa.table(
        "project",
        sa.column("project_id", sa.Integer),
        sa.column("public", sa.Boolean),
        sa.column("creation_time", sa.DateTime),
        sa.column("update_time", sa.DateTime),
    )
    public = sa.case((project.c.public, sa.literal("true")), else_=sa.literal("false"))
    rows = sa.select(
        project.c.project_id,
        sa.literal("public"),
        public,
        project.c.creation_time,
        project.c.update_time,
        sa.false(),
    ).order_by(project.c.project_id)
    cols = ["project_id", "name", "value", "creation_time", "update_time", "deleted"]
    op.execute(sa.insert(meta).from_select(cols, rows))
    if context.config.attributes.get("fail_in") == revision:
        raise RuntimeError(
            "injected failure in 1.3.0, after filling project_metadata, before dropping "
            "project.public"
        )
    with op.batch_alter_table("project") as b:
        b.drop_column("public")
    with op.batch_alter_table("replication_target") as b:
        b.add_column(sa.Column("insecure", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    raise NotImplementedError("Harbor's migrations cannot be downgraded: restore the backup")
