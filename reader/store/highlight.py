"""Snippets: where a search's words occur in an item's text, as offsets a caller can style.

Matching follows the index: case and diacritics are folded (café matches CAFE), a Latin word
matches whole words (or word starts, for a prefix), a CJK run matches as a substring. Text is
folded one character for one character, so offsets in the folded text are offsets in the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.models import Snippet, Span
from reader.searchtext import CJK
from reader.store.query import Term
from reader.textsafe import one_line

_UNIT = re.compile(f"[{CJK}]+|[^\\W_{CJK}]+")
_CJK_CHAR = re.compile(f"[{CJK}]")
_SCAN = 20_000  # characters of a body searched for the snippet's matches (then the first one)
_ELLIPSIS = "…"


def _folds() -> dict[str, str]:
    """Each Latin letter with a diacritic (é, È; not ł) as the ASCII letter it folds to."""
    found: dict[str, str] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if len(base) == 1 and base.isascii() and base.isalpha():
            found[char] = base.lower()
    return found


_FOLDS = _folds()
_ACCENTED = re.compile("[" + "".join(sorted(_FOLDS)) + "]")


def _fold_one(match: re.Match[str]) -> str:
    return _FOLDS[match[0]]


def _folded(text: str) -> str:
    """`text` in lower case with its accented Latin letters as plain ones, one character for
    one (so offsets in it are offsets in `text`: of the lower-case mappings only İ's is longer,
    and it is folded first). A substitution per accented letter: a story has a few (translate()
    looks up every character, 40 times slower). Matching on this text, the patterns are plain
    strings: re.IGNORECASE tried them at every position."""
    return _ACCENTED.sub(_fold_one, text).lower()


def fold(text: str) -> str:
    """`text` lower-cased without diacritics (for query words: short strings)."""
    base = unicodedata.normalize("NFKD", text)
    return "".join(c for c in base if not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class _Word:
    """One query word as a regex (no look-arounds: those need the huge CJK class, and compiling
    that costs ~10 ms per word, paid on every keystroke of a search as you type) and what its
    matches must be checked for."""

    pattern: str
    starts_latin: bool  # a match must not follow a Latin letter or digit
    ends_latin: bool  # ... nor be followed by one (or, for a prefix, runs on over them)
    prefix: bool


def _word(term: Term) -> _Word | None:
    units = _UNIT.findall(fold(term.text))
    if not units:
        return None
    pattern = r"[\W_]*".join(re.escape(unit) for unit in units)
    first, last = (not _CJK_CHAR.match(units[0])), (not _CJK_CHAR.match(units[-1]))
    return _Word(pattern, first, last, term.prefix and last)


def _latin(char: str) -> bool:
    """A letter or digit of a script written with spaces (what unicode61 keeps in a word)."""
    return char.isalnum() and not _CJK_CHAR.match(char)


MAX_TERMS = 32  # words marked in a snippet (the longest first)


class Highlighter:
    """Finds a query's words in text and cuts snippets around them."""

    def __init__(self, terms: Iterable[Term]) -> None:
        words = {w.pattern: w for t in terms if (w := _word(t))}
        self._words = sorted(words.values(), key=lambda w: len(w.pattern), reverse=True)
        self._words = self._words[:MAX_TERMS]  # longest first; hundreds would compile slowly
        alternatives = "|".join(f"(?P<w{i}>{w.pattern})" for i, w in enumerate(self._words))
        self._regex = re.compile(alternatives) if self._words else None

    def spans(self, text: str, limit: int = 64) -> list[Span]:
        """Where the words occur in `text` (at most `limit` places, in order)."""
        if self._regex is None or not text:
            return []
        found: list[Span] = []
        for match in self._regex.finditer(_folded(text[:_SCAN]), 0, _SCAN):
            span = self._checked(text, match)
            if span is not None:
                found.append(span)
                if len(found) >= limit:
                    break
        return found

    def _checked(self, text: str, match: re.Match[str]) -> Span | None:
        """The match as a span if it stands on word boundaries (a prefix runs to its word's end)."""
        word = self._words[int((match.lastgroup or "w0")[1:])]
        start, end = match.span()
        if end <= start or (word.starts_latin and start > 0 and _latin(text[start - 1])):
            return None
        if word.prefix:
            while end < len(text) and _latin(text[end]):
                end += 1
        elif word.ends_latin and end < len(text) and _latin(text[end]):
            return None
        return (start, end)

    def title(self, title: str) -> Snippet:
        """The title on one line with its matches marked."""
        text = one_line(title)
        return Snippet(text, tuple(self.spans(text)))

    def snippet(self, body: str, width: int = 160) -> Snippet:
        """About `width` terminal cells of `body` around the densest cluster of matches."""
        most = len(self._words)  # a window holding every word cannot be bettered
        spans = self.spans(body, 32 if most > 1 else 1)
        if not spans and self._regex is not None and len(body) > _SCAN:
            later = self._regex.search(_folded(body), _SCAN)
            spans = [later.span()] if later else []
        # sanitise a window of the raw text, not a whole long article
        raw = max(0, _best(body, spans, width, most) - width) if spans else 0
        text = one_line(body[raw : raw + width * 4])
        spans = self.spans(text)
        begin = _start_before(text, _best(text, spans, width, most), width // 4) if spans else 0
        end = _cut(text, begin, width)
        lead = _ELLIPSIS if raw + begin > 0 else ""
        tail = _ELLIPSIS if end < len(text) or raw + width * 4 < len(body) else ""
        shift = len(lead) - begin
        marked = tuple((a + shift, b + shift) for a, b in spans if a >= begin and b <= end)
        return Snippet(lead + text[begin:end] + tail, marked)


_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)


