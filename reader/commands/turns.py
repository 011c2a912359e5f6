"""One refresh or sync at a time on a store, as the command line takes its turn.

`tidings refresh` and `tidings sync` started while another refresh or sync runs on the same store
(cron's, the open reader's, a second shell's) wait for it to end, then do what is left: a refresh
fetches only the feeds the other one did not check meanwhile, so refreshes started by cron every
few minutes never pile up or fetch a feed twice. `--no-wait` leaves the work to the running one
(a one-line note on stderr, exit 0; `--json` prints the command's object with nothing done and
"running_elsewhere": the pid); after `--wait SECONDS` (default 600) of waiting they give up
with exit 1, the other one still running. On a terminal the wait is said on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from reader import textsafe
from reader.commands import Parser, emit_json
from reader.errors import JobRunning
from reader.store.db import Store
from reader.store.lock import JobLock

WAIT_SECONDS = 600.0
JOB = "refresh"  # one lock for refresh and sync: a refresh with [sync] set syncs first


def seconds(text: str) -> float:
    """--wait's value: a number of seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}")
    return value


def add_options(parser: Parser) -> None:
    """--wait and --no-wait (one or the other) on a command that takes its turn."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--wait",
        type=seconds,
        default=WAIT_SECONDS,
        metavar="SECONDS",
        help="while another refresh or sync runs on this store, wait at most this long for it"
        f" (default {WAIT_SECONDS:g}), then exit 1",
    )
    group.add_argument(
        "--no-wait",
        action="store_true",
        help="while another refresh or sync runs, leave it to that one (a note on stderr, exit 0)",
    )


def take_turn(
    store: Store, args: argparse.Namespace, nothing: dict[str, Any]
) -> tuple[JobLock | None, int]:
    """The lock, held (release it when done), with exit code 0; or None and the exit code when
    another refresh or sync runs: 0 with --no-wait (with --json, `nothing` is printed, naming
    that process as "running_elsewhere"), 1 when the wait ran out (said on stderr)."""
    lock = store.only_one(JOB)
    try:
        lock.acquire(0.0 if args.no_wait else args.wait, on_wait=waiting_note())
    except JobRunning as exc:
        if args.no_wait:
            pid = f" (pid {exc.pid})" if exc.pid else ""
            note(f"another refresh or sync runs on this store{pid}; leaving it to that one")
            if args.json:
                emit_json(nothing | {"running_elsewhere": exc.pid})
            return None, 0
        note(str(exc))
        return None, 1
    return lock, 0


def waiting_note() -> Callable[[int | None], None] | None:
    """On a terminal, a person is told what the command waits for (cron is not)."""
    if not sys.stderr.isatty():
        return None

    def say(pid: int | None) -> None:
        mark = f" (pid {pid})" if pid else ""
        note(f"another refresh or sync runs on this store{mark}: waiting for it (--no-wait: not)")

    return say


def waited(lock: JobLock) -> str:
    """What a command says after waiting for another refresh or sync ("" when it did not)."""
    if not lock.waited:
        return ""
    pid = f" (pid {lock.waited_for})" if lock.waited_for else ""
    return f"waited for the refresh or sync running{pid}"


def note(text: str) -> None:
    """One line on stderr."""
    print(f"tidings: {textsafe.one_line(text)}", file=sys.stderr)
