"""Translated names of stored values (statuses), shared by the list and the editor."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

# The workflow order of core.models.ArticleStatus, spelled out so the window need not load
# SQLAlchemy before its first paint (a test keeps the two equal).
STATUS_ORDER = ("draft", "review", "ready", "published", "withdrawn")


def status_label(status: str) -> str:
    """The status as the user reads it (stored values stay English)."""
    labels = {
        "draft": QCoreApplication.translate("Status", "Draft"),
        "review": QCoreApplication.translate("Status", "In review"),
        "ready": QCoreApplication.translate("Status", "Ready"),
        "published": QCoreApplication.translate("Status", "Published"),
        "withdrawn": QCoreApplication.translate("Status", "Withdrawn"),
    }
    return labels.get(status, status)
