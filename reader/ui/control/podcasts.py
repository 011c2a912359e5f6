"""Podcasts and saved pages in the reader: `E` lists the story's enclosures (play one, or queue it
for download), `P` shows the download queue, `W` saves a web page by its address.

Downloads run in one worker thread on an event loop of their own (`DownloadQueue`), at most
`[enclosures] concurrency` files at a time, whatever view is showing (and those a session that
ended early left queued go on when the reader starts); the queue view reads their
progress from the queue a few times a second. The core does the work (reader/downloads.py,
reader/saving.py); nothing here touches the network or the store on the UI thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reader.downloads import Downloads, Transfer, play, root_dir, target
from reader.models import Download, Enclosure
from reader.store.downloadsql import DownloadList
from reader.textsafe import one_line
from reader.ui.jobs import AsyncJob
from reader.ui.messages import EnclosuresLoaded, Notice

if TYPE_CHECKING:
    from reader.ui.control.reading import Target
    from reader.ui.screens.main import MainScreen

SAVE_HINT = "a web page's address · enter saves its story as a bookmark · escape cancels"


class DownloadQueue:
    """Downloads waiting and running, and the latest progress of each (any thread may read)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        ctx = screen.ctx
        root = root_dir(ctx.config, ctx.store.path.parent)
        self.downloads = Downloads(ctx.config, ctx.store, root)
        self._lock = threading.Lock()
        self._waiting: list[Download] = []
        self._progress: dict[tuple[int, str], Transfer] = {}
        self._running = False

    def add(self, queued: Sequence[Download]) -> None:
        """Download these (those not done); starts the worker when it is not running."""
        fresh = [d for d in queued if d.state != "done"]
        with self._lock:
            self._waiting += fresh
            for d in fresh:
                self._progress[(d.item_id, d.url)] = Transfer(d, d.size, d.total, state="waiting")
            start = bool(fresh) and not self._running
            self._running = self._running or start
        if start:
            self.screen.runner.work_async(AsyncJob(self._drain), "downloads")

    def transfers(self) -> dict[tuple[int, str], Transfer]:
        """The latest progress of every download this session touched."""
        with self._lock:
            return dict(self._progress)

    def _note(self, transfer: Transfer) -> None:
        d = transfer.download
        with self._lock:
            self._progress[(d.item_id, d.url)] = transfer

    async def _drain(self) -> Notice:
        """Download whatever is waiting (more may be added meanwhile), `[enclosures]
        concurrency` at a time; a note of how it went."""
        limit = asyncio.Semaphore(self.downloads.config.enclosures.concurrency)
        tasks: set[asyncio.Task[Download]] = set()
        ended: list[Download] = []

        async def one(d: Download) -> Download:
            async with limit:
                return await self.downloads.fetch(d, self._note)

        try:
            while True:
                with self._lock:
                    batch, self._waiting = self._waiting, []
                    if not batch and not tasks:
                        self._running = False
                        break
                tasks |= {asyncio.ensure_future(one(d)) for d in batch}
                done, tasks = await asyncio.wait(tasks, timeout=0.2)
                ended += [t.result() for t in done]
        finally:
            with self._lock:
                self._running = False
        failed = sum(d.state != "done" for d in ended)
        note = f", {failed} failed (P shows why)" if failed else ""
        return Notice(f"Downloads: {len(ended) - failed} done{note}")


class Podcasts:
    """E, P and W (see the module docstring)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.queue = DownloadQueue(screen)
        screen.reading.actions["enclosures"] = self.enclosures
        screen.routes[EnclosuresLoaded] = self.show_enclosures

    # ---- E --------------------------------------------------------------------------------
    def enclosures(self, story: Target) -> None:
        """E: load the story's enclosures and what was downloaded of them."""
        store, item_id = self.screen.ctx.store, story.id

        def load() -> EnclosuresLoaded:
            item = store.item(item_id)
            title = item.title if item is not None else ""
            return EnclosuresLoaded(item_id, title, store.enclosures(item_id),
                                    DownloadList(store).all(item_id))  # fmt: skip

        self.screen.runner.work(load, "enclosures")

    def show_enclosures(self, message: EnclosuresLoaded) -> None:
        """The list of them (or a note that there are none)."""
        from reader.ui.screens.podcasts import EnclosureList

        if not message.enclosures:
            self.screen.notify("This story has no enclosures")
            return
        done = {d.url: d for d in message.downloads}
        listing = EnclosureList(message.title, message.enclosures, done)

        def chosen(choice: tuple[str, Enclosure] | None) -> None:
            if choice is not None:
                verb, enclosure = choice
                if verb == "play":
                    self.play(enclosure, done.get(enclosure.url))
                else:
                    self.download(message.item_id, enclosure)

        self.screen.app.push_screen(listing, chosen)

    def play(self, enclosure: Enclosure, download: Download | None) -> None:
        """Start the player on the file (when downloaded) or the URL."""
        what = target(self.queue.downloads.root, download, enclosure.url)
        try:
            play(self.screen.ctx.config.enclosures.player, what)
        except Exception as exc:  # no player configured, or it would not start: one line
            self.screen.notify(one_line(str(exc)), severity="warning")
            return
        self.screen.notify(f"Playing {one_line(what)[-60:]}")

    def download(self, item_id: int, enclosure: Enclosure) -> None:
        """Queue one enclosure (P shows it)."""
        if not self.screen.ctx.network:
            self.screen.notify("Downloads need the network (not in the demo)")
            return
        queue = self.queue

        def add() -> Notice:
            queued = queue.downloads.queue(item_id, [enclosure.url])
            queue.add(queued)
            return Notice("Downloading (P shows the queue)")

        self.screen.runner.work(add, "downloads", exclusive=False)

    def resume(self) -> None:
        """Take up the downloads a session that ended before they finished left queued (their
        .part files resume with a Range request)."""
        if not self.screen.ctx.network:
            return
        queue = self.queue

        def load() -> None:
            queue.add(queue.downloads.waiting())

        self.screen.runner.work(load, "downloads", exclusive=False)

    # ---- P --------------------------------------------------------------------------------
    def show_queue(self) -> None:
        """P: the download queue."""
        from reader.ui.screens.podcasts import DownloadsScreen

        self.screen.app.push_screen(DownloadsScreen(self.queue))

    # ---- W --------------------------------------------------------------------------------
    def save_page(self) -> None:
        """W: ask for an address, then save its story in the background."""
        from reader.ui.screens.dialogs import Prompt

        if not self.screen.ctx.network:
            self.screen.notify("Saving pages needs the network (not in the demo)")
            return
        ctx = self.screen.ctx

        def save(url: str | None) -> None:
            address = (url or "").strip()
            if not address:
                return
            if not address.lower().startswith(("http://", "https://")):
                self.screen.notify("Only http and https pages can be saved", severity="warning")
                return

            async def job() -> Notice:
                from reader.saving import save_page
                from reader.ui.context import start_process_helpers

                start_process_helpers()  # the story is extracted in a worker process
                saved = await save_page(ctx.config, ctx.store, address)
                verb = "Saved again" if saved.again else "Saved"
                return Notice(f"{verb}: {one_line(saved.title)[:80]} (in Bookmarks)")

            self.screen.runner.work_async(AsyncJob(job), "save-page")

        prompt = Prompt("Save a page", SAVE_HINT, placeholder="https://", id="save-page-prompt")
        self.screen.app.push_screen(prompt, save)
