"""The initials column (indextext.initials) is read from an item's plain text: it must give the
tokens that the words of its index form give (CJK runs as bigrams), as the column was first
made, for any text: CJK with punctuation and unassigned code points, Latin with accents, Greek
final sigma, dotted capital I, underscores and digits, English and Chinese side by side."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.indextext import INITIAL, PREFIXES, index_entry, initials
from reader.models import ParsedItem
from reader.searchtext import CJK, ascii_words, index_form

_WORD = re.compile(r"[^\W_]+")


def reference(*forms: str) -> str:
    """The initials of an entry whose columns hold `forms` (index texts), from their words."""
    words = set(_WORD.findall(" ".join(forms).lower()))
    tokens = {w[0] for w in words}
    for n in PREFIXES:
        tokens.update(w[:n] for w in words if len(w) > n)
    return " ".join(sorted(INITIAL + t for t in tokens))


def test_cjk_characters_have_no_case() -> None:
    """The CJK runs are taken out before the rest is lower-cased: lower() must leave them be."""
    cjk = re.compile(f"[{CJK}]")
    changed = [c for c in map(chr, range(sys.maxunicode + 1))
               if not 0xD800 <= ord(c) <= 0xDFFF and cjk.match(c) and c.lower() != c]  # fmt: skip
    assert changed == []


pieces = st.sampled_from([
    "Storm", "storm", "state-of-the-art", "of", "a", "The", "I", "İstanbul", "ΟΔΟΣ", "Σ", "ς",
    "café", "e\u0301", "snake_case", "_x", "2024", "x2", "ǅemal", " ", "  ", "\n", "，", "。",
    "（第12期）", "咸宁", "禁毒", "宁", "全国禁毒示范城市", "々", "カタカナ", "ｶﾀｶﾅ", "한국어", "\ua97d",
    "\ufa6e", "\U00020000", "𝐀𝐁", "ⅫⅩ", "٣٤", "\u00ad", "(storm", "x.y", "Ⅻabc",
])  # fmt: skip
text = st.lists(pieces, max_size=12).map("".join) | st.text(max_size=40)


@settings(max_examples=600, deadline=None)
@given(text, text, text)
def test_initials_of_the_plain_text_are_those_of_the_index_form(
    title: str, author: str, body: str
) -> None:
    expected = reference(index_form(title), index_form(author), index_form(body))
    assert initials(title, author, body) == expected
    joined = f"{title} {author} {body}"
    if joined.isascii():
        assert initials(title, author, body, words=ascii_words(joined)) == expected


def test_an_items_entry_in_english_and_chinese() -> None:
    english = ParsedItem("k", "Storm warning", "", "Desk 3", 0, None, "", "<p>The harbour</p>")
    chinese = ParsedItem("z", "咸宁禁毒", "", "", 0, None, "", "<p>全民拒毒（第12期）</p>")
    (title, author, body, held), words = index_entry(english)
    assert (title, author, body) == ("Storm warning", "Desk 3", "The harbour")
    assert words == {b"storm", b"warning", b"desk", b"3", b"the", b"harbour"}
    assert held == reference(title, author, body)
    assert set(held.split()) >= {INITIAL + "s", INITIAL + "st", INITIAL + "sto", INITIAL + "3"}
    (title, _, body, held), words = index_entry(chinese)
    assert title.split() == ["咸", "咸宁", "宁禁", "禁毒", "毒"]
    assert body.split() == [
        "全",
        "全民",
        "民拒",
        "拒毒",
        "毒",
        "（",
        "第",
        "第",
        "12",
        "期",
        "期",
        "）",
    ]
    assert words is None and held == reference(title, "", body)
    assert set(held.split()) >= {INITIAL + c for c in "咸宁禁毒全民拒第期"} | {INITIAL + "1"}
