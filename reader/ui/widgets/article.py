"""The reading pane: the story's title, feed, author, date and link, then its blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from reader.models import Item
from reader.textsafe import one_line
from reader.ui import keys
from reader.ui.messages import StoryWanted
from reader.ui.timefmt import Dates

if TYPE_CHECKING:
    from reader.articles.blocks import Document
    from reader.articles.summarize import Summary

WELCOME = (
    "Pick a story with j/k or the arrows and press enter to read it.\n\n"
    "n opens the next unread story, space pages through it, b bookmarks it, "
    "o opens it in the browser.\n\n"
    "/ searches every story, s shows a story's summary, d the digest of today's unread.\n\n"
    "tab moves between the panes; ? shows every key; q quits."
)
NO_FEEDS = (
    "No feeds yet.\n\n"
    "Subscribe from a shell, then come back:\n"
    "  tidings add https://example.org/        (finds the site's feed)\n"
    "  tidings import ~/.newsboat/urls         (or an OPML file)\n\n"
    "Or try the reader on bundled feeds: tidings demo"
)
SOURCES = {
    "feed": "Summary · the feed's own",
    "lead": "Summary · the story's summary line",
    "extract": "Summary · key sentences of the story",
    "command": "Summary · from your summary command",
}


def header(item: Item, dates: Dates) -> tuple[Content, Content, Content]:
    """Title (starred when bookmarked); feed · author · date; link: plain text, sanitised."""
    title = Content(one_line(item.title) or "(untitled)")
    if item.bookmarked:
        title = Content.assemble(("★ ", "$text-warning"), title)
    meta = [one_line(item.feed_title), one_line(item.author), dates.long(item.published)]
    meta += [" ".join(f"#{one_line(t)}" for t in item.tags)]
    return title, Content(" · ".join(p for p in meta if p)), Content(one_line(item.link))


def summary_widgets(summary: Summary) -> list[Widget]:
    """A summary as widgets: where it came from, then its sentences as a list."""
    from reader.ui.widgets.prose import Prose

    label = SOURCES.get(summary.source, "Summary")
    widgets: list[Widget] = [Static(Content(label), classes="summary-label")]
    items: list[Widget] = [
        Horizontal(
            Static(Content("•"), classes="bullet"),
            Vertical(Prose(Content(one_line(s)), classes="para"), classes="item-body"),
            classes="item",
        )
        for s in summary.sentences
    ]
    if not items:
        items = [Static(Content("This story has no text to summarise."), classes="hint")]
    widgets.append(Vertical(*items, classes="list summary"))
    if summary.note:
        widgets.append(Static(Content(one_line(summary.note)), classes="summary-note"))
    widgets.append(Static(Content("s: the whole story"), classes="summary-note"))
    return widgets


class ArticleView(VerticalScroll, can_focus=True):
    """A scrolling story; keys scroll it, the wheel scrolls it, nothing here marks read. The
    story keys act on the story shown."""

    BINDINGS: ClassVar[list[BindingType]] = [*keys.bindings("article"), *keys.bindings("story")]

    def __init__(self, dates: Dates, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dates = dates
        self.item: Item | None = None
        self.document: Document | None = None
        self.summary: Summary | None = None
        self._message = WELCOME  # the text shown when there is no story

    def compose(self) -> ComposeResult:
        """Header lines (empty: hidden) and the body, with a few words of help to start."""
        for name in ("title", "meta", "link"):
            header_line = Static(Content(""), id=f"article-{name}")
            header_line.display = False
            yield header_line
        with Vertical(id="article-body"):
            yield Static(Content(WELCOME), classes="hint")

    def show_message(self, text: str) -> None:
        """No story: show `text` (ours, not a feed's) instead."""
        if self.item is None and text == self._message:
            return
        self._message = text
        self.item, self.document, self.summary = None, None, None
        self.border_title = "Story"
        self._set_header(Content(""), Content(""), Content(""))
        body = self.query_one("#article-body", Vertical)
        body.remove_children()
        body.mount(Static(Content(text), classes="hint"))

    def show_item(self, item: Item, document: Document, summary: Summary | None = None) -> None:
        """Show a story from the top (its summary instead, when given)."""
        self.item, self.document, self._message = item, document, ""
        self._set_header(*header(item, self.dates))
        self.show_summary(summary)

    def show_summary(self, summary: Summary | None) -> None:
        """Show the summary of the story (None: the whole story again), from the top."""
        from reader.ui.widgets.blocks import LinkList, block_widgets  # off the startup path

        if self.document is None:
            return
        self.summary = summary
        document = self.document
        body = self.query_one("#article-body", Vertical)
        with self.app.batch_update():
            body.remove_children()
            if summary is not None:
                widgets = summary_widgets(summary)
            else:
                widgets = block_widgets(document.blocks)
                if document.links:
                    widgets += [Static(Content("Links"), classes="heading h3"),
                                LinkList(document.links)]  # fmt: skip
            body.mount_all(widgets)
        self.border_title = "Summary" if summary is not None else "Story"
        self.scroll_home(animate=False, immediate=True)

    def update_item(self, item: Item) -> None:
        """The same story with a changed flag (bookmark): only the header changes."""
        if self.item is not None and self.item.id == item.id:
            self.item = item
            self._set_header(*header(item, self.dates))

    def _set_header(self, title: Content, meta: Content, link: Content) -> None:
        for name, content in (("title", title), ("meta", meta), ("link", link)):
            widget = self.query_one(f"#article-{name}", Static)
            widget.update(content)
            widget.display = bool(content)

    @property
    def at_end(self) -> bool:
        """Scrolled to the bottom (or nothing to scroll)."""
        return self.scroll_y >= self.max_scroll_y

    def action_story(self, action: str) -> None:
        """A story key: the screen does `action` to the story shown."""
        self.post_message(StoryWanted(action, self.item.id if self.item else None))

    def action_down(self) -> None:
        """Scroll down one line."""
        self.scroll_down(animate=False)

    def action_up(self) -> None:
        """Scroll up one line."""
        self.scroll_up(animate=False)

    def action_top(self) -> None:
        """Scroll to the top."""
        self.scroll_home(animate=False)

    def action_bottom(self) -> None:
        """Scroll to the end."""
        self.scroll_end(animate=False)

    def action_page_down(self) -> None:
        """Scroll down a screen."""
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        """Scroll up a screen."""
        self.scroll_page_up(animate=False)
