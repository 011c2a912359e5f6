"""Search: `/` opens the search bar over the panes; its hits fill the headline list (a snippet
under each title) as the query is typed; escape goes back to the source, the cursor and the
story that were there before. Saved searches are sources in the feed pane like feeds, with
their unread counts, kept in the UI state file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reader.textsafe import one_line
from reader.ui import loaders
from reader.ui.control.lists import empty_hint
from reader.ui.messages import Failed, SearchLoaded, SearchTotal
from reader.ui.sources import Source, search_source
from reader.ui.words import plural

MORE_WAIT = 0.15  # seconds the hits stay listed, while the query is typed, before the next page

if TYPE_CHECKING:
    from textual.timer import Timer

    from reader.ui.screens.main import MainScreen
    from reader.ui.widgets.headlines import HeadlineList
    from reader.ui.widgets.searchbar import SearchBar


def matches_text(total: int, exact: bool = True) -> str:
    """ "1 match", "2,345 matches", or while counting "about 84,000 matches"."""
    if exact:
        return plural(total, "match")
    step = 10 ** max(0, len(str(total)) - 2)  # two significant digits: an estimate says no more
    return f"about {round(total / step) * step:,} matches"


@dataclass(frozen=True)
class Before:
    """Where the reader was when the search started."""

    source: Source
    item_id: int | None
    screen_row: int
    article_id: int | None
    pane: str


class Searching:
    """The search bar, its hits, saved searches."""

    show_timing = True  # say how long a search took (snapshot tests turn it off)

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.active = False  # the search bar is open
        self.total = 0  # matches of the listed search
        self.exact = True  # False: `total` is an estimate, the count is on its way
        self._took_ms = 0.0
        self._before: Before | None = None
        self._last_query = ""
        self._more: Timer | None = None  # the next page, asked for once typing pauses
        self._fetch_more: Callable[[], None] = lambda: None

    @property
    def bar(self) -> SearchBar:
        """The search bar (made the first time it is wanted: not part of the first paint)."""
        from reader.ui.widgets.searchbar import SearchBar

        found = self.screen.query(SearchBar)
        if found:
            return found.first()
        bar = SearchBar(id="search-bar")
        self.screen.mount(bar, before="#panes")
        return bar

    @property
    def typing(self) -> bool:
        """The query is being typed (the reader's keys are letters of it)."""
        focused = self.screen.focused
        return self.active and focused is not None and focused.id == "search-input"

    def start(self) -> None:
        """/: open the search bar (with the current search in it, if any)."""
        screen = self.screen
        bar = self.bar
        if not bar.is_mounted:
            screen.call_after_refresh(self.start)
            return
        if not self.active:
            hl, article = screen.headlines, screen.article.item
            self._before = Before(screen.source, hl.current_id, hl.cursor - hl.top_row,
                                  article.id if article else None, screen.pane)  # fmt: skip
            self.active = True
            screen.add_class("searching")
        query = screen.source.search if screen.source.is_search else self._last_query
        bar.start(query)
        if query and screen.source != search_source(query):
            self.run(query)

    def run(self, query: str) -> None:
        """List the hits of `query` (a newer search cancels an older one still running)."""
        screen = self.screen
        query = " ".join(query.split())
        self._last_query = query
        self._stop_more()  # the list it was for goes
        screen.source = search_source(query)
        if not query:
            self.total = 0
            screen.headlines.empty_text = "Type to search every stored story."
            screen.headlines.show_hits([], {}, {}, 0)
            self.bar.set_info("")
            screen.lists.update_place()
            return
        store, source = screen.ctx.store, screen.source
        screen.runner.work(lambda: loaders.search(store, source), "search")

    def submitted(self) -> None:
        """Enter in the bar: to the hits, opening the first (shown at once in the one-pane
        layout)."""
        screen = self.screen
        self.more_now()
        current = screen.headlines.current_id
        if current is not None:
            screen.reading.open_item(current)
        screen.show_pane("article" if screen.narrow and current is not None else "headlines")

    def end(self, restore: bool) -> None:
        """Close the bar; with `restore`, list the source, cursor and story from before."""
        screen = self.screen
        if not self.active:
            return
        self.active = False
        screen.remove_class("searching")
        before, self._before = self._before, None
        if not restore or before is None:
            return
        screen.source = before.source
        screen.lists.load_headlines_at(before.item_id, before.screen_row)
        item = screen.article.item
        if before.article_id is None and item is not None:
            from reader.ui.widgets.article import WELCOME

            screen.article.show_message(WELCOME)
        elif before.article_id is not None and (item is None or item.id != before.article_id):
            screen.reading.open_item(before.article_id)
        screen.show_pane(before.pane)

    # ---- hits -----------------------------------------------------------------------------
    def loaded(self, message: SearchLoaded) -> None:
        """Hits: a new list, or the next page of the one shown; or why the query cannot run."""
        screen = self.screen
        if message.source != screen.source:
            return
        if message.error:
            if self.active:
                self.bar.set_info(message.error, error=True)
            else:
                screen.post_message(Failed("Search", message.error))
            return
        listed = message.offset + len(message.hits)
        more = max(0, min(message.total, loaders.MAX_HITS) - listed)
        if message.offset:
            screen.headlines.add_hits(message.generation, message.hits, message.titles,
                                      message.snippets, more)  # fmt: skip
            return
        self.total, self.exact, self._took_ms = message.total, message.exact, message.took_ms
        screen.headlines.empty_text = empty_hint(screen.source)
        screen.headlines.show_hits(message.hits, message.titles, message.snippets, more,
                                   keep_id=message.keep_id)  # fmt: skip
        self._show_total()
        if not message.exact:  # the hits first, the count when it is done
            store, source = screen.ctx.store, screen.source
            screen.runner.work(lambda: loaders.search_total(store, source), "search-total")

    def total_counted(self, message: SearchTotal) -> None:
        """The exact count of hits that were listed with an estimate."""
        screen = self.screen
        if message.source != screen.source:
            return
        self.total, self.exact = message.total, True
        listed = len(screen.headlines.ids)
        screen.headlines.more = max(0, min(message.total, loaders.MAX_HITS) - listed)
        self._show_total()

    def _show_total(self) -> None:
        """The count in the search bar and the status line ("about" while estimated)."""
        if self.active:
            capped = ""
            if self.total > loaders.MAX_HITS:
                capped = f" · the first {loaders.MAX_HITS:,} listed"
            took = f" · {self._took_ms:.0f} ms" if self.show_timing else ""
            self.bar.set_info(f"{matches_text(self.total, self.exact)}{took}{capped}")
        self.screen.lists.update_place()

    def need_more(self, message: HeadlineList.NeedMore) -> None:
        """The next page of hits. While the query is typed, it waits for the hits to stay a
        typing pause: the next key makes it moot, and meanwhile the first hits are drawn and
        the next query is searched without it competing for the CPU."""
        screen = self.screen
        store, source = screen.ctx.store, screen.source
        generation, offset = message.generation, message.offset
        if not source.is_search:
            return

        def fetch() -> None:
            self._more = None
            screen.runner.work(
                lambda: loaders.search(store, source, offset=offset, generation=generation),
                "search-more",
            )

        self._stop_more()
        if self.typing:
            self._more = screen.set_timer(MORE_WAIT, fetch)
            self._fetch_more = fetch
        else:
            fetch()

    def more_now(self) -> None:
        """The person moves to the hits: the next page, if it waits, is asked for now."""
        if self._more is not None:
            self._stop_more()
            self._fetch_more()

    def _stop_more(self) -> None:
        if self._more is not None:
            self._more.stop()
            self._more = None

    # ---- saved searches -------------------------------------------------------------------
    def save_or_remove(self) -> None:
        """S: save the search (on a saved search in the feed pane: remove it)."""
        screen = self.screen
        saved = screen.ctx.state.state.searches
        if self.active:
            self.save(self.bar.value)
        elif screen.source.is_search and screen.source.search in saved:
            self.remove(screen.source.search)
        elif screen.source.is_search:
            self.save(screen.source.search)
        else:
            screen.notify("Search first (/), then S saves the search")

    def save(self, query: str) -> None:
        """Keep `query` in the feed pane."""
        screen = self.screen
        query = " ".join(query.split())
        if not query:
            screen.notify("Type a search first")
        elif not screen.ctx.state.add_search(query):
            screen.notify(f"“{one_line(query)}” is already saved")
        else:
            screen.notify(f"Saved “{one_line(query)}”: it is in the feed pane now")
            self._searches_changed()

    def remove(self, query: str) -> None:
        """Forget a saved search."""
        if self.screen.ctx.state.remove_search(query):
            self.screen.notify(f"Removed the saved search “{one_line(query)}”")
            self._searches_changed()

    def _searches_changed(self) -> None:
        screen = self.screen
        state = screen.ctx.state
        screen.runner.work(state.save_job(), "state", exclusive=False)
        extras = replace(screen.feed_list.extras, searches=tuple(state.state.searches))
        screen.feed_list.set_data(screen.feeds, screen.unread, screen.totals, extras)
        screen.lists.count_searches()
