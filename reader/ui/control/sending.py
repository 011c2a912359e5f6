"""Sending a story elsewhere: `|` pipes it to a command of `[pipe] commands` (an argv list,
never a shell; the story on stdin as text or Markdown), `M` saves it as a Markdown file.

On a real terminal the reader steps aside while the command runs (a pager or an editor gets
the terminal); where it cannot (a headless run), the command runs in a worker thread and its
first line of output is told."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported
from textual.content import Content

from reader.store.db import Store
from reader.textsafe import one_line
from reader.ui.messages import Failed, Notice, PipeReady

if TYPE_CHECKING:
    from reader.ui.control.reading import Target
    from reader.ui.screens.main import MainScreen

PIPE_TIMEOUT = 300.0  # seconds a command run without the terminal may take
SAVE_HINT = "a folder (the file is named by date, id and title) · enter saves · escape cancels"


def story_for_pipe(store: Store, item_id: int, argv: Sequence[str], markdown: bool) -> PipeReady:
    """The story as the command gets it: Markdown (as M saves it), or the text the reader
    shows (title, byline, link, then the story)."""
    from reader.articles.article import story_document
    from reader.articles.blocks import to_text
    from reader.articles.markdown import bookmark_markdown

    item = store.item(item_id)
    if item is None:
        raise LookupError("that story is gone")
    if markdown:
        text = bookmark_markdown(item)
    else:
        byline = " · ".join(p for p in (item.feed_title, item.author) if p)
        head = [one_line(item.title), one_line(byline), one_line(item.link)]
        text = "\n".join([*(h for h in head if h), "", to_text(story_document(item))]) + "\n"
    return PipeReady(tuple(argv), text.encode("utf-8"))


def run_captured(argv: Sequence[str], data: bytes) -> Notice | Failed:
    """Run the command with the story on stdin, without the terminal; its outcome in a line."""
    try:
        done = subprocess.run(list(argv), input=data, capture_output=True, timeout=PIPE_TIMEOUT,
                              check=False)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Failed("Pipe", f"{argv[0]}: {getattr(exc, 'strerror', None) or exc}")
    if done.returncode:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return Failed("Pipe", f"{argv[0]} exited with {done.returncode}" +
                      (f": {one_line(err[0])}" if err else ""))  # fmt: skip
    out = done.stdout.decode("utf-8", "replace").strip().splitlines()
    return Notice(f"Piped to {argv[0]}" + (f": {one_line(out[0])[:120]}" if out else ""))


def save_markdown(store: Store, item_id: int, folder: str) -> Notice:
    """Write the story as a Markdown file (front matter, then the story) into `folder`."""
    from reader.articles.markdown import bookmark_markdown, file_name

    item = store.item(item_id)
    if item is None:
        raise LookupError("that story is gone")
    path = Path(folder).expanduser() / file_name(item)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(bookmark_markdown(item), encoding="utf-8")
    except OSError as exc:
        raise OSError(f"{path}: {exc.strerror or exc}") from None
    return Notice(f"Saved {path}")


class Sending:
    """| and M."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.folder = "~/"  # where M saved last (this session)

    def pipe(self, target: Target) -> None:
        """|: send the story to the configured command (several: choose one)."""
        screen = self.screen
        commands = screen.ctx.config.pipe.commands
        if not commands:
            screen.notify('No command to pipe to: set [pipe] commands = [["less"]] in config.toml')
        elif len(commands) == 1:
            self.prepare(target.id, commands[0])
        else:
            from reader.ui.screens.dialogs import Chooser

            lines = [Content(" ".join(argv)) for argv in commands]
            chooser = Chooser("Pipe the story to", lines, "enter runs it · escape cancels")
            screen.app.push_screen(
                chooser, lambda i: None if i is None else self.prepare(target.id, commands[i])
            )

    def prepare(self, item_id: int, argv: Sequence[str]) -> None:
        """Read the story in a worker; `ready` runs the command with it."""
        store, markdown = self.screen.ctx.store, self.screen.ctx.config.pipe.format == "markdown"
        self.screen.runner.work(lambda: story_for_pipe(store, item_id, argv, markdown), "pipe")

    def ready(self, message: PipeReady) -> None:
        """Run the command: with the terminal when the reader can step aside, else in a
        worker with its output captured."""
        argv, data = message.argv, message.data
        try:
            with self.screen.app.suspend():
                done = subprocess.run(list(argv), input=data, check=False)
        except SuspendNotSupported:
            self.screen.runner.work(lambda: run_captured(argv, data), "pipe", exclusive=False)
        except OSError as exc:
            self.screen.post_message(Failed("Pipe", f"{argv[0]}: {exc.strerror or exc}"))
        else:
            if done.returncode:
                error = f"{argv[0]} exited with {done.returncode}"
                self.screen.post_message(Failed("Pipe", error))

    def ask_save(self, target: Target) -> None:
        """M: save the story as a Markdown file in a folder (asked, the last one offered)."""
        from reader.ui.screens.dialogs import Prompt

        store = self.screen.ctx.store

        def save(folder: str | None) -> None:
            if folder and folder.strip():
                self.folder = folder.strip()
                self.screen.runner.work(
                    lambda: save_markdown(store, target.id, self.folder), "save", exclusive=False
                )

        prompt = Prompt("Save the story as Markdown in", SAVE_HINT, self.folder, id="save-md")
        self.screen.app.push_screen(prompt, save)
