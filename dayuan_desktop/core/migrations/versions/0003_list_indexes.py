"""Indexes for the article list: live articles in update or publish order.

Without them, a list page of a 100,000-article archive sorted every live article.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_live_updated", "articles", ["deleted_at", "updated_at"])
    op.create_index("ix_articles_live_published", "articles", ["deleted_at", "published_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_live_published", "articles")
    op.drop_index("ix_articles_live_updated", "articles")
