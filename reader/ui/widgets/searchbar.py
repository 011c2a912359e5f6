"""The search bar: a query typed here is searched as it changes (after a pause of ~150 ms),
and how it went (matches, time, or why the query cannot run) shows at its right."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from reader.ui import keys

DEBOUNCE = 0.15  # seconds of quiet typing before the query is searched
PLACEHOLDER = 'words, "a phrase", -not, feed:, tag:, author:, is:unread, since:7d'
HINT = "enter: results · ctrl+s: save · esc: back"


class SearchBar(Horizontal):
    """A query input and a line about its results."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *keys.bindings("search"),
        Binding(keys.BY_NAME["back"].keys, "close", "Back", id="back"),
    ]

    class Changed(Message):
        """The query changed (and typing paused)."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Submitted(Message):
        """Enter: go to the results and open the first."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Closed(Message):
        """Escape: leave the search, back to where it started."""

    class SaveWanted(Message):
        """ctrl+s: keep this query in the feed pane."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class ResultsWanted(Message):
        """Down: move to the results."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None
        self._info = HINT

    def compose(self) -> ComposeResult:
        """The prompt, the input and the info line."""
        yield Static(Content("/"), id="search-prompt")
        yield Input(placeholder=PLACEHOLDER, id="search-input", select_on_focus=False)
        yield Static(Content(HINT), id="search-info")

    @property
    def input(self) -> Input:
        """The query input."""
        return self.query_one(Input)

    @property
    def value(self) -> str:
        """The query as typed."""
        return self.input.value

    def start(self, query: str) -> None:
        """Show the bar with `query` in it (selected, so typing replaces it)."""
        self._stop_timer()
        with self.input.prevent(Input.Changed):
            self.input.value = query
        self.input.select_all()
        self.input.focus()
        self.set_info(HINT)

    def set_info(self, text: str, error: bool = False) -> None:
        """Say how the search went (an error shows as one line in the error colour; nothing
        to say: the keys of the bar)."""
        info = self.query_one("#search-info", Static)
        shown = text or HINT
        if shown != self._info:  # its width is fixed: the new text repaints this line only
            self._info = shown
            info.update(Content(shown), layout=False)
        info.set_class(error, "-error")

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_input_changed(self, event: Input.Changed) -> None:
        """Search once typing pauses."""
        event.stop()
        self._stop_timer()
        query = event.value
        self._timer = self.set_timer(DEBOUNCE, lambda: self._changed(query))

    def _changed(self, query: str) -> None:
        self._timer = None
        self.post_message(self.Changed(query))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: search now (if still waiting) and go to the results."""
        event.stop()
        if self._timer is not None:
            self._stop_timer()
            self.post_message(self.Changed(event.value))
        self.post_message(self.Submitted(event.value))

    def action_close(self) -> None:
        """Leave the search."""
        self._stop_timer()
        self.post_message(self.Closed())

    def action_search_save(self) -> None:
        """Save the query."""
        self.post_message(self.SaveWanted(self.value))

    def action_search_results(self) -> None:
        """Move to the results."""
        self.post_message(self.ResultsWanted())
