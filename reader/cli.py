"""The `tidings` command line: argparse subcommands. The only module that wires core and UI.

Exit codes: 0 ok; 1 some feeds failed (refresh); 2 bad usage or bad input, with one line on
stderr and no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from reader import __version__, commands, textsafe
from reader.commands import Context, Parser, command
from reader.errors import ReaderError

if TYPE_CHECKING:
    from reader.downloads import ProgressCallback


def build_parser() -> Parser:
    """The whole command line."""
    from reader.commands import articles as article_commands
    from reader.commands import completion as completion_commands
    from reader.commands import feeds as feed_commands
    from reader.commands import items as item_commands
    from reader.commands import manage as manage_commands
    from reader.commands import pages as page_commands
    from reader.commands import podcasts as podcast_commands
    from reader.commands import rules as rule_commands
    from reader.commands import search as search_commands
    from reader.commands import sync as sync_commands

    p = Parser(prog="tidings", description="A terminal news reader.")
    p.add_argument("--version", action="version", version=f"tidings {__version__}")
    p.add_argument("--paths", action="store_true", help="print where config, data and cache live")
    p.add_argument("--config", type=Path, metavar="FILE", help="read this config.toml instead")
    p.set_defaults(handler=None)
    subs = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    command(
        subs, "demo", "open the reader on bundled offline demo feeds", "tidings demo", open_demo
    )
    for module in (feed_commands, item_commands, article_commands, completion_commands,
                   search_commands, sync_commands, manage_commands, rule_commands,
                   page_commands, podcast_commands):  # fmt: skip
        module.register(subs)
    return p


def reader_only(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments when `argv` only opens the reader (at most a --config), else None.
    Then the subcommands are not built: their modules are not imported before the first
    frame."""
    front = Parser(prog="tidings", add_help=False)
    front.add_argument("--config", type=Path)
    args, rest = front.parse_known_args(argv)
    if rest:
        return None
    return argparse.Namespace(config=args.config, paths=False, command=None, handler=None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = reader_only(argv) or build_parser().parse_args(argv)
    try:
        ctx = replace(commands.context(args), bars=download_bars)
        if args.paths:
            return commands.cmd_paths(ctx, args)
        if args.handler is None:
            return open_tui(ctx, demo=False)
        code: int = args.handler(ctx, args)
        return code
    except ReaderError as exc:  # messages may quote a server or a feed: sanitised
        print(f"tidings: {textsafe.one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tidings: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # a pager or `head` went away: nothing more to say
        return 0


def open_demo(ctx: Context, args: object) -> int:
    """`tidings demo`."""
    return open_tui(ctx, demo=True)


def open_tui(ctx: Context, *, demo: bool) -> int:
    """Open the terminal reader (on the bundled demo feeds, in a temporary home, if `demo`)."""
    from reader.ui.launch import run_tui

    return run_tui(ctx.config, ctx.paths, demo=demo)


@contextmanager
def download_bars() -> Iterator[ProgressCallback]:
    """A rich progress bar per file on the terminal (`tidings download`), for the commands."""
    from reader.ui.download_bars import DownloadBars

    with DownloadBars() as bars:
        yield bars.update
