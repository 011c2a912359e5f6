"""Titles a person chose (a rename, an OPML's text/title, newsboat's "~Title", the newsboat
cache) are kept across refreshes, the feed's own title shows where none was chosen, export
writes the chosen one; and the mark, rename and tag commands, in English and Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cli import main
from reader.models import ParsedFeed, ParsedItem
from reader.store import schema
from reader.store.db import Store
from reader.subscribe import export_opml, import_file, import_newsboat_cache
from tests.newsboat import make_cache

URL = "https://example.org/feed.xml"
ZH = "https://news.example.cn/rss.xml"
NOW = 1_800_000_000


def channel(title: str, *keys: str) -> ParsedFeed:
    items = tuple(
        ParsedItem(k, f"story {k} 新闻", f"https://example.org/{k}", "", NOW - n, None, "", "")
        for n, k in enumerate(keys)
    )
    return ParsedFeed(title=title, site_url="", items=items, format="rss20")


def titles(store: Store) -> dict[str, tuple[str, bool]]:
    return {f.url: (f.title, f.title_chosen) for f in store.feeds()}


OPML = f"""<?xml version="1.0"?><opml version="2.0"><body>
<outline text="My Example" title="Example Feed" type="rss" xmlUrl="{URL}"/>
<outline type="rss" xmlUrl="{ZH}" text="{ZH}"/>
</body></opml>""".encode()


def test_an_opml_title_is_kept_across_refreshes_and_exported(tmp_path: Path) -> None:
    with Store.open(tmp_path / "t.db") as store:
        import_file(store, OPML, "subs.opml")
        assert titles(store) == {URL: ("My Example", True), ZH: ("", False)}  # url as text: none
        for feed in store.feeds():
            store.store_parsed(feed.id, channel("Channel Title 频道", "a"), now=NOW)
        assert titles(store) == {URL: ("My Example", True), ZH: ("Channel Title 频道", False)}
        mine = store.feed(URL)
        assert mine is not None and mine.own_title == "Channel Title 频道"
        exported = export_opml(store)
        assert 'text="My Example"' in exported and 'text="Channel Title 频道"' in exported


def test_a_newsboat_urls_title_is_chosen_and_a_discovered_one_is_not(tmp_path: Path) -> None:
    urls = f'{URL} news "~咸宁新闻网"\n{ZH}\n'.encode()
    with Store.open(tmp_path / "t.db") as store:
        import_file(store, urls, "urls")
        store.add_feed(ZH, title="Link title from the page")  # what discovery found
        assert titles(store) == {URL: ("咸宁新闻网", True), ZH: ("Link title from the page", False)}
        for feed in store.feeds():
            store.store_parsed(feed.id, channel("Own", "a"), now=NOW)
        assert titles(store) == {URL: ("咸宁新闻网", True), ZH: ("Own", False)}
        store.add_feed(URL, title="Another page title")  # subscribing again chooses nothing
        assert titles(store)[URL] == ("咸宁新闻网", True)


def test_the_newsboat_cache_titles_are_chosen(tmp_path: Path) -> None:
    cache = make_cache(tmp_path / "cache.db", {URL: "Newsboat Name 名字"}, [])
    with Store.open(tmp_path / "t.db") as store:
        import_newsboat_cache(store, cache)
        (feed,) = store.feeds()
        store.store_parsed(feed.id, channel("Own", "a"), now=NOW)
        assert titles(store) == {URL: ("Newsboat Name 名字", True)}


def test_rename_and_back_to_the_feeds_own_title(tmp_path: Path) -> None:
    with Store.open(tmp_path / "t.db") as store:
        feed, _ = store.add_feed(URL)
        store.store_parsed(feed.id, channel("Own", "a"), now=NOW)
        renamed = store.rename_feed(URL, "  Mine \n 我的 ")
        assert renamed is not None and (renamed.title, renamed.title_chosen) == ("Mine 我的", True)
        store.store_parsed(feed.id, channel("Own, renamed upstream", "b"), now=NOW)
        assert titles(store)[URL] == ("Mine 我的", True)
        assert [h.feed_title for h in store.headlines()] == ["Mine 我的"] * 2
        back = store.rename_feed(URL, "")
        assert back is not None and (back.title, back.title_chosen) == (
            "Own, renamed upstream",
            False,
        )
        assert store.rename_feed("https://example.org/none", "x") is None


def test_the_migration_keeps_every_title_as_the_feeds_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    step = next(n for n, m in enumerate(schema.MIGRATIONS) if any("own_title" in q for q in m))
    with monkeypatch.context() as patch:  # a store of the tidings before chosen titles
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:step])
        patch.setattr(schema, "LATEST", step)
        with Store.open(path) as old:
            old.conn.execute(f"INSERT INTO feeds (url, title, added) VALUES ('{URL}', 'Old 旧', 1)")
    with Store.open(path) as store:
        (feed,) = store.feeds()
        assert (feed.title, feed.own_title, feed.title_chosen) == ("Old 旧", "Old 旧", False)


@pytest.fixture
def home_store(tidings_home: Path) -> Path:
    path = tidings_home / "data" / "tidings.db"
    with Store.open(path) as store:
        feed, _ = store.add_feed(URL, tags=["news"])
        store.store_parsed(feed.id, channel("Example 示例", "a", "b", "c"), now=NOW)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    got = capsys.readouterr()
    return code, got.out, got.err


def test_mark_by_ids_and_by_feed(home_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "mark", "1", "--read") == (0, "marked 1 story read\n", "")
    assert run(capsys, "mark", "1", "2", "--read") == (
        0,
        "marked 1 story read (1 was already)\n",
        "",
    )
    assert run(capsys, "mark", "--feed", URL, "--read") == (
        0,
        "marked 1 story of Example 示例 read\n",
        "",
    )
    assert run(capsys, "mark", "--feed", URL, "--unread") == (
        0,
        "marked 3 stories of Example 示例 unread\n",
        "",
    )
    with Store.open(home_store, readonly=True) as store:
        assert [h.read for h in store.headlines()] == [False] * 3
    for args, error in [
        (("mark", "1", "99", "--read"), "no item 99"),
        (("mark", "--read"), "mark takes story ids or --feed URL (one of the two)"),
        (("mark", "1", "--feed", URL, "--read"), "mark takes story ids or --feed URL"),
        (("mark", "--feed", "https://example.org/x", "--read"), "not subscribed to"),
    ]:
        code, out, err = run(capsys, *args)
        assert code == 2 and out == "" and error in err and len(err.splitlines()) == 1
    code, _, err = run(capsys, "mark", "1")
    assert code == 2 and "one of the arguments --read --unread is required" in err


def test_rename_and_tag_commands(home_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "rename", URL, "咸宁新闻") == (0, f"renamed {URL} to 咸宁新闻\n", "")
    assert run(capsys, "rename", URL, "") == (
        0,
        f"{URL} shows its own title again: Example 示例\n",
        "",
    )
    assert run(capsys, "rename", URL, "Mine") == (0, f"renamed {URL} to Mine\n", "")
    assert run(capsys, "rename", URL, "--reset") == (
        0,
        f"{URL} shows its own title again: Example 示例\n",
        "",
    )
    for wrong in ((URL,), (URL, "Mine", "--reset")):
        code, _, err = run(capsys, "rename", *wrong)
        assert code == 2 and "rename takes a TITLE or --reset" in err
    assert run(capsys, "tag", URL, "--add", "新闻", "--add", "world", "--remove", "news") == (
        0,
        "Example 示例: world, 新闻\n",
        "",
    )
    assert run(capsys, "tag", URL) == (0, "Example 示例: world, 新闻\n", "")
    assert run(capsys, "tag", URL, "--remove", "world", "--remove", "新闻") == (
        0,
        "Example 示例: no tags\n",
        "",
    )
    for args in (("rename", "https://example.org/x", "T"), ("tag", "https://example.org/x")):
        code, out, err = run(capsys, *args)
        assert (
            code == 2 and out == "" and err == "tidings: not subscribed to https://example.org/x\n"
        )
