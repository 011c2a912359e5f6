"""Tables laid out for a width: a grid when every column fits side by side, else each row as
`column: value` lines. A table wider than the pane never loses a column: the reading pane's
table widget and `blocks.to_text` both ask `fits` and fall back to `records`.

A column fits when it gets at least its longest word (up to `WORD` columns: longer ones may
break) and `MIN_COLUMN` columns (or its widest cell, when that is narrower), `GAP` apart. Wide
(CJK) characters count two columns, and a run of them breaks between any two.
"""

from __future__ import annotations

from reader.articles.blocks import Row, Span, Spans, cell_width, longest_word, plain, wrap

MIN_COLUMN = 6  # columns: narrower is unreadable
WORD = 16  # columns: a longer word may be broken across lines
GAP = 2  # columns between two columns of a grid
RECORD_INDENT = "  "  # before the lines a long value wraps to


def _texts(rows: tuple[Row, ...]) -> list[list[str]]:
    return [[plain(cell).replace("\n", " ") for cell in row] for row in rows]


def needed(header: tuple[Row, ...], body: tuple[Row, ...]) -> int:
    """The columns a table needs to show as a grid (see the module docstring)."""
    rows = _texts(header + body)
    columns = max(map(len, rows), default=0)
    total = GAP * max(columns - 1, 0)
    for c in range(columns):
        cells = [row[c] for row in rows if c < len(row)]
        widest = max(map(cell_width, cells), default=0)
        word = max(map(longest_word, cells), default=0)
        total += min(widest, max(min(word, WORD), MIN_COLUMN))
    return total


def fits(header: tuple[Row, ...], body: tuple[Row, ...], width: int) -> bool:
    """Whether the table shows as a grid in `width` columns."""
    return needed(header, body) <= width


def records(header: tuple[Row, ...], body: tuple[Row, ...]) -> list[list[tuple[Spans, Spans]]]:
    """Each row (after the first header row) as (column name, cell) pairs: names from the first
    header row, a column's number where it has none; empty cells left out."""
    names = header[0] if header else ()
    out: list[list[tuple[Spans, Spans]]] = []
    for row in header[1:] + body:
        pairs: list[tuple[Spans, Spans]] = []
        for c, cell in enumerate(row):
            if not plain(cell).strip():
                continue
            name = names[c] if c < len(names) and plain(names[c]).strip() else (Span(str(c + 1)),)
            pairs.append((name, cell))
        if pairs:
            out.append(pairs)
    return out


def record_lines(header: tuple[Row, ...], body: tuple[Row, ...], width: int) -> list[str]:
    """The table as `column: value` lines wrapped to `width`, a blank line between rows."""
    lines: list[str] = []
    for record in records(header, body):
        if lines:
            lines.append("")
        for name, cell in record:
            text = f"{plain(name)}: {plain(cell)}".replace("\n", " ")
            wrapped = wrap(text, max(width - len(RECORD_INDENT), 2))
            lines += [wrapped[0], *(RECORD_INDENT + line for line in wrapped[1:])]
    return lines


def grid_lines(header: tuple[Row, ...], body: tuple[Row, ...], width: int) -> list[str]:
    """The table as a grid of `width` columns at most (cells wrapped), a rule under the header."""
    rows = _texts(header + body)
    columns = max(map(len, rows), default=0)
    rows = [row + [""] * (columns - len(row)) for row in rows]
    widths = [min(max(cell_width(row[c]) for row in rows), width) for c in range(columns)]
    room = width - GAP * (columns - 1)
    while sum(widths) > room and max(widths) > 1:
        widths[widths.index(max(widths))] -= 1
    lines: list[str] = []
    for index, row in enumerate(rows):
        cells = [wrap(text, w) if text else [""] for text, w in zip(row, widths, strict=True)]
        for k in range(max(map(len, cells))):
            parts = [_pad(cell[k] if k < len(cell) else "", w)
                     for cell, w in zip(cells, widths, strict=True)]  # fmt: skip
            lines.append((" " * GAP).join(parts).rstrip())
        if index == len(header) - 1:
            lines.append((" " * GAP).join("─" * w for w in widths))
    return lines


def table_lines(header: tuple[Row, ...], body: tuple[Row, ...], width: int) -> list[str]:
    """The table as terminal lines: a grid when it fits `width`, else records."""
    if fits(header, body, width):
        return grid_lines(header, body, width)
    return record_lines(header, body, width)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_width(text))
