"""Worker threads for a screen: store work runs off the event loop, its result comes back as the
message the job returns. Coroutine jobs run on a loop of their own and are cancelled on exit.
A job that raises posts `Failed` (what it was doing, why), which the App shows like every other
background error."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import get_current_worker

from reader.textsafe import one_line
from reader.ui import jobs
from reader.ui.messages import Failed

M = TypeVar("M", bound=Message)
TITLES = {  # what a group of jobs does, as the title of its error
    "feeds": "Feeds", "headlines": "Headlines", "rows": "Headlines", "article": "Story",
    "write": "Saving", "tags": "Tags", "summary": "Summary", "summary-lines": "Summary",
    "search": "Search", "search-more": "Search", "search-counts": "Saved searches",
    "jump": "Next unread", "state": "Saving settings", "browser": "Browser",
    "refresh": "Refresh", "fulltext": "Full story", "digest": "Digest", "count": "Counting",
    "subscribe": "Subscribing", "pipe": "Pipe", "save": "Saving the story",
    "enclosures": "Enclosures", "downloads": "Downloads", "save-page": "Save page",
}  # fmt: skip


def failure(group: str, error: BaseException) -> Failed:
    """The message that tells about `error` in a job of `group`."""
    title = TITLES.get(group, group.capitalize())
    return Failed(title, one_line(str(error)) or type(error).__name__)


class Runner:
    """Runs jobs in worker threads of `node` and posts what they return to it."""

    def __init__(self, node: DOMNode) -> None:
        self.node = node
        self._jobs: set[jobs.AsyncJob[Any]] = set()

    def work(self, job: Callable[[], Message | None], group: str, exclusive: bool = True) -> None:
        """Run `job` in a worker thread and post the message it returns (unless cancelled);
        `exclusive`: a newer job of the group cancels an older one."""
        node = self.node

        def run() -> None:
            try:
                message = job()
            except Exception as exc:  # said in one line, like every background error
                message = failure(group, exc)
            if message is not None and not get_current_worker().is_cancelled:
                node.post_message(message)

        node.run_worker(run, group=group, exclusive=exclusive, thread=True, exit_on_error=False)

    def work_async(self, job: jobs.AsyncJob[M], group: str) -> None:
        """Run a coroutine job on its own loop in a worker thread and post its message;
        `cancel_all` stops it."""
        self._jobs.add(job)

        def run() -> M | None:
            try:
                return job.run()
            except asyncio.CancelledError:  # the screen is going away
                return None
            finally:
                self._jobs.discard(job)

        self.work(run, group, exclusive=False)

    def cancel_all(self) -> None:
        """Stop every running coroutine job."""
        for job in list(self._jobs):
            job.cancel()
