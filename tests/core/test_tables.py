"""Wide tables stay readable: a grid while every column fits the width, else each row as
`column: value` lines; no column is ever lost, at any width, with Chinese cells: not in the
text layout, not in `tidings show` or its Markdown, not in the search text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader.articles.blocks import Document, Span, Table, cell_width, to_text
from reader.articles.render import html_to_blocks
from reader.articles.tables import GAP, MIN_COLUMN, fits, needed, record_lines, records
from reader.models import ParsedFeed, ParsedItem
from reader.searchtext import shown_text
from reader.store.db import Store
from tests.core.test_cli import run

NAMES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地人"  # 25 column names, two columns wide


def wide_table() -> Table:
    """25 columns of Chinese names and digits, three rows."""
    head = "".join(f"<th>{c}</th>" for c in NAMES)
    rows = "".join(
        "<tr>" + "".join(f"<td>{(r * 7 + c) % 10}</td>" for c in range(25)) + "</tr>"
        for r in range(3)
    )
    block = html_to_blocks(f"<table><tr>{head}</tr>{rows}</table>").blocks[0]
    assert isinstance(block, Table)
    return block


def cell(text: str) -> tuple[Span, ...]:
    return (Span(text),)


def test_what_a_grid_needs() -> None:
    table = wide_table()
    assert needed(table.header, table.body) == 25 * 2 + GAP * 24  # each column its widest cell
    long = Table((), ((cell("interoperability " * 3), cell("x")),))
    assert needed(long.header, long.body) == 16 + GAP + 1  # a long word may break past 16
    words = Table((), ((cell("a few short words here"), cell("咸宁市严厉禁毒")),))
    assert needed(words.header, words.body) == MIN_COLUMN + GAP + MIN_COLUMN


@pytest.mark.parametrize("width", [43, 80, 120])
def test_no_column_is_lost_at_any_width(width: int) -> None:
    table = wide_table()
    text = to_text(Document((table,)), width)
    lines = text.split("\n")
    assert all(cell_width(line) <= width for line in lines), text
    if fits(table.header, table.body, width):  # 98 columns: the grid at 120
        assert width == 120
        assert all(name in lines[0] for name in NAMES)
        assert len(lines) == 5  # header, rule, three rows
    else:
        for r in range(3):
            for c, name in enumerate(NAMES):
                assert f"{name}: {(r * 7 + c) % 10}" in lines, (name, r)


def test_records_name_columns_and_leave_empty_cells_out() -> None:
    table = Table(
        (((cell("城市"), cell("人口"), (Span(""),))),),
        ((cell("咸宁"), cell("265万"), cell("湖北")), (cell("Harbor"), (Span(" "),))),
    )
    assert [[("".join(s.text for s in n), "".join(s.text for s in v)) for n, v in r]
            for r in records(table.header, table.body)] == [
        [("城市", "咸宁"), ("人口", "265万"), ("3", "湖北")],
        [("城市", "Harbor")],
    ]  # fmt: skip
    assert record_lines(table.header, table.body, 40) == [
        "城市: 咸宁", "人口: 265万", "3: 湖北", "", "城市: Harbor"
    ]  # fmt: skip


def test_long_values_wrap_under_their_name() -> None:
    table = Table(((cell("Note"),),), ((cell("word " * 20),),))
    lines = record_lines(table.header, table.body, 30)
    assert lines[0].startswith("Note: word") and all(len(line) <= 30 for line in lines)
    assert all(line.startswith("  word") for line in lines[1:])


def test_a_table_that_fits_stays_a_grid() -> None:
    doc = html_to_blocks("<table><tr><th>年份</th><th>场次</th></tr><tr><td>2025</td>"
                         "<td>1520</td></tr></table>")  # fmt: skip
    assert to_text(doc, 43).split("\n") == ["年份  场次", "────  ────", "2025  1520"]


CITIES = ("Xianning", "Harbour", "咸宁")


def city_html() -> str:
    """25 columns: a city (English or Chinese), then figures, some with 万."""
    head = "".join(f"<th>{name}</th>" for name in NAMES)
    rows = "".join(
        f"<tr><td>{city}</td>" + "".join(f"<td>{c * (r + 1)}万</td>" for c in range(1, 25))
        + "</tr>" for r, city in enumerate(CITIES)
    )  # fmt: skip
    return f"<p>各县市数据如下：</p><table><tr>{head}</tr>{rows}</table>"


def city_row(r: int) -> list[str]:
    return [CITIES[r], *(f"{c * (r + 1)}万" for c in range(1, 25))]


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", text))


@pytest.mark.parametrize("width", [43, 80, 120, 200])
def test_the_search_text_has_the_words_shown_at_any_width(width: int) -> None:
    """The index holds a table's cells row by row (render -> blocks -> text); the reader shows
    a grid (at 200) or `column: value` lines: the same words either way, none more, none less."""
    html = city_html()
    doc = html_to_blocks(html)
    table = doc.blocks[1]
    assert isinstance(table, Table) and fits(table.header, table.body, width) == (width == 200)
    assert words(to_text(doc, width)) == words(shown_text(html))


def test_show_and_its_markdown_keep_every_column(tidings_home: Path) -> None:
    with Store.open(tidings_home / "data" / "tidings.db") as store:
        feed, _ = store.add_feed("https://tables.example/feed.xml", title="统计")
        item = ParsedItem("wide", "二十五列", "https://tables.example/wide", "", 1_764_000_000,
                          None, "", city_html())  # fmt: skip
        store.store_parsed(feed.id, ParsedFeed("统计", "", (item,), "rss20"))
        (item_id,) = (h.id for h in store.headlines())
        assert store.search("Harbour").total == store.search("48万").total == 1
    shown = run("show", str(item_id))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.split("\n")
    assert all(cell_width(line) <= 80 for line in lines)
    for r in range(3):  # 25 columns need more than show's 80: records
        assert all(f"{n}: {v}" in lines for n, v in zip(NAMES, city_row(r), strict=True))
    markdown = run("show", str(item_id), "--markdown").stdout.split("\n")
    table = [line for line in markdown if line.startswith("|")]
    assert table[0] == "| " + " | ".join(NAMES) + " |" and table[1] == "|" + "---|" * 25
    assert table[2:] == ["| " + " | ".join(city_row(r)) + " |" for r in range(3)]