def _cells(text: str, start: int, end: int) -> int:
    """Terminal cells of text[start:end] (wide East Asian characters take two)."""
    return end - start + len(_WIDE.findall(text, start, end))


def _cut(text: str, start: int, width: int) -> int:
    """The end of a window of at most `width` cells from `start`, moved back to a space if one
    is near."""
    end = min(len(text), start + width)
    while (over := _cells(text, start, end) - width) > 0:
        end -= (over + 1) // 2
    if end < len(text):
        space = text.rfind(" ", start, end)
        if space > end - 20:
            end = space
    return end


def _best(text: str, spans: Sequence[Span], width: int, most: int) -> int:
    """The start of the match followed by the most distinct matched words within 2/3 `width`
    (the first that holds `most` of them wins at once)."""
    reach = width * 2 // 3
    best, best_score, last = spans[0][0], 0, 0
    for first, (a, _) in enumerate(spans):
        last = max(last, first)
        while last + 1 < len(spans) and spans[last + 1][0] < a + reach:
            last += 1
        score = len({text[x:y].lower() for x, y in spans[first : last + 1]})
        if score > best_score:
            best, best_score = a, score
            if score >= most:
                break
    return best


def _start_before(text: str, pos: int, back: int) -> int:
    """A start about `back` characters before `pos`, after a space when one is near."""
    start = max(0, pos - back)
    if start > 0:
        space = text.find(" ", start, pos)
        start = space + 1 if space >= 0 else start
    return start


def fit(snippet: Snippet, width: int) -> Snippet:
    """The part of `snippet` that fits in `width` terminal cells, centred on its first match
    (a Chinese snippet cut for a wide line would otherwise lose its match past a narrow pane's
    edge), with … where it is cut."""
    text = snippet.text
    if width <= 0 or _cells(text, 0, len(text)) <= width:
        return snippet
    first = snippet.spans[0] if snippet.spans else (0, 0)
    room = max(1, width - 2)  # an ellipsis at each end
    before = max(0, (room - _cells(text, *first)) // 2)
    start = first[0]
    while start > 0 and _cells(text, start - 1, first[0]) <= before:
        start -= 1
    end = _cut_cells(text, start, room)
    if end >= len(text):  # at the end: fill the line from there backwards
        start = _back_cells(text, len(text), width - 1)
        end = len(text)
    if start <= 0:
        start, end = 0, _cut_cells(text, 0, width - 1)
    lead = _ELLIPSIS if start > 0 else ""
    tail = _ELLIPSIS if end < len(text) else ""
    shift = len(lead) - start
    spans = tuple((a + shift, b + shift) for a, b in snippet.spans if a >= start and b <= end)
    return Snippet(lead + text[start:end] + tail, spans)


def _cut_cells(text: str, start: int, width: int) -> int:
    """The end of the longest run from `start` that takes at most `width` cells."""
    end = start
    used = 0
    while end < len(text):
        step = _cells(text, end, end + 1)
        if used + step > width:
            break
        used += step
        end += 1
    return end


def _back_cells(text: str, end: int, width: int) -> int:
    """The start of the longest run ending at `end` that takes at most `width` cells."""
    start = end
    used = 0
    while start > 0:
        step = _cells(text, start - 1, start)
        if used + step > width:
            break
        used += step
        start -= 1
    return start
