"""The digest (d): unread stories grouped by feed, each with its summary; enter opens one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.textsafe import one_line
from reader.ui import keys
from reader.ui.messages import DigestLoaded
from reader.ui.widgets.footer import KeyFooter
from reader.ui.words import plural

if TYPE_CHECKING:
    from reader.digest import DigestGroup

SUMMARY_CHARS = 360  # of each story's summary shown in the digest
EMPTY = (
    "Nothing unread to digest. R refreshes every feed; a feed or tag selected in the feed "
    "pane gets its own digest (d there); escape goes back."
)


def _wrapped(text: str, width: int, style: str) -> Content:
    """`text` wrapped CJK-aware to `width` columns, each line indented by two."""
    from reader.articles.blocks import wrap

    lines = wrap(text, max(8, width - 2))
    return Content("\n").join(Content.styled("  " + line, style) for line in lines)


def heading(name: str, count: int, width: int, first: bool) -> Content:
    """A feed's heading: a rule across the width (above every feed but the first), then its
    name and how many stories it has."""
    title = Content.assemble((name, "bold $text-primary"), (f"  {count:,}", "$text-muted"))
    if first:
        return title
    return Content("\n").join([Content.styled("─" * max(1, width), "$text-muted"), title])


def digest_options(groups: Sequence[DigestGroup], width: int) -> list[Option]:
    """A heading per feed (not selectable), then its stories: title, summary under it (both
    wrapped to `width`)."""
    options: list[Option] = []
    for group in groups:
        name = one_line(group.feed_title) or "(untitled feed)"
        top = heading(name, len(group.entries), width, first=not options)
        options.append(Option(top, disabled=True))
        for entry in group.entries:
            title = one_line(entry.headline.title) or "(untitled)"
            text = one_line(entry.summary.text)
            if len(text) > SUMMARY_CHARS:
                text = text[: SUMMARY_CHARS - 1].rstrip() + "…"
            marked = _wrapped(title, width, "bold")
            prompt = Content.assemble(("●", "$text-accent"), marked[1:])
            if text:
                prompt = Content.assemble(prompt, "\n", _wrapped(text, width, "$text-muted"))
            options.append(Option(prompt, id=str(entry.headline.id)))
    return options


class DigestScreen(Screen[int | None]):
    """The digest; dismissed with the id of the story to open (None: closed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,d", "close", "Close", id="close"),
        *keys.bindings_of("down", "up"),
    ]

    def __init__(self, scope: str, load: Callable[[], DigestLoaded]) -> None:
        super().__init__()
        self.scope = scope
        self.load = load
        self.groups: Sequence[DigestGroup] = ()
        self._width = 0

    def compose(self) -> ComposeResult:
        """A title, the list (filled when the digest is ready), the footer."""
        yield Static(Content(f"Digest · {self.scope} · summarising…"), id="digest-title",
                     classes="overlay-title")  # fmt: skip
        yield OptionList(id="digest-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Build the digest in a worker thread."""
        from reader.ui.control.runner import Runner

        Runner(self).work(self.load, "digest")

    def on_digest_loaded(self, message: DigestLoaded) -> None:
        """Show the stories."""
        self.groups = message.groups
        count = sum(len(g.entries) for g in message.groups)
        stories, feeds = plural(count, "unread story"), plural(len(message.groups), "feed")
        title = f"Digest · {message.scope} · {stories} from {feeds}"
        if not count:
            title = f"Digest · {message.scope} · nothing unread"
        self.query_one("#digest-title", Static).update(Content(title))
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        """(Re)build the list for the width it has, keeping the highlighted story."""
        digest = self.query_one(OptionList)
        width = digest.scrollable_content_region.width - 2
        if width == self._width or width <= 0:
            return
        self._width = width
        was = digest.highlighted
        digest.clear_options()
        digest.add_options(digest_options(self.groups, width))
        if self.groups:
            digest.highlighted = was if was is not None else 1
        else:
            digest.add_option(Option(Content(EMPTY), disabled=True))

    def on_resize(self) -> None:
        """Wrap again for the new width."""
        if self.groups:
            self.call_after_refresh(self._fill)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click: open the story."""
        event.stop()
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_down(self) -> None:
        """Next story."""
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        """Previous story."""
        self.query_one(OptionList).action_cursor_up()

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss(None)
