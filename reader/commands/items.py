"""Reading from the store: list, show, bookmark, unbookmark, bookmarks (and their export)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from reader import textsafe
from reader.commands import (
    Context,
    Subparsers,
    command,
    counted,
    emit_json,
    headline_json,
    iso,
    out,
    when,
)
from reader.errors import DamagedStore, StoreError, UsageError
from reader.models import Headline, Item, ItemQuery

if TYPE_CHECKING:
    from reader.fulltext import FullTextResult
    from reader.store.db import Store


def register(subs: Subparsers) -> None:
    """The item subcommands."""
    li = command(
        subs, "list", "headlines, newest first", "tidings list --unread --limit 20", cmd_list
    )
    li.add_argument("--unread", action="store_true")
    li.add_argument("--feed", metavar="URL")
    li.add_argument("--limit", type=int, metavar="N")
    li.add_argument("--json", action="store_true", help="a JSON array of items")
    sh = command(subs, "show", "an article as terminal text", "tidings show 42 --full", cmd_show)
    sh.add_argument("id", type=int)
    sh.add_argument("--full", action="store_true", help="fetch the full story if not stored")
    sh.add_argument("--summary", action="store_true", help="the summary instead of the story")
    sh.add_argument(
        "--json", action="store_true", help="the item's fields, text, links and enclosures"
    )
    sh.add_argument(
        "--markdown", action="store_true", help="as a Markdown file (front matter, the story)"
    )
    b = command(
        subs,
        "bookmark",
        "bookmark an item and keep its full text for offline reading",
        "tidings bookmark 42 --tag later",
        cmd_bookmark,
    )
    b.add_argument("id", type=int)
    b.add_argument("--tag", action="append", default=[], metavar="T", help="add a tag")
    b.add_argument("--untag", action="append", default=[], metavar="T", help="remove a tag")
    b.add_argument("--no-fetch", action="store_true", help="do not fetch the full text now")
    command(
        subs, "unbookmark", "remove an item's bookmark", "tidings unbookmark 42", cmd_unbookmark
    ).add_argument("id", type=int)
    bs = command(
        subs,
        "bookmarks",
        "list bookmarks, or write one Markdown file per bookmark",
        "tidings bookmarks --export ~/notes/news",
        cmd_bookmarks,
    )
    bs.add_argument("--export", type=Path, metavar="DIR", help="write Markdown files into DIR")
    bs.add_argument("--tag", metavar="T", help="only bookmarks with this tag")
    bs.add_argument("--tags", action="store_true", help="list the tags in use")
    bs.add_argument(
        "--json", action="store_true", help="a JSON array: the fields of list --json, and tags"
    )


def _print_headlines(rows: list[Headline], as_json: bool) -> None:
    if as_json:
        emit_json([headline_json(h) for h in rows])
        return
    from reader.commands import table

    table.headlines(rows)


def _empty_list_hint(store: Store, args: argparse.Namespace) -> str:
    """What `tidings list` says on stderr when it found nothing."""
    if not store.feeds():
        return "no stories yet: subscribe with `tidings add URL` (or `tidings import FILE`)"
    if store.count() == 0:
        return "no stories yet: fetch them with `tidings refresh`"
    where = f" in {args.feed}" if args.feed else ""
    return f"no unread stories{where}" if args.unread else f"no stories{where}"


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
        hint = _empty_list_hint(store, args) if not rows and not args.json else ""
    _print_headlines(rows, args.json)
    if hint:
        print(f"tidings: {hint}", file=sys.stderr)
    return 0


def cmd_bookmarks(ctx: Context, args: argparse.Namespace) -> int:
    try:
        with ctx.store(readonly=True) as store:
            if args.tags:
                for tag, count in store.item_tag_counts():
                    out(f"{count:>7} {textsafe.one_line(tag)}")
                return 0
            rows = store.headlines(ItemQuery(bookmarked=True, item_tag=args.tag))
            if args.json:
                tags = store.item_tags([h.id for h in rows])
                emit_json([headline_json(h) | {"tags": tags.get(h.id, [])} for h in rows])
                return 0
            if args.export is None:
                _print_headlines(rows, False)
                if not rows:
                    tagged = f" tagged {textsafe.one_line(args.tag)}" if args.tag else ""
                    how = "" if args.tag else ": `tidings bookmark ID` (ids from `tidings list`)"
                    print(f"tidings: no bookmarks{tagged} yet{how}", file=sys.stderr)
                return 0
            items = [item for h in rows if (item := store.item(h.id)) is not None]
    except DamagedStore as exc:
        if args.tags:
            raise
        return _salvage_bookmarks(ctx, args, str(exc))
    return _export(items, args.export)


def _salvage_bookmarks(ctx: Context, args: argparse.Namespace, damage: str) -> int:
    """`tidings bookmarks [--export DIR]` on a damaged store: what can still be read of it."""
    from reader.store.salvage import salvage_bookmarks

    got = salvage_bookmarks(ctx.paths.db_file)
    items = [i for i in got.items if args.tag is None or args.tag in i.tags]
    print(f"tidings: {textsafe.one_line(damage)}", file=sys.stderr)
    lost = f"; {got.unreadable} could not be read" if got.unreadable else ""
    print(f"tidings: salvaged {len(items)} bookmarks from the damaged database{lost}",
          file=sys.stderr)  # fmt: skip
    if args.json:
        emit_json([headline_json(_headline(i)) | {"tags": list(i.tags)} for i in items])
    elif args.export is None:
        _print_headlines([_headline(i) for i in items], False)
    else:
        _export(items, args.export)
    return 1


def _headline(item: Item) -> Headline:
    return Headline(item.id, item.feed_id, item.feed_title, item.feed_url, item.title,
                    item.link, item.author, item.published, item.read, item.bookmarked)  # fmt: skip


def _export(items: list[Item], directory: Path) -> int:
    """Write the bookmarks `items` into `directory` as Markdown files."""
    from reader.articles.markdown import export_bookmarks

    try:
        written = export_bookmarks(items, directory)
    except OSError as exc:
        raise UsageError(f"cannot write to {directory}: {exc.strerror or exc}") from None
    missing = sum(1 for item in items if not item.full_text)
    note = f" ({missing} without full text yet)" if missing else ""
    out(f"exported {counted(len(written), 'bookmark')} to {directory}{note}")
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    from reader.articles.article import story_document
    from reader.articles.render import to_text

    item, problem = _item_with_full_text(ctx, args.id, fetch=args.full)
    if args.json:
        emit_json(_item_json(item))
        return _full_text_problem(problem)
    if args.markdown:
        from reader.articles.markdown import bookmark_markdown

        sys.stdout.write(textsafe.display(bookmark_markdown(item)))
        return _full_text_problem(problem)
    out(textsafe.one_line(item.title) or "(untitled)")
    byline = " · ".join(x for x in (item.feed_title, _author(item), when(item.published)) if x)
    out(textsafe.one_line(byline))
    if item.link:
        out(textsafe.one_line(item.link))
    out()
    if args.summary:
        from reader.articles.summarize import summarize
        from reader.commands import table

        table.paragraphs(summarize(item, ctx.config.summary).sentences)
    else:
        sys.stdout.write(to_text(story_document(item)) + "\n")
    return _full_text_problem(problem)


def _author(item: Item) -> str:
    """The item's author, or the one its stored full text names."""
    from reader.articles.article import with_page_author

    return with_page_author(item).author


