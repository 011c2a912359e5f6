"""Summaries: the feed's own, a leading 摘要/Summary line, or the story's key sentences.

Order of choice (`summarize`):
1. a labelled summary line ("摘要：…", "Summary: …", "TL;DR: …") leading the story or the feed's
   summary field;
2. the feed's summary field when it is a real summary of the story: not a teaser that the story
   starts with, not a sentence (or a lightly edited one) of the story, not cut off with an
   ellipsis, not a photo caption (by its form, or because it is an image's caption or alt text
   in the story), not (nearly) the whole story, and about what the story is about (it names at
   least two of the story's most repeated terms);
3. extractive: the story split into sentences (sentences.py), captions, furniture and repeats
   left out, each scored by position, length and the weight of its terms (Chinese and Japanese
   by character bigrams, other scripts by words, stop words left out; terms of the title count
   double); the top 3-5, none a near-duplicate of another, returned in story order.
No summary holds the same or a near-identical sentence twice. Deterministic, no network, no
model. An external command (`[summary] command`, an argv list, the story on stdin) replaces all
this when configured; on failure the built-in summary is used.
"""

from __future__ import annotations

import math
import re
import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reader.articles.article import document_text, story_document, story_text
from reader.articles.blocks import Document, Image, Paragraph
from reader.articles.boilerplate import is_furniture
from reader.articles.render import html_to_blocks
from reader.articles.sentences import (
    CJK_RUN,
    NEAR,
    WIDE,
    distinct,
    distinct_indices,
    folded,
    is_caption,
    length_factor,
    near_duplicate,
    pairs,
    prose,
    split_sentences,
    terms,
)
from reader.config import SummaryConfig
from reader.models import Item
from reader.textsafe import display

MAX_SENTENCES = 5
MIN_SENTENCES = 3
MAX_COMMAND_OUTPUT = 20_000
LEAD_WITHIN = 6  # paragraphs a labelled summary line is looked for in
CENTRAL = 10  # the story's most repeated terms a feed summary is checked against

_LABEL = re.compile(
    r"^\s*[【\[]?\s*(?:内容摘要|内容提要|摘要|提要|导读|導讀|summary|tl;\s?dr|in brief|abstract)"
    r"\s*[】\]]?\s*[:：]\s*",
    re.IGNORECASE,
)
_TEASER_END = re.compile(r"(?:\.\.\.|…|\[…\]|\[\.\.\.\]|read more|continue reading)\W*$", re.I)


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
            wide = WIDE.match(sentence) and WIDE.match(out[-1:])
            out += (" " if out and not wide else "") + sentence
        return out


def candidates(text: str, title: str = "") -> tuple[list[str], list[list[str]]]:
    """The sentences of `text` a summary may use (prose, no furniture, no caption, no summary
    label, not the headline, no repeats), with their terms."""
    headline = folded(title).rstrip(".。")
    sentences = [
        s
        for s in split_sentences(text)
        if prose(s)
        and not is_furniture(s)
        and not is_caption(s)
        and not _LABEL.match(s)
        and (not headline or folded(s).rstrip(".。") != headline)
    ]
    found = [terms(s) for s in sentences]
    kept = distinct_indices(sentences, found)
    return [sentences[i] for i in kept], [found[i] for i in kept]


def extractive(text: str, title: str = "", count: int | None = None) -> tuple[str, ...]:
    """The key sentences of `text`, in story order: `count` of them, else 3 to 5 by length."""
    sentences, found = candidates(text, title)
    if count is None:
        count = MIN_SENTENCES + (len(sentences) > 12) + (len(sentences) > 25)
    if len(sentences) <= count:
        return tuple(sentences)
    bags = [set(f) for f in found]
    frequency = Counter(t for bag in bags for t in bag)
    in_title = set(terms(title))
    scores = []
    for index, (sentence, bag) in enumerate(zip(sentences, bags, strict=True)):
        weight = sum(math.log1p(frequency[t]) * (2.0 if t in in_title else 1.0) for t in bag)
        content = weight / math.sqrt(len(bag)) if bag else 0.0
        position = 1.0 + 0.6 * (1 - index / len(sentences)) + (0.4 if index == 0 else 0.0)
        scores.append((content * position * length_factor(sentence), -index))
    return tuple(sentences[i] for i in sorted(_pick(sentences, found, scores, count)))


def _pick(
    sentences: list[str], found: list[list[str]], scores: list[tuple[float, int]], count: int
) -> list[int]:
    """The best `count` sentences by score, none a near-duplicate of one picked before it."""
    picked: list[int] = []
    bags: list[frozenset[tuple[str, ...]]] = []
    for index in sorted(range(len(sentences)), key=lambda i: scores[i], reverse=True):
        bag = pairs(sentences[index], found[index])
        if not any(near_duplicate(bag, other) for other in bags):
            picked.append(index)
            bags.append(bag)
            if len(picked) == count:
                break
    return picked


