"""Photo commands: photo add, photo info; and making web renditions right after photos come in."""

from __future__ import annotations

import argparse

from dayuan_desktop.cli.common import EXIT_OK, when
from dayuan_desktop.core.config import Settings


def add_photos(args: argparse.Namespace, store, settings: Settings) -> int:
    """``photo add``: attach photo files to an article, placed at the end of its body."""
    from dayuan_desktop.core.captions import compose_caption
    from dayuan_desktop.core.photos import add_photos_to_article

    result = add_photos_to_article(
        store, args.reference, args.files, caption=args.caption, photographer=args.photographer,
        zone=settings.site_timezone, renditions=web_renditions(store, settings),
    )
    number = f"#{result.article.number}" if result.article.number is not None else result.article.uuid
    for item in result.photos:
        line = compose_caption(item.photo.caption, item.photo.photographer) or "(no caption)"
        print(f"added {item.photo.sha256[:12]} {item.file.name} to {number}: {line}")
        for problem in item.problems:
            print(f"  problem: {problem.message}")
        for note in item.file.notes:
            print(f"  note: {note}")
    print(f"{len(result.photos)} photo(s) added to {number}, {len(result.placed)} placed at the end of the body")
    print_not_rendered(result.not_rendered.items())
    return EXIT_OK


def web_renditions(store, settings: Settings, site=None):
    """Where the photos that come in get their web renditions, so the next export only copies them."""
    from dayuan_desktop.core.photos.incoming import WebRenditions
    from dayuan_desktop.core.site import load_site_settings

    site = site or load_site_settings(store.db)
    return WebRenditions(settings.cache_dir, site.rendition_width)


def print_not_rendered(failed) -> None:
    """A note per photo whose web rendition could not be made now ((sha256, why) pairs)."""
    for sha, reason in failed:
        print(f"  note: no web rendition yet for photo {sha[:12]} ({reason}); the export will try again")


def show_photo_info(args: argparse.Namespace, settings: Settings) -> int:
    """``photo info``: what a photo file says, its problems, what its web rendition keeps (no database)."""
    from dayuan_desktop.core.photos import read_photo

    photo = read_photo(args.file, zone=settings.site_timezone)
    meta = photo.metadata
    caption, photographer = photo.text()

    def sourced(value: str, field: str) -> str:
        return f"{value} ({meta.sources[field]})" if value and field in meta.sources else (value or "-")

    turned = f" (EXIF orientation {meta.orientation} applied)" if meta.orientation != 1 else ""
    lines = [
        ("file", f"{photo.name} ({photo.format}, {len(photo.data):,} bytes)"),
        ("sha256", photo.sha256),
        ("size", f"{photo.width} x {photo.height} px as shown{turned}"),
        ("taken", sourced(when(meta.taken_at, settings) if meta.taken_at else "", "taken_at")),
        ("caption", sourced(caption, "caption")),
        ("photographer", sourced(photographer, "photographer")),
        ("credit", sourced(meta.credit, "credit")),
        ("copyright", sourced(meta.copyright, "copyright")),
        ("keywords", sourced(", ".join(meta.keywords), "keywords")),
        ("GPS", "present (removed from every published copy)" if meta.gps else "none"),
        ("caption line", photo.composed_caption() or "-"),
    ]
    for label, value in lines:
        print(f"{label:>13}: {value}")
    _print_problems_and_notes(photo)
    _print_rendition(photo, caption, photographer)
    return EXIT_OK


def _print_problems_and_notes(photo) -> None:
    problems = photo.problems()
    print(f"{'problems':>13}: {'none' if not problems else len(problems)}")
    for problem in problems:
        print(f"{'':>15}- {problem.message}")
    for note in photo.notes:
        print(f"{'note':>13}: {note}")


def _print_rendition(photo, caption: str, photographer: str) -> None:
    """What the web rendition of this file would be, and which of its texts it keeps and drops."""
    from dayuan_desktop.core.photos import make_web_rendition

    meta = photo.metadata
    rendition = make_web_rendition(photo.data, text=None, name=photo.name)
    kept = [name for name, value in (("caption", caption), ("photographer", photographer),
                                     ("copyright", meta.copyright), ("credit", meta.credit)) if value]
    print(f"{'rendition':>13}: {rendition.format} {rendition.width} x {rendition.height} px, sRGB, upright, "
          f"{len(rendition.data):,} bytes")
    print(f"{'keeps':>13}: " + (", ".join(kept) + " (as XMP; photographer and copyright also as EXIF Artist/Copyright)"
                                  if kept else "no texts (the file has none)"))
    print(f"{'drops':>13}: " + ("; ".join(meta.dropped) if meta.dropped else "nothing (the file carries no metadata)"))
