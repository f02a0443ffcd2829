"""Who is editing which article: one lease row per article being edited.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from dayuan_desktop.core.models import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_leases",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_name", sa.String(100), nullable=False),
        sa.Column("machine", sa.String(200), nullable=False),
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("taken_at", UTCDateTime(), nullable=False),
        sa.Column("renewed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("article_id", name="pk_article_leases"),
    )


def downgrade() -> None:
    op.drop_table("article_leases")
