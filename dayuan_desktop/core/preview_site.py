"""A folder laid out like the exported site, holding what the preview of an article loads.

The preview shows the page :class:`~dayuan_desktop.core.render.PortalRenderer` makes for
export, so its relative links (``../../static/portal.css``, ``../../uploads/…jpg``) must
resolve the same way: the portal's static files and the article's photo renditions are
kept here at the paths the page refers to, made with the export's own rendition code.
Writes go through the export's :class:`OutputFolder` (atomic, never outside the folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from dayuan_desktop.core.export.output import OutputFolder
from dayuan_desktop.core.export.rendition_bytes import make_rendition
from dayuan_desktop.core.photos.renditions import RenditionText
from dayuan_desktop.core.records import ArticleRecord
from dayuan_desktop.core.render import article_page_path, rendition_path
from dayuan_desktop.core.resources import portal_template_dir
from dayuan_desktop.core.store import Store
from dayuan_desktop.core.validation import check_web_name


class RenditionTask(NamedTuple):
    """A rendition the page needs: its path in the site and the photo it is made from."""

    path: str
    sha256: str
    text: RenditionText | None = None  # the library's caption, byline and rights, as export writes them


class PreviewSite:
    """The preview's site folder (under the cache folder; its content can always be made again)."""

    def __init__(self, root: Path, *, static_dir: Path | None = None) -> None:
        self.root = Path(root)
        self.static_dir = Path(static_dir) if static_dir is not None else portal_template_dir() / "static"
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

    def missing_renditions(self, article: ArticleRecord, rendition_width: int) -> list[RenditionTask]:
        """The renditions the article's page refers to that are not in the folder yet."""
        tasks: dict[str, RenditionTask] = {}
        for link in article.photos:
            photo = link.photo
            check_web_name(photo.web_name)  # the name becomes a path; the store checked it, so did export
            path = rendition_path(photo, rendition_width)
            if path not in tasks and not self.root.joinpath(*path.split("/")).is_file():
                text = RenditionText.of_photo(photo)
                tasks[path] = RenditionTask(path, photo.sha256, text)
        return list(tasks.values())

    def make_rendition(self, store: Store, task: RenditionTask, rendition_width: int) -> None:
        """Make one rendition from the stored original, exactly as the export does, and write it."""
        self.output.write(task.path, make_rendition(store.photos.photo_bytes(task.sha256), rendition_width, task.text))

    def write_page(self, article: ArticleRecord, html: str) -> Path:
        """Write the page where it would be in the site (for pages too big to hand over in memory)."""
        relative = article_page_path(article)
        self.output.write(relative, html.encode("utf-8"))
        return self.page_file(article)
