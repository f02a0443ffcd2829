"""Fixtures of the window's publishing tests: the core tests' real servers and site, a window.ini."""

from __future__ import annotations

from pathlib import Path

import pytest

from dayuan_desktop.ui.app_settings import AppSettings
from tests.core.publishing.conftest import ftp_server, site, sshd  # noqa: F401 — real servers, shared
from tests.keyrings import MemoryKeyring, using_keyring


@pytest.fixture
def window_ini(tmp_path: Path, site) -> tuple[AppSettings, Path]:  # noqa: F811
    """The window's settings file, its export folder set to the exported site."""
    path = tmp_path / "data" / "window.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = AppSettings.from_file(path)
    settings.export_folder = site.out
    settings.save()
    return settings, path


@pytest.fixture
def memory_keyring():
    """A test keyring for the whole test (this machine has no keyring service)."""
    with using_keyring(MemoryKeyring()) as backend:
        yield backend
