"""`tidings search QUERY [--json] [--limit N]`: the stored items that match, best first.

One hit per line: id, flags, date, feed, title, and a snippet of the text. On a terminal the
matched words are bold (escape sequences are ours, added after the text was sanitised); with
NO_COLOR or into a pipe they are not marked. --json prints {"query", "took_ms", "total",
"hits": [...]} with each snippet's text and the [start, end) offsets of its matches.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from reader import textsafe
from reader.commands import Context, Subparsers, command, counted, emit_json, headline_json
from reader.errors import StoreError, UsageError
from reader.models import Hit, SearchResult, Snippet
from reader.store.db import Store

BOLD, PLAIN = "\x1b[1m", "\x1b[22m"


def register(subs: Subparsers) -> None:
    """The search subcommand."""
    p = command(
        subs,
        "search",
        'search stored items (words, "phrases", -exclude, feed:, tag:, author:, is:unread,'
        " since:7d, before:DATE, sort:date)",
        "tidings search '禁毒 \"drug control\" since:30d -sport'",
        cmd_search,
    )
    p.add_argument("query", nargs="+", help="the query (several arguments are joined)")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="hits to show (50)")
    p.add_argument("--json", action="store_true", help="one JSON object")


def _open(ctx: Context) -> Store:
    """The store for writing when free (queued items are indexed first), else read-only."""
    try:
        return ctx.store()
    except StoreError:
        return ctx.store(readonly=True)


def cmd_search(ctx: Context, args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    query = " ".join(args.query)
    with _open(ctx) as store:
        result = store.search(query, limit=args.limit)
    if args.json:
        emit_json(_json(result))
        return 0
    from reader.commands import table

    marked = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    table.emit(_line(hit, marked) for hit in result.hits)
    shown = len(result.hits)
    more = f" (showing {shown})" if shown < result.total else ""
    total = counted(result.total, "match", "matches")
    print(f"{total}{more} in {result.took_ms:.0f} ms", file=sys.stderr)
    if result.unindexed:
        waiting = counted(result.unindexed, "new item")
        print(f"({waiting} not indexed yet: another tidings is writing)", file=sys.stderr)
    return 0


def render(snippet: Snippet, marked: bool) -> str:
    """A snippet as one line, its matches in bold when `marked` (the text is already safe)."""
    text = textsafe.one_line(snippet.text)
    if not marked or text != snippet.text:
        return text
    parts, last = [], 0
    for start, end in snippet.spans:
        parts += [text[last:start], BOLD, text[start:end], PLAIN]
        last = end
    return "".join([*parts, text[last:]])


def _line(hit: Hit, marked: bool) -> str:
    """One hit as a headline line with its snippet (every part safe; the bold is ours)."""
    from reader.commands import table

    title = render(hit.title, marked)
    snippet = render(hit.snippet, marked)
    return table.headline(hit.headline, f"{title}  — {snippet}")


def _snippet_json(snippet: Snippet) -> dict[str, Any]:
    return {"text": snippet.text, "highlights": [list(s) for s in snippet.spans]}


def _json(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "took_ms": result.took_ms,
        "total": result.total,
        "unindexed": result.unindexed,
        "hits": [
            {
                **headline_json(hit.headline),
                "title": hit.title.text,
                "score": round(hit.score, 4),
                "title_highlights": [list(s) for s in hit.title.spans],
                "snippet": _snippet_json(hit.snippet),
            }
            for hit in result.hits
        ],
    }
