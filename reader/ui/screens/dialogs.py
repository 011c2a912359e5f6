"""Small modal dialogs: a one-line prompt (a bookmark's tags, a URL, a file path), a list to
choose one thing from (the feeds a page offers), a yes-or-no question."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.textsafe import one_line
from reader.ui import keys

if TYPE_CHECKING:
    from reader.feeds.discover import Candidate


def split_tags(text: str) -> list[str]:
    """Tags as typed: separated by commas (spaces inside a tag are kept)."""
    return list(dict.fromkeys(t for t in (" ".join(p.split()) for p in text.split(",")) if t))


class Prompt(ModalScreen[str | None]):
    """A title, a line to type, a hint; enter gives the text, escape gives None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="close")]

    def __init__(
        self, title: str, hint: str, value: str = "", placeholder: str = "", *, id: str = ""
    ) -> None:
        super().__init__(id=id or None)
        self.title_text = title
        self.hint = hint
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        """Title, input, hint."""
        with Vertical(classes="overlay-box prompt-box"):
            yield Static(Content(self.title_text), classes="overlay-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static(Content(self.hint), classes="overlay-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: done."""
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Escape: never mind."""
        self.dismiss(None)


ChoiceT = TypeVar("ChoiceT")


class ChoiceScreen(ModalScreen[ChoiceT | None]):
    """A modal list to choose from: the configured down/up keys move through its OptionList,
    escape or q closes it with None (else it gives a ChoiceT)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Close", id="close"),
        *keys.bindings_of("down", "up"),
    ]

    def action_down(self) -> None:
        """Next line."""
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        """Previous line."""
        self.query_one(OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


class Chooser(ChoiceScreen[int]):
    """Lines to choose one of (enter or a click); gives its index, or None on escape."""

    def __init__(self, title: str, choices: Sequence[Content], hint: str) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.hint = hint

    def compose(self) -> ComposeResult:
        """Title, the choices, a hint."""
        with Vertical(classes="overlay-box links-box"):
            yield Static(Content(self.title_text), classes="overlay-title")
            yield OptionList(*(Option(c) for c in self.choices), id="choices")
            yield Static(Content(self.hint), classes="overlay-hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """The chosen line."""
        event.stop()
        self.dismiss(event.option_index)


class Confirm(ModalScreen[bool]):
    """A question with a yes (y, enter) or no (n, escape) answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="yes"),
        Binding("n,escape", "answer(False)", "No", id="close"),
    ]

    def __init__(self, title: str, text: str = "", *, id: str = "") -> None:
        super().__init__(id=id or None)
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        """The question and the keys that answer it."""
        with Vertical(classes="overlay-box prompt-box"):
            yield Static(Content(self.title_text), classes="overlay-title")
            if self.text:
                yield Static(Content(self.text))
            yield Static(Content("y or enter: yes · n or escape: no"), classes="overlay-hint")

    def action_answer(self, yes: bool) -> None:
        """Answer."""
        self.dismiss(yes)


def candidate_lines(candidates: Sequence[Candidate]) -> list[Content]:
    """The feeds a page offers, one line each: title, then URL."""
    return [
        Content.assemble((one_line(c.title) or "(untitled)", "bold"), "  ", one_line(c.url))
        for c in candidates
    ]
