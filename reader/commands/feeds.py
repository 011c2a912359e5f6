"""Subscriptions and refresh: add, remove, import, export, refresh, feeds."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from reader import textsafe
from reader.commands import Context, Subparsers, command, counted, emit_json, iso, out, turns
from reader.errors import UsageError
from reader.models import Feed, Outcome, RefreshReport


def register(subs: Subparsers) -> None:
    """The subscription and refresh subcommands."""
    a = command(
        subs,
        "add",
        "subscribe to a feed, or to the feed a web page advertises",
        "tidings add https://example.org/ --tag news",
        cmd_add,
    )
    a.add_argument("url")
    a.add_argument("--tag", action="append", default=[], metavar="T", help="tag (repeatable)")
    a.add_argument("--pick", type=int, metavar="N", help="choose the Nth feed a page offers")
    a.add_argument(
        "--full-text", action="store_true", help="fetch each new item's article page in full"
    )
    command(
        subs,
        "remove",
        "unsubscribe (bookmarked items are kept)",
        "tidings remove https://example.org/feed.xml",
        cmd_remove,
    ).add_argument("url")
    imp = command(
        subs,
        "import",
        "subscribe to the feeds of an OPML or newsboat urls file, or bring a newsboat cache over",
        "tidings import ~/.newsboat/urls --newsboat-cache ~/.newsboat/cache.db",
        cmd_import,
    )
    imp.add_argument("file", type=Path, nargs="?", help="OPML or newsboat urls file")
    imp.add_argument(
        "--newsboat-cache",
        type=Path,
        metavar="FILE",
        help="newsboat's cache.db: its feeds, stored articles, read state and flags (as bookmarks)",
    )
    imp.add_argument(
        "--newsboat-config",
        type=Path,
        metavar="FILE",
        help="newsboat's config: its ignore-article lines become [[rules]] in config.toml",
    )
    e = command(
        subs,
        "export",
        "write the subscriptions as OPML 2.0 (default: stdout)",
        "tidings export subscriptions.opml",
        cmd_export,
    )
    e.add_argument("file", type=Path, nargs="?")
    r = command(subs, "refresh", "fetch every feed", "tidings refresh --json", cmd_refresh)
    r.add_argument("--json", action="store_true", help="print one JSON object with the counts")
    r.add_argument("--verbose", "-v", action="store_true", help="one line per feed")
    turns.add_options(r)
    f = command(subs, "feeds", "subscriptions with their health", "tidings feeds --json", cmd_feeds)
    f.add_argument("--json", action="store_true")


def cmd_refresh(ctx: Context, args: argparse.Namespace) -> int:
    from reader.commands.sync import sync_before_refresh
    from reader.notify import send
    from reader.service import Service

    with ctx.store() as store:
        began = int(time.time())
        lock, code = turns.take_turn(store, args, RefreshReport((), 0.0).as_json())
        if lock is None:
            return code
        try:
            synced, sync_failed = sync_before_refresh(ctx, store)
            service = Service(ctx.config, store)
            for problem in service.rules.problems:  # a bad rule is left out, never stops
                print(f"tidings: {textsafe.one_line(problem)}", file=sys.stderr)
            feeds = unchecked_since(store.feeds(), began) if lock.waited else None
            report = asyncio.run(service.refresh(feeds))
        finally:
            lock.release()
    for problem in send(ctx.config.notify, report.notice, sys.stdout):  # only a terminal
        print(f"tidings: {textsafe.one_line(problem)}", file=sys.stderr)
    say_refreshed(args, report, synced, sync_failed, turns.waited(lock))
    return 1 if report.failed or sync_failed else 0


def say_refreshed(
    args: argparse.Namespace,
    report: RefreshReport,
    synced: dict[str, object] | None,
    sync_failed: bool,
    waited: str,
) -> None:
    """The refresh's outcome: a line per feed with --verbose, then JSON or a summary."""
    if args.verbose:
        for r in report.results:
            detail = f"{r.new_items} new" if r.outcome is Outcome.OK else r.error
            out(f"{r.outcome.value:12} {r.url}  {detail}")
    if args.json:
        extra: dict[str, object] = {"sync": synced} if synced is not None else {}
        emit_json(report.as_json() | extra | ({"waited": True} if waited else {}))
    else:
        j = report.as_json()
        if synced is not None and not sync_failed:
            pulled = counted(int(str(synced["pulled"])), "new item")
            sent = counted(int(str(synced["pushed"])), "change")
            out(f"{synced['service']}: {pulled} pulled, {sent} sent")
        if waited:
            out(f"{waited}; then fetched the feeds it had not checked")
        fed, new = counted(len(report.results), "feed"), counted(report.new_items, "new item")
        rest = f"{j['not_modified']} not modified, {j['failed']} failed ({j['seconds']} s)"
        out(f"{fed}: {new}, {rest}")
        for r in report.results:
            if r.outcome in (Outcome.FAILED, Outcome.GONE) and not args.verbose:
                print(textsafe.one_line(f"  failed: {r.url}: {r.error}"), file=sys.stderr)


