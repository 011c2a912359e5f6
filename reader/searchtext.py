"""Text as the search index sees it: the text the reader shows, CJK runs as character bigrams.

SQLite's unicode61 tokenizer makes a whole run of Chinese, Japanese or Korean characters one
token, so 禁毒 would never match inside 全国禁毒示范城市. Before text reaches the index, every CJK
run is rewritten as its overlapping bigrams between two single characters, its first and last:
全国禁毒 -> "全 全国 国禁 禁毒 毒". A query is rewritten the same way (`query_form`), so any CJK
substring of two or more characters is a phrase of consecutive bigrams, and one character is a
prefix query that finds it as the start of a bigram or as the last character of a run. Latin text
is left to unicode61 (words, case and diacritics folded).

These are pure functions of their arguments: the store computes an item's index text with them
when it indexes the item, and its triggers compute the same text again from the stored columns
to remove the entry, so both must agree byte for byte. Changing what they return needs a
migration that rebuilds the index.
"""

from __future__ import annotations

import re
from array import array

from reader.textnorm import normalize

# Han (with extensions and compatibility ideographs), 々〆〇, kana, Bopomofo, Hangul.
CJK = (
    "\u1100-\u11ff\u3005-\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    "\u3105-\u312f\u3131-\u318e\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff\uf900-\ufaff\uff66-\uff9f"
    "\U0001b000-\U0001b16f\U00020000-\U0003134f"
)
CJK_RUN = re.compile(f"([{CJK}]+)")
_WORDY = re.compile(r"[^\W_]")  # a character unicode61 keeps in a token (near enough)
_SEP = "\x1f"  # never in a CJK run; a separator to unicode61
PARAGRAPHS_MAX = 500_000  # characters: well inside every bound of the renderer (render.py)


def shown_text(markup: str, content_type: str = "html") -> str:
    """The words the reader shows for a stored text: HTML (or literal text when `content_type`
    is "text") rendered to blocks as the reading pane renders it (reader.articles.render), then
    back to plain text (article.document_text, images by their alt text), normalised. What the
    renderer drops (scripts, styles, `noscript`, `template`, forms, `hidden` elements, attribute
    values, comments) is never searchable; what it shows always is."""
    if not markup:
        return ""
    if content_type != "text":
        text = _paragraphs_text(markup)
        if text is not None:
            return text
    from reader.articles.article import document_text  # the renderer loads with the first text
    from reader.articles.render import html_to_blocks, text_to_blocks

    doc = text_to_blocks(markup) if content_type == "text" else html_to_blocks(markup)
    return normalize(document_text(doc, words=True))


def _paragraphs_text(markup: str) -> str | None:
    """`shown_text` of HTML made of nothing but paragraphs of text (`<p>` without attributes,
    no other tag, no entity: what many feeds send), or of text without markup, read without
    parsing it: each paragraph as the renderer's shortcut for a text-only block makes it
    (builder.py's `Builder.leaf`, render.py's `_plain`: line ends read as the parser reads them,
    `display`, `normalize`, whitespace folded), joined as `document_text` joins paragraphs.
    None for any other markup. Checked with string methods (a regex looks at every character
    in Python's loop: slower than parsing). The renderer takes ~50 µs for a feed story of six
    paragraphs, this ~10 (tests/core/test_search_shown.py checks that both give the same text)."""
    if len(markup) > PARAGRAPHS_MAX or "&" in markup or "\ufeff" in markup:
        return None
    if "<" not in markup:
        pieces = [markup]
    else:
        pieces = markup.split("</p>")
        if pieces.pop().strip(" \t\n") or markup.count("<") != 2 * len(pieces):
            return None  # text after the last paragraph, or a tag other than <p> and </p>
        for n, piece in enumerate(pieces):
            start = piece.find("<p>")
            if start < 0 or piece[:start].strip(" \t\n"):
                return None
            pieces[n] = piece[start + 3 :]
    from reader.articles.frames import collapse
    from reader.textsafe import display, storable

    parts = []
    for raw in pieces:
        if "\r" in raw:
            raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        text = collapse(normalize(display(storable(raw)))).strip(" \n").strip()
        if text:
            parts.append(text)
    return normalize("\n\n".join(parts))


