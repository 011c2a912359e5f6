"""Neutral document blocks: what `render` makes of an article and what the UI turns into widgets.

A `Document` is a tuple of blocks plus the numbered link list. Inline text is a tuple of `Span`s;
a span's `link` is the 1-based number of its URL in `Document.links`, shown after the anchor text
as `[n]` (see `marked`). Every `Span.text`, alt text and URL here has already passed
`textsafe.display()`; none of it is markup, ever: a UI must show it as plain data.

This module also measures and wraps terminal text (`cell_width`, `wrap`): CJK and other wide
characters take two columns, combining sequences never split, and a light kinsoku keeps closing
punctuation off the start of a line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeAlias


@dataclass(frozen=True, slots=True)
class Span:
    """A run of inline text with one style; `link` numbers its URL in `Document.links`."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    link: int | None = None


Spans: TypeAlias = tuple[Span, ...]
Cell: TypeAlias = Spans
Row: TypeAlias = tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading, `level` 1 to 6."""

    level: int
    spans: Spans


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph; a span text may hold "\\n" where the source had a line break."""

    spans: Spans


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bulleted or numbered list; each item is a tuple of blocks. Numbers count from `start`."""

    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


@dataclass(frozen=True, slots=True)
class Quote:
    """A block quotation."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Code:
    """Preformatted text, shown as is; `language` from a `language-x` class, else ""."""

    text: str
    language: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A table: header rows and body rows of cells; rows may differ in length."""

    header: tuple[Row, ...]
    body: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Image:
    """An image, shown as `[image: alt]`; `src` is an absolute http(s) URL or ""."""

    alt: str
    src: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal rule."""


Block: TypeAlias = Heading | Paragraph | ListBlock | Quote | Code | Table | Image | Rule


@dataclass(frozen=True, slots=True)
class Document:
    """An article as blocks; `links` are the numbered references (number n is `links[n-1]`).

    `truncated` is set when the source was larger than the renderer's bounds; the blocks then
    end with a note saying so.
    """

    blocks: tuple[Block, ...]
    links: tuple[str, ...] = ()
    truncated: bool = False


def image_label(alt: str) -> str:
    """How an image reads as text: `[image: alt]`, or `[image]` without alt text."""
    return f"[image: {alt}]" if alt else "[image]"


def marked(spans: Spans) -> Spans:
    """`spans` with a `[n]` span after the text of each link (the marker carries the link)."""
    out: list[Span] = []
    for i, span in enumerate(spans):
        out.append(span)
        ends_link = i + 1 == len(spans) or spans[i + 1].link != span.link
        if span.link is not None and ends_link:
            out.append(Span(f"[{span.link}]", link=span.link))
    return tuple(out)


def plain(spans: Spans) -> str:
    """The text of `spans` with link markers, as one string (tabs as four spaces)."""
    return "".join(span.text for span in marked(spans)).expandtabs(4)


# --- measuring and wrapping ------------------------------------------------------------------

NO_BREAK_BEFORE = frozenset("。，、．！？；：」』）》〉】〕〗〙〛”’…‥・ー々ゝゞヽヾ!),.:;?]}%")
NO_BREAK_AFTER = frozenset("「『（《〈【〔〖〘〚“‘([{")
_ASCII_TOKEN = re.compile(r" +|[^ ]+")
_Token: TypeAlias = tuple[str, int, bool]  # text, columns, is a space


def _extends(ch: str) -> bool:
    """Whether `ch` can belong to the character before it (or starts a pair or joins on)."""
    code = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc", "Cs")  # marks, surrogate halves
        or ch in "\u200d\ufe0e\ufe0f"
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0x1F1E6 <= code <= 0x1F1FF  # flag halves
    )


def _joins(cluster: str, ch: str) -> bool:
    """Whether `ch` belongs to the cluster before it (a mark, joiner, modifier or pair half)."""
    code, last = ord(ch), ord(cluster[-1])
    if 0x1F1E6 <= code <= 0x1F1FF:
        return len(cluster) == 1 and 0x1F1E6 <= last <= 0x1F1FF
    if 0xD800 <= code <= 0xDBFF:
        return last == 0x200D
    if 0xDC00 <= code <= 0xDFFF:
        return 0xD800 <= last <= 0xDBFF
    return last == 0x200D or _extends(ch)


