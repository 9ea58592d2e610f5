"""1.3.0: project metadata replaces ``project.public``; insecure replication targets.

As Harbor's ``migration_harbor/versions/1_3_0.py`` and changelog.md 1.3.0: create
``project_metadata`` and fill it with one ``public`` row per project (``'true'`` or
``'false'``, from ``project.public``), drop ``project.public``, add
``replication_target.insecure tinyint(1) NOT NULL DEFAULT 0``. (Harbor's revision also widens
``user.username`` for databases made by 1.2.0-rc1; our 1.2.0 already did.) The runner can
inject a failure between filling the new table and dropping the old column, to show what a
failure halfway leaves behind.
"""

import sqlalchemy as sa
from alembic import context, op

from infranotes.migrations.columns import flag, times

revision = "1.3.0"
down_revision = "1.2.0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    d = op.get_context().dialect.name
    meta = op.create_table(
        "project_metadata",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("value", sa.String(255)),
        *times(d),
        flag("deleted"),
        sa.UniqueConstraint("project_id", "name", name="unique_project_id_and_name"),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.project_id"], name="project_metadata_ibfk_1"
        ),
    )
    project = sa.table(
        "project",
        sa.column("project_id", sa.Integer),
        sa.column("public", sa.Boolean),
    )
    public = sa.case((project.c.public, sa.literal("true")), else_=sa.literal("false"))
    rows = sa.select(
        project.c.project_id,
        sa.literal("public"),
        public,
    ).order_by(project.c.project_id)
    # Harbor's rows take their times and ``deleted`` from the column defaults (now, 0).
    cols = ["project_id", "name", "value"]
    op.execute(sa.insert(meta).from_select(cols, rows))
    if context.config.attributes.get("fail_in") == revision:
        raise RuntimeError(
            "injected failure in 1.3.0, after filling project_metadata, before dropping "
            "project.public"
        )
    with op.batch_alter_table("project") as b:
        b.drop_column("public")
    with op.batch_alter_table("replication_target") as b:
        b.add_column(flag("insecure"))


def downgrade() -> None:
    raise NotImplementedError("Harbor's migrations cannot be downgraded: restore the backup")
