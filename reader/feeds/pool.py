"""Parsing in worker processes: both cores work, the event loop never blocks on a parse,
and a parse that passes its deadline (or its memory limit) is killed, not waited for.

Two kinds of work: feed bodies (`parse`) and article pages (`extract`: trafilatura, whose
fallback is quadratic in a page's blocks, took over ten minutes on a 3 MB page of 100,000 tiny
tables; in a thread that could be neither stopped nor waited out).

concurrent.futures' ProcessPoolExecutor cannot stop one running task, so this is a small pool
of our own: each worker is a process with a pipe; a task that overruns gets its worker killed
and replaced, and the caller a ParseError. Other tasks are not affected.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import pickle
import resource
import socket
import sys
import threading
import zlib
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING

from reader.errors import ParseError
from reader.feeds.decode import BodyTooLarge, decode_body
from reader.indextext import with_index  # the items' search index text, computed here
from reader.models import ParsedFeed

if TYPE_CHECKING:
    from reader.articles.article import Article
    from reader.rulematch import Matcher

GIB = 1024**3
PIPE_BUFFER = 60 * 1024  # a request this small goes through the socket pair without blocking
DEPTH = 2  # jobs a worker may have in hand: the next one waits in its pipe, not in our loop
SOCKET_BUFFER = 2 * 2**20  # asked of the worker's socket pair (Linux caps it at wmem_max)
WORKER_MEMORY = 2 * GIB  # address-space limit of one parser process


def parse_feed(body: bytes, headers: Mapping[str, str], url: str) -> ParsedFeed:
    """feeds.parse.parse_feed, imported by the worker that first needs it: the parser and what
    it brings (lxml, feedparser, ftfy, charset_normalizer: ~0.1-0.2 s) are not loaded by the
    refresh's own process, which never parses, nor by a refresh that only gets 304s."""
    from reader.feeds.parse import parse_feed as parse

    return parse(body, headers, url)


def _decode_and_parse(
    body: bytes,
    headers: dict[str, str],
    url: str,
    encoding: str,
    cap: int,
    terms: tuple[Matcher, ...] = (),
) -> ParsedFeed:
    if encoding:
        try:
            body = decode_body(body, encoding, cap)
        except BodyTooLarge:
            raise ParseError(f"body larger than {cap / 2**20:g} MiB once decompressed") from None
        except (ValueError, zlib.error) as exc:
            raise ParseError(f"undecodable body: {exc}") from None
    if not terms:
        return with_index(parse_feed(body, headers, url))
    from reader.rulematch import TermsHeld  # which rules' words each item holds

    return with_index(parse_feed(body, headers, url), TermsHeld(terms))


def _extract_page(body: bytes, content_type: str, url: str) -> Article | None:
    from reader.articles.extract import extract_page  # preloaded by a forkserver

    return extract_page(body, content_type or None, url)


_TASKS: dict[str, Callable[..., object]] = {"feed": _decode_and_parse, "page": _extract_page}


