"""Covering indexes for the export's plan (SQLite).

Every export, incremental ones included, reads a light row of every live published
article and of each photo it shows. Article and photo rows are large (the body; the
original photo's bytes), one or more pages each, so reading a few columns of 10,000 of them
read 10,000 pages of each table: about 40% of an incremental export of a 10,000-article
site. These indexes hold exactly the columns the plan reads, a few kilobytes per hundred
articles. SQLite only: PostgreSQL reads only the columns asked for from its heap, and caps
the size of an index entry, which a long summary could exceed.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Also named in core.published (INDEXED BY) and in the models-versus-migrations test.
ARTICLE_ROWS_INDEX = "ix_articles_export_rows"
PHOTO_ROWS_INDEX = "ix_photos_export_rows"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_index(ARTICLE_ROWS_INDEX, "articles", [
        "status", "deleted_at", "published_at", "number", "version", "updated_at", "channel_id", "title", "summary",
    ])
    op.create_index(PHOTO_ROWS_INDEX, "photos", [
        "id", "sha256", "format", "width", "caption", "photographer", "credit", "copyright", "web_name",
    ])


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.drop_index(PHOTO_ROWS_INDEX, "photos")
    op.drop_index(ARTICLE_ROWS_INDEX, "articles")
