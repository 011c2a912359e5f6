"""The enclosure list (`E`) and the download queue (`P`), each a screen with its own keys.

Everything a feed wrote (titles, types, addresses) is sanitised and shown as Content, never as
markup. The queue view reads the downloads' progress from the DownloadQueue (a few times a
second) and the queue as stored from the store (in a worker thread, when it opens).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from reader.downloads import Transfer
from reader.models import Download, Enclosure
from reader.textsafe import one_line
from reader.ui.messages import DownloadsListed
from reader.ui.screens.dialogs import ChoiceScreen

if TYPE_CHECKING:
    from reader.ui.control.podcasts import DownloadQueue

TICK = 0.25  # seconds between progress updates in the queue view


def size_text(size: int | None) -> str:
    """Bytes as a person reads them: 28.3 MB."""
    if size is None:
        return "size unknown"
    for unit, step in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= step:
            return f"{size / step:.1f} {unit}"
    return f"{size} bytes"


def duration_text(seconds: int | None) -> str:
    """1:02:03, 12:34, or "" when unknown."""
    if not seconds:
        return ""
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def enclosure_line(e: Enclosure, download: Download | None) -> Content:
    """One enclosure: its file name, type, size, duration and whether it is downloaded."""
    name = one_line(e.url.rsplit("/", 1)[-1].split("?")[0])[:48] or one_line(e.url)[:48]
    parts = [name, one_line(e.type) or "type unknown", size_text(e.length)]
    parts += [d] if (d := duration_text(e.duration)) else []
    if download is not None:
        parts.append("downloaded" if download.state == "done" else download.state)
    return Content(" · ".join(parts))


Choice = tuple[str, Enclosure]  # ("play" or "download", which)


class EnclosureList(ChoiceScreen[Choice]):
    """E: a story's enclosures; enter plays one, d downloads it, escape closes (the moves and
    the close are ChoiceScreen's)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose('play')", "Play", id="play"),
        Binding("d", "choose('download')", "Download", id="download"),
    ]

    def __init__(
        self, title: str, enclosures: Sequence[Enclosure], done: Mapping[str, Download]
    ) -> None:
        super().__init__(id="enclosures")
        self.title_text = one_line(title)[:70] or "(untitled)"
        self.enclosures = list(enclosures)
        self.done = done

    def compose(self) -> ComposeResult:
        """Title, the enclosures, a hint."""
        with Vertical(classes="overlay-box links-box"):
            yield Static(Content(f"Enclosures of “{self.title_text}”"), classes="overlay-title")
            lines = [enclosure_line(e, self.done.get(e.url)) for e in self.enclosures]
            yield OptionList(*(Option(line) for line in lines), id="enclosure-options")
            hint = "enter plays ([enclosures] player) · d downloads (P shows the queue) · escape"
            yield Static(Content(hint), classes="overlay-hint")

    def action_choose(self, verb: str) -> None:
        """Play or download the highlighted enclosure."""
        index = self.query_one(OptionList).highlighted
        if index is not None:
            self.dismiss((verb, self.enclosures[index]))

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        """A click, or enter in the list: play it."""
        event.stop()
        self.dismiss(("play", self.enclosures[event.option_index]))


def status_text(t: Transfer) -> str:
    """A download's state: how much, how fast, how long still; or how it ended."""
    got = f"{size_text(t.size)} of {size_text(t.total)}" if t.total else size_text(t.size)
    if t.state == "done":
        return f"done · {size_text(t.size)}"
    if t.state == "failed":
        return f"failed · {got} kept to resume (r) · {one_line(t.error)}"
    if t.state in ("waiting", "queued"):
        return f"waiting · {got}"
    speed = f"{size_text(int(t.speed))}/s" if t.speed else "starting"
    left = f" · {int(t.eta // 60)}:{int(t.eta % 60):02d} left" if t.eta is not None else ""
    return f"{got} · {speed}{left}"


class DownloadRow(Widget):
    """One download: its title, a progress bar, and how it goes."""

    def __init__(self, transfer: Transfer) -> None:
        super().__init__(classes="download-row")
        self.transfer = transfer

    def compose(self) -> ComposeResult:
        """Title over the bar and the status."""
        d = self.transfer.download
        title = one_line(f"{d.feed_title} · {d.title}" if d.feed_title else d.title or d.path)
        yield Static(Content(title[:100]), classes="download-title")
        with Horizontal(classes="download-line"):
            yield ProgressBar(total=self.transfer.total, show_eta=False, classes="download-bar")
            yield Static(Content(""), classes="download-status")

    def on_mount(self) -> None:
        """Show where it stands."""
        self.show(self.transfer)

    def show(self, t: Transfer) -> None:
        """Show a progress report."""
        self.transfer = t
        bar = self.query_one(ProgressBar)
        total = t.total if t.total else (t.size if t.state == "done" else None)
        bar.update(total=total, progress=t.size)
        self.query_one(".download-status", Static).update(Content(status_text(t)))
        self.set_class(t.state == "failed", "-failed")


class DownloadsScreen(Screen[None]):
    """P: every download, a bar each; r resumes the failed and waiting ones."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,P", "close", "Back", id="close"),
        Binding("r", "resume", "Resume", id="resume"),
    ]

    def __init__(self, queue: DownloadQueue) -> None:
        super().__init__(id="downloads")
        self.queue = queue
        self.rows: dict[tuple[int, str], DownloadRow] = {}
        self.stored: list[Download] = []

    def compose(self) -> ComposeResult:
        """Title, the rows, the footer."""
        yield Static(Content("Downloads"), classes="overlay-title", id="downloads-title")
        yield Static(Content("Nothing downloaded yet: E on a story lists its enclosures"),
                     id="downloads-empty")  # fmt: skip
        yield VerticalScroll(id="download-rows")
        yield Footer()

    def on_mount(self) -> None:
        """Read the queue as stored (worker thread), then follow the downloads."""
        listed = self.queue.downloads.list

        def load() -> None:
            self.post_message(DownloadsListed(listed.all()))

        self.run_worker(load, thread=True, group="downloads-list", exit_on_error=False)
        self.set_interval(TICK, self.tick)

    def on_downloads_listed(self, message: DownloadsListed) -> None:
        """The stored queue: a row each (live progress replaces what is stored)."""
        self.stored = message.downloads
        self.tick()

    def tick(self) -> None:
        """Bring every row up to date, adding rows for new downloads."""
        live = self.queue.transfers()
        shown = {(d.item_id, d.url): Transfer(d, d.size, d.total, state=d.state)
                 for d in self.stored}  # fmt: skip
        shown.update(live)
        rows = self.query_one("#download-rows", VerticalScroll)
        for key, transfer in shown.items():
            row = self.rows.get(key)
            if row is None:
                self.rows[key] = row = DownloadRow(transfer)
                rows.mount(row)
            elif row.is_mounted and row.transfer != transfer:
                row.show(transfer)
        self.query_one("#downloads-empty").display = not shown

    def action_resume(self) -> None:
        """r: download again what failed or waits (each resumes from its partial file)."""
        again = [row.transfer.download for row in self.rows.values()
                 if row.transfer.state in ("failed", "queued")]  # fmt: skip
        if not again:
            self.notify("Nothing to resume", markup=False)
            return
        self.queue.add([replace(d, state="queued") for d in again])
        self.notify(f"Resuming {len(again)}", markup=False)

    def action_close(self) -> None:
        """Back to the reader (downloads go on)."""
        self.dismiss(None)
