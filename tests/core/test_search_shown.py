"""Search text is the shown text: what the index holds for an item is the text the reader shows
(render -> blocks -> text), nothing the renderer drops; the migration that rebuilt the index
leaves no old entry behind; the renderer's shortcut for markup-free text agrees with it."""

from __future__ import annotations

import sqlite3
import time
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.articles.article import document_text, story_document
from reader.articles.builder import Builder
from reader.articles.htmltree import parse_html
from reader.articles.render import html_to_blocks, to_text
from reader.models import Item, ParsedFeed, ParsedItem
from reader.searchtext import _paragraphs_text, body_text, shown_text
from reader.store.db import Store
from reader.store.schema import LATEST, MIGRATIONS
from reader.textnorm import normalize

NOW = int(time.time())

HIDDEN = (
    "<p>Harbor news <b>shown</b>.</p>"
    "<noscript>noscriptword</noscript><template><p>templateword</p></template>"
    "<div hidden>hiddenword</div><p title='attributeword' data-x='dataword'>visible</p>"
    "<script>scriptword()</script><style>.styleword{}</style><!-- commentword -->"
    "<form><input value='inputword'><button>buttonword</button></form>"
    "<svg><text>svgword</text></svg><select><option>optionword</option></select>"
    "<p>咸宁<span>禁毒</span>示范城市</p><img src='https://x.example/a.jpg' alt='altword 图说'>"
)
DROPPED = ("noscriptword", "templateword", "hiddenword", "attributeword", "dataword",
           "scriptword", "styleword", "commentword", "inputword", "buttonword", "svgword",
           "optionword")  # fmt: skip
SHOWN = ("harbor", "shown", "visible", "禁毒", "示范", "altword", "图说")


def test_the_index_text_is_the_text_the_reader_shows() -> None:
    text = body_text("", HIDDEN, "html", None)
    item = Item(1, 1, "F", "k", "T", "", "", 0, None, "", HIDDEN, "html", "", False, False, 0)
    shown = document_text(story_document(item), words=True)
    assert text == shown
    for word in DROPPED:
        assert word not in text, word
    assert "咸宁禁毒示范城市" in text  # an inline element does not split a Chinese word


def test_dropped_text_is_never_found_and_shown_text_always_is(tmp_path: Path) -> None:
    with Store.open(tmp_path / "t.db") as store:
        feed, _ = store.add_feed("https://example.org/feed")
        items = (ParsedItem("k", "Harbor", "https://example.org/1", "", NOW, None, "", HIDDEN),)
        store.store_parsed(feed.id, ParsedFeed("F", "", items, "rss20"), now=NOW)
        for word in DROPPED:
            assert store.search(word).total == 0, word
        for word in SHOWN:
            assert store.search(word).total == 1, word


def test_text_items_full_texts_and_summaries_as_shown() -> None:
    literal = "<b>not markup</b> \u00ad soft"
    assert body_text("", literal, "text", None) == "<b>not markup</b>  soft"
    stored = "<html><head><title>T</title></head><body><p>Stored story</p></body></html>"
    assert body_text("<p>Teaser</p>", "<p>Body</p>", "html", stored) == (
        "Stored story\nBody\nTeaser"
    )
    assert body_text("<p>Body</p>", "<p>Body</p>", "html", "") == "Body"  # said once
    decomposed = unicodedata.normalize("NFD", "Café")
    assert body_text("", f"<p>{decomposed}\u200b</p>", "html", None) == "Café"


REFERENCES = (
    "<p>Caf&#101;&#769; co&shy;operate zero&#8203;width 咸&#x200B;宁</p>"
    "<table><tr><th>Ko&#xAD;lumne</th></tr><tr><td>e&#x301;t&#xE9;</td></tr></table>"
    "<p><img src='https://x.example/a.png' alt='Cafe&#769; al&shy;t'> and more</p>"
)


