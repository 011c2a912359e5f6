"""First paint: `tidings` on a big store beside a minimal Textual app, each in a pseudo-terminal.

Each run spawns the program in a 140×40 pty (TERM=xterm-256color) and reads what it writes:

- `frame`: the first full-screen frame (the first write that homes the cursor and draws);
- `paint`: the first frame with the footer's keys on it (Textual draws the footer one frame
  after the layout; "Quit" is in both footers): the figure the ≤1.5× target is about;
- `headlines` (tidings only): the status line shows the list's size, i.e. headlines are there.

tidings' modules are byte-compiled first (`common.compile_reader`), as an installed copy's are.
Then its peak RSS is read (VmHWM in /proc: not wait4's, which on Linux also counts the forked
benchmark process's own memory from before the exec) and `q` quits it. The minimal app is a few Static widgets and a
Footer (the issue's yardstick); the two alternate, `runs` times each, at each store size, and
the figures are medians. The stores come from benchmarks.make_store (kept in the temp dir like
the search benchmark's); each is copied once into a home of its own whose feeds point at a
closed loopback port, so the refresh `tidings` starts with runs as it would offline, fails
fast, and never touches the network or the search benchmark's store.
"""

from __future__ import annotations

import fcntl
import os
import select
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import (
    ROOT,
    Record,
    at_most,
    compile_reader,
    free_port,
    median_spread,
    record,
)
from benchmarks.search import _store

SIZES = (25_000, 250_000)
COLUMNS, LINES = 140, 40
TIMEOUT = 30.0  # seconds a program may take to paint before the run counts as failed
LINGER = 1.0  # seconds after the paint before `q`: what loads next counts in the peak RSS
TARGET = 1.5  # tidings' paint at most this many times the minimal app's

ROWS = 15  # headline rows the first useful view shows
MINIMAL = f"""
from textual.app import App
from textual.widgets import Footer, Static

class Minimal(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Static("Feeds")
        for n in range({ROWS}):
            yield Static(f"headline {{n:02}} of the minimal app")
        yield Static("Story")
        yield Footer()

Minimal().run()
"""
MINIMAL_ROWS = [f"headline {n:02} of the minimal app" for n in range(ROWS)]


@dataclass(frozen=True)
class View:
    """What the first useful view shows: these texts, each on a line of its own (headline
    rows), and these on one line together (a count beside its label)."""

    rows: list[str]
    counts: list[tuple[str, str]]

    def seen(self, lines: list[str]) -> bool:
        """Whether the screen's lines show it all."""
        rows = [r for r in self.rows if any(r in line for line in lines)]
        counts = [c for c in self.counts if any(c[0] in x and c[1] in x for x in lines)]
        return len(rows) == len(self.rows) and len(counts) == len(self.counts)


@dataclass(frozen=True)
class Paint:
    """One run: seconds from spawn to each milestone (None: never seen), peak RSS in MB."""

    frame: float | None
    paint: float | None
    headlines: float | None
    rss_mb: float
    useful: float | None = None  # the first useful view (`View`) on the screen


MARKS = {"frame": b"\x1b[1;1H", "paint": b"Quit", "headlines": b" stories"}


def run_in_pty(argv: list[str], env: dict[str, str], view: View | None = None) -> Paint:
    """Run `argv` in a pty until it has painted (and shown `view`), then quit it with `q`.
    What it writes goes through a terminal emulator (pyte), so `view` is read off the screen
    as a person would see it."""
    import pyte

    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.ByteStream(screen)
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True, close_fds=True)  # fmt: skip
    os.close(slave)
    seen: dict[str, float] = {}
    output = b""
    try:
        while True:
            now = time.perf_counter() - started
            last = "useful" if view is not None else "paint"
            if now > TIMEOUT or (last in seen and now > seen[last] + LINGER):
                break
            if select.select([master], [], [], 0.02)[0]:
                try:
                    chunk = os.read(master, 1 << 16)
                except OSError:
                    break
                now = time.perf_counter() - started
                output += chunk
                stream.feed(chunk)
                seen |= {k: now for k, mark in MARKS.items() if k not in seen and mark in output}
                if view is not None and "useful" not in seen and view.seen(lines_of(screen)):
                    seen["useful"] = time.perf_counter() - started
        rss = peak_rss_mb(proc.pid)
        os.write(master, b"q")
        _wait(proc)
    finally:
        os.close(master)
    return Paint(seen.get("frame"), seen.get("paint"), seen.get("headlines"), rss,
                 seen.get("useful"))  # fmt: skip


def lines_of(screen: Any) -> list[str]:
    """The text of a pyte screen's lines. Not `screen.display`: pyte 0.8 fails on the empty
    stub a wide (CJK) character leaves in the next cell once a narrow one overwrites the wide
    one (an IndexError that ended a run); a stub is "" here, so the text is the same."""
    return ["".join(row[x].data for x in range(screen.columns))
            for row in (screen.buffer[y] for y in range(screen.lines))]  # fmt: skip


