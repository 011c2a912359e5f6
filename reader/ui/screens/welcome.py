"""The first run: no feeds yet. `a` adds a feed (a web page's feeds are found), `i` imports an
OPML or newsboat urls file, `d` loads the demo feeds. Dismissed with what happened (a note for
the reader to show, and whether the new feeds want a refresh), or None when closed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from reader.textsafe import one_line
from reader.ui import jobs
from reader.ui.context import ReaderContext
from reader.ui.messages import Subscribed
from reader.ui.screens.dialogs import Chooser, Prompt, candidate_lines
from reader.ui.widgets.footer import KeyFooter

INTRO = "No feeds yet. Start with one of these:"
CHOICES = (
    ("a", "Add a feed or a website (its feeds are found for you)"),
    ("i", "Import subscriptions: an OPML file, or newsboat's urls file"),
    ("d", "Try the demo feeds (English and Chinese samples, offline)"),
    ("q", "Quit"),
)
OUTRO = (
    "Later: tidings add URL and tidings import FILE do the same from a shell;\n"
    "? in the reader lists every key."
)


@dataclass(frozen=True)
class Welcomed:
    """What the welcome screen did: a note to show; `refresh` when the feeds need fetching."""

    note: str
    refresh: bool = False


def welcome_text() -> Content:
    """The choices, a key in the accent colour before each."""
    lines = [Content(INTRO), Content("")]
    for key, text in CHOICES:
        lines.append(Content.assemble(("  " + key.ljust(4), "bold $text-accent"), text))
    return Content("\n").join([*lines, Content(""), Content(OUTRO)])


class WelcomeScreen(Screen[Welcomed | None]):
    """Choices for a reader with no feeds."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add a feed"),
        Binding("i", "import_file", "Import"),
        Binding("d", "demo", "Demo feeds"),
        Binding("escape", "close", "Close", id="close"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, ctx: ReaderContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._job: jobs.AsyncJob[Subscribed] | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        """Title, choices, the line that says how it goes."""
        with Vertical(id="welcome-box"):
            yield Static(Content("Welcome to tidings"), classes="overlay-title")
            yield Static(welcome_text(), id="welcome-text")
            yield Static(Content(""), id="welcome-status")
        yield KeyFooter()

    def say(self, text: str, error: bool = False) -> None:
        """Show how it goes."""
        status = self.query_one("#welcome-status", Static)
        status.update(Content(text))
        status.set_class(error, "-error")

    # ---- the choices ----------------------------------------------------------------------
    def action_add(self) -> None:
        """a: ask for a URL, then subscribe."""
        if not self.busy:
            hint = "enter subscribes · escape cancels"
            prompt = Prompt("Add a feed or a website", hint, placeholder="https://example.org/")
            self.app.push_screen(prompt, self._add)

    def _add(self, url: str | None, pick: int | None = None) -> None:
        url = (url or "").strip()
        if not url:
            return
        if not self.ctx.network:
            self.say("The network is off here (demo): try d", error=True)
            return
        self.say(f"Looking for feeds at {one_line(url)}…")
        config, store = self.ctx.config, self.ctx.store
        self._run_async(jobs.AsyncJob(lambda: jobs.add_feed(config, store, url, pick)))

    def action_import_file(self) -> None:
        """i: ask for a file, then import it."""
        if not self.busy:
            hint = "an OPML file or a newsboat urls file · enter imports · escape cancels"
            prompt = Prompt("Import subscriptions", hint, placeholder="~/.newsboat/urls")
            self.app.push_screen(prompt, self._import)

    def _import(self, path: str | None) -> None:
        if path and path.strip():
            store = self.ctx.store
            self.say(f"Importing {one_line(path.strip())}…")
            self._run(lambda: jobs.import_subscriptions(store, path))

    def action_demo(self) -> None:
        """d: the demo feeds."""
        if not self.busy:
            store = self.ctx.store
            self.say("Adding the demo feeds…")
            self._run(lambda: jobs.demo_feeds(store))

    def action_close(self) -> None:
        """Escape: the empty reader."""
        self.dismiss(None)

    # ---- the work -------------------------------------------------------------------------
    def _run(self, job: Callable[[], Message]) -> None:
        self.busy = True

        def run() -> None:
            try:
                message = job()
            except BaseException as exc:  # cancelled, or a surprise: said in one line
                message = Subscribed(error=one_line(str(exc)) or type(exc).__name__)
            if not get_current_worker().is_cancelled:
                self.post_message(message)

        self.run_worker(run, thread=True, group="welcome", exit_on_error=False)

    def _run_async(self, job: jobs.AsyncJob[Subscribed]) -> None:
        self._job = job
        self._run(job.run)

    def on_unmount(self) -> None:
        """Leaving cancels a subscription still in progress."""
        if self._job is not None:
            self._job.cancel()

    def on_subscribed(self, message: Subscribed) -> None:
        """Done: back to the reader; or a choice of feeds; or the error."""
        self.busy, self._job = False, None
        if message.error:
            self.say(message.error, error=True)
        elif message.candidates:
            lines = candidate_lines(message.candidates)
            hint = "enter subscribes · escape cancels"
            chooser = Chooser("This page offers several feeds", lines, hint)
            url = message.url
            self.app.push_screen(chooser, lambda i: self._picked(url, i))
            self.say("Choose one of the feeds found")
        else:
            self.dismiss(Welcomed(message.note, message.refresh))

    def _picked(self, url: str, index: int | None) -> None:
        if index is None:
            self.say("")
        else:
            self._add(url, index + 1)
