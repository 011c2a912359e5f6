"""The digest laid out with real-length summaries, English and Chinese, at 80, 140 and 220
columns: titles and summaries wrap under their own indent, a rule between feeds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import OptionList

from reader.articles.summarize import Summary
from reader.digest import DigestEntry, DigestGroup
from reader.models import Headline
from reader.ui.messages import DigestLoaded
from reader.ui.screens.digest import DigestScreen
from reader.ui.themes import load_themes
from tests.ui.conftest import settle, until
from tests.ui.fixtures import at

EN = (
    "The city council approved the harbour plan on Tuesday after a debate that lasted most of "
    "the night, clearing the way for the breakwater to be rebuilt before the winter storms.",
    "Engineers say the new design will cut the damage from waves by half, and the fishing "
    "fleet, which lost three boats last year, will get a sheltered basin of its own.",
    "Work starts in March and should take two years; the cost is shared with the province.",
)
ZH = (
    "国家禁毒委员会日前召开全国禁毒工作电视电话会议，总结今年以来禁毒工作成效，部署下一阶段重点任务。",
    "咸宁市坚持严厉禁毒、温情戒毒、全民拒毒，禁毒工作举措实、群众共识高，连续三年获评全省先进。",
    "这座国家园林城市楠竹青青，茶香郁郁，桂花节期间游客量创新高，首日接待游客逾十万人次。",
)


def groups(chinese: bool) -> list[DigestGroup]:
    sentences = ZH if chinese else EN
    names = ["咸宁新闻网", "人民日报"] if chinese else ["Harbour Gazette", "World Briefs"]
    made = []
    for g, name in enumerate(names):
        entries = tuple(
            DigestEntry(
                Headline(g * 10 + n, g, name, f"https://x{g}.example/feed",
                         (ZH[n][:24] if chinese else EN[n].split(",")[0]), f"https://x{g}.example/{n}",
                         "", at(n + 1), False, False),
                Summary(sentences, "extract"),
            )
            for n in range(2)
        )  # fmt: skip
        made.append(DigestGroup(g, name, entries))
    return made


class DigestApp(App[None]):
    """The digest alone, over the shipped theme."""

    def __init__(self, chinese: bool) -> None:
        super().__init__()
        themes, _ = load_themes(None)
        for theme in themes:
            self.register_theme(theme)
        self.theme = "tidings-dark"
        self.chinese = chinese

    def compose(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        chinese = self.chinese
        self.push_screen(DigestScreen("today", lambda: DigestLoaded(groups(chinese), "today")))


def lines(app: App[Any]) -> list[str]:
    digest = app.screen.query_one(OptionList)
    from textual.geometry import Region

    return [s.text.rstrip() for s in digest.render_lines(Region(0, 0, *digest.size))]


@pytest.mark.parametrize("width", [80, 140, 220])
@pytest.mark.parametrize("chinese", [False, True], ids=["en", "zh"])
async def test_digest_wraps_under_its_indent_with_rules(width: int, chinese: bool) -> None:
    app = DigestApp(chinese)
    async with app.run_test(size=(width, 24)) as pilot:
        await until(pilot, lambda: bool(app.screen.query(OptionList)) and
                    app.screen.query_one(OptionList).option_count > 0, "the digest")  # fmt: skip
        await settle(pilot)
        shown = lines(app)
    text = "\n".join(shown)
    body = [line for line in shown if line.strip()]
    rules = [line for line in body if set(line.strip(" ▊")) == {"─"}]
    assert len(rules) == 1, text  # between the two feeds
    assert len(rules[0].strip(" ▊")) >= width - 12  # across the list
    story = next(n for n, line in enumerate(body) if "●" in line)
    under = body[story + 1 : story + 6]
    under = under[: next((n for n, line in enumerate(under) if "●" in line), len(under))]
    indents = {len(line) - len(line.lstrip(" ▊")) for line in under}
    assert len(indents) == 1, text  # every summary line under the same indent
    assert all(cell_len(line) <= width for line in shown)
    assert not any(line.strip(" ▊") in ("a", "t", "of", "the") for line in body)


Snap = Callable[..., bool]


@pytest.mark.parametrize("width", [80, 140, 220])
@pytest.mark.parametrize("chinese", [False, True], ids=["en", "zh"])
def test_digest_snapshot(snap_compare: Snap, width: int, chinese: bool) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        await until(pilot, lambda: bool(pilot.app.screen.query(OptionList)) and
                    pilot.app.screen.query_one(OptionList).option_count > 0, "the digest")  # fmt: skip
        await settle(pilot)

    assert snap_compare(DigestApp(chinese), terminal_size=(width, 40), run_before=ready)
