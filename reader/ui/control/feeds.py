"""What the feed pane's keys do to the feed (or tag, or fixed entry) under its cursor, and
marking a whole source read (A)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.ui import loaders

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen
    from reader.ui.widgets.feeds import FeedList


class FeedActions:
    """The feed pane's keys."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def wanted(self, message: FeedList.Wanted) -> None:
        """A feed-pane key: mark the feed read (m), open its site (o)."""
        if message.action == "mark_read":
            self.mark_source_read()
        elif message.action == "open_site":
            feed = message.feed
            if feed is None:
                self.screen.notify("Not a feed: choose one to open its site")
            else:
                self.screen.reading.open_url(feed.site_url or feed.url)

    def mark_source_read(self) -> None:
        """A: mark everything in the selected source read (a search: its hits listed)."""
        screen = self.screen
        store, source, listed = screen.ctx.store, screen.source, list(screen.headlines.ids)
        screen.runner.work(lambda: loaders.mark_source_read(store, source, listed), "write", False)
