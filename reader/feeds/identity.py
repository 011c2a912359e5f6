"""Item identity: the `key` that says "this is the same item" across fetches of a feed.

An item's key is "g:" + its guid (RSS guid, Atom id, RDF about, JSON Feed id), else "l:" + its
link, else "h:" + a hash of its title and content. Some feeds repeat one guid (or link) for
different items; those items must not collapse into one, so every item whose key occurs more than
once in the document gets "#" + a short hash of its title, link and content, and, if even that
collides (true duplicates), "~" + its occurrence number. Keys depend only on the document, so
fetching the same document again gives the same keys.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_MAX_KEY = 512  # longer guids and links are replaced by their hash


@dataclass(frozen=True, slots=True)
class KeySource:
    """What an item's identity is made of."""

    guid: str
    link: str
    title: str
    content: str  # the content, else the summary


def _digest(*parts: str, length: int = 16) -> str:
    """A short hex SHA-1 of `parts` (joined with a separator no feed text contains)."""
    data = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()[:length]


def base_key(source: KeySource) -> str:
    """The key of an item that is alone with its guid/link in the document."""
    guid, link = source.guid.strip(), source.link.strip()
    if guid:
        key = "g:" + guid
    elif link:
        key = "l:" + link
    else:
        return "h:" + _digest(source.title, source.content)
    return key if len(key) <= _MAX_KEY else key[:2] + "sha1:" + _digest(key[2:], length=40)


def assign_keys(sources: Sequence[KeySource]) -> list[str]:
    """The keys of a document's items, in order: unique within the document and stable."""
    keys = [base_key(source) for source in sources]
    counts = Counter(keys)
    for index, source in enumerate(sources):
        if counts[keys[index]] > 1:
            keys[index] += "#" + _digest(source.title, source.link, source.content, length=10)
    used: set[str] = set()
    for index, key in enumerate(keys):
        unique, occurrence = key, 1
        while unique in used:
            occurrence += 1
            unique = f"{key}~{occurrence}"
        used.add(unique)
        keys[index] = unique
    return keys