def labelled(text: str) -> str:
    """The text of a leading "摘要：" / "Summary:" line in the first paragraphs of `text` (a
    page's crumbs, promotions and info line may come before it)."""
    for paragraph in [p for p in text.split("\n") if p.strip()][:LEAD_WITHIN]:
        match = _LABEL.match(paragraph)
        if match:
            rest = paragraph[match.end() :].strip()
            return rest if 10 <= len(rest) <= 1000 else ""
    return ""


def is_real_summary(summary: str, story: str, captions: Sequence[str] = ()) -> bool:
    """Whether a feed's summary text summarises `story` (rather than lines copied from it, a
    cut-off teaser, a photo caption, the story itself, or something else) (see the module
    docstring). `captions`: the story's image captions and alt texts."""
    words = len(summary.split())
    if len(summary) < 15 or (words < 5 and not CJK_RUN.search(summary)):
        return False
    if _TEASER_END.search(summary) or len(summary) > 1200 or is_caption(summary):
        return False
    folded_summary, folded_story = folded(summary), folded(story)
    if any(_caption_of(folded_summary, folded(c)) for c in captions):
        return False
    if not folded_story:
        return True
    copied = folded_summary[: max(12, len(folded_summary) * 2 // 3)] in folded_story
    if copied or len(folded_summary) >= 0.6 * len(folded_story):
        return False
    return not _copies_a_sentence(summary, story) and _on_topic(summary, story)


def _caption_of(summary: str, caption: str) -> bool:
    """Whether a (folded) summary is a (folded) caption, or the caption and a little more."""
    if len(caption) < 6:
        return False
    return summary in caption or (caption in summary and len(summary) <= 2 * len(caption))


def _copies_a_sentence(summary: str, story: str) -> bool:
    """Whether `summary` is one of the story's sentences lightly edited: most of its term pairs
    are in that one sentence (a summary that reuses phrases of several is not)."""
    bag = pairs(summary)
    return bool(bag) and any(len(bag & pairs(s)) >= NEAR * len(bag) for s in split_sentences(story))


def _on_topic(summary: str, story: str) -> bool:
    """Whether `summary` names at least two of the story's `CENTRAL` most repeated terms (all
    of them, when the story repeats fewer than two)."""
    spread = Counter(t for s in split_sentences(story) for t in set(terms(s)))
    central = {t for t, n in spread.most_common(CENTRAL) if n > 1}
    return len(central & set(terms(summary))) >= min(2, len(central))


def builtin_summary(
    text: str, *, title: str = "", feed_summary: str = "", captions: Sequence[str] = ()
) -> Summary:
    """The built-in summary of a story given as plain text (and the feed's summary, if any;
    `captions`: the story's image captions and alt texts, which are no summary)."""
    lead = labelled(text) or labelled(feed_summary)
    if lead:
        return Summary(tuple(distinct(split_sentences(lead))[:MAX_SENTENCES]), "lead")
    if feed_summary and is_real_summary(feed_summary, text, captions):
        return Summary(tuple(distinct(split_sentences(feed_summary))[:MAX_SENTENCES]), "feed")
    return Summary(extractive(text or feed_summary, title), "extract")


def summarize_text(
    text: str,
    *,
    title: str = "",
    feed_summary: str = "",
    config: SummaryConfig | None = None,
    captions: Sequence[str] = (),
) -> Summary:
    """The summary of a story as plain text: the configured command's, else the built-in one
    (with a note saying why the command gave none)."""
    note = ""
    if config is not None and config.command:
        produced = run_command(config.command, text or feed_summary, config.timeout)
        if isinstance(produced, Summary):
            return produced
        note = produced
    found = builtin_summary(text, title=title, feed_summary=feed_summary, captions=captions)
    return Summary(found.sentences, found.source, note)


def image_texts(doc: Document) -> list[str]:
    """The alt texts of a document's images and the paragraphs right after them (captions)."""
    found: list[str] = []
    after_image = False
    for block in doc.blocks:
        if isinstance(block, Image):
            found.append(block.alt)
        elif isinstance(block, Paragraph) and after_image:
            found.append("".join(span.text for span in block.spans))
        after_image = isinstance(block, Image)
    return [text for text in found if text.strip()]


def summarize(item: Item, config: SummaryConfig | None = None) -> Summary:
    """The summary of a stored item: of its full text when stored, else of its content."""
    feed_summary = document_text(html_to_blocks(item.summary)) if item.summary else ""
    captions: list[str] = []
    if feed_summary:  # only then do captions matter
        captions = image_texts(story_document(item)) + image_texts(story_document(item, full=False))
    return summarize_text(story_text(item), title=item.title, feed_summary=feed_summary,
                          config=config, captions=captions)  # fmt: skip


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