def body_text(summary: str | None, content: str | None, content_type: str | None,
              full_text: str | None) -> str:  # fmt: skip
    """An item's searchable body as plain text: full text, content, and the summary unless the
    content already holds it, each as the reader shows it (`shown_text`)."""
    kind = content_type or "html"
    full = full_text or ""
    parts = [shown_text(full, "html" if full.startswith("<") else "text"),  # stored articles
             shown_text(content or "", kind)]  # fmt: skip
    short = shown_text(summary or "", kind)
    if short.strip() and short not in parts[1]:
        parts.append(short)
    return "\n".join(p for p in parts if p)


def index_form(text: str) -> str:
    """`text` with every CJK run rewritten as first character, bigrams, last character."""
    return form_of(cjk_split(text))


def cjk_split(text: str) -> list[str]:
    """`text` split around its CJK runs: [text, run, text, ..., text] ([text]: it has none)."""
    return [text] if text.isascii() else CJK_RUN.split(text)


def form_of(parts: list[str]) -> str:
    """`index_form` of the text that `cjk_split` gave `parts` of."""
    if len(parts) == 1:
        return parts[0]
    # All runs at once, in C: interleave the code points of "|run1|run2|" with themselves
    # shifted by one and a space, giving "|a ab bc c| |d de e|"; split at "|" for the runs.
    joined = _SEP + _SEP.join(parts[1::2]) + _SEP
    points = array("I")
    points.frombytes(joined.encode("utf-32-le"))
    pairs = len(points) - 1
    out = array("I", [0x20]) * (3 * pairs)
    out[0::3] = points[:pairs]
    out[1::3] = points[1:]
    grams = parts[:]
    grams[1::2] = out.tobytes().decode("utf-32-le").split(_SEP)[1::2]
    return " ".join(grams)


# ASCII letters and digits (upper case lowered), every other byte a space
_ASCII_WORDS = bytes(
    c + 32 if 65 <= c <= 90 else c if c < 128 and chr(c).isalnum() else 32 for c in range(256)
)


def ascii_words(text: str) -> set[bytes]:
    """The ASCII words of `text`, lower-cased; every other character separates them (made in
    C: encoded with each other character replaced, punctuation turned into spaces, split). For
    text of ASCII alone these are exactly the tokens the index's tokenizer makes of it."""
    return set(text.encode("ascii", "replace").translate(_ASCII_WORDS).split())


def has_words(text: str) -> bool:
    """Whether `text` has anything the tokenizer would keep (letters, digits, ideographs)."""
    return _WORDY.search(text) is not None


def query_form(text: str) -> tuple[str, bool]:
    """A query word or phrase rewritten to match `index_form` text: (text, must_be_prefix).

    A CJK run gives its bigrams, plus its first (last) character when other words come
    before (after) it in the phrase, as the indexed run has them there. A lone CJK character
    has no bigram of its own: it is searched as a prefix (True).
    """
    parts = CJK_RUN.split(text)
    if len(parts) == 1:
        return text, False
    runs = len(parts) // 2
    lone = runs == 1 and not has_words(parts[0]) and not has_words(parts[2])
    if lone and len(parts[1]) == 1:
        return parts[1], True
    for k in range(1, len(parts), 2):
        run = parts[k]
        before = any(has_words(p) for p in parts[:k])
        after = any(has_words(p) for p in parts[k + 1 :])
        grams = [run[i : i + 2] for i in range(len(run) - 1)]
        parts[k] = " ".join([run[0]] * before + grams + [run[-1]] * after)
    return " ".join(parts), False
