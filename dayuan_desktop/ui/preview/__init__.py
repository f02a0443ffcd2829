"""The live preview of an article's portal page (QtWebEngine, offline, with local assets)."""

from dayuan_desktop.ui.preview.pane import PHONE_WIDTH, PreviewPane

__all__ = ["PHONE_WIDTH", "PreviewPane"]
