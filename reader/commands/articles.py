"""Articles: extract (the story of a web page) and summary (of an item, or of text on stdin)."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from typing import TYPE_CHECKING

from reader import textsafe
from reader.commands import Context, Subparsers, command, emit_json
from reader.errors import ParseError, UsageError

if TYPE_CHECKING:
    from reader.articles.article import Article

_PAGE_HINT = re.compile(rb"<(?:html|body)\b", re.I)
_HTML_HINT = re.compile(rb"<(?:html|body|p|div|br|article|section|h[1-6]|li|span|a)\b", re.I)


def register(subs: Subparsers) -> None:
    """The article subcommands."""
    e = command(
        subs,
        "extract",
        "print the story of a web page, without its navigation, promos and footers",
        "tidings extract https://example.org/news/1.html",
        cmd_extract,
    )
    e.add_argument("source", metavar="URL|-", help="a page URL, or - for HTML on stdin")
    e.add_argument("--url", default="", help="with -: the page's address (resolves its links)")
    e.add_argument("--json", action="store_true", help="title, author, date, text and html")
    s = command(
        subs,
        "summary",
        "print the summary of an item (or of text or HTML on stdin)",
        "tidings summary 42",
        cmd_summary,
    )
    s.add_argument("source", metavar="ID|-", help="an item id, or - for text or HTML on stdin")
    s.add_argument("--json", action="store_true", help="the sentences and where they came from")


def write(text: str) -> None:
    """Print page-derived text, sanitised (several lines at once)."""
    sys.stdout.write(textsafe.display(text).rstrip("\n") + "\n")


def cmd_extract(ctx: Context, args: argparse.Namespace) -> int:
    article = asyncio.run(_extract(ctx, args.source, args.url))
    if args.json:
        emit_json(
            {
                "title": article.title,
                "author": article.author,
                "date": article.date,
                "url": article.url,
                "text": article.text,
                "html": article.html,
            }
        )
    else:
        write(article.text)
    return 0


async def _extract(ctx: Context, source: str, base_url: str) -> Article:
    """The story of the page at `source` (a URL, or - for HTML on stdin), extracted in a worker
    process that the parse deadline stops."""
    from reader.feeds.fetch import Fetcher
    from reader.feeds.pool import ParsePool
    from reader.fulltext import fetch_article

    with ParsePool(1, ctx.config.parse.deadline) as pool:
        if source != "-":
            async with Fetcher(ctx.config.fetch) as fetcher:
                return await fetch_article(fetcher, source, pool)
        article = await pool.extract(sys.stdin.buffer.read(), "", base_url)
    if article is None:
        raise ParseError("no article found in the page")
    return article


def _stdin_story(ctx: Context, data: bytes) -> tuple[str, str]:
    """Text and title of a story on stdin: a whole page has its story extracted (in a worker
    process, under the parse deadline), an HTML fragment is rendered, anything else is plain
    text."""
    from reader.articles.article import document_text
    from reader.articles.render import html_to_blocks
    from reader.feeds.charset import decode_html

    head = data[:65536]
    if _PAGE_HINT.search(head):
        from reader.feeds.pool import ParsePool

        with ParsePool(1, ctx.config.parse.deadline) as pool:
            article = asyncio.run(pool.extract(data, "", ""))
        if article is not None:
            return article.text, article.title
    text = decode_html(data).text
    if _HTML_HINT.search(head):
        text = document_text(html_to_blocks(text))
    return text, ""


def cmd_summary(ctx: Context, args: argparse.Namespace) -> int:
    from reader.articles.summarize import summarize, summarize_text

    if args.source == "-":
        text, title = _stdin_story(ctx, sys.stdin.buffer.read())
        summary = summarize_text(text, title=title, config=ctx.config.summary)
    else:
        if not args.source.isdigit():
            raise UsageError(f"not an item id: {args.source!r} (or - for stdin)")
        with ctx.store(readonly=True) as store:
            item = store.item(int(args.source))
        if item is None:
            raise UsageError(f"no item {args.source}")
        summary = summarize(item, ctx.config.summary)
    if summary.note:
        print(f"tidings: {textsafe.one_line(summary.note)}", file=sys.stderr)
    if args.json:
        emit_json({"source": summary.source, "sentences": list(summary.sentences)})
    else:
        from reader.commands import table

        table.paragraphs(summary.sentences)  # wrapped to the terminal, one per line into a pipe
    return 0
