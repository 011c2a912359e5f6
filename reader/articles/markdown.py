"""Blocks -> Markdown (CommonMark with pipe tables), and bookmarks as Markdown files.

A bookmark file is YAML front matter (title, url, feed, author, date, tags; every string
JSON-quoted, which YAML reads as is) and then the story. File names are stable, so exporting
again overwrites each file in place: `DATE-ID-SLUG.md`, the date of publication and the item id
fixed, the slug from the title (an older file of the same item is replaced when the title
changes).
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from reader.articles.article import from_stored, story_document
from reader.articles.blocks import (
    Block,
    Code,
    Document,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Row,
    Rule,
    Span,
    Table,
)
from reader.models import Item
from reader.textsafe import one_line

FIELDS = ("title", "url", "feed", "author", "date", "tags")
_ESCAPE = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+[.)])", re.MULTILINE)
_SLUG_DROP = re.compile(r"[\W_]+")
_RUN_OF_BACKTICKS = re.compile(r"`+")


def escape(text: str) -> str:
    """`text` with Markdown's active characters backslash-escaped."""
    return _LINE_START.sub(r"\1\\\2", _ESCAPE.sub(r"\\\1", text))


def _styled(span: Span) -> str:
    core = span.text.strip()
    if not core:
        return span.text
    if span.code:
        fence = "`" * (max(map(len, _RUN_OF_BACKTICKS.findall(core)), default=0) + 1)
        inner = f"{fence} {core} {fence}" if "`" in core else f"{fence}{core}{fence}"
    else:
        inner = escape(core)
        for flag, mark in ((span.bold, "**"), (span.italic, "*"), (span.strike, "~~")):
            if flag:
                inner = f"{mark}{inner}{mark}"
    lead = span.text[: len(span.text) - len(span.text.lstrip())]
    trail = span.text[len(span.text.rstrip()) :]
    return lead + inner + trail


def inline(spans: tuple[Span, ...], links: tuple[str, ...]) -> str:
    """Inline spans as Markdown; consecutive spans of one link become one `[text](url)`."""
    out: list[str] = []
    index = 0
    while index < len(spans):
        link = spans[index].link
        group = [spans[index]]
        while index + len(group) < len(spans) and spans[index + len(group)].link == link:
            group.append(spans[index + len(group)])
        text = "".join(_styled(s) for s in group)
        if link is not None and 0 < link <= len(links) and text.strip():
            url = links[link - 1].replace(" ", "%20").replace(">", "%3E").replace("<", "%3C")
            text = f"[{text.strip()}](<{url}>)"
        out.append(text)
        index += len(group)
    return "".join(out).replace("\n", "  \n").strip()


def to_markdown(doc: Document) -> str:
    """The whole document as Markdown, blocks separated by blank lines."""
    return "\n\n".join(_blocks(doc.blocks, doc.links)) + "\n"


def _blocks(blocks: Iterable[Block], links: tuple[str, ...]) -> list[str]:
    return [text for block in blocks if (text := _block(block, links))]


def _block(block: Block, links: tuple[str, ...]) -> str:
    match block:
        case Heading(level, spans):
            return f"{'#' * level} {inline(spans, links)}"
        case Paragraph(spans):
            return inline(spans, links)
        case ListBlock(ordered, items, start):
            return _list(ordered, items, start, links)
        case Quote(blocks):
            inner = "\n\n".join(_blocks(blocks, links))
            return "\n".join(f"> {line}".rstrip() for line in inner.split("\n"))
        case Code(text, language):
            fence = "`" * max(3, max(map(len, _RUN_OF_BACKTICKS.findall(text)), default=0) + 1)
            return f"{fence}{language}\n{text.rstrip()}\n{fence}"
        case Table(header, body):
            return _table(header, body, links)
        case Image(alt, src):
            return f"![{escape(alt)}](<{src}>)" if src else escape(f"[image: {alt}]")
        case Rule():
            return "***"
    return ""


