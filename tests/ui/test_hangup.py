"""The reader in a real pseudo-terminal: a closed terminal or a SIGTERM ends it within seconds,
whether or not a SIGHUP reaches it, and it leaves its store unlocked and whole."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from reader.store.db import Store

pytestmark = pytest.mark.skipif(
    not Path("/usr/bin/setsid").exists() or not Path("/proc/self/environ").exists(),
    reason="Linux terminals (util-linux setsid, /proc)",
)


def start(home: Path, *args: str, told: bool = True) -> tuple[int, int]:
    """Start `tidings ARGS` on a new 100x30 terminal; returns (pid, master). With `told`, the
    reader is the terminal's controlling process (a hangup sends it SIGHUP); else it runs in a
    session of its own on that terminal, which no hangup signal reaches (as happened under
    `make run` in a tmux pane that was killed)."""
    argv = [sys.executable, "-m", "reader", *args]
    pid, master = pty.fork()
    if pid == 0:
        env = {**os.environ, "TIDINGS_HOME": str(home), "TERM": "xterm-256color"}
        if not told:
            argv = ["/usr/bin/setsid", "--fork", "--wait", *argv]
        os.execve(argv[0], argv, env)
    os.set_blocking(master, False)
    import termios

    termios.tcsetwinsize(master, (30, 100))
    return pid, master


def read_until(master: int, text: bytes, timeout: float = 30.0) -> bytes:
    seen = b""
    end = time.monotonic() + timeout
    while text not in seen:
        assert time.monotonic() < end, f"no {text!r} on the screen: {seen[-500:]!r}"
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
    return seen


def reader_pid(home: Path) -> int:
    """The process running the reader on `home`."""
    wanted = f"TIDINGS_HOME={home}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes().split(b"\0")
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if wanted in environ and b"setsid" not in cmdline:
                return int(entry.name)
    raise AssertionError("the reader is not running")


def gone(pid: int, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("told", [True, False])
def test_closing_the_terminal_ends_the_reader(tmp_path: Path, told: bool) -> None:
    pid, master = start(tmp_path, told=told)
    try:
        read_until(master, b"Welcome")
        reader = reader_pid(tmp_path)
    finally:
        os.close(master)  # the terminal window closes
    try:
        assert gone(reader, 10.0), "the reader outlived its terminal"
    finally:
        for p in {pid, reader}:
            with_kill(p)
    with Store.open(tmp_path / "data" / "tidings.db") as store:  # unlocked and whole
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sigterm_ends_the_reader_normally(tmp_path: Path) -> None:
    pid, master = start(tmp_path)
    try:
        read_until(master, b"Welcome")
        os.kill(pid, signal.SIGTERM)
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0  # a normal exit
    finally:
        os.close(master)
        with_kill(pid)
    with Store.open(tmp_path / "data" / "tidings.db") as store:
        assert store.feeds() == []


def with_kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
