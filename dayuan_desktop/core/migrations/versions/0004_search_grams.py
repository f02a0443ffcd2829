"""Search index by article id (one FTS5 table of character, pair and trigram-bucket sets),
no stored copy of the text; indexes for one channel's article list.

SQLite: ``search_uni``, ``search_bi`` (rowid = sort key) and ``search_docs.packed`` (the
compressed text) give way to ``search_grams`` (rowid = article id) and ``search_docs``
holding a hash of each article's indexed text. The index is refilled by the store when it
finds the format marker gone (see ``core.search.SEARCH_FORMAT`` and
``Store.ensure_search_index``), as after 0002.

Both dialects: a one-channel list counted its live articles by reading each row; the
(channel_id, deleted_at, updated_at/published_at) indexes answer count and page from the
index. They start with channel_id, so the single-column channel index is dropped. Search
walks live articles newest first over a partial index of their sort keys.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_uni")
        op.execute("DROP TABLE search_bi")
        op.drop_table("search_docs")
        op.create_table(
            "search_docs",
            sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("text_hash", sa.BigInteger(), nullable=False),
        )
        op.execute(
            "CREATE VIRTUAL TABLE search_grams USING fts5(t, content='', columnsize=0, detail=none, "
            "tokenize='unicode61 remove_diacritics 0')"
        )
    op.execute("DELETE FROM app_meta WHERE key = 'search_format'")
    op.create_index("ix_articles_channel_live_updated", "articles", ["channel_id", "deleted_at", "updated_at"])
    op.create_index("ix_articles_channel_live_published", "articles", ["channel_id", "deleted_at", "published_at"])
    op.drop_index("ix_articles_channel_id", "articles")
    # Search walks the live articles newest first; without deleted_at in the index every
    # step would read the article row to check it.
    op.create_index(
        "ix_articles_live_sort_key", "articles", ["sort_key"],
        sqlite_where=sa.text("deleted_at IS NULL"), postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_articles_live_sort_key", "articles")
    op.create_index("ix_articles_channel_id", "articles", ["channel_id"])
    op.drop_index("ix_articles_channel_live_published", "articles")
    op.drop_index("ix_articles_channel_live_updated", "articles")
    op.execute("DELETE FROM app_meta WHERE key = 'search_format'")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_grams")
        op.drop_table("search_docs")
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