def clusters(text: str) -> list[str]:
    """`text` as user-perceived characters (a base character with its marks and joiners)."""
    if text.isascii() or not any(map(_extends, set(text))):
        return list(text)
    out: list[str] = []
    for ch in text:
        if out and _joins(out[-1], ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out


_WIDTHS: dict[str, int] = {}


def _width(ch: str) -> int:
    """Columns of one character: 2 for East Asian wide and fullwidth, 0 for marks."""
    columns = _WIDTHS.get(ch)
    if columns is None:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            columns = 2
        else:
            columns = 0 if unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cs") else 1
        if len(_WIDTHS) < 65536:
            _WIDTHS[ch] = columns
    return columns


def _columns(cluster: str) -> int:
    base = cluster[0]
    if "\ud800" <= base <= "\udbff" and cluster[1:2] >= "\udc00":  # a UTF-16 pair: decode it
        base = cluster[:2].encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    return _width(base) if base != "\u200d" else 0


def cell_width(text: str) -> int:
    """Terminal columns `text` takes: wide (CJK) characters count two, marks zero."""
    if text.isascii():
        return len(text)
    return sum(map(_columns, clusters(text)))


def _tokens(text: str) -> Iterator[_Token]:
    """Unbreakable pieces of `text`: spaces, words, and wide characters kept with punctuation."""
    if text.isascii():
        for match in _ASCII_TOKEN.finditer(text):
            piece = match.group()
            yield piece, len(piece), piece[0] == " "
        return
    word, word_width, prev, prev_wide = "", 0, "", False
    for cluster in clusters(text):
        if cluster == " ":
            if word:
                yield word, word_width, False
            yield " ", 1, True
            word, word_width, prev = "", 0, ""
            continue
        columns = _columns(cluster)
        wide = columns == 2
        glued = cluster[0] in NO_BREAK_BEFORE or prev[:1] in NO_BREAK_AFTER
        if word and (wide or prev_wide) and not glued:
            yield word, word_width, False
            word, word_width = "", 0
        word, word_width, prev, prev_wide = word + cluster, word_width + columns, cluster, wide
    if word:
        yield word, word_width, False


def longest_word(text: str) -> int:
    """Columns of the widest piece of `text` a line cannot break (a word, a wide character)."""
    return max((columns for _, columns, space in _tokens(text) if not space), default=0)


def _split(token: str, width: int) -> list[tuple[str, int]]:
    """A token wider than `width` cut into pieces of at most `width` columns (one cluster min)."""
    pieces: list[tuple[str, int]] = []
    piece, piece_width = "", 0
    for cluster in clusters(token):
        columns = _columns(cluster)
        if piece and piece_width + columns > width:
            pieces.append((piece, piece_width))
            piece, piece_width = "", 0
        piece, piece_width = piece + cluster, piece_width + columns
    pieces.append((piece, piece_width))
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """`text` (one line, no newlines) wrapped to lines of at most `width` columns.

    Breaks at spaces and between wide characters, never before closing CJK punctuation or after
    opening punctuation; a word longer than a line is cut. Leading spaces are kept.
    """
    width = max(width, 2)
    lines: list[str] = []
    line: list[str] = []
    line_width, gap, gap_width = 0, "", 0
    for token, columns, space in _tokens(text):
        if space:
            if line or lines:
                gap, gap_width = gap + token, gap_width + columns
            else:
                line, line_width = [token], columns
            continue
        if line_width + gap_width + columns <= width:
            line += [gap, token]
            line_width += gap_width + columns
        else:
            if line:
                lines.append("".join(line).rstrip(" "))
            pieces = _split(token, width) if columns > width else [(token, columns)]
            lines += [piece for piece, _ in pieces[:-1]]
            line, line_width = [pieces[-1][0]], pieces[-1][1]
        gap, gap_width = "", 0
    if line or not lines:
        lines.append("".join(line).rstrip(" "))
    return lines


# --- blocks as terminal text ------------------------------------------------------------------


def to_text(doc: Document, width: int = 80) -> str:
    """`doc` as plain terminal text wrapped at `width` columns, then its numbered links."""
    lines = _render(doc.blocks, max(width, 8))
    if doc.links:
        lines += ["", "Links:"] + [f"[{n}] {url}" for n, url in enumerate(doc.links, 1)]
    return "\n".join(lines)


def _render(blocks: tuple[Block, ...], width: int, tight: bool = False) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if lines and not tight:
            lines.append("")
        lines += _block_lines(block, width)
    return lines


def _paragraph(text: str, width: int) -> list[str]:
    return [line for part in text.split("\n") for line in wrap(part, width)]


def _block_lines(block: Block, width: int) -> list[str]:
    match block:
        case Heading(level, spans) if level <= 2:
            lines = _paragraph(plain(spans), width)
            rule = "=" if level == 1 else "-"
            return [*lines, rule * min(width, max(map(cell_width, lines), default=1))]
        case Heading(level, spans):
            return _indent(_paragraph(plain(spans), width - level - 1), "#" * level + " ")
        case Paragraph(spans):
            return _paragraph(plain(spans), width)
        case ListBlock(ordered, items, start):
            return _list_lines(ordered, items, start, width)
        case Quote(blocks):
            return [f"│ {line}".rstrip() for line in _render(blocks, width - 2)]
        case Code(text, _):
            return [("    " + line.expandtabs(4)).rstrip() for line in text.split("\n")]
        case Table(header, body):
            from reader.articles.tables import table_lines  # tables.py builds on this module

            return table_lines(header, body, width)
        case Image(alt, _):
            return wrap(image_label(alt), width)
        case Rule():
            return ["─" * width]
    return []


def _indent(lines: list[str], first: str) -> list[str]:
    """`lines` with `first` before the first one and as much space before the others."""
    rest = " " * cell_width(first)
    return [((first if i == 0 else rest) + line).rstrip() for i, line in enumerate(lines)]


def _list_lines(
    ordered: bool, items: tuple[tuple[Block, ...], ...], start: int, width: int
) -> list[str]:
    marks = [f"{start + i}." for i in range(len(items))] if ordered else ["•"] * len(items)
    mark_width = max(map(len, marks), default=1) + 1
    lines: list[str] = []
    for mark, item in zip(marks, items, strict=True):
        inner = _render(item, max(width - mark_width, 8), tight=True) or [""]
        lines += _indent(inner, mark.rjust(mark_width - 1) + " ")
    return lines
