"""The Textual application: themes, keymap and the command palette around the main screen."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from reader.config import Config
from reader.store.db import Store
from reader.textsafe import one_line
from reader.ui import keys
from reader.ui.context import ReaderContext, Refresher
from reader.ui.firstview import FirstView
from reader.ui.hangup import exit_on_hangup
from reader.ui.messages import Failed
from reader.ui.screens.main import MainScreen
from reader.ui.state import Choice, StateFile
from reader.ui.themes import pick_theme, set_first_theme
from reader.ui.timefmt import Dates
from reader.ui.watch import StoreWatch
from reader.ui.widgets.article import ArticleView

TEXTUAL_DUPLICATES = frozenset({"Quit", "Keys", "Theme"})  # ours: Quit, Help, Choose a theme
NOTES_KEPT = 200


@dataclass(frozen=True, slots=True)
class Note:
    """A notification as it was shown (plain text: never read as markup)."""

    message: str
    title: str = ""
    severity: SeverityLevel = "information"

    def __str__(self) -> str:
        return f"{self.title}: {self.message}" if self.title else self.message


class ReaderApp(App[int]):
    """tidings: feeds | headlines | reading pane."""

    CSS_PATH = Path(__file__).with_name("reader.tcss")
    TITLE = "tidings"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        *,
        config: Config,
        store: Store,
        service: Refresher | None,
        themes: Sequence[Theme] = (),
        state_dir: Path | None = None,
        dates: Dates | None = None,
        refresh_on_start: bool = True,
        offline_reason: str = "refresh is off",
        network: bool = True,
        problems: Sequence[str] = (),
        first_view: Future[FirstView] | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.ctx = ReaderContext(
            config=config,
            store=store,
            service=service,
            dates=replace(dates or Dates(), old_format=config.ui.date_format),
            refresh_on_start=refresh_on_start,
            offline_reason=offline_reason,
            network=network,
            state=StateFile(state_dir),
            first_view=first_view,
        )
        self.state_dir = state_dir
        self.exit_on_signals = False  # run_app sets it: tests must not take over signals
        self.reader_themes = [t.name for t in themes]
        self.problems = list(problems)
        for theme in themes:
            self.register_theme(theme)
        file = str(config.source) if config.source else "config.toml"
        keymap, unknown = keys.keymap(config.keys)
        self.problems += [f"{file}: keys.{name}: no such action" for name in unknown]
        if config.rules:  # left out, said once at start
            from reader.rules import load_rules  # the matching machinery: only with rules

            self.problems += load_rules(config.rules).problems
        self.set_keymap(keymap)
        self._set_first_theme(file)
        self.store_watch = StoreWatch(store, first_view)  # no store read here
        self.notes: deque[Note] = deque(maxlen=NOTES_KEPT)
        """What the reader told, oldest first (the last NOTES_KEPT notifications)."""

    def _set_first_theme(self, file: str) -> None:
        """Start with the remembered or configured theme; offer only ours unless Textual's
        are asked for (`[ui] textual_themes`, or a `[ui] theme` naming one of them)."""
        configured, choice = self.config.ui.theme, self.ctx.state.state.theme
        remembered = choice.pick(configured) if choice is not None else None
        theme, problems = pick_theme(configured, remembered, self.reader_themes,
                                     self.available_themes, file)  # fmt: skip
        self.problems += problems
        set_first_theme(self, theme)
        ours = self.reader_themes
        textual = self.config.ui.textual_themes or (
            configured in self.available_themes and configured not in ours
        )
        if self.reader_themes and not textual:
            for name in [n for n in self.available_themes if n not in self.reader_themes]:
                self.unregister_theme(name)

    def get_default_screen(self) -> Screen[Any]:
        """The three panes are the first (and bottom) screen."""
        return MainScreen(self.ctx)

    def on_mount(self) -> None:
        """Tell about config problems without stopping."""
        if self.exit_on_signals:  # a closed terminal or a kill: exit, clean up (hangup.py)
            exit_on_hangup(self.exit)
        for problem in self.problems:
            self.notify(problem, title="tidings", severity="warning", timeout=8)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.set_interval(self.config.store.watch_seconds, self._watch_store)

    def _watch_store(self) -> None:
        """Ask (in a worker) what other processes changed; the main screen shows it."""
        main = self.screen_stack[0] if self.screen_stack else None

        def poll() -> None:
            for message in self.store_watch.poll():
                if main is not None:
                    main.post_message(message)

        self.run_worker(poll, thread=True, group="watch", exit_on_error=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification passes here (a widget's or a screen's `notify` calls the App's):
        its text is never read as markup (it often holds a feed's title, a link or an error
        about them), and it is kept in `notes`."""
        self.notes.append(Note(message, title, severity))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_failed(self, message: Failed) -> None:
        """Every background error, shown alike: what was being done, and why in one line."""
        text = one_line(message.error) or "failed"
        self.notify(text, title=message.title, severity="error", timeout=8)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of the App's own that failed (the screens' say so with Failed)."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            from reader.ui.control.runner import failure

            self.post_message(failure(event.worker.group, event.worker.error))

    def _remember_theme(self, theme: Theme) -> None:
        """Keep the chosen theme for next time (in the data dir, not config.toml)."""
        state = self.ctx.state
        choice = Choice(theme.name, self.config.ui.theme)
        if state.state.theme == choice:
            return
        state.state.theme = choice
        self.run_worker(state.save_job(), thread=True, group="state", exit_on_error=False)

    def action_cycle_theme(self) -> None:
        """t: the next of the reader's themes."""
        names = self.reader_themes or list(self.available_themes)
        index = names.index(self.theme) + 1 if self.theme in names else 0
        self.theme = names[index % len(names)]
        self.notify(f"Theme: {self.theme}", timeout=2)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette: the reader's actions (on the reader's screen; elsewhere the
        App's), each with its key, then Textual's own that are not the same as one of ours."""
        main = isinstance(screen, MainScreen)
        for action in keys.ACTIONS:
            if (main or action.target) and "search" not in action.scopes:
                bound = keys.effective_keys(action, self.config.keys)
                shown = ", ".join(self.get_key_display(Binding(k, "")) for k in bound)
                run = partial(self._palette_run, action)
                yield SystemCommand(action.label, f"{shown} · {action.help}", run)
        themes = ", ".join(self.reader_themes) or "the themes"
        yield SystemCommand("Choose a theme", f"{themes}…", self.search_themes)
        for command in super().get_system_commands(screen):
            if command.title not in TEXTUAL_DUPLICATES:
                yield command

    async def _palette_run(self, action: keys.Action) -> None:
        """Run an action picked in the command palette where its key would run it."""
        if action.target:
            await self.run_action(action.name)
            return
        screen, focused = self.screen, self.focused
        if not isinstance(screen, MainScreen):
            return
        node: DOMNode = screen  # where its key would run it, as its key would
        name = action.name
        if "story" in action.scopes:  # the focused story pane's story, else the cursor's
            node = focused if isinstance(focused, ArticleView) else screen.headlines
            name = f"story('{action.name}')"
        elif "feeds" in action.scopes:
            node, name = screen.feed_list, f"feed('{action.name}')"
        elif "screen" not in action.scopes and focused is not None:
            node = focused
        await self.run_action(name, node)