def _full_text_problem(problem: str) -> int:
    if problem:
        print(f"tidings: full text unavailable: {textsafe.one_line(problem)}", file=sys.stderr)
        return 1
    return 0


def _item_json(item: Item) -> dict[str, object]:
    """`tidings show ID --json`: the list --json fields, the item's own fields, the text it
    shows (story without the enclosure list), that story's links, and its enclosures."""
    from reader.articles.article import document_text, story_document
    from reader.articles.enclosures import enclosure_json

    story = story_document(item, media=False)
    return {
        **headline_json(_headline(item)),
        "key": item.key,
        "updated": iso(item.updated),
        "first_seen": iso(item.first_seen),
        "tags": list(item.tags),
        "summary": item.summary,
        "content": item.content,
        "content_type": item.content_type,
        "has_full_text": bool(item.full_text),
        "text": document_text(story),
        "links": list(story.links),
        "enclosures": [enclosure_json(e) for e in item.enclosures],
    }


def _item_with_full_text(ctx: Context, item_id: int, *, fetch: bool) -> tuple[Item, str]:
    """The item (with its full text fetched and stored first when `fetch` and it has none),
    and why the full text could not be had ("" when fine)."""
    with ctx.store(readonly=True) as store:
        item = store.item(item_id)
    if item is None:
        raise UsageError(f"no item {item_id}")
    if not fetch or item.full_text:
        return item, ""
    from reader.articles.article import to_stored

    result = asyncio.run(_fetch_full_text(ctx, item_id))
    if result.article is None:
        return item, result.error
    return replace(item, full_text=to_stored(result.article)), ""


async def _fetch_full_text(ctx: Context, item_id: int) -> FullTextResult:
    """Fetch and store one item's full text (not stored where the store is read-only)."""
    from reader.fulltext import FullText

    try:
        store = ctx.store()
    except StoreError:
        store = ctx.store(readonly=True)
    with store:
        async with FullText(ctx.config, store) as full:
            return await full.fetch(item_id)


def cmd_bookmark(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.store() as store:
        item = store.item(args.id)
        if item is None or not store.set_bookmarked(args.id, True):
            raise UsageError(f"no item {args.id}")
        if args.tag or args.untag:
            gone = set(args.untag)
            tags = [t for t in (*item.tags, *args.tag) if t not in gone]
            store.set_item_tags(args.id, tags)
    if item.full_text or args.no_fetch or not ctx.config.fulltext.bookmarks:
        out(f"bookmarked {args.id}")
        return 0
    result = asyncio.run(_fetch_full_text(ctx, args.id))
    if result.stored:
        out(f"bookmarked {args.id} (full text stored for offline reading)")
    else:
        out(f"bookmarked {args.id}")
        reason = textsafe.one_line(result.error)
        print(f"tidings: full text not fetched ({reason}); retried after refresh", file=sys.stderr)
    return 0


def cmd_unbookmark(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.store() as store:
        if not store.set_bookmarked(args.id, False):
            raise UsageError(f"no item {args.id}")
    out(f"unbookmarked {args.id}")
    return 0
