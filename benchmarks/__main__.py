"""`python -m benchmarks [NAME...] [--runs N] [--quick]`: run benchmarks, print their figures,
write results.json (not with --quick) and the README's table from it (benchmarks/table.py),
after each benchmark (an interrupted run keeps what it finished). A benchmark that breaks is
recorded as failed, with why, and the others still run; the exit code is then 1.

Each benchmark is a function of the options that returns (raw figures, records): the raw dict is
kept in results.json for whoever wants the detail, the records (benchmarks.common.record) are
what the table shows. Add one by adding it to BENCHES.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks import (
    extract,
    indextext,
    keystroke,
    paint,
    refresh,
    results,
    rules,
    search,
    summary,
    table,
)
from benchmarks import sync as sync_bench
from benchmarks.common import Record, compile_reader, record


@dataclass(frozen=True)
class Options:
    """How to run: `runs` alternating runs per figure; `quick`: smaller sizes, nothing written."""

    runs: int
    quick: bool


Outcome = tuple[dict[str, Any], list[Record]]


def _refresh(o: Options) -> Outcome:
    res = refresh.run(runs=o.runs, quick=o.quick)
    return res, refresh.records(res)


def _refresh_latency(o: Options) -> Outcome:
    res = refresh.run(runs=o.runs, quick=o.quick, delay_ms=100)
    return res, refresh.records(res, "refresh-latency")


def _extract(o: Options) -> Outcome:
    res = extract.run(runs=o.runs)
    return res, extract.records(res)


def _indextext(o: Options) -> Outcome:
    res = indextext.run(runs=o.runs, items=5_000 if o.quick else 25_000)
    return res, indextext.records(res)


def _summary(o: Options) -> Outcome:
    res = summary.run(runs=o.runs)
    return res, summary.records(res)


def _search(o: Options) -> Outcome:
    res = search.run(runs=o.runs, items=25_000 if o.quick else 250_000)
    return res, search.records(res)


def _paint(o: Options) -> Outcome:
    res = paint.run(runs=o.runs, sizes=(25_000,) if o.quick else paint.SIZES)
    return res, paint.records(res)


def _keystroke(o: Options) -> Outcome:
    res = keystroke.run(items=25_000 if o.quick else 250_000, runs=o.runs)
    return res, keystroke.records(res)


def _sync(o: Options) -> Outcome:
    items = 2_000 if o.quick else 10_000
    res = sync_bench.run(runs=o.runs, items=items)
    fever = sync_bench.run_fever(runs=o.runs, items=items)
    records = sync_bench.records(res) + sync_bench.records(fever, "Fever API, coldsweat")
    return {"greader": res, "fever": fever}, records


def _rules(o: Options) -> Outcome:
    res = rules.run(runs=o.runs, feeds=100 if o.quick else 500)
    return res, rules.records(res)


BENCHES: dict[str, Callable[[Options], Outcome]] = {
    "refresh": _refresh,
    "refresh-latency": _refresh_latency,
    "extract": _extract,
    "summary": _summary,
    "indextext": _indextext,
    "search": _search,
    "paint": _paint,
    "keystroke": _keystroke,
    "sync": _sync,
    "rules": _rules,
}


def print_records(recs: list[Record]) -> None:
    """The records as an aligned plain-text table."""
    head = ("figure", "tidings", "compared with", "target", "checked")
    rows = [head] + [
        (r.figure, table.shown(r), r.baseline or "-", table.verdict(r), r.check or "-")
        for r in recs
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row[:4], widths, strict=True)), row[4])


def _run_one(name: str, options: Options) -> Outcome:
    """One benchmark; if it breaks (a bug, a missing fixture), a failed record saying why
    instead of the whole run's results: the benchmarks before and after it still count."""
    try:
        return BENCHES[name](options)
    except (Exception, SystemExit) as exc:  # a missing fixture exits: recorded, the run goes on
        traceback.print_exc()
        why = f"did not run to the end: {type(exc).__name__}: {exc}"
        return {"error": why}, [record(name, f"{name} benchmark", None, "", "", False, why)]


def main() -> int:
    """Run the benchmarks asked for; 1 if any of them failed to run."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("names", nargs="*", help=f"which (default: all): {', '.join(BENCHES)}")
    ap.add_argument("--runs", type=int, default=3, help="alternating runs per figure (medians)")
    ap.add_argument("--quick", action="store_true", help="smaller sizes; writes nothing")
    args = ap.parse_args()
    unknown = [n for n in args.names if n not in BENCHES]
    if unknown:
        ap.error(f"no benchmark {', '.join(unknown)} (there are: {', '.join(BENCHES)})")
    options = Options(max(1, args.runs), args.quick)
    broken = []
    compile_reader()
    for name in args.names or list(BENCHES):
        before, started = os.getloadavg()[0], time.monotonic()
        raw, recs = _run_one(name, options)
        took = time.monotonic() - started
        if "error" in raw:
            broken.append(name)
        if raw.get("note"):
            print(f"note: {raw['note']}")
        print_records(recs)
        print(f"({name}: {took / 60:.1f} min, load average {before:.1f} -> "
              f"{os.getloadavg()[0]:.1f})\n", flush=True)  # fmt: skip
        if not args.quick:  # saved as it goes: an interrupted run keeps what it finished
            results.save({name: (raw, recs)}, options.runs, {name: (before, os.getloadavg()[0])})
            table.main_update()
    if args.quick:
        print("(--quick: results.json and the README are left as they were)")
    if broken:
        print(f"failed to run: {', '.join(broken)} (tracebacks above)", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
