"""``channels``: list the channels, or add, rename, move or reorder one."""

from __future__ import annotations

import argparse
from functools import partial

from dayuan_desktop.cli.common import EXIT_OK, UsageError
from dayuan_desktop.core.config import Settings


def list_or_add_channels(args: argparse.Namespace, store, settings: Settings) -> int:
    """With an edit option, make that change and print the channel; otherwise print every channel's path and name."""
    if args.add:
        channel = store.create_channel(args.add, args.name)
    elif args.rename or args.set_path or args.move or args.up or args.down:
        channel = _edit(args, store)
    else:
        for channel in store.list_channels():
            print(f"{channel.path:<20} {channel.name}")
        return EXIT_OK
    print(f"channel {channel.path} ({channel.name})")
    return EXIT_OK


def _edit(args: argparse.Namespace, store):
    """One edit of the tree; a path change that moves published addresses needs --yes."""
    edits = store.channels
    if args.rename:
        path, name = args.rename
        return edits.rename(edits.get(path).id, name)
    if args.set_path or args.move:
        path, target = args.set_path or args.move
        channel_id = edits.get(path).id
        if args.set_path:
            change = edits.preview_segment(channel_id, target)
            apply = partial(edits.set_segment, channel_id, target)
        else:
            parent_id = None if target.strip("/") == "" else edits.get(target.strip("/")).id
            change = edits.preview_move(channel_id, parent_id)
            apply = partial(edits.move, channel_id, parent_id)
        if change.published and not args.yes:
            raise UsageError(
                f"{change.old_path} → {change.new_path} changes the address of {change.published} published "
                "article(s) (the old addresses will redirect); run again with --yes to go ahead"
            )
        channel = apply(confirmed=args.yes)
        if change.published:
            print(f"{change.published} published article(s) moved: their old addresses redirect after the next export")
        return channel
    path, step = (args.up, -1) if args.up else (args.down, 1)
    return edits.shift(edits.get(path).id, step)
