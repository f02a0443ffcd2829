"""A folder laid out like the exported site, holding what the preview of an article loads.

The preview shows the page :class:`~dayuan_desktop.core.render.PortalRenderer` makes for
export, so its relative links (``../../static/portal.css``, ``../../uploads/…jpg``) must
resolve the same way: the portal's static files and the article's photo renditions are
kept here at the paths the page refers to. A rendition's path is decided by the one function
the export also asks, :func:`~dayuan_desktop.core.photos.rendition_paths.rendition_site_path`
(``.png`` for a PNG rendition, as the export names it), and
its bytes are the export's: taken from the :class:`RenditionCache` the export and the photo
import share (hard-linked when the file system allows), made only when the cache lacks them.
Writes go through the export's :class:`OutputFolder` (atomic, never outside the folder).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.export.output import OutputFolder
from dayuan_desktop.core.export.page_workers import RenditionPathLookup
from dayuan_desktop.core.photos.rendition_cache import CachedRendition, RenditionCache, rendition_key
from dayuan_desktop.core.photos.rendition_paths import rendition_site_path
from dayuan_desktop.core.photos.renditions import RenditionText, make_web_rendition
from dayuan_desktop.core.records import ArticleRecord
from dayuan_desktop.core.render import PortalRenderer, article_page_path
from dayuan_desktop.core.resources import portal_template_dir
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.validation import check_web_name


class RenditionTask(NamedTuple):
    """A rendition the page needs that the rendition cache does not hold yet."""

    key: str  # its key in the rendition cache
    sha256: str
    text: RenditionText  # the library's caption, byline and rights, as export writes them
    label: str  # how messages name it: its path in the site, or the photo's web name while the format is unknown


class PreviewPage(NamedTuple):
    """An article's page as the preview shows it, and what its photos still need."""

    html: str
    missing: list[RenditionTask]  # renditions to make (then render again: a PNG's path may change)
    failed: dict[str, str]  # rendition path → why it could not be put in the folder


class PreviewSite:
    """The preview's site folder (under the cache folder; its content can always be made again)."""

    def __init__(self, root: Path, *, cache_dir: Path, static_dir: Path | None = None) -> None:
        """``cache_dir``: the user cache folder holding the export's rendition cache."""
        self.root = Path(root)
        self.static_dir = Path(static_dir) if static_dir is not None else portal_template_dir() / "static"
        self.renditions = RenditionCache(cache_dir)
        # Renditions made here that the cache could not keep (a full or read-only disk), by key.
        self._kept: dict[str, CachedRendition] = {}
        self._output: OutputFolder | None = None

    @property
    def output(self) -> OutputFolder:
        """The folder, created on first use (raises ValidationError when it cannot be)."""
        if self._output is None:
            self._output = OutputFolder(self.root)
        return self._output

    def page_file(self, article: ArticleRecord) -> Path:
        """Where the article's page would be in the site (its links are relative to this)."""
        return self.root.joinpath(*article_page_path(article).split("/"))

    def sync_static(self) -> list[str]:
        """Copy the portal's static files that are missing or differ; returns the paths written."""
        written = []
        for file in sorted(self.static_dir.rglob("*")):
            if not file.is_file():
                continue
            relative = "static/" + file.relative_to(self.static_dir).as_posix()
            data = file.read_bytes()
            if self.output.read(relative) != data:
                self.output.write(relative, data)
                written.append(relative)
        return written

    def render(self, renderer: PortalRenderer, article: ArticleRecord) -> PreviewPage:
        """The article's page with each photo linked where the export puts it, the renditions the
        cache holds placed there; the page is the export's byte for byte once none is missing."""
        width = renderer.site.rendition_width
        paths: dict[str, str] = {}
        missing: dict[str, RenditionTask] = {}
        failed: dict[str, str] = {}
        for link in article.photos:
            photo = link.photo
            if photo.sha256 in paths:
                continue
            check_web_name(photo.web_name)  # the name becomes a path; the store checked it, so did export
            text = RenditionText.of_photo(photo)
            key = rendition_key(photo.sha256, width, text)
            cached = self._kept.get(key) or self.renditions.lookup(key)
            path = rendition_site_path(photo, width, cached.format if cached is not None else None)
            if cached is None:
                missing[key] = RenditionTask(key, photo.sha256, text, path or photo.web_name)
            elif (problem := self._place(path, cached)) is not None:
                failed[path] = problem
            # Unknown until made (a PNG original): the provisional path, as the export links one it cannot make.
            paths[photo.sha256] = path or rendition_site_path(photo, width, provisional=True)
        html = renderer.article_page(article, RenditionPathLookup(paths, width))
        return PreviewPage(html, list(missing.values()), failed)

    def _place(self, path: str, cached: CachedRendition) -> str | None:
        """Put a cached rendition at ``path`` unless it is there already; the reason when it cannot be."""
        try:
            if not self.output.holds_content(path, cached.sha256, same_as=cached.path):
                self.output.link_or_write(path, cached.path, lambda: cached.data)
        except (DayuanError, OSError) as exc:
            return str(exc) or type(exc).__name__
        return None

    def make_renditions(
        self, store: Store, tasks: list[RenditionTask], width: int, cancelled: Callable[[], bool] = lambda: False,
    ) -> tuple[list[RenditionTask], dict[str, str]]:
        """Make renditions the cache lacks, exactly as the export does, and keep them there.

        Returns the tasks done and, by key, why the others failed (one bad photo never stops
        the rest). The next :meth:`render` links them where the page looks for them.
        """
        made, failed = [], {}
        for task in tasks:
            if cancelled():
                break
            try:
                original = store.photos.photo_bytes(task.sha256)
                rendition = make_web_rendition(original, long_side=width, text=task.text, name=task.label)
            except Exception as exc:  # noqa: BLE001 - a damaged or missing photo: said, the others go on
                failed[task.key] = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                continue
            kept = self.renditions.put(task.key, rendition)
            # A cache folder that cannot be written (or read back): held for this session instead,
            # so that the next render finds it and does not ask for it again.
            if kept.path is None or self.renditions.lookup(task.key) is None:
                self._kept[task.key] = replace(kept, path=None)  # its bytes, not a file that may be unsound
            made.append(task)
        return made, failed

    def write_page(self, article: ArticleRecord, html: str) -> Path:
        """Write the page where it would be in the site (for pages too big to hand over in memory)."""
        relative = article_page_path(article)
        self.output.write(relative, html.encode("utf-8"))
        return self.page_file(article)