def test_what_the_reader_shows_is_normalised_as_the_index_is() -> None:
    """Soft hyphens, zero-width spaces and decomposed letters written as character references
    survive storing (the stored HTML has only the references): the renderer normalises them,
    so the reader and `tidings show` show the words the index holds."""
    item = Item(1, 1, "F", "k", "T", "", "", 0, None, "", REFERENCES, "html", "", False, False, 0)
    doc = story_document(item)
    shown = document_text(doc, words=True)
    assert shown == body_text("", REFERENCES, "html", None)
    printed = to_text(doc, 80)
    for text in (shown, printed):
        assert unicodedata.is_normalized("NFC", text), text
        assert not {"\u00ad", "\u200b"} & set(text), text
    assert "Café cooperate zerowidth 咸宁" in printed and "Kolumne" in printed
    assert "été" in printed and "[image: Café alt]" in printed
    literal = Item(1, 1, "F", "k", "T", "", "", 0, None, "", "e\u0301t\u00ade\u0301\u200b", "text",
                   "", False, False, 0)  # fmt: skip
    assert to_text(story_document(literal)) == "été"


def test_the_rebuild_leaves_no_old_entry(tmp_path: Path) -> None:
    """A store whose index still holds the old text (attribute values, noscript words) is
    rebuilt by the last migration: nothing of the old text is found, and deleting an item
    afterwards leaves nothing behind."""
    path = tmp_path / "old.db"
    with Store.open(path) as store:
        feed, _ = store.add_feed("https://example.org/feed")
        items = (ParsedItem("k", "Harbor", "https://example.org/1", "", NOW, None, "", HIDDEN),)
        store.store_parsed(feed.id, ParsedFeed("F", "", items, "rss20"), now=NOW)
    rebuild = next(n for n, m in enumerate(MIGRATIONS) if "DELETE FROM search_keys" in m)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO search (search) VALUES ('delete-all')")  # as the old text was
    conn.execute("INSERT INTO search (rowid, title, author, body, feed, initials) SELECT k.key,"
                 " i.title, '', 'noscriptword attributeword harbor', '', '' FROM items i"
                 " JOIN search_keys k ON k.item_id = i.id")  # fmt: skip
    conn.execute(f"PRAGMA user_version = {rebuild}")  # the store before the rebuild
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert store.search("noscriptword").total == 0 and store.search("harbor").total == 1
        assert store.search("禁毒").total == 1
        store.conn.execute("DELETE FROM items")
        left = store.conn.execute("SELECT count(*) FROM search WHERE search MATCH 'harbor OR"
                                  " noscriptword OR attributeword'").fetchone()[0]  # fmt: skip
        assert left == 0


