"""Alembic environment: always run from ``core.db`` with an open connection, never from a CLI."""

from alembic import context

from dayuan_desktop.core.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
