"""The `tidings` command line: argparse subcommands. The only module that wires core and UI.

Exit codes: 0 ok; 1 some feeds failed (refresh); 2 bad usage or bad input, with one line on
stderr and no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from reader import __version__, commands
from reader.errors import ReaderError


class Parser(argparse.ArgumentParser):
    """argparse with a one-line error message instead of the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (try: {self.prog} --help)\n")


EXAMPLES = {
    "demo": "tidings demo",
    "add": "tidings add https://example.org/ --tag news",
    "remove": "tidings remove https://example.org/feed.xml",
    "import": "tidings import ~/.newsboat/urls",
    "export": "tidings export subscriptions.opml",
    "refresh": "tidings refresh --json",
    "list": "tidings list --unread --limit 20",
    "show": "tidings show 42",
    "bookmark": "tidings bookmark 42",
    "unbookmark": "tidings unbookmark 42",
    "bookmarks": "tidings bookmarks",
    "feeds": "tidings feeds --json",
}


def _sub(subs: argparse._SubParsersAction[Parser], name: str, help: str) -> Parser:
    return subs.add_parser(
        name,
        help=help,
        description=help,
        epilog=f"example: {EXAMPLES[name]}",
    )


def build_parser() -> Parser:
    """The whole command line."""
    p = Parser(prog="tidings", description="A terminal news reader.")
    p.add_argument("--version", action="version", version=f"tidings {__version__}")
    p.add_argument("--paths", action="store_true", help="print where config, data and cache live")
    p.add_argument("--config", type=Path, metavar="FILE", help="read this config.toml instead")
    subs = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    _sub(subs, "demo", "open the reader on bundled offline demo feeds")
    a = _sub(subs, "add", "subscribe to a feed, or to the feed a web page advertises")
    a.add_argument("url")
    a.add_argument("--tag", action="append", default=[], metavar="T", help="tag (repeatable)")
    a.add_argument("--pick", type=int, metavar="N", help="choose the Nth feed a page offers")
    _sub(subs, "remove", "unsubscribe (bookmarked items are kept)").add_argument("url")
    _sub(subs, "import", "subscribe to the feeds of an OPML or newsboat urls file").add_argument(
        "file", type=Path
    )
    e = _sub(subs, "export", "write the subscriptions as OPML 2.0 (default: stdout)")
    e.add_argument("file", type=Path, nargs="?")
    r = _sub(subs, "refresh", "fetch every feed")
    r.add_argument("--json", action="store_true", help="print one JSON object with the counts")
    r.add_argument("--verbose", "-v", action="store_true", help="one line per feed")
    li = _sub(subs, "list", "headlines, newest first")
    li.add_argument("--unread", action="store_true")
    li.add_argument("--feed", metavar="URL")
    li.add_argument("--limit", type=int, metavar="N")
    li.add_argument("--json", action="store_true", help="a JSON array of items")
    f = _sub(subs, "feeds", "subscriptions with their health")
    f.add_argument("--json", action="store_true")
    _sub(subs, "show", "an article as terminal text").add_argument("id", type=int)
    _sub(subs, "bookmark", "bookmark an item").add_argument("id", type=int)
    _sub(subs, "unbookmark", "remove an item's bookmark").add_argument("id", type=int)
    _sub(subs, "bookmarks", "list bookmarked items")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)

    try:
        ctx = commands.context(args)
        if args.paths:
            return commands.cmd_paths(ctx, args)
        if args.command in (None, "demo"):
            return open_tui(ctx, demo=args.command == "demo")
        return commands.COMMANDS[args.command](ctx, args)
    except ReaderError as exc:
        print(f"tidings: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tidings: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # a pager or `head` went away: nothing more to say
        return 0


def open_tui(ctx: commands.Context, *, demo: bool) -> int:
    """Open the terminal reader (on the bundled demo feeds, in a temporary home, if `demo`)."""
    from reader.ui.launch import run_tui

    return run_tui(ctx.config, ctx.paths, demo=demo)
