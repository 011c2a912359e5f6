"""The non-interactive subcommands: core work, printed as sanitised text or JSON."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader import textsafe
from reader.config import Config, load_config
from reader.errors import UsageError
from reader.models import Feed, Headline, ItemQuery, Outcome
from reader.paths import Paths, default_paths
from reader.store.db import Store


@dataclass(frozen=True)
class Context:
    """What every command needs: where things are and the configuration."""

    paths: Paths
    config: Config

    def store(self, *, readonly: bool = False) -> Store:
        """Open the store (a writer takes the lock; readers work beside a running writer)."""
        return Store.open(self.paths.db_file, readonly=readonly)


def context(args: argparse.Namespace) -> Context:
    """Paths from the environment and the config file (--config or the default one)."""
    paths = default_paths()
    if args.config is not None:
        return Context(paths, load_config(args.config, required=True))
    return Context(paths, load_config(paths.config_file))


def out(line: str = "") -> None:
    """Print one line of feed-derived text, sanitised for the terminal."""
    sys.stdout.write(textsafe.display(line) + "\n")


def emit_json(value: Any) -> None:
    """Print JSON with every string sanitised (escape sequences, C1 and bidi controls)."""
    sys.stdout.write(json.dumps(_clean(value), ensure_ascii=False, indent=None) + "\n")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return textsafe.display(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def when(ts: int | None) -> str:
    """A Unix time as local 'YYYY-MM-DD HH:MM' ('-' when unknown)."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts)) if ts else "-"


def iso(ts: int | None) -> str | None:
    """A Unix time as ISO 8601 UTC."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts)) if ts is not None else None


# ---- commands ---------------------------------------------------------------------------------
def cmd_paths(ctx: Context, args: argparse.Namespace) -> int:
    out(f"config: {ctx.paths.config_file}")
    out(f"data:   {ctx.paths.db_file}")
    out(f"cache:  {ctx.paths.cache_dir}")
    return 0


def cmd_refresh(ctx: Context, args: argparse.Namespace) -> int:
    from reader.service import Service

    with ctx.store() as store:
        report = asyncio.run(Service(ctx.config, store).refresh())
    if args.verbose:
        for r in report.results:
            detail = f"{r.new_items} new" if r.outcome is Outcome.OK else r.error
            out(f"{r.outcome.value:12} {r.url}  {detail}")
    if args.json:
        emit_json(report.as_json())
    else:
        j = report.as_json()
        out(
            f"{j['feeds']} feeds: {j['new_items']} new items, {j['not_modified']} not modified,"
            f" {j['failed']} failed ({j['seconds']} s)"
        )
        for r in report.results:
            if r.outcome in (Outcome.FAILED, Outcome.GONE) and not args.verbose:
                print(textsafe.one_line(f"  failed: {r.url}: {r.error}"), file=sys.stderr)
    return 1 if report.failed else 0


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


def _feed_json(f: Feed, unread: int) -> dict[str, Any]:
    return {
        "url": f.url,
        "title": f.title,
        "tags": list(f.tags),
        "unread": unread,
        "last_checked": iso(f.last_checked),
        "last_ok": iso(f.last_ok),
        "last_error": f.last_error,
        "error_streak": f.error_streak,
        "http_status": f.http_status,
        "gone": f.gone,
    }


def cmd_feeds(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.store(readonly=True) as store:
        feeds = store.feeds()
        unread = store.unread_counts()
    if args.json:
        emit_json([_feed_json(f, unread.get(f.id, 0)) for f in feeds])
        return 0
    for f in feeds:
        health = (
            "gone" if f.gone else (f"{f.error_streak}× {f.last_error}" if f.error_streak else "ok")
        )
        tags = f" [{', '.join(f.tags)}]" if f.tags else ""
        out(textsafe.one_line(f"{unread.get(f.id, 0):>5}  {f.name}{tags}  {health}"))
        out(f"       {f.url}")
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


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    from reader import subscribe
    from reader.service import Service

    with ctx.store() as store:
        try:
            added = asyncio.run(
                subscribe.add(
                    Service(ctx.config, store), args.url, tags=tuple(args.tag), pick=args.pick
                )
            )
        except subscribe.Choose as choose:
            for n, c in enumerate(choose.candidates, 1):
                print(textsafe.one_line(f"  {n}. {c.title or c.kind}  {c.url}"), file=sys.stderr)
            raise
    verb = "added" if added.newly_added else "already subscribed:"
    out(textsafe.one_line(f"{verb} {added.title or added.url} <{added.url}>"))
    result = added.result
    if result is not None and result.outcome in (Outcome.FAILED, Outcome.GONE):
        print(textsafe.one_line(f"tidings: first fetch failed: {result.error}"), file=sys.stderr)
        return 1
    if result is not None and result.outcome is Outcome.OK:
        out(f"{result.new_items} items")
    return 0


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.store() as store:
        kept = store.remove_feed(args.url)
    if kept is None:
        raise UsageError(f"not subscribed to {args.url}")
    out(f"removed {args.url}" + (f" (kept {kept} bookmarked items)" if kept else ""))
    return 0


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    from reader.subscribe import import_file

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise UsageError(f"{args.file}: {exc.strerror or exc}") from None
    with ctx.store() as store:
        result = import_file(store, data, source=Path(args.file).name)
    for warning in result.warnings:
        print(textsafe.one_line(f"tidings: {warning}"), file=sys.stderr)
    out(f"imported {result.total} feeds ({result.added} new)")
    return 0


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    from reader.subscribe import export_opml

    with ctx.store(readonly=True) as store:
        text = export_opml(store)
    if args.file is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.file).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{args.file}: {exc.strerror or exc}") from None
    return 0


COMMANDS: dict[str, Callable[[Context, argparse.Namespace], int]] = {
    "add": cmd_add,
    "remove": cmd_remove,
    "import": cmd_import,
    "export": cmd_export,
    "refresh": cmd_refresh,
    "list": cmd_list,
    "feeds": cmd_feeds,
    "show": cmd_show,
    "bookmark": cmd_bookmark,
    "unbookmark": cmd_unbookmark,
    "bookmarks": cmd_bookmarks,
}
