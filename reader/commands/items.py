"""Reading from the store: list, show, bookmark, unbookmark, bookmarks."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from reader import textsafe
from reader.commands import Context, Subparsers, command, emit_json, iso, out, when
from reader.errors import UsageError
from reader.models import Headline, ItemQuery


def register(subs: Subparsers) -> None:
    """The item subcommands."""
    li = command(
        subs, "list", "headlines, newest first", "tidings list --unread --limit 20", cmd_list
    )
    li.add_argument("--unread", action="store_true")
    li.add_argument("--feed", metavar="URL")
    li.add_argument("--limit", type=int, metavar="N")
    li.add_argument("--json", action="store_true", help="a JSON array of items")
    command(subs, "show", "an article as terminal text", "tidings show 42", cmd_show).add_argument(
        "id", type=int
    )
    command(subs, "bookmark", "bookmark an item", "tidings bookmark 42", cmd_bookmark).add_argument(
        "id", type=int
    )
    command(
        subs, "unbookmark", "remove an item's bookmark", "tidings unbookmark 42", cmd_unbookmark
    ).add_argument("id", type=int)
    command(subs, "bookmarks", "list bookmarked items", "tidings bookmarks", cmd_bookmarks)


def _headline_json(h: Headline) -> dict[str, Any]:
    return {
        "id": h.id,
        "feed": h.feed_url,
        "feed_title": h.feed_title,
        "title": h.title,
        "link": h.link,
        "author": h.author,
        "published": iso(h.published),
        "read": h.read,
        "bookmarked": h.bookmarked,
    }


def _print_headlines(rows: list[Headline], as_json: bool) -> None:
    if as_json:
        emit_json([_headline_json(h) for h in rows])
        return
    for h in rows:
        flags = ("*" if h.bookmarked else " ") + (" " if h.read else "N")
        name = textsafe.one_line(h.feed_title or h.feed_url)[:24]
        out(f"{h.id:>7} {flags} {when(h.published)}  {name:<24}  {textsafe.one_line(h.title)}")


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    with ctx.store(readonly=True) as store:
        feed_id = None
        if args.feed:
            feed = store.feed(args.feed)
            if feed is None:
                raise UsageError(f"not subscribed to {args.feed}")
            feed_id = feed.id
        query = ItemQuery(feed_id=feed_id, unread=True if args.unread else None, limit=args.limit)
        rows = store.headlines(query)
    _print_headlines(rows, args.json)
    return 0


def cmd_bookmarks(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.store(readonly=True) as store:
        rows = store.headlines(ItemQuery(bookmarked=True))
    _print_headlines(rows, False)
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    from reader.articles.render import html_to_blocks, text_to_blocks, to_text

    with ctx.store(readonly=True) as store:
        item = store.item(args.id)
    if item is None:
        raise UsageError(f"no item {args.id}")
    out(textsafe.one_line(item.title) or "(untitled)")
    byline = " · ".join(x for x in (item.feed_title, item.author, when(item.published)) if x)
    out(textsafe.one_line(byline))
    if item.link:
        out(textsafe.one_line(item.link))
    out()
    if item.full_text or item.content_type == "text":
        doc = text_to_blocks(item.body)
    else:
        doc = html_to_blocks(item.body, item.link or item.feed_url)
    sys.stdout.write(to_text(doc) + "\n")
    return 0


def _set_bookmark(ctx: Context, item_id: int, on: bool) -> int:
    with ctx.store() as store:
        if not store.set_bookmarked(item_id, on):
            raise UsageError(f"no item {item_id}")
    out(f"{'bookmarked' if on else 'unbookmarked'} {item_id}")
    return 0


def cmd_bookmark(ctx: Context, args: argparse.Namespace) -> int:
    return _set_bookmark(ctx, args.id, True)


def cmd_unbookmark(ctx: Context, args: argparse.Namespace) -> int:
    return _set_bookmark(ctx, args.id, False)
