"""An item's search index entry (title, author, body, initials), as pure functions of its fields.

Made in the parser processes beside the parsing (`with_index`, feeds/pool.py), so that the
store's writer only inserts, and again by the store (store/indexing.py, and its SQL functions in
store/connect.py) when it indexes or un-indexes an entry: the same functions of the same values,
byte for byte. The text itself is searchtext.py's; this module only applies it to items, and
needs nothing of the store. The initials column is store/indexing.py's idea (it says why).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from reader.models import ParsedFeed, ParsedItem
from reader.searchtext import ascii_words, body_text, cjk_split, form_of, index_form

INITIAL = "\ue001"  # marks an initials token in the index (feed tokens have \ue000)
_WORD = re.compile(r"[^\W_]+")  # the words unicode61 sees in "state-of-the-art" (near enough)
PREFIXES = (2, 3)  # prefixes of these lengths have initials tokens (of longer words)

Entry = tuple[str, str, str, str]  # a new item's title, author, body and initials columns
# which of the rules' words an entry holds, given it and its ASCII words (reader/rulematch.py)
TermsOf = Callable[[Entry, "set[bytes] | None"], tuple[int, ...]]


def index_title(text: str | None) -> str:
    """A title's (or an author's) index text (the SQL function tidings_index)."""
    return index_form(text or "")


@lru_cache(maxsize=4)  # the triggers want an entry's body twice: its column and its initials
def index_body(summary: str | None, content: str | None, kind: str | None,
               full_text: str | None) -> str:  # fmt: skip
    """A body's index text (the SQL function tidings_index_body)."""
    return index_form(body_text(summary, content, kind, full_text))


def initials(*texts: str, words: set[bytes] | None = None) -> str:
    """The initials column of an entry whose columns are the index forms of `texts` (plain
    text: title, author, body): a token per first letter, per first two and three letters of
    longer words (unicode61's words of the lower-cased text, near enough: runs of letters and
    digits), per CJK character. Sorted: a contentless entry is removed by giving FTS5 the same
    tokens in the same order. `words`: the text's searchtext.ascii_words when it is ASCII alone
    and they are at hand (the rules' matchers read them too)."""
    return split_initials([cjk_split(t) for t in texts], words)


def split_initials(texts: list[list[str]], words: set[bytes] | None = None) -> str:
    """`initials` of texts split by searchtext.cjk_split. Read from the plain text, not the
    index form: in that form a CJK run is its bigrams, whose first characters are all the run's
    characters (and no bigram is longer than two), so the CJK tokens are the text's CJK
    characters that are letters; the other words are those of the text with its CJK runs taken
    out (tests/core/test_initials.py compares this with the tokens of the index form's words,
    as they were first made). Every token has the same mark in front, so the marks are added
    when the tokens are joined, in sorted order."""
    if all(len(parts) == 1 for parts in texts):
        joined = " ".join(parts[0] for parts in texts)
        if joined.isascii():
            return _joined(_ascii_tokens(ascii_words(joined) if words is None else words))
    else:
        joined = " ".join(" ".join(parts[0::2]) for parts in texts)  # runs stay word breaks
    chars = set("".join(["".join(parts[1::2]) for parts in texts]))
    if not "".join(chars).isalnum():  # an unassigned code point in a CJK block
        chars = {c for c in chars if c.isalnum()}
    rest = joined.lower()  # CJK characters have no case (the test checks)
    if rest.isascii():
        return _joined(chars | _ascii_tokens(ascii_words(rest)))
    split = set(rest.split())
    found = [w for w in split if w.isalnum()]
    odd = [w for w in split if not w.isalnum()]  # "(storm", "state-of-the-art"
    if odd:
        found += _WORD.findall(" ".join(odd))
    chars.update(w[0] for w in found)
    for n in PREFIXES:
        chars.update(w[:n] for w in found if len(w) > n)
    return _joined(chars)


def _joined(prefixes: set[str]) -> str:
    """The initials column of these prefixes: their tokens, sorted."""
    if not prefixes:
        return ""
    return INITIAL + _NEXT.join(sorted(prefixes))


_NEXT = " " + INITIAL
_PREFIXES: dict[bytes, tuple[str, ...]] = {}  # an ASCII word -> its prefixes with tokens
_PREFIXES_MAX = 50_000  # words remembered (~12 MB at most); then forgotten all at once


def _ascii_tokens(words: set[bytes]) -> set[str]:
    """The prefixes of these ASCII words that have initials tokens. Each word's are remembered:
    a language's common words recur in every story, and the union of remembered tuples is made
    in C (an English story's ~40 distinct words took ~25 µs of Python loops)."""
    global _PREFIXES
    known = _PREFIXES  # never emptied (another thread may be reading it): replaced when full
    if len(known) > _PREFIXES_MAX:
        known = _PREFIXES = {}
    for word in words.difference(known):
        text = word.decode()
        known[word] = tuple(text[:n] for n in (1, *PREFIXES) if n == 1 or len(text) > n)
    return set().union(*map(known.__getitem__, words))


def index_entry(item: ParsedItem) -> tuple[Entry, set[bytes] | None]:
    """A new item's index entry (it has no full text yet), and the ASCII words of its text when
    it is ASCII alone (searchtext.ascii_words: the initials are made of them, and the rules'
    matchers read them too)."""
    text = body_text(item.summary, item.content, item.content_type, None)
    texts = [cjk_split(item.title or ""), cjk_split(item.author or ""), cjk_split(text)]
    words = None
    if all(len(parts) == 1 for parts in texts):
        joined = f"{texts[0][0]} {texts[1][0]} {text}"
        words = ascii_words(joined) if joined.isascii() else None
    title, author, body = map(form_of, texts)
    return (title, author, body, split_initials(texts, words)), words


def item_index(item: ParsedItem) -> Entry:
    """A new item's index entry: title, author, body and initials."""
    return index_entry(item)[0]


def with_index(parsed: ParsedFeed, terms_of: TermsOf | None = None) -> ParsedFeed:
    """`parsed` with each item's index entry made (in the parser processes, which have a core
    of their own, so that the store's writer only inserts); with `terms_of`, also which of the
    rules' words each item holds (ParsedItem.terms)."""
    if not parsed.items:
        return parsed
    items = []
    for item in parsed.items:
        entry, words = index_entry(item)
        terms = None if terms_of is None else terms_of(entry, words)
        items.append(replace(item, index=entry, terms=terms))
    return replace(parsed, items=tuple(items))
