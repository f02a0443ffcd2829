"""Passwords never shown: the one masking function over every URL form, and the keyring helpers."""

from __future__ import annotations

import pytest

from dayuan_desktop.core import secrets
from dayuan_desktop.core.logs import hide_password
from dayuan_desktop.core.secrets import mask_secrets, split_password, with_password
from tests.keyrings import MemoryKeyring, no_keyring, using_keyring


@pytest.fixture
def memory_keyring():
    with using_keyring(MemoryKeyring()) as backend:
        yield backend


MESSAGES = [
    # (message, the secret that must not survive, what must still be readable)
    ("postgresql://editor:hunter22@server/dayuan", "hunter22", "editor"),
    ("postgresql+psycopg://editor:se/cret@server:5432/dayuan", "se/cret", "server:5432/dayuan"),
    ("postgresql://editor:my pass word@server/dayuan", "pass word", "server/dayuan"),
    ("postgresql://editor:p@ss@server/dayuan", "ss@server", "server/dayuan"),
    ("postgresql://editor:a:b:c9@server/dayuan", "b:c9", "server/dayuan"),
    ("postgresql://editor:p%2Fss%40w@server/dayuan", "p%2Fss", "server/dayuan"),
    ("postgresql://editor@server/dayuan?password=hunter22", "hunter22", "server/dayuan"),
    ("postgresql://editor@server/dayuan?sslmode=require&password=hunter22&x=1", "hunter22", "sslmode=require"),
    ("postgresql://editor@server/dayuan?PASSWORD=hunter22", "hunter22", "server/dayuan"),
    ("host=server port=5432 user=editor password=hunter22 dbname=dayuan", "hunter22", "dbname=dayuan"),
    ("host=server password='two words' dbname=dayuan", "two words", "dbname=dayuan"),
    ("PGPASSWORD=hunter22 psql -h server", "hunter22", "psql -h server"),
    ('connection failed: invalid dsn: "host=h user=u password=hunter22 dbname=d"', "hunter22", "invalid dsn"),
    ("cannot reach postgresql://a:first1@h1/d or postgresql://b:second2@h2/e", "first1", "h1/d"),
    ("cannot reach postgresql://a:first1@h1/d or postgresql://b:second2@h2/e", "second2", "h2/e"),
]


@pytest.mark.parametrize(("message", "secret", "kept"), MESSAGES)
def test_every_url_form_loses_its_password_and_keeps_the_rest(message, secret, kept):
    masked = mask_secrets(message)
    assert secret not in masked
    assert kept in masked and "***" in masked


def test_a_url_without_password_and_a_file_path_are_unchanged():
    for text in ("postgresql://editor@server:5432/dayuan", "postgresql://server:5432/dayuan",
                 "sqlite:////home/编辑/dayuan.sqlite3", "/tmp/a:b@c.sqlite3",
                 'FATAL:  password authentication failed for user "editor"'):
        assert mask_secrets(text) == text


def test_a_password_this_process_has_seen_is_masked_anywhere_encoded_or_not():
    secrets.remember_secret("Zx9/ q@t")
    text = "weird driver echo: Zx9/ q@t and Zx9%2F%20q%40t"
    assert mask_secrets(text) == "weird driver echo: *** and ***"


def test_hide_password_is_the_same_masking():
    assert hide_password("postgresql://u:se/cret pw@h/d?password=x2") == "postgresql://u:***@h/d?password=***"


@pytest.mark.parametrize(("url", "bare", "password"), [
    ("postgresql://editor:se/cr et@server:5432/dayuan", "postgresql://editor@server:5432/dayuan", "se/cr et"),
    ("postgresql://editor:p%40ss@server/dayuan", "postgresql://editor@server/dayuan", "p@ss"),
    ("postgresql://editor:p@ss@server/dayuan", "postgresql://editor@server/dayuan", "p@ss"),
    ("postgresql://editor@server/dayuan?sslmode=require&password=x%2Fy", "postgresql://editor@server/dayuan?sslmode=require", "x/y"),
    ("postgresql://editor@server/dayuan", "postgresql://editor@server/dayuan", ""),
    ("postgresql://server/dayuan?password=p%40ss", "postgresql://server/dayuan", "p@ss"),
    ("/home/editor/dayuan.sqlite3", "/home/editor/dayuan.sqlite3", ""),
])
def test_split_password_and_put_it_back(url, bare, password):
    assert split_password(url) == (bare, password)
    if password:
        joined = with_password(bare, password)
        assert split_password(joined) == (bare, password)
        assert "***" in mask_secrets(joined) and password not in mask_secrets(joined)


def test_without_a_keyring_service_saving_says_so_in_one_line():
    with no_keyring():
        assert not secrets.keyring_available()
        with pytest.raises(secrets.KeyringUnavailable, match="no keyring") as caught:
            secrets.save_password("postgresql://editor@server/dayuan", "hunter22")
        assert "\n" not in str(caught.value)
        assert secrets.load_password("postgresql://editor@server/dayuan") == ""


def test_the_keyring_keeps_and_forgets_a_password(memory_keyring):
    assert secrets.keyring_available()
    secrets.save_password("postgresql://editor@server/dayuan", "se/cret")
    assert secrets.load_password("postgresql://editor@server/dayuan") == "se/cret"
    secrets.delete_password("postgresql://editor@server/dayuan")
    secrets.delete_password("postgresql://editor@server/dayuan")  # twice: nothing to forget, no error
    assert secrets.load_password("postgresql://editor@server/dayuan") == ""


def test_the_log_file_masks_every_record_traceback_included(tmp_path):
    from dayuan_desktop.core import logs

    path = logs.configure_logging(tmp_path / "logs")
    try:
        logs.log.info("database: %s", "postgresql://editor@server/dayuan?password=Log9secret")
        try:
            raise RuntimeError("connect failed: host=server password=Trace9secret dbname=dayuan")
        except RuntimeError:
            logs.log.exception("open failed")
        import logging

        logging.getLogger("sqlalchemy.pool").warning("echo postgresql://u:Lib9/se cret@h/d")
    finally:
        logs.stop_logging()
    text = path.read_text(encoding="utf-8")
    assert "password=***" in text and "RuntimeError" in text and "u:***@h/d" in text
    assert not any(secret in text for secret in ("Log9secret", "Trace9secret", "Lib9", "se cret"))
