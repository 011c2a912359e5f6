"""`python -m benchmarks [NAME...] [--runs N]`: run benchmarks, print one table, write results.json."""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import extract, paint, refresh, search, summary

HERE = Path(__file__).resolve().parent


def _refresh_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    def f(fig: dict[str, float] | None) -> str:
        if not fig:
            return "-"
        return f"{fig['wall']:.2f} s ±{fig['spread']:.2f} (cpu {fig['cpu']:.2f} s, {fig['rss_mb']:.0f} MB)"

    def ratio(x: float | None, target: float) -> str:
        if x is None:
            return "-"
        if r["delay_ms"]:  # the targets are for the farm without latency; here show the floor
            rounds = -(-r["feeds"] // 16)  # 16 requests at a time, each waiting delay_ms
            return f"{x:.3f}× (network floor ≥{rounds * r['delay_ms'] / 1000:.1f} s)"
        return f"{x:.3f}× ({'ok' if x <= target else 'MISSED'} ≤{target}×)"

    label = f"{r['feeds']}×{r['items']}" + (f", +{r['delay_ms']:g} ms" if r["delay_ms"] else "")
    return [
        (
            f"refresh cold ({label})",
            f(r["tidings_cold"]),
            f(r["newsboat_cold"]),
            ratio(r["ratio_cold"], 0.2),
        ),
        (
            f"refresh all-304 ({label})",
            f(r["tidings_304"]),
            f(r["newsboat_again"]),
            ratio(r["ratio_304"], 0.05),
        ),
    ] + [
        (f"{kind} ({label}) vs newsboat 1 thread", "(as above)", f(r[nb]), f"{r[key]:.3f}×")
        for kind, nb, key in (
            ("refresh cold", "newsboat_cold_1thread", "ratio_cold_1thread"),
            ("refresh all-304", "newsboat_again_1thread", "ratio_304_1thread"),
        )
        if r.get(key) is not None
    ]


BENCHES: dict[str, Callable[[int], tuple[dict[str, Any], list[tuple[str, str, str, str]]]]] = {
    "refresh": lambda runs: (res := refresh.run(runs=runs), _refresh_rows(res)),
    "refresh-latency": lambda runs: (
        res := refresh.run(runs=runs, delay_ms=100, single_thread=False),
        _refresh_rows(res),
    ),
    "extract": lambda runs: (res := extract.run(runs=runs), extract.rows(res)),
    "summary": lambda runs: (res := summary.run(runs=runs), summary.rows(res)),
    "search": lambda runs: (res := search.run(runs=runs), search.rows(res)),
    "paint": lambda runs: (res := paint.run(runs=runs), paint.rows(res)),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("names", nargs="*", help=f"which (default: all): {', '.join(BENCHES)}")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    names = args.names or list(BENCHES)
    previous = HERE / "results.json"
    results: dict[str, Any] = json.loads(previous.read_text()) if previous.exists() else {}
    results |= {  # figures of benchmarks not run this time are kept
        "machine": f"{platform.machine()} {platform.processor() or ''} cpus={__import__('os').cpu_count()}",
        "python": platform.python_version(),
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }
    rows: list[tuple[str, str, str, str]] = []
    for name in names:
        data, table = BENCHES[name](args.runs)
        results[name] = data
        rows += table
        if data.get("note"):
            print(f"note: {data['note']}")
    head = ("benchmark", "tidings (median ± spread)", "newsboat", "tidings/newsboat (target)")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(4)]
    for row in [head, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
