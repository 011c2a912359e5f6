"""results.json: the records of the last full run of each benchmark, with date and machine.

Layout (kept in the repo; the README's Performance table is generated from it):

    {"machine": {"cpu", "cores", "memory_gb", "python", "sqlite", "newsboat"},
     "benchmarks": {NAME: {"date", "runs", "load", "records": [Record, ...], "raw": {...}}}}

`load` is the machine's 1-minute load average before and after the benchmark: the machine is
shared, and a busy one slows the CPU-bound reader (tidings) more than the I/O-bound one.

A benchmark that is not run keeps its entry from an earlier run on the same machine; entries
from another machine are dropped (their figures could not be compared with the new ones).
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.common import Record, newsboat

RESULTS = Path(__file__).resolve().parent / "results.json"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return None
    return round(pages * size / 2**30, 1)


def _newsboat_version() -> str | None:
    binary = newsboat()
    if binary is None:
        return None
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    words = out.stdout.split()
    return words[1] if len(words) > 1 else None


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "newsboat": _newsboat_version(),
    }


def load(path: Path = RESULTS) -> dict[str, Any]:
    """The results file ({} if there is none, or it is from before records existed)."""
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text())
    return data if "benchmarks" in data else {}


def records(entry: dict[str, Any]) -> list[Record]:
    """The records of one benchmark's entry."""
    return [Record(**r) for r in entry["records"]]


def save(
    done: dict[str, tuple[dict[str, Any], list[Record]]],
    runs: int,
    loads: dict[str, tuple[float, float]] | None = None,
    path: Path = RESULTS,
) -> dict[str, Any]:
    """Merge the benchmarks just run (name: (raw, records)) into the results file, with the
    load average before and after each (`loads`)."""
    here = machine()
    old = load(path)
    same = {k: v for k, v in old.get("machine", {}).items() if k != "newsboat"} == {
        k: v for k, v in here.items() if k != "newsboat"
    }
    kept = dict(old.get("benchmarks", {})) if same else {}
    date = time.strftime("%Y-%m-%d %H:%M")
    for name, (raw, recs) in done.items():
        busy = [round(x, 2) for x in (loads or {}).get(name, ())]
        kept[name] = {"date": date, "runs": runs, "load": busy,
                      "records": [asdict(r) for r in recs], "raw": raw}  # fmt: skip
    data = {"machine": here, "benchmarks": kept}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return data
