"""Summaries: the feed's own, a leading 摘要/Summary line, or the story's key sentences.

Order of choice (`summarize`):
1. a labelled summary line ("摘要：…", "Summary: …", "TL;DR: …") leading the story or the feed's
   summary field;
2. the feed's summary field when it is a real summary: not a teaser that the story starts with,
   not cut off with an ellipsis, not (nearly) the whole story;
3. extractive: the story split into sentences (on . ! ? and on 。！？；), each scored by position,
   length and the weight of its terms (Chinese and Japanese by character bigrams, other scripts
   by words, stop words left out; terms of the title count double), the top 3-5 returned in
   story order.
Deterministic, no network, no model. An external command (`[summary] command`, an argv list,
the story on stdin) replaces all this when configured; on failure the built-in summary is used.
"""

from __future__ import annotations

import math
import re
import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reader.articles.article import document_text, story_text
from reader.articles.boilerplate import is_furniture
from reader.articles.render import html_to_blocks
from reader.config import SummaryConfig
from reader.models import Item
from reader.textsafe import display

MAX_SENTENCES = 5
MIN_SENTENCES = 3
MAX_SENTENCE_CHARS = 600  # a longer "sentence" (an unpunctuated wall) is cut here
MAX_COMMAND_OUTPUT = 20_000

_LABEL = re.compile(
    r"^\s*[【\[]?\s*(?:内容摘要|内容提要|摘要|提要|导读|導讀|summary|tl;\s?dr|in brief|abstract)"
    r"\s*[】\]]?\s*[:：]\s*",
    re.IGNORECASE,
)
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_WIDE = re.compile(f"[{_CJK}\u3000-\u303f\uff00-\uffef“”‘’]")
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
_TEASER_END = re.compile(r"(?:\.\.\.|…|\[…\]|\[\.\.\.\]|read more|continue reading)\W*$", re.I)
_STOP = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "that",
        "the",
        "their",
        "them",
        "there",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
        "not",
        "no",
        "so",
        "than",
        "then",
        "also",
        "after",
        "before",
        "over",
        "about",
        "more",
        "most",
        "said",
        "says",
        "can",
        "could",
        "may",
        "might",
        "one",
        "two",
        "all",
        "any",
        "being",
        "do",
        "does",
        "did",
        "up",
        "out",
        "new",
        "just",
    }
)


@dataclass(frozen=True, slots=True)
class Summary:
    """A summary: its sentences in story order, where it came from ("lead", "feed",
    "extract", "command"), and a note when the external command failed."""

    sentences: tuple[str, ...]
    source: str
    note: str = ""

    @property
    def text(self) -> str:
        """The sentences as one paragraph (no spaces between CJK sentences)."""
        out = ""
        for sentence in self.sentences:
            wide = _WIDE.match(sentence) and _WIDE.match(out[-1:])
            out += (" " if out and not wide else "") + sentence
        return out


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


def _prose(sentence: str) -> bool:
    """Mostly letters (not a table row, a date line or a run of figures)."""
    visible = [c for c in sentence if not c.isspace()]
    return sum(c.isalpha() for c in visible) >= 0.6 * len(visible)


def terms(sentence: str) -> list[str]:
    """Scoring terms: character bigrams in CJK runs (a lone character counts as itself),
    lower-cased words of two or more letters elsewhere, stop words left out."""
    found: list[str] = []
    for run in _CJK_RUN.findall(sentence):
        found += [run[i : i + 2] for i in range(len(run) - 1)] or [run]
    for word in _WORD.findall(_CJK_RUN.sub(" ", sentence)):
        word = word.lower()
        if len(word) > 1 and word not in _STOP:
            found.append(word)
    return found


def _length_factor(sentence: str) -> float:
    size = len(sentence) if _CJK_RUN.search(sentence) else len(sentence.split()) * 3
    if size < 12:
        return 0.3
    if size < 24:
        return 0.7
    return 1.0 if size <= 240 else 0.8


