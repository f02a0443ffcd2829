"""``channels``: list the channels, or add one."""

from __future__ import annotations

import argparse

from dayuan_desktop.cli.common import EXIT_OK
from dayuan_desktop.core.config import Settings


def list_or_add_channels(args: argparse.Namespace, store, settings: Settings) -> int:
    """With ``--add PATH``, create that channel; otherwise print every channel's path and name."""
    if args.add:
        channel = store.create_channel(args.add, args.name)
        print(f"channel {channel.path} ({channel.name})")
        return EXIT_OK
    for channel in store.list_channels():
        print(f"{channel.path:<20} {channel.name}")
    return EXIT_OK
