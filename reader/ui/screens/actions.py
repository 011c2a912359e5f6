"""What the keys do to stories and feeds: bookmark, read marks, links, refresh, overlays."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from reader.models import Feed
from reader.ui import loaders
from reader.ui.messages import Notice, RefreshFinished, RefreshProgress
from reader.ui.refresh import BackgroundRefresh
from reader.ui.screens.base import ReaderScreen

RELOAD_EVERY = 2.0  # seconds between list reloads while a refresh brings new items


@dataclass(frozen=True)
class Target:
    """The story a key acts on: in the reading pane when it has focus, else under the cursor."""

    id: int
    read: bool
    bookmarked: bool
    link: str


class ItemActions(ReaderScreen):
    """Key actions on the current story, the current source, and the whole reader."""

    _refresh: BackgroundRefresh | None = None  # instance state; class defaults stand in
    _new_seen = 0  # for an __init__ (ReaderScreen has it)
    _last_reload = 0.0

    def target(self) -> Target | None:
        """The story a key acts on."""
        item = self.article.item
        if item is not None and (self.focused is self.article or self.pane_is("article")):
            row = self.headlines.get(item.id)
            if row is not None:
                return Target(row.id, row.read, row.bookmarked, row.link)
            return Target(item.id, item.read, item.bookmarked, item.link)
        current = self.headlines.current
        if current is None:
            return None
        return Target(current.id, current.read, current.bookmarked, current.link)

    def pane_is(self, name: str) -> bool:
        """Whether `name` is the pane in focus."""
        return self.pane == name

    def action_bookmark(self) -> None:
        """b: bookmark the story, or remove its bookmark."""
        target = self.target()
        if target is not None:
            self.set_bookmarked(target.id, not target.bookmarked)

    def action_toggle_read(self) -> None:
        """m: mark the story read or unread."""
        target = self.target()
        if target is not None:
            self.set_read([target.id], not target.read)

    def action_mark_feed_read(self) -> None:
        """A: mark everything in the selected source read (a search: its hits listed)."""
        store, source, listed = self.ctx.store, self.source, list(self.headlines.ids)
        self.work(lambda: loaders.mark_source_read(store, source, listed), "write", False)

    # ---- links --------------------------------------------------------------------------
    def open_url(self, url: str) -> None:
        """Open a link in the browser (checked here and again in links.open_url)."""
        from reader.ui import links  # subprocess, webbrowser: off the startup path

        try:
            links.check_url(url)
        except links.LinkError as exc:
            self.notify(str(exc), severity="warning")
            return
        browser = self.ctx.config.ui.browser

        def job() -> Notice:
            try:
                if links.open_url(url, browser):
                    return Notice(f"Opened {url}")
            except links.LinkError as exc:
                return Notice(str(exc), error=True)
            return Notice("No browser to open it with: the link is on the clipboard", copy=url)

        self.work(job, "browser", exclusive=False)

    def action_open_link(self) -> None:
        """o: open the story's link in the browser."""
        target = self.target()
        if target is None:
            self.notify("No story selected")
            return
        self.open_url(target.link)

    def open_link_number(self, number: int | None) -> None:
        """Open link `number` of the story in the reading pane."""
        document = self.article.document
        if number is not None and document is not None and 1 <= number <= len(document.links):
            self.open_url(document.links[number - 1])

    def action_links(self) -> None:
        """u: list the story's links to open one."""
        document = self.article.document
        if document is None:
            self.notify("Open a story first (enter)")
        elif not document.links:
            self.notify("This story has no links")
        else:
            from reader.ui.screens.overlays import LinkPicker

            self.app.push_screen(LinkPicker(document.links), self.open_link_number)

    # ---- the reading pane ---------------------------------------------------------------
    def action_page(self) -> None:
        """space: page the reading pane; at its end, the next unread story."""
        if self.article.item is None:
            current = self.headlines.current_id
            if current is not None:
                self.open_item(current)
            return
        if self.narrow and not self.pane_is("article"):
            self.show_pane("article")
        elif self.article.at_end:
            self.action_next_unread()
        else:
            self.article.scroll_page_down(animate=False)

    def action_page_back(self) -> None:
        """backspace: page the reading pane back."""
        self.article.scroll_page_up(animate=False)

    def action_next_unread(self) -> None:
        """n: the next unread story (the main screen finds it)."""
        raise NotImplementedError

    # ---- refresh ------------------------------------------------------------------------
    def start_refresh(self, feeds: Sequence[Feed] | None, quiet: bool = False) -> None:
        """Refresh `feeds` (None: all) in a worker thread; progress comes back as messages."""
        service = self.ctx.service
        if service is None:
            self.notify(f"Not refreshing: {self.ctx.offline_reason}")
            return
        if self._refresh is not None:
            if not quiet:
                self.notify("A refresh is already running")
            return
        self._new_seen = 0
        self.status.activity = "refreshing…"
        self._refresh = BackgroundRefresh(service, feeds, self.post_message)
        self.work(self._refresh.run, "refresh")

    def on_unmount(self) -> None:
        """Quitting cancels a running refresh (and fetches) rather than waiting for them."""
        if self._refresh is not None:
            self._refresh.cancel()
        self.cancel_jobs()

    def action_refresh_feed(self) -> None:
        """r: refresh the selected feed."""
        feeds = self.refresh_targets()
        if feeds:
            self.start_refresh(feeds)
        else:
            self.notify("No feed selected")

    def action_refresh_all(self) -> None:
        """R: refresh every feed."""
        self.start_refresh(None)

    def refresh_targets(self) -> list[Feed]:
        """The feeds `r` refreshes (the main screen decides)."""
        raise NotImplementedError

    def on_refresh_progress(self, message: RefreshProgress) -> None:
        """Show progress; new items appear every few seconds, the cursor staying put."""
        p = message.progress
        failed = f" · {p.failed} failed" if p.failed else ""
        self.status.activity = f"refreshing {p.done}/{p.total}{failed}"
        now = asyncio.get_running_loop().time()
        if message.new_items > self._new_seen and now - self._last_reload > RELOAD_EVERY:
            self._new_seen, self._last_reload = message.new_items, now
            self.load_feeds()
            self.load_headlines(keep=True)

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        """Say how it went and show what came in."""
        self._refresh = None
        if message.error:
            self.status.activity = "refresh failed"
            self.notify(message.error, title="Refresh", severity="error")
            return
        failed = f" · {message.failed} failed (e: feed health)" if message.failed else ""
        self.status.activity = f"{message.new_items:,} new · {self.ctx.dates.clock_time()}{failed}"
        if message.new_items:
            stories = "story" if message.new_items == 1 else "stories"
            self.notify(f"{message.new_items:,} new {stories}", title="Refresh")
        self.load_feeds()
        self.load_headlines(keep=True)
        self.count_searches(index=True)  # new items are queued for the index: index them now

    # ---- overlays -----------------------------------------------------------------------
    def action_feed_health(self) -> None:
        """e: the feed-health view."""
        from reader.ui.screens.overlays import HealthScreen

        self.app.push_screen(HealthScreen(self.feeds, self.ctx.dates))

    def action_help(self) -> None:
        """?: every key."""
        from reader.ui.screens.overlays import HelpScreen

        self.app.push_screen(HelpScreen(self.ctx.config.keys))
