"""The three-pane screen: feeds | headlines | reading pane, and the search bar over them. It
mediates: widgets tell it what happened (messages up), it runs store work in worker threads and
sets widget state (attributes down). Narrow terminals (< 100 columns) show one pane at a time
with the same keys. What the keys do lives in the classes it builds on: actions.py (stories,
feeds, refresh), story.py (summaries, full text, bookmarks, digest), searching.py (search)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget

from reader.models import Feed, Headline
from reader.ui import keys, loaders
from reader.ui.context import ReaderContext
from reader.ui.messages import (
    ArticleLoaded,
    FeedsLoaded,
    HeadlinesLoaded,
    Notice,
    RowsLoaded,
    UnreadFound,
)
from reader.ui.screens.searching import SearchActions
from reader.ui.sources import Kind, Source, next_sources
from reader.ui.widgets.article import WELCOME, ArticleView
from reader.ui.widgets.feeds import FeedList
from reader.ui.widgets.footer import KeyFooter
from reader.ui.widgets.headlines import HeadlineList
from reader.ui.widgets.status import StatusLine

if TYPE_CHECKING:
    from reader.ui.screens.welcome import Welcomed
    from reader.ui.widgets.blocks import LinkList

NARROW = 100  # columns below which one pane shows at a time
PANES = ("feeds", "headlines", "article")
NO_FEEDS = (
    "No feeds yet.\n\n"
    "Subscribe from a shell, then come back:\n"
    "  tidings add https://example.org/        (finds the site's feed)\n"
    "  tidings import ~/.newsboat/urls         (or an OPML file)\n\n"
    "Or try the reader on bundled feeds: tidings demo"
)


class MainScreen(SearchActions):
    """Feeds, headlines and the story; the status line and the footer below."""

    BINDINGS: ClassVar[list[BindingType]] = list(keys.bindings("screen"))
    AUTO_FOCUS = "#headlines"

    def __init__(self, ctx: ReaderContext) -> None:
        super().__init__(ctx)
        self._read_timer: Timer | None = None
        self._preview_of: Source | None = None
        self._screen_row: tuple[int, int] | None = None  # (item, row) to restore a list to
        self.feeds_requested = False  # the first feed load waits for the first headlines
        self.started = False  # the first feeds are in (the welcome and the refresh went)

    def compose(self) -> ComposeResult:
        """The panes, the status line, the footer (the search bar comes when wanted)."""
        with Horizontal(id="panes"):
            yield FeedList(id="feeds")
            yield HeadlineList(self.ctx.dates, id="headlines")
            yield ArticleView(self.ctx.dates, id="article")
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Show the cache at once; refresh in the background once it is on screen."""
        self.feed_list.border_title = "Feeds"
        self.article.border_title = "Story"
        self.headlines.set_summary_lines(self.ctx.state.state.summary_lines)
        self.call_after_refresh(self.load_headlines)  # the first frame is not kept waiting
        self.status.activity = "" if self.ctx.service else self.ctx.offline_reason
        minutes = self.ctx.config.ui.refresh_minutes
        if self.ctx.service is not None and minutes > 0:
            self.set_interval(minutes * 60, lambda: self.start_refresh(None, quiet=True))

    # ---- results ------------------------------------------------------------------------
    def on_feeds_loaded(self, message: FeedsLoaded) -> None:
        """New feeds and counts; the first time, the welcome (no feeds) or the refresh."""
        self.feeds, self.unread, self.totals = list(message.feeds), message.unread, message.totals
        extras = self.feed_extras(tuple(message.mark_tags))
        self.feed_list.set_data(self.feeds, self.unread, self.totals, extras)
        self.update_place()
        self.count_searches()
        if self.article.item is None:
            self.article.show_message(WELCOME if self.feeds else NO_FEEDS)
        if not self.started:
            self.started = True
            if not self.feeds:
                from reader.ui.screens.welcome import WelcomeScreen

                self.app.push_screen(WelcomeScreen(self.ctx), self.on_welcomed)
            elif self.ctx.service is not None and self.ctx.refresh_on_start:
                self.start_refresh(None)

    def on_welcomed(self, done: Welcomed | None) -> None:
        """Back from the welcome screen: show the new feeds (and fetch them)."""
        if done is None:
            return
        self.notify(done.note)
        self.load_feeds()
        self.load_headlines()
        if done.refresh:
            self.start_refresh(None)

    def on_headlines_loaded(self, message: HeadlinesLoaded) -> None:
        """A source's ids: show them, keeping the cursor on its item."""
        if message.source != self.source:
            return
        keep_id = message.keep_id
        if keep_id is None and self._preview_of == message.source:
            keep_id = self.headlines.current_id  # the full list after its preview
        self._preview_of = message.source if message.preview else None
        row = None
        if self._screen_row is not None and self._screen_row[0] == keep_id:
            row, self._screen_row = self._screen_row[1], None
        self.headlines.show(message.ids, message.rows, keep_id=keep_id, screen_row=row,
                            show_feed=not message.source.single_feed)  # fmt: skip
        self.update_place()
        if not self.feeds_requested:
            self.feeds_requested = True
            self.load_feeds()
        if message.open_index is not None:
            self.open_at(message.open_index)
        elif message.jump is not None:
            self.notify("No more unread stories")

    def open_at(self, index: int) -> None:
        """Put the cursor on row `index` and open its story (in the one-pane layout, show it)."""
        self.headlines.cursor = index
        self.open_item(self.headlines.ids[index])
        if self.narrow:
            self.show_pane("article")

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        """Rows for the window on screen."""
        self.headlines.add_rows(message.generation, message.rows)

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        """Show the story (or its summary), then mark it read as configured."""
        self.article.show_item(message.item, message.document, message.summary)
        if not message.item.read:
            self.schedule_read(message.item.id)

    def on_unread_found(self, message: UnreadFound) -> None:
        """Open the unread item found, or cross into the next feed that has one."""
        if message.generation != self.headlines.generation:
            return
        if message.index is not None:
            self.open_at(message.index)
            return
        targets = next_sources(self.feeds, self.unread, self.source, message.forward)
        if not targets:
            self.notify("No more unread stories")
            return
        self.source = targets[0]
        self.feed_list.select_source(self.source)
        self.load_headlines(jump=message.forward)

    def on_notice(self, message: Notice) -> None:
        """A worker's note."""
        if message.copy:
            self.app.copy_to_clipboard(message.copy)
        self.notify(message.text, severity="error" if message.error else "information")

    # ---- widget messages ----------------------------------------------------------------
    def on_feed_list_highlighted(self, message: FeedList.Highlighted) -> None:
        """A new source: show its headlines (a search in progress ends)."""
        self.end_search(restore=False)
        if message.source != self.source:
            self.source = message.source
            self.load_headlines()

    def load_headlines_at(self, item_id: int | None, screen_row: int) -> None:
        """Read the source again, the cursor on `item_id` at `screen_row` of the list."""
        self._screen_row = None if item_id is None else (item_id, screen_row)
        store, source = self.ctx.store, self.source
        self.work(lambda: loaders.load_headlines(store, source, keep_id=item_id), "headlines")

    def on_feed_list_chosen(self, message: FeedList.Chosen) -> None:
        """Enter on a feed: go to its headlines."""
        self.show_pane("headlines")

    def on_headline_list_opened(self, message: HeadlineList.Opened) -> None:
        """Open a story; the one-pane layout turns to the reading pane."""
        self.open_item(message.item_id)
        if self.narrow:
            self.show_pane("article")

    def on_headline_list_need_rows(self, message: HeadlineList.NeedRows) -> None:
        """Fetch the rows on screen."""
        store, generation, ids = self.ctx.store, message.generation, message.ids
        self.work(lambda: loaders.load_rows(store, generation, ids), "rows")

    def on_link_list_clicked(self, message: LinkList.Clicked) -> None:
        """A click on a numbered link opens it."""
        self.open_link_number(message.number)

    # ---- counts and the status line -----------------------------------------------------
    def apply_changes(self, changed: Sequence[Headline]) -> None:
        """Update rows, counts and the open story for items whose flags changed."""
        stale = False
        for new in changed:
            old = self.headlines.get(new.id)
            if old is None:
                stale = True
            else:
                delta = int(old.read) - int(new.read)
                self.unread[new.feed_id] = max(0, self.unread.get(new.feed_id, 0) + delta)
                marks = int(new.bookmarked) - int(old.bookmarked)
                self.totals = replace(
                    self.totals,
                    unread=max(0, self.totals.unread + delta),
                    bookmarked=max(0, self.totals.bookmarked + marks),
                )
            item = self.article.item
            if item is not None and item.id == new.id:
                self.article.update_item(replace(item, read=new.read, bookmarked=new.bookmarked))
        self.headlines.update(changed)
        self.feed_list.set_data(self.feeds, self.unread, self.totals)
        self.update_place()
        if stale:
            self.load_feeds()

    def update_place(self) -> None:
        """Where we are: the source, its size, its unread count."""
        row = next((r for r in self.feed_list.rows if r.source == self.source), None)
        label = row.label if row else "All"
        size = "…" if self._preview_of else f"{len(self.headlines.ids):,}"
        parts = [label or "Feed", f"{size} stories"]
        if self.source.is_search:
            total = self.search_total
            parts = [f"/{self.source.search}", f"{total:,} {'match' if total == 1 else 'matches'}"]
            if row is not None:
                parts.append(f"{row.count:,} unread")
        elif self.source.kind in (Kind.FEED, Kind.TAG) and row is not None:
            parts.append(f"{row.count:,} unread")
        elif self.source.kind in (Kind.ALL, Kind.UNREAD):
            parts.append(f"{self.totals.unread:,} unread")
        self.status.place = " · ".join(parts)
        self.headlines.border_title = Content(parts[0])  # a feed title: never markup

    # ---- panes --------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        """One pane at a time below NARROW columns."""
        self.layout_panes(event.size.width)

    def watch_pane(self, pane: str) -> None:
        """The pane shown in the one-pane layout follows focus."""
        self.layout_panes(self.size.width)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Back is offered only where there is somewhere to go back to; while a query is
        typed the reader's keys are letters of it (the bar's own keys show instead)."""
        if self.searching and self.focused is not None and self.focused.id == "search-input":
            return action in ("next_pane", "prev_pane")
        return action != "back" or self.pane != "feeds" or self.searching

    def layout_panes(self, width: int) -> None:
        """Set the layout classes in one style update (each update restyles every widget)."""
        narrow = width < NARROW
        panes = {f"pane-{name}": narrow and name == self.pane for name in PANES}
        self.update_classes({"narrow": narrow, **panes})

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Track which pane has focus."""
        for name, widget in zip(PANES, self.panes(), strict=True):
            if event.widget is widget or widget in event.widget.ancestors:
                self.pane = name

    def panes(self) -> tuple[Widget, Widget, Widget]:
        """The three panes, left to right."""
        return self.feed_list, self.headlines, self.article

    def show_pane(self, name: str) -> None:
        """Focus a pane (showing it, in the one-pane layout)."""
        self.pane = name
        widget = self.panes()[PANES.index(name)]
        self.call_after_refresh(widget.focus)

    def _step_pane(self, step: int, wrap: bool) -> None:
        index = PANES.index(self.pane) + step
        if wrap:
            index %= len(PANES)
        if 0 <= index < len(PANES):
            self.show_pane(PANES[index])

    def action_next_pane(self) -> None:
        """Tab: the next pane."""
        self._step_pane(1, wrap=True)

    def action_prev_pane(self) -> None:
        """Shift+tab: the previous pane."""
        self._step_pane(-1, wrap=True)

    def action_pane_left(self) -> None:
        """h: the pane to the left."""
        self._step_pane(-1, wrap=False)

    def action_pane_right(self) -> None:
        """l: the pane to the right; from the headlines this opens the story."""
        current = self.headlines.current_id
        item = self.article.item
        if (
            self.pane == "headlines"
            and current is not None
            and (item is None or item.id != current)
        ):
            self.open_item(current)
        self._step_pane(1, wrap=False)

    def action_back(self) -> None:
        """Escape: from the story back to the headlines, from there to the feeds (in a search:
        from the hits back to where the search started)."""
        if self.searching and self.pane != "article":
            self.end_search(restore=True)
        elif self.pane != "feeds":
            self._step_pane(-1, wrap=False)

    def action_jump(self, forward: bool) -> None:
        """Find the next (or previous) unread story from the cursor."""
        hl = self.headlines
        start = hl.cursor
        item = self.article.item
        if forward and (item is None or item.id != hl.current_id):
            start -= 1  # the cursor's own story counts when it is not open yet
        store, source, ids, generation = self.ctx.store, self.source, hl.ids, hl.generation
        self.work(lambda: loaders.unread_in(store, generation, source, ids, start, forward), "jump")

    def action_next_unread(self) -> None:
        """n: the next unread story, across feeds."""
        self.action_jump(True)

    def action_prev_unread(self) -> None:
        """p: the previous unread story, across feeds."""
        self.action_jump(False)

    def refresh_targets(self) -> list[Feed]:
        """The feeds `r` refreshes: the selected feed or tag, else the cursor story's feed."""
        if self.source.kind is Kind.FEED:
            return [f for f in self.feeds if f.id == self.source.feed_id]
        if self.source.kind is Kind.TAG:
            return [f for f in self.feeds if self.source.tag in f.tags]
        current = self.headlines.current
        return [f for f in self.feeds if current is not None and f.id == current.feed_id]

    def mark_read_now(self, item_id: int) -> None:
        """Mark one item read (the timer of mark_read = "after" ends here too)."""
        item = self.article.item
        if item is not None and item.id == item_id and not item.read:
            self.set_read([item_id], True)

    def schedule_read(self, item_id: int) -> None:
        """Mark an opened item read now, after a delay, or never (config [ui] mark_read)."""
        ui = self.ctx.config.ui
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        if ui.mark_read == "open":
            self.mark_read_now(item_id)
        elif ui.mark_read == "after":
            self._read_timer = self.set_timer(
                ui.mark_read_after, lambda: self.mark_read_now(item_id)
            )
