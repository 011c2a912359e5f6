"""The README's Performance table is generated from benchmarks/results.json and never drifts."""

from __future__ import annotations

from benchmarks.common import record
from benchmarks.results import RESULTS, load
from benchmarks.table import README, render, table


def test_the_readme_table_is_that_of_results_json() -> None:
    text = README.read_text(encoding="utf-8")
    assert render(text, load(RESULTS)) == text, "run `python -m benchmarks.table`"


def test_a_run_that_failed_its_check_is_shown_failed_not_timed() -> None:
    failed = record("refresh", "cold refresh", None, "x", "≤ 0.2×",
                    check="farm: 498 of 500 feeds answered 200")  # fmt: skip
    met = record("search", "search p95", 12.5, "ms", "< 15 ms", True, "hits counted", spread=0.4)
    data = {
        "machine": {"cpu": "CPU", "cores": 2, "python": "3.11", "sqlite": "3.40"},
        "benchmarks": {
            "x": {
                "date": "2026-12-06 20:00",
                "load": [1.0, 2.5],
                "records": [failed.__dict__, met.__dict__],
            },
        },
    }
    rows = table(data).splitlines()
    assert "load average during the runs 1.0–2.5" in rows[0].lower()
    assert rows[-2] == ("| cold refresh | **failed** | - | ≤ 0.2×: **missed** |"
                        " farm: 498 of 500 feeds answered 200 |")  # fmt: skip
    assert rows[-1] == "| search p95 | 12.5 ms ±0.4 | - | < 15 ms: met | hits counted |"
