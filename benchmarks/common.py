"""Shared pieces of the benchmarks: the result record, the feed farm, timed child processes,
medians.

The result record (every benchmark reports through it; `python -m benchmarks` writes the records
to results.json and `python -m benchmarks.table` makes the README's table from that file):

    from benchmarks.common import record, at_most

    record("search", "p95 of 40 queries, 250,000 items", 12.8, "ms",
           target="< 15 ms", ok=12.8 < 15,
           check="every query's total equals a count by LIKE over the stored texts",
           baseline="LIKE scan 932 ms", spread=1.1)

- `bench`: the benchmark's name (`python -m benchmarks NAME`); `figure`: what was measured, with
  its size (one line, as the table shows it).
- `value` in `unit` ("s", "ms", "x" for a ratio, "MB", "" for a plain number such as F1).
  `None` when the run failed its check: a run that did not do its work is never timed; say why
  in `check` and set `ok=False`.
- `target`: the goal as text ("<= 0.20x newsboat's cold run"), "" when there is none; `ok`:
  whether this run met it (None: no target).
- `check`: what the run verified about its own work (counters, counts, hits), in a few words.
- `baseline`: what it is compared with, measured in the same invocation ("newsboat 9.8 s").
- `spread`: max - min over the runs, in `unit` (None: one run, or not meaningful).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout (/work/main), or beside the worktrees' folder (/work/wt/NAME)
SHARED = next(
    (p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
    ROOT.parent / "shared",
)
FEEDFARM = SHARED / "bench" / "feedfarm.py"
# fixtures that are slow to build (the 250,000-item store, the outside pages), kept between runs
# outside the repository: $TIDINGS_BENCH_CACHE, else ~/.cache/tidings-bench
CACHE = Path(os.environ.get("TIDINGS_BENCH_CACHE") or Path.home() / ".cache" / "tidings-bench")


def compile_reader() -> None:
    """Byte-compile tidings' modules, as installing it does (Textual and httpx, like every
    wheel, come compiled). The checkout is installed in editable mode, and with
    PYTHONDONTWRITEBYTECODE set no run ever writes the cache: every `python -m reader` the
    benchmarks spawn (the reader, `tidings refresh` and its parser processes) compiled each
    module from source again (callgrind: 570 M instructions, two thirds of a minimal Textual
    app's imports), which a person's installed tidings never does. Run once before any
    benchmark."""
    import compileall

    compileall.compile_dir(ROOT / "reader", quiet=1)


@dataclass(frozen=True)
class Record:
    """One figure of a benchmark run (see the module docstring); results.json keeps these."""

    bench: str
    figure: str
    value: float | None
    unit: str
    target: str = ""
    ok: bool | None = None
    check: str = ""
    baseline: str = ""
    spread: float | None = None


def record(
    bench: str,
    figure: str,
    value: float | None,
    unit: str,
    target: str = "",
    ok: bool | None = None,
    check: str = "",
    *,
    baseline: str = "",
    spread: float | None = None,
) -> Record:
    """A result record (see the module docstring for what each field means)."""
    if value is None and ok is None and target:
        ok = False  # a failed run never meets its target
    return Record(bench, figure, value, unit, target, ok, check, baseline, spread)


def at_most(value: float | None, limit: float) -> bool:
    """Whether a figure met an upper bound (a failed run, None, never does)."""
    return value is not None and value <= limit


class CheckFailed(Exception):
    """A benchmark run did not do the work it claims (its figure is reported as failed)."""


@dataclass(frozen=True)
class Run:
    """One timed child process."""

    wall: float
    cpu: float  # user + system seconds of the child and its children
    rss_mb: float  # peak resident set of the largest process in the tree
    code: int
    stdout: str


def timed(cmd: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run `cmd`, measuring wall time, CPU time and peak RSS (wait4 on the child)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_mb=usage.ru_maxrss / 1024,
        code=proc.returncode,
        stdout=out.decode("utf-8", "replace"),
    )


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Farm:
    """A running feedfarm (../shared/bench/feedfarm.py) on loopback."""

    def __init__(self, port: int, out: Path, proc: subprocess.Popen[bytes]) -> None:
        self.port, self.out, self.proc = port, out, proc
        self.base = f"http://127.0.0.1:{port}"

    def stats(self) -> dict[str, int]:
        with urllib.request.urlopen(f"{self.base}/stats", timeout=10) as r:
            data: dict[str, int] = json.load(r)
            return data

    def reset(self) -> None:
        urllib.request.urlopen(f"{self.base}/stats/reset", timeout=10).read()

    def warm(self, feeds: int) -> None:
        """Ask for every feed once: the farm builds and caches each feed's bytes on first
        request, and whichever reader ran first would otherwise pay for that."""

        def get(n: int) -> None:
            urllib.request.urlopen(f"{self.base}/feed/{n}.xml", timeout=60).read()

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(get, range(feeds)))
        self.reset()


@contextmanager
def farm(workdir: Path, feeds: int, items: int, delay_ms: float = 0.0) -> Iterator[Farm]:
    """Start the feed farm and stop it afterwards."""
    if not FEEDFARM.exists():
        raise SystemExit(f"benchmarks need {FEEDFARM}")
    port = free_port()
    out = workdir / f"farm-{feeds}x{items}-{port}"
    cmd = [sys.executable, str(FEEDFARM), "serve", "--feeds", str(feeds), "--items", str(items),
           "--port", str(port), "--out", str(out), "--delay-ms", str(delay_ms)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        proc.stdout.readline()  # "feedfarm: ... lists in OUT" once it listens
        running = Farm(port, out, proc)
        running.warm(feeds)
        yield running
    finally:
        proc.terminate()
        proc.wait()


def median_spread(values: Sequence[float]) -> tuple[float, float]:
    """The median and the spread (max - min) of a few measurements."""
    return statistics.median(values), (max(values) - min(values)) if values else 0.0


def newsboat() -> str | None:
    """The newsboat binary, or None (the benchmarks install nothing themselves)."""
    return shutil.which("newsboat")


NEWSBOAT_HINT = "newsboat not installed: `apt-get install newsboat` to compare side by side"
