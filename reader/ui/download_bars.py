"""`tidings download` on a terminal: a rich progress bar per file with its speed and time left.

UI-side code (rich is the terminal toolkit; the core reports progress as reader.downloads
Transfer values and never imports it). Titles are sanitised before they are shown and are built
as Text, never as markup.
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.text import Text

from reader import textsafe
from reader.downloads import Transfer


class DownloadBars:
    """One bar per file; `update` takes the core's progress reports (one thread at a time)."""

    def __init__(self) -> None:
        self.console = Console(stderr=True, highlight=False, emoji=False)
        self.progress = Progress(
            TextColumn("{task.fields[name]}", markup=False),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=self.console,
        )
        self._tasks: dict[tuple[int, str], TaskID] = {}

    def __enter__(self) -> DownloadBars:
        self.progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.progress.stop()

    def update(self, t: Transfer) -> None:
        """Show one progress report."""
        key = (t.download.item_id, t.download.url)
        task = self._tasks.get(key)
        if task is None:
            name = textsafe.one_line(t.download.title or t.download.path)[:40]
            task = self.progress.add_task("", total=t.total, name=Text(name))
            self._tasks[key] = task
        self.progress.update(task, completed=t.size, total=t.total)
        if t.state == "failed":
            line = textsafe.one_line(f"failed: {t.download.title}: {t.error}")
            self.progress.console.print(Text(line))
