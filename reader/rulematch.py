"""Matching a rule's words against a new item, as the search index would match them.

The words match as the index matches them (searchtext.py and store/search.py): case and Latin
diacritics folded, a word matches whole words (`elect*` a prefix), a phrase its words in a row,
and a Chinese, Japanese or Korean run anywhere inside a longer run (the index's bigrams).

Making an item's shown text (HTML to plain text, as the index has it) costs more than a feed
reader can spend per new item on a cold refresh of 25,000, so a term is first looked for in the
item's raw text (every field folded as it came, markup kept, entities decoded). A word of the
shown text is in the raw text too (unless markup splits the word, `bit<b>coin</b>`: the one
difference from the index), so a word missing from it decides; a match found there outside any
tag, away from markup and entities, decides too. Only what is left (a phrase across tags, a match
next to markup, a page with scripts) is settled on the shown text (`benchmarks/rules.py`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from reader.models import ParsedItem
from reader.searchtext import CJK, body_text
from reader.store.query import Term

_TOKEN = re.compile(r"[^\W_]+")  # what unicode61 keeps as a token, near enough (store/search.py)
_CJK_RUN = re.compile(f"([{CJK}]+)")
_IS_CJK = re.compile(f"[{CJK}]")
_LATIN = f"[^\\W_{CJK}]"  # a letter or digit that is not CJK: a token goes on through it
_SEP = "(?:(?!\x00)[\\W_])"  # a separator inside one field (fields are joined with NUL)
_ACCENTED = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")
_MARKS = re.compile("[\u0300-\u036f]")
_HIDDEN = re.compile(r"<(?:script|style|!--)", re.I)  # the shown text leaves these out
_LOOSE = f"(?:{_SEP}|<[^>\x00]*>)"  # a separator, or a tag (the shown text drops it)
HTML_FIELDS = (2, 3)  # summary and content, in the order ItemText joins the fields


def fold(text: str) -> str:
    """`text` as the index compares it: lower case, Latin diacritics removed (café → cafe)."""
    text = text.lower()
    if text.isascii() or not _ACCENTED.search(text):
        return text
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", stripped)  # Hangul syllables come back whole


def raw_text(item: ParsedItem, feed_title: str = "") -> str:
    """The item's fields folded as they came (the entities of HTML bodies decoded), NUL between
    them: title, author, summary, content, and the feed's title."""
    summary, content = item.summary, item.content
    if item.content_type != "text":  # the index decodes HTML bodies, reads the rest as is
        summary = html.unescape(summary) if "&" in summary else summary
        content = html.unescape(content) if "&" in content else content
    return fold(f"{item.title}\x00{item.author}\x00{summary}\x00{content}\x00{feed_title}")


def terms_held(item: ParsedItem, terms: Sequence[TermMatcher]) -> tuple[int, ...]:
    """Which of `terms` the item's shown text holds (its feed's title aside), by index: worked
    out in the parser process, so that the refresh's own process only does set operations
    (rules.py). Most terms are ruled out by their first word missing from the raw text."""
    text = ItemText(item, "")
    raw = text.raw
    return tuple(n for n, m in enumerate(terms) if m.first in raw and m.matches(text))


