"""``dayuan-desktop tags suggest NUMBER``: suggestions one per line, best first; clear errors."""

from __future__ import annotations

from dayuan_desktop.core.tags.text import stop_words
from tests.helpers import run_cli as run


def test_suggest_prints_new_terms_for_the_sample_article(capsys, database_url):
    code, _, err = run(capsys, "--db", database_url, "sample")
    assert code == 0, err
    code, out, err = run(capsys, "--db", database_url, "tags", "suggest", "4709")
    assert code == 0, err
    lines = out.splitlines()
    assert 1 <= len(lines) <= 8
    assert lines[0] == "下沉"  # the sample's most telling word it is not tagged with yet
    assert not set(lines) & {"防控", "疫情", "党员干部"}  # its own tags
    assert not set(lines) & stop_words()


def test_suggest_for_an_unknown_number_is_one_line_and_a_failure(capsys, database_url):
    code, out, err = run(capsys, "--db", database_url, "tags", "suggest", "999")
    assert code != 0 and out == ""
    assert err.strip() == "dayuan-desktop: error: no article with number or uuid '999'"


def test_suggest_for_an_empty_article_says_there_are_none(capsys, database_url):
    from dayuan_desktop.core.db import open_database
    from dayuan_desktop.core.store import Store

    database = open_database(database_url)
    Store(database).create_article(title="", body="", number=12)
    database.dispose()
    code, out, err = run(capsys, "--db", database_url, "tags", "suggest", "12")
    assert code == 0 and out == ""
    assert "no suggestions" in err
