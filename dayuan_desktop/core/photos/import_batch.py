"""Photos come in: dropped, pasted or chosen files imported into an article, as one batch.

The one use case for photos arriving in an article from the window (the photo panel's
import, images pasted into the body). The window runs it on a pool thread (see
:mod:`dayuan_desktop.ui.jobs`); ``context`` only needs ``cancelled`` and ``progress``. Each file is read, checked,
stored once by its sha256, attached to the article after its photos (the lead stays the
lead), given its web rendition and a thumbnail; a file that cannot be imported is listed
with the reason and the others go on. Cancelling stops after the file being read; what was
imported until then is still attached.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

PhotoInput = str | Path | tuple[bytes, str]  # a file, or (bytes, name) from the clipboard


@dataclass
class PhotoImportOutcome:
    """What one import job did."""

    imported: list = field(default_factory=list)  # ImportedPhoto, in the order given
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    known: list[str] = field(default_factory=list)  # sha256 of photos that were already in the library
    already_in_article: list[str] = field(default_factory=list)  # sha256 of those the article had already
    gps: dict[str, bool] = field(default_factory=dict)  # sha256 → the file carries a GPS position
    cancelled: bool = False
    article = None  # the ArticleRecord after the last attach (None if nothing was imported)


def input_name(item: PhotoInput) -> str:
    """The name shown for an input in progress and failure messages."""
    return item[1] if isinstance(item, tuple) else Path(item).name


def import_files(
    store, article_id: int, items: Sequence[PhotoInput], context, thumbnails=None, renditions=None
) -> PhotoImportOutcome:
    """Import ``items`` one by one and attach each to the article ``article_id`` after its photos.

    Each file is read and checked, then stored, attached and given its web rendition by
    :func:`~dayuan_desktop.core.photos.incoming.bring_in_photos` (one transaction per file, so
    what was imported before a cancel or a bad file stays). ``renditions``: (cache folder, long
    side) to make each photo's web rendition now, and its thumbnail from it; None makes
    thumbnails from the originals.
    """
    from dayuan_desktop.core.errors import DayuanError
    from dayuan_desktop.core.photos.importing import ImportedPhoto, IncomingPhoto, read_photo
    from dayuan_desktop.core.photos.incoming import WebRenditions, bring_in_photos

    outcome = PhotoImportOutcome()
    web = WebRenditions(renditions[0], renditions[1], thumbnails) if renditions is not None else None
    attached: set[str] = set()
    total = len(items)
    for done, item in enumerate(items):
        if context.cancelled:
            outcome.cancelled = True
            break
        name = input_name(item)
        context.progress(done, total, name)
        try:
            file = read_photo(item[0], name=name) if isinstance(item, tuple) else read_photo(Path(item))
            existed = _exists(store, file.sha256)
            came = bring_in_photos(store, article_id, [IncomingPhoto.of_file(file)], renditions=web)
        except DayuanError as exc:
            outcome.failed.append((name, str(exc)))
            continue
        except OSError as exc:  # the database folder or a network share going away mid-import
            outcome.failed.append((name, exc.strerror or str(exc)))
            continue
        imported = ImportedPhoto.of(came.stored[0].record, file)
        outcome.imported.append(imported)
        outcome.gps[file.sha256] = file.metadata.gps
        outcome.article = came.article
        attached.update(came.attached)
        if existed:
            outcome.known.append(file.sha256)
        if thumbnails is not None:
            # A thumbnail that cannot be made: the panel shows a placeholder and tries again later.
            with contextlib.suppress(Exception):
                thumbnails.get(file.sha256, file.data)  # a cache hit when made from the rendition
    context.progress(total if not outcome.cancelled else len(outcome.imported), total, "")
    outcome.already_in_article = [sha for sha in dict.fromkeys(outcome.known) if sha not in attached]
    return outcome


class NoProgress:
    """A ``context`` for :func:`import_files` run directly: never cancelled, progress not shown."""

    cancelled = False

    def progress(self, done: int, total: int, label: str) -> None:
        """Progress is not shown."""


def _exists(store, sha256: str) -> bool:
    from dayuan_desktop.core.errors import NotFoundError

    try:
        store.photos.get_photo(sha256)
    except NotFoundError:
        return False
    return True