def peak_rss_mb(pid: int) -> float:
    """The peak resident set of a running process, in MB (0.0 if it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) / 1024


def _wait(proc: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """Wait for the child to quit (killing it after `grace` seconds)."""
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def paint_home(items: int, seed: int = 5) -> Path:
    """A TIDINGS_HOME holding a copy of the benchmark store of this size, its feeds offline."""
    home = Path(tempfile.gettempdir()) / f"tidings-bench-paint-{items}-{seed}"
    done = home / "complete"
    source = _store(items, seed)  # brought up to date (migrated, indexed) first
    copied = f"{source.stat().st_size} {source.stat().st_mtime_ns}\n"  # which state of it
    if not done.exists() or done.read_text() != copied:
        shutil.rmtree(home, ignore_errors=True)
        (home / "data").mkdir(parents=True)
        print(f"copying the {items}-item store into {home}", file=sys.stderr)
        shutil.copyfile(source, home / "data" / "tidings.db")
        done.write_text(copied)
    with sqlite3.connect(home / "data" / "tidings.db") as conn:  # a closed port: refused at once
        conn.execute("UPDATE feeds SET url = ? || id, retry_after = NULL, error_streak = 0,"
                     " last_error = ''", (f"http://127.0.0.1:{free_port()}/feed/",))  # fmt: skip
    (home / "data" / "ui-state.json").unlink(missing_ok=True)
    return home


def useful_view(home: Path) -> View:
    """The reader's first useful view on this home's store: the first ROWS headlines of All
    (the start of each title) and the feed pane's Unread count."""
    from reader.textsafe import one_line

    with sqlite3.connect(home / "data" / "tidings.db") as conn:
        titles = [one_line(r[0])[:6] for r in conn.execute(
            "SELECT title FROM items ORDER BY published DESC, id DESC LIMIT ?", (ROWS,))]  # fmt: skip
        unread = conn.execute("SELECT count(*) FROM items WHERE read = 0").fetchone()[0]
    return View(titles, [("Unread", f"{unread:,}")])


def _medians(runs: list[Paint]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("frame", "paint", "headlines", "useful"):
        values = [getattr(r, name) for r in runs if getattr(r, name) is not None]
        if values:
            median, spread = median_spread(values)
            out[name] = {"ms": median * 1000, "spread_ms": spread * 1000}
    out["rss_mb"] = statistics.median(r.rss_mb for r in runs)
    out["failed"] = sum(r.paint is None for r in runs)
    return out


def run(runs: int = 3, sizes: tuple[int, ...] = SIZES) -> dict[str, Any]:
    """Alternate the minimal app and `tidings` `runs` times at each store size."""
    python = sys.executable
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
    env.pop("TEXTUAL", None)
    compile_reader()
    result: dict[str, Any] = {"columns": COLUMNS, "lines": LINES, "runs": runs, "sizes": {}}
    for items in sizes:
        home = paint_home(items)
        reader_env = env | {"TIDINGS_HOME": str(home), "PYTHONPATH": str(ROOT)}
        minimal: list[Paint] = []
        reader: list[Paint] = []
        view, yardstick = useful_view(home), View(MINIMAL_ROWS, [])
        run_in_pty([python, "-c", MINIMAL], env, yardstick)  # warm-up: imports in the cache
        run_in_pty([python, "-m", "reader"], reader_env, view)
        for _ in range(max(1, runs)):
            minimal.append(run_in_pty([python, "-c", MINIMAL], env, yardstick))
            reader.append(run_in_pty([python, "-m", "reader"], reader_env, view))
        mine, theirs = _medians(reader), _medians(minimal)
        ratio = useful = None
        if "paint" in mine and "paint" in theirs:
            ratio = mine["paint"]["ms"] / theirs["paint"]["ms"]
        if "useful" in mine and "useful" in theirs:
            useful = mine["useful"]["ms"] / theirs["useful"]["ms"]
        result["sizes"][str(items)] = {"tidings": mine, "minimal": theirs, "ratio": ratio,
                                       "useful_ratio": useful}  # fmt: skip
    return result


def _ms(fig: dict[str, Any], name: str) -> str:
    return f"{fig[name]['ms']:.0f} ms ±{fig[name]['spread_ms']:.0f}" if name in fig else "-"


def records(r: dict[str, Any]) -> list[Record]:
    """The figures: paint against the minimal app, and peak RSS, per store size."""
    out = []
    for items, fig in r["sizes"].items():
        mine, theirs, ratio = fig["tidings"], fig["minimal"], fig["ratio"]
        size = f"{int(items):,} items"
        runs = len(range(r["runs"]))
        check = f"{runs - mine['failed']} of {runs} runs painted the footer"
        shown = mine.get("paint", {})
        base = theirs.get("paint", {})
        out.append(record("paint", f"first paint, {size}, ÷ a minimal Textual app", ratio, "x",
                          f"≤ {TARGET}×", at_most(ratio, TARGET), check,
                          baseline=f"{shown.get('ms', 0):.0f} ms vs {base.get('ms', 0):.0f} ms"))  # fmt: skip
        useful, seen, yard = (
            fig.get("useful_ratio"),
            mine.get("useful", {}),
            theirs.get("useful", {}),
        )
        out.append(record("paint", f"first useful view ({ROWS} headlines and the feed counts on "
                          f"screen), {size}, ÷ a minimal Textual app drawing {ROWS} rows", useful,
                          "x", f"≤ {TARGET}×", at_most(useful, TARGET),
                          f"read off a {COLUMNS}×{LINES} terminal emulator (pyte); {check}",
                          baseline=f"{seen.get('ms', 0):.0f} ms vs {yard.get('ms', 0):.0f} ms"))  # fmt: skip
        out.append(record("paint", f"peak RSS, {size}", mine["rss_mb"], "MB", "≤ 150 MB",
                          at_most(mine["rss_mb"], 150), check,
                          baseline=f"minimal app {theirs['rss_mb']:.0f} MB"))  # fmt: skip
    return out


if __name__ == "__main__":
    import json

    sizes = tuple(int(a) for a in sys.argv[1:]) or SIZES
    print(json.dumps(run(sizes=sizes), indent=2))
