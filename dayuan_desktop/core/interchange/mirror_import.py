"""``import DIR``: every article page of a mirrored copy of the site, through the batch import.

``site_mirror`` says which pages to import and with what context; this module hands them to
the batch import (``import_pipeline``: pages parsed and their photos read and rendered in
worker processes, written by one writer many pages per transaction, each page all or
nothing, a failing page named while the others go on) and counts what it did. A page whose
article is already in the database (its file name's number, or its uuid or number once read,
or the same file imported before) is a duplicate, not a failure, so running the same import
again adds nothing and reports every page as already there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from dayuan_desktop.core.interchange.import_pipeline import ImportItem, ImportOptions, import_items
from dayuan_desktop.core.interchange.markdown_files import ImportOutcome
from dayuan_desktop.core.interchange.site_mirror import MirrorPage, MirrorScan, scan_mirror
from dayuan_desktop.core.models import Article
from dayuan_desktop.core.photos.incoming import WebRenditions
from dayuan_desktop.core.site import SiteSettings, load_site_settings
from dayuan_desktop.core.store import Store


@dataclass
class MirrorReport:
    """What ``import DIR`` did, page by page, with the walk's counts."""

    scan: MirrorScan
    outcomes: list[ImportOutcome] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return sum(outcome.ok for outcome in self.outcomes)

    @property
    def duplicates(self) -> int:
        return sum(outcome.duplicate for outcome in self.outcomes)

    @property
    def failed(self) -> int:
        """Pages that failed, and files the walk could not read."""
        return sum(not outcome.ok and not outcome.duplicate for outcome in self.outcomes) + len(self.scan.errors)

    def summary(self) -> str:
        """The closing line: the import command's, plus duplicates and skipped pages."""
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(self.scan.skipped.items()))
        return (f"{self.imported} imported, {self.failed} failed, {self.duplicates} already imported, "
                f"{self.scan.skipped_count} skipped" + (f" ({kinds})" if kinds else ""))


def import_mirror(
    store: Store,
    folder: Path,
    *,
    site: SiteSettings | None = None,
    renditions: WebRenditions | None = None,
    progress: Callable[[str], None] | None = None,
    on_outcome: Callable[[ImportOutcome], None] | None = None,
    workers: int | None = None,
) -> MirrorReport:
    """Import every article page of the mirror in ``folder``, creating channels (named as the site names them).

    ``on_outcome`` sees each page's outcome as it comes, in path order; ``progress`` gets a
    line now and then. ``workers``: processes that read the pages (see ``import_pipeline``).
    """
    site = site or load_site_settings(store.db)
    scan = scan_mirror(folder, progress=(lambda n: progress(f"walked {n} pages")) if progress else None)
    report = MirrorReport(scan)
    known = _numbers_in(store)
    total = len(scan.pages)
    ahead = [_known(page, known) for page in scan.pages]  # duplicates found without reading the page
    items = [ImportItem(page.path, mirror=page.context) for page, dup in zip(scan.pages, ahead, strict=True) if not dup]
    options = ImportOptions(create_channels=True, site=site, renditions=renditions, workers=workers,
                            channel_names=scan.channel_names)
    imported = iter(import_items(store, items, options))
    for index, found in enumerate(ahead, start=1):
        outcome = _as_duplicate(found or next(imported))
        report.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
        if progress is not None and (index % 100 == 0 or index == total):
            progress(f"{index}/{total} article pages: {report.imported} imported, {report.duplicates} already there")
    return report


def _as_duplicate(outcome: ImportOutcome) -> ImportOutcome:
    """A page imported before from the same file is a duplicate here, as one found by its number."""
    if not outcome.already:
        return outcome
    article = outcome.article
    number = f"#{article.number} " if article.number is not None else ""
    return ImportOutcome(outcome.path, None, f"{outcome.path}: already in the database as {number}{article.title}",
                         duplicate=True)


def _numbers_in(store: Store) -> dict[int, str]:
    """Every article number in the database (the trash's too) with its title."""
    with store.db.session() as session:
        return dict(session.execute(select(Article.number, Article.title).where(Article.number.is_not(None))).all())


def _known(page: MirrorPage, known: dict[int, str]) -> ImportOutcome | None:
    """A duplicate outcome, without reading the page, when its file name's number is in the database."""
    if page.number is None or page.number not in known:
        return None
    message = f"{page.path}: already in the database as #{page.number} {known[page.number]}"
    return ImportOutcome(page.path, None, message, duplicate=True)