def unchecked_since(feeds: list[Feed], began: int) -> list[Feed]:
    """The feeds not checked since `began` (a refresh that waited leaves the others alone)."""
    return [f for f in feeds if (f.last_checked or 0) < began]


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
    from reader import cells
    from reader.commands import table

    if not feeds:
        table.hint("no subscriptions yet: `tidings add URL` or `tidings import FILE`")
    names = [
        textsafe.one_line(f.name + (f" [{', '.join(f.tags)}]" if f.tags else "")) for f in feeds
    ]
    column = table.name_column(names)
    lines = []
    for f, name in zip(feeds, names, strict=True):
        failing = f"{f.error_streak}× {f.last_error}" if f.error_streak else "ok"
        health = textsafe.one_line("gone" if f.gone else failing)
        lines += [f"{unread.get(f.id, 0):>5}  {cells.pad(name, column)}  {health}",
                  f"       {textsafe.one_line(f.url)}"]  # fmt: skip
    table.emit(lines)
    return 0


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    from reader import subscribe
    from reader.service import Service
    from reader.sync.policy import local_only_note

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
        if args.full_text and (feed := store.feed(added.url)) is not None:
            store.set_feed_full_text(feed.id)
    verb = "added" if added.newly_added else "already subscribed:"
    out(textsafe.one_line(f"{verb} {added.title or added.url} <{added.url}>"))
    if added.newly_added and (note := local_only_note(ctx.config)):
        print(f"tidings: {note}", file=sys.stderr)
    result = added.result
    if result is not None and result.outcome in (Outcome.FAILED, Outcome.GONE):
        print(textsafe.one_line(f"tidings: first fetch failed: {result.error}"), file=sys.stderr)
        return 1
    if result is not None and result.outcome is Outcome.OK:
        out(counted(result.new_items, "item"))
    return 0


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    from reader.sync.policy import server_manages

    with ctx.store() as store:
        if refused := server_manages(ctx.config, store, args.url):
            raise UsageError(refused)
        kept = store.remove_feed(args.url)
    if kept is None:
        raise UsageError(f"not subscribed to {args.url}")
    out(f"removed {args.url}" + (f" (kept {counted(kept, 'bookmarked item')})" if kept else ""))
    return 0


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    if args.file is None and args.newsboat_cache is None and args.newsboat_config is None:
        raise UsageError("import needs a FILE, --newsboat-cache FILE or --newsboat-config FILE")
    if args.file is not None:
        _import_subscriptions(ctx, args.file)
    if args.newsboat_cache is not None:
        _import_newsboat_cache(ctx, args.newsboat_cache)
    if args.newsboat_config is not None:
        from reader.commands.rules import import_newsboat_config

        import_newsboat_config(ctx, args.newsboat_config)
    return 0


def _import_newsboat_cache(ctx: Context, path: Path) -> None:
    from reader.subscribe import import_newsboat_cache

    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    with ctx.store() as store:
        got = import_newsboat_cache(store, path)
    for url in got.skipped:
        warning = f"tidings: {path.name}: skipped {url} (not an http/https feed)"
        print(textsafe.one_line(warning), file=sys.stderr)
    out(
        f"newsboat cache: {counted(got.feeds, 'feed')}, {counted(got.items, 'item')}"
        f" ({got.read} read, {got.flagged} flagged, kept as bookmarks)"
    )


def _import_subscriptions(ctx: Context, file: Path) -> None:
    from reader.subscribe import import_file

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise UsageError(f"{file}: {exc.strerror or exc}") from None
    with ctx.store() as store:
        result = import_file(store, data, source=file.name)
    for warning in result.warnings:
        print(textsafe.one_line(f"tidings: {warning}"), file=sys.stderr)
    out(f"imported {counted(result.total, 'feed')} ({result.added} new)")


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    from reader.subscribe import export_opml

    with ctx.store(readonly=True) as store:
        text = export_opml(store)
    if args.file is None:  # a terminal, maybe: feed titles lose escapes, C1 and bidi controls
        sys.stdout.write(textsafe.display(text))
        return 0
    try:
        Path(args.file).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{args.file}: {exc.strerror or exc}") from None
    return 0
