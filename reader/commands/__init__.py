"""The non-interactive subcommands: core work, printed as sanitised text or JSON.

Each module here registers its subcommands with `register(subs)`; cli.py builds the parser from
them. Everything a feed supplied is passed through textsafe before it is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from reader import textsafe
from reader.config import Config, load_config
from reader.models import Headline
from reader.paths import Paths, default_paths
from reader.store.db import Store

if TYPE_CHECKING:
    from reader.downloads import ProgressCallback

Handler = Callable[["Context", argparse.Namespace], int]
# progress bars on a terminal for `tidings download`: drawn by UI-side code (rich), which only
# cli.py may wire in; the commands get a factory of them, or None
Bars: TypeAlias = "Callable[[], AbstractContextManager[ProgressCallback]]"


class Parser(argparse.ArgumentParser):
    """argparse with a one-line error message instead of the usage block, whose text arguments
    are always storable: argv bytes that are not UTF-8 arrive as lone surrogates, which SQLite
    cannot take (file names keep theirs: they are Paths, and the file system wants them)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (try: {self.prog} --help)\n")

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, rest = super().parse_known_args(args, namespace)
        for name, value in vars(parsed).items():
            if isinstance(value, str):
                setattr(parsed, name, textsafe.storable(value))
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                setattr(parsed, name, [textsafe.storable(v) for v in value])
        return parsed, rest


Subparsers: TypeAlias = "argparse._SubParsersAction[Parser]"


def command(subs: Subparsers, name: str, help: str, example: str, handler: Handler) -> Parser:
    """Add subcommand `name` (with --help text and an example) that runs `handler`."""
    parser: Parser = subs.add_parser(
        name, help=help, description=help, epilog=f"example: {example}"
    )
    parser.set_defaults(handler=handler)
    return parser


@dataclass(frozen=True)
class Context:
    """What every command needs: where things are and the configuration."""

    paths: Paths
    config: Config
    bars: Bars | None = None

    def store(self, *, readonly: bool = False) -> Store:
        """Open the store (any number of processes read and write it at once; `readonly` for
        commands that only read: they work where the file or its directory is read-only)."""
        return Store.open(
            self.paths.db_file, readonly=readonly, write_wait=self.config.store.write_wait
        )


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


def counted(n: int, one: str, many: str = "") -> str:
    """`n` and the word in its right number: counted(1, "story") is "1 story", counted(2,
    "story") "2 stories" (`many` when the plural is not one + s, or -y + ies)."""
    if n == 1:
        return f"1 {one}"
    plural = many or (
        one[:-1] + "ies" if one.endswith("y") and one[-2:-1] not in "aeiou" else one + "s"
    )
    return f"{n:,} {plural}"


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


def headline_json(h: Headline) -> dict[str, Any]:
    """A headline as in `tidings list --json` (and each search hit)."""
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
