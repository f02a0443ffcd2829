"""SQLite: a marker that moves whenever anything an export reads changes (issue 20).

``app_meta['export_inputs']`` holds a random token that triggers on every table the export
reads replace on each inserted, updated or deleted row. An export records the token it
started from; the next export, finding the same token (and the same templates, output files
and options), knows with the sqlite3 module alone that it has nothing to do
(``core.export.quick_export``). A random token, not a counter: a restored backup or a
downgrade and upgrade never brings back a value that once meant other content (the
downgrade drops the marker; the upgrade makes a fresh one). PostgreSQL takes the usual path
and gets nothing.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

KEY = "export_inputs"  # core.markers.EXPORT_INPUTS_KEY
# What plan.py reads: articles and their channels, tags, photos and links, redirects, and
# app_meta (site settings). Not revisions, leases or sync bases: no export reads them.
_TABLES = ("articles", "channels", "tags", "article_tags", "photos", "article_photos", "article_redirects",
           "app_meta")
_NEW_TOKEN = f"UPDATE app_meta SET value = lower(hex(randomblob(16))) WHERE key = '{KEY}'"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"DELETE FROM app_meta WHERE key = '{KEY}'")
    op.execute(f"INSERT INTO app_meta (key, value) VALUES ('{KEY}', lower(hex(randomblob(16))))")
    for table in _TABLES:
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            # The marker's own row is the one app_meta row that does not move it.
            when = f" WHEN {row}.key <> '{KEY}'" if table == "app_meta" else ""
            op.execute(f"CREATE TRIGGER {table}_export_inputs_{event.lower()} AFTER {event} ON {table}{when} "
                       f"BEGIN {_NEW_TOKEN}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in _TABLES:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_export_inputs_{event}")
    op.execute(f"DELETE FROM app_meta WHERE key = '{KEY}'")
