"""Text normalisation for what is stored and indexed: feed text and extracted stories alike.

`normalize()` composes the text (Unicode NFC: a decomposed "é" and a precomposed one are the same
word for search and for display) and drops the invisible characters that split words without
showing anything: soft hyphens, zero-width spaces, word joiners and stray byte-order marks.
Zero-width joiners and non-joiners stay: they change how Persian, Indic scripts and emoji
sequences are drawn, so they are part of the text.

ASCII text is returned as it is (the common case costs one `isascii()`).
"""

from __future__ import annotations

import re
import unicodedata

# U+00AD soft hyphen, U+180E Mongolian vowel separator (formerly a space), U+200B zero-width
# space, U+2060 word joiner, U+FEFF zero-width no-break space (a BOM inside text)
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u2060\ufeff]")
# ... looked for one at a time first: `in` finds a character with memchr, while the regex's
# class costs ~50 instructions a character (7% of parsing a Chinese feed went into it)
_SOFT_HYPHEN, _MONGOLIAN_SPACE, _ZERO_WIDTH_SPACE, _WORD_JOINER, _BOM = (
    "\u00ad\u180e\u200b\u2060\ufeff"
)


def normalize(text: str) -> str:
    """`text` in NFC with soft hyphens and zero-width spaces removed (ZWJ/ZWNJ kept)."""
    if text.isascii():
        return text
    if (
        _ZERO_WIDTH_SPACE in text
        or _SOFT_HYPHEN in text
        or _BOM in text
        or _WORD_JOINER in text
        or _MONGOLIAN_SPACE in text
    ):
        text = _INVISIBLE.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text