def _silence() -> None:
    """Point the worker's stdout and stderr at /dev/null. It inherits the terminal's: anything
    a parser library prints (a warning, a crash report) would scribble over the reader's screen.
    Whatever goes wrong comes back to the parent as an answer or a ParseError instead."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.close(null)
        # Python-level streams too: a TUI (or a test runner) may have replaced them with
        # objects that write elsewhere than file descriptors 1 and 2
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: PTH123, SIM115 (for good)


def _serve(conn: Connection, parent_end: Connection, memory: int) -> None:
    """A worker's loop: read (task, arguments) (a feed: body, headers, url, encoding, cap; a
    page: body, content type, url), do it, answer ("ok", result) or ("error", text). The
    parent's end of the pipe, which a fork copies, is closed first: when the parent dies (even
    by SIGKILL) the worker reads EOF and ends, not lingers."""
    parent_end.close()
    _silence()
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    while True:
        try:
            request = pickle.loads(conn.recv_bytes())  # noqa: S301 (our own pipe)
        except (EOFError, OSError):
            return
        task, arguments = request
        try:
            answer: tuple[str, object] = ("ok", _TASKS[task](*arguments))
        except ParseError as exc:
            answer = ("error", str(exc))
        except MemoryError:
            answer = ("error", "parsing needed more memory than allowed")
        except Exception as exc:  # a parser bug must not take the worker down
            answer = ("error", f"parser failed: {type(exc).__name__}: {exc}")
        conn.send_bytes(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


def _roomy(conn: Connection) -> None:
    """Let one message of up to SOCKET_BUFFER bytes go through the socket pair at once: a
    parsed feed (~300 KB with its index text) otherwise crosses in slices of ~200 KB, the
    worker and the event loop waking each other for each (on a busy machine every wake-up
    waits for a core, and the worker sits idle with its answer half sent)."""
    with contextlib.suppress(OSError, ValueError):
        sock = socket.socket(fileno=os.dup(conn.fileno()))
        with sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SOCKET_BUFFER)


class _Requeue(Exception):
    """The worker was retired before it began this job: run it on another one."""


@dataclass(eq=False)
class _Job:
    """A request sent to a worker: `started` resolves when the worker begins on it (it is
    first in the worker's line), `answer` when its answer arrives."""

    started: asyncio.Future[None]
    answer: asyncio.Future[tuple[str, object]]


class _Worker:
    def __init__(self, ctx: multiprocessing.context.BaseContext) -> None:
        here, there = ctx.Pipe()
        _roomy(here)
        _roomy(there)
        vm = _current_vm()
        self.process: BaseProcess = ctx.Process(  # type: ignore[attr-defined]
            target=_serve, args=(there, here, vm + WORKER_MEMORY), daemon=True, name="tidings-parse"
        )
        self.process.start()
        there.close()
        self.conn = here
        self.line: deque[_Job] = deque()  # sent and not answered yet, oldest first
        self.sending = asyncio.Lock()  # one message at a time on the pipe
        self.listening = False
        self.alive = True

    def kill(self) -> None:
        self.alive = False
        if self.listening:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self.conn.fileno())
            self.listening = False
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        for job in self.line:  # the first was running (it failed); the others never began
            with contextlib.suppress(RuntimeError):  # the loop is gone: no one waits
                if not job.started.done():
                    job.started.set_exception(_Requeue())
                    job.answer.cancel()
                elif not job.answer.done():
                    job.answer.set_exception(EOFError())
        self.line.clear()


def _current_vm() -> int:
    try:
        with open("/proc/self/statm") as f:  # noqa: PTH123
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


