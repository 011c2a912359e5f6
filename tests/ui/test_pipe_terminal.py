"""`|` in a real terminal: the reader steps aside (App.suspend) and the command gets the
terminal, cooked as a shell leaves it, as a pager would; when the command exits the reader
comes back whole and answers keys. Driven in a pseudo-terminal, as test_hangup.py does."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from tests.ui.test_hangup import pytestmark, read_until, start, with_kill

__all__ = ["pytestmark"]  # Linux terminals only, as test_hangup

PAGER = """import json, os, sys, termios
story = sys.stdin.buffer.read().decode("utf-8")
tty = os.open("/dev/tty", os.O_RDWR)  # a pager reads its keys from the terminal, as less does
flags = termios.tcgetattr(tty)[3]
os.write(tty, "PAGER HAS THE TERMINAL 终端\\r\\n".encode())
key = os.read(tty, 16).decode().strip()
record = {"story": story, "key": key, "echo": bool(flags & termios.ECHO),
          "canonical": bool(flags & termios.ICANON), "stdout_tty": os.isatty(1)}
open(sys.argv[1], "w", encoding="utf-8").write(json.dumps(record))
"""


def exit_status(pid: int, timeout: float) -> int | None:
    """The wait status of child `pid` once it exits (None: still running after `timeout`)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.05)
    return None


def test_pipe_gives_the_command_the_terminal_and_the_reader_comes_back(tmp_path: Path) -> None:
    script, out = tmp_path / "pager.py", tmp_path / "piped.json"
    script.write_text(PAGER, encoding="utf-8")
    (tmp_path / "config").mkdir()
    argv = json.dumps([sys.executable, str(script), str(out)])
    (tmp_path / "config" / "config.toml").write_text(f"[pipe]\ncommands = [{argv}]\n", "utf-8")
    pid, master = start(tmp_path, "demo")
    try:
        read_until(master, b"Welcome to tidings")
        os.write(master, b"|")  # the story under the cursor, to the pager
        read_until(master, "PAGER HAS THE TERMINAL 终端".encode())
        os.write(master, b"q\r")  # the pager's key: the pager reads it, not the reader
        read_until(master, b"Welcome to tidings")  # the reader drew itself again
        os.write(master, b"?")  # and answers keys
        read_until(master, b"tidings keys")
        os.write(master, b"q")  # closes the help
        read_until(master, b"Welcome to tidings")
        os.write(master, b"q")  # quits
        status = exit_status(pid, 30.0)
        assert status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    finally:
        os.close(master)
        with_kill(pid)
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["story"].startswith("Welcome to tidings\n"), got["story"][:200]
    assert got["key"] == "q"  # the reader did not take the pager's key (nor quit on it)
    assert got["echo"] and got["canonical"] and got["stdout_tty"]  # the terminal, as a shell's
