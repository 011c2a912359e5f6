"""One refresh or sync at a time, as cron meets a person: `tidings refresh` started while a real
`tidings refresh` process runs waits for it, then fetches only the feeds it left unchecked (none
twice); `--no-wait` leaves the work to it (a note, exit 0); a wait that runs out is exit 1 with
one line. The first refresh hangs on a feed the loopback server answers only when the test says."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader.cli import main
from reader.store.db import Store
from reader.store.lock import JobLock
from tests.hostile.conftest import FAST_TOML, cli, db_path, spawn, write_config
from tests.loopback import Handler, Loopback, send


def rss(title: str, guid: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}'
        f"</title><item><title>{guid} 新闻</title><guid>{guid}</guid></item></channel></rss>"
    ).encode()


def gated(gate: threading.Event, body: bytes) -> Handler:
    """Answers once `gate` is set (at most 30 s later)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        gate.wait(30)
        send(h, 200, body, "application/rss+xml")

    return handle


class Running:
    """A real `tidings refresh` holding the refresh lock, hung on /slow.xml until `gate`."""

    def __init__(self, home: Path, server: Loopback) -> None:
        self.gate = threading.Event()
        self.slow = server.route("/slow.xml", gated(self.gate, rss("Slow", "s1")))
        self.quick = server.serve("/quick.xml", rss("Quick 快报", "q1"))
        with Store.open(db_path(home)) as store:
            store.add_feed(self.slow)
            store.add_feed(self.quick)
        self.lock = db_path(home).with_name("tidings.db.refresh.lock")
        self.proc = spawn("refresh")
        self.wait_until_holding()

    def wait_until_holding(self) -> None:
        while not (self.lock.exists() and self.lock.read_text().strip() == str(self.proc.pid)):
            assert self.proc.poll() is None, self.proc.communicate()
            threading.Event().wait(0.01)

    def finish(self) -> subprocess.CompletedProcess[str]:
        self.gate.set()
        out, err = self.proc.communicate(timeout=60)
        return subprocess.CompletedProcess(self.proc.args, self.proc.returncode, out, err)


@pytest.fixture
def running(tidings_home: Path, server: Loopback) -> Iterator[Running]:
    write_config(tidings_home, FAST_TOML.replace("timeout = 2.0", "timeout = 60.0"))
    first = Running(tidings_home, server)
    try:
        yield first
    finally:
        first.gate.set()
        first.proc.kill()
        first.proc.communicate(timeout=60)


def release_once_waiting(running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    """When this process first finds the lock taken (it waits), the first refresh may finish."""
    tried = JobLock._try

    def waiting(lock: JobLock) -> int | None:
        fd = tried(lock)
        if fd is None:
            running.gate.set()
        return fd

    monkeypatch.setattr(JobLock, "_try", waiting)


def test_a_second_refresh_waits_then_fetches_only_what_the_first_left(
    running: Running, server: Loopback, tidings_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = server.serve("/late.xml", rss("Late 晚报", "l1"))
    with Store.open(db_path(tidings_home)) as store:
        store.add_feed(late)  # subscribed after the first refresh listed its feeds

    release_once_waiting(running, monkeypatch)
    second = cli("refresh", "--json")
    first = running.finish()
    assert first.returncode == 0, first.stderr
    assert second.code == 0, second.err
    report = json.loads(second.out)
    assert report["waited"] is True
    assert (report["feeds"], report["new_items"]) == (1, 1)  # the late feed only
    assert server.hits == {"/slow.xml": 1, "/quick.xml": 1, "/late.xml": 1}  # none twice


def test_a_refresh_that_waited_says_so(running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    release_once_waiting(running, monkeypatch)
    second = cli("refresh")
    assert second.code == 0 and second.err == "", second
    assert second.out.splitlines() == [
        f"waited for the refresh or sync running (pid {running.proc.pid}); then fetched the"
        " feeds it had not checked",
        second.out.splitlines()[1],
    ]
    assert second.out.splitlines()[1].startswith("0 feeds: 0 new items, 0 not modified")
    assert running.finish().returncode == 0


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_wait_is_said(running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    release_once_waiting(running, monkeypatch)
    err = Terminal()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        assert main(["refresh"]) == 0
    assert err.getvalue() == (
        f"tidings: another refresh or sync runs on this store (pid {running.proc.pid}): waiting"
        " for it (--no-wait: not)\n"
    )
    assert running.finish().returncode == 0


def test_no_wait_leaves_the_work_to_the_running_refresh(running: Running, server: Loopback) -> None:
    second = cli("refresh", "--no-wait", "--json")
    assert second.code == 0
    assert json.loads(second.out) == {"feeds": 0, "new_items": 0, "not_modified": 0, "failed": 0,
                                      "seconds": 0.0, "running_elsewhere": running.proc.pid}  # fmt: skip
    assert second.err == (
        f"tidings: another refresh or sync runs on this store (pid {running.proc.pid});"
        " leaving it to that one\n"
    )
    assert running.proc.poll() is None  # still refreshing, undisturbed
    assert running.finish().returncode == 0
    assert server.hits == {"/slow.xml": 1, "/quick.xml": 1}


def test_a_wait_that_runs_out_is_exit_1_with_one_line(running: Running, tidings_home: Path) -> None:
    second = cli("refresh", "--wait", "0.3")
    assert second.code == 1 and second.out == ""
    assert second.err == (
        f"tidings: a refresh of {db_path(tidings_home).resolve()} is already running (pid"
        f" {running.proc.pid}) (waited 0.3 s); what it stores shows in the open reader as it"
        " lands\n"
    )
    assert running.finish().returncode == 0


@pytest.mark.parametrize(
    "args", [("--wait", "-1"), ("--wait", "soon"), ("--wait", "1", "--no-wait")]
)
def test_wait_options_misused_are_usage_errors(args: tuple[str, ...]) -> None:
    ran = cli("refresh", *args)
    assert ran.code == 2 and ran.out == ""
    assert ran.err.startswith("tidings refresh: ") and ran.err.count("\n") == 1, ran.err
