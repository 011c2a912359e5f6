"""What the keys do for reading: the summary view (s) and summary lines (v), the full story
from the web (f), bookmarks that keep it (b) and their tags (B), and the digest (d)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from reader.textsafe import one_line
from reader.ui import jobs, loaders
from reader.ui.messages import FullTextDone, ItemsChanged, SummaryLines, SummaryLoaded, TagsWanted
from reader.ui.screens.actions import ItemActions
from reader.ui.sources import Kind

if TYPE_CHECKING:
    from reader.ui.widgets.headlines import HeadlineList

TAGS_HINT = "commas between tags · enter saves (and bookmarks the story) · escape cancels"


class StoryActions(ItemActions):
    """Summaries, full text, bookmarks with tags, the digest."""

    _fetching: frozenset[int] = frozenset()  # items whose full text is being fetched

    # ---- summaries ----------------------------------------------------------------------
    def action_summary(self) -> None:
        """s: the summary of the story instead of the story (and back); it stays on for the
        next stories until s again."""
        self.summary_view = not self.summary_view
        item = self.article.item
        if item is None:
            current = self.headlines.current_id
            if current is not None:
                self.open_item(current)
                if self.narrow:
                    self.show_pane("article")
        elif not self.summary_view:
            self.article.show_summary(None)
        else:
            store, config, item_id = self.ctx.store, self.ctx.config.summary, item.id
            self.work(lambda: loaders.load_summary(store, item_id, config), "summary")

    def on_summary_loaded(self, message: SummaryLoaded) -> None:
        """Show a summary that is still wanted."""
        item = self.article.item
        if self.summary_view and item is not None and item.id == message.item_id:
            self.article.show_summary(message.summary)

    def action_summary_lines(self) -> None:
        """v: a summary line under each headline, or not (remembered)."""
        on = not self.headlines.summary_lines
        self.headlines.set_summary_lines(on)
        state = self.ctx.state
        state.state.summary_lines = on
        self.work(state.save_job(), "state", exclusive=False)

    def on_headline_list_need_summaries(self, message: HeadlineList.NeedSummaries) -> None:
        """Summarise the rows on screen, a newer request overtaking an older one."""
        store, ids = self.ctx.store, message.ids

        def run() -> None:
            worker = get_current_worker()
            lines: dict[int, str] = {}
            for item_id in ids:
                if worker.is_cancelled:
                    break
                lines[item_id] = loaders.summary_line(store, item_id)
            self.post_message(SummaryLines(lines, [i for i in ids if i not in lines]))

        self.run_worker(run, group="summary-lines", exclusive=True, thread=True,
                        exit_on_error=False)  # fmt: skip

    def on_summary_lines(self, message: SummaryLines) -> None:
        """Summary lines for the list."""
        self.headlines.add_summaries(message.lines, message.dropped)

    # ---- full text ----------------------------------------------------------------------
    def action_full_text(self) -> None:
        """f: fetch the whole story from its page (again, when it is already here)."""
        item = self.article.item
        item_id = item.id if item is not None else self.headlines.current_id
        if item_id is None:
            self.notify("No story selected")
        elif not self.ctx.network:
            self.notify(f"Not fetching: {self.ctx.offline_reason}")
        elif self.fetch_full_text(item_id, force=bool(item and item.full_text)):
            self.notify("Fetching the full story…", timeout=3)

    def fetch_full_text(self, item_id: int, force: bool = False, bookmark: bool = False) -> bool:
        """Fetch an item's full text in the background (False: already being fetched)."""
        if item_id in self._fetching:
            self.notify("Already fetching that story")
            return False
        self._fetching = self._fetching | {item_id}
        config, store = self.ctx.config, self.ctx.store
        job = jobs.AsyncJob(
            lambda: jobs.full_text(config, store, item_id, force=force, bookmark=bookmark)
        )
        self.work_async(job, "fulltext")
        return True

    def on_full_text_done(self, message: FullTextDone) -> None:
        """Say how it went; a story on screen is shown again, whole."""
        self._fetching = self._fetching - {message.item_id}
        if not message.ok:
            if message.bookmark:
                text = f"Bookmarked; the full story could not be fetched ({message.error})"
                self.notify(text + ": tried again after the next refresh", severity="warning")
            else:
                self.notify(f"Full story: {message.error}", severity="error")
            return
        if message.error:  # fetched but not kept
            self.notify(message.error, severity="warning")
        elif message.bookmark:
            self.notify("Full story kept for offline reading")
        else:
            self.notify("Full story fetched")
        self.headlines.forget_summary(message.item_id)
        item = self.article.item
        if item is not None and item.id == message.item_id:
            self.open_item(item.id)

    # ---- bookmarks ----------------------------------------------------------------------
    def action_bookmark(self) -> None:
        """b: bookmark the story (its full text is fetched and kept), or remove the bookmark."""
        target = self.target()
        if target is None:
            return
        on, store = not target.bookmarked, self.ctx.store
        fetch = self.ctx.network and self.ctx.config.fulltext.bookmarks
        self.work(lambda: jobs.bookmark(store, target.id, on, fetch), "write", exclusive=False)

    def on_items_changed(self, message: ItemsChanged) -> None:
        """Read, bookmark and tag changes: rows, counts and the reading pane follow."""
        if message.note:
            self.notify(message.note)
        if message.reload:
            self.load_feeds()
            self.load_headlines(keep=True)
            return
        self.apply_changes(message.headlines)
        self.count_searches()  # saved searches' unread counts follow read marks
        item = self.article.item
        if message.tags is not None:
            self.load_feeds()
            if item is not None and [h.id for h in message.headlines] == [item.id]:
                self.article.update_item(replace(item, tags=tuple(message.tags)))
        if message.full_text_for is not None:
            self.fetch_full_text(message.full_text_for, bookmark=True)

    def action_tag(self) -> None:
        """B: edit the tags of the story's bookmark."""
        target = self.target()
        if target is None:
            self.notify("No story selected")
            return
        store, item_id = self.ctx.store, target.id
        self.work(lambda: loaders.item_tags(store, item_id), "tags")

    def on_tags_wanted(self, message: TagsWanted) -> None:
        """Ask for the tags."""
        from reader.ui.screens.dialogs import Prompt, split_tags

        title = f"Tags for “{one_line(message.title)[:60] or '(untitled)'}”"
        prompt = Prompt(title, TAGS_HINT, ", ".join(message.tags), "later, long reads",
                        id="tags-prompt")  # fmt: skip
        store, item_id = self.ctx.store, message.item_id
        fetch = self.ctx.network and self.ctx.config.fulltext.bookmarks

        def save(text: str | None) -> None:
            if text is not None:
                tags = split_tags(text)
                self.work(lambda: loaders.set_tags(store, item_id, tags, fetch), "write", False)

        self.app.push_screen(prompt, save)

    # ---- the digest ---------------------------------------------------------------------
    def action_digest(self) -> None:
        """d: today's unread stories (the selected feed's or tag's, when one is) by feed,
        each with its summary; enter opens one."""
        from reader.ui.screens.digest import DigestScreen

        source, store, config = self.source, self.ctx.store, self.ctx.config
        if source.kind in (Kind.FEED, Kind.TAG, Kind.MARK_TAG):
            row = next((r for r in self.feed_list.rows if r.source == source), None)
            query, since, scope = source.query(), None, row.label if row else "this feed"
        else:
            query, since, scope = None, self.ctx.dates.start_of_day(), "today"
        screen = DigestScreen(scope, lambda: jobs.digest(store, config, query, since, scope))
        self.app.push_screen(screen, self._digest_chosen)

    def _digest_chosen(self, item_id: int | None) -> None:
        if item_id is not None:
            self.open_item(item_id)
            self.show_pane("article")
