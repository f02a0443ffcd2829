"""Plans an export: every file of the site, the key of what it is made from, and which are due.

Every output file has an *input key* (a digest of everything it is made from); a file is due
when the manifest holds another key for it or the folder lacks it. Planning runs on every
export, also when one article of 10,000 changed, so it keys each file on the database's rows
as they come (tuples, times as stored: see :class:`PublishedSources`) and makes objects (jobs,
list items, photo records, parsed times) only for the files that are due. Keying every row
through records and parsed times took ~0.6 s at 10,000 articles, most of an incremental export.

A key built from stored values changes whenever what is made from them does; at worst it
changes when they are only written differently, and the file is rendered again and found
equal (not written).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from dayuan_desktop import __version__
from dayuan_desktop.core.errors import DayuanError, ValidationError
from dayuan_desktop.core.export.feeds import rss_xml, sitemap_xml
from dayuan_desktop.core.export.manifest import Manifest, content_hash, input_key, joined_key
from dayuan_desktop.core.export.output import OutputFolder
from dayuan_desktop.core.export.redirects import plan_redirects
from dayuan_desktop.core.photos.rendition_cache import CachedRendition, RenditionCache, rendition_key
from dayuan_desktop.core.photos.rendition_paths import rendition_site_path
from dayuan_desktop.core.photos.renditions import (
    RENDITION_FORMAT_VERSION,
    RenditionText,
    make_web_rendition,
)
from dayuan_desktop.core.publish_checks import article_label
from dayuan_desktop.core.published_rows import (
    PublishedArticleRow,
    PublishedPhotoRow,
    PublishedSources,
    published_photo,
    stored_time,
)
from dayuan_desktop.core.records import PublishedPhoto
from dayuan_desktop.core.render import (
    HomeSection,
    ListItem,
    PortalRenderer,
    article_page_path_for,
    channel_list_path,
)
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.validation import check_channel_path, check_web_name

if TYPE_CHECKING:
    from dayuan_desktop.core.export.sqlite_source import SqliteSource
    from dayuan_desktop.core.store import Store

# A link to a static file of the site itself: after "{{ root }}", a quote or "url(" (not a CDN's
# ".../static/..."), naming a file (so a path built from a variable is not taken for one).
_STATIC_LINK = re.compile(r"""(?:\{\{\s*root\s*\}\}|["'(])static/([A-Za-z0-9._/-]+\.[A-Za-z0-9]+)\b""")


@dataclass(slots=True)
class DueFile:
    """One due output file: where, what it is made from, and how to make it."""

    path: str
    key: str
    make: Callable[[], bytes] | None = None  # None for article pages (loaded in batches) and renditions
    photo: PublishedPhoto | None = None  # set for renditions (taken from the cache or made on all cores)
    cache_key: str = ""  # the rendition's key in the rendition cache
    text: RenditionText | None = None  # the texts the rendition carries


class PageSource(NamedTuple):
    """A due article page: its article, and (photo sha256, rendition path) of each of its photos."""

    article_id: int
    photo_paths: tuple[tuple[str, str], ...]


@dataclass
class Plan:
    """What an export has to do."""

    due: list[DueFile] = field(default_factory=list)  # static files, article pages, renditions, then lists
    unchanged: int = 0  # files whose key and presence say they are current (all the others)
    wanted: set[str] = field(default_factory=set)  # every file of the site (only those planned with ``only``)
    article_pages: dict[str, PageSource] = field(default_factory=dict)  # of the due article pages
    redirects: list[tuple[str, str]] = field(default_factory=list)  # (old path, new path) of each redirect page


class Planner:
    """Plans exports of one store's site into one folder (see the module's description)."""

    def __init__(
        self, store: Store | SqliteSource, site: SiteSettings, renderer: PortalRenderer, renditions: RenditionCache,
        output: OutputFolder,
    ) -> None:
        self.store, self.site, self.renderer, self.renditions, self.output = store, site, renderer, renditions, output
        self.photo_paths: dict[str, str] = {}  # photo sha256 → its rendition's site path
        self.shown_by: dict[str, int] = {}  # photo sha256 → the number of the first article showing it
        # Renditions made while planning (to learn their format) that the cache could not keep.
        self.ready: dict[str, CachedRendition] = {}

    def plan(self, manifest: Manifest, warnings: list[str], *, only: set[int] | None = None) -> Plan:
        """The export's plan against ``manifest``; with ``only``, just those articles' pages and
        photos (no lists). Articles that cannot be exported are named in ``warnings``."""
        self.photo_paths.clear()  # the library may have changed since the last run
        self.shown_by.clear()
        self.ready = {}
        plan = Plan()
        static_files = list(self._static_files())  # read once: keyed, checked and shipped
        sources = self.renderer.template_sources()
        self._check_static_links(sources, {path for path, _data in static_files})
        global_key = self._global_key(static_files, sources)
        current = _current_check(plan, manifest, self.output)
        for path, data in static_files:
            _add(plan, current, path, input_key("static", content_hash(data)), partial(bytes, data))
        rows = self._exportable(self.store.published_sources(), warnings)
        if only is not None:
            unknown = only - {row.number for row, _photos in rows}
            if unknown:
                raise ValidationError(f"no published article numbered {', '.join(map(str, sorted(unknown)))}")
        self._article_jobs(plan, current, rows, global_key, only, warnings)
        if only is None:
            leads = [self._lead_path(photos) for _row, photos in rows]
            self._list_jobs(plan, current, [row for row, _photos in rows], leads, global_key)
            self._redirect_jobs(plan, current, rows, warnings)
        plan.unchanged = len(plan.wanted) - len(plan.due)
        return plan

    # -- what the site is made from ----------------------------------------------------------
    def _global_key(self, static_files: list[tuple[str, bytes]], sources: dict[str, str]) -> str:
        static = sorted((path, content_hash(data)) for path, data in static_files)
        return input_key(__version__, self.site.fingerprint(), self.renderer.template_fingerprint(sources), static)

    def _static_files(self) -> Iterable[tuple[str, bytes]]:
        folder = self.static_dir()
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                yield "static/" + file.relative_to(folder).as_posix(), file.read_bytes()

    def _check_static_links(self, sources: dict[str, str], shipped: set[str]) -> None:
        """Refuse to export pages whose templates link a static file that will not be there
        (an override folder with its own static/ but no stylesheet gave unstyled pages)."""
        for name, source in sources.items():
            if name.startswith("static/"):
                continue
            for linked in _STATIC_LINK.findall(source):
                if f"static/{linked}" not in shipped:
                    raise DayuanError(
                        f"the template {name} links static/{linked}, which is not in {self.static_dir()}; "
                        "add the file there (or remove the link) and export again"
                    )

    def static_dir(self) -> Path:
        """The static/ folder of the templates in use (a user's own first)."""
        for loader in self.renderer.env.loader.loaders:
            for search_path in loader.searchpath:
                candidate = Path(search_path) / "static"
                if candidate.is_dir():
                    return candidate
        raise DayuanError("the portal templates have no static/ folder")

    def _exportable(self, published: PublishedSources, warnings: list[str]) -> list[_Exportable]:
        """(article row, its photo rows) of each article that can be exported, newest first."""
        channels: dict[str, ValidationError | None] = {}  # channel path → why it cannot be used (checked once each)
        no_photos: list[PublishedPhotoRow] = []
        rows = []
        for row in published.articles:
            number, channel = row.number, row.channel_path
            if number is None or not channel:
                warnings.append(not_exported_line(row.number, row.title, row.channel_path))
                continue
            photos = published.photos.get(row.id, no_photos)
            try:
                if channel not in channels:
                    channels[channel] = _problem(check_channel_path, channel)
                if channels[channel] is not None:
                    raise channels[channel]
                for photo in photos:  # photo names become paths under uploads/
                    check_web_name(photo.web_name)
            except ValidationError as exc:
                warnings.append(f"article {number} not exported: {exc}")
                continue
            rows.append((row, photos))
        return rows

    # -- article pages and their photos --------------------------------------------------------
    def _article_jobs(
        self, plan: Plan, current: _Current, rows: list[_Exportable], global_key: str,
        only: set[int] | None, warnings: list[str],
    ) -> None:
        """Article pages first, then the renditions they link (pages are what editors wait for).

        Every export runs this over every article and photo, so each key is built in one f-string.
        """
        renditions: list[DueFile] = []
        photo_paths = self.photo_paths
        made_from: dict[str, str] = {}  # rendition path → the photo it is made from
        due = plan.due
        for row, photos in rows:
            if only is not None and row.number not in only:
                continue
            shown = []
            for photo in photos:
                path = photo_paths.get(photo.sha256)
                if path is None:
                    path = self._first_sight(current, row.number, photo, made_from, renditions, warnings)
                shown.append(path)
            page = article_page_path_for(row.channel_path, row.number)
            # The stored photo rows: anything that changes how a photo shows on the page.
            key = joined_key(f"{global_key}\x1farticle\x1f{row.id}\x1f{row.version}\x1f{photos}\x1f{shown}\x1f")
            if not current(page, key):
                due.append(DueFile(page, key))
                plan.article_pages[page] = PageSource(row.id, tuple(zip((p.sha256 for p in photos), shown, strict=True)))
        due += renditions

    def _first_sight(
        self, current: _Current, number: int, photo: PublishedPhotoRow, made_from: dict[str, str], renditions: list[DueFile],
        warnings: list[str],
    ) -> str:
        """The rendition path of a photo met for the first time in this plan; its rendition is planned.

        A photo that cannot be decoded keeps its path (the page links it, showing the caption as
        the image's alt text) but no rendition: a warning names it, and every export tries again.
        """
        sha = photo.sha256
        self.shown_by[sha] = number
        try:
            path = self.photo_paths[sha] = self._rendition_path(photo)
        except ValidationError as exc:  # a damaged original that an older version let in
            warnings.append(skipped_photo_warning(number, sha, photo.caption, exc))
            path = self.photo_paths[sha] = rendition_site_path(photo, self.site.rendition_width, provisional=True)
            return path
        if path not in made_from:
            made_from[path] = sha
            self._plan_rendition(current, path, photo, renditions)
        else:  # two photos of one web name and width: the file is the first one's
            warnings.append(f"photos {made_from[path][:12]}… and {sha[:12]}… have the same web "
                            f"name; {path} shows the first (give one of them another web name)")
        return path

    def _plan_rendition(self, current: _Current, path: str, photo: PublishedPhotoRow, due: list[DueFile]) -> None:
        """Key a photo's rendition; its job joins ``due`` unless the folder holds it."""
        # Everything the file is made from (the library's texts, not the file's: an editor may
        # have corrected them after import).
        key = joined_key(
            f"rendition\x1f{RENDITION_FORMAT_VERSION}\x1f{self.site.rendition_width}\x1f{photo.sha256}"
            f"\x1f{photo.caption}\x1f{photo.photographer}\x1f{photo.credit}\x1f{photo.copyright}\x1f"
        )
        if not current(path, key):
            text, cache_key = self._rendition_text_and_key(photo)
            due.append(DueFile(path, key, photo=published_photo(photo), cache_key=cache_key, text=text))

    def _rendition_path(self, photo: PublishedPhotoRow) -> str:
        """The path of a photo's rendition, whose extension says JPEG or PNG.

        Pages link renditions by path, so the format must be known before any page is made: a
        JPEG's rendition is always a JPEG; for other originals the cache knows, and when it does
        not the rendition is made now (once; it is then kept in the cache).
        """
        long_side = self.site.rendition_width
        path = rendition_site_path(photo, long_side)
        if path is None:
            text, cache_key = self._rendition_text_and_key(photo)
            ready = self.renditions.lookup(cache_key)
            if ready is None:
                original = self.store.photos.photo_bytes(photo.sha256)
                ready = self.renditions.put(cache_key, make_web_rendition(
                    original, long_side=long_side, text=text, name=f"photo {photo.sha256[:12]}"))
            if ready.path is None:  # not kept on disk (unwritable cache): keep it for this run instead
                self.ready[cache_key] = ready
            path = rendition_site_path(photo, long_side, ready.format)
        return path

    def _rendition_text_and_key(self, photo: PublishedPhotoRow) -> tuple[RenditionText, str]:
        text = RenditionText.of_library(photo.caption, photo.photographer, photo.copyright, photo.credit)
        return text, rendition_key(photo.sha256, self.site.rendition_width, text)

    # -- lists, home page and feeds -----------------------------------------------------------
    def _lead_path(self, photos: list[PublishedPhotoRow]) -> str:
        """The rendition path of an article's lead photo (the first when none is marked); "" without photos."""
        lead = next((photo for photo in photos if photo.is_lead), photos[0] if photos else None)
        return self.photo_paths.get(lead.sha256, "") if lead is not None else ""

    def _list_jobs(self, plan: Plan, current: _Current, rows: list[PublishedArticleRow], leads: list[str], global_key: str) -> None:
        """Channel list pages, the home page, the feed and the sitemap (``rows`` newest first;
        ``leads``: each row's lead photo rendition, shown beside it and carried by the feed)."""
        # An item sits on several pages (its channel, the parents, home, feed): key it once.
        # The lead photo's path is part of it: another lead photo re-renders the lists it shows on.
        keys = [f"{row.title}\x1f{row.channel_path}/{row.number}\x1f{row.published_at}\x1f{row.summary}\x1f{lead}"
                for row, lead in zip(rows, leads, strict=True)]
        listed = list(zip(rows, leads, strict=True))  # each row with its lead photo's path
        names = {channel.path: channel.name for channel in self.store.list_channels()}
        lineage: dict[str, list[str]] = {}  # channel path → it and its parents (a parent lists its subchannels)
        by_channel: dict[str, list[int]] = {}  # channel path → positions in ``rows``
        for position, row in enumerate(rows):
            channel = row.channel_path
            paths = lineage.get(channel)
            if paths is None:
                parts = channel.split("/")
                paths = lineage[channel] = ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]
            for path in paths:
                by_channel.setdefault(path, []).append(position)
        size = self.site.list_page_size
        for channel_path, positions in sorted(by_channel.items()):
            name = names.get(channel_path, channel_path)
            count = -(-len(positions) // size)
            for number in range(1, count + 1):
                page = positions[(number - 1) * size : number * size]
                key = input_key(global_key, "channel", channel_path, name, number, count, _joined(keys, page))
                _add(plan, current, channel_list_path(channel_path, number), key,
                     partial(self._channel_page, listed, page, channel_path, name, number, count))
        shown = self.site.home_items_per_channel
        home = [(path, names.get(path, path), positions[:shown])
                for path, positions in sorted(by_channel.items()) if "/" not in path]
        key = input_key(global_key, "home", [(path, name, _joined(keys, page)) for path, name, page in home])
        _add(plan, current, "index.html", key, partial(self._home_page, listed, home))
        feed = range(min(self.site.feed_size, len(rows)))
        _add(plan, current, "rss.xml", input_key(global_key, "rss", _joined(keys, feed)),
             lambda: rss_xml(self.site, [_list_item(*listed[i]) for i in feed]))
        entries = [("", "")] + [(channel_list_path(path, 1), "") for path in sorted(by_channel)] + [
            (article_page_path_for(row.channel_path, row.number), _stored_date(row.updated_at)) for row in rows
        ]
        _add(plan, current, "sitemap.xml", input_key(global_key, "sitemap", entries),
             lambda: sitemap_xml(self.site, entries))

    def _redirect_jobs(self, plan: Plan, current: _Current, rows: list[_Exportable], warnings: list[str]) -> None:
        """Redirect pages at old addresses of renumbered or moved articles (never over a real page)."""
        pages = {article_page_path_for(row.channel_path, row.number) for row, _photos in rows}
        for redirect in plan_redirects(self.site, self.store.redirects(), pages, warnings):
            plan.redirects.append((redirect.old_path, redirect.new_path))
            _add(plan, current, redirect.old_path, redirect.key, redirect.make)

    def _channel_page(self, listed: list[_Listed], page: list[int], path: str, name: str, number: int,
                      count: int) -> bytes:
        items = [_list_item(*listed[i]) for i in page]
        return self.renderer.channel_page(path, name, items, number, count).encode("utf-8")

    def _home_page(self, listed: list[_Listed], home: list[tuple[str, str, list[int]]]) -> bytes:
        sections = [HomeSection(path, name, [_list_item(*listed[i]) for i in page]) for path, name, page in home]
        return self.renderer.home_page(sections).encode("utf-8")


_Current = Callable[[str, str], bool]
_Exportable = tuple[PublishedArticleRow, list[PublishedPhotoRow]]  # an article row and its photo rows
_Listed = tuple[PublishedArticleRow, str]  # an article row and its lead photo's rendition path


def _current_check(plan: Plan, manifest: Manifest, output: OutputFolder) -> _Current:
    """``current(path, key)``: whether the folder holds ``path`` as made from inputs of ``key``
    (every path asked about joins ``plan.wanted``)."""
    holds, exists, wanted = manifest.holds, output.exists, plan.wanted.add

    def current(path: str, key: str) -> bool:
        wanted(path)
        return holds(path, key) and exists(path)

    return current


def _add(plan: Plan, current: _Current, path: str, key: str, make: Callable[[], bytes]) -> None:
    """Plan a file made by ``make``; it joins ``plan.due`` unless it is current."""
    if not current(path, key):
        plan.due.append(DueFile(path, key, make=make))


def not_exported_line(number: int | None, title: str, channel: str | None) -> str:
    """Why a published article has no page: named by its number (its title while it has none)."""
    reasons = [reason for reason, missing in (("没有编号", number is None), ("没有栏目", not channel)) if missing]
    return f"{article_label(number, title)}: 未导出：{'，'.join(reasons)}（已发布的文章需要编号和栏目才有页面地址）"


def _problem(check: Callable[[str], object], value: str) -> ValidationError | None:
    try:
        check(value)
    except ValidationError as exc:
        return exc
    return None


def _joined(keys: list[str], positions: Iterable[int]) -> str:
    return "\x1e".join([keys[i] for i in positions])


def _stored_date(value: object) -> str:
    """``YYYY-MM-DD`` of a stored UTC time (as text on SQLite, a datetime elsewhere)."""
    return str(value)[:10] if value is not None else ""


def _list_item(row: PublishedArticleRow, lead: str) -> ListItem:
    return ListItem(
        title=row.title, path=article_page_path_for(row.channel_path, row.number),
        published_at=stored_time(row.published_at), summary=row.summary, channel_path=row.channel_path, image=lead,
    )


def skipped_photo_warning(number: int | None, sha256: str, caption: str, error: Exception) -> str:
    """The export's warning for a photo it cannot decode: the article (#number), the photo, why."""
    where = f"#{number}" if number is not None else "an article"
    label = f"{caption[:30]} ({sha256[:12]})" if caption else sha256[:12]
    return f"{where}: photo {label} not exported, its page shows the caption without the image: {error}"
