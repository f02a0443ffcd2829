"""Database passwords: kept in the OS keyring, never in a file, a log line or a message.

Two jobs, one module:

* :func:`mask_secrets` is the one function every log and message path runs its text
  through. It hides the password of every URL form the app meets (``user:pass@host`` with
  ``/``, spaces, ``@`` or ``:`` in the password, ``?password=``/``&password=``, libpq
  conninfo ``password=…``, ``PGPASSWORD=…``), several URLs in one message, and any password
  this process has seen (:func:`remember_secret`) wherever it appears, encoded or not.
* :func:`split_password`, :func:`with_password` and the keyring functions let Preferences
  keep the URL without its password in ``window.ini`` and the password in the OS keyring.

``keyring`` is imported only when a password is saved or read (it costs start-up time, and
a machine without a keyring service raises ``NoKeyringError``: see :class:`KeyringUnavailable`).
"""

from __future__ import annotations

import contextlib
import re
import threading
from urllib.parse import parse_qsl, quote, unquote, urlencode

from dayuan_desktop.core.errors import DayuanError

MASK = "***"
KEYRING_SERVICE = "DayuanDesktop database"
PUBLISH_KEYRING_SERVICE = "DayuanDesktop publishing"  # web server passwords, by target address

# scheme://user:PASSWORD@host — the password may hold '/', ' ', ':' and '@' (when the user did
# not encode them), so it runs greedily to the last '@' before the next URL ('://') or line
# end. That may hide a little more than the password in odd text, never less.
_USERINFO_PASSWORD = re.compile(
    r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)"
    r"(?P<secret>(?:(?!://)[^\n])*)"
    r"(?=@)"
)
# password=… in a query string or a libpq conninfo string (quoted or not); PGPASSWORD=… too.
_KEYWORD_PASSWORD = re.compile(
    r"(?P<head>(?<![A-Za-z0-9_])(?:pg)?pass(?:word|wd)?\s*=\s*)"
    r"(?P<secret>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s&'\";,)]+)",
    re.IGNORECASE,
)

_known_secrets: set[str] = set()
_known_lock = threading.Lock()


class KeyringUnavailable(DayuanError):
    """This machine has no keyring service to keep a password in."""


def remember_secret(secret: str | None) -> None:
    """Mask ``secret`` wherever it appears from now on (in this process), plain or URL-encoded."""
    if not secret or len(secret) < 3:  # masking every 'a' in a log would make it unreadable
        return
    with _known_lock:
        _known_secrets.update({secret, quote(secret, safe=""), quote(secret)})


def mask_secrets(text: object) -> str:
    """``text`` with every password in it replaced by ``***`` (for logs, stderr and dialogs)."""
    value = str(text)
    value = _USERINFO_PASSWORD.sub(lambda m: m["head"] + MASK if m["secret"] else m[0], value)
    value = _KEYWORD_PASSWORD.sub(lambda m: m["head"] + MASK, value)
    with _known_lock:
        known = sorted(_known_secrets, key=len, reverse=True)
    for secret in known:
        value = value.replace(secret, MASK)
    return value


def split_password(target: str) -> tuple[str, str]:
    """The database URL without its password, and the password ("" when it has none).

    Handles the password in the user part (``user:pass@host``, even with an unencoded ``/``
    or ``@`` in it) and as a ``password=`` query parameter. A file path is returned as it is.
    """
    scheme, separator, rest = target.partition("://")
    if not separator:
        return target, ""
    location, question, query = rest.partition("?")
    userinfo, at, host = location.rpartition("@")  # the last '@': the password may hold one
    password = ""
    if at and ":" in userinfo:
        user, _, encoded = userinfo.partition(":")
        password = unquote(encoded)
        location = f"{user}@{host}"
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(key, value) for key, value in pairs if key.lower() != "password"]
    if len(kept) != len(pairs):
        password = password or next(value for key, value in pairs if key.lower() == "password")
        query = urlencode(kept)
    bare = f"{scheme}://{location}" + (f"?{query}" if question and query else "")
    return bare, password


def with_password(target: str, password: str) -> str:
    """The URL ``target`` (without a password) with ``password`` in its user part, encoded."""
    if not password or "://" not in target:
        return target
    scheme, _, rest = target.partition("://")
    location, question, query = rest.partition("?")
    user, at, host = location.rpartition("@")
    if not at:  # no user part to hold it: back into the query, where it came from
        return f"{target}{'&' if question else '?'}{urlencode({'password': password})}"
    return f"{scheme}://{user}:{quote(password, safe='')}@{host}" + (f"?{query}" if question else "")


def _keyring():
    import keyring
    import keyring.errors

    return keyring, keyring.errors


def keyring_available() -> bool:
    """Whether a keyring service can keep passwords on this machine."""
    import keyring
    import keyring.backends.fail

    return not isinstance(keyring.get_keyring(), keyring.backends.fail.Keyring)


def save_password(bare_url: str, password: str, service: str = KEYRING_SERVICE) -> None:
    """Keep ``password`` for the database at ``bare_url`` (its URL without password) in the keyring.

    ``service`` names what the password opens (the database by default; web servers use
    :data:`PUBLISH_KEYRING_SERVICE`). Raises :class:`KeyringUnavailable` (one line) when there
    is no keyring service.
    """
    keyring, errors = _keyring()
    remember_secret(password)
    what = "database" if service == KEYRING_SERVICE else "server"
    try:
        keyring.set_password(service, bare_url, password)
    except errors.KeyringError as exc:
        raise KeyringUnavailable(f"no keyring to keep the {what} password in ({_first_line(exc)})") from exc


def load_password(bare_url: str, service: str = KEYRING_SERVICE) -> str:
    """The password kept for ``bare_url`` ("" when none is kept or there is no keyring)."""
    keyring, errors = _keyring()
    try:
        password = keyring.get_password(service, bare_url) or ""
    except errors.KeyringError:
        return ""
    remember_secret(password)
    return password


def delete_password(bare_url: str, service: str = KEYRING_SERVICE) -> None:
    """Forget the password kept for ``bare_url`` (nothing happens when none is kept)."""
    keyring, errors = _keyring()
    with contextlib.suppress(errors.KeyringError):  # PasswordDeleteError included: nothing was kept
        keyring.delete_password(service, bare_url)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return mask_secrets(lines[0]) if lines else type(exc).__name__
