"""Translated names of stored values (statuses), shared by the list and the editor."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from dayuan_desktop.core.enums import ArticleStatus

# The stored status values in workflow order, as the lists and the editor offer them.
STATUS_ORDER = tuple(status.value for status in ArticleStatus)


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
