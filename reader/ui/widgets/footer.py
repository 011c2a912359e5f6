"""The footer: one line of keys, drawn from the screen's active bindings in the first frame.

Quit, help and back (or close) always show, whatever their keys are rebound to and however
narrow the terminal: the other keys fill the room that is left, in the order keys.py gives
them, and the command palette's key sits at the right when it fits. A click on a key presses
it. Only public Textual API: the screen's `active_bindings` and `bindings_updated_signal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from reader.ui import keys

ALWAYS = ("back", "close", "help", "quit")  # binding ids that show however narrow it is


@dataclass(frozen=True)
class Shown:
    """One key in the footer."""

    key: str  # the key pressed when it is clicked
    display: str  # the key as shown (`esc`, `?`)
    label: str
    enabled: bool
    rank: int
    always: bool  # shown however narrow it is

    @property
    def width(self) -> int:
        """Columns it takes: ` key label `."""
        return len(self.display) + len(self.label) + 3


def _rank(binding_id: str | None) -> int:
    action = keys.BY_NAME.get(binding_id or "")
    return action.show if action is not None and action.show else 50


class KeyFooter(Widget):
    """The keys of the screen it is on, fitted to its width."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-footer--key",
        "key-footer--label",
        "key-footer--disabled",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        """Follow the screen's bindings."""
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        """Stop following them."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def shown(self) -> list[Shown]:
        """Every key the screen offers in the footer now, once per action, in footer order."""
        found: dict[str, Shown] = {}
        palette = self.app.COMMAND_PALETTE_BINDING
        for key, (_node, binding, enabled, _tip) in self.screen.active_bindings.items():
            if not binding.show or key == palette or binding.action in found:
                continue
            always = binding.id in ALWAYS
            rank = -1 if binding.id in ("back", "close") else _rank(binding.id)
            display = self.app.get_key_display(binding)
            found[binding.action] = Shown(key, display, binding.description, enabled, rank, always)
        return sorted(found.values(), key=lambda s: s.rank)

    def fitted(self, width: int) -> list[Shown]:
        """The keys that fit in `width` columns: the ALWAYS ones first, then in order."""
        shown = self.shown()
        room = width - sum(s.width for s in shown if s.always)
        chosen = [s.always for s in shown]
        for n, item in enumerate(shown):
            if not chosen[n] and item.width <= room:
                chosen[n] = True
                room -= item.width
        return [s for s, keep in zip(shown, chosen, strict=True) if keep]

    def render(self) -> Text:
        """The keys as one line."""
        style = self.get_component_rich_style
        key_style, label_style = style("key-footer--key"), style("key-footer--label")
        text = Text(no_wrap=True, end="")
        self._spans = []
        palette = self._palette()
        width = self.size.width - (palette.cell_len if palette else 0)
        for item in self.fitted(width):
            start = text.cell_len
            part = Text.assemble((f" {item.display} ", key_style), (f"{item.label} ", label_style))
            if not item.enabled:
                part.stylize(style("key-footer--disabled"))
            text.append_text(part)
            self._spans.append((start, text.cell_len, item.key))
        if palette is not None and text.cell_len + palette.cell_len <= self.size.width:
            text.pad_right(self.size.width - text.cell_len - palette.cell_len)
            self._spans.append((text.cell_len, self.size.width, self.app.COMMAND_PALETTE_BINDING))
            text.append_text(palette)
        return text

    def _palette(self) -> Text | None:
        active = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if active is None or not self.app.ENABLE_COMMAND_PALETTE:
            return None
        style = self.get_component_rich_style
        display, label = self.app.get_key_display(active.binding), active.binding.description
        return Text.assemble(
            (f" {display} ", style("key-footer--key")), (f"{label} ", style("key-footer--label"))
        )

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it."""
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
