"""Podcasts and other enclosures on the command line: `tidings download ID [--all-new FEED]`,
`tidings downloads` (the queue) and `tidings play ID` (reader/downloads.py)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys

from reader import textsafe
from reader.commands import Context, Subparsers, command, out
from reader.errors import UsageError
from reader.models import ItemQuery
from reader.store.downloadsql import DownloadList


def register(subs: Subparsers) -> None:
    """The download, downloads and play subcommands."""
    d = command(
        subs,
        "download",
        "download an item's enclosures (podcast episodes) into [enclosures] dir, with progress;"
        " downloads a stopped session left queued go on too",
        "tidings download 42",
        cmd_download,
    )
    d.add_argument(
        "id", type=int, nargs="?", help="the item (see tidings list; none: only what is queued)"
    )
    d.add_argument("--all-new", metavar="FEED", help="also every unread item of this feed URL")
    command(subs, "downloads", "the download queue: done, failed (resumable), waiting",
            "tidings downloads", cmd_downloads)  # fmt: skip
    p = command(subs, "play", "play an item's enclosure with [enclosures] player (the "
                "downloaded file when there is one)", "tidings play 42", cmd_play)  # fmt: skip
    p.add_argument("id", type=int)


def cmd_download(ctx: Context, args: argparse.Namespace) -> int:
    from reader.downloads import Downloads, root_dir

    with ctx.store() as store, contextlib.ExitStack() as stack:
        downloads = Downloads(ctx.config, store, root_dir(ctx.config, ctx.paths.data_dir))
        queued = downloads.waiting()  # left queued by a session that ended before they did
        if args.id is None and args.all_new is None and not queued:
            raise UsageError("download needs an item ID or --all-new FEED (nothing is queued)")
        if args.id is not None:
            queued += downloads.queue(args.id)
        if args.all_new is not None:
            feed = store.feed(args.all_new)
            if feed is None:
                raise UsageError(f"not subscribed to {args.all_new}")
            for h in store.headlines(ItemQuery(feed_id=feed.id, unread=True)):
                if store.enclosures(h.id):
                    queued += downloads.queue(h.id)
        progress = None
        if sys.stderr.isatty() and ctx.bars is not None:  # a bar per file (cli.py's)
            progress = stack.enter_context(ctx.bars())
        unique = {(d.item_id, d.url): d for d in queued}  # one of each, queued first
        done = asyncio.run(downloads.run(list(unique.values()), progress))
    for d in done:
        if d.state == "done":
            out(textsafe.one_line(f"done: {downloads.root / d.path}"))
        else:
            print(textsafe.one_line(f"tidings: failed: {d.url}: {d.error}"), file=sys.stderr)
    return 1 if any(d.state != "done" for d in done) else 0


def cmd_downloads(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.store(readonly=True) as store:
        listed = DownloadList(store).all()
    for d in listed:
        total = f"/{d.total}" if d.total else ""
        state = d.state + (f" ({d.error})" if d.error else "")
        out(textsafe.one_line(f"{d.item_id:>7} {d.size}{total} bytes  {state}  {d.path}"))
    return 0


def cmd_play(ctx: Context, args: argparse.Namespace) -> int:
    from reader.downloads import play, root_dir, target

    with ctx.store(readonly=True) as store:
        enclosures = store.enclosures(args.id)
        done = {d.url: d for d in DownloadList(store).all(args.id)}
    if not enclosures:
        raise UsageError(f"item {args.id} has no enclosure to play")
    first = enclosures[0]
    what = target(root_dir(ctx.config, ctx.paths.data_dir), done.get(first.url), first.url)
    play(ctx.config.enclosures.player, what)
    out(textsafe.one_line(f"playing {what}"))
    return 0
