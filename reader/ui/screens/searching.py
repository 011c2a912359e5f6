"""Search: `/` opens the search bar over the panes; its hits fill the headline list (a snippet
under each title) as the query is typed; escape goes back to the source, the cursor and the
story that were there before. Saved searches are sources in the feed pane like feeds, with
their unread counts, kept in the UI state file."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reader.textsafe import one_line
from reader.ui import loaders
from reader.ui.messages import SearchCounts, SearchLoaded
from reader.ui.screens.story import StoryActions
from reader.ui.sources import Extras, Source, search_source
from reader.ui.widgets.headlines import HeadlineList

if TYPE_CHECKING:
    from reader.ui.widgets.searchbar import SearchBar


@dataclass(frozen=True)
class Before:
    """Where the reader was when the search started."""

    source: Source
    item_id: int | None
    screen_row: int
    article_id: int | None
    pane: str


class SearchActions(StoryActions):
    """The search bar, its hits, saved searches."""

    show_timing = True  # say how long a search took (snapshot tests turn it off)
    searching = False  # the search bar is open
    search_total = 0  # matches of the listed search
    _before: Before | None = None
    _last_query = ""

    @property
    def search_bar(self) -> SearchBar:
        """The search bar (made the first time it is wanted: not part of the first paint)."""
        from reader.ui.widgets.searchbar import SearchBar

        found = self.query(SearchBar)
        if found:
            return found.first()
        bar = SearchBar(id="search-bar")
        self.mount(bar, before="#panes")
        return bar

    def action_search(self) -> None:
        """/: open the search bar (with the current search in it, if any)."""
        bar = self.search_bar
        if not bar.is_mounted:
            self.call_after_refresh(self.action_search)
            return
        if not self.searching:
            hl, article = self.headlines, self.article.item
            self._before = Before(self.source, hl.current_id, hl.cursor - hl.top_row,
                                  article.id if article else None, self.pane)  # fmt: skip
            self.searching = True
            self.add_class("searching")
        query = self.source.search if self.source.is_search else self._last_query
        bar.start(query)
        if query and self.source != search_source(query):
            self.run_search(query)

    def run_search(self, query: str) -> None:
        """List the hits of `query` (a newer search cancels an older one still running)."""
        query = " ".join(query.split())
        self._last_query = query
        self.source = search_source(query)
        if not query:
            self.search_total = 0
            self.headlines.show_hits([], {}, {}, 0)
            self.search_bar.set_info("")
            self.update_place()
            return
        store, source = self.ctx.store, self.source
        self.work(lambda: loaders.search(store, source), "search")

    def on_search_bar_changed(self, message: SearchBar.Changed) -> None:
        """Typing paused: search."""
        self.run_search(message.query)

    def on_search_bar_submitted(self, message: SearchBar.Submitted) -> None:
        """Enter: to the hits, opening the first (shown at once in the one-pane layout)."""
        current = self.headlines.current_id
        if current is not None:
            self.open_item(current)
        self.show_pane("article" if self.narrow and current is not None else "headlines")

    def on_search_bar_results_wanted(self, message: SearchBar.ResultsWanted) -> None:
        """Down: to the hits."""
        self.show_pane("headlines")

    def on_search_bar_closed(self, message: SearchBar.Closed) -> None:
        """Escape in the bar: back to where the search started."""
        self.end_search(restore=True)

    def on_search_bar_save_wanted(self, message: SearchBar.SaveWanted) -> None:
        """ctrl+s in the bar: save the query."""
        self.save_search(message.query)

    def end_search(self, restore: bool) -> None:
        """Close the bar; with `restore`, list the source, cursor and story from before."""
        if not self.searching:
            return
        self.searching = False
        self.remove_class("searching")
        before, self._before = self._before, None
        if not restore or before is None:
            return
        self.source = before.source
        self.load_headlines_at(before.item_id, before.screen_row)
        item = self.article.item
        if before.article_id is None and item is not None:
            from reader.ui.widgets.article import WELCOME

            self.article.show_message(WELCOME)
        elif before.article_id is not None and (item is None or item.id != before.article_id):
            self.open_item(before.article_id)
        self.show_pane(before.pane)

    def load_headlines_at(self, item_id: int | None, screen_row: int) -> None:
        """Read the source again, the cursor on `item_id` at `screen_row` of the list."""
        raise NotImplementedError

    # ---- hits -----------------------------------------------------------------------------
    def on_search_loaded(self, message: SearchLoaded) -> None:
        """Hits: a new list, or the next page of the one shown; or why the query cannot run."""
        if message.source != self.source:
            return
        if message.error:
            if self.searching:
                self.search_bar.set_info(message.error, error=True)
            else:
                self.notify(message.error, severity="error")
            return
        listed = message.offset + len(message.hits)
        more = max(0, min(message.total, loaders.MAX_HITS) - listed)
        if message.offset:
            self.headlines.add_hits(message.generation, message.hits, message.titles,
                                    message.snippets, more)  # fmt: skip
            return
        self.search_total = message.total
        self.headlines.show_hits(message.hits, message.titles, message.snippets, more,
                                 keep_id=message.keep_id)  # fmt: skip
        if self.searching:
            capped = ""
            if more + listed < message.total:
                capped = f" · the first {loaders.MAX_HITS:,} listed"
            matches = "1 match" if message.total == 1 else f"{message.total:,} matches"
            took = f" · {message.took_ms:.0f} ms" if self.show_timing else ""
            self.search_bar.set_info(f"{matches}{took}{capped}")
        self.update_place()

    def on_headline_list_need_more(self, message: HeadlineList.NeedMore) -> None:
        """The next page of hits."""
        store, source = self.ctx.store, self.source
        generation, offset = message.generation, message.offset
        if source.is_search:
            self.work(
                lambda: loaders.search(store, source, offset=offset, generation=generation),
                "search-more",
            )

    # ---- saved searches -------------------------------------------------------------------
    def action_save_search(self) -> None:
        """S: save the search (on a saved search in the feed pane: remove it)."""
        saved = self.ctx.state.state.searches
        if self.searching:
            self.save_search(self.search_bar.value)
        elif self.source.is_search and self.source.search in saved:
            self.remove_search(self.source.search)
        elif self.source.is_search:
            self.save_search(self.source.search)
        else:
            self.notify("Search first (/), then S saves the search")

    def save_search(self, query: str) -> None:
        """Keep `query` in the feed pane."""
        query = " ".join(query.split())
        if not query:
            self.notify("Type a search first")
        elif not self.ctx.state.add_search(query):
            self.notify(f"“{one_line(query)}” is already saved")
        else:
            self.notify(f"Saved “{one_line(query)}”: it is in the feed pane now")
            self._searches_changed()

    def remove_search(self, query: str) -> None:
        """Forget a saved search."""
        if self.ctx.state.remove_search(query):
            self.notify(f"Removed the saved search “{one_line(query)}”")
            self._searches_changed()

    def _searches_changed(self) -> None:
        state = self.ctx.state
        self.work(state.save_job(), "state", exclusive=False)
        extras = replace(self.feed_list.extras, searches=tuple(state.state.searches))
        self.feed_list.set_data(self.feeds, self.unread, self.totals, extras)
        self.count_searches()

    def on_search_counts(self, message: SearchCounts) -> None:
        """Unread counts of the saved searches."""
        extras = self.feed_list.extras
        counts = {**extras.search_counts, **message.counts}
        self.feed_list.set_data(self.feeds, self.unread, self.totals,
                                replace(extras, search_counts=counts))  # fmt: skip
        self.update_place()

    def feed_extras(self, mark_tags: tuple[tuple[str, int], ...]) -> Extras:
        """The feed pane's extra rows: bookmark tags and the saved searches."""
        searches = tuple(self.ctx.state.state.searches)
        return Extras(mark_tags, searches, self.feed_list.extras.search_counts)
