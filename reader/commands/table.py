"""Lines sized to the terminal: the command line's tables (list, search, bookmarks, feeds) with
columns aligned by display width (reader/cells.py: Chinese counts two columns), each line cut to
the terminal's width with "…", and paragraphs (a summary's sentences) wrapped to it. Into a pipe
or a file, lines stay whole. Imported by those commands only, so that the others start without
the width tables."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from reader import cells, textsafe
from reader.commands import when
from reader.models import Headline

FEED_COLUMN = 24  # columns of the feed name in a headline line
NAME_COLUMN = 40  # at most, of a feed's name (and tags) in `tidings feeds`


def headline(h: Headline, title: str) -> str:
    """One headline: id, flags (* bookmarked, N unread), date, feed, then `title` (already
    safe: sanitised, maybe with our own bold)."""
    flags = ("*" if h.bookmarked else " ") + (" " if h.read else "N")
    name = cells.pad(textsafe.one_line(h.feed_title or h.feed_url), FEED_COLUMN)
    return f"{h.id:>7} {flags} {when(h.published)}  {name}  {title}"


def emit(lines: Iterable[str]) -> None:
    """Print lines whose every part is already safe for a terminal, cut to its width."""
    columns = cells.terminal_columns()
    for line in lines:
        sys.stdout.write((cells.fit(line, columns) if columns else line) + "\n")


def headlines(rows: Iterable[Headline]) -> None:
    """Print headline lines (list, bookmarks)."""
    emit(headline(h, textsafe.one_line(h.title)) for h in rows)


def name_column(names: Iterable[str]) -> int:
    """The width of a column that holds `names` (at most NAME_COLUMN)."""
    return min(NAME_COLUMN, max((cells.width(n) for n in names), default=0))


def hint(text: str) -> None:
    """What to do, on stderr, when a listing is empty (stdout stays empty)."""
    print(f"tidings: {text}", file=sys.stderr)


def paragraphs(texts: Iterable[str]) -> None:
    """Print each text (feed-derived: sanitised here) as one line, wrapped on a terminal."""
    columns = cells.terminal_columns()
    for text in texts:
        line = textsafe.one_line(text)
        for part in cells.wrap(line, columns) if columns else [line]:
            sys.stdout.write(part + "\n")
