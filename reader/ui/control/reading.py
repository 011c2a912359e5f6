"""Reading: opening a story in the reading pane and marking it read, and what the story keys do
(a `StoryWanted` from the headline or reading pane): read marks, bookmarks and their tags, the
full story from the web, its links in the browser (the summary view is in summaries.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual.timer import Timer

from reader.textsafe import one_line
from reader.ui import jobs, loaders
from reader.ui.messages import (
    ArticleLoaded,
    Failed,
    FullTextDone,
    ItemsChanged,
    Notice,
    StoryWanted,
    TagsWanted,
)

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen

TAGS_HINT = "commas between tags · enter saves (and bookmarks the story) · escape cancels"


@dataclass(frozen=True)
class Target:
    """The story a key acts on, with its flags as the reader shows them now."""

    id: int
    read: bool
    bookmarked: bool
    link: str


class Reading:
    """The reading pane's story and the story keys."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._read_timer: Timer | None = None
        self._fetching: frozenset[int] = frozenset()  # items whose full text is being fetched
        self.actions: dict[str, Callable[[Target], None]] = {
            "toggle_read": lambda t: self.set_read([t.id], not t.read),
            "bookmark": self.bookmark,
            "tag": self.ask_tags,
            "summary": lambda t: self.screen.summaries.toggle(t.id),
            "full_text": lambda t: self.full_text(t.id),
            "open_link": lambda t: self.open_url(t.link),
            "links": lambda t: self.links(),
        }
        """What each story key does; other parts add theirs (an action name of keys.py)."""

    # ---- which story --------------------------------------------------------------------
    def target(self, item_id: int) -> Target | None:
        """Story `item_id` with its current flags (the list's row is the freshest)."""
        row = self.screen.headlines.get(item_id)
        if row is not None:
            return Target(row.id, row.read, row.bookmarked, row.link)
        item = self.screen.article.item
        if item is not None and item.id == item_id:
            return Target(item.id, item.read, item.bookmarked, item.link)
        return None

    def story_wanted(self, message: StoryWanted) -> None:
        """A story key: do it to the pane's story."""
        act = self.actions.get(message.action)
        target = None if message.item_id is None else self.target(message.item_id)
        if act is None:
            return
        if target is None:
            self.screen.notify("No story selected")
            return
        act(target)

    # ---- opening ------------------------------------------------------------------------
    def open_item(self, item_id: int) -> None:
        """Load a story into the reading pane (with its summary, in the summary view)."""
        screen = self.screen
        store = screen.ctx.store
        summary = screen.ctx.config.summary if screen.summaries.view else None
        screen.runner.work(lambda: loaders.load_article(store, item_id, summary), "article")

    def open_at(self, index: int) -> None:
        """Put the cursor on row `index` and open its story (in the one-pane layout, show it)."""
        screen = self.screen
        screen.headlines.cursor = index
        self.open_item(screen.headlines.ids[index])
        if screen.narrow:
            screen.show_pane("article")

    def article_loaded(self, message: ArticleLoaded) -> None:
        """Show the story (or its summary), then mark it read as configured."""
        self.screen.article.show_item(message.item, message.document, message.summary)
        if not message.item.read:
            self.schedule_read(message.item.id)

    def mark_read_now(self, item_id: int) -> None:
        """Mark one item read (the timer of mark_read = "after" ends here too)."""
        item = self.screen.article.item
        if item is not None and item.id == item_id and not item.read:
            self.set_read([item_id], True)

    def schedule_read(self, item_id: int) -> None:
        """Mark an opened item read now, after a delay, or never (config [ui] mark_read)."""
        ui = self.screen.ctx.config.ui
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        if ui.mark_read == "open":
            self.mark_read_now(item_id)
        elif ui.mark_read == "after":
            self._read_timer = self.screen.set_timer(
                ui.mark_read_after, lambda: self.mark_read_now(item_id)
            )

    # ---- flags --------------------------------------------------------------------------
    def set_read(self, item_ids: Sequence[int], read: bool) -> None:
        """Mark items read or unread."""
        store, ids = self.screen.ctx.store, list(item_ids)
        self.screen.runner.work(lambda: loaders.set_read(store, ids, read), "write", False)

    def bookmark(self, target: Target) -> None:
        """b: bookmark the story (its full text is fetched and kept), or remove the bookmark."""
        ctx = self.screen.ctx
        on, store = not target.bookmarked, ctx.store
        fetch = ctx.network and ctx.config.fulltext.bookmarks
        self.screen.runner.work(
            lambda: jobs.bookmark(store, target.id, on, fetch), "write", exclusive=False
        )

    def items_changed(self, message: ItemsChanged) -> None:
        """Read, bookmark and tag changes: rows, counts and the reading pane follow."""
        screen = self.screen
        if message.note:
            screen.notify(message.note)
        if message.reload:
            screen.lists.reload()
            return
        screen.lists.apply_changes(message.headlines)
        screen.lists.count_searches()  # saved searches' unread counts follow read marks
        item = screen.article.item
        if message.tags is not None:
            screen.lists.load_feeds()
            if item is not None and [h.id for h in message.headlines] == [item.id]:
                screen.article.update_item(replace(item, tags=tuple(message.tags)))
        if message.full_text_for is not None:
            self.fetch_full_text(message.full_text_for, bookmark=True)

    def ask_tags(self, target: Target) -> None:
        """B: edit the tags of the story's bookmark."""
        store, item_id = self.screen.ctx.store, target.id
        self.screen.runner.work(lambda: loaders.item_tags(store, item_id), "tags")

    def tags_wanted(self, message: TagsWanted) -> None:
        """Ask for the tags."""
        from reader.ui.screens.dialogs import Prompt, split_tags

        screen = self.screen
        title = f"Tags for “{one_line(message.title)[:60] or '(untitled)'}”"
        prompt = Prompt(title, TAGS_HINT, ", ".join(message.tags), "later, long reads",
                        id="tags-prompt")  # fmt: skip
        store, item_id = screen.ctx.store, message.item_id
        fetch = screen.ctx.network and screen.ctx.config.fulltext.bookmarks

        def save(text: str | None) -> None:
            if text is not None:
                tags = split_tags(text)
                screen.runner.work(
                    lambda: loaders.set_tags(store, item_id, tags, fetch), "write", False
                )

        screen.app.push_screen(prompt, save)

    # ---- full text ----------------------------------------------------------------------
    def full_text(self, item_id: int) -> None:
        """f: fetch the whole story from its page (again, when it is already here)."""
        screen = self.screen
        item = screen.article.item
        if item is not None and item.id != item_id:
            item = None
        if not screen.ctx.network:
            screen.notify(f"Not fetching: {screen.ctx.offline_reason}")
        elif self.fetch_full_text(item_id, force=bool(item and item.full_text)):
            screen.notify("Fetching the full story…", timeout=3)

    def fetch_full_text(self, item_id: int, force: bool = False, bookmark: bool = False) -> bool:
        """Fetch an item's full text in the background (False: already being fetched)."""
        screen = self.screen
        if item_id in self._fetching:
            screen.notify("Already fetching that story")
            return False
        self._fetching = self._fetching | {item_id}
        config, store = screen.ctx.config, screen.ctx.store
        job = jobs.AsyncJob(
            lambda: jobs.full_text(config, store, item_id, force=force, bookmark=bookmark)
        )
        screen.runner.work_async(job, "fulltext")
        return True

    def full_text_done(self, message: FullTextDone) -> None:
        """Say how it went; a story on screen is shown again, whole."""
        screen = self.screen
        self._fetching = self._fetching - {message.item_id}
        if not message.ok:
            if message.bookmark:
                text = f"Bookmarked; the full story could not be fetched ({message.error})"
                screen.notify(text + ": tried again after the next refresh", severity="warning")
            else:
                screen.post_message(Failed("Full story", message.error))
            return
        if message.error:  # fetched but not kept
            screen.notify(message.error, severity="warning")
        elif message.bookmark:
            screen.notify("Full story kept for offline reading")
        else:
            screen.notify("Full story fetched")
        screen.headlines.forget_summary(message.item_id)
        item = screen.article.item
        if item is not None and item.id == message.item_id:
            self.open_item(item.id)

    # ---- links --------------------------------------------------------------------------
    def open_url(self, url: str) -> None:
        """Open a link in the browser (checked here and again in links.open_url)."""
        from reader.ui import links  # subprocess, webbrowser: off the startup path

        screen = self.screen
        try:
            links.check_url(url)
        except links.LinkError as exc:
            screen.notify(str(exc), severity="warning")
            return
        browser = screen.ctx.config.ui.browser

        def job() -> Notice | Failed:
            try:
                if links.open_url(url, browser):
                    return Notice(f"Opened {url}")
            except links.LinkError as exc:
                return Failed("Browser", str(exc))
            return Notice("No browser to open it with: the link is on the clipboard", copy=url)

        screen.runner.work(job, "browser", exclusive=False)

    def links(self) -> None:
        """u: list the story's own link and the links in it, to open one."""
        screen = self.screen
        document, item = screen.article.document, screen.article.item
        if document is None or item is None:
            screen.notify("Open a story first (enter)")
        elif not document.links and not item.link:
            screen.notify("This story has no links")
        else:
            from reader.ui.screens.overlays import LinkPicker

            picker = LinkPicker(document.links, item.link)
            screen.app.push_screen(picker, self.open_link_number)

    def open_link_number(self, number: int | None) -> None:
        """Open link `number` of the story in the reading pane (0: its own page)."""
        document, item = self.screen.article.document, self.screen.article.item
        if number == 0 and item is not None:
            self.open_url(item.link)
        elif number is not None and document is not None and 1 <= number <= len(document.links):
            self.open_url(document.links[number - 1])
