"""1.2.0: access logs keep the username instead of a user id; longer names; image scanning.

As Harbor's ``migration_harbor/versions/1_2_0.py`` and changelog.md 1.2.0: widen
``user.realname`` (20 → 255), ``user.username`` (32 → 255) and
``replication_target.username`` (40 → 255); drop ``access_log``'s two foreign keys; add
``access_log.username varchar(255) NOT NULL``, filled with each row's user's name (``''``
where the user no longer exists, as Harbor's ``""`` initialisation leaves it); drop
``access_log.user_id`` and ``repository.owner_id``; create ``img_scan_job``,
``img_scan_overview`` and ``clair_vuln_timestamp``.
"""

import sqlalchemy as sa
from alembic import op

from infranotes.migrations.columns import times

revision = "1.2.0"
down_revision = "0.4.0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    d = op.get_context().dialect.name
    with op.batch_alter_table("user") as b:
        b.alter_column(
            "realname", type_=sa.String(255), existing_type=sa.String(20), existing_nullable=False
        )
        b.alter_column("username", type_=sa.String(255), existing_type=sa.String(32))
    with op.batch_alter_table("replication_target") as b:
        b.alter_column("username", type_=sa.String(255), existing_type=sa.String(40))
    with op.batch_alter_table("access_log") as b:
        b.drop_constraint("access_log_ibfk_1", type_="foreignkey")
        b.drop_constraint("access_log_ibfk_2", type_="foreignkey")
        b.add_column(sa.Column("username", sa.String(255)))
    log = sa.table("access_log", sa.column("user_id", sa.Integer), sa.column("username"))
    user = sa.table("user", sa.column("user_id", sa.Integer), sa.column("username"))
    name = sa.select(user.c.username).where(user.c.user_id == log.c.user_id).scalar_subquery()
    op.execute(log.update().values(username=sa.func.coalesce(name, "")))
    with op.batch_alter_table("access_log") as b:
        b.alter_column(
            "username", existing_type=sa.String(255), existing_nullable=True, nullable=False
        )
        b.drop_column("user_id")
    with op.batch_alter_table("repository") as b:
        b.drop_column("owner_id")
    op.create_table(
        "img_scan_job",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(64), nullable=False),
        sa.Column("repository", sa.String(256), nullable=False),
        sa.Column("tag", sa.String(128), nullable=False),
        sa.Column("digest", sa.String(128)),
        *times(d),
    )
    op.create_table(
        "img_scan_overview",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("image_digest", sa.String(128), nullable=False, unique=True),
        sa.Column("scan_job_id", sa.Integer, nullable=False),
        sa.Column("severity", sa.Integer, nullable=False, server_default="0"),
        sa.Column("components_overview", sa.String(2048)),
        sa.Column("details_key", sa.String(128)),
        *times(d),
    )
    op.create_table(
        "clair_vuln_timestamp",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("namespace", sa.String(128), nullable=False, unique=True),
        sa.Column("last_update", sa.TIMESTAMP, nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("Harbor's migrations cannot be downgraded: restore the backup")
