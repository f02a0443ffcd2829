"""``import DIR``: every article page of a mirrored copy of the site, each in its own transaction.

``site_mirror`` says which pages to import and with what context; this module imports them
one by one with ``portal_pages.import_portal_page`` (a failing page changes nothing and the
others go on) and counts what it did. A page whose article is already in the database (its
file name's number, or its uuid or number once read) is a duplicate, not a failure, so running
the same import again adds nothing and reports every page as already there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from dayuan_desktop.core.interchange.markdown_files import ImportOutcome
from dayuan_desktop.core.interchange.portal_pages import import_portal_page
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
) -> MirrorReport:
    """Import every article page of the mirror in ``folder``, creating channels (named as the site names them).

    ``on_outcome`` sees each page's outcome as it comes; ``progress`` gets a line now and then.
    """
    site = site or load_site_settings(store.db)
    scan = scan_mirror(folder, progress=(lambda n: progress(f"walked {n} pages")) if progress else None)
    report = MirrorReport(scan)
    known = _numbers_in(store)
    total = len(scan.pages)
    for index, page in enumerate(scan.pages, start=1):
        outcome = _known(page, known) or import_portal_page(
            store, page.path, create_channels=True, site=site, renditions=renditions, mirror=page.context,
            channel_names=scan.channel_names,
        )
        if outcome.ok and outcome.article.number is not None:
            known[outcome.article.number] = outcome.article.title
        report.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
        if progress is not None and (index % 100 == 0 or index == total):
            progress(f"{index}/{total} article pages: {report.imported} imported, {report.duplicates} already there")
    return report


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
