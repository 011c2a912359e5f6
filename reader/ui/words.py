"""Counted words for notes and titles: "1 story", "2 stories", "3 bookmarked stories"."""

from __future__ import annotations

IRREGULAR = {"story": "stories", "match": "matches", "is": "are", "was": "were"}


def plural(count: int, words: str) -> str:
    """`count` and `words`, the last word in the plural unless it is one:
    `plural(3, "new story")` → "3 new stories"."""
    head, _, last = words.rpartition(" ")
    if count != 1:
        last = IRREGULAR.get(last, last + "s")
    return f"{count:,} {head + ' ' if head else ''}{last}"
