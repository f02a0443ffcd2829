"""Alembic migrations that own the database schema (run programmatically by ``core.db``)."""
