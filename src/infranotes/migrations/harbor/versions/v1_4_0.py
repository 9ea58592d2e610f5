"""1.4.0: replication filters and triggers; ``properties`` gets an id; longer project names.

As Harbor's ``migration_harbor/versions/1_4_0.py`` and changelog.md 1.4.0: widen
``project.name`` to 255 characters (the changelog says 256; the revision and 1.5's
``registry.sql`` say 255); add ``replication_policy.filters`` and ``replicate_deletion``;
create ``replication_immediate_trigger``; move every policy to the new trigger model — an
enabled policy becomes ``{"kind":"Immediate"}`` with one immediate trigger on its project
(on push and on deletion), a disabled one becomes an enabled ``{"kind":"Manual"}`` policy;
give ``properties`` an ``id`` primary key with ``k`` kept unique (``uq_properties_k``),
rebuilt here as a new table the rows are copied into in ``k`` order, the order InnoDB
numbers them in when Harbor adds the ``AUTO_INCREMENT`` column to a table keyed on ``k``.
"""

import sqlalchemy as sa
from alembic import op

from infranotes.migrations.columns import flag, times

revision = "1.4.0"
down_revision = "1.3.0"
branch_labels = None
depends_on = None

IMMEDIATE = '{"kind":"Immediate"}'
MANUAL = '{"kind":"Manual"}'


def upgrade() -> None:
    d = op.get_context().dialect.name
    with op.batch_alter_table("project") as b:
        b.alter_column(
            "name", type_=sa.String(255), existing_type=sa.String(41), existing_nullable=False
        )
    with op.batch_alter_table("replication_policy") as b:
        b.add_column(sa.Column("filters", sa.String(1024)))
        b.add_column(flag("replicate_deletion"))
    trigger = op.create_table(
        "replication_immediate_trigger",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("policy_id", sa.Integer, nullable=False),
        sa.Column("namespace", sa.String(256), nullable=False),
        flag("on_push"),
        flag("on_deletion"),
        *times(d),
    )
    policy = sa.table(
        "replication_policy",
        sa.column("id", sa.Integer),
        sa.column("project_id", sa.Integer),
        sa.column("enabled", sa.Boolean),
        sa.column("cron_str", sa.String),
    )
    project = sa.table("project", sa.column("project_id", sa.Integer), sa.column("name"))
    enabled = policy.c.enabled == sa.true()
    op.execute(policy.update().where(enabled).values(cron_str=IMMEDIATE))
    triggers = (
        sa.select(policy.c.id, project.c.name, sa.true(), sa.true())
        .join_from(policy, project, project.c.project_id == policy.c.project_id)
        .where(enabled)
        .order_by(policy.c.id)
    )
    cols = ["policy_id", "namespace", "on_push", "on_deletion"]
    op.execute(sa.insert(trigger).from_select(cols, triggers))
    op.execute(
        policy.update()
        .where(policy.c.enabled == sa.false())
        .values(enabled=sa.true(), cron_str=MANUAL)
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


def downgrade() -> None:
    raise NotImplementedError("Harbor's migrations cannot be downgraded: restore the backup")
