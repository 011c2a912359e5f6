"""Bookmarks as Markdown files: front matter round trip, the story's structure in Markdown,
stable names overwritten in place; and the bookmark commands without a network (run in-process)."""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

import pytest

from reader.articles.article import to_stored
from reader.articles.blocks import Document, Paragraph, Span
from reader.articles.extract import extract_page
from reader.articles.markdown import (
    bookmark_markdown,
    export_bookmarks,
    file_name,
    read_front_matter,
    to_markdown,
)
from reader.articles.render import html_to_blocks
from reader.cli import main
from reader.models import Item, ParsedFeed, ParsedItem
from reader.store.db import Store

PAGES = Path(__file__).parent.parent / "data" / "articles"
PUBLISHED = 1_795_000_000  # 2026-11-18 (UTC)


def tidings(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    """Run the command line in this process (stdin, stdout and stderr captured)."""
    out, err = io.StringIO(), io.StringIO()
    fake_stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    with redirect_stdout(out), redirect_stderr(err), mock.patch.object(sys, "stdin", fake_stdin):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def seed(home: Path) -> list[int]:
    """Two bookmarks: a Chinese one with its full text stored, an English one without."""
    article = extract_page((PAGES / "xianning_gbk.html").read_bytes(), None, "https://x.cn/1")
    assert article is not None
    with Store.open(home / "data" / "tidings.db") as store:
        feed, _ = store.add_feed("https://example.org/feed.xml")
        items = (
            ParsedItem("g:1", "咸宁：严厉禁毒 温情戒毒 全民拒毒", "https://x.cn/1", "", PUBLISHED,
                       None, "摘要：咸宁市严厉禁毒。", "<p>teaser only</p>"),
            ParsedItem("g:2", 'Solar *farm* [opens] "today"', "https://example.org/2", "Ann",
                       PUBLISHED - 86_400, None, "", "<h2>Head</h2><p>Body with "
                       "<a href='https://example.org/more'>a link</a> and *stars*.</p>"),
            ParsedItem("g:3", "not bookmarked", "https://example.org/3", "", PUBLISHED, None, "",
                       "<p>x</p>"),
        )  # fmt: skip
        store.store_parsed(feed.id, ParsedFeed("Example 示例", "", items, "rss20"))
        ids = {h.title: h.id for h in store.headlines()}
        zh, en = ids["咸宁：严厉禁毒 温情戒毒 全民拒毒"], ids['Solar *farm* [opens] "today"']
        for item_id in (zh, en):
            store.set_bookmarked(item_id)
        store.set_full_text(zh, to_stored(article))
        store.set_item_tags(zh, ["禁毒", "later"])
        return [zh, en, ids["not bookmarked"]]


def stored(home: Path, item_id: int) -> Item:
    with Store.open(home / "data" / "tidings.db", readonly=True) as store:
        item = store.item(item_id)
    assert item is not None
    return item


def test_markdown_of_blocks_escapes_text_and_keeps_structure() -> None:
    doc = html_to_blocks(
        "<h2>Title *x*</h2><p>a <b>bold</b> <i>it</i> <code>x`y</code> <a href='https://e.org/'>"
        "link</a> 1*2 [n]</p><ol start=3><li>three</li><li>four<ul><li>inner</li></ul></li></ol>"
        "<blockquote><p>quoted</p><p>twice</p></blockquote><pre>code\n  kept</pre><hr>"
        "<table><tr><th>k</th><th>v</th></tr><tr><td>a|b</td><td>2</td></tr></table>"
    )
    md = to_markdown(doc)
    assert "## Title \\*x\\*" in md
    assert "a **bold** *it* `` x`y `` [link](<https://e.org/>) 1\\*2 \\[n\\]" in md
    assert "3. three\n4. four\n   - inner" in md
    assert "> quoted\n>\n> twice" in md
    assert "```\ncode\n  kept\n```" in md and "***" in md
    assert "| k | v |\n|---|---|\n| a\\|b | 2 |" in md
    line_start = to_markdown(Document((Paragraph((Span("# not a heading\n- nor a list"),)),)))
    assert line_start.startswith("\\# not a heading  \n\\- nor a list")


def test_export_round_trip(tidings_home: Path, tmp_path: Path) -> None:
    zh, en, _ = seed(tidings_home)
    out = tmp_path / "notes"
    done = tidings("bookmarks", "--export", str(out))
    assert done.returncode == 0, done.stderr
    assert "exported 2 bookmarks" in done.stdout and "1 without full text" in done.stdout
    files = sorted(p.name for p in out.iterdir())
    assert files == [f"2026-11-17-{en}-solar-farm-opens-today.md", f"2026-11-18-{zh}-咸宁-严厉禁毒-温情戒毒-全民拒毒.md"]  # fmt: skip
    fields, body = read_front_matter((out / files[1]).read_text(encoding="utf-8"))
    assert fields == {
        "title": "咸宁：严厉禁毒 温情戒毒 全民拒毒",
        "url": "https://x.cn/1",
        "feed": "Example 示例",
        "author": "王伟",  # the feed had none: the page's, from the full text
        "date": "2026-11-18T11:06:40Z",
        "tags": ["later", "禁毒"],
    }
    assert "teaser only" not in body  # the stored full text, not the feed's teaser
    assert "### 戒毒康复" in body and "- 污水检测技术能够推算" in body
    assert "> “戒毒不是终点，回归社会才是。”" in body
    assert "| 年份 | 宣传活动（场） | 覆盖人次（万） |" in body
    assert "版权" not in body and "交易所" not in body
    en_fields, en_body = read_front_matter((out / files[0]).read_text(encoding="utf-8"))
    assert en_fields["title"] == 'Solar *farm* [opens] "today"' and en_fields["tags"] == []
    assert "## Head" in en_body and "[a link](<https://example.org/more>)" in en_body
    assert "\\*stars\\*" in en_body


def test_reexport_overwrites_in_place(tidings_home: Path, tmp_path: Path) -> None:
    zh, en, _ = seed(tidings_home)
    out = tmp_path / "notes"
    first = export_bookmarks([stored(tidings_home, zh), stored(tidings_home, en)], out)
    before = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    again = export_bookmarks([stored(tidings_home, zh), stored(tidings_home, en)], out)
    assert (
        first == again and {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == before
    )
    with Store.open(tidings_home / "data" / "tidings.db") as store:
        store.set_item_tags(en, ["solar"])
        store.conn.execute("UPDATE items SET title = 'Renamed story' WHERE id = ?", (en,))
    export_bookmarks([stored(tidings_home, en)], out)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([first[0].name, f"2026-11-17-{en}-renamed-story.md"])  # replaced
    fields, _ = read_front_matter((out / f"2026-11-17-{en}-renamed-story.md").read_text("utf-8"))
    assert fields["tags"] == ["solar"] and fields["title"] == "Renamed story"


def test_file_names_are_safe() -> None:
    item = Item(1, 1, "F", "k", "../../etc/passwd: a/b\\c?*", "", "", 0, None, "", "", "html",
                "", False, True, 0)  # fmt: skip
    assert file_name(item) == "1970-01-01-1-etc-passwd-a-b-c.md"
    assert bookmark_markdown(item).startswith('---\ntitle: "../../etc/passwd: a/b\\\\c?*"\n')


def test_bookmark_tags_and_listing(tidings_home: Path) -> None:
    zh, en, other = seed(tidings_home)
    done = tidings("bookmark", str(other), "--tag", "solar", "--tag", "x", "--no-fetch")
    assert done.returncode == 0 and f"bookmarked {other}" in done.stdout
    assert tidings("bookmark", str(other), "--untag", "x", "--no-fetch").returncode == 0
    assert stored(tidings_home, other).tags == ("solar",)

    def listed(*args: str) -> list[int]:
        return [int(line.split()[0]) for line in tidings("bookmarks", *args).stdout.splitlines()]

    assert sorted(listed()) == sorted([zh, en, other])
    assert listed("--tag", "禁毒") == [zh]
    assert tidings("bookmarks", "--tags").stdout.split() == [
        "1",
        "later",
        "1",
        "solar",
        "1",
        "禁毒",
    ]
    assert tidings("unbookmark", str(other)).returncode == 0
    assert not stored(tidings_home, other).bookmarked
    bad = tidings("bookmark", "999", "--no-fetch")
    assert bad.returncode == 2 and "no item 999" in bad.stderr


def test_show_uses_the_stored_full_text_offline(tidings_home: Path) -> None:
    zh, _, _ = seed(tidings_home)
    shown = tidings("show", str(zh))
    assert shown.returncode == 0
    assert "国家禁毒委员会日前召开全国禁毒工作电视电话会议" in shown.stdout
    assert "teaser only" not in shown.stdout and "<p>" not in shown.stdout
    summary = tidings("show", str(zh), "--summary")
    assert "咸宁市严厉禁毒，温情戒毒" in summary.stdout and "国家禁毒委员会" not in summary.stdout
    assert tidings("summary", str(zh)).stdout.strip().startswith("咸宁市严厉禁毒")


def test_extract_and_summary_from_stdin() -> None:
    gbk = (PAGES / "xianning_gbk.html").read_bytes()
    done = tidings("extract", "-", stdin=gbk)
    assert done.returncode == 0 and done.stdout.startswith("摘要：咸宁市严厉禁毒")
    assert "王喆" in done.stdout and "友情链接" not in done.stdout
    nothing = tidings("extract", "-", stdin=b"<html><body><a href='/'>home</a></body></html>")
    assert nothing.returncode == 2 and "no article" in nothing.stderr
    hostile = b"<html><body><article><p>" + b"Evil \x1b]0;pwned\x07\x1b[2J text " * 8 + b"</p></article></body></html>"  # fmt: skip
    clean = tidings("extract", "-", stdin=hostile)
    assert "\x1b" not in clean.stdout and "Evil" in clean.stdout
    text = "The farm opened. It powers homes. Residents agreed. Council plans more. Done here."
    summary = tidings("summary", "--json", "-", stdin=text.encode())
    assert summary.returncode == 0 and '"source": "extract"' in summary.stdout


@pytest.mark.parametrize("args", [("summary", "abc"), ("summary", "999"), ("show", "999")])
def test_bad_ids_are_usage_errors(tidings_home: Path, args: tuple[str, ...]) -> None:
    seed(tidings_home)
    done = tidings(*args)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