def extractive(text: str, title: str = "", count: int | None = None) -> tuple[str, ...]:
    """The key sentences of `text`, in story order: `count` of them, else 3 to 5 by length."""
    headline = _folded(title).rstrip(".。")
    sentences = [
        s
        for s in split_sentences(text)
        if _prose(s)
        and not is_furniture(s)
        and not _LABEL.match(s)
        and (not headline or _folded(s).rstrip(".。") != headline)
    ]
    if count is None:
        count = MIN_SENTENCES + (len(sentences) > 12) + (len(sentences) > 25)
    if len(sentences) <= count:
        return tuple(sentences)
    bags = [set(terms(s)) for s in sentences]
    frequency = Counter(t for bag in bags for t in bag)
    in_title = set(terms(title))
    scores = []
    for index, (sentence, bag) in enumerate(zip(sentences, bags, strict=True)):
        weight = sum(math.log1p(frequency[t]) * (2.0 if t in in_title else 1.0) for t in bag)
        content = weight / math.sqrt(len(bag)) if bag else 0.0
        position = 1.0 + 0.6 * (1 - index / len(sentences)) + (0.4 if index == 0 else 0.0)
        scores.append((content * position * _length_factor(sentence), -index))
    ranked = sorted(range(len(sentences)), key=lambda i: scores[i], reverse=True)
    return tuple(sentences[i] for i in sorted(ranked[:count]))


def labelled(text: str) -> str:
    """The text of a leading "摘要：" / "Summary:" line in the first paragraphs of `text`."""
    for paragraph in [p for p in text.split("\n") if p.strip()][:3]:
        match = _LABEL.match(paragraph)
        if match:
            rest = paragraph[match.end() :].strip()
            return rest if 10 <= len(rest) <= 1000 else ""
    return ""


def _folded(text: str) -> str:
    return "".join(text.split()).casefold()


def is_real_summary(summary: str, story: str) -> bool:
    """Whether a feed's summary text summarises `story` (rather than lines copied from it,
    a cut-off teaser, or the story itself)."""
    words = len(summary.split())
    if len(summary) < 15 or (words < 5 and not _CJK_RUN.search(summary)):
        return False
    if _TEASER_END.search(summary) or len(summary) > 1200:
        return False
    folded_summary, folded_story = _folded(summary), _folded(story)
    if not folded_story:
        return True
    copied = folded_summary[: max(12, len(folded_summary) * 2 // 3)] in folded_story
    return not copied and len(folded_summary) < 0.6 * len(folded_story)


def builtin_summary(text: str, *, title: str = "", feed_summary: str = "") -> Summary:
    """The built-in summary of a story given as plain text (and the feed's summary, if any)."""
    lead = labelled(text) or labelled(feed_summary)
    if lead:
        return Summary(tuple(split_sentences(lead)[:MAX_SENTENCES]), "lead")
    if feed_summary and is_real_summary(feed_summary, text):
        return Summary(tuple(split_sentences(feed_summary)[:MAX_SENTENCES]), "feed")
    return Summary(extractive(text or feed_summary, title), "extract")


def summarize_text(
    text: str,
    *,
    title: str = "",
    feed_summary: str = "",
    config: SummaryConfig | None = None,
) -> Summary:
    """The summary of a story as plain text: the configured command's, else the built-in one
    (with a note saying why the command gave none)."""
    note = ""
    if config is not None and config.command:
        produced = run_command(config.command, text or feed_summary, config.timeout)
        if isinstance(produced, Summary):
            return produced
        note = produced
    found = builtin_summary(text, title=title, feed_summary=feed_summary)
    return Summary(found.sentences, found.source, note)


def summarize(item: Item, config: SummaryConfig | None = None) -> Summary:
    """The summary of a stored item: of its full text when stored, else of its content."""
    feed_summary = document_text(html_to_blocks(item.summary)) if item.summary else ""
    return summarize_text(
        story_text(item), title=item.title, feed_summary=feed_summary, config=config
    )


def run_command(argv: Sequence[str], text: str, timeout: float) -> Summary | str:
    """Run an external summariser (argv, never a shell; the text on stdin): its summary,
    or a one-line reason it gave none."""
    try:
        done = subprocess.run(
            list(argv), input=text.encode("utf-8"), capture_output=True, timeout=timeout
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"summary command failed: {exc}"
    output = display(done.stdout[:MAX_COMMAND_OUTPUT].decode("utf-8", "replace")).strip()
    if done.returncode != 0 or not output:
        return f"summary command failed (exit {done.returncode})"
    return Summary(tuple(p.strip() for p in output.split("\n") if p.strip()), "command")
