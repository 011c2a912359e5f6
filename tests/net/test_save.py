"""`tidings save URL`: any page's story kept as a bookmark of "Saved pages", against pages on a
loopback server the test starts; `tidings bookmarks --json`."""

from __future__ import annotations

import io
import json
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from reader.cli import main
from tests.loopback import Loopback, redirect

PAGES = Path(__file__).parent.parent / "data" / "articles"
EN_PAGE = (PAGES / "harbor_en.html").read_bytes()
ZH_PAGE = (PAGES / "xianning_gbk.html").read_bytes()
ONLY_IN_ZH = "国家禁毒委员会日前召开全国禁毒工作电视电话会议"
LIST_FIELDS = {"id", "feed", "feed_title", "title", "link", "author", "published", "read",
               "bookmarked"}  # fmt: skip


def tidings(*args: str) -> subprocess.CompletedProcess[str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def bookmarks() -> list[dict[str, object]]:
    done = tidings("bookmarks", "--json")
    assert done.returncode == 0, done.stderr
    found: list[dict[str, object]] = json.loads(done.stdout)
    return found


def test_a_saved_page_is_a_bookmark_readable_offline_searchable_and_exported(
    server: Loopback, tmp_path: Path
) -> None:
    zh = server.serve("/zh.html", ZH_PAGE, content_type="text/html")
    final = server.serve("/news/solar.html", EN_PAGE, content_type="text/html; charset=utf-8")
    start = server.route("/r", redirect(final, 302))
    done = tidings("save", zh, "--tag", "禁毒", "--tag", "later")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("saved ") and "咸宁" in done.stdout
    assert tidings("save", start).returncode == 0
    saved = {str(b["title"]): b for b in bookmarks()}
    assert len(saved) == 2
    zh_mark = next(b for t, b in saved.items() if "咸宁" in t)
    en_mark = next(b for t, b in saved.items() if "solar" in t.lower())
    assert LIST_FIELDS | {"tags"} == set(zh_mark)
    assert zh_mark["feed_title"] == "Saved pages" and zh_mark["bookmarked"] is True
    assert zh_mark["tags"] == ["later", "禁毒"] and zh_mark["link"] == zh
    assert en_mark["link"] == final and en_mark["tags"] == []  # the address it ended at
    server.close()  # offline from here on
    shown = tidings("show", str(zh_mark["id"]))
    assert shown.returncode == 0 and ONLY_IN_ZH in shown.stdout
    found = json.loads(tidings("search", "禁毒工作", "--json").stdout)
    assert [h["id"] for h in found["hits"]] == [zh_mark["id"]]
    assert tidings("bookmarks", "--export", str(tmp_path / "notes")).returncode == 0
    exported = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "notes").iterdir())
    assert ONLY_IN_ZH in exported and "Saved pages" in exported
    assert "Saved pages" not in tidings("feeds").stdout  # a source, never refreshed


def test_saving_again_keeps_one_item_and_adds_tags(server: Loopback) -> None:
    url = server.serve("/solar.html", EN_PAGE, content_type="text/html; charset=utf-8")
    assert tidings("save", url, "--tag", "energy").returncode == 0
    again = tidings("save", url, "--tag", "later")
    assert again.returncode == 0 and again.stdout.startswith("saved again ")
    (only,) = bookmarks()
    assert only["tags"] == ["energy", "later"]


def test_a_page_without_a_story_says_so_in_one_line_and_stores_nothing(server: Loopback) -> None:
    menu = server.serve("/menu.html", b"<html><body><a href='/'>home</a></body></html>",
                        content_type="text/html")  # fmt: skip
    pdf = server.serve("/doc.pdf", b"%PDF-1.4", content_type="application/pdf")
    for url, why in ((menu, "no article found"), (pdf, "not a web page"),
                     (server.url("/gone"), "HTTP 404"), ("ftp://x.org/a", "only http")):  # fmt: skip
        done = tidings("save", url)
        assert done.returncode == 2 and why in done.stderr, done.stderr
        assert done.stderr.count("\n") == 1 and done.stdout == ""
    assert bookmarks() == []
