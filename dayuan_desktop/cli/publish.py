"""``publish``: send the exported site to the portal's web server (SFTP, FTP, FTPS or a folder).

Progress goes to stderr; refused files, repairs and held-back deletions are reported by name;
the last line printed is ``N uploaded, M unchanged, K deleted``.
"""

from __future__ import annotations

import argparse
import configparser
import sys
from dataclasses import replace
from pathlib import Path

from dayuan_desktop.cli.common import EXIT_FAILURE, EXIT_OK, UsageError
from dayuan_desktop.core.config import Settings
from dayuan_desktop.core.errors import DayuanError


def publish_command(args: argparse.Namespace, settings: Settings) -> int:
    """Publish the site folder to ``--to``; exit 1 when a file failed or deletions were held back."""
    from dayuan_desktop.core.publishing.site_publish import PublishOptions, publish_site
    from dayuan_desktop.core.publishing.targets import parse_target

    if args.max_deletes < 0:
        raise UsageError("--max-deletes must be 0 or more")
    if not 1 <= args.connections <= 16:
        raise UsageError("--connections must be between 1 and 16")
    target = parse_target(args.to)
    site = args.site or default_site(settings)
    # A key file given for SSH: the keyring is not asked (importing keyring alone costs ~0.3-1 s).
    password, asked = _password(target) if not (target.scheme == "sftp" and args.identity) else ("", False)
    options = PublishOptions(
        data_dir=settings.data_dir, cache_dir=settings.cache_dir, password=password,
        accept_host_key=args.accept_host_key, identity_files=tuple(map(str, args.identity or ())),
        cafile=str(args.cafile) if args.cafile else None, connections=args.connections,
        max_deletes=args.max_deletes, dry_run=args.dry_run, verify=args.verify,
    )
    bar = None if args.quiet else _bar()
    try:
        try:
            plan, report = publish_site(site, target, options, progress=bar.show if bar else None)
        except DayuanError as exc:
            accepted = _fingerprint_accepted_at_terminal(exc)
            if accepted is None:
                raise
            options = replace(options, accept_host_key=accepted)
            plan, report = publish_site(site, target, options, progress=bar.show if bar else None)
    finally:
        if bar:
            bar.bar.close()
    if asked and not args.dry_run:
        _keep(target, password)
    return _print_report(plan, report, args)


def _fingerprint_accepted_at_terminal(exc: DayuanError) -> str | None:
    """A new SSH host met at a terminal: show its fingerprint and ask; the fingerprint when accepted.

    None when ``exc`` is not about an unknown host key, when nobody is at the terminal (scripts
    pass ``--accept-host-key``), or when the answer is not yes (then the refusal stands).
    """
    fingerprint = getattr(exc, "fingerprint", None)
    if type(exc).__name__ != "HostKeyUnknown" or not fingerprint or not sys.stdin.isatty():
        return None
    host = getattr(exc, "host", "the server")
    print(f"The host key of {host} is not known yet.\n"
          f"  Its fingerprint: {fingerprint}\n"
          "Check it with the server's administrator (ssh-keygen -lf on the server's host key).", file=sys.stderr)
    print("Accept this key and connect? [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()  # the prompt on stderr: stdout carries the report
    if answer.strip().lower() not in ("y", "yes", "是"):
        return None
    return fingerprint


def _password(target) -> tuple[str, bool]:
    """The target's password, and whether it was asked for at the terminal."""
    from dayuan_desktop.core.publishing.credentials import (
        NO_KEYRING,
        PASSWORD_VARIABLE,
        ask_password,
        find_password,
    )
    from dayuan_desktop.core.secrets import keyring_available

    password, _source = find_password(target)
    if password or target.scheme in ("folder", "sftp"):  # SSH also logs in with keys or the agent
        return password, False
    if not sys.stdin.isatty():
        why = NO_KEYRING if not keyring_available() else f"none is kept in the keyring; set {PASSWORD_VARIABLE}"
        raise DayuanError(f"no password for {target.key}: {why}")
    import getpass

    return ask_password(target, getpass.getpass), True


def _keep(target, password: str) -> None:
    from dayuan_desktop.core.publishing.credentials import NO_KEYRING, keep_password
    from dayuan_desktop.core.secrets import KeyringUnavailable

    try:
        keep_password(target, password)
        print("the password is kept in the keyring", file=sys.stderr)
    except KeyringUnavailable:
        print(f"note: {NO_KEYRING}", file=sys.stderr)


def default_site(settings: Settings) -> Path:
    """The window's export folder (``[export] folder`` in ``window.ini``); a usage error when none is set."""
    parser = configparser.RawConfigParser()
    try:
        parser.read(settings.data_dir / "window.ini", encoding="utf-8")
        folder = parser.get("export", "folder", fallback="").strip().strip('"')
    except (configparser.Error, UnicodeDecodeError, OSError):
        folder = ""
    if not folder:
        raise UsageError("no site folder: give --site DIR (or choose an export folder in the window first)")
    return Path(folder)


def _print_report(plan, report, args: argparse.Namespace) -> int:
    for path in report.repaired:
        print(f"repaired: {path} (missing or different on the server)")
    if report.dry_run:
        for item in plan.uploads:
            print(f"would upload: {item.path}")
        for path in plan.deletes:
            print(f"would delete: {path}")
        print(f"dry run: {len(plan.uploads)} to upload ({plan.upload_bytes} bytes), {len(plan.deletes)} to delete; "
              "nothing was changed")
    for path in report.deleted:
        print(f"deleted: {path}")
    for path, reason in report.failed:
        print(f"failed: {path}: {reason} (it is sent again next time)", file=sys.stderr)
    if report.failed and not report.dry_run:
        print("later stages were not started, so no page points at a file that is missing", file=sys.stderr)
    if report.deletes_held:
        print(f"warning: {report.deletes_held} files are gone from the site, more than --max-deletes "
              f"{args.max_deletes}: nothing was deleted (raise --max-deletes if this is intended)", file=sys.stderr)
    if report.cancelled:
        print("cancelled: the next run goes on from here", file=sys.stderr)
    print(report.summary())
    return EXIT_FAILURE if report.failed or report.deletes_held or report.cancelled else EXIT_OK


class _bar:  # noqa: N801 — a small adapter, used like a function
    """The export's progress bar, fed with files and bytes."""

    def __init__(self) -> None:
        from dayuan_desktop.cli.export import ProgressBar

        self.bar = ProgressBar(sys.stderr)

    def show(self, progress) -> None:
        megabytes = f"{progress.bytes_done / 1e6:.1f}/{progress.bytes_total / 1e6:.1f} MB "
        self.bar.update(progress.files_done, progress.files_total, megabytes + progress.path)
