"""The three-pane screen: feeds | headlines | reading pane, and the search bar over them.

It mediates. Each pane owns its keys and says what the person wants with a message: the feed
pane `FeedList.Highlighted`, `FeedList.Chosen` and `FeedList.Wanted` (a key acting on the feed
under its cursor), the headline and reading panes `StoryWanted` (a story key), the search bar
its `SearchBar.*` messages. The screen hands each to the part that does the work, composed
here, not inherited: `Lists` (what the panes list, counts, n/p), `Reading` (the open story and
the story keys), `Summaries` (s, v, the digest), `Searching` (the bar, hits, saved searches),
`Refreshing` (r, R, the timer).
Store work runs in worker threads (`Runner`), results come back as messages (messages.py).
Narrow terminals (< 100 columns) show one pane at a time with the same keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from reader.models import Feed
from reader.ui import keys, watch
from reader.ui import messages as msg
from reader.ui.context import ReaderContext
from reader.ui.control.feeds import FeedActions
from reader.ui.control.lists import Lists
from reader.ui.control.podcasts import Podcasts
from reader.ui.control.reading import Reading
from reader.ui.control.refreshing import Refreshing
from reader.ui.control.runner import Runner
from reader.ui.control.searching import Searching
from reader.ui.control.sending import Sending
from reader.ui.control.summaries import Summaries
from reader.ui.messages import Notice, Result, StoryWanted
from reader.ui.sources import ALL, Source, Totals
from reader.ui.widgets.article import ArticleView
from reader.ui.widgets.feeds import FeedList
from reader.ui.widgets.footer import KeyFooter
from reader.ui.widgets.headlines import HeadlineList
from reader.ui.widgets.status import StatusLine

if TYPE_CHECKING:
    from reader.ui.widgets.blocks import LinkList
    from reader.ui.widgets.searchbar import SearchBar

NARROW = 100  # columns below which one pane shows at a time
PANES = ("feeds", "headlines", "article")


class MainScreen(Screen[None]):
    """Feeds, headlines and the story; the status line and the footer below."""

    BINDINGS: ClassVar[list[BindingType]] = list(keys.bindings("screen"))
    AUTO_FOCUS = "#headlines"

    pane: reactive[str] = reactive("headlines", init=False)
    """The pane with focus: feeds, headlines or article (the one shown when narrow)."""

    def __init__(self, ctx: ReaderContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.source: Source = ALL
        self.feeds: list[Feed] = []
        self.unread: dict[int, int] = {}
        self.totals = Totals()
        self.runner = Runner(self)
        self.lists = Lists(self)
        self.reading = Reading(self)
        self.summaries = Summaries(self)
        self.search = Searching(self)
        self.refreshing = Refreshing(self)
        self.feed_actions = FeedActions(self)
        self.sending = Sending(self)
        self.reading.actions |= {"pipe": self.sending.pipe, "save_markdown": self.sending.ask_save}
        self.routes: dict[type[Result], Callable[[Any], None]] = {
            msg.FeedsLoaded: self.lists.feeds_loaded,
            msg.HeadlinesLoaded: self.lists.headlines_loaded,
            msg.RowsLoaded: lambda m: self.headlines.add_rows(m.generation, m.rows),
            msg.SearchCounts: self.lists.search_counts,
            msg.UnreadFound: self.lists.unread_found,
            msg.ArticleLoaded: self.reading.article_loaded,
            msg.ItemsChanged: self.reading.items_changed,
            msg.TagsWanted: self.reading.tags_wanted,
            msg.FullTextDone: self.reading.full_text_done,
            msg.SummaryLoaded: self.summaries.loaded,
            msg.SummaryLines: self.summaries.lines_loaded,
            msg.SearchLoaded: self.search.loaded,
            msg.SearchTotal: self.search.total_counted,
            msg.RefreshProgress: self.refreshing.progress,
            msg.RefreshFinished: self.refreshing.finished,
            msg.SyncProgressed: self.refreshing.sync_progress,
            Notice: self.show_notice,
            msg.Subscribed: self.feed_actions.subscribed,
            msg.FeedsChanged: self.feed_actions.feeds_changed,
            msg.MarksCounted: self.feed_actions.counted,
            msg.PipeReady: self.sending.ready,
            watch.StoreChanged: lambda m: watch.show_changes(self, m),  # another process wrote
            watch.StoryFlags: lambda m: watch.show_flags(self, m),
            watch.OtherRefresh: self.refreshing.elsewhere,
        }
        """Which part shows each kind of worker result (a new part adds its own here)."""
        self.podcasts = Podcasts(self)  # E, P and W: adds its story key and its result route

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
        self.feed_list.by_unread = self.feed_actions.first_sort() == "unread"
        self.lists.show_first_view()  # read while Textual loaded: in the first frame
        self.call_after_refresh(self.lists.load_headlines)  # the first frame is not kept waiting
        self.call_after_refresh(self.podcasts.resume)  # downloads the last session left queued
        self.status.activity = "" if self.ctx.service else self.ctx.offline_reason
        minutes = self.ctx.config.ui.refresh_minutes
        if self.ctx.service is not None and minutes > 0:
            self.set_interval(minutes * 60, lambda: self.refreshing.start(None, quiet=True))

    def on_unmount(self) -> None:
        """Quitting cancels a running refresh (and fetches) rather than waiting for them."""
        self.refreshing.cancel()
        self.runner.cancel_all()

    # ---- the parts ----------------------------------------------------------------------
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

    # ---- results from workers -----------------------------------------------------------
    @on(Result)
    def route(self, message: Result) -> None:
        """A worker's result: to the part that shows it."""
        message.stop()
        handler = self.routes.get(type(message))
        if handler is not None:
            handler(message)

    def show_notice(self, message: Notice) -> None:
        """A worker's note."""
        if message.copy:
            self.app.copy_to_clipboard(message.copy)
        self.notify(message.text)

    # ---- what the panes want ------------------------------------------------------------
    def on_feed_list_highlighted(self, message: FeedList.Highlighted) -> None:
        """A new source: show its headlines (a search in progress ends)."""
        self.search.end(restore=False)
        self.lists.select(message.source)

    def on_feed_list_chosen(self, message: FeedList.Chosen) -> None:
        """Enter on a feed: go to its headlines."""
        self.show_pane("headlines")

    def on_feed_list_wanted(self, message: FeedList.Wanted) -> None:
        """A feed-pane key."""
        self.feed_actions.wanted(message)

    def on_headline_list_opened(self, message: HeadlineList.Opened) -> None:
        """Open a story; the one-pane layout turns to the reading pane."""
        self.reading.open_item(message.item_id)
        if self.narrow:
            self.show_pane("article")

    def on_headline_list_need_rows(self, message: HeadlineList.NeedRows) -> None:
        """Fetch the rows on screen."""
        self.lists.load_rows(message.generation, message.ids)

    def on_headline_list_need_more(self, message: HeadlineList.NeedMore) -> None:
        """The next page of search hits."""
        self.search.need_more(message)

    def on_story_wanted(self, message: StoryWanted) -> None:
        """A story key in the headline or reading pane."""
        self.reading.story_wanted(message)

    def on_link_list_clicked(self, message: LinkList.Clicked) -> None:
        """A click on a numbered link opens it."""
        self.reading.open_link_number(message.number)

    def on_search_bar_changed(self, message: SearchBar.Changed) -> None:
        """Typing paused: search."""
        self.search.run(message.query)

    def on_search_bar_submitted(self, message: SearchBar.Submitted) -> None:
        """Enter in the bar: to the hits."""
        self.search.submitted()

    def on_search_bar_results_wanted(self, message: SearchBar.ResultsWanted) -> None:
        """Down in the bar: to the hits."""
        self.search.more_now()
        self.show_pane("headlines")

    def on_search_bar_closed(self, message: SearchBar.Closed) -> None:
        """Escape in the bar: back to where the search started."""
        self.search.end(restore=True)

    def on_search_bar_save_wanted(self, message: SearchBar.SaveWanted) -> None:
        """ctrl+s in the bar: save the query."""
        self.search.save(message.query)

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
        if self.search.typing:
            return action in ("next_pane", "prev_pane")
        return action != "back" or self.pane != "feeds" or self.search.active

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
        """Focus a pane (showing it, in the one-pane layout). Focus moves now, not after
        a refresh, so a key typed right behind this one goes to the new pane."""
        self.pane = name
        self.set_focus(self.panes()[PANES.index(name)])

    def _step_pane(self, step: int, wrap: bool) -> None:
        index = PANES.index(self.pane) + step
        if wrap:
            index %= len(PANES)
        if 0 <= index < len(PANES):
            self.show_pane(PANES[index])

    # ---- the screen's keys --------------------------------------------------------------
    def action_downloads(self) -> None:
        """P: the download queue."""
        self.podcasts.show_queue()

    def action_save_page(self) -> None:
        """W: save a web page by its address."""
        self.podcasts.save_page()

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
        current, item = self.headlines.current_id, self.article.item
        opened = item.id if item is not None else None
        if self.pane == "headlines" and current is not None and opened != current:
            self.reading.open_item(current)
        self._step_pane(1, wrap=False)

    def action_back(self) -> None:
        """Escape: from the story back to the headlines, from there to the feeds (in a search:
        from the hits back to where the search started)."""
        if self.search.active and self.pane != "article":
            self.search.end(restore=True)
        elif self.pane != "feeds":
            self._step_pane(-1, wrap=False)

    def action_next_unread(self) -> None:
        """n: the next unread story, across feeds."""
        self.lists.jump(True)

    def action_prev_unread(self) -> None:
        """p: the previous unread story, across feeds."""
        self.lists.jump(False)

    def action_page(self) -> None:
        """space: page the reading pane; at its end, the next unread story."""
        if self.article.item is None:
            current = self.headlines.current_id
            if current is not None:
                self.reading.open_item(current)
        elif self.narrow and self.pane != "article":
            self.show_pane("article")
        elif self.article.at_end:
            self.action_next_unread()
        else:
            self.article.scroll_page_down(animate=False)

    def action_page_back(self) -> None:
        """backspace: page the reading pane back."""
        self.article.scroll_page_up(animate=False)

    def action_search(self) -> None:
        """/: open the search bar."""
        self.search.start()

    def action_save_search(self) -> None:
        """S: save the search (on a saved search: remove it)."""
        self.search.save_or_remove()

    def action_mark_feed_read(self) -> None:
        """A: mark everything listed read (asks first)."""
        self.feed_actions.mark_source_read()

    def action_undo(self) -> None:
        """U: undo the last bulk mark."""
        self.feed_actions.undo()

    def action_refresh_feed(self) -> None:
        """r: refresh the selected feed."""
        self.refreshing.refresh_selected()

    def action_refresh_all(self) -> None:
        """R: refresh every feed."""
        self.refreshing.start(None)

    def action_summary_lines(self) -> None:
        """v: a summary line under each headline, or not (remembered)."""
        self.summaries.toggle_lines()

    def on_headline_list_need_summaries(self, message: HeadlineList.NeedSummaries) -> None:
        """Summarise the rows on screen."""
        self.summaries.summarise_rows(message.ids)

    def action_digest(self) -> None:
        """d: the digest; enter opens a story from it."""
        self.summaries.digest()

    def action_feed_health(self) -> None:
        """e: the feed-health view."""
        from reader.ui.screens.health import HealthScreen

        self.app.push_screen(HealthScreen(self.feeds, self.ctx.dates), self.lists.go_to_feed)

    def action_help(self) -> None:
        """?: every key."""
        from reader.ui.screens.overlays import HelpScreen

        self.app.push_screen(HelpScreen(self.ctx.config.keys))
