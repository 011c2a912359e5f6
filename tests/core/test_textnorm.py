"""textnorm.normalize: NFC, invisible characters out, meaningful joiners kept."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.textnorm import normalize


def test_ascii_is_returned_unchanged() -> None:
    text = "Storm season ends early"
    assert normalize(text) is text


def test_decomposed_text_is_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "café Zürich")
    assert decomposed != "café Zürich"
    assert normalize(decomposed) == "café Zürich"


def test_soft_hyphens_and_zero_width_spaces_go() -> None:
    assert normalize("news\u00adpaper") == "newspaper"
    assert normalize("咸宁\u200b禁毒\ufeff") == "咸宁禁毒"
    assert normalize("word\u2060joiner") == "wordjoiner"


def test_joiners_that_shape_text_stay() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # an emoji ZWJ sequence
    persian = "می\u200cخواهم"  # ZWNJ inside a Persian word
    assert normalize(family) == family
    assert normalize(persian) == persian


def test_chinese_text_is_left_as_it_is() -> None:
    text = "咸宁：严厉禁毒，全国禁毒示范城市创建工作推进会召开。"
    assert normalize(text) == text


@pytest.mark.parametrize("invisible", ["\u00ad", "\u180e", "\u200b", "\u2060", "\ufeff"])
def test_each_invisible_character_goes_alone_too(invisible: str) -> None:
    assert normalize(f"咸宁{invisible}禁毒") == "咸宁禁毒"
    assert normalize(f"{invisible}café{invisible}") == "café"


@given(st.text(alphabet="a咸宁é\u0301\u00ad\u180e\u200b\u2060\ufeff\u200d\n", max_size=40))
def test_the_same_text_as_removing_every_invisible_then_composing(text: str) -> None:
    expected = unicodedata.normalize("NFC", re.sub("[\u00ad\u180e\u200b\u2060\ufeff]", "", text))
    assert normalize(text) == expected
