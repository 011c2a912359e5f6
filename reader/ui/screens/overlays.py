"""Overlays over the main screen: help, the link picker, the feed-health table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from reader.models import Feed
from reader.textsafe import one_line
from reader.ui import keys
from reader.ui.screens.dialogs import ChoiceScreen
from reader.ui.timefmt import Dates

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
    """Every key, as configured."""

    BINDINGS: ClassVar[list[BindingType]] = [*CLOSE, *keys.bindings_of("down", "up")]

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
            yield Static(Content("escape closes · j/k scroll"), classes="overlay-hint")

    def action_down(self) -> None:
        """Scroll down."""
        self.query_one("#help-scroll", VerticalScroll).scroll_down(animate=False)

    def action_up(self) -> None:
        """Scroll up."""
        self.query_one("#help-scroll", VerticalScroll).scroll_up(animate=False)


class LinkPicker(ChoiceScreen):
    """The story's links, numbered; enter, a click or typing the number opens one."""

    def __init__(self, links: Sequence[str]) -> None:
        super().__init__()
        self.links = links
        self._typed = ""

    def compose(self) -> ComposeResult:
        """A list of the links."""
        options = [Option(Content.assemble((f"[{n}] ", "$text-accent"), url), id=str(n))
                   for n, url in enumerate(self.links, 1)]  # fmt: skip
        with Vertical(classes="overlay-box links-box"):
            yield Static(Content("Links in this story"), classes="overlay-title")
            yield OptionList(*options, id="link-options")
            yield Static(Content("enter opens · type a number · escape closes"),
                         classes="overlay-hint")  # fmt: skip

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the chosen link."""
        self.dismiss(event.option_index + 1)

    def on_key(self, event: events.Key) -> None:
        """Digits pick a link by number."""
        if event.character and event.character.isdigit():
            event.stop()
            self._typed = (self._typed + event.character)[-4:]
            number = int(self._typed)
            if 1 <= number <= len(self.links):
                self.query_one(OptionList).highlighted = number - 1
            if number * 10 > len(self.links):
                self._typed = ""
                if 1 <= number <= len(self.links):
                    self.dismiss(number)


def health_rows(feeds: Sequence[Feed], dates: Dates) -> list[tuple[Text, ...]]:
    """One row per feed, failing feeds first: name, last ok, last error, streak, HTTP."""
    order = sorted(feeds, key=lambda f: (-f.error_streak, not f.gone, one_line(f.name).casefold()))
    rows: list[tuple[Text, ...]] = []
    for f in order:
        status = "gone" if f.gone else (str(f.http_status) if f.http_status else "")
        rows.append((
            Text(one_line(f.name)), Text(dates.long(f.last_ok) or "never"),
            Text(one_line(f.last_error)[:200]), Text(str(f.error_streak or "")),
            Text(status),
        ))  # fmt: skip
    return rows


class HealthScreen(Screen[None]):
    """Feed health: last ok, last error, error streak and HTTP status of every feed."""

    BINDINGS: ClassVar[list[BindingType]] = CLOSE

    def __init__(self, feeds: Sequence[Feed], dates: Dates) -> None:
        super().__init__()
        self.feeds = feeds
        self.dates = dates

    def compose(self) -> ComposeResult:
        """A summary line and the table."""
        failing = sum(1 for f in self.feeds if f.error_streak or f.gone)
        summary = f"Feed health · {len(self.feeds)} feeds · {failing} failing"
        yield Static(Content(summary), classes="overlay-title", id="health-title")
        table: DataTable[Text] = DataTable(id="health-table", cursor_type="row", zebra_stripes=True)
        for label in ("Feed", "Last ok", "Last error", "Streak", "HTTP"):
            table.add_column(Text(label), key=label)
        table.add_rows(health_rows(self.feeds, self.dates))
        yield table
        yield Footer()

    def action_dismiss_overlay(self) -> None:
        """Back to the reader."""
        self.dismiss(None)
