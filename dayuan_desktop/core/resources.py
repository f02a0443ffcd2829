"""Where the app's resources (templates, static files, sample content, translations) are."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: $DAYUAN_RESOURCES, a PyInstaller bundle's, or the checkout's."""
    override = os.environ.get("DAYUAN_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def portal_template_dir() -> Path:
    """The built-in portal templates (a user folder may override any of them)."""
    return resources_dir() / "templates" / "portal"


def sample_dir() -> Path:
    """The sample content loaded into an empty database."""
    return resources_dir() / "sample"
