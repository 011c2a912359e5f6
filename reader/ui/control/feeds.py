"""Feed management in the reader and marking many stories read.

The feed pane's keys act on the row under its cursor: add a feed or a site (its feeds are
found; a page offering several asks which), remove (asks first; bookmarks are kept), edit tags,
import an OPML or urls file, export OPML, mark the feed read (m), open its site (o). A bulk mark
(A: a feed, a tag, All, every hit of a search) counts first and asks; U brings the marks back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.message import Message

from reader.models import Feed
from reader.textsafe import one_line
from reader.ui import jobs, manage
from reader.ui.messages import FeedsChanged, MarksCounted, Subscribed
from reader.ui.sources import Kind, Source
from reader.ui.words import plural

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen
    from reader.ui.widgets.feeds import FeedList

ADD_HINT = "a feed's address, or a web site's (its feeds are found) · enter adds · escape cancels"
IMPORT_HINT = "an OPML file or a newsboat urls file · enter imports · escape cancels"
EXPORT_HINT = "OPML 2.0, tags as categories · enter writes · escape cancels"
EXPORT_TO = "~/tidings-subscriptions.opml"


class FeedActions:
    """The feed pane's keys, and bulk read marks with their undo."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._undo: tuple[int, ...] = ()  # the stories the last bulk mark marked read
        self._adding: str | None = None  # the address being subscribed to
        self.actions: dict[str, Callable[[FeedList.Wanted], None]] = {
            "mark_read": lambda m: self.mark_source_read(m.row.source, m.row.label),
            "open_site": lambda m: self.open_site(m.feed),
            "add_feed": lambda m: self.ask_add(),
            "remove_feed": lambda m: self.ask_remove(m.feed),
            "feed_tags": lambda m: self.ask_tags(m.feed),
            "rename_feed": lambda m: self.ask_rename(m.feed),
            "import_feeds": lambda m: self.ask_import(),
            "export_feeds": lambda m: self.ask_export(),
            "sort_feeds": lambda m: self.toggle_sort(),
        }
        """What each feed-pane key does (other parts add theirs)."""

    def wanted(self, message: FeedList.Wanted) -> None:
        """A feed-pane key."""
        act = self.actions.get(message.action)
        if act is not None:
            act(message)

    def _need_feed(self, feed: Feed | None, what: str) -> Feed | None:
        if feed is None:
            self.screen.notify(f"Put the cursor on a feed to {what}")
        return feed

    def _prompt(self, title: str, hint: str, done: Callable[[str], None], value: str = "",
                placeholder: str = "", id: str = "", empty: bool = False) -> None:  # fmt: skip
        """Ask for a line; `done` gets it stripped (`empty`: an empty line too; else an empty
        line cancels, as escape does)."""
        from reader.ui.screens.dialogs import Prompt

        def answered(text: str | None) -> None:
            if text is not None and (empty or text.strip()):
                done(" ".join(text.split()))

        prompt = Prompt(title, hint, value, placeholder, id=id)
        self.screen.app.push_screen(prompt, answered)

    def _confirm(self, title: str, text: str, done: Callable[[], None]) -> None:
        from reader.ui.screens.dialogs import Confirm

        def answered(yes: bool | None) -> None:
            if yes:
                done()

        self.screen.app.push_screen(Confirm(title, text, id="confirm"), answered)

    # ---- one feed -----------------------------------------------------------------------
    def open_site(self, feed: Feed | None) -> None:
        """o: the feed's web site (its own address when it names none)."""
        if self._need_feed(feed, "open its site") is not None:
            assert feed is not None
            self.screen.reading.open_url(feed.site_url or feed.url)

    def ask_remove(self, feed: Feed | None) -> None:
        """D: remove the feed, once confirmed."""
        if self._need_feed(feed, "remove it") is None:
            return
        assert feed is not None
        store = self.screen.ctx.store
        title = f"Remove “{one_line(feed.name)[:60]}”?"
        text = "Its stories go; bookmarked ones are kept (under Bookmarks)."
        self._confirm(title, text, lambda: self.work(lambda: manage.remove_feed(store, feed)))

    def ask_tags(self, feed: Feed | None) -> None:
        """T: edit the feed's tags."""
        from reader.ui.screens.dialogs import split_tags

        if self._need_feed(feed, "edit its tags") is None:
            return
        assert feed is not None
        store = self.screen.ctx.store

        def save(text: str) -> None:
            tags = split_tags(text)
            self.work(lambda: manage.set_feed_tags(store, feed, tags))

        title = f"Tags of “{one_line(feed.name)[:60]}”"
        hint = "commas between tags · enter saves · escape cancels"
        self._prompt(title, hint, save, ", ".join(feed.tags), "news, tech", id="feed-tags")

    def ask_rename(self, feed: Feed | None) -> None:
        """c: give the feed a title of one's own, the one it shows offered to edit; an empty
        title goes back to the feed's own (shown greyed in the empty line)."""
        if self._need_feed(feed, "rename it") is None:
            return
        assert feed is not None
        store, own = self.screen.ctx.store, one_line(feed.own_title) or feed.url

        def save(title: str) -> None:
            unchanged = title == " ".join(feed.title.split()) if title else not feed.title_chosen
            if not unchanged:  # an unchanged title is not pinned (nor written)
                self.work(lambda: manage.rename_feed(store, feed, title))

        hint = "enter renames (kept across refreshes) · escape cancels"
        if feed.title_chosen:
            hint = hint.replace(" · ", f" · empty: its own title again, “{own[:40]}” · ")
        self._prompt(f"Rename “{one_line(feed.name)[:60]}”", hint, save, one_line(feed.title),
                     placeholder=own, id="rename", empty=True)  # fmt: skip

    def work(self, job: Callable[[], Message | None]) -> None:
        """Run a store job whose result message the screen shows."""
        self.screen.runner.work(job, "write", exclusive=False)

    # ---- subscribing --------------------------------------------------------------------
    def ask_add(self) -> None:
        """a: ask for an address, then subscribe."""
        self._prompt("Add a feed or a website", ADD_HINT, self.add, placeholder="https://",
                     id="add-feed")  # fmt: skip

    def add(self, url: str, pick: int | None = None) -> None:
        """Subscribe to `url` (its feeds are found; `pick`: the one chosen of several)."""
        screen = self.screen
        if not screen.ctx.network:
            screen.notify(f"Not subscribing: {screen.ctx.offline_reason}")
            return
        self._adding = url
        screen.notify(f"Looking for feeds at {one_line(url)}…", timeout=3)
        config, store = screen.ctx.config, screen.ctx.store
        screen.runner.work_async(
            jobs.AsyncJob(lambda: jobs.add_feed(config, store, url, pick)), "subscribe"
        )

    def ask_import(self) -> None:
        """i: ask for a file, then import it."""
        store = self.screen.ctx.store

        def start(path: str) -> None:
            self.work(lambda: jobs.import_subscriptions(store, path))

        self._prompt("Import subscriptions", IMPORT_HINT, start, placeholder="~/.newsboat/urls",
                     id="import-feeds")  # fmt: skip

    def ask_export(self) -> None:
        """x: ask for a file name, then write every subscription to it as OPML."""
        store = self.screen.ctx.store

        def start(path: str) -> None:
            self.work(lambda: manage.export_feeds(store, path))

        self._prompt("Export subscriptions", EXPORT_HINT, start, EXPORT_TO, id="export-feeds")

    def first_sort(self) -> str:
        """The feed order to start with: the one O chose last time, unless `[ui] feed_sort`
        changed since."""
        choice, configured = self.screen.ctx.state.state.feed_sort, self.screen.ctx.config.ui
        return choice.pick(configured.feed_sort) if choice else configured.feed_sort

    def toggle_sort(self) -> None:
        """O: the feeds by unread count (most first), or by name (remembered)."""
        from reader.ui.state import Choice

        screen = self.screen
        feed_list = screen.feed_list
        feed_list.sort_by_unread(not feed_list.by_unread)
        order = "by unread count" if feed_list.by_unread else "by name"
        screen.notify(f"Feeds {order}", timeout=2)
        state = screen.ctx.state
        state.state.feed_sort = Choice("unread" if feed_list.by_unread else "name",
                                       screen.ctx.config.ui.feed_sort)  # fmt: skip
        screen.runner.work(state.save_job(), "state", exclusive=False)

    def subscribed(self, message: Subscribed) -> None:
        """Subscribed (or imported): show the feeds; a choice of feeds; or why not."""
        from reader.ui.messages import Failed
        from reader.ui.screens.dialogs import Chooser, candidate_lines

        screen = self.screen
        if message.error:
            screen.post_message(Failed("Subscribing", message.error))
        elif message.candidates:
            url = message.url
            lines = candidate_lines(message.candidates)
            chooser = Chooser("This page offers several feeds", lines, ADD_HINT.split(" · ")[1])
            screen.app.push_screen(chooser, lambda i: None if i is None else self.add(url, i + 1))
        else:
            screen.notify(message.note)
            screen.lists.reload(select_url=message.feed_url)
            if message.refresh:
                screen.refreshing.start(None)

    def feeds_changed(self, message: FeedsChanged) -> None:
        """Removed, tagged, exported: say so, read the feed pane again."""
        self.screen.notify(message.note)
        self.screen.lists.reload()

    # ---- many stories at once -----------------------------------------------------------
    def mark_source_read(self, source: Source | None = None, label: str = "") -> None:
        """A: count the unread stories of the source (a search: every hit), then ask."""
        screen = self.screen
        source = source or screen.source
        if not label:
            row = next((r for r in screen.feed_list.rows if r.source == source), None)
            label = row.label if row is not None else "this list"
        if source.is_search:
            label = f"the hits of /{source.search}"
        elif source.kind is Kind.ALL:
            label = "every feed"
        store = screen.ctx.store
        screen.runner.work(lambda: manage.unread_ids(store, source, label), "count")

    def counted(self, message: MarksCounted) -> None:
        """Ask before marking many stories read."""
        ids = tuple(message.ids)
        if not ids:
            self.screen.notify(f"Nothing unread in {one_line(message.label)}")
            return
        title = f"Mark {plural(len(ids), 'story')} read in {one_line(message.label)[:60]}?"
        self._confirm(title, "U undoes it.", lambda: self._mark(ids))

    def _mark(self, ids: Sequence[int]) -> None:
        self._undo = tuple(ids)
        store = self.screen.ctx.store
        self.work(lambda: manage.mark(store, ids, True))

    def undo(self) -> None:
        """U: the stories the last bulk mark marked read are unread again."""
        ids, self._undo = self._undo, ()
        if not ids:
            self.screen.notify("Nothing to undo")
            return
        store = self.screen.ctx.store
        self.work(lambda: manage.mark(store, ids, False))
