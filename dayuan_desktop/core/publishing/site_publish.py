"""One publishing run: scan the site, (verify,) plan, send — the API the command line and window share."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from dayuan_desktop.core.publishing.connection import Connection
from dayuan_desktop.core.publishing.plan import DEFAULT_MAX_DELETES, PublishPlan, make_plan
from dayuan_desktop.core.publishing.record import TargetRecord
from dayuan_desktop.core.publishing.runner import ProgressCallback, PublishProgress, PublishReport, run_plan
from dayuan_desktop.core.publishing.scan import SiteFile, scan_site, settle_cache
from dayuan_desktop.core.publishing.targets import PublishError, Target


@dataclass(frozen=True)
class PublishOptions:
    """Everything a run needs besides the site and the target."""

    data_dir: Path  # holds the records (publish/) and the known-hosts file
    cache_dir: Path | None = None  # holds the site scan's hash cache
    password: str = ""
    accept_host_key: str | None = None
    identity_files: tuple[str, ...] = ()
    cafile: str | None = None
    connections: int = 4
    max_deletes: int = DEFAULT_MAX_DELETES
    dry_run: bool = False
    verify: bool = False
    paramiko_only: bool = False  # never OpenSSH's client for SFTP (tests, and the benchmark's A/B)

    @property
    def known_hosts(self) -> Path:
        """The known-hosts file in the data folder."""
        return self.data_dir / "known_hosts"


def connection_opener(target: Target, options: PublishOptions) -> Callable[[], Connection]:
    """A function opening one new connection to ``target`` (heavy modules imported only here)."""
    if target.scheme == "folder":
        from dayuan_desktop.core.publishing.folder import FolderConnection

        return lambda: FolderConnection(Path(target.path))
    if target.scheme == "sftp":
        return _sftp_opener(target, options)
    from dayuan_desktop.core.publishing.ftp import FtpConnection, FtpOptions

    ftp = FtpOptions(options.password, options.cafile)
    return lambda: FtpConnection(target, ftp)


def _sftp_opener(target: Target, options: PublishOptions) -> Callable[[], Connection]:
    """OpenSSH's own client where it keeps every guarantee (see core/publishing/openssh.py), else
    paramiko. The opener's ``begin()`` starts ssh at once and returns what finishes the opening."""
    openssh_failed: list[str] = [] if not options.password and not options.paramiko_only else ["not wanted"]

    def by_paramiko() -> Connection:
        from dayuan_desktop.core.publishing.sftp import SftpConnection, SshOptions  # paramiko: ~0.3-1 s

        return SftpConnection(target, SshOptions(options.known_hosts, options.accept_host_key,
                                                 options.identity_files, options.password))

    def begin() -> Callable[[], Connection]:
        if openssh_failed:
            return by_paramiko
        from dayuan_desktop.core.publishing.openssh import OpenSshConnection, OpenSshUnavailable

        try:
            started = OpenSshConnection(target, options.known_hosts, options.identity_files, wait=False)
        except OpenSshUnavailable as exc:
            openssh_failed.append(str(exc))
            return by_paramiko

        def finish() -> Connection:
            try:
                return started.finish()
            except OpenSshUnavailable as exc:  # paramiko asks, refuses or says why in its own words
                openssh_failed.append(str(exc))
                return by_paramiko()

        return finish

    def open_sftp() -> Connection:
        return begin()()

    open_sftp.begin = begin
    return open_sftp


def open_record(target: Target, data_dir: Path) -> TargetRecord:
    """The record of what ``target`` holds, kept under the data folder."""
    return TargetRecord(data_dir / "publish", target)


def publish_site(site: Path, target: Target, options: PublishOptions, *, progress: ProgressCallback | None = None,
                 cancel: threading.Event | None = None) -> tuple[PublishPlan, PublishReport]:
    """Publish the site folder ``site`` to ``target``: the plan made and what was done.

    A dry run connects only for ``verify`` and changes nothing: neither the server nor the record.
    """
    site = Path(site)
    if target.scheme == "folder" and Path(target.path).resolve() == site.resolve():
        raise PublishError("the target folder is the site folder itself")
    opener = connection_opener(target, options)
    unsettled: list = []  # files too freshly written for the scan cache to keep their hash yet
    files, first = _scan_while_connecting(site, options, opener, options.verify or not options.dry_run, unsettled)
    try:
        record = open_record(target, options.data_dir)
    except BaseException:
        if first is not None:
            first.close()
        raise
    try:
        repaired = verify_target(files, record, first, progress, dry_run=options.dry_run) if options.verify else []
        plan = make_plan(files, record, options.max_deletes)
        if options.dry_run:
            report = PublishReport(unchanged=plan.unchanged, deletes_held=plan.deletes_held, repaired=repaired,
                                   dry_run=True)
            return plan, report
        report = run_plan(plan, record, site, opener, connections=options.connections, first=first,
                          progress=progress, cancel=cancel)
        first = None  # the runner closed it
        report.repaired = repaired
        return plan, report
    finally:
        if first is not None:
            first.close()
        if options.dry_run:
            record.close()
        else:
            record.save()
        settle_cache(_scan_cache(site, options.cache_dir), unsettled)


def _scan_while_connecting(site: Path, options: PublishOptions, opener: Callable[[], Connection],
                           connect: bool, unsettled: list) -> tuple[dict[str, SiteFile], Connection | None]:
    """Scan the site while the first connection is made (loading the SSH library, the handshake
    and the login take about as long as scanning 10,000 unchanged files). A scan error wins."""
    if not connect:
        return scan_site(site, _scan_cache(site, options.cache_dir), unsettled), None
    # ssh is started here, before the scan takes the GIL: from the connecting thread it started
    # 0.1-0.2 s late (its imports and spawn competing with the scan's loop).
    begin = getattr(opener, "begin", None)
    finish = begin() if begin is not None else opener
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish-connect") as executor:
        pending = executor.submit(finish)
        try:
            files = scan_site(site, _scan_cache(site, options.cache_dir), unsettled)
        except BaseException:
            with contextlib.suppress(Exception):
                pending.result().close()
            raise
        return files, pending.result()


def verify_target(files: dict[str, SiteFile], record: TargetRecord, connection: Connection,
                  progress: ProgressCallback | None = None, *, dry_run: bool = False) -> list[str]:
    """Compare the server's real files with the site and the record; correct the record.

    A recorded file missing on the server, or of another size or content there, is forgotten
    (so it is sent again); a site file the server already holds byte for byte is recorded
    (so a lost record costs no upload). Returns the paths found wrong or missing.
    """
    on_server = connection.sizes()
    paths = sorted(files.keys() | record.files.keys())
    repaired = []
    for done, path in enumerate(paths, 1):
        item = files.get(path)
        size = on_server.get(path)
        same = item is not None and size == item.size and connection.sha256(path) == item.sha256
        if same and not record.holds(path, item.sha256):
            if dry_run:  # in memory only: the plan shows the truth, nothing is written
                record.files[path] = item.sha256
            else:
                record.confirm_upload(path, item.sha256)
        elif not same and path in record.files and (item is not None or size is None):
            repaired.append(path)
            if dry_run:
                record.files.pop(path, None)
            else:
                record.forget(path)
        if progress:
            progress(PublishProgress(done, len(paths), 0, 0, path))
    return repaired


def _scan_cache(site: Path, cache_dir: Path | None) -> Path | None:
    if cache_dir is None:
        return None
    ident = hashlib.sha256(str(site.resolve()).encode("utf-8")).hexdigest()[:24]
    return cache_dir / "publish-scan" / f"{ident}.json"
