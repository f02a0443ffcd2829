"""The schema head the app checks on open must be the newest migration script."""

from dayuan_desktop.core.db import SCHEMA_HEAD, head_revision


def test_schema_head_constant_matches_the_migration_scripts():
    assert head_revision() == SCHEMA_HEAD
