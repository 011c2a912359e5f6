"""`python -m benchmarks.table [--check]`: the README's Performance table, from results.json.

The table sits in README.md between the two marker comments below; this rewrites what is
between them, so the README's figures are always those of the last `make bench`. `--check`
only says whether the README is up to date (exit 1 if not).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from benchmarks.common import ROOT, Record
from benchmarks.results import RESULTS, load, records

README = ROOT / "README.md"
START = "<!-- benchmarks:table start (python -m benchmarks.table) -->"
END = "<!-- benchmarks:table end -->"


def number(value: float, unit: str) -> str:
    """A figure as the table shows it."""
    if unit == "x":
        return f"{value:.3f}×" if value < 0.1 else f"{value:.2f}×"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "%":
        return f"{value:.1f} %"
    return f"{value:.3f}" if not unit else f"{value:g} {unit}"


def shown(r: Record) -> str:
    """The value column: the figure with its spread, or "failed"."""
    if r.value is None:
        return "**failed**"
    text = number(r.value, r.unit)
    if r.spread is not None:
        text += " ±" + number(r.spread, r.unit).removesuffix("×").removesuffix(f" {r.unit}")
    return text


def verdict(r: Record) -> str:
    """The target column: the goal and whether this run met it."""
    if not r.target:
        return "-"
    return f"{r.target}: {'met' if r.ok else '**missed**'}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or "-"


def table(data: dict[str, Any]) -> str:
    """The Markdown between the markers: a line on the machine, then one row per record."""
    if not data:
        return "No results yet: run `make bench`.\n"
    m = data["machine"]
    dates = sorted({e["date"] for e in data["benchmarks"].values()})
    when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
    memory = f", {m['memory_gb']:g} GiB" if m.get("memory_gb") else ""
    nb = f", newsboat {m['newsboat']}" if m.get("newsboat") else ", newsboat not installed"
    loads = [x for e in data["benchmarks"].values() for x in e.get("load", ())]
    busy = f" Load average during the runs {min(loads):.1f}–{max(loads):.1f}." if loads else ""
    lines = [
        f"Last run {when} on {m['cores']} cores ({m['cpu']}){memory}, Python {m['python']},"
        f" SQLite {m['sqlite']}{nb}.{busy}",
        "",
        "| benchmark | tidings | compared with | target | checked |",
        "| --- | --- | --- | --- | --- |",
    ]
    for entry in data["benchmarks"].values():
        for r in records(entry):
            cells = (r.figure, shown(r), r.baseline, verdict(r), r.check)
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def render(readme: str, data: dict[str, Any]) -> str:
    """`readme` with the text between the markers replaced by the table of `data`."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"README.md has no {START} ... {END} markers")
    return f"{head}{START}\n{table(data)}{END}{tail}"


def main_update() -> bool:
    """Rewrite the README's table from results.json; whether it changed."""
    text = README.read_text()
    new = render(text, load(RESULTS))
    if new != text:
        README.write_text(new)
    return new != text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="exit 1 if the README is out of date")
    args = ap.parse_args()
    if not args.check:
        main_update()
        return 0
    if render(README.read_text(), load(RESULTS)) != README.read_text():
        print("README.md's Performance table is not that of benchmarks/results.json:"
              " run `python -m benchmarks.table`", file=sys.stderr)  # fmt: skip
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
