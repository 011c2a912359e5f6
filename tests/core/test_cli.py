"""The command line without a network: exit codes, one-line errors, sanitised output, JSON."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reader import __version__
from reader.cli import build_parser, main, reader_only
from reader.models import ParsedFeed, ParsedItem
from reader.store.db import Store

DATA = Path(__file__).parent.parent / "data"
HOSTILE = "[@click=app.quit]x[/] \x1b]0;pwned\x07\x1b[2J\u202eevil \x9b31m 全国禁毒"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, env=os.environ
    )


def seed(home: Path) -> list[int]:
    """A store with one feed and three items (one hostile, one Chinese)."""
    with Store.open(home / "data" / "tidings.db") as store:
        feed, _ = store.add_feed(
            "https://example.org/feed.xml", title="Example 示例", tags=["news"]
        )
        items = (
            ParsedItem("g:1", HOSTILE, "https://example.org/1", "Mallory", 1_764_000_000, None,
                       "", "<p>hello <b>world</b> <a href='https://example.org/x'>x</a></p>"),
            ParsedItem("g:2", "咸宁：严厉禁毒 温情戒毒", "https://example.org/2", "王伟", 1_763_900_000,
                       None, "摘要：咸宁市严厉禁毒。", "<p>国家禁毒委员会召开会议。</p>"),
            ParsedItem("g:3", "Plain text story", "https://example.org/3", "", 1_763_800_000, None,
                       "", "<b>literal</b> tags", "text"),
        )  # fmt: skip
        store.store_parsed(feed.id, ParsedFeed("Example 示例", "", items, "rss20"))
        return [h.id for h in store.headlines()]


def test_version_and_paths(tidings_home: Path) -> None:
    assert run("--version").stdout.strip() == f"tidings {__version__}"
    paths = run("--paths").stdout
    assert (
        f"{tidings_home}/config/config.toml" in paths and f"{tidings_home}/data/tidings.db" in paths
    )


def test_every_subcommand_has_help_with_an_example() -> None:
    parser = build_parser()
    subs = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subs.choices.items():  # type: ignore[union-attr]
        text = sub.format_help()
        assert "example: tidings" in text, name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("frobnicate",), "invalid choice"),
        (("show", "abc"), "invalid int value"),
        (("show", "999"), "tidings: no item 999"),
        (("remove", "https://nope.example/"), "not subscribed"),
        (("import", "/nonexistent/file.opml"), "No such file"),
        (("list", "--limit", "-1"), "--limit must be 0 or more"),
        (("--config", "/nonexistent.toml", "list"), "no such config file"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_bad_config_names_the_key(tidings_home: Path) -> None:
    (tidings_home / "config").mkdir(parents=True)
    (tidings_home / "config" / "config.toml").write_text("[fetch]\nconcurrency = 'many'\n")
    done = run("list")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "tidings: config.toml: fetch.concurrency: expected an integer, got 'many'"
    )


def test_list_is_sanitised_and_json_has_the_contract_fields(tidings_home: Path) -> None:
    ids = seed(tidings_home)
    done = run("list")
    assert done.returncode == 0
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout and "\x9b" not in done.stdout
    assert "[@click=app.quit]x[/]" in done.stdout and "咸宁：严厉禁毒" in done.stdout
    rows = json.loads(run("list", "--json").stdout)
    assert [r["id"] for r in rows] == ids
    assert set(rows[0]) >= {
        "id",
        "feed",
        "title",
        "link",
        "author",
        "published",
        "read",
        "bookmarked",
    }
    assert (
        rows[0]["feed"] == "https://example.org/feed.xml"
        and rows[0]["published"] == "2025-11-24T16:00:00Z"
    )
    assert "\x1b" not in json.dumps(rows, ensure_ascii=False)
    assert len(json.loads(run("list", "--json", "--limit", "2").stdout)) == 2
    assert json.loads(
        run("list", "--json", "--feed", "https://example.org/feed.xml", "--unread").stdout
    )


def test_show_renders_html_and_text_literally(tidings_home: Path) -> None:
    ids = seed(tidings_home)
    html = run("show", str(ids[0])).stdout
    assert "hello world x[1]" in html and "[1] https://example.org/x" in html
    assert "\x1b" not in html
    text = run("show", str(ids[2])).stdout
    assert "<b>literal</b> tags" in text
    zh = run("show", str(ids[1])).stdout
    assert "国家禁毒委员会召开会议。" in zh and "王伟" in zh


def test_bookmarks_survive_remove(tidings_home: Path) -> None:
    ids = seed(tidings_home)
    assert run("bookmark", str(ids[1])).returncode == 0
    assert "咸宁" in run("bookmarks").stdout
    done = run("remove", "https://example.org/feed.xml")
    assert done.returncode == 0 and "kept 1 bookmarked" in done.stdout
    assert run("show", str(ids[1])).returncode == 0
    assert run("show", str(ids[0])).returncode == 2
    assert run("unbookmark", str(ids[1])).returncode == 0


def test_import_export_round_trip_keeps_tags(tidings_home: Path, tmp_path: Path) -> None:
    done = run("import", str(DATA / "subscriptions" / "newsboat_urls"))
    assert done.returncode == 0 and "imported" in done.stdout
    assert "skipped" in done.stderr  # the query:/exec:/filter: lines
    exported = run("export").stdout
    first = json.loads(run("feeds", "--json").stdout)
    out = tmp_path / "subs.opml"
    assert run("export", str(out)).returncode == 0

    def undated(text: str) -> str:
        return re.sub(r"<dateCreated>.*?</dateCreated>", "", text)

    assert undated(out.read_text()) == undated(exported)
    other = tmp_path / "other"
    env = dict(os.environ, TIDINGS_HOME=str(other))
    subprocess.run([sys.executable, "-m", "reader", "import", str(out)], env=env, check=True,
                   capture_output=True)  # fmt: skip
    again = subprocess.run([sys.executable, "-m", "reader", "feeds", "--json"], env=env,
                           capture_output=True, text=True, check=True)  # fmt: skip

    def strip(feeds: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return sorted((f["url"], f["title"], f["tags"]) for f in feeds)

    assert strip(json.loads(again.stdout)) == strip(first)


def test_a_write_beside_an_open_store_works_and_a_busy_one_says_so(tidings_home: Path) -> None:
    seed(tidings_home)
    (tidings_home / "config").mkdir(parents=True, exist_ok=True)
    (tidings_home / "config" / "config.toml").write_text("[store]\nwrite_wait = 0.3\n")
    with Store.open(tidings_home / "data" / "tidings.db") as store:
        done = run("bookmark", "1", "--no-fetch")  # the reader has the store open: fine
        assert done.returncode == 0 and done.stdout == "bookmarked 1\n", done.stderr
        with store.transaction():  # now it is in the middle of a write
            done = run("bookmark", "2", "--no-fetch")
            assert run("list").returncode == 0  # readers never wait
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr == (
            f"tidings: {tidings_home / 'data' / 'tidings.db'}: another tidings kept the store"
            " busy for 0.3 s; nothing written, try again\n"
        )


def test_main_in_process(tidings_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(tidings_home)
    assert main(["list", "--limit", "1"]) == 0
    assert "Example" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "config"),
    [((), None), (("--config", "c.toml"), Path("c.toml")), (("--config=c.toml",), Path("c.toml"))],
)
def test_opening_the_reader_builds_no_subcommands(argv: tuple[str, ...], config: Path) -> None:
    args = reader_only(argv)
    assert args is not None and args.config == config
    assert args.handler is None and not args.paths


@pytest.mark.parametrize(
    "argv",
    [("--paths",), ("--help",), ("-h",), ("--version",), ("list",), ("--config", "c", "list")],
)
def test_anything_else_goes_to_the_whole_command_line(argv: tuple[str, ...]) -> None:
    assert reader_only(argv) is None
