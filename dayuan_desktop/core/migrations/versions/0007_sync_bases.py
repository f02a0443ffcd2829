"""Sync between databases: this database's identity, the per-peer bases, conflict copies.

``app_meta['database_id']`` is a uuid made once, so peers can tell databases apart (a copied
file keeps it: see docs/decisions.md). ``sync_bases`` keeps, per peer database and article, the
content last exchanged and both sides' versions then (the base of a three-way merge).
``articles.conflict_of`` marks a conflict copy with the uuid of the article it conflicts with.

Revision ID: 0007
Revises: 0006
"""

import uuid

import sqlalchemy as sa
from alembic import op
from dayuan_desktop.core.models import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_bases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("peer_id", sa.String(36), nullable=False),
        sa.Column("article_uuid", sa.String(36), nullable=False),
        sa.Column("local_version", sa.Integer(), nullable=False),
        sa.Column("peer_version", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("exchanged_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("peer_id", "article_uuid", name="uq_sync_bases_peer_id"),
    )
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("conflict_of", sa.String(36), nullable=True))
        batch.create_index("ix_articles_conflict_of", ["conflict_of"])
    op.execute(
        sa.text("INSERT INTO app_meta (key, value) VALUES ('database_id', :v)").bindparams(v=str(uuid.uuid4()))
    )


def downgrade() -> None:
    op.execute("DELETE FROM app_meta WHERE key = 'database_id'")
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_conflict_of")
        batch.drop_column("conflict_of")
    op.drop_table("sync_bases")