def _list(
    ordered: bool, items: tuple[tuple[Block, ...], ...], start: int, links: tuple[str, ...]
) -> str:
    lines: list[str] = []
    for n, item in enumerate(items, start):
        mark = f"{n}. " if ordered else "- "
        parts = [(block, text) for block in item if (text := _block(block, links))]
        body = "".join(
            ("" if k == 0 else "\n" if isinstance(block, ListBlock) else "\n\n") + text
            for k, (block, text) in enumerate(parts)
        )
        for k, line in enumerate(body.split("\n")):
            pad = mark if k == 0 else " " * len(mark)
            lines.append((pad + line).rstrip() if line else "")
    return "\n".join(lines)


def _table(header: tuple[Row, ...], body: tuple[Row, ...], links: tuple[str, ...]) -> str:
    rows = [[inline(cell, links).replace("  \n", " ") for cell in row] for row in header + body]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    head = rows[0] if header else [""] * width
    rest = rows[1:] if header else rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rest]
    return "\n".join(lines)


# ---- bookmark files ----------------------------------------------------------------------------


def _field(value: str | list[str]) -> str | list[str]:
    """A front-matter value as one line of displayable text (a feed wrote it: no escape
    sequences, C1 or bidi controls, which a `cat` or a preview would act on)."""
    if isinstance(value, str):
        return one_line(value)
    return [one_line(v) for v in value]


def front_matter(fields: dict[str, str | list[str]]) -> str:
    """YAML front matter; strings are JSON-quoted (valid YAML double-quoted scalars)."""
    lines = [f"{key}: {json.dumps(_field(v), ensure_ascii=False)}" for key, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def read_front_matter(text: str) -> tuple[dict[str, object], str]:
    """The fields and the body of a file written by `bookmark_markdown`."""
    if not text.startswith("---\n"):
        return {}, text
    head, _, body = text[4:].partition("\n---\n")
    fields: dict[str, object] = {}
    for line in head.split("\n"):
        key, sep, value = line.partition(": ")
        if sep:
            fields[key] = json.loads(value)
    return fields, body


def _iso(ts: int | None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts)) if ts else ""


def bookmark_markdown(item: Item) -> str:
    """One bookmark as a Markdown file: front matter, then the story (full text when stored)."""
    article = from_stored(item.full_text) if item.full_text else None
    fields: dict[str, str | list[str]] = {
        "title": item.title or (article.title if article else ""),
        "url": item.link,
        "feed": item.feed_title or item.feed_url,
        "author": item.author or (article.author if article else ""),
        "date": _iso(item.published) or (article.date if article else ""),
        "tags": list(item.tags),
    }
    return front_matter(fields) + "\n" + to_markdown(story_document(item))


def file_name(item: Item) -> str:
    """A stable file name: DATE-ID-SLUG.md (date of publication, UTC)."""
    date = time.strftime("%Y-%m-%d", time.gmtime(item.published or 0))
    words = _SLUG_DROP.sub("-", unicodedata.normalize("NFKC", item.title).lower()).strip("-")
    slug = words[:60].rstrip("-")
    return f"{date}-{item.id}-{slug}.md" if slug else f"{date}-{item.id}.md"


def export_bookmarks(items: Iterable[Item], directory: Path) -> list[Path]:
    """Write one Markdown file per item into `directory` (created if needed), replacing the
    file of an earlier export of the same item; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for item in items:
        path = directory / file_name(item)
        prefix = path.name[: path.name.index(f"-{item.id}", 10) + len(f"-{item.id}")]
        for old in directory.glob(f"{prefix}*.md"):
            if old != path and (old.stem == prefix or old.stem.startswith(prefix + "-")):
                old.unlink()
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(bookmark_markdown(item), encoding="utf-8")
        temporary.replace(path)
        written.append(path)
    return written
