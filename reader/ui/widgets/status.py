"""The status line: where you are on the left, what the background refresh is doing on the
right (`refreshing 123/500 · 3 failed`).

A new text repaints its own line only: the place is as wide as the room left (no layout), the
activity is laid out again only when its width changes (a layout reflows the whole screen)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static


class StatusLine(Horizontal):
    """Two texts the screen sets: `place` and `activity`."""

    place: reactive[str] = reactive("", init=False)
    activity: reactive[str] = reactive("", init=False)

    def compose(self) -> ComposeResult:
        """Left and right halves."""
        yield Static(Content(""), id="status-place")
        yield Static(Content(""), id="status-activity")

    def watch_place(self, value: str) -> None:
        """Show the new place."""
        self.query_one("#status-place", Static).update(Content(value), layout=False)

    def watch_activity(self, old: str, value: str) -> None:
        """Show the new activity."""
        text = Content(value)
        layout = text.cell_length != Content(old).cell_length
        self.query_one("#status-activity", Static).update(text, layout=layout)
