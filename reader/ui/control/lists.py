"""The lists: the feed pane's feeds and counts, the headline pane's ids and rows, the status
line's place, and walking to the next unread story across feeds (n, p)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.content import Content
from textual.message import Message

from reader.models import Headline
from reader.ui import loaders
from reader.ui.messages import FeedsLoaded, HeadlinesLoaded, SearchCounts, UnreadFound
from reader.ui.sources import ALL, Extras, Kind, Source, next_sources
from reader.ui.widgets.article import NO_FEEDS, WELCOME
from reader.ui.words import plural

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen
    from reader.ui.screens.welcome import Welcomed


EMPTY = {
    Kind.ALL: "No stories yet: R refreshes every feed; a in the feed pane adds one.",
    Kind.UNREAD: "Nothing unread. R refreshes every feed; All lists what was read.",
    Kind.BOOKMARKS: "No bookmarks yet: b on a story bookmarks it and keeps it to read offline.",
    Kind.FEED: "No stories in this feed yet: r refreshes it, e shows its health.",
    Kind.TAG: "No stories under this tag yet: r refreshes its feeds.",
    Kind.MARK_TAG: "No bookmark has this tag any more: B on a story tags it.",
    Kind.SEARCH: "No match. Fewer words find more; -word leaves one out; ? lists the keys.",
}


def empty_hint(source: Source) -> str:
    """What an empty list of `source` says to do."""
    return EMPTY.get(source.kind, "")


class Lists:
    """Loads what the feed and headline panes show and keeps their counts right."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._preview_of: Source | None = None
        self._screen_row: tuple[int, int] | None = None  # (item, row) to restore a list to
        self.feeds_requested = False  # the first feed load goes with the first headlines
        self.started = False  # the first feeds are in (the welcome and the refresh went)
        self._listed = False  # a whole list of ids is shown (the start-up refresh may go)
        self._refresh_wanted = False  # the start-up refresh, once a list is shown
        self._select_url = ""  # a feed to move to once the feeds are read again
        self._title: str | None = None  # the headline pane's title

    # ---- loading ------------------------------------------------------------------------
    def show_first_view(self) -> None:
        """The newest headlines of All and the feed counts, read while Textual was imported
        (firstview.py), shown now when they are ready (else the first load brings them)."""
        future = self.screen.ctx.first_view
        view = loaders.first_view(future) if future is not None and future.done() else None
        if view is not None:
            self.feeds_requested = True
            counts, rows = loaders.first_messages(view)
            self.feeds_loaded(counts)
            self.headlines_loaded(rows)

    def load_feeds(self) -> None:
        """Read the feeds and their counts again."""
        store = self.screen.ctx.store
        self.screen.runner.work(lambda: loaders.load_feeds(store), "feeds")

    def count_searches(self, index: bool = False) -> None:
        """Count the saved searches' unread hits (`index`: index what a refresh queued first,
        even with no saved search)."""
        store, queries = self.screen.ctx.store, list(self.screen.ctx.state.state.searches)
        if not queries and not index:
            return

        def job() -> Message:
            if index:
                store.index_pending()
            return loaders.search_counts(store, queries)

        self.screen.runner.work(job, "search-counts")

    def load_headlines(self, keep: bool = False, jump: bool | None = None) -> None:
        """Read the current source's ids (the cursor stays on its item when `keep`, unless it
        is on the first row with no story open: then it stays on the newest; `jump` opens its
        first (True) or last (False) unread item)."""
        screen = self.screen
        store, source, post = screen.ctx.store, screen.source, screen.post_message
        hl = screen.headlines
        at_top = hl.cursor == 0 and screen.article.item is None
        keep_id = hl.current_id if keep and not at_top else None
        feeds, self.feeds_requested = not self.feeds_requested, True  # the first view's counts
        shown = self._preview_of == source and not feeds  # its newest rows are on screen
        early = None if shown else post
        first = screen.ctx.first_view if feeds else None  # not ready when the screen mounted
        screen.runner.work(
            lambda: loaders.load_headlines(
                store, source, keep_id=keep_id, jump=jump, early=early, feeds=feeds, first=first
            ),
            "headlines",
        )

    def load_headlines_at(self, item_id: int | None, screen_row: int) -> None:
        """Read the source again, the cursor on `item_id` at `screen_row` of the list."""
        self._screen_row = None if item_id is None else (item_id, screen_row)
        store, source = self.screen.ctx.store, self.screen.source
        self.screen.runner.work(
            lambda: loaders.load_headlines(store, source, keep_id=item_id), "headlines"
        )

    def reload(self, select_url: str = "") -> None:
        """Read feeds, counts and the list again (the cursor stays on its story; with
        `select_url`, the feed pane moves to that feed once it is listed)."""
        self._select_url = select_url
        self.load_feeds()
        self.load_headlines(keep=True)

    def load_rows(self, generation: int, ids: Sequence[int]) -> None:
        """Fetch the headline rows on screen."""
        store = self.screen.ctx.store
        self.screen.runner.work(lambda: loaders.load_rows(store, generation, ids), "rows")

    # ---- results ------------------------------------------------------------------------
    def feeds_loaded(self, message: FeedsLoaded) -> None:
        """New feeds and counts into the feed pane; the first time, the welcome (no feeds)
        or the refresh."""
        screen = self.screen
        screen.feeds, screen.unread = list(message.feeds), message.unread
        screen.totals = message.totals
        extras = self.feed_extras(tuple(message.mark_tags))
        screen.feed_list.set_data(screen.feeds, screen.unread, screen.totals, extras, resort=True)
        self.update_place()
        self.count_searches()
        wanted = next((f for f in screen.feeds if f.url == self._select_url), None)
        if wanted is not None:
            self._select_url = ""
            screen.feed_list.select_source(Source(Kind.FEED, feed_id=wanted.id))
        if screen.article.item is None:
            screen.article.show_message(WELCOME if screen.feeds else NO_FEEDS)
        if self.started:
            return
        self.started = True
        if not screen.feeds and not screen.ctx.config.sync.enabled:  # [sync]: feeds come by R
            from reader.ui.screens.welcome import WelcomeScreen

            screen.app.push_screen(WelcomeScreen(screen.ctx), self.welcomed)
        elif screen.ctx.service is not None and screen.ctx.refresh_on_start:
            self._refresh_wanted = True
            self._start_refresh()

    def _start_refresh(self) -> None:
        """The start-up refresh, once the stored news is on screen: it imports the network
        stack and starts the parser processes, which would hold the first view back."""
        if self._refresh_wanted and self._listed:
            self._refresh_wanted = False
            self.screen.call_after_refresh(self.screen.refreshing.start, None)

    def welcomed(self, done: Welcomed | None) -> None:
        """Back from the welcome screen: show the new feeds (and fetch them)."""
        if done is None:
            return
        self.screen.notify(done.note)
        self.load_feeds()
        self.load_headlines()
        if done.refresh:
            self.screen.refreshing.start(None)

    def feed_extras(self, mark_tags: tuple[tuple[str, int], ...]) -> Extras:
        """The feed pane's extra rows: bookmark tags and the saved searches."""
        searches = tuple(self.screen.ctx.state.state.searches)
        return Extras(mark_tags, searches, self.screen.feed_list.extras.search_counts)

    def search_counts(self, message: SearchCounts) -> None:
        """Unread counts of the saved searches."""
        screen = self.screen
        extras = screen.feed_list.extras
        counts = {**extras.search_counts, **message.counts}
        screen.feed_list.set_data(screen.feeds, screen.unread, screen.totals,
                                  replace(extras, search_counts=counts))  # fmt: skip
        self.update_place()

    def headlines_loaded(self, message: HeadlinesLoaded) -> None:
        """A source's ids: show them, keeping the cursor on its item."""
        screen = self.screen
        if not message.preview and not self._listed:
            self._listed = True
            self._start_refresh()
        if message.source != screen.source:
            return
        keep_id = message.keep_id
        if keep_id is None and self._preview_of == message.source:
            keep_id = screen.headlines.current_id  # the full list after its preview
        self._preview_of = message.source if message.preview else None
        row = None
        if self._screen_row is not None and self._screen_row[0] == keep_id:
            row, self._screen_row = self._screen_row[1], None
        screen.headlines.empty_text = empty_hint(message.source)
        screen.headlines.show(message.ids, message.rows, keep_id=keep_id, screen_row=row,
                              show_feed=not message.source.single_feed,
                              span=message.span)  # fmt: skip
        self.update_place()
        if not self.feeds_requested:
            self.feeds_requested = True
            self.load_feeds()
        if message.open_index is not None:
            screen.reading.open_at(message.open_index)
        elif message.jump is not None:
            screen.notify("No more unread stories")

    def show_story(self, item_id: int) -> None:
        """Put the headline cursor on story `item_id` (listing All when the source shown does
        not have it)."""
        screen = self.screen
        index = screen.headlines.index_of(item_id)
        if index is not None:
            screen.headlines.cursor = index
            return
        screen.source = ALL
        screen.feed_list.select_source(ALL)
        self.load_headlines_at(item_id, screen.headlines.page_rows // 3)

    def go_to_feed(self, feed_id: int | None) -> None:
        """List the feed `feed_id` (picked in feed health), the cursor in the feed pane on it."""
        if feed_id is None:
            return
        screen = self.screen
        source = Source(Kind.FEED, feed_id=feed_id)
        screen.feed_list.select_source(source)
        self.select(source)
        screen.show_pane("headlines")

    def select(self, source: Source) -> None:
        """List `source` (its headlines are read)."""
        if source != self.screen.source:
            self.screen.source = source
            self.load_headlines()

    # ---- counts and the status line -----------------------------------------------------
    def apply_changes(self, changed: Sequence[Headline]) -> None:
        """Update rows, counts and the open story for items whose flags changed."""
        screen = self.screen
        stale = False
        for new in changed:
            old = screen.headlines.get(new.id)
            if old is None:
                stale = True
            else:
                delta = int(old.read) - int(new.read)
                screen.unread[new.feed_id] = max(0, screen.unread.get(new.feed_id, 0) + delta)
                marks = int(new.bookmarked) - int(old.bookmarked)
                screen.totals = replace(
                    screen.totals,
                    unread=max(0, screen.totals.unread + delta),
                    bookmarked=max(0, screen.totals.bookmarked + marks),
                )
            item = screen.article.item
            if item is not None and item.id == new.id:
                screen.article.update_item(replace(item, read=new.read, bookmarked=new.bookmarked))
        screen.headlines.update(changed)
        screen.feed_list.set_data(screen.feeds, screen.unread, screen.totals)
        self.update_place()
        if stale:
            self.load_feeds()

    def update_place(self) -> None:
        """Where we are: the source, its size, its unread count."""
        screen = self.screen
        source = screen.source
        row = next((r for r in screen.feed_list.rows if r.source == source), None)
        label = row.label if row else "All"
        count = len(screen.headlines.ids)
        parts = [label or "Feed", "… stories" if self._preview_of else plural(count, "story")]
        if source.is_search:
            from reader.ui.control.searching import matches_text

            parts = [f"/{source.search}", matches_text(screen.search.total, screen.search.exact)]
            if row is not None:
                parts.append(f"{row.count:,} unread")
        elif source.kind in (Kind.FEED, Kind.TAG) and row is not None:
            parts.append(f"{row.count:,} unread")
        elif source.kind in (Kind.ALL, Kind.UNREAD):
            parts.append(f"{screen.totals.unread:,} unread")
        screen.status.place = " · ".join(parts)
        if parts[0] != self._title:  # a new title repaints the whole list: only when it changed
            self._title = parts[0]
            screen.headlines.border_title = Content(parts[0])  # a feed title: never markup

    # ---- the next unread story ----------------------------------------------------------
    def jump(self, forward: bool) -> None:
        """Find the next (or previous) unread story from the cursor."""
        screen = self.screen
        hl = screen.headlines
        start = hl.cursor
        item = screen.article.item
        if forward and (item is None or item.id != hl.current_id):
            start -= 1  # the cursor's own story counts when it is not open yet
        store, source, ids, generation = screen.ctx.store, screen.source, hl.ids, hl.generation
        screen.runner.work(
            lambda: loaders.unread_in(store, generation, source, ids, start, forward), "jump"
        )

    def unread_found(self, message: UnreadFound) -> None:
        """Open the unread item found, or cross into the next feed that has one."""
        screen = self.screen
        if message.generation != screen.headlines.generation:
            return
        if message.index is not None:
            screen.reading.open_at(message.index)
            return
        groups = screen.feed_list.groups()
        targets = next_sources(groups, screen.unread, screen.source, message.forward)
        if not targets:
            screen.notify("No more unread stories")
            return
        screen.source = targets[0]
        screen.feed_list.select_source(screen.source)
        self.load_headlines(jump=message.forward)
