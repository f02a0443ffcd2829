"""Initial schema: channels, tags, articles, photos, revisions, app metadata.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from dayuan_desktop.core.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Same tables, in the same order, as when this migration was first written: only split in parts.
    _create_metadata_channels_and_tags()
    _create_articles()
    _create_photos_and_revisions()


def _create_metadata_channels_and_tags() -> None:
    op.create_table(
        "app_meta",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "channels",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("path", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("channels.id", ondelete="RESTRICT")),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.UniqueConstraint("path", name="uq_channels_path"),
    )
    op.create_index("ix_channels_parent_id", "channels", ["parent_id"])
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.UniqueConstraint("name", name="uq_tags_name"),
    )


def _create_articles() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("number", sa.Integer()),
        sa.Column("channel_id", sa.Integer(), sa.ForeignKey("channels.id", ondelete="RESTRICT")),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("subtitle", sa.String(500), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("published_at", UTCDateTime()),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("comment_count", sa.Integer(), nullable=False),
        sa.Column("like_count", sa.Integer(), nullable=False),
        sa.Column("view_count", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("deleted_at", UTCDateTime()),
        sa.Column("sort_key", sa.BigInteger(), nullable=False),
        # Long values last: SQLite keeps them in overflow pages, and a column stored after them
        # could only be read by loading them too (lists and the export read many rows).
        sa.Column("body", sa.Text(), nullable=False),
        sa.UniqueConstraint("uuid", name="uq_articles_uuid"),
        sa.UniqueConstraint("number", name="uq_articles_number"),
    )
    op.create_index("ix_articles_channel_id", "articles", ["channel_id"])
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_index("ix_articles_status", "articles", ["status"])
    op.create_index("ix_articles_updated_at", "articles", ["updated_at"])
    op.create_index("ix_articles_deleted_at", "articles", ["deleted_at"])
    op.create_index("ix_articles_sort_key", "articles", ["sort_key"])
    op.create_index("ix_articles_status_updated", "articles", ["status", "updated_at"])
    op.create_index("ix_articles_channel_published", "articles", ["channel_id", "published_at"])
    op.create_table(
        "article_tags",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag_id", sa.Integer(), sa.ForeignKey("tags.id", ondelete="RESTRICT"), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_index("ix_article_tags_tag_id", "article_tags", ["tag_id"])


def _create_photos_and_revisions() -> None:
    op.create_table(
        "photos",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("byte_size", sa.BigInteger(), nullable=False),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("taken_at", UTCDateTime()),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("photographer", sa.String(200), nullable=False),
        sa.Column("credit", sa.String(200), nullable=False),
        sa.Column("copyright", sa.String(500), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("original_name", sa.String(500), nullable=False),
        sa.Column("web_name", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),  # last, like articles.body
        sa.UniqueConstraint("sha256", name="uq_photos_sha256"),
    )
    op.create_table(
        "article_photos",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("photo_id", sa.Integer(), sa.ForeignKey("photos.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_lead", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("article_id", "photo_id", name="uq_article_photos_article_id"),
    )
    op.create_index("ix_article_photos_article_id", "article_photos", ["article_id"])
    op.create_index("ix_article_photos_photo_id", "article_photos", ["photo_id"])
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("article_version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
    )
    op.create_index("ix_revisions_article_created", "revisions", ["article_id", "created_at"])


def downgrade() -> None:
    for table in ("revisions", "article_photos", "photos", "article_tags", "articles", "tags", "channels", "app_meta"):
        op.drop_table(table)