class ItemText:
    """An item's fields as the matchers read them: `raw` (cheap) and `whole` (the shown text,
    made only when a match on `raw` cannot decide), each folded once and only when asked."""

    __slots__ = ("_author", "_ends", "_item", "_raw", "_safe", "_tags", "_whole", "feed_title")

    def __init__(self, item: ParsedItem, feed_title: str) -> None:
        self._item = item
        self.feed_title = feed_title
        self._whole: str | None = None
        self._author: str | None = None
        self._raw: str | None = None
        self._ends: list[int] = []
        self._safe: tuple[bool, ...] = ()
        self._tags = False

    @property
    def raw(self) -> str:
        """Title, author, summary, content and feed title folded as they came (the entities
        of HTML bodies decoded), NUL between them."""
        if self._raw is None:
            self._raw = raw_text(self._item, self.feed_title)
        return self._raw

    def _layout(self) -> None:
        """Where each field ends in `raw`, which fields' matches can be trusted as the shown
        text's (not where an entity was decoded, since the index decodes after removing tags;
        not in HTML with scripts, styles or comments, which the shown text drops), and whether
        the HTML bodies have tags."""
        raw, i = self.raw, self._item
        ends, at = [], -1
        while (at := raw.find("\x00", at + 1)) >= 0:
            ends.append(at)
        self._ends = [*ends, len(raw)]
        tagged = i.content_type != "text"
        bodies = (i.summary, i.content)
        safe = [not tagged or ("&" not in f and not _HIDDEN.search(f)) for f in bodies]
        self._safe = (True, True, *safe, True)
        self._tags = tagged and any("<" in f for f in bodies)

    @property
    def plain(self) -> bool:
        """Whether the raw text is the shown text (no markup, no entities): then a phrase
        missing from it is missing from the shown text too."""
        if not self._safe:
            self._layout()
        return not self._tags and all(self._safe)

    def settles(self, start: int, end: int) -> bool:
        """Whether a match at raw[start:end] is a match of the shown text too: in a plain field,
        or in an HTML one outside every tag, with no markup in it or at either side."""
        if not self._safe:
            self._layout()
        raw, ends = self.raw, self._ends
        field = 0
        while ends[field] < end:
            field += 1
        if not self._safe[field]:
            return False
        if field not in HTML_FIELDS or not self._tags:
            return True
        begin = ends[field - 1] + 1
        near = raw[max(start - 1, begin) : end + 1]
        if "<" in near or ">" in near:
            return False
        return raw.rfind("<", begin, start) <= raw.rfind(">", begin, start)

    @property
    def author(self) -> str:
        """The folded author."""
        if self._author is None:
            self._author = fold(self._item.author)
        return self._author

    @property
    def whole(self) -> str:
        """Title, author, the shown body and the feed's title, folded, NUL between them (a
        phrase never runs from one into the next, as in the index's columns)."""
        if self._whole is None:
            i = self._item
            body = body_text(i.summary, i.content, i.content_type, None)
            self._whole = fold("\x00".join((i.title, i.author, body, self.feed_title)))
        return self._whole


@dataclass(frozen=True, slots=True)
class TermMatcher:
    """One word or phrase of a rule: the text it starts with, found with str.find (a regex
    that starts with a look-behind is tried at every position, thirty times slower), and the
    pattern that decides at each place it is found."""

    first: str
    pattern: re.Pattern[str]
    loose: re.Pattern[str] | None  # a phrase with tags allowed between its words

    def search(self, folded: str, pattern: re.Pattern[str] | None = None) -> bool:
        """Whether the folded text holds the term (or `pattern`)."""
        pattern = pattern or self.pattern
        at = folded.find(self.first)
        while at >= 0:
            if pattern.match(folded, at):
                return True
            at = folded.find(self.first, at + 1)
        return False

    def matches(self, text: ItemText) -> bool:
        """Whether the item's shown text holds the term, settled on its raw text when it can."""
        raw = text.raw
        at = raw.find(self.first)
        unsure = False
        while at >= 0:
            found = self.pattern.match(raw, at)
            if found is not None:
                if text.settles(found.start(), found.end()):
                    return True
                unsure = True
            at = raw.find(self.first, at + 1)
        if not unsure and (self.loose is None or text.plain or not self.search(raw, self.loose)):
            return False  # what the raw text lacks, with tags between words, the shown text lacks
        return self.search(text.whole)


def term_matcher(term: Term) -> TermMatcher | None:
    """The matcher of a word or phrase; None when it has no letter or digit (the index
    ignores such a term too)."""
    pieces: list[tuple[bool, str]] = []  # (is a CJK run, text), in order
    for token in _TOKEN.findall(fold(term.text)):
        pieces += [(bool(_IS_CJK.match(p)), p) for p in _CJK_RUN.split(token) if p]
    if not pieces:
        return None
    loose = _pattern(pieces, term.prefix, _LOOSE) if len(pieces) > 1 else None
    return TermMatcher(pieces[0][1], _pattern(pieces, term.prefix, _SEP), loose)


def _pattern(pieces: list[tuple[bool, str]], prefix: bool, sep: str) -> re.Pattern[str]:
    out: list[str] = []
    for n, (cjk, text) in enumerate(pieces):
        if n:  # a CJK run next to a word need not be spaced from it; two runs or two words must
            out.append(f"{sep}+" if cjk == pieces[n - 1][0] else f"{sep}*")
        if cjk:
            out.append(re.escape(text))
            continue
        last = n == len(pieces) - 1
        right = "" if last and prefix else f"(?!{_LATIN})"
        out.append(f"(?<!{_LATIN}){re.escape(text)}{right}")
    return re.compile("".join(out))
