"""Upgrading a Harbor-style schema with alembic: the version chain 0.4.0 (Harbor 0.5) to
1.5.0, a runner for any database URL, seed data, and the MariaDB/PostgreSQL labs."""
