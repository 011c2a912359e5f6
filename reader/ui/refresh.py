"""A refresh run in the background: the service's coroutine on its own event loop in a worker
thread, reporting progress as messages, and cancellable from the UI thread (quitting during a
refresh must not wait for the slowest feed)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.message import Message

from reader.errors import ReaderError
from reader.models import Feed, RefreshReport
from reader.ui.context import Refresher
from reader.ui.messages import RefreshFinished, RefreshProgress

if TYPE_CHECKING:
    from reader.service import Progress


class BackgroundRefresh:
    """One refresh of `feeds` (None: all); `run` in a worker thread, `cancel` from anywhere."""

    def __init__(
        self, service: Refresher, feeds: Sequence[Feed] | None, post: Callable[[Message], object]
    ) -> None:
        self.service = service
        self.feeds = feeds
        self.post = post
        self.new_items = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[RefreshReport] | None = None
        self._cancelled = False

    def run(self) -> RefreshFinished:
        """Refresh; the outcome as a message (an error or a cancel is said in it)."""
        try:
            report = asyncio.run(self._main())
        except asyncio.CancelledError:
            return RefreshFinished(0, self.new_items, 0, "refresh cancelled")
        except ReaderError as exc:
            return RefreshFinished(0, self.new_items, 0, str(exc))
        return RefreshFinished(len(report.results), report.new_items, report.failed)

    async def _main(self) -> RefreshReport:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.ensure_future(self.service.refresh(self.feeds, self._progress))
        if self._cancelled:
            self._task.cancel()
        return await self._task

    def _progress(self, progress: Progress) -> None:
        self.new_items += progress.last.new_items if progress.last else 0
        self.post(RefreshProgress(progress, self.new_items))

    def cancel(self) -> None:
        """Stop the refresh soon (feeds already stored stay stored)."""
        self._cancelled = True
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            loop.call_soon_threadsafe(task.cancel)
