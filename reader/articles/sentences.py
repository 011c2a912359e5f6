"""Sentences and terms: what the summariser (summarize.py) and the feed-summary checks work on.

Sentences split on . ! ? (not after common abbreviations or initials) and on 。！？；; terms are
character bigrams in CJK runs and lower-cased words elsewhere, stop words left out. Two
sentences are near-duplicates when most of the shorter one's consecutive term pairs are in the
other (the same quote given twice with another attribution, a lead repeated as a pull quote). A
caption is recognised by its form: "Photo:", "图为…", a "(记者 X 摄)" or "Photo by X" credit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

MAX_SENTENCE_CHARS = 600  # a longer "sentence" (an unpunctuated wall) is cut here
NEAR = 0.5  # share of the shorter sentence's term pairs found in the other: a near-duplicate

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
CJK_RUN = re.compile(f"[{_CJK}]+")
WIDE = re.compile(f"[{_CJK}\u3000-\u303f\uff00-\uffef“”‘’]")
_WORD = re.compile(rf"[^\W\d_{_CJK}][^\W_{_CJK}]*(?:['’][^\W_{_CJK}]+)?")
_CLOSERS = "”’\"')）】」』》〉]"
_CLOSER = f"[{re.escape(_CLOSERS)}]"
_BREAK = re.compile(
    rf"(?<=[。！？；!?…]){_CLOSER}*"
    rf"|(?<=\.){_CLOSER}*(?=\s+[\"'“‘(\[]?[A-Z0-9{_CJK}])"
)
_ABBREVIATION = re.compile(
    r"(?:\b(?:mr|mrs|ms|dr|prof|sr|jr|st|vs|etc|inc|ltd|co|corp|gov|gen|sen|rep|fig|jan|feb"
    r"|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|u\.s|e\.g|i\.e|a\.m|p\.m)|\b[A-Z])\.$",
    re.IGNORECASE,
)
_CAPTION_START = re.compile(  # matched at the start of a sentence
    r"\W*(?:(?:photo(?:graph)?s?|image|picture|pictured|caption|illustration)\s*[:：]"
    r"|(?:图为|圖為|图片|圖片|图|圖|摄影|攝影)\s*[:：／/]|图为|圖為)",
    re.IGNORECASE,
)
_CAPTION_END = re.compile(  # searched in the last `_CAPTION_TAIL` characters
    r"[（(][^（）()]{0,40}(?:摄|攝|供图|供圖|社发|社發|图片来源|photo|getty images|reuters|afp)"
    r"[^（）()]{0,40}[）)]\W*$|\bphoto(?:graph)? by [^.]{0,60}$",
    re.IGNORECASE,
)
_CAPTION_TAIL = 100
_STOP_WORDS = (
    "a an and are as at be been but by for from had has have he her his i if in into is it its "
    "of on or our she that the their them there they this to was we were which who will with "
    "would you your not no so than then also after before over about more most said says can "
    "could may might one two all any being do does did up out new just"
)
_STOP = frozenset(_STOP_WORDS.split())


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` in order: paragraphs and lines split first, then after . ! ?
    (not after common abbreviations or initials) and after 。！？；."""
    sentences: list[str] = []
    for line in text.splitlines():
        start = 0
        for match in _BREAK.finditer(line):
            end = match.end()
            piece = line[start:end]
            if piece.endswith(".") and _ABBREVIATION.search(piece):
                continue
            _add(sentences, piece)
            start = end
        _add(sentences, line[start:])
    return sentences


def _add(sentences: list[str], piece: str) -> None:
    piece = " ".join(piece.split()).removeprefix("- ")
    if piece.strip(_CLOSERS + "。！？；!?.…-–— "):
        sentences.append(piece[:MAX_SENTENCE_CHARS])


def prose(sentence: str) -> bool:
    """Whether a sentence is mostly letters (not a table row, a date line or a run of figures)."""
    visible = len(sentence) - sum(map(str.isspace, sentence))
    return sum(map(str.isalpha, sentence)) >= 0.6 * visible


def terms(sentence: str) -> list[str]:
    """Scoring terms: character bigrams in CJK runs (a lone character counts as itself),
    lower-cased words of two or more letters elsewhere, stop words left out."""
    found: list[str] = []
    for run in CJK_RUN.findall(sentence):
        found += [run[i : i + 2] for i in range(len(run) - 1)] or [run]
    for word in _WORD.findall(CJK_RUN.sub(" ", sentence)):
        word = word.lower()
        if len(word) > 1 and word not in _STOP:
            found.append(word)
    return found


def length_factor(sentence: str) -> float:
    size = len(sentence) if CJK_RUN.search(sentence) else len(sentence.split()) * 3
    if size < 12:
        return 0.3
    if size < 24:
        return 0.7
    return 1.0 if size <= 240 else 0.8


def folded(text: str) -> str:
    """`text` without whitespace, case folded (for comparing texts)."""
    return "".join(text.split()).casefold()


def is_caption(sentence: str) -> bool:
    """Whether a sentence reads as a photo caption or credit ("Photo: …", "图为…（记者 X 摄）")."""
    if len(sentence) >= 400:
        return False
    return bool(_CAPTION_START.match(sentence) or _CAPTION_END.search(sentence[-_CAPTION_TAIL:]))


def pairs(sentence: str, found: list[str] | None = None) -> frozenset[tuple[str, ...]]:
    """Consecutive term pairs of a sentence (its only term, when it has one); `found`: its
    `terms`, when known."""
    found = terms(sentence) if found is None else found
    return frozenset(pairwise(found)) or frozenset((t,) for t in found)


def near_duplicate(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> bool:
    """Whether two sentences' `pairs` say the same: most of the shorter's are in the other."""
    smaller = min(len(a), len(b))
    return smaller > 0 and len(a & b) >= NEAR * smaller


def distinct(sentences: Iterable[str]) -> list[str]:
    """`sentences` without repeats (see `distinct_indices`)."""
    listed = list(sentences)
    return [listed[i] for i in distinct_indices(listed, [terms(s) for s in listed])]


def distinct_indices(sentences: list[str], found: list[list[str]]) -> list[int]:
    """The indices of `sentences` (with their `terms`) to keep: a sentence the same as or a
    near-duplicate of an earlier one is left out. Earlier sentences are found through their
    term pairs (an index from pair to sentence), so a long story costs no comparison of every
    sentence with every other."""
    kept: list[int] = []
    sizes: list[int] = []
    index: dict[tuple[str, ...], list[int]] = {}
    keys: set[str] = set()
    for number, sentence in enumerate(sentences):
        key, bag = folded(sentence).strip(".。!！?？"), pairs(sentence, found[number])
        if key in keys:
            continue
        shared = Counter(j for pair in bag for j in index.get(pair, ()))
        if any(n >= NEAR * min(len(bag), sizes[j]) for j, n in shared.items()):
            continue
        keys.add(key)
        for pair in bag:
            index.setdefault(pair, []).append(len(sizes))
        sizes.append(len(bag))
        kept.append(number)
    return kept
