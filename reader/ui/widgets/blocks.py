"""Article blocks (reader.articles.blocks) as widgets. Text reaches them only as `Content` or
Rich `Text` built from plain strings: nothing a feed wrote is ever read as markup."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Rule as RuleWidget
from textual.widgets import Static

from reader.articles.blocks import (
    Block,
    Code,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Span,
    Spans,
    Table,
    image_label,
    marked,
)
from reader.articles.tables import GAP, fits, records
from reader.ui.widgets.prose import Prose

LINK = "underline"
MARKER = "$text-accent"


def span_style(span: Span, marker: bool = False) -> str:
    """A Content style for one span (theme variables only, no colours)."""
    if marker:
        return MARKER
    parts = [name for name, on in (("bold", span.bold), ("italic", span.italic),
             ("strike", span.strike)) if on]  # fmt: skip
    if span.code:
        parts.append("$text-secondary")
    if span.link is not None:
        parts.append(LINK)
    return " ".join(parts)


def spans_content(spans: Spans) -> Content:
    """Inline spans as Content, each link followed by its `[n]` marker."""
    parts: list[tuple[str, str]] = []
    for span in marked(spans):
        is_marker = span.link is not None and span.text == f"[{span.link}]"
        parts.append((span.text.expandtabs(4), span_style(span, is_marker)))
    return Content.assemble(*parts)


def spans_text(spans: Spans) -> Text:
    """Inline spans as Rich Text (for table cells); no markup is parsed."""
    text = Text(end="")
    for span in marked(spans):
        style = " ".join(name for name, on in (("bold", span.bold), ("italic", span.italic),
                         ("underline", span.link is not None)) if on)  # fmt: skip
        text.append(span.text, style or None)
    return text


def _paragraphs(run: Sequence[Paragraph | Image]) -> Prose:
    """Consecutive paragraphs and images as one widget (blank lines between them)."""
    pieces: list[Content] = []
    for block in run:
        if isinstance(block, Image):
            pieces.append(Content.styled(image_label(block.alt), "$text-muted italic"))
        else:
            pieces.append(spans_content(block.spans))
    return Prose(Content("\n\n").join(pieces), classes="para")


def _grid(block: Table) -> Static:
    from rich import box  # rich.table loads with the first table, not at startup
    from rich.table import Table as RichTable

    # GAP columns between two columns, as tables.fits counts: a cell's right padding, then
    # the box's one-column separator (none before the first column or after the last)
    table = RichTable(box=box.SIMPLE_HEAD, show_header=bool(block.header), expand=False,
                      padding=(0, GAP - 1, 0, 0), pad_edge=False, show_edge=False)  # fmt: skip
    columns = max((len(r) for r in (*block.header, *block.body)), default=0)
    header = block.header[0] if block.header else ()
    for i in range(columns):
        cell = spans_text(header[i]) if i < len(header) else Text("")
        table.add_column(cell, header_style="bold", overflow="fold")
    for row in (*block.header[1:], *block.body):
        table.add_row(*(spans_text(c) for c in row), *([Text("")] * (columns - len(row))))
    return Static(table, classes="grid")


def _records(block: Table) -> Prose:
    """The table as `column: value` lines, a blank line between rows (tables.records)."""
    rows = [
        Content("\n").join(
            Content.assemble(_one_line(name).stylize("bold"), ": ", _one_line(cell))
            for name, cell in record
        )
        for record in records(block.header, block.body)
    ]
    return Prose(Content("\n\n").join(rows), classes="records")


def _one_line(spans: Spans) -> Content:
    """A cell's spans as Content on one line (a record is one line per cell, wrapped)."""
    return Content(" ").join(spans_content(spans).split("\n"))


class TableBlock(Widget):
    """A table: a grid while every column fits the pane (tables.fits), else each row as
    `column: value` lines; a table wider than the pane never loses a column."""

    def __init__(self, block: Table) -> None:
        super().__init__(classes="table")
        self.block = block
        self.grid = _grid(block)
        self.records = _records(block)
        self.laid_out_for = -1

    def compose(self) -> ComposeResult:
        """Both layouts; the width shows one."""
        yield self.grid
        yield self.records

    def on_resize(self, event: events.Resize) -> None:
        """Show the layout that fits the new width."""
        self.lay_out(event.size.width)

    def lay_out(self, width: int) -> None:
        """Show the grid when the table fits `width`, else the records."""
        if width != self.laid_out_for:
            self.laid_out_for = width
            grid = fits(self.block.header, self.block.body, width)
            self.grid.display, self.records.display = grid, not grid


def _list(block: ListBlock, depth: int) -> Vertical:
    items: list[Widget] = []
    for n, item in enumerate(block.items, block.start):
        bullet = f"{n}." if block.ordered else ("•", "◦", "▪")[depth % 3]
        body = Vertical(*block_widgets(item, depth + 1), classes="item-body")
        items.append(Horizontal(Static(Content(bullet), classes="bullet"), body, classes="item"))
    return Vertical(*items, classes="list")


def _one(block: Block, depth: int) -> Widget:
    if isinstance(block, Heading):
        content = spans_content(block.spans)
        return Prose(content, classes=f"heading h{min(max(block.level, 1), 6)}")
    if isinstance(block, Code):
        return Static(Content(block.text.expandtabs(4)), classes="code")
    if isinstance(block, Table):
        return TableBlock(block)
    if isinstance(block, ListBlock):
        return _list(block, depth)
    if isinstance(block, Quote):
        return Vertical(*block_widgets(block.blocks, depth + 1), classes="quote")
    if isinstance(block, Rule):
        return RuleWidget(classes="rule")
    return _paragraphs([block]) if isinstance(block, Paragraph | Image) else Static("")


def block_widgets(blocks: Sequence[Block], depth: int = 0) -> list[Widget]:
    """One widget per block; runs of paragraphs and images share one widget (a long article
    stays a few dozen widgets, not thousands)."""
    widgets: list[Widget] = []
    run: list[Paragraph | Image] = []
    for block in blocks:
        if isinstance(block, Paragraph | Image):
            run.append(block)
            continue
        if run:
            widgets.append(_paragraphs(run))
            run = []
        widgets.append(_one(block, depth))
    if run:
        widgets.append(_paragraphs(run))
    return widgets


class LinkList(Static):
    """The numbered links at the end of an article, one per line; a click opens one."""

    class Clicked(Message):
        """Link number `number` (1-based) was clicked."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, links: Sequence[str]) -> None:
        lines = [Content.assemble((f"[{n}] ", MARKER), (url, LINK))
                 for n, url in enumerate(links, 1)]  # fmt: skip
        super().__init__(Content("\n").join(lines), classes="links")
        self.count = len(links)

    def on_click(self, event: events.Click) -> None:
        """Which line was clicked names the link."""
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= offset.y < self.count:
            self.post_message(self.Clicked(offset.y + 1))
