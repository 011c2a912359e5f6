"""A closed terminal or a kill (SIGTERM, SIGHUP) ends the reader, whatever state it is in.

When the terminal goes away, Textual's writer thread dies on the dead tty and the event loop
then blocks for ever putting the next frame in the writer's queue, while its input thread spins
at 100% CPU. A signal handler that waits for the loop (asyncio's) never runs then, and a
terminal emulator that closes does not always send SIGHUP to the reader at all (under `make
run`, the shell above it is the one told). So:

- SIGTERM and SIGHUP get plain Python handlers, which run in the main thread even while it
  waits on that queue's lock;
- a watcher thread asks the terminal for its settings every second, which fails (EIO) once it
  is gone.

Either asks the app to exit normally and, if it has not within `GRACE` seconds, ends the
process. Nothing is lost by that: every committed transaction is in the WAL (the same holds for
a kill -9), and the writer lock goes with the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType

GRACE = 3.0  # seconds a normal exit may take before the process just ends
POLL = 1.0  # seconds between two looks at the terminal


def exit_on_hangup(exit_app: Callable[[], None], grace: float = GRACE) -> None:
    """Install the handlers and start the watcher (from the main thread, in the running
    loop); both last as long as the process."""
    loop = asyncio.get_running_loop()
    once = threading.Lock()

    def end(code: int) -> None:
        if not once.acquire(blocking=False):
            return
        deadline = threading.Timer(grace, os._exit, (code,))
        deadline.daemon = True
        deadline.start()
        with contextlib.suppress(RuntimeError):  # the loop has closed: the app is leaving anyway
            loop.call_soon_threadsafe(exit_app)

    def handle(signum: int, _frame: FrameType | None) -> None:
        end(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handle)
    terminals = [fd for fd in (0, 1, 2) if os.isatty(fd)]
    if terminals:
        watcher = threading.Thread(
            target=_watch, args=(terminals, lambda: end(128 + signal.SIGHUP)),
            name="tidings-terminal", daemon=True,
        )  # fmt: skip
        watcher.start()


def _watch(fds: list[int], gone: Callable[[], None]) -> None:
    import termios

    while True:
        time.sleep(POLL)
        for fd in fds:
            try:
                termios.tcgetattr(fd)
            except (termios.error, OSError):
                gone()
                return
