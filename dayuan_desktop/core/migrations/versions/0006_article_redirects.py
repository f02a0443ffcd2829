"""Old page paths of published articles whose number or channel changed (for redirect pages).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from dayuan_desktop.core.models import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_redirects",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("old_path", sa.String(300), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("old_path", name="uq_article_redirects_old_path"),
    )
    op.create_index("ix_article_redirects_article_id", "article_redirects", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_article_redirects_article_id", "article_redirects")
    op.drop_table("article_redirects")
