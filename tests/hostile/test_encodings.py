"""Encodings over HTTP, stored and reloaded: GBK characters under a gb2312 label, four-byte GB18030
under gbk, Big5(-HKSCS), Shift_JIS (windows-31j), a BOM contradicting the declaration, text/xml
without a charset, NULs, invalid UTF-8 and lone surrogates. No mojibake where the encoding is
knowable, never a crash, and what is stored reads back the same (also through the CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.models import Outcome
from reader.store.db import Store
from tests.hostile.conftest import cli, data, db_path, refresh
from tests.loopback import Loopback

CASES = [
    ("gb2312_gbk_only.xml", "application/rss+xml", "朱镕基 王堃 喆 GBK only"),
    ("gb2312_gbk_only.xml", "application/rss+xml; charset=gb2312", "朱镕基 王堃 喆 GBK only"),
    ("gbk_gb18030.xml", "application/rss+xml; charset=GBK", "𠮷野家 䶮 𡃁 four bytes"),
    ("big5.xml", "application/rss+xml", "佢哋講嘅廣東話 繁體"),
    ("shift_jis.xml", "text/xml; charset=Shift_JIS", "髙橋さん ①番目 ～"),
    ("bom_vs_declaration.xml", "application/rss+xml", "BOM wins Café 咖啡"),
    ("bom_vs_declaration.xml", "application/xml; charset=iso-8859-1", "BOM wins Café 咖啡"),
    ("textxml_no_charset.xml", "text/xml", "text/xml 无字符集 声明为准"),
]


def stored_titles(path: Path) -> list[str]:
    with Store.open(path, readonly=True) as store:
        return [h.title for h in store.headlines()]


@pytest.mark.parametrize(
    ("name", "content_type", "title"), CASES, ids=[f"{c[0]}|{c[1]}" for c in CASES]
)
def test_knowable_encodings_have_no_mojibake(
    server: Loopback, home: Path, name: str, content_type: str, title: str
) -> None:
    url = server.serve("/f.xml", data(name), content_type=content_type)
    with Store.open(db_path(home)) as store:
        store.add_feed(url)
        result = refresh(store).results[0]
        assert result.outcome is Outcome.OK and result.error == "", result
        feed = store.feed(url)
        assert feed is not None and feed.title == f"{title} channel"
    assert stored_titles(db_path(home)) == [title]  # reopened: read back the same
    listed = json.loads(cli("list", "--json").out)
    assert listed[0]["title"] == title
    shown = cli("show", str(listed[0]["id"]))
    assert shown.code == 0 and f"{title} body" in shown.out


@pytest.mark.parametrize(
    ("name", "content_type", "title", "flagged"),
    [
        ("nuls.xml", "application/rss+xml", "nulintitle 空", False),
        ("invalid_utf8.xml", "application/rss+xml", None, True),
        ("lone_surrogates.json", "application/feed+json", None, False),
    ],
)
def test_broken_text_is_stored_and_reloaded(
    server: Loopback, home: Path, name: str, content_type: str, title: str | None, flagged: bool
) -> None:
    url = server.serve("/f", data(name), content_type=content_type)
    with Store.open(db_path(home)) as store:
        store.add_feed(url)
        result = refresh(store).results[0]
        assert result.outcome is Outcome.OK, result
        assert ("not valid" in result.error) == flagged, result.error
        item = store.item(store.headlines()[0].id)
        assert item is not None
    again = stored_titles(db_path(home))
    assert again == [item.title]
    for text in (item.title, item.summary, item.content):
        assert "\x00" not in text
        text.encode("utf-8")  # no lone surrogate survives
    if title is not None:
        assert item.title == title
    if name == "invalid_utf8.xml":
        assert "\ufffd" in item.title and item.title.endswith("中")  # the good bytes are kept
    if name == "lone_surrogates.json":
        assert "😀" in item.title  # a proper pair is a character
    assert cli("list").code == 0 and cli("show", str(item.id)).code == 0
    assert cli("search", "--json", "title:pair OR 空 OR broken").code == 0
