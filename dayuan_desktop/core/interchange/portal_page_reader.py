"""Reading a portal article page: its text, its fields, its address, its body and its photos.

The page template names every part: ``h1.article-title``, ``p.article-subtitle``, the meta
line (``span.author``, ``span.source``, ``time``, ``span.comment-count``, ``a.tag``), the
counters (``span.view-count``, ``span.like-count``), ``div.article-content`` and, in the
head, ``meta name="description"`` (the summary), ``dayuan:uuid`` and ``dayuan:status``. The
article's channel and number come from its address (``link rel="canonical"`` or the
``本文地址:`` link, e.g. ``…/gsyl/lzgs/4709.html``), else from where the file sits in an
exported site. Photos are read from the rendition files the page points at, inside the
site folder only, and keep their web name so a new export writes the same URLs.
"""

from __future__ import annotations

import codecs
import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from dayuan_desktop.core.captions import split_caption
from dayuan_desktop.core.errors import DayuanError, ValidationError
from dayuan_desktop.core.files import read_limited, read_regular_file
from dayuan_desktop.core.interchange.html_to_markdown import body_to_markdown
from dayuan_desktop.core.interchange.html_tree import Document, Element, parse_html
from dayuan_desktop.core.photos import PhotoFile, read_photo
from dayuan_desktop.core.photos.decoding import MAX_FILE_BYTES as MAX_PHOTO_BYTES
from dayuan_desktop.core.photos.decoding import file_too_big
from dayuan_desktop.core.photos.rendition_paths import rendition_site_path
from dayuan_desktop.core.records import PhotoRecord
from dayuan_desktop.core.render import render_body
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.validation import check_channel_path, check_web_name

MAX_PAGE_BYTES = 20 * 1024 * 1024
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ADDRESS = re.compile(r"^/?(?P<channel>[^?#]*)/(?P<number>[0-9]{1,10})\.html?$")
_RENDITION = re.compile(r"(?:^|/)uploads/(?P<web>[0-9]{4}/[0-9]{2}/[0-9a-f]{8,64})-[0-9]{1,6}\.[a-z]{3,4}$")
_ADDRESS_LABEL = re.compile(r"本文地址\s*[:：]\s*(https?://\S+)")
SITE_MANIFEST = ".dayuan-export.json"  # written by every export at the site's root
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


@dataclass
class PagePhoto:
    """A photo of the page: the image file it shows (read and checked) and its caption line's parts."""

    path: Path
    file: PhotoFile
    caption: str
    photographer: str
    web_name: str | None  # from the rendition's address, uploads/<web name>-<size>.jpg

    @property
    def sha256(self) -> str:
        return self.file.sha256

    def record(self, caption: str) -> PhotoRecord:
        """The photo as the render pipeline would see it once stored with this caption."""
        meta = self.file.metadata
        return PhotoRecord(
            0, self.sha256, self.file.format, self.file.width, self.file.height, len(self.file.data), caption,
            self.photographer, meta.credit, meta.copyright, self.path.name, meta.taken_at, self.web_name or "",
        )


@dataclass
class ParsedPortalPage:
    """A portal page read from disk, before it is stored."""

    values: dict
    photos: list[PagePhoto] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    raw_blocks: int = 0


@dataclass(frozen=True)
class MirrorContext:
    """Where a page of a mirrored copy of the site sits (``import DIR``; see ``site_mirror``).

    ``root`` is the mirrored site's folder: ``/uploads/…`` and full addresses of ``host`` are
    read below it, and no image is read from outside it (one pointing out is left out with a
    warning, and so is one the mirror lacks, rather than failing the page). ``channel`` is the
    channel the page's folder names, used when the page gives no address of its own.
    """

    root: Path
    host: str | None = None
    channel: str | None = None


class _LeftOut(Exception):
    """An image of a mirrored page that is left out; the message is the page's warning."""


# -- reading ------------------------------------------------------------------------------------


