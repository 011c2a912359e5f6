"""Properties (hypothesis), with modest example counts so the suite stays fast:

* the sanitiser's output never holds ESC, C0 controls (but \\n and \\t), DEL, C1 controls or
  bidi controls, leaves ordinary text alone and is idempotent;
* any string round-trips through the store (as `storable` makes it: NULs and lone surrogates are
  the only things SQLite text cannot hold);
* the HTML renderer never raises and never numbers a link outside http, https and mailto;
* item keys are deterministic (the same document, the same keys) and unique in a document.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader import textsafe
from reader.articles.blocks import to_text
from reader.articles.render import html_to_blocks
from reader.feeds.identity import KeySource, assign_keys
from reader.feeds.parse import parse_feed
from reader.models import ParsedFeed, ParsedItem
from reader.store.bookmarks import clean_tags
from reader.store.db import Store
from tests.hostile.conftest import UNSAFE

SETTINGS = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# Any code point, surrogates included, with the dangerous ones made likely.
DANGER = (
    "\x1b\x07\x00\r\n\t\x7f\x85\x9b\x9c\x90\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068"
    "\u2069\u200e\u200f\u061c[]@:=()/\\\"'<>&;"
)
anything = st.text(
    alphabet=st.one_of(st.characters(codec=None), st.sampled_from(DANGER)), max_size=200
)
escape_sequences = st.builds(
    lambda body, end: f"\x1b{body}{end}",
    st.sampled_from(["[", "]", "P", "X", "^", "_", "(", " ", "]8;;", "]52;c;", "[?1049"]),
    st.sampled_from(["", "m", "2J", "\x07", "\x1b\\", "0;title\x07", "http://x/\x1b\\"]),
)
terminal_text = st.lists(st.one_of(anything, escape_sequences), max_size=8).map("".join)


@SETTINGS
@given(terminal_text)
def test_sanitised_text_holds_nothing_a_terminal_acts_on(text: str) -> None:
    shown = textsafe.display(text)
    assert UNSAFE.search(shown) is None, repr(shown)
    assert textsafe.display(shown) == shown  # idempotent
    line = textsafe.one_line(text)
    assert UNSAFE.search(line) is None and "\n" not in line and "\t" not in line


@SETTINGS
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))))
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert textsafe.display(text) == text


@SETTINGS
@given(anything)
def test_storable_text_has_no_nul_and_encodes(text: str) -> None:
    kept = textsafe.storable(text)
    assert "\x00" not in kept
    kept.encode("utf-8")
    assert textsafe.storable(kept) == kept


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with tempfile.TemporaryDirectory() as tmp:
        opened = Store.open(Path(tmp) / "props.db")
        yield opened
        opened.close()


@SETTINGS
@given(title=anything, body=anything, author=anything, tag=anything)
@example(title="\x00\ud800\x1b[2J", body="", author="", tag="a\x1fb")  # \x1f: the tag separator
def test_any_string_round_trips_through_the_store(
    store: Store, title: str, body: str, author: str, tag: str
) -> None:
    title, body, author, tag = map(textsafe.storable, (title, body, author, tag))
    url = f"http://props.example/{len(store.feeds())}"
    feed, _ = store.add_feed(url, title=title, tags=[tag])
    item = ParsedItem("k:" + title, title, "http://props.example/i", author, 1, None, body, body,
                      "text")  # fmt: skip
    store.store_parsed(feed.id, ParsedFeed(title, "", (item,), "rss20"))
    stored_feed = store.feed(url)
    assert stored_feed is not None and stored_feed.title == title
    assert stored_feed.tags == tuple(clean_tags([tag]))  # tags are one-line labels
    (headline,) = [h for h in store.headlines() if h.feed_id == feed.id]
    got = store.item(headline.id)
    assert got is not None
    assert (got.title, got.author, got.summary, got.content) == (title, author, body, body)
    store.search(title[:50])  # the index takes it too (no exception)
    store.remove_feed(url)


tags = st.sampled_from(["p", "a", "b", "div", "table", "tr", "td", "ul", "li", "pre", "code",
                        "blockquote", "script", "style", "img", "h1", "br", "iframe", "svg"])  # fmt: skip
hrefs = st.one_of(
    st.sampled_from([
        "javascript:alert(1)", " JAVASCRIPT:x", "java\tscript:x", "data:text/html,x", "file:///etc",
        "vbscript:x", "-oProxy", "//evil.example/x", "/relative", "rel", "#frag", "mailto:a@b.c",
        "https://ok.example/", "http://ok.example/a b", "ftp://x/", "http://[::1", "http:x",
    ]),
    anything,
)  # fmt: skip
fragments = st.one_of(
    anything,
    st.builds(lambda t, c: f"<{t}>{c}</{t}>", tags, anything),
    st.builds(lambda t: f"<{t}>", tags),
    st.builds(lambda t: f"</{t}>", tags),
    st.builds(lambda h, c: f'<a href="{h}">{c}</a>', hrefs, anything),
    st.builds(lambda h: f"<img src='{h}' alt='{h}'>", hrefs),
    st.sampled_from(
        ["&amp;", "&#x1b;", "&#27;[2J", "&#x202e;", "&nbsp;", "&#0;", "&#xd800;", "&bogus;"]
    ),
)
html_documents = st.lists(fragments, max_size=12).map("".join)


@SETTINGS
@given(html_documents, st.sampled_from(["", "http://base.example/dir/page", "file:///etc/"]))
def test_the_renderer_never_raises_and_numbers_only_safe_links(html: str, base: str) -> None:
    doc = html_to_blocks(html, base)
    for link in doc.links:
        parts = urlsplit(link)
        assert parts.scheme in ("http", "https", "mailto"), link
        assert parts.scheme == "mailto" or parts.hostname, link
        assert not link.startswith("-") and " " not in link.strip()
    text = to_text(doc, width=40)
    assert UNSAFE.search(text) is None, repr(text)


sources = st.lists(
    st.builds(KeySource, st.sampled_from(["", "same", "g1", " g1 "]) | anything,
              st.sampled_from(["", "http://x/1", "http://x/1"]) | anything, anything, anything),
    max_size=12,
)  # fmt: skip


@SETTINGS
@given(sources)
def test_item_keys_are_deterministic_and_unique(items: list[KeySource]) -> None:
    keys = assign_keys(items)
    assert keys == assign_keys(list(items))  # same document, same keys
    assert len(set(keys)) == len(keys)


def _xml(text: str) -> str:
    text = "".join(
        c for c in text if c in "\t\n\r" or (" " <= c < "\ud800") or "\ue000" <= c <= "\ufffd"
    )
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["", "a", "b"]), anything, anything), max_size=8))
def test_parsed_keys_are_the_same_on_every_fetch(entries: list[tuple[str, str, str]]) -> None:
    items = "".join(
        f"<item><guid>{_xml(g)}</guid><title>{_xml(t)}</title><description>{_xml(d)}</description></item>"
        for g, t, d in entries
    )
    body = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>p</title>{items}</channel></rss>'.encode()
    first = [i.key for i in parse_feed(body).items]
    assert first == [i.key for i in parse_feed(body).items]
    assert len(set(first)) == len(first)
