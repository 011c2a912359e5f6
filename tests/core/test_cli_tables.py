"""The command line's tables on a real terminal (a pty of a set width) and into a pipe: columns
aligned by display width (Chinese counts two), lines cut to the terminal with "…", search
matches in bold unless NO_COLOR, hints on stderr for empty listings, plurals, summaries
wrapped to the terminal, and the author a page names shown by `show`."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from reader import cells
from reader.articles.article import Article, to_stored
from reader.commands import counted
from reader.models import ParsedFeed, ParsedItem
from reader.store.db import Store

ROOT = Path(__file__).resolve().parents[2]
NOW = 1_764_000_000
ZH_FEED = "咸宁新闻网 香城泉都 新闻中心首页"
ZH_TITLE = "咸宁：严厉禁毒 温情戒毒 全民拒毒 工作举措实 群众共识高"
EN_TITLE = "Storm season ends early on the harbour coast, and the ferries run again"


def on_terminal(*args: str, columns: int = 60, **env: str) -> tuple[int, str, str]:
    """`tidings ARGS` with stdout on a pty `columns` wide: (exit code, stdout, stderr)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", *args], stdout=slave, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, env=environ | env, cwd=ROOT,
    )  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    proc.wait(30)
    return proc.returncode, b"".join(chunks).decode().replace("\r\n", "\n"), err


def piped(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, cwd=ROOT
    )


@pytest.fixture
def home(tidings_home: Path) -> Path:
    with Store.open(tidings_home / "data" / "tidings.db") as store:
        zh, _ = store.add_feed("https://news.example.cn/rss.xml", title=ZH_FEED)
        en, _ = store.add_feed("https://example.org/feed.xml", title="World Briefs", tags=["news"])
        for feed, key, title, body in (
            (zh, "zh", ZH_TITLE, "<p>国家禁毒委员会召开全国禁毒工作会议。</p>"),
            (en, "en", EN_TITLE, "<p>The storm season is over.</p>"),
        ):
            item = ParsedItem(key, title, f"https://example.org/{key}", "", NOW, None, "", body)
            store.store_parsed(feed.id, ParsedFeed("", "", (item,), "rss20"), now=NOW)
    return tidings_home


def title_column(line: str) -> int:
    """The display column where a headline's title starts (after the feed column)."""
    prefix = line[: line.index(ZH_TITLE[:3]) if ZH_TITLE[:3] in line else line.index("Storm")]
    return cells.width(prefix)


def test_list_aligns_by_display_width_into_a_pipe(home: Path) -> None:
    lines = piped("list").stdout.splitlines()
    assert len(lines) == 2 and ZH_TITLE in lines[1] and EN_TITLE in lines[0]  # whole lines
    assert title_column(lines[0]) == title_column(lines[1])
    assert "咸宁新闻网 香城泉都 新…" in lines[1]  # the feed column cut by width, with …


def test_tables_are_cut_to_the_terminal(home: Path) -> None:
    for args in (("list",), ("bookmarks",), ("search", "禁毒"), ("feeds",)):
        if args == ("bookmarks",):
            assert piped("bookmark", "1", "--no-fetch").returncode == 0
            assert piped("bookmark", "2", "--no-fetch").returncode == 0
        code, out, err = on_terminal(*args, columns=50)
        assert code == 0, err
        lines = out.splitlines()
        assert lines and all(cells.width(line) <= 50 for line in lines), (args, lines)
        cut = [line for line in lines if line.endswith("…")]
        assert cut or args == ("feeds",), lines
    code, out, _ = on_terminal("list", columns=200)
    assert ZH_TITLE in out and EN_TITLE in out and "…  " in out  # wide enough: titles whole


def test_search_marks_matches_in_bold_on_a_terminal_only(home: Path) -> None:
    bold = "\x1b[1m禁毒\x1b[22m"
    _, out, err = on_terminal("search", "禁毒", columns=200)
    assert bold in out and err.startswith("1 match in ")
    _, plain, _ = on_terminal("search", "禁毒", columns=200, NO_COLOR="1")
    assert "\x1b" not in plain and "禁毒" in plain
    piped_out = piped("search", "禁毒").stdout
    assert "\x1b" not in piped_out and ZH_TITLE in piped_out


def test_empty_listings_say_what_to_do_on_stderr(tidings_home: Path) -> None:
    for args, hint in (
        (("list",), "no stories yet: subscribe with `tidings add URL`"),
        (("feeds",), "no subscriptions yet: `tidings add URL` or `tidings import FILE`"),
        (("bookmarks",), "no bookmarks yet: `tidings bookmark ID`"),
    ):
        done = piped(*args)
        assert done.returncode == 0 and done.stdout == "" and hint in done.stderr, done
        assert len(done.stderr.splitlines()) == 1
    assert piped("list", "--json").stderr == ""  # JSON stays quiet


def test_a_filter_that_finds_nothing_says_so(home: Path) -> None:
    assert piped("mark", "1", "2", "--read").stdout == "marked 2 stories read\n"
    done = piped("list", "--unread")
    assert done.stdout == "" and done.stderr == "tidings: no unread stories\n"
    done = piped("bookmarks", "--tag", "later")
    assert done.stdout == "" and done.stderr == "tidings: no bookmarks tagged later yet\n"


def test_plurals() -> None:
    assert [counted(n, "story") for n in (0, 1, 2, 1000)] == [
        "0 stories", "1 story", "2 stories", "1,000 stories"
    ]  # fmt: skip
    assert counted(1, "match", "matches") == "1 match" and counted(3, "feed") == "3 feeds"
    assert counted(2, "day") == "2 days"


def test_import_and_mark_say_one_in_the_singular(home: Path, tmp_path: Path) -> None:
    urls = tmp_path / "urls"
    urls.write_text("https://example.net/one.xml\n")
    assert piped("import", str(urls)).stdout == "imported 1 feed (1 new)\n"
    assert piped("mark", "1", "--read").stdout == "marked 1 story read\n"


def test_a_summary_wraps_to_the_terminal(home: Path) -> None:
    long = "。".join(["国家禁毒委员会日前召开全国禁毒工作电视电话会议"] * 3) + "。"
    with Store.open(home / "data" / "tidings.db") as store:
        feed = store.feed("https://news.example.cn/rss.xml")
        assert feed is not None
        item = ParsedItem(
            "long", "长", "https://example.org/l", "", NOW, None, "", f"<p>{long}</p>"
        )
        store.store_parsed(feed.id, ParsedFeed("", "", (item,), "rss20"), now=NOW)
    item_id = "3"
    whole = piped("summary", item_id).stdout.splitlines()
    code, out, err = on_terminal("summary", item_id, columns=30)
    lines = out.splitlines()
    assert code == 0, err
    assert len(lines) > len(whole) and all(cells.width(line) <= 30 for line in lines)
    assert "".join(lines) == "".join(whole)  # the same text, only broken into lines


def test_show_names_the_author_the_full_text_found(home: Path) -> None:
    with Store.open(home / "data" / "tidings.db") as store:
        page = Article(title="T", text="The storm season is over.", html="<p>x</p>",
                       author="王伟 Wang Wei")  # fmt: skip
        store.set_full_text(2, to_stored(page))
    byline = piped("show", "2").stdout.splitlines()[1]
    assert byline.startswith("World Briefs · 王伟 Wang Wei · ")
