"""Managing what is stored: mark (read or unread), rename (a feed's chosen title), tag (a feed's
tags). Each is one durable transaction, and works while the reader is open (it shows the change
within a few seconds)."""

from __future__ import annotations

import argparse

from reader import textsafe
from reader.commands import Context, Subparsers, command, counted, out
from reader.errors import UsageError
from reader.models import ItemQuery
from reader.store.bookmarks import clean_tags


def register(subs: Subparsers) -> None:
    """The mark, rename and tag subcommands."""
    m = command(
        subs,
        "mark",
        "mark stories read or unread, by id or a whole feed",
        "tidings mark 42 43 --read; tidings mark --feed https://example.org/feed.xml --read",
        cmd_mark,
    )
    m.add_argument("ids", type=int, nargs="*", metavar="ID", help="story ids (tidings list)")
    m.add_argument("--feed", metavar="URL", help="every story of this feed instead")
    state = m.add_mutually_exclusive_group(required=True)
    state.add_argument("--read", action="store_true", help="mark them read")
    state.add_argument("--unread", action="store_true", help="mark them unread")
    r = command(
        subs,
        "rename",
        "give a feed a title of your own, kept across refreshes (--reset or '': the feed's own)",
        "tidings rename https://example.org/feed.xml 'Example News'; tidings rename URL --reset",
        cmd_rename,
    )
    r.add_argument("url")
    r.add_argument("title", nargs="?", help="the title to show ('': the feed's own again)")
    r.add_argument("--reset", action="store_true", help="show the feed's own title again")
    t = command(
        subs,
        "tag",
        "add tags to a feed or remove them (with neither: list its tags)",
        "tidings tag https://example.org/feed.xml --add news --remove later",
        cmd_tag,
    )
    t.add_argument("url")
    t.add_argument("--add", action="append", default=[], metavar="T", help="add a tag")
    t.add_argument("--remove", action="append", default=[], metavar="T", help="remove a tag")


def cmd_mark(ctx: Context, args: argparse.Namespace) -> int:
    if bool(args.ids) == bool(args.feed):
        raise UsageError("mark takes story ids or --feed URL (one of the two)")
    read = bool(args.read)
    state = "read" if read else "unread"
    with ctx.store() as store:
        if args.feed:
            feed = store.feed(args.feed)
            if feed is None:
                raise UsageError(f"not subscribed to {args.feed}")
            changed = store.mark_all_read(ItemQuery(feed_id=feed.id), read)
            out(textsafe.one_line(f"marked {counted(changed, 'story')} of {feed.name} {state}"))
            return 0
        ids = list(dict.fromkeys(args.ids))
        known = {h.id for h in store.headlines_for(ids)}
        missing = [i for i in ids if i not in known]
        if missing:
            raise UsageError(f"no item {', '.join(map(str, missing))}")
        changed = store.set_read(ids, read)
    already = len(ids) - changed
    note = f" ({counted(already, 'was', 'were')} already)" if already else ""
    out(f"marked {counted(changed, 'story')} {state}{note}")
    return 0


def cmd_rename(ctx: Context, args: argparse.Namespace) -> int:
    if (args.title is None) != args.reset:
        raise UsageError("rename takes a TITLE or --reset (one of the two)")
    with ctx.store() as store:
        feed = store.rename_feed(args.url, "" if args.reset else args.title)
    if feed is None:
        raise UsageError(f"not subscribed to {args.url}")
    if feed.title_chosen:
        out(textsafe.one_line(f"renamed {feed.url} to {feed.title}"))
    else:
        out(textsafe.one_line(f"{feed.url} shows its own title again: {feed.name}"))
    return 0


def cmd_tag(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.store() as store:
        feed = store.feed(args.url)
        if feed is None:
            raise UsageError(f"not subscribed to {args.url}")
        if args.add or args.remove:
            gone = set(clean_tags(args.remove))
            tags = [t for t in clean_tags([*feed.tags, *args.add]) if t not in gone]
            store.set_tags(feed.id, tags)
            feed = store.feed(args.url) or feed
    listed = ", ".join(feed.tags) if feed.tags else "no tags"
    out(textsafe.one_line(f"{feed.name}: {listed}"))
    return 0
