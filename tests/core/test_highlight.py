"""Where a query's words are marked: whole words, folded case and diacritics, CJK substrings."""

from __future__ import annotations

from reader.store.highlight import Highlighter
from reader.store.query import parse


def marked(query: str, text: str) -> list[str]:
    spans = Highlighter(parse(query).include).spans(text)
    return [text[a:b] for a, b in spans]


def test_words_on_boundaries_even_against_chinese() -> None:
    assert marked("gdp", "咸宁GDP增长 agdp gdpx GDP.") == ["GDP", "GDP"]
    assert marked("禁毒", "全国禁毒示范城市") == ["禁毒"]
    assert marked("café", "CAFE cafés Café") == ["CAFE", "Café"]


def test_a_prefix_runs_to_the_end_of_its_word_but_not_into_chinese() -> None:
    assert marked("elect*", "elections中国 elect unelected") == ["elections", "elect"]
