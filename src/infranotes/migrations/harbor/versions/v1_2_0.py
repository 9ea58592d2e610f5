"""1.2.0: access logs keep the username instead of a user id; image scanning tables.

changelog.md 1.2.0: drop ``repository.owner_id``; drop ``access_log.user_id`` and its foreign
keys, add ``access_log.username`` (backfilled here from ``user``); widen ``user.realname``;
create ``img_scan_job``, ``img_scan_overview`` and ``clair_vuln_timestamp``.
"""

import sqlalchemy as sa
from alembic import op

revision = "1.2.0"
down_revision = "0.4.0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("repository") as b:
        b.drop_column("owner_id")
    with op.batch_alter_table("access_log") as b:
        b.add_column(sa.Column("username", sa.String(32)))
    log = sa.table("access_log", sa.column("user_id", sa.Integer), sa.column("username"))
    user = sa.table("user", sa.column("user_id", sa.Integer), sa.column("username"))
    name = sa.select(user.c.username).where(user.c.user_id == log.c.user_id).scalar_subquery()
    op.execute(log.update().values(username=name))  # data-preserving: who did it stays known
    with op.batch_alter_table("access_log") as b:
        b.drop_constraint("fk_access_log_user", type_="foreignkey")
        b.drop_constraint("fk_access_log_project", type_="foreignkey")
        b.drop_column("user_id")
    with op.batch_alter_table("user") as b:
        b.alter_column(
            "realname", type_=sa.String(255), existing_type=sa.String(20), existing_nullable=False
        )
    op.create_table(
        "img_scan_job",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(64), nullable=False),
        sa.Column("repository", sa.String(256), nullable=False),
        sa.Column("tag", sa.String(128), nullable=False),
        sa.Column("digest", sa.String(128)),
        sa.Column("creation_time", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")),
        sa.Column("update_time", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")),
    )
    op.create_table(
        "img_scan_overview",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("image_digest", sa.String(128), nullable=False, unique=True),
        sa.Column("scan_job_id", sa.Integer, nullable=False),
        sa.Column("severity", sa.Integer, nullable=False, server_default="0"),
        sa.Column("components_overview", sa.String(2048)),
        sa.Column("details_key", sa.String(128)),
        sa.Column("creation_time", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")),
        sa.Column("update_time", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP")),
    )
    op.create_table(
        "clair_vuln_timestamp",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("namespace", sa.String(128), nullable=False, unique=True),
        sa.Column("last_update", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("Harbor's migrations cannot be downgraded: restore the backup")