markup_free = st.text(
    st.characters(blacklist_characters="<&", blacklist_categories=["Cs"]), max_size=200
) | st.lists(st.sampled_from(["a", " ", "\n", "\t", "咸宁", "\u3000", "\r\n", "\x0c", "é",
                              "\u00a0", "\u200b", "\x1b[31m", "ﾃ", "\ufeff"]),
             max_size=30).map("".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(markup_free)
def test_text_without_markup_renders_as_the_parser_would(text: str) -> None:
    """html_to_blocks skips parsing text with no markup or entities: it gives what parsing
    it and building the blocks gives."""
    root = parse_html(text)
    built = Builder("").walk(root).blocks if root is not None else ()
    assert html_to_blocks(text).blocks == built


def _markup() -> st.SearchStrategy[str]:
    """Random fragments: text (Chinese, whitespace, entities) inside blocks, inline styles,
    links, images, lists, tables, pre, skipped and hidden elements, nested."""
    text = st.lists(st.sampled_from(["Harbor", " ", "\n", "  ", "咸宁", "禁毒", "\t", "&amp;",
                                     "&nbsp;", "é", "x", "\u3000"]), max_size=6).map("".join)  # fmt: skip
    leaf_tags = ["p", "div", "section", "h2", "li", "td", "blockquote", "pre", "b", "em", "span",
                 "a href='https://e.example/x'", "a href='javascript:x'", "noscript",
                 "p hidden", "template", "ul", "table", "figcaption", "dt"]  # fmt: skip

    def wrap(children: list[str], tag: str) -> str:
        name = tag.split()[0]
        return f"<{tag}>{''.join(children)}</{name}>"

    base = text | st.sampled_from(["<br>", "<hr>", "<img src='https://e.example/i.png' alt='图'>"])
    return st.recursive(
        base,
        lambda inner: st.builds(wrap, st.lists(inner, max_size=4), st.sampled_from(leaf_tags)),
        max_leaves=25,
    )


@settings(max_examples=400, deadline=None)
@given(st.lists(_markup(), max_size=5).map("".join))
def test_the_builders_shortcut_for_text_only_blocks_changes_nothing(markup: str) -> None:
    root = parse_html(markup)
    slow = Builder("")
    slow.shortcut = False
    expected = slow.walk(root) if root is not None else html_to_blocks("")
    assert html_to_blocks(markup) == expected


def _rendered(markup: str) -> str:
    """The search text of `markup` the long way: rendered to blocks, then back to text."""
    return normalize(document_text(html_to_blocks(markup), words=True))


paragraph_text = markup_free | st.lists(
    st.sampled_from(["Harbor", " ", "\n", "\r", "\r\n", "\t", "咸宁", "禁毒", "。", "é",
                     "e\u0301", "\u00ad", "\u200b", "\u3000", "\u00a0", "\x00", "\x1b[1m", ">",
                     "\u202e", "Ⅻ", "ﾃ", "\x7f"]),
    max_size=12,
).map("".join)  # fmt: skip
separator = st.sampled_from(["", " ", "\n", "\t", " \n\t "])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(separator, paragraph_text), max_size=6), separator)
def test_paragraphs_of_text_are_read_as_the_renderer_reads_them(
    paragraphs: list[tuple[str, str]], tail: str
) -> None:
    """Feed HTML of paragraphs of text alone is read without parsing (searchtext's shortcut):
    the same text as rendering it to blocks and back."""
    markup = "".join(f"{gap}<p>{text}</p>" for gap, text in paragraphs) + tail
    fast = _paragraphs_text(markup)
    if "\ufeff" in markup:
        assert fast is None
        return
    assert fast is not None
    assert fast == _rendered(markup)
    assert shown_text(markup) == fast


@settings(max_examples=300, deadline=None)
@given(st.lists(_markup(), max_size=5).map("".join))
def test_the_paragraphs_shortcut_takes_nothing_else(markup: str) -> None:
    """Any other markup (other tags, attributes, entities) is rendered: the shortcut says None,
    or the same text when it does read it."""
    fast = _paragraphs_text(markup)
    assert fast is None or fast == _rendered(markup)


def test_the_paragraphs_shortcut_in_english_and_chinese() -> None:
    english = "<p>The  harbour\n opens.</p>\n<p> Storm\tdamage </p><p></p>"
    chinese = "<p>咸宁市严厉禁毒，\n温情戒毒。</p> <p>全民拒毒</p>"
    assert _paragraphs_text(english) == "The harbour opens.\n\nStorm damage" == _rendered(english)
    assert (
        _paragraphs_text(chinese) == "咸宁市严厉禁毒，温情戒毒。\n\n全民拒毒" == _rendered(chinese)
    )
    assert _paragraphs_text("Plain summary, no markup") == "Plain summary, no markup"
    for other in ("<p>a &amp; b</p>", "<p class='x'>a</p>", "<p>a</p>b", "<p>a <b>b</b></p>",
                  "<div>a</div>", "<p>a</p></p>", "<P>a</P>", "<p>a"):  # fmt: skip
        assert _paragraphs_text(other) is None, other