def read_page_text(path: Path) -> str:
    """The page's text: size checked, decoded by its declared charset (else UTF-8)."""
    raw = read_limited(path, MAX_PAGE_BYTES)
    declared = _CHARSET.search(raw[:4096])
    encoding = "utf-8"
    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding, declared = "utf-16", None  # the byte order mark says more than any <meta> could
    elif declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            encoding = codecs.lookup(name).name
        except LookupError:
            raise ValidationError(f"{path}: the page declares an unknown charset '{name}'") from None
        if encoding in ("gb2312", "gbk"):
            encoding = "gb18030"  # a superset; pages labelled GB2312 often use GBK characters
    try:
        text = raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        if encoding == "utf-16" and text[:1] == "\ufeff":
            text = text[1:]
    except UnicodeDecodeError as exc:
        hint = " (declare its charset in <meta charset>, e.g. gb18030)" if not declared else ""
        raise ValidationError(
            f"{path}: not valid {encoding} text: byte 0x{raw[exc.start]:02x} at offset {exc.start}{hint}"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


def read_portal_page(
    path: Path, *, site: SiteSettings | None = None, allow_outside: bool = False, mirror: MirrorContext | None = None
) -> ParsedPortalPage:
    """Parse one page and read its photos; raises ValidationError / NotFoundError saying what is wrong.

    Photos come only from the site folder the page sits in, unless ``allow_outside``; for a
    page of a mirror, only from ``mirror.root`` (``allow_outside`` does not widen it).
    """
    path = Path(path)
    site = site or SiteSettings()
    document = parse_html(read_page_text(path))
    try:
        return _PageReader(path, document, site, allow_outside, mirror).read()
    except RecursionError:
        raise ValidationError("the page nests elements too deeply to read") from None


class _PageReader:
    def __init__(
        self, path: Path, document: Document, site: SiteSettings, allow_outside: bool, mirror: MirrorContext | None
    ) -> None:
        self.path = path
        self.mirror = mirror
        self.allow_outside = allow_outside and mirror is None  # a mirror's pages never read outside it
        self.document = document
        self.site = site
        self.zone = ZoneInfo(site.timezone)
        self.metas = {}
        for meta in document.find_all("meta"):
            name = meta.get("name").lower()
            if name and name not in self.metas:
                self.metas[name] = meta.get("content")
        self.warnings: list[str] = []
        self.photos: list[PagePhoto] = []
        self.sources: dict[str, str] = {}
        # Every element by class, in document order, in one walk: the page's ten or so named parts
        # were each looked for by walking the whole tree twice (~2.5 ms of a page's ~11 ms).
        self.by_class: dict[str, list[Element]] = {}
        for element in document.root.iter():
            for name in element.classes:
                self.by_class.setdefault(name, []).append(element)
        self.meta_line = next((e for e in self.by_class.get("article-meta", ()) if e.tag == "div"), None)

    def _one(self, cls: str, tag: str | None = None) -> Element | None:
        """The first element of class ``cls`` (and ``tag``) in the meta line, else in the page."""
        found = self.meta_line.find(tag, cls) if self.meta_line is not None else None
        if found is not None:
            return found
        return next((e for e in self.by_class.get(cls, ()) if tag is None or e.tag == tag), None)

    def _text(self, cls: str) -> str:
        element = self._one(cls)
        return element.text().strip() if element is not None else ""

    def read(self) -> ParsedPortalPage:
        title = self._one("article-title") or self.document.find("h1")
        content = self._one("article-content")
        if title is None or content is None:
            missing = "<h1> title" if title is None else '<div class="article-content">'
            raise ValidationError(f"not a portal article page: it has no {missing}")
        if content.end is None or not self.document.saw_html_end:
            what = "its article content is never closed" if content.end is None else "</html> is missing"
            raise ValidationError(f"the page ends early ({what}); the file looks truncated")
        channel, number = self._address()
        own_export = "dayuan:uuid" in self.metas or "dayuan:status" in self.metas
        self.root = self.mirror.root.resolve() if self.mirror else self._site_root(channel)
        body = body_to_markdown(self.document, content, self._photo_line, own_export=own_export, render=self._render)
        self.warnings += body.warnings
        values = {
            "title": title.text().strip(),
            "subtitle": self._text("article-subtitle"),
            "author": self._text("author") or self.metas.get("author", ""),
            "source": self._text("source"),
            "published_at": self._published(),
            "summary": self.metas.get("description", ""),
            "status": self.metas.get("dayuan:status") or "published",
            "tags": self._tags(),
            "comment_count": self._count("comment-count"),
            "like_count": self._count("like-count"),
            "view_count": self._count("view-count"),
            "channel_path": channel,
            "number": number,
            "body": body.markdown,
        }
        if self.metas.get("dayuan:uuid"):
            values["uuid"] = self.metas["dayuan:uuid"]
        if not values["title"]:
            raise ValidationError("the page's title is empty")
        return ParsedPortalPage(values, self.photos, self.warnings, body.raw_blocks)

    # -- meta line ------------------------------------------------------------------------
    def _published(self) -> dt.datetime | None:
        meta_line = self.document.find("div", "article-meta")
        time = (meta_line or self.document.root).find("time")
        if time is None:
            return None
        stamp = time.get("datetime").strip()
        if stamp:
            try:
                moment = dt.datetime.fromisoformat(stamp)
                return moment if moment.tzinfo else moment.replace(tzinfo=self.zone)
            except ValueError:
                pass
        shown = time.text().strip()
        if not shown:
            return None
        for pattern in _TIME_FORMATS:
            try:
                return dt.datetime.strptime(shown, pattern).replace(tzinfo=self.zone)
            except ValueError:
                continue
        raise ValidationError(f"the publish time {shown!r:.60} is not a time such as 2022-12-13 14:46:28")

    def _count(self, cls: str) -> int:
        shown = self._text(cls).replace(",", "")
        if not shown:
            return 0
        if not shown.isascii() or not shown.isdigit():
            raise ValidationError(f"the {cls.replace('-', ' ')} {shown!r:.40} is not a whole number")
        return int(shown)

    def _tags(self) -> list[str]:
        holder = self._one("tags")
        tags = [a.text().strip() for a in holder.find_all("a", "tag")] if holder is not None else []
        if not tags and self.metas.get("keywords"):
            tags = re.split(r"[,，、]", self.metas["keywords"])
        return [tag for tag in tags if tag]

    # -- where the page belongs -----------------------------------------------------------
    def _address(self) -> tuple[str | None, int | None]:
        canonical = next((link for link in self.document.find_all("link") if link.get("rel") == "canonical"), None)
        url = canonical.get("href") if canonical is not None else ""
        if not url:
            copyright_block = self._one("article-copyright")
            link = copyright_block.find("a") if copyright_block is not None else None
            url = link.get("href") if link is not None else ""
        if not url:
            found = _ADDRESS_LABEL.search(self.document.root.text())
            url = found.group(1) if found else ""
        if url:
            return self._channel_and_number(url, f"the page address {url!r:.120}")
        if self.mirror is not None:
            return self._address_from_mirror()
        return self._address_from_file()

    def _address_from_mirror(self) -> tuple[str | None, int | None]:
        """No address in a mirrored page: its folder's channel, its file name's number."""
        stem = self.path.stem
        number = int(stem) if stem.isascii() and stem.isdigit() and len(stem) <= 10 else None
        if self.mirror.channel is None or number is None:
            self.warnings.append("the page gives no address (本文地址); imported without channel and number")
            return None, None
        return self.mirror.channel, number

    def _channel_and_number(self, url: str, what: str) -> tuple[str, int]:
        path = unquote(urlsplit(url).path)
        base = urlsplit(self.site.base_url).path.rstrip("/")
        if base and path.startswith(base + "/"):
            path = path[len(base) :]
        match = _ADDRESS.match(path)
        if match is None:
            raise ValidationError(f"{what} is not of the form <site>/<channel>/<number>.html")
        try:
            channel = check_channel_path(match.group("channel"))
        except ValidationError as exc:
            raise ValidationError(f"{what}: {exc}") from None
        return channel, int(match.group("number"))

    def _address_from_file(self) -> tuple[str | None, int | None]:
        """No address in the page: where the file sits in an exported site (``site/gsyl/lzgs/4709.html``)."""
        stylesheet = next((link for link in self.document.find_all("link") if link.get("rel") == "stylesheet"), None)
        href = stylesheet.get("href") if stylesheet is not None else ""
        depth = len(re.match(r"^(?:\.\./)*", href).group(0)) // 3
        folder = self.path.resolve().parent
        parts = folder.parts[len(folder.parts) - depth :] if depth else ()
        if depth and len(parts) == depth:
            relative = "/".join([*parts, self.path.name])
            try:
                return self._channel_and_number(relative, f"the file's place in the site ({relative})")
            except ValidationError:
                pass
        self.warnings.append("the page gives no address (本文地址); imported without channel and number")
        return None, None

    def _site_root(self, channel: str | None) -> Path:
        """The exported site's folder (``site`` of ``site/gsyl/lzgs/4709.html``), or the page's own
        folder when it does not sit in its channel's folder: photos are only read from inside it.

        The channel comes from the page itself, so a page could name a channel as long as the
        path it sits in (``home/me/downloads``) to make ``/`` its site folder. The folder above
        the channel's folders counts as the site only when it holds what a site holds (its
        ``uploads`` folder or an export's manifest); otherwise the page's own folder is the limit.
        """
        folder = self.path.resolve().parent
        segments = tuple(channel.split("/")) if channel else ()
        if segments and folder.parts[-len(segments) :] == segments:
            root = Path(*folder.parts[: -len(segments)])
            if (root / "uploads").is_dir() or (root / SITE_MANIFEST).is_file():
                return root
        return folder

    # -- photos ---------------------------------------------------------------------------
    def _photo_line(self, img: Element, caption_line: str) -> str:
        src = img.get("src").strip()
        caption, photographer = split_caption(caption_line)
        if len(photographer) > 200:
            raise ValidationError(f"the photographer in the caption of image '{src}' is over 200 characters long")
        try:
            file = self._image_file(src)
            photo = self._read_photo(file, src, caption, photographer) if file is not None else None
        except _LeftOut as exc:
            self.warnings.append(str(exc))
            return ""
        if file is None:
            if re.fullmatch(r"https?://[^\s()<>]+", src):
                self.warnings.append(f"image {src!r:.120} is not a file of the site; left as a link")
                return f"![{_alt(caption_line)}]({src})"
            self.warnings.append(f"image {src[:60]!r} is not a file of the site; left out")
            return ""
        self.photos.append(photo)
        self.sources[photo.sha256] = src
        return f"![{_alt(caption)}](photo:{photo.sha256})"

    def _render(self, markdown: str) -> str:
        """The body as the export would render it with the page's photos once stored."""
        captions = photo_captions(self.photos)
        records = {photo.sha256: photo.record(caption) for photo, caption in zip(self.photos, captions, strict=True)}
        return render_body(markdown, records, lambda photo: self.sources[photo.sha256])

    def _image_file(self, src: str) -> Path | None:
        """The local file an image address points at (inside the site folder), or None for remote ones."""
        parts = urlsplit(src)
        site = urlsplit(self.site.base_url)
        hosts = {site.netloc.lower(), (self.mirror.host or "").lower() if self.mirror else ""} - {""}
        if parts.scheme or parts.netloc:
            if parts.scheme not in ("http", "https", "") or parts.netloc.lower() not in hosts:
                return None
            relative = unquote(parts.path)
            base = site.path.rstrip("/")
            relative = relative[len(base) :] if base and relative.startswith(base + "/") else relative
            target = self.root / relative.lstrip("/")
        elif parts.path.startswith("/"):
            target = self.root / unquote(parts.path).lstrip("/")
        else:
            target = self.path.parent / posixpath.normpath(unquote(parts.path))
        if self.mirror is not None:
            return self._mirror_file(target, src)
        resolved = target.resolve()
        if not resolved.is_relative_to(self.root) and not self.allow_outside:
            raise ValidationError(
                f"image {src!r:.120} points outside the site folder {self.root}: {resolved} "
                "(import pages from inside their site, or import --allow-outside)"
            )
        return resolved

    def _mirror_file(self, target: Path, src: str) -> Path:
        """The file of a mirrored page's image, inside the mirror; _LeftOut (a warning) otherwise."""
        try:
            resolved = target.resolve()
        except (OSError, RuntimeError) as exc:  # a loop of symbolic links (RuntimeError before Python 3.13)
            raise _LeftOut(f"image {src!r:.120} cannot be resolved ({exc}); left out") from None
        if not resolved.is_relative_to(self.root):
            raise _LeftOut(f"image {src!r:.120} points outside the mirrored site {self.root}; left out")
        return resolved

    def _read_photo(self, file: Path, src: str, caption: str, photographer: str) -> PagePhoto:
        label = f"image '{src}'"
        # A regular file only (never a pipe or a device), not a link planted after the check above.
        try:
            data = read_regular_file(file, MAX_PHOTO_BYTES, label=label, too_big=file_too_big, no_symlink=True)
            photo_file = read_photo(data, name=label, zone=self.site.timezone)
        except DayuanError as exc:
            if self.mirror is None:
                raise
            # A mirror often lacks a file or holds a broken one: the article comes in without it.
            raise _LeftOut(f"{exc}; left out") from None
        match = _RENDITION.search(urlsplit(src).path)
        web_name = check_web_name(match.group("web")) if match else None
        photo = PagePhoto(file, photo_file, caption, photographer, web_name)
        if web_name:
            record = photo.record(caption)
            # A JPEG's one name; a PNG, GIF, WebP or TIFF's .jpg or .png, depending on its pixels.
            again = sorted({rendition_site_path(record, self.site.rendition_width, fmt) for fmt in ("JPEG", "PNG")})
            if not unquote(urlsplit(src).path).endswith(tuple(again)):
                self.warnings.append(f"image '{src}' will be exported as {' or '.join(again)}")
        return photo


def _alt(caption: str) -> str:
    """A caption fit for the ``![…]`` of a photo line (one line, no closing bracket)."""
    return re.sub(r"\s+", " ", caption).replace("]", "］").strip()


def photo_captions(photos: list[PagePhoto]) -> list[str]:
    """The caption to store with each photo: its own, or none when the page shows it with several.

    A photo without a caption of its own is shown with the text of each photo line, so a
    photo captioned differently in two places of one page keeps its captions in the body.
    """
    seen: dict[str, set[str]] = {}
    for photo in photos:
        seen.setdefault(photo.sha256, set()).add(photo.caption)
    return [photo.caption if len(seen[photo.sha256]) == 1 else "" for photo in photos]
