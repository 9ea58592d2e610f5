"""alembic environment of the Harbor-style chain, driven by infranotes.migrations.runner.

Online, the runner hands over an open connection in ``config.attributes["connection"]``;
offline (``--sql``), only a dialect name, and the SQL goes to the runner's buffer. Each
revision runs in a transaction of its own, so what a failure leaves behind depends on whether
the engine's DDL is transactional (PostgreSQL, SQLite) or not (MySQL/MariaDB).
"""

from alembic import context

config = context.config

if context.is_offline_mode():
    context.configure(
        dialect_name=config.attributes["dialect"],
        literal_binds=True,
        transaction_per_migration=True,
        output_buffer=config.attributes["output"],
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes["connection"]
    context.configure(connection=connection, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
