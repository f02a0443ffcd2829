"""Site settings in the database: a database that refuses them gives one clear line, and nothing changes."""

from __future__ import annotations

import pytest

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.errors import DatabaseError
from dayuan_desktop.core.site import SiteSettings, load_site_settings, save_site_settings


def test_a_database_without_the_tables_refuses_the_settings_in_one_line(tmp_path):
    empty = open_database(tmp_path / "not-set-up.sqlite3", upgrade=False)
    try:
        with pytest.raises(DatabaseError) as refused:
            save_site_settings(empty, SiteSettings(site_name="新站名"))
        message = str(refused.value)
        assert "app_meta" in message and "\n" not in message and "not-set-up.sqlite3" in message
    finally:
        empty.dispose()


def test_saved_settings_are_read_back(tmp_path):
    database = open_database(tmp_path / "x.sqlite3")
    try:
        save_site_settings(database, SiteSettings(site_name="新站名"))
        assert load_site_settings(database).site_name == "新站名"
    finally:
        database.dispose()
