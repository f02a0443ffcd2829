"""Search index: FTS5 character and pair sets on SQLite, pg_trgm on PostgreSQL.

The index is filled by the store when it finds the index format out of date (see
``core.search.SEARCH_FORMAT``), so this migration only creates the structures.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.create_table(
            "search_docs",
            sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("fts_rowid", sa.BigInteger(), nullable=False),
            sa.Column("packed", sa.LargeBinary(), nullable=False),
        )
        for table in ("search_uni", "search_bi"):
            op.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5(t, content='', columnsize=0, detail=none, "
                "tokenize='unicode61 remove_diacritics 0')"
            )
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_table(
            "search_docs",
            sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("content", sa.Text(), nullable=False),
        )
        op.execute("CREATE INDEX ix_search_docs_content_trgm ON search_docs USING gin (content gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_uni")
        op.execute("DROP TABLE search_bi")
    op.drop_table("search_docs")
