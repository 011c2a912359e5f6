"""Matching a rule's words against a new item, as the search index matches them.

The matchers read an item's index text (indextext.item_index: title, author and the body as
plain text, CJK runs as bigrams), which the parser processes make for every new item anyway, and
fold it as the index's tokenizer does (case and Latin diacritics): a word matches a whole token
(`elect*` the start of one), a phrase its tokens in a row inside one column, and a Chinese,
Japanese or Korean run its bigrams in a row, exactly as a query of the index would
(store/search.py; tests/core/test_rules.py compares the two on every query it knows).

In the parser processes, every term is first looked up in the set of the text's ASCII words,
made once per item in C (the text encoded with every other character replaced, punctuation
turned into spaces, split): a word absent from it is absent from the text, and one present in a
text of ASCII alone is a whole token there. Only what that leaves open (a prefix, a phrase, a
word that is not ASCII, a word next to other scripts) is looked for with str.find, which scans
in C (a regex that starts with a look-behind is tried at every position, thirty times slower),
its occurrences checked for word edges, and a phrase is tried only where all its tokens occur.
Twenty str.find scans of each item cost more than the set (`benchmarks/rules.py`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from reader.indextext import index_title, item_index
from reader.models import ParsedItem
from reader.searchtext import ascii_words, has_words, query_form
from reader.store.query import Term

_TOKEN = re.compile(r"[^\W_]+")  # what unicode61 keeps as a token, near enough (store/search.py)
_SEP = "(?:(?!\x00)[\\W_])+"  # separators inside one column (columns are joined with NUL)
_ACCENTED = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")
_MARKS = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """`text` as the index compares it: lower case, Latin diacritics removed (café → cafe)."""
    text = text.lower()
    # accented letters are not in NFD (they decompose); that check is ten times faster
    if text.isascii() or unicodedata.is_normalized("NFD", text) or not _ACCENTED.search(text):
        return text
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", stripped)  # Hangul syllables come back whole


def item_text(item: ParsedItem) -> str:
    """An item's index text (title, author, body) folded, NUL between the columns."""
    return fold("\x00".join((item.index or item_index(item))[:3]))


def title_text(title: str) -> str:
    """A feed's title (or an author) as the index has it, folded."""
    return fold(index_title(title))


class TermsHeld:
    """Which of the rules' terms an item's index entry holds (ParsedItem.terms), worked out in
    the parser processes beside the entry (indextext.with_index), so that the refresh's
    own process only does set operations. The terms are sorted once: an ASCII word is looked
    up among the text's ASCII words, the rest are gated on them and looked for in the text."""

    def __init__(self, terms: Sequence[Matcher]) -> None:
        self.terms = terms
        self.words = [(w[0], n) for n, m in enumerate(terms) if m.is_word and (w := m.words)]
        self.others = [(n, m) for n, m in enumerate(terms) if not m.is_word]

    def __call__(self, entry: Sequence[str], words: set[bytes] | None = None) -> tuple[int, ...]:
        """The numbers of the terms `entry` (title, author, body, ...) holds, its feed's title
        aside; `words`: the searchtext.ascii_words of a text of ASCII alone, when at hand."""
        joined = "\x00".join(entry[:3])
        plain = joined.isascii()
        text = None if plain else fold(joined)
        if words is None:
            words = ascii_words(joined if text is None else text)
        held = [n for word, n in self.words if word in words]
        if text is not None:  # next to other scripts an ASCII word may be part of a longer one
            held = [n for n in held if self.terms[n].found(text)]
        for n, m in self.others:
            verdict = m.gate(words, plain)
            if verdict is None:
                text = fold(joined) if text is None else text
                verdict = m.found(text)
            if verdict:
                held.append(n)
        return tuple(sorted(held))


class ItemText:
    """A new item's texts as the matchers read them, each made once and only when asked."""

    __slots__ = ("_author", "_item", "_whole", "feed_title")

    def __init__(self, item: ParsedItem, feed_title: str) -> None:
        self._item = item
        self.feed_title = feed_title
        self._whole: str | None = None
        self._author: str | None = None

    @property
    def whole(self) -> str:
        """Title, author, body and the feed's title (a word matches an item by its feed's
        name too, store/search.py), folded, NUL between them."""
        if self._whole is None:
            self._whole = f"{item_text(self._item)}\x00{title_text(self.feed_title)}"
        return self._whole

    @property
    def author(self) -> str:
        """The author as the index's author column has it, folded."""
        if self._author is None:
            self._author = title_text(self._item.author)
        return self._author


@dataclass(frozen=True, slots=True)
class Matcher:
    """One word or phrase of a rule: its tokens (folded, in the index's form), whether the last
    one is a prefix, and for a phrase the pattern of its tokens in a row."""

    key: str  # the same for two terms that match alike
    tokens: tuple[str, ...]
    prefix: bool
    phrase: re.Pattern[str] | None
    words: tuple[bytes, ...] | None  # the ASCII tokens that must be whole words (None: not all
    # of the tokens are ASCII)

    @property
    def is_word(self) -> bool:
        """An ASCII word, not a prefix: decided by a text's ASCII words alone."""
        return self.words is not None and self.phrase is None and not self.prefix

    def gate(self, words: set[bytes], plain: bool) -> bool | None:
        """What a text's searchtext.ascii_words tell of the term (`plain`: the text is ASCII
        alone): held, not held, or None when only `found` can tell."""
        if self.words is None:
            return False if plain else None  # a term that is not ASCII: not in such a text
        if any(w not in words for w in self.words):
            return False
        if plain and self.phrase is None and not self.prefix:
            return True  # an ASCII word among the words of an ASCII text
        return None

    def found(self, text: str) -> bool:
        """Whether folded index text holds the term."""
        first = self.tokens[0]
        if self.phrase is not None:
            return self._phrase(text)
        at, end = text.find(first), len(first)
        while at >= 0:
            if (at == 0 or not text[at - 1].isalnum()) and (
                self.prefix or at + end == len(text) or not text[at + end].isalnum()
            ):
                return True
            at = text.find(first, at + 1)
        return False

    def _phrase(self, text: str) -> bool:
        if any(t not in text for t in self.tokens[1:]):
            return False
        pattern = self.phrase
        assert pattern is not None
        return pattern.search(text) is not None


def matcher(term: Term) -> Matcher | None:
    """The matcher of a word or phrase; None when it has no letter or digit (the index
    ignores such a term too)."""
    if not has_words(term.text):
        return None
    text, lone = query_form(term.text)
    tokens = tuple(_TOKEN.findall(fold(text)))
    if not tokens:
        return None
    prefix = lone or term.prefix
    key = " ".join(tokens) + "*" * prefix
    whole = tokens[:-1] if prefix else tokens
    words = tuple(t.encode() for t in whole) if all(t.isascii() for t in tokens) else None
    if len(tokens) == 1:
        return Matcher(key, tokens, prefix, None, words)
    # the first token, then "not inside a longer word" looked at behind it: a pattern that
    # starts with a literal is searched for by the regex engine's fast scan (one search of a
    # story of common words took ~4 µs this way, ~40 with the look-behind first)
    first = re.escape(tokens[0])
    rest = "".join(_SEP + re.escape(t) for t in tokens[1:])
    end = "" if prefix else "(?![^\\W_])"
    pattern = re.compile(f"{first}(?<![^\\W_]{first}){rest}{end}")
    return Matcher(key, tokens, prefix, pattern, words)
