"""A refresh run in the background: the service's coroutine on its own event loop in a worker
thread, reporting progress as messages, and cancellable from the UI thread (quitting during a
refresh must not wait for the slowest feed). With [sync] set it syncs with the feed server
first, holding the refresh lock across both (another process's refresh cannot run between
them); a failed sync is said, and the feeds tidings fetches itself are refreshed all the same.
While another process refreshes or syncs the store (cron's `tidings refresh`), neither runs: the
reader says so and shows that one's news as it lands (watch.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.message import Message

from reader.errors import JobRunning, ReaderError
from reader.models import Feed, RefreshReport
from reader.ui.context import Refresher, Syncer
from reader.ui.messages import RefreshFinished, RefreshProgress, SyncProgressed

if TYPE_CHECKING:
    from reader.service import Progress
    from reader.sync.engine import SyncProgress


class BackgroundRefresh:
    """One refresh of `feeds` (None: all); `run` in a worker thread, `cancel` from anywhere."""

    def __init__(
        self, service: Refresher, feeds: Sequence[Feed] | None, post: Callable[[Message], object]
    ) -> None:
        self.service = service
        self.feeds = feeds
        self.post = post
        self.new_items = 0
        self.synced = ""  # the service that synced, once it did
        self.sync_error = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[RefreshReport] | None = None
        self._cancelled = False

    def run(self) -> RefreshFinished:
        """Refresh; the outcome as a message (an error or a cancel is said in it)."""
        try:
            report = asyncio.run(self._main())
        except asyncio.CancelledError:
            return self._finished(error="refresh cancelled")
        except JobRunning:
            return self._finished(elsewhere=True)
        except ReaderError as exc:
            return self._finished(error=str(exc))
        return self._finished(len(report.results), report.failed, notify=report.notify_error)

    def _finished(
        self,
        feeds: int = 0,
        failed: int = 0,
        *,
        error: str = "",
        elsewhere: bool = False,
        notify: str = "",
    ) -> RefreshFinished:
        return RefreshFinished(
            feeds,
            self.new_items,
            failed,
            error,
            synced=self.synced,
            sync_error=self.sync_error,
            elsewhere=elsewhere,
            notify_error=notify,
        )

    async def _main(self) -> RefreshReport:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.ensure_future(self._sync_then_refresh())
        if self._cancelled:
            self._task.cancel()
        return await self._task

    async def _sync_then_refresh(self) -> RefreshReport:
        service = self.service
        if not (isinstance(service, Syncer) and service.sync_service):
            return await service.refresh(self.feeds, self._progress)
        with service.one_job():  # cron's refresh cannot slip in between the two
            try:
                report = await service.sync(self._sync_progress)
            except JobRunning:
                raise
            except ReaderError as exc:  # a SyncError: said, and the refresh goes on
                self.sync_error = str(exc)
            else:
                self.synced = report.service
                self.new_items += report.pulled
            return await service.refresh(self.feeds, self._progress)

    def _sync_progress(self, progress: SyncProgress) -> None:
        self.post(SyncProgressed(progress))

    def _progress(self, progress: Progress) -> None:
        self.new_items += progress.last.new_items if progress.last else 0
        self.post(RefreshProgress(progress, self.new_items))

    def cancel(self) -> None:
        """Stop the refresh soon (feeds already stored stay stored)."""
        self._cancelled = True
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            loop.call_soon_threadsafe(task.cancel)