class ParsePool:
    """A pool of parser processes with a per-parse deadline. Workers start on first use."""

    def __init__(self, workers: int = 0, deadline: float = 30.0) -> None:
        self.size = workers or os.cpu_count() or 2
        self.deadline = deadline
        # each live worker is in here DEPTH times less the jobs it has in hand
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self._ctx: multiprocessing.context.BaseContext | None = None

    def _context(self) -> multiprocessing.context.BaseContext:
        if self._ctx is None:
            # fork is fastest; with other threads about (the TUI), a forkserver is the safe way.
            method = "fork" if threading.active_count() == 1 else "forkserver"
            self._ctx = multiprocessing.get_context(method)
            if method == "forkserver":
                self._ctx.set_forkserver_preload(["reader.feeds.parse", "reader.articles.extract"])
        return self._ctx

    def start(self) -> None:
        """Start the workers now (optional: parse() starts them when first needed)."""
        if self._idle is None:
            self._idle = asyncio.Queue()
            for _ in range(self.size):
                self._spawn()

    def _spawn(self) -> None:
        assert self._idle is not None
        worker = _Worker(self._context())
        self._all.append(worker)
        for _ in range(DEPTH):
            self._idle.put_nowait(worker)

    def _retire(self, worker: _Worker) -> None:
        if not worker.alive:
            return  # retired already (its reader saw the end, or another of its jobs failed)
        worker.kill()
        self._all.remove(worker)
        self._spawn()

    async def parse(
        self,
        body: bytes,
        headers: Mapping[str, str],
        url: str,
        *,
        encoding: str = "",
        cap: int = 16 * 2**20,
        terms: tuple[Matcher, ...] = (),
    ) -> ParsedFeed:
        """Parse one feed body in a worker (decoding it from a gzip/deflate `encoding` first,
        under `cap`); ParseError for a bad feed or an overrun. With `terms` (the rules' words and
        phrases, reader/rules.py), each item says which of them its text holds."""
        request = ("feed", (body, dict(headers), url, encoding, cap, terms))
        value = await self._run(request, "parsing")
        assert isinstance(value, ParsedFeed)
        return value

    async def extract(self, body: bytes, content_type: str, url: str) -> Article | None:
        """The story of an article page (None: the page holds none), extracted in a worker;
        ParseError for an overrun."""
        from reader.articles.article import Article

        value = await self._run(("page", (body, content_type, url)), "extracting the story")
        assert value is None or isinstance(value, Article)
        return value

    async def _run(self, request: tuple[str, tuple[object, ...]], doing: str) -> object:
        """Send `request` to a worker (one that has fewer than DEPTH jobs in hand, so that it
        never waits for the event loop between jobs) and await its answer; the deadline runs
        from when the worker begins on it."""
        self.start()
        assert self._idle is not None
        while True:
            worker = await self._idle.get()
            if not worker.alive:
                continue  # a retired worker's place
            try:
                job = await self._send(worker, request)
                await job.started
                kind, value = await asyncio.wait_for(job.answer, self.deadline)
            except _Requeue:
                continue
            except TimeoutError:
                self._retire(worker)
                raise ParseError(f"{doing} took longer than {self.deadline:g} s; stopped") from None
            except (EOFError, OSError, pickle.UnpicklingError):
                self._retire(worker)
                raise ParseError(f"the worker process died {doing} (out of memory?)") from None
            except BaseException:
                self._retire(worker)
                raise
            self._idle.put_nowait(worker)
            if kind == "error":
                raise ParseError(str(value))
            return value

    async def _send(self, worker: _Worker, request: object) -> _Job:
        loop = asyncio.get_running_loop()
        job = _Job(loop.create_future(), loop.create_future())
        data = pickle.dumps(request, protocol=5)
        async with worker.sending:
            if not worker.alive:
                raise _Requeue
            if not worker.listening:
                loop.add_reader(worker.conn.fileno(), self._answered, worker)
                worker.listening = True
            worker.line.append(job)
            if len(worker.line) == 1:
                job.started.set_result(None)
            if len(data) < PIPE_BUFFER:  # fits the pipe: the send does not block
                worker.conn.send_bytes(data)
            else:
                await loop.run_in_executor(None, worker.conn.send_bytes, data)
        return job

    def _answered(self, worker: _Worker) -> None:
        """The worker's pipe is readable: its oldest job's answer (or its end)."""
        if not worker.line:
            self._retire(worker)  # an answer nobody asked for, or EOF: it is not sound
            return
        job = worker.line[0]
        try:
            answer = pickle.loads(worker.conn.recv_bytes())  # noqa: S301 (our own pipe)
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            asyncio.get_running_loop().remove_reader(worker.conn.fileno())
            worker.listening = False
            if not job.answer.done():
                job.answer.set_exception(exc)  # its job's await retires the worker
            return
        worker.line.popleft()
        if not job.answer.done():
            job.answer.set_result(answer)
        if worker.line and not worker.line[0].started.done():
            worker.line[0].started.set_result(None)

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker."""
        for worker in self._all:
            worker.kill()
        self._all.clear()
        self._idle = None
