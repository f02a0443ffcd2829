"""What the publish dialog's background job does (runs on a pool thread: no widget is touched).

The host-key handshake: a server not yet known makes the run fail with the core's
:class:`~dayuan_desktop.core.publishing.hostkeys.HostKeyUnknown`, which carries the
fingerprint; the dialog asks the person on the UI thread and starts a new run with that exact
fingerprint accepted (the core then writes it to the known-hosts file). A password that no
keyring gives ends the run with :class:`PasswordNeeded` before anything is sent.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from dayuan_desktop.core.publishing.plan import STAGE_NAMES, PublishPlan, stage_of
from dayuan_desktop.core.publishing.runner import PublishProgress, PublishReport
from dayuan_desktop.core.publishing.targets import PublishError
from dayuan_desktop.ui.publishing.saved_targets import SavedTarget

DELETIONS = len(STAGE_NAMES)  # the stage after the four upload stages


class PasswordNeeded(PublishError):
    """No password for the target: the dialog asks for one (``keyring`` says whether one can be kept)."""

    def __init__(self, address: str, keyring: bool) -> None:
        super().__init__(f"a password is needed for {address}")
        self.keyring = keyring


@dataclass(frozen=True)
class RunRequest:
    """One run as the dialog asked for it."""

    site: Path
    saved: SavedTarget
    data_dir: Path
    cache_dir: Path | None
    dry_run: bool = False
    verify: bool = False
    max_deletes: int = 256
    accept_host_key: str | None = None
    password: str = ""  # typed in the dialog this time ("" = look in the keyring)


@dataclass
class RunOutcome:
    """What the dialog shows at the end."""

    plan: PublishPlan
    report: PublishReport
    password_kept: bool | None = None  # a typed password: kept in the keyring (True) or not (False)


@dataclass
class LiveProgress:
    """The latest progress, written by the worker and read by the UI thread (one reference swap)."""

    latest: PublishProgress | None = None
    stage: int = 0
    done: list[str] = field(default_factory=list)


def run_publish(request: RunRequest, live: LiveProgress, cancel: threading.Event, report) -> RunOutcome:
    """Publish ``request``; ``report(done, total, label)`` is the job's progress call."""
    from dayuan_desktop.core.publishing.credentials import find_password, keep_password
    from dayuan_desktop.core.publishing.site_publish import PublishOptions, publish_site
    from dayuan_desktop.core.secrets import KeyringUnavailable, keyring_available

    target = request.saved.target
    password = request.password
    if not password and not (target.scheme == "sftp" and request.saved.identity):
        password, _source = find_password(target)
        if not password and target.scheme in ("ftp", "ftps"):
            raise PasswordNeeded(target.key, keyring_available())
    options = PublishOptions(
        data_dir=request.data_dir, cache_dir=request.cache_dir, password=password,
        accept_host_key=request.accept_host_key,
        identity_files=(request.saved.identity,) if request.saved.identity else (),
        max_deletes=request.max_deletes, dry_run=request.dry_run, verify=request.verify)

    def progress(snapshot: PublishProgress) -> None:
        live.stage = _stage(request, snapshot)
        live.latest = snapshot
        report(snapshot.files_done, snapshot.files_total, snapshot.path)

    plan, result = publish_site(request.site, target, options, progress=progress, cancel=cancel)
    outcome = RunOutcome(plan, result)
    if request.password and not request.dry_run and not result.cancelled:
        try:
            keep_password(target, request.password)
            outcome.password_kept = True
        except KeyringUnavailable:
            outcome.password_kept = False
    return outcome


def _stage(request: RunRequest, snapshot: PublishProgress) -> int:
    if not snapshot.path:
        return 0
    if not (request.site / snapshot.path).is_file():
        return DELETIONS  # only a deletion reports a path the site no longer has
    return stage_of(snapshot.path)
