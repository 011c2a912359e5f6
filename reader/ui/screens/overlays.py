"""Overlays over the main screen: help, the link picker (feed health: health.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.ui import keys
from reader.ui.screens.dialogs import ChoiceScreen

CLOSE: list[BindingType] = [
    Binding("escape,q", "dismiss_overlay", "Close", id="close"),
]


class Overlay(ModalScreen[None]):
    """A modal that escape or q closes."""

    BINDINGS: ClassVar[list[BindingType]] = CLOSE

    def action_dismiss_overlay(self) -> None:
        """Close this overlay."""
        self.dismiss(None)


def key_names(action: keys.Action, configured: Mapping[str, str], app: App[object]) -> str:
    """The keys of `action` as a person reads them (`j, ↓`)."""
    show = app.get_key_display
    return ", ".join(show(Binding(k, action.name)) for k in keys.effective_keys(action, configured))


class HelpScreen(Overlay):
    """Every key, as configured; the list's keys (and space) scroll it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *CLOSE,
        *keys.bindings_of("down", "up", "top", "bottom", "page_down", "page_up"),
        Binding("space", "page_down", "Page down", show=False),
    ]

    def __init__(self, configured: Mapping[str, str]) -> None:
        super().__init__()
        self.configured = configured

    def compose(self) -> ComposeResult:
        """Keys and what they do, by section."""
        names = {a.name: key_names(a, self.configured, self.app) for a in keys.ACTIONS}
        width = max(len(k) for k in names.values()) + 2
        lines: list[Content] = []
        for title, members in keys.SECTIONS:
            lines.append(Content.styled(title, "bold $text-primary"))
            for name in members:
                key_text = Content.styled(names[name].ljust(width), "bold $text-accent")
                lines.append(Content.assemble("  ", key_text, keys.BY_NAME[name].help))
            if title == "In the feed pane":  # story keys that mean the feed there
                for name, (_action, _label, help_text) in keys.FEED_PANE.items():
                    key_text = Content.styled(names[name].ljust(width), "bold $text-accent")
                    lines.append(Content.assemble("  ", key_text, help_text))
            lines.append(Content(""))
        lines.append(
            Content(
                "In the search bar: enter goes to the hits (and opens the first), ↓ to "
                "the hits, ctrl+s saves the search, escape goes back."
            )
        )
        lines.append(Content('Keys are set in config.toml [keys], e.g. next_unread = "n,J".'))
        lines.append(Content("ctrl+p opens the command palette with every action."))
        with Vertical(id="help-box", classes="overlay-box"):
            yield Static(Content("tidings keys"), classes="overlay-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(Content("\n").join(lines), id="help-keys")
            hint = "escape closes · j/k, space, G/g, ctrl+d/ctrl+u scroll"
            yield Static(Content(hint), classes="overlay-hint")

    @property
    def _scroll(self) -> VerticalScroll:
        return self.query_one("#help-scroll", VerticalScroll)

    def action_down(self) -> None:
        """Scroll down."""
        self._scroll.scroll_down(animate=False)

    def action_up(self) -> None:
        """Scroll up."""
        self._scroll.scroll_up(animate=False)

    def action_top(self) -> None:
        """To the top."""
        self._scroll.scroll_home(animate=False)

    def action_bottom(self) -> None:
        """To the end."""
        self._scroll.scroll_end(animate=False)

    def action_page_down(self) -> None:
        """A page down."""
        self._scroll.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        """A page up."""
        self._scroll.scroll_page_up(animate=False)


def link_lines(number: str, url: str, note: str, width: int) -> Content:
    """`[n] url`, the whole URL cut into lines of `width` columns (a URL has no spaces to
    wrap at), then the note."""
    prefix = f"[{number}] "
    room = max(8, width - len(prefix))
    pieces = [url[i : i + room] for i in range(0, len(url), room)] or [""]
    lines = [Content.assemble((prefix, "$text-accent"), pieces[0])]
    lines += [Content(" " * len(prefix) + piece) for piece in pieces[1:]]
    if note:
        lines.append(Content.styled(" " * len(prefix) + note, "$text-muted"))
    return Content("\n").join(lines)


class LinkPicker(ChoiceScreen[int]):
    """The story's own link (0) and the links in it, numbered as in the text, whole (long ones
    wrap); enter, a click or typing the number opens one."""

    def __init__(self, links: Sequence[str], own: str = "") -> None:
        super().__init__()
        self.links = links
        self.own = own
        self._typed = ""

    def compose(self) -> ComposeResult:
        """A list of the links (filled once its width is known)."""
        with Vertical(classes="overlay-box links-box"):
            yield Static(Content("Links in this story"), classes="overlay-title")
            yield OptionList(id="link-options")
            yield Static(Content("enter opens · type a number · escape closes"),
                         classes="overlay-hint")  # fmt: skip

    def on_resize(self) -> None:
        """Wrap the links to the list's width."""
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        options = self.query_one(OptionList)
        width = max(12, options.scrollable_content_region.width - 2)
        numbered = [(str(n), url, "") for n, url in enumerate(self.links, 1)]
        if self.own:
            numbered.insert(0, ("0", self.own, "the story's own page"))
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(
            Option(link_lines(number, url, note, width), id=number)
            for number, url, note in numbered
        )
        options.highlighted = highlighted or 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the chosen link."""
        self.dismiss(int(event.option.id or 0))

    def on_key(self, event: events.Key) -> None:
        """Digits pick a link by number (0: the story's own)."""
        if event.character and event.character.isdigit():
            event.stop()
            self._typed = (self._typed + event.character)[-4:]
            number = int(self._typed)
            first = 0 if self.own else 1
            if first <= number <= len(self.links):
                self.query_one(OptionList).highlighted = number - first
            if number * 10 > len(self.links) or number == 0:
                self._typed = ""
                if first <= number <= len(self.links):
                    self.dismiss(number)
