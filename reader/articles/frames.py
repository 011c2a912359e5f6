"""The open containers of the block builder (builder.py), and how each closes into blocks:
text runs with their styles, whitespace folded as a browser folds it, spans trimmed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeAlias

from lxml.etree import _Element

from reader.articles.blocks import (
    Block,
    Code,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Row,
    Span,
    Spans,
    Table,
    cell_width,
    image_label,
)

Key: TypeAlias = tuple[bool, bool, bool, bool, int | None]  # bold, italic, code, strike, link
PLAIN: Key = (False, False, False, False, None)
WHITESPACE = re.compile(r"[ \t\n\r\f]+")
LANGUAGE = re.compile(r"(?:^|\s)lang(?:uage)?-([\w+#.-]{1,32})")


@dataclass(slots=True)
class Run:
    key: Key
    parts: list[str]


@dataclass
class Frame:
    """An open container (root, list, item, quote, table) or leaf (heading, cell, caption, pre)."""

    kind: str
    number: int = 1  # heading level, list start
    flag: bool = False  # ordered list, header cell, inside a table's thead
    language: str = ""
    blocks: list[Block] = field(default_factory=list)
    runs: list[Run | Image] = field(default_factory=list)
    items: list[tuple[Block, ...]] = field(default_factory=list)
    header: list[Row] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    row: list[tuple[Spans, bool]] | None = None


def language_of(element: _Element) -> str:
    match = LANGUAGE.search(element.get("class") or "")
    return match.group(1) if match else ""


def collapse(text: str) -> str:
    """Whitespace folded as a browser does; a line break between two CJK characters vanishes.
    `text` has passed textsafe.display (no C0 controls but tab and newline)."""
    if text.isascii():  # str.split folds exactly " \t\n" here, many times faster than a regex
        if "  " not in text and "\n" not in text and "\t" not in text:
            return text  # nothing to fold: the usual case
        inner = " ".join(text.split())
        if not inner:
            return " "
        return (" " if text[0] in " \t\n" else "") + inner + (" " if text[-1] in " \t\n" else "")
    if "\n" not in text:
        return WHITESPACE.sub(" ", text) if "  " in text or "\t" in text else text

    def fold(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        around = text[start - 1 : start] + text[end : end + 1]
        return "" if "\n" in match.group() and cell_width(around) == 4 else " "

    return WHITESPACE.sub(fold, text)


def spans_of(runs: list[Run | Image]) -> Spans:
    """Runs as spans, trimmed of whitespace at both ends."""
    spans = [
        Span(image_label(run.alt)) if isinstance(run, Image) else Span("".join(run.parts), *run.key)
        for run in runs
    ]
    while spans and not spans[0].text.strip(" \n"):
        spans.pop(0)
    while spans and not spans[-1].text.strip(" \n"):
        spans.pop()
    if spans and spans[0].text[0] in " \n":
        spans[0] = Span(spans[0].text.lstrip(" \n"), *flags_of(spans[0]))
    if spans and spans[-1].text[-1] in " \n":
        spans[-1] = Span(spans[-1].text.rstrip(" \n"), *flags_of(spans[-1]))
    return tuple(spans)


def flags_of(span: Span) -> Key:
    return span.bold, span.italic, span.code, span.strike, span.link


def inline_blocks(runs: list[Run | Image]) -> list[Block]:
    """Inline content as blocks: Image blocks when it is only images, else a Paragraph."""
    images = [run for run in runs if isinstance(run, Image)]
    if images and all(isinstance(run, Image) or not "".join(run.parts).strip() for run in runs):
        return list(images)
    spans = spans_of(runs)
    return [Paragraph(spans)] if spans else []


def closed(frame: Frame) -> list[Block]:
    """The blocks a closed frame leaves in the container around it."""
    if frame.kind in ("heading", "caption"):
        spans = spans_of(frame.runs)
        return [Heading(frame.number, spans) if frame.kind == "heading" else Paragraph(spans)]
    if frame.kind == "list" and frame.items:
        return [ListBlock(frame.flag, tuple(frame.items), frame.number)]
    if frame.kind == "quote" and frame.blocks:
        return [Quote(tuple(frame.blocks))]
    if frame.kind == "table" and (frame.header or frame.rows):
        return [*frame.blocks, Table(tuple(frame.header), tuple(frame.rows))]
    if frame.kind == "pre":
        text = "".join(part for run in frame.runs if isinstance(run, Run) for part in run.parts)
        text = text.removeprefix("\n").rstrip()
        return [Code(text, frame.language)] if text.strip() else []
    return frame.blocks


def new_frame(kind: str, element: _Element, tag: str) -> Frame:
    if kind == "heading":
        return Frame(kind, number=int(tag[1]))
    if kind == "list":
        try:
            start = max(-(10**9), min(int(element.get("start") or "1"), 10**9))
        except ValueError:
            start = 1
        return Frame(kind, number=start, flag=tag == "ol")
    if kind == "pre":
        code = element.find("code")
        inner = language_of(code) if code is not None else ""
        return Frame(kind, language=language_of(element) or inner)
    return Frame(kind, flag=tag == "th")
