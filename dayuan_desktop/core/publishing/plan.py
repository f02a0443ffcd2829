"""What goes up, and in which order, so that no visitor ever sees a broken page.

Stages, each finished (and confirmed by the server) before the next starts: photos and
static files; article pages; channel lists and the home page; feeds and the sitemap; then
deletions, at most ``max_deletes`` of them. A page therefore never links to a photo that is
not there yet, and nothing is removed while a page may still point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dayuan_desktop.core.publishing.record import TargetRecord
from dayuan_desktop.core.publishing.scan import SiteFile

ASSETS, ARTICLES, LISTS, FEEDS = range(4)
STAGE_NAMES = {ASSETS: "photos and static files", ARTICLES: "article pages",
               LISTS: "channel lists and home page", FEEDS: "feeds and sitemap"}
DEFAULT_MAX_DELETES = 256
_ARTICLE_PAGE = re.compile(r"(?:^|/)\d+\.html?$")
_FEED_NAMES = ("sitemap", "rss", "atom", "feed")


def stage_of(path: str) -> int:
    """The stage a site file belongs to (see the module's docstring)."""
    name = path.rsplit("/", 1)[-1].lower()
    if name.endswith((".xml", ".rss", ".atom")) or (name.endswith(".json") and name.startswith(_FEED_NAMES)):
        return FEEDS
    if not name.endswith((".html", ".htm")):
        return ASSETS
    return ARTICLES if _ARTICLE_PAGE.search(name) else LISTS


@dataclass
class Batch:
    """The uploads of one stage, sent in parallel; the next stage waits for all of them."""

    stage: int
    files: list[SiteFile]

    @property
    def bytes(self) -> int:
        """Bytes this batch sends."""
        return sum(item.size for item in self.files)


@dataclass
class PublishPlan:
    """Ordered batches, then deletions; what is left as it is, and deletions held back."""

    batches: list[Batch] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    unchanged: int = 0
    deletes_held: int = 0  # more deletions than allowed: none is done, this many wait

    @property
    def uploads(self) -> list[SiteFile]:
        """Every upload, in order."""
        return [item for batch in self.batches for item in batch.files]

    @property
    def upload_bytes(self) -> int:
        """Bytes to send in all."""
        return sum(batch.bytes for batch in self.batches)


def make_plan(site: dict[str, SiteFile], record: TargetRecord, max_deletes: int = DEFAULT_MAX_DELETES) -> PublishPlan:
    """Compare the site with what the target is recorded to hold.

    More deletions than ``max_deletes`` (a wrong site folder, say, would delete the whole
    portal) means none is done: they are counted in ``deletes_held`` for the caller to report.
    """
    plan = PublishPlan()
    stages: dict[int, list[SiteFile]] = {}
    for path in sorted(site):
        item = site[path]
        if record.holds(path, item.sha256):
            plan.unchanged += 1
        else:
            stages.setdefault(stage_of(path), []).append(item)
    plan.batches = [Batch(stage, stages[stage]) for stage in sorted(stages)]
    # Deepest first, so that a folder's files go before anything that might list it.
    gone = sorted((path for path in record.files if path not in site), key=lambda p: (-p.count("/"), p))
    if len(gone) > max_deletes:
        plan.deletes_held = len(gone)
    else:
        plan.deletes = gone
    return plan
