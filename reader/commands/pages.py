"""Saving any page: `tidings save URL [--tag T]` (reader.saving)."""

from __future__ import annotations

import argparse
import asyncio

from reader import textsafe
from reader.commands import Context, Subparsers, command, out
from reader.errors import UsageError


def register(subs: Subparsers) -> None:
    """The save subcommand."""
    s = command(
        subs,
        "save",
        "keep a web page's story as a bookmark (no feed needed): offline, searchable, exported",
        "tidings save https://example.org/story --tag later",
        cmd_save,
    )
    s.add_argument("url")
    s.add_argument("--tag", action="append", default=[], metavar="T", help="tag (repeatable)")


def cmd_save(ctx: Context, args: argparse.Namespace) -> int:
    from reader.saving import save_page

    if not args.url.lower().startswith(("http://", "https://")):
        raise UsageError(f"{args.url}: only http and https pages can be saved")
    with ctx.store() as store:
        saved = asyncio.run(save_page(ctx.config, store, args.url, args.tag))
    verb = "saved again" if saved.again else "saved"
    out(textsafe.one_line(f"{verb} {saved.item_id}: {saved.title}"))
    return 0
