"""Item keys (reader.feeds.identity): guid, else link, else hash; duplicates kept apart."""

from __future__ import annotations

from reader.feeds.identity import KeySource, assign_keys, base_key


def src(guid: str = "", link: str = "", title: str = "", content: str = "") -> KeySource:
    return KeySource(guid=guid, link=link, title=title, content=content)


def test_guid_then_link_then_hash() -> None:
    assert base_key(src(guid=" g-1 ", link="http://a/")) == "g:g-1"
    assert base_key(src(link="http://a/1")) == "l:http://a/1"
    hashed = base_key(src(title="标题 Title", content="<p>正文</p>"))
    assert hashed.startswith("h:") and len(hashed) == 18
    assert hashed != base_key(src(title="标题 Title", content="<p>正文 changed</p>"))


def test_very_long_guids_are_hashed() -> None:
    key = base_key(src(guid="x" * 5000))
    assert key.startswith("g:sha1:") and len(key) == 47
    assert key != base_key(src(guid="x" * 4999 + "y"))


def test_unique_items_keep_their_plain_keys() -> None:
    assert assign_keys([src(guid="a"), src(guid="b"), src(link="http://c/")]) == [
        "g:a",
        "g:b",
        "l:http://c/",
    ]


def test_repeated_guid_gets_a_content_hash_on_every_occurrence() -> None:
    keys = assign_keys(
        [src(guid="daily", title="早间"), src(guid="daily", title="晚间"), src(guid="x")]
    )
    assert keys[0].startswith("g:daily#") and keys[1].startswith("g:daily#")
    assert keys[0] != keys[1] and keys[2] == "g:x"


def test_true_duplicates_get_occurrence_numbers() -> None:
    same = src(guid="copy", title="t", link="http://l/", content="c")
    keys = assign_keys([same, same, same])
    assert keys[1] == keys[0] + "~2" and keys[2] == keys[0] + "~3"


def test_keys_are_stable_and_unique_even_against_crafted_guids() -> None:
    first = assign_keys([src(guid="a", title="1"), src(guid="a", title="2")])
    crafted = first[0].removeprefix("g:")
    sources = [src(guid="a", title="1"), src(guid="a", title="2"), src(guid=crafted)]
    keys = assign_keys(sources)
    assert keys == assign_keys(sources)
    assert len(set(keys)) == 3
