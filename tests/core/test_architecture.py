"""Dependency direction: the core never loads the UI toolkit."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "reader.cli",
    "reader.commands",
    "reader.commands.feeds",
    "reader.commands.items",
    "reader.service",
    "reader.subscribe",
    "reader.store.db",
    "reader.feeds.fetch",
    "reader.feeds.parse",
    "reader.feeds.opml",
    "reader.feeds.discover",
    "reader.articles.render",
    "reader.demo",
    "reader.textsafe",
]


def test_core_never_loads_textual_or_rich() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        + "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_one_home_module_per_library() -> None:
    """httpx only in feeds/fetch.py, feedparser only in feeds/parse.py, platformdirs in paths.py."""
    from pathlib import Path

    homes = {
        "httpx": {"feeds/fetch.py"},
        "feedparser": {"feeds/parse.py"},
        "platformdirs": {"paths.py"},
        "sniffio": set(),  # for httpcore only (pyproject.toml says why)
    }
    root = Path(__file__).resolve().parents[2] / "reader"
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        for lib, allowed in homes.items():
            uses = f"import {lib}" in text or f"from {lib}" in text
            assert not uses or rel in allowed, f"{rel} imports {lib}"
