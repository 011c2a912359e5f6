"""Paragraph text wrapped the way `reader.articles.blocks.wrap` does it: by terminal columns,
between wide (CJK) characters, and never with closing punctuation such as 。or ） at the start
of a line (Textual's own wrapping breaks only at spaces, or anywhere)."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from reader.articles.blocks import wrap


def wrap_content(content: Content, width: int) -> Content:
    """`content` with line breaks inserted to fit `width` columns (styles kept)."""
    lines: list[Content] = []
    for line in content.split("\n"):
        plain = line.plain
        position = 0
        for piece in wrap(plain, width):
            start = plain.find(piece, position)
            if start < 0:  # wrap() changed the text: fall back to one unwrapped line
                start, piece = position, plain[position:]
            lines.append(line[start : start + len(piece)])
            position = start + len(piece)
    return Content("\n").join(lines)


class Prose(Widget):
    """Styled text, wrapped CJK-aware (see `wrap_content`)."""

    def __init__(self, content: Content, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.content = content
        self._wrapped: tuple[int, Content] | None = None

    def wrapped(self, width: int) -> Content:
        """The text wrapped to `width` (cached per width)."""
        if self._wrapped is None or self._wrapped[0] != width:
            self._wrapped = (width, wrap_content(self.content, max(width, 2)))
        return self._wrapped[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the wrapped text has."""
        if not self.content:
            return 0
        return self.wrapped(width).plain.count("\n") + 1

    def render(self) -> Content:
        """The wrapped text (CSS keeps Textual from wrapping it again)."""
        return self.wrapped(self.size.width)
