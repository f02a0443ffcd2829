"""``tags suggest NUMBER``: the tag suggestions for one article, best first, one per line."""

from __future__ import annotations

import argparse
import sys

from dayuan_desktop.cli.common import EXIT_OK
from dayuan_desktop.core.config import Settings


def suggest_tags(args: argparse.Namespace, store, settings: Settings) -> int:
    """Print up to eight suggested tags for the article (the first run loads jieba's dictionary)."""
    from dayuan_desktop.core.tags.engine import SuggestionEngine  # jieba is heavy: only for this command

    store.find_article(args.reference)  # an unknown number fails before the dictionary loads
    engine = SuggestionEngine(store, settings.data_dir)
    engine.load()
    suggestions = engine.suggest_for(args.reference)
    if not suggestions:
        print("no suggestions (the article has no text, or no word stands out)", file=sys.stderr)
    for tag in suggestions:
        print(tag)
    return EXIT_OK
