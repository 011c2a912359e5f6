"""Refreshing from the reader: r (the selected feed or tag), R (every feed), the timer of
`[ui] refresh_minutes`; progress in the status line, new stories shown as they come in. With
[sync] set, both sync with the feed server first, the status line naming it. While another
process refreshes or syncs the store (cron's `tidings refresh`), the status line says so and its
news shows as it lands; the reader's own refresh does not start meanwhile."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reader.models import Feed
from reader.ui.messages import Failed, RefreshFinished, RefreshProgress, SyncProgressed
from reader.ui.refresh import BackgroundRefresh
from reader.ui.sources import Kind
from reader.ui.words import plural

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen
    from reader.ui.watch import OtherRefresh

RELOAD_EVERY = 2.0  # seconds between list reloads while a refresh brings new items
ELSEWHERE = "refreshing in another process"
STAGES = {"login": "signing in…", "sending": "sending changes…", "listing": "listing…",
          "pulling": "pulling", "storing": "storing…"}  # fmt: skip


class Refreshing:
    """One background refresh at a time, and what it shows."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._refresh: BackgroundRefresh | None = None
        self._new_seen = 0
        self._last_reload = 0.0
        self._quiet = False

    @property
    def running(self) -> bool:
        """A refresh is under way."""
        return self._refresh is not None

    def start(self, feeds: Sequence[Feed] | None, quiet: bool = False) -> None:
        """Refresh `feeds` (None: all) in a worker thread; progress comes back as messages."""
        screen = self.screen
        service = screen.ctx.service
        if service is None:
            screen.notify(f"Not refreshing: {screen.ctx.offline_reason}")
            return
        if self._refresh is not None:
            if not quiet:
                screen.notify("A refresh is already running")
            return
        self._new_seen, self._quiet = 0, quiet
        syncing = screen.ctx.config.sync.service
        screen.status.activity = f"{syncing}: syncing…" if syncing else "refreshing…"
        self._refresh = BackgroundRefresh(service, feeds, screen.post_message)
        screen.runner.work(self._refresh.run, "refresh")

    def cancel(self) -> None:
        """Stop a running refresh (quitting does not wait for it)."""
        if self._refresh is not None:
            self._refresh.cancel()

    def targets(self) -> list[Feed]:
        """The feeds `r` refreshes: the selected feed or tag, else the cursor story's feed."""
        screen = self.screen
        source, feeds = screen.source, screen.feeds
        if source.kind is Kind.FEED:
            return [f for f in feeds if f.id == source.feed_id]
        if source.kind is Kind.TAG:
            return [f for f in feeds if source.tag in f.tags]
        current = screen.headlines.current
        return [f for f in feeds if current is not None and f.id == current.feed_id]

    def refresh_selected(self, feeds: Sequence[Feed] | None = None) -> None:
        """r: refresh `feeds`, or the selected feed."""
        feeds = list(feeds) if feeds is not None else self.targets()
        if feeds:
            self.start(feeds)
        else:
            self.screen.notify("No feed selected")

    def progress(self, message: RefreshProgress) -> None:
        """Show progress; new items appear every few seconds, the cursor staying put."""
        screen = self.screen
        p = message.progress
        failed = f" · {p.failed} failed" if p.failed else ""
        screen.status.activity = f"refreshing {p.done}/{p.total}{failed}"
        now = asyncio.get_running_loop().time()
        if message.new_items > self._new_seen and now - self._last_reload > RELOAD_EVERY:
            self._new_seen, self._last_reload = message.new_items, now
            screen.lists.reload()

    def sync_progress(self, message: SyncProgressed) -> None:
        """The sync's stage in the status line, with a count while it pulls new items."""
        p = message.progress
        count = f" {p.done:,}/{p.total:,}" if p.stage == "pulling" and p.total else ""
        self.screen.status.activity = f"{p.service}: {STAGES.get(p.stage, p.stage)}{count}"

    def finished(self, message: RefreshFinished) -> None:
        """Say how it went and show what came in."""
        screen = self.screen
        self._refresh = None
        if message.elsewhere:
            screen.status.activity = ELSEWHERE
            if not self._quiet:
                screen.notify("Another process is refreshing: its news shows as it lands")
            return
        if message.sync_error:
            service = screen.ctx.config.sync.service
            screen.post_message(Failed(f"Sync ({service})", message.sync_error))
        if message.notify_error:  # [notify] command: one line, like every background error
            screen.post_message(Failed("Notify", message.notify_error))
        if message.error:
            screen.status.activity = "refresh failed"
            screen.post_message(Failed("Refresh", message.error))
            return
        failed = f" · {message.failed} failed (e: feed health)" if message.failed else ""
        clock = screen.ctx.dates.clock_time()
        synced = f"{message.synced} · " if message.synced else ""
        if message.sync_error:
            synced = f"{screen.ctx.config.sync.service}: sync failed · "
        screen.status.activity = f"{synced}{message.new_items:,} new · {clock}{failed}"
        if message.new_items:
            screen.notify(plural(message.new_items, "new story"), title="Refresh")
        screen.lists.reload()
        screen.lists.count_searches(index=True)  # new items are queued for the index

    def elsewhere(self, message: OtherRefresh) -> None:
        """Another process began or ended a refresh or sync: said in the status line (its news
        comes in through the store watch)."""
        screen = self.screen
        if self._refresh is not None:
            return  # the reader's own refresh says how it goes
        if message.pid is not None:
            screen.status.activity = ELSEWHERE
        elif screen.status.activity == ELSEWHERE:
            clock = screen.ctx.dates.clock_time()
            screen.status.activity = f"refreshed in another process · {clock}"
            screen.lists.reload()
            screen.lists.count_searches(index=True)
