"""The footer: Textual's, drawn in the first frame and rebuilt only when its keys change.

Textual's Footer starts empty and fills in on the first bindings signal (a frame later), and
recomposes (every key a new widget, each restyled) on every signal: a focus change sends two or
three, so at start-up that is three rebuilds before the first complete frame. This one shows its
keys from the start, folds the signals of one refresh into one check, and rebuilds only when the
shown keys differ (the reader's footer keys are the screen's, so moving between panes does not
change them).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[str, str, bool], ...]


class KeyFooter(Footer):
    """A Footer that skips rebuilds that would show the same keys."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Shown | None = None
        self._scheduled = False
        self._bindings_ready = True  # the screen's keys are known at once

    def compose(self) -> ComposeResult:
        """The keys shown now."""
        self._shown = self.shown()
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        """A bindings signal: check (once per refresh) whether the keys changed."""
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._scheduled:
            self._scheduled = True
            self.call_after_refresh(self._update_keys)

    def shown(self) -> Shown:
        """What the footer would show now: each shown binding's key, label and state."""
        return tuple(
            (binding.key, binding.description, enabled)
            for _, binding, enabled, _ in self.screen.active_bindings.values()
            if binding.show
        )

    async def _update_keys(self) -> None:
        self._scheduled = False
        shown = self.shown()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
