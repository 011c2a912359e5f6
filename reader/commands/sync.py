"""`tidings sync`: push the acts made here to the [sync] server and pull what is new."""

from __future__ import annotations

import argparse
import asyncio
import sys

from reader import textsafe
from reader.commands import Context, Subparsers, command, emit_json, out, turns
from reader.errors import SyncError
from reader.models import SyncReport
from reader.store.db import Store


def register(subs: Subparsers) -> None:
    """The sync subcommand."""
    s = command(
        subs,
        "sync",
        "sync with the feed server of [sync] (Fever or Google Reader API)",
        "tidings sync --json",
        cmd_sync,
    )
    s.add_argument("--json", action="store_true", help="print one JSON object with the counts")
    turns.add_options(s)


def cmd_sync(ctx: Context, args: argparse.Namespace) -> int:
    from reader.service import Service

    with ctx.store() as store:
        nothing = SyncReport(ctx.config.sync.service, 0, 0, 0).as_json()
        lock, code = turns.take_turn(store, args, nothing)
        if lock is None:
            return code
        try:
            report = asyncio.run(Service(ctx.config, store).sync())
        except SyncError as exc:
            print(f"tidings: sync failed: {textsafe.one_line(str(exc))}", file=sys.stderr)
            return 1
        finally:
            lock.release()
    if args.json:
        emit_json(report.as_json())
    else:
        out(summary(report))
    for note in report.notes:
        print(f"tidings: {textsafe.one_line(note)}", file=sys.stderr)
    return 0


def summary(report: SyncReport) -> str:
    """One line for a person."""
    return (
        f"{report.service}: {report.feeds} feeds, {report.pulled} new items pulled,"
        f" {report.pushed} changes sent ({report.seconds:.2f} s)"
    )


def sync_before_refresh(ctx: Context, store: Store) -> tuple[dict[str, object] | None, bool]:
    """With [sync] set, sync first: (the sync's JSON or its error, whether it failed)."""
    from reader.service import Service

    if not ctx.config.sync.enabled:
        return None, False
    try:
        report = asyncio.run(Service(ctx.config, store).sync())
    except SyncError as exc:
        message = textsafe.one_line(str(exc))
        print(f"tidings: sync failed: {message}", file=sys.stderr)
        return {"service": ctx.config.sync.service, "error": message}, True
    for note in report.notes:
        print(f"tidings: {textsafe.one_line(note)}", file=sys.stderr)
    return dict(report.as_json()), False
