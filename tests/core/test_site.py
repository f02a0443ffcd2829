"""Site settings in the database: a database that refuses them gives one clear line, and nothing changes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.errors import DatabaseError, ValidationError
from dayuan_desktop.core.site import (
    RENDITION_MAX,
    RENDITION_MIN,
    SiteSettings,
    base_url_problem,
    check_site_settings,
    load_site_settings,
    rendition_size_problem,
    save_site_settings,
    site_settings_from_dict,
)


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


@pytest.mark.parametrize(
    ("change", "named"),
    [({"base_url": "www.example.com"}, "base_url"), ({"base_url": "http://x.example/?a=1"}, "base_url"),
     ({"rendition_width": 319}, "rendition_width"), ({"rendition_width": 4001}, "rendition_width")],
)
def test_settings_that_break_the_rules_are_refused_on_save_and_on_read(tmp_path, change, named):
    database = open_database(tmp_path / "x.sqlite3")
    try:
        with pytest.raises(ValidationError, match=named):
            save_site_settings(database, replace(SiteSettings(), **change))
        assert load_site_settings(database) == SiteSettings()  # nothing was stored
        with pytest.raises(ValidationError, match=named):
            site_settings_from_dict(change)
    finally:
        database.dispose()


def test_the_rules_accept_their_bounds():
    assert base_url_problem("https://www.shanxidayuan.com/") == ""
    assert base_url_problem("http://x y") == "spaces" and base_url_problem("ftp://x") == "not http"
    assert rendition_size_problem(str(RENDITION_MIN)) == "" and rendition_size_problem(str(RENDITION_MAX)) == ""
    assert check_site_settings(SiteSettings()) == SiteSettings()
