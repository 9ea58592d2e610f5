"""1.4.0: replication filters and triggers; ``properties`` gets an id; longer project names.

changelog.md 1.4.0: add ``replication_policy.filters`` and ``replicate_deletion``; create
``replication_immediate_trigger``; give ``properties`` a primary key ``id`` with ``k`` kept
unique (rebuilt here as a new table the rows are copied into); widen ``project.name`` from
41 to 256 characters.
"""

import sqlalchemy as sa
from alembic import op

revision = "1.4.0"
down_revision = "1.3.0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("replication_policy") as b:
        b.add_column(sa.Column("filters", sa.String(1024)))
        b.add_column(
            sa.Column("replicate_deletion", sa.Boolean, nullable=False, server_default=sa.false())
        )
    op.create_table(
        "replication_immediate_trigger",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("policy_id", sa.Integer, nullable=False),
        sa.Column("namespace", sa.String(256), nullable=False),
        sa.Column("on_push", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("on_deletion", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("creation_time", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")),
        sa.Column("update_time", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")),
    )
    new = op.create_table(
        "properties_new",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("k", sa.String(64), nullable=False),
        sa.Column("v", sa.String(128), nullable=False),
        sa.UniqueConstraint("k", name="uq_properties_k"),
    )
    old = sa.table("properties", sa.column("k"), sa.column("v"))
    op.execute(
        sa.insert(new).from_select(["k", "v"], sa.select(old.c.k, old.c.v).order_by(old.c.k))
    )
    op.drop_table("properties")
    op.rename_table("properties_new", "properties")
    with op.batch_alter_table("project") as b:
        b.alter_column(
            "name", type_=sa.String(256), existing_type=sa.String(41), existing_nullable=False
        )


def downgrade() -> None:
    raise NotImplementedError("Harbor's migrations cannot be downgraded: restore the backup")
