"""The state and plumbing the main screen's parts share: the context, the panes, and worker
threads whose results come back as messages."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from textual.message import Message
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from reader.models import Feed, Headline
from reader.ui import jobs, loaders
from reader.ui.context import ReaderContext
from reader.ui.sources import ALL, Source, Totals
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.feeds import FeedList
from reader.ui.widgets.headlines import HeadlineList
from reader.ui.widgets.status import StatusLine

M = TypeVar("M", bound=Message)


class ReaderScreen(Screen[None]):
    """The panes and the store work behind them."""

    pane: reactive[str] = reactive("headlines", init=False)
    """The pane with focus: feeds, headlines or article (the one shown when narrow)."""

    def __init__(self, ctx: ReaderContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.source: Source = ALL
        self.feeds: list[Feed] = []
        self.unread: dict[int, int] = {}
        self.totals = Totals()
        self.summary_view = False  # the reading pane shows summaries (s)
        self._jobs: set[jobs.AsyncJob[Any]] = set()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification; its text is never read as markup (it often holds a feed's title,
        a link or an error about them)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    @property
    def feed_list(self) -> FeedList:
        """The feed pane."""
        return self.query_one(FeedList)

    @property
    def headlines(self) -> HeadlineList:
        """The headline pane."""
        return self.query_one(HeadlineList)

    @property
    def article(self) -> ArticleView:
        """The reading pane."""
        return self.query_one(ArticleView)

    @property
    def status(self) -> StatusLine:
        """The status line."""
        return self.query_one(StatusLine)

    @property
    def narrow(self) -> bool:
        """One pane at a time."""
        return self.has_class("narrow")

    def show_pane(self, name: str) -> None:
        """Focus a pane (showing it, in the one-pane layout)."""
        raise NotImplementedError

    def update_place(self) -> None:
        """Say where we are in the status line (the main screen knows how)."""
        raise NotImplementedError

    def apply_changes(self, changed: Sequence[Headline]) -> None:
        """Rows, counts and the open story follow changed flags (the main screen knows how)."""
        raise NotImplementedError

    # ---- workers ------------------------------------------------------------------------
    def work(self, job: Callable[[], Message | None], group: str, exclusive: bool = True) -> None:
        """Run `job` in a worker thread and post the message it returns (unless cancelled)."""

        def run() -> None:
            message = job()
            if message is not None and not get_current_worker().is_cancelled:
                self.post_message(message)

        self.run_worker(run, group=group, exclusive=exclusive, thread=True, exit_on_error=False)

    def work_async(self, job: jobs.AsyncJob[M], group: str) -> None:
        """Run a coroutine job on its own loop in a worker thread and post its message; quitting
        cancels it (see `cancel_jobs`)."""
        self._jobs.add(job)

        def run() -> M | None:
            try:
                return job.run()
            except asyncio.CancelledError:  # the screen is going away
                return None
            finally:
                self._jobs.discard(job)

        self.work(run, group, exclusive=False)

    def cancel_jobs(self) -> None:
        """Stop every running coroutine job."""
        for job in list(self._jobs):
            job.cancel()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed says why, in one line."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(str(error) or type(error).__name__, title="tidings", severity="error")

    def load_feeds(self) -> None:
        """Read the feeds and their counts again."""
        store = self.ctx.store
        self.work(lambda: loaders.load_feeds(store), "feeds")

    def count_searches(self, index: bool = False) -> None:
        """Count the saved searches' unread hits (`index`: index what a refresh queued first,
        even with no saved search)."""
        store, queries = self.ctx.store, list(self.ctx.state.state.searches)
        if not queries and not index:
            return

        def job() -> Message:
            if index:
                store.index_pending()
            return loaders.search_counts(store, queries)

        self.work(job, "search-counts")

    def load_headlines(self, keep: bool = False, jump: bool | None = None) -> None:
        """Read the current source's ids (the cursor stays on its item when `keep`; `jump`
        opens its first (True) or last (False) unread item)."""
        store, source, post = self.ctx.store, self.source, self.post_message
        keep_id = self.headlines.current_id if keep else None
        self.work(
            lambda: loaders.load_headlines(store, source, keep_id=keep_id, jump=jump, early=post),
            "headlines",
        )

    def open_item(self, item_id: int) -> None:
        """Load a story into the reading pane (with its summary, in the summary view)."""
        store = self.ctx.store
        summary = self.ctx.config.summary if self.summary_view else None
        self.work(lambda: loaders.load_article(store, item_id, summary), "article")

    def set_read(self, item_ids: Sequence[int], read: bool) -> None:
        """Mark items read or unread."""
        store, ids = self.ctx.store, list(item_ids)
        self.work(lambda: loaders.set_read(store, ids, read), "write", exclusive=False)

    def set_bookmarked(self, item_id: int, bookmarked: bool) -> None:
        """Bookmark or unbookmark an item."""
        store = self.ctx.store
        self.work(
            lambda: loaders.set_bookmarked(store, item_id, bookmarked), "write", exclusive=False
        )
