"""The status line: where you are on the left, what the background refresh is doing on the
right (`refreshing 123/500 · 3 failed`)."""

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
        self.query_one("#status-place", Static).update(Content(value))

    def watch_activity(self, value: str) -> None:
        """Show the new activity."""
        self.query_one("#status-activity", Static).update(Content(value))
