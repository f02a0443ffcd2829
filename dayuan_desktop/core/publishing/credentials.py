"""A target's password: from the address, ``DAYUAN_PUBLISH_PASSWORD``, the OS keyring, or asked for.

Never written to a file or a log: it lives in the keyring (when this machine has one) and
in memory, where :func:`~dayuan_desktop.core.secrets.remember_secret` makes every log line
and message mask it.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from dayuan_desktop.core.publishing.targets import Target
from dayuan_desktop.core.secrets import (
    PUBLISH_KEYRING_SERVICE,
    keyring_available,
    load_password,
    remember_secret,
    save_password,
)

PASSWORD_VARIABLE = "DAYUAN_PUBLISH_PASSWORD"
NO_KEYRING = ("this machine has no keyring service (such as Secret Service or Windows Credential Locker), "
              "so the password cannot be kept: it is asked for each time, or set " + PASSWORD_VARIABLE)


def find_password(target: Target) -> tuple[str, str]:
    """The password for ``target`` and where it came from ("address", "environment", "keyring" or "")."""
    if target.scheme in ("folder",):
        return "", ""
    for password, source in ((target.password, "address"), (os.environ.get(PASSWORD_VARIABLE, ""), "environment")):
        if password:
            remember_secret(password)
            return password, source
    if keyring_available():
        password = load_password(target.key, PUBLISH_KEYRING_SERVICE)
        if password:
            return password, "keyring"
    return "", ""


def keep_password(target: Target, password: str) -> None:
    """Keep ``password`` for ``target`` in the OS keyring; :class:`KeyringUnavailable` when there is none."""
    save_password(target.key, password, PUBLISH_KEYRING_SERVICE)


def ask_password(target: Target, ask: Callable[[str], str]) -> str:
    """Ask for the password with ``ask(prompt)`` (the terminal, or a dialog); "" when none is given."""
    password = ask(f"password for {target.key}: ")
    remember_secret(password)
    return password
