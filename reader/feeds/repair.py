"""Mojibake repair: text a feed broke on its way out, mended before it is stored.

The classic breakages: UTF-8 read as Latin-1 or windows-1252 somewhere upstream, once or twice
("Itâ€™s", "cafÃ©"), and windows-1252 punctuation left as C1 control characters in a Latin-1
feed ("Don\\x92t"). ftfy (this module is its one home) knows them all and, with every other fix
switched off, leaves correct text alone: it only re-decodes when the result is clearly better.
Only text that shows the signature of such a breakage (a Latin-1 lead character followed by a
continuation character, or a C1 control) is given to it, so Chinese, Japanese or Russian text
costs one regular-expression scan. Everything then goes through `textnorm.normalize`. ftfy is
loaded when the first such text turns up (~50 ms in each parser process, which most refreshes
never need).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from reader.textnorm import normalize

# UTF-8 bytes read as windows-1252 / Latin-1: a lead byte (0xC2-0xF4) shown as a Latin-1
# letter, then a continuation byte (0x80-0xBF) shown as Latin-1 or as its windows-1252 glyph;
# or a bare C1 control character (windows-1252 punctuation read as Latin-1).
_CONTINUATION = "\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160"
_CONTINUATION += "\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122"
_CONTINUATION += "\u0161\u203a\u0153\u017e\u0178"
_SIGNATURE = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]|[\u0080-\u009f]")


@cache
def _fixer() -> Callable[[str], str]:
    """ftfy's fix_text with only the encoding fixes switched on."""
    import ftfy

    config = ftfy.TextFixerConfig(
        unescape_html=False,  # feed HTML keeps its entities
        remove_terminal_escapes=False,  # textsafe strips them at display
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=False,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,  # textsafe.storable handles lone surrogates
        remove_control_chars=False,
        normalization=None,  # textnorm.normalize below
        explain=False,
    )
    return lambda text: ftfy.fix_text(text, config)


def repair(text: str) -> str:
    """`text` with mojibake mended (see the module docstring) and normalised for storage."""
    if text.isascii():
        return text
    # the signature needs a character from U+0080-U+00FF: finding none costs one C loop
    if not text.encode("latin-1", "ignore").isascii() and _SIGNATURE.search(text):
        text = _fixer()(text)
    return normalize(text)
