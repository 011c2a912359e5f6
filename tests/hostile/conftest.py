"""Helpers for the hostile-input suite (issue 6): fixtures from tests/data/hostile, a short-deadline
config, the CLI run in-process or as a real `python -m reader`, and checks that text is inert."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reader.cli import main
from reader.config import Config, FetchConfig, ParseConfig
from reader.models import Feed, RefreshReport
from reader.service import Service
from reader.store.db import Store
from tests.loopback import Loopback

DATA = Path(__file__).parent.parent / "data" / "hostile"
ROOT = Path(__file__).parent.parent.parent
MIB = 1024 * 1024

# Short limits keep the suite fast; each test that needs other ones says so.
FAST = Config(
    fetch=FetchConfig(timeout=2.0, connect_timeout=1.0, max_bytes=2 * MIB),
    parse=ParseConfig(workers=1, deadline=5.0),
)
FAST_TOML = """
[fetch]
timeout = 2.0
connect_timeout = 1.0
max_bytes = 2097152
[parse]
workers = 1
deadline = 5.0
[fulltext]
bookmarks = false
"""

# What must never reach a terminal: C0 controls but \t and \n (ESC starts every escape
# sequence), DEL, C1 controls, bidirectional overrides, embeddings, isolates and marks.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def data(name: str) -> bytes:
    """A fixture file's bytes."""
    return (DATA / name).read_bytes()


def assert_inert(text: str, where: str = "") -> None:
    """`text` holds nothing a terminal would act on."""
    found = UNSAFE.search(text)
    assert found is None, (
        f"{where}: {found.group()!r} in {text[max(0, found.start() - 40) :][:100]!r}"
    )


def json_strings(value: Any) -> Iterator[str]:
    """Every string (keys too) inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from json_strings(v)


@dataclass(frozen=True)
class Ran:
    """A finished command: exit code and what it printed."""

    code: int
    out: str
    err: str


def cli(*args: str) -> Ran:
    """`tidings ARGS` in this process (TIDINGS_HOME is the test's own)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return Ran(code, out.getvalue(), err.getvalue())


def tidings(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60, **kw: Any
) -> subprocess.CompletedProcess[str]:
    """A real `python -m reader ARGS` process."""
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        env=env or dict(os.environ),
        cwd=ROOT,
        timeout=timeout,
        **kw,
    )


def spawn(*args: str, **kw: Any) -> subprocess.Popen[str]:
    """A real `python -m reader ARGS` process, left running."""
    return subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        **kw,
    )


def refresh(
    store: Store, config: Config = FAST, feeds: Sequence[Feed] | None = None
) -> RefreshReport:
    """A real refresh (fetcher, parser processes, group writer) of `store`."""
    return asyncio.run(Service(config, store).refresh(feeds))


def db_path(home: Path) -> Path:
    """The store the CLI uses under TIDINGS_HOME=home."""
    return home / "data" / "tidings.db"


def write_config(home: Path, text: str = FAST_TOML) -> Path:
    """config.toml under TIDINGS_HOME=home."""
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def copy_home(source: Path, home: Path) -> None:
    """Another TIDINGS_HOME with the same files (a seeded store reused by many tests)."""
    shutil.copytree(source, home, dirs_exist_ok=True)


def without_file_privileges() -> None:
    """preexec_fn: drop root's power to ignore file permissions (CAP_DAC_OVERRIDE,
    CAP_DAC_READ_SEARCH, CAP_FOWNER) from the bounding set, so that after exec a 0444 file or a
    0555 directory is read-only even for root, as for everyone else. A no-op for other users."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for capability in (1, 2, 3):
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@functools.cache
def can_drop_file_privileges() -> bool:
    """Whether `without_file_privileges` works here (a container may forbid it)."""
    try:
        subprocess.run(["true"], preexec_fn=without_file_privileges, check=True)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def integrity(path: Path) -> str:
    """PRAGMA integrity_check of the store at `path` ("ok" when sound)."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return ", ".join(r[0] for r in conn.execute("PRAGMA integrity_check").fetchall())
    finally:
        conn.close()


def bookmarked(path: Path) -> set[int]:
    """The ids of the bookmarked items in the store at `path` (read with plain sqlite3)."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM items WHERE bookmarked = 1")}
    finally:
        conn.close()


def json_out(ran: Ran) -> Any:
    """The JSON a command printed, checked to hold only inert strings."""
    value = json.loads(ran.out)
    for text in json_strings(value):
        assert_inert(text, "json")
    assert "\\u001b" not in ran.out and "\\u009b" not in ran.out
    return value


def quiet_loopback() -> Loopback:
    """The loopback server, minus the tracebacks its threads print when a client hangs up (the
    tests hang up on purpose, and cli() captures stderr while they run)."""
    server = Loopback()
    setattr(server.httpd, "handle_error", lambda request, address: None)  # noqa: B010
    return server


@pytest.fixture
def server() -> Iterator[Loopback]:
    """A real HTTP server on 127.0.0.1 (tests/loopback.py), quiet about hang-ups."""
    srv = quiet_loopback()
    yield srv
    srv.close()


@pytest.fixture
def home(tidings_home: Path) -> Path:
    """TIDINGS_HOME with the fast config written."""
    write_config(tidings_home)
    return tidings_home
