"""Publishing targets kept in the window's settings (``window.ini``), their passwords in the keyring.

The settings file holds each target's address without any password, and an optional SSH key
file; a password typed with a target goes to the OS keyring (the core's publishing service),
or, on a machine without one, nowhere: the publish dialog then asks for it each run.
"""

from __future__ import annotations

from dataclasses import dataclass

from dayuan_desktop.core.publishing.targets import Target, parse_target
from dayuan_desktop.core.secrets import remember_secret, split_password
from dayuan_desktop.ui.app_settings import AppSettings

_ARRAY = "publishing_targets"


@dataclass(frozen=True)
class SavedTarget:
    """One target as the settings keep it: never with a password."""

    address: str
    identity: str = ""  # an SSH private key file ("" = the agent, default keys or a password)

    @property
    def target(self) -> Target:
        """The parsed target (its address was checked when it was saved)."""
        return parse_target(self.address)


def load_targets(settings: AppSettings) -> list[SavedTarget]:
    """The saved targets, in the order they were added."""
    qsettings = settings.qsettings
    count = qsettings.beginReadArray(_ARRAY)
    targets = []
    for index in range(count):
        qsettings.setArrayIndex(index)
        address = str(qsettings.value("address", "") or "")
        if address:
            targets.append(SavedTarget(address, str(qsettings.value("identity", "") or "")))
    qsettings.endArray()
    return targets


def _write_targets(settings: AppSettings, targets: list[SavedTarget]) -> None:
    qsettings = settings.qsettings
    qsettings.remove(_ARRAY)
    qsettings.beginWriteArray(_ARRAY, len(targets))
    for index, saved in enumerate(targets):
        qsettings.setArrayIndex(index)
        qsettings.setValue("address", saved.address)
        qsettings.setValue("identity", saved.identity)
    qsettings.endArray()
    settings.save()


def add_target(settings: AppSettings, typed: str, identity: str = "") -> tuple[SavedTarget, str]:
    """Save the target typed as ``typed`` (checked first); returns it and the password it carried.

    A password in the address is taken out: the caller hands it to the keyring. Raises
    :class:`~dayuan_desktop.core.publishing.targets.PublishError` (one line) for a bad address.
    """
    parse_target(typed)  # refuse a bad address before anything is written
    bare, password = split_password(typed.strip()) if "://" in typed else (typed.strip(), "")
    remember_secret(password)
    saved = SavedTarget(parse_target(bare).key if "://" in bare else bare, identity.strip())
    targets = [t for t in load_targets(settings) if t.address != saved.address]
    _write_targets(settings, [*targets, saved])
    return saved, password


def remove_target(settings: AppSettings, address: str) -> None:
    """Forget the target saved as ``address`` (its keyring entry stays for the core to reuse)."""
    _write_targets(settings, [t for t in load_targets(settings) if t.address != address])
