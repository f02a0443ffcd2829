"""PostgreSQL: a notice on channel ``dayuan_changes`` whenever articles, channels or leases change.

Windows on a shared server LISTEN for it and poll at once instead of at their next 2-second
tick (``core.live_notices``). Statement-level triggers: one bulk statement sends one notice,
and PostgreSQL folds equal notices of one transaction into one, delivered at commit. SQLite has
no such thing; its windows keep the poll alone.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TABLES = ("articles", "channels", "article_leases")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION dayuan_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN PERFORM pg_notify('dayuan_changes', TG_TABLE_NAME); RETURN NULL; END $$"
    )
    for table in _TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_change_notice AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION dayuan_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_change_notice ON {table}")
    op.execute("DROP FUNCTION IF EXISTS dayuan_notify_change()")
