"""A keyring in memory for tests (these machines and CI have no keyring service)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
from keyring.compat import properties


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Passwords in a dict. Never chosen by keyring itself: only where a test sets it."""

    @properties.classproperty
    def priority(cls):  # noqa: N805 — keyring's class property
        raise RuntimeError("a test keyring, set explicitly")

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def set_password(self, service, username, password):
        self.kept[(service, username)] = password

    def get_password(self, service, username):
        return self.kept.get((service, username))

    def delete_password(self, service, username):
        if self.kept.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not kept")


@contextmanager
def using_keyring(backend: keyring.backend.KeyringBackend) -> Iterator[keyring.backend.KeyringBackend]:
    """Make ``backend`` this process's keyring for a while."""
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def no_keyring():
    """What a machine without a keyring service has (``NoKeyringError`` on every call)."""
    return using_keyring(keyring.backends.fail.Keyring())
