"""The next public page number, given when an article is first published.

On PostgreSQL two editors publishing at the same moment would both read the same highest
number: a transaction-level advisory lock makes the second wait for the first one's commit,
and (READ COMMITTED) its next statement then sees that number. SQLite needs nothing: its write
transactions already run one at a time.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from dayuan_desktop.core.models import Article

NUMBER_LOCK = 4709_0001  # the advisory-lock key of "giving out page numbers"


def next_article_number(session: Session) -> int:
    """One more than the highest number in use; held for this transaction on PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": NUMBER_LOCK})
    return (session.scalar(select(func.max(Article.number))) or 0) + 1
