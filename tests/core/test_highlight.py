"""Where a query's words are marked: whole words, folded case and diacritics, CJK substrings."""

from __future__ import annotations

import pytest

from reader.store.highlight import Highlighter, fit
from reader.store.query import parse


def marked(query: str, text: str) -> list[str]:
    spans = Highlighter(parse(query).include).spans(text)
    return [text[a:b] for a, b in spans]


def test_words_on_boundaries_even_against_chinese() -> None:
    assert marked("gdp", "咸宁GDP增长 agdp gdpx GDP.") == ["GDP", "GDP"]
    assert marked("禁毒", "全国禁毒示范城市") == ["禁毒"]
    assert marked("café", "CAFE cafés Café") == ["CAFE", "Café"]


def test_text_is_folded_one_character_for_one() -> None:
    # İ lower-cases to two characters: the spans after it must still point at the match
    assert marked("zurich", "İİ Zürich, ZÜRICH and zurich") == ["Zürich", "ZÜRICH", "zurich"]
    assert marked("Kraków", "İstanbul to KRAKOW via Kraków") == ["KRAKOW", "Kraków"]
    assert marked("москва", "МОСКВА и Москва") == ["МОСКВА", "Москва"]  # case, not only Latin
    assert marked('"hôtel de ville"', "L'Hotel-de-Ville brûle") == ["Hotel-de-Ville"]


def test_a_prefix_runs_to_the_end_of_its_word_but_not_into_chinese() -> None:
    assert marked("elect*", "elections中国 elect unelected") == ["elections", "elect"]


def cells(text: str) -> int:
    return sum(2 if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u30ff" else 1 for c in text)


ZH_BODY = "咸宁市" * 40 + "创建全国禁毒示范城市，群众共识高。" + "这是一段很长的中文新闻" * 10
EN_BODY = "word " * 60 + "the storm came ashore " + "more " * 40


@pytest.mark.parametrize("width", [12, 20, 31, 40, 60, 100])
@pytest.mark.parametrize(("query", "body"), [("禁毒", ZH_BODY), ("storm", EN_BODY)])
def test_a_snippet_fits_its_width_centred_on_its_first_match(
    query: str, body: str, width: int
) -> None:
    snippet = Highlighter(parse(query).include).snippet(body)
    shown = fit(snippet, width)
    assert cells(shown.text) <= width
    assert [shown.text[a:b].lower() for a, b in shown.spans] == [query]  # the match is whole
    a, b = shown.spans[0]
    left, right = cells(shown.text[:a]), cells(shown.text[b:])
    at_an_end = shown.text[:5] == snippet.text[:5] or shown.text[-5:] == snippet.text[-5:]
    assert at_an_end or abs(left - right) <= 3  # in the middle (give or take a wide character)


def test_a_snippet_that_fits_is_kept_and_one_near_an_end_fills_the_line() -> None:
    short = Highlighter(parse("禁毒").include).snippet("全国禁毒示范城市")
    assert fit(short, 40) == short
    early = Highlighter(parse("咸宁").include).snippet(ZH_BODY)
    shown = fit(early, 30)
    assert not shown.text.startswith("…") and cells(shown.text) in (29, 30)
