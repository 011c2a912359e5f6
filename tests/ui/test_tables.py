"""Wide tables in the reading pane: a 25-column table with Chinese cells at 43, 80 and 120
columns never loses a column (a grid where it fits the pane, else `column: value` lines);
Pilot checks and SVG snapshots."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader.articles.blocks import cell_width
from reader.articles.tables import fits
from reader.models import ParsedFeed, ParsedItem
from reader.store.db import Store
from reader.ui.widgets.blocks import TableBlock
from tests.ui.fixtures import NOW, at, make_app
from tests.ui.test_snapshots import keys_then_settle

NAMES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地人"
WIDTHS = [43, 80, 120]
WIDE = 250  # a terminal whose story pane holds the whole grid (98 columns)
Snap = Callable[..., bool]


def value(row: int, column: int) -> str:
    return f"{(row * 7 + column) % 10}{'万' if column % 5 == 0 else ''}"


def story() -> str:
    head = "".join(f"<th>{name}</th>" for name in NAMES)
    rows = "".join(
        "<tr>" + "".join(f"<td>{value(r, c)}</td>" for c in range(25)) + "</tr>" for r in range(3)
    )
    return f"<p>各县市数据如下：</p><table><tr>{head}</tr>{rows}</table><p>数据来源：统计局。</p>"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "tables.db")
    feed, _ = opened.add_feed("https://tables.example/feed.xml", title="统计")
    item = ParsedItem("wide", "二十五列的表格", "https://tables.example/wide", "", at(1), None, "",
                      story())  # fmt: skip
    opened.store_parsed(feed.id, ParsedFeed("统计", "", (item,), "rss20"), now=NOW)
    yield opened
    opened.close()


@pytest.mark.parametrize("width", [*WIDTHS, WIDE])
async def test_every_column_is_on_screen(store: Store, tmp_path: Path, width: int) -> None:
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(width, 30)) as pilot:
        await keys_then_settle("enter")(pilot)
        table = app.screen.query_one(TableBlock)
        pane = table.size.width
        grid = fits(table.block.header, table.block.body, pane)
        assert grid == (width == WIDE)  # the story pane: 38, 75, 42 (three panes), 108 columns
        assert (table.grid.display, table.records.display) == (grid, not grid)
        if grid:
            shown = [table.grid.render_line(y).text for y in range(table.grid.size.height)]
            assert all(cell_width(line) <= pane for line in shown)
            assert shown[0].split() == list(NAMES)
            for r in range(3):
                assert shown[2 + r].split() == [value(r, c) for c in range(25)]
        else:
            shown = table.records.wrapped(pane).plain.split("\n")
            assert all(cell_width(line) <= pane for line in shown)
            for r in range(3):
                for c, name in enumerate(NAMES):
                    assert f"{name}: {value(r, c)}" in shown, (name, r)


@pytest.mark.parametrize("width", [*WIDTHS, WIDE])
def test_snapshot(snap_compare: Snap, store: Store, tmp_path: Path, width: int) -> None:
    app = make_app(store, tmp_path / "state")
    assert snap_compare(app, terminal_size=(width, 30), run_before=keys_then_settle("enter"))


async def test_the_layout_follows_the_pane(store: Store, tmp_path: Path) -> None:
    """A terminal made wide enough shows the grid; narrow again, the records."""
    app = make_app(store, tmp_path / "state")
    async with app.run_test(size=(80, 30)) as pilot:
        await keys_then_settle("enter")(pilot)
        table = app.screen.query_one(TableBlock)
        assert table.records.display and not table.grid.display
        await pilot.resize_terminal(WIDE, 30)
        await keys_then_settle()(pilot)
        assert table.size.width >= 98  # the story pane at 250 columns: 108
        assert table.grid.display and not table.records.display
        await pilot.resize_terminal(80, 30)
        await keys_then_settle()(pilot)
        assert table.records.display and not table.grid.display
