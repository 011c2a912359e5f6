"""Text in terminal columns: how wide a string shows (a Chinese character takes two columns, a
combining accent none, an escape sequence of our own bold none), cut to a width with "…",
padded to one, wrapped to one.

The home of wcwidth. Picked because it is the reference implementation of POSIX wcwidth(3) in
Python with current Unicode tables (wide and zero-width characters, emoji sequences, grapheme
clusters), kept up (several releases a year), pure Python with no dependencies, and it measures,
clips and wraps text holding SGR sequences, which `tidings search`'s bold needs. rich's
cell_len is the UI toolkit's (the core never imports rich), and unicodedata.east_asian_width
alone counts combining marks and zero-width joiners as columns.
"""

from __future__ import annotations

import re
import shutil
import sys
from typing import TextIO

import wcwidth

ELLIPSIS = "…"
_TRAILING_SPACE = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$")


def width(text: str) -> int:
    """The columns `text` takes on a terminal (escape sequences take none)."""
    return int(wcwidth.width(text, control_codes="ignore"))


def fit(text: str, columns: int) -> str:
    """`text` cut to `columns` columns, ending in "…" when something was cut (styles opened
    in the part kept are closed)."""
    if width(text) <= columns:
        return text
    if columns <= 0:
        return ""
    kept: str = wcwidth.clip(text, 0, columns - 1, control_codes="ignore")
    # a wide character cut in half leaves a space; no space before the "…" (nor one of the text's)
    return _TRAILING_SPACE.sub(r"\1", kept) + ELLIPSIS


def pad(text: str, columns: int) -> str:
    """`text` cut to `columns` (see `fit`), then filled with spaces to exactly that width."""
    text = fit(text, columns)
    return text + " " * max(0, columns - width(text))


def wrap(text: str, columns: int) -> list[str]:
    """`text` as lines of at most `columns` columns, broken between words, and anywhere
    between Chinese, Japanese or Korean characters (Unicode line breaking)."""
    lines: list[str] = wcwidth.wrap(text, max(columns, 1))
    return lines or [""]


def terminal_columns(stream: TextIO | None = None) -> int | None:
    """The width of the terminal `stream` (stdout) writes to, or None when it is a pipe or a
    file (lines are then written whole)."""
    stream = stream or sys.stdout
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size().columns
