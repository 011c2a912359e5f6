"""Summaries in the reader: the summary view of the reading pane (s), a summary line under each
headline (v), and the digest of unread stories (d)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from reader.ui import jobs, loaders
from reader.ui.control.runner import failure
from reader.ui.messages import SummaryLines, SummaryLoaded
from reader.ui.sources import Kind

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen


class Summaries:
    """The summary view, summary lines and the digest."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.view = False  # the reading pane shows summaries (s)

    def toggle(self, item_id: int) -> None:
        """s: the summary of the story instead of the story (and back); it stays on for the
        next stories until s again."""
        screen = self.screen
        self.view = not self.view
        item = screen.article.item
        if item is None:
            screen.reading.open_item(item_id)
            if screen.narrow:
                screen.show_pane("article")
        elif not self.view:
            screen.article.show_summary(None)
        else:
            store, config, shown = screen.ctx.store, screen.ctx.config.summary, item.id
            screen.runner.work(lambda: loaders.load_summary(store, shown, config), "summary")

    def loaded(self, message: SummaryLoaded) -> None:
        """Show a summary that is still wanted."""
        item = self.screen.article.item
        if self.view and item is not None and item.id == message.item_id:
            self.screen.article.show_summary(message.summary)

    # ---- summary lines ------------------------------------------------------------------
    def toggle_lines(self) -> None:
        """v: a summary line under each headline, or not (remembered)."""
        screen = self.screen
        on = not screen.headlines.summary_lines
        screen.headlines.set_summary_lines(on)
        state = screen.ctx.state
        state.state.summary_lines = on
        screen.runner.work(state.save_job(), "state", exclusive=False)

    def summarise_rows(self, ids: Sequence[int]) -> None:
        """Summarise the rows on screen, a newer request overtaking an older one."""
        screen = self.screen
        store = screen.ctx.store

        def run() -> None:  # posts even when overtaken: the ids not done are asked again
            worker = get_current_worker()
            lines: dict[int, str] = {}
            try:
                for item_id in ids:
                    if worker.is_cancelled:
                        break
                    lines[item_id] = loaders.summary_line(store, item_id)
            except Exception as exc:
                screen.post_message(failure("summary-lines", exc))
            screen.post_message(SummaryLines(lines, [i for i in ids if i not in lines]))

        screen.run_worker(run, group="summary-lines", exclusive=True, thread=True,
                          exit_on_error=False)  # fmt: skip

    def lines_loaded(self, message: SummaryLines) -> None:
        """Summary lines for the list."""
        self.screen.headlines.add_summaries(message.lines, message.dropped)

    # ---- the digest ---------------------------------------------------------------------
    def digest(self) -> None:
        """d: today's unread stories (the selected feed's or tag's, when one is) by feed,
        each with its summary; enter opens one."""
        from reader.ui.screens.digest import DigestScreen

        screen = self.screen
        source, store, config = screen.source, screen.ctx.store, screen.ctx.config
        if source.kind in (Kind.FEED, Kind.TAG, Kind.MARK_TAG):
            row = next((r for r in screen.feed_list.rows if r.source == source), None)
            query, since, scope = source.query(), None, row.label if row else "this feed"
        else:
            query, since, scope = None, screen.ctx.dates.start_of_day(), "today"
        digest = DigestScreen(scope, lambda: jobs.digest(store, config, query, since, scope))
        screen.app.push_screen(digest, self.chosen)

    def chosen(self, item_id: int | None) -> None:
        """A story picked in the digest: open it."""
        if item_id is not None:
            self.screen.lists.show_story(item_id)
            self.screen.reading.open_item(item_id)
            self.screen.show_pane("article")
