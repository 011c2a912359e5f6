"""Dependency direction: the core never loads the UI toolkit."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "reader.cli",
    "reader.commands",
    "reader.commands.feeds",
    "reader.commands.items",
    "reader.commands.podcasts",
    "reader.service",
    "reader.subscribe",
    "reader.store.db",
    "reader.feeds.fetch",
    "reader.feeds.parse",
    "reader.feeds.opml",
    "reader.feeds.discover",
    "reader.articles.render",
    "reader.articles.builder",
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
    """httpx only in the package feeds/fetch/ (a home of several modules: feeds and pages, a
    web API, files), feedparser only in feeds/parse.py, platformdirs in paths.py, wcwidth in
    cells.py, charset-normalizer in feeds/charset.py, ftfy in feeds/repair.py, htmldate in
    articles/extract.py."""
    from pathlib import Path

    homes = {
        "httpx": {"feeds/fetch/"},  # a package: any of its modules
        "feedparser": {"feeds/parse.py"},
        "platformdirs": {"paths.py"},
        "wcwidth": {"cells.py"},
        "sniffio": set(),  # for httpcore only (pyproject.toml says why)
        "certifi": {"feeds/fetch/client.py"},  # httpx's CA bundle, read at the first TLS connection
        "charset_normalizer": {"feeds/charset.py"},
        "ftfy": {"feeds/repair.py"},
        "htmldate": {"articles/extract.py"},  # trafilatura's date finder, called as it calls it
    }
    root = Path(__file__).resolve().parents[2] / "reader"
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        for lib, allowed in homes.items():
            uses = f"import {lib}" in text or f"from {lib}" in text
            home = rel in allowed or any(rel.startswith(d) for d in allowed if d.endswith("/"))
            assert not uses or home, f"{rel} imports {lib}"


def test_feeds_never_write_through_the_store() -> None:
    """reader/feeds fetches, parses and reads other readers' files; storing is the store's and
    its callers' (subscribe.py, service.py), so the direction core -> feeds never turns around:
    nothing under feeds/ imports any of reader.store (the index text the parser processes
    compute is reader/indextext.py's, which the store uses too)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "reader" / "feeds"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                inside = name == "reader.store" or name.startswith("reader.store.")
                assert not inside, f"feeds/{path.name}: {name}"


def test_the_refresh_process_does_not_load_the_parsers() -> None:
    """A refresh parses in worker processes, which import the parsers when they first parse:
    the refresh's own start-up (all it does in an all-304 refresh) never pays for them."""
    code = (
        "import sys, reader.cli, reader.service\n"
        "heavy = ('reader.feeds.parse', 'feedparser', 'lxml', 'ftfy', 'charset_normalizer')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_only_the_ui_and_cli_import_the_toolkit_or_the_ui() -> None:
    """textual, rich and reader.ui are imported (even lazily, inside a function) only under
    reader/ui/ and by cli.py, which wires core and UI together."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "reader"
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("ui/") or rel == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if (
                    top in ("textual", "rich")
                    or name == "reader.ui"
                    or name.startswith("reader.ui.")
                ):
                    offenders.append(f"{rel}: {name}")
    assert offenders == []
