"""newsboat's killfile as rules: `ignore-article` lines of a newsboat config file, converted to
`[[rules]]` with the action `hide` where their filter expression maps onto the search language.

    ignore-article "*" "title =~ \\"Sponsored\\""             ->  query = '"Sponsored"'
    ignore-article "https://x.org/feed" "author = \\"Bot\\""
        ->  query = 'feed:"https://x.org/feed" author:"Bot"'

What maps: `and`; a top-level `or` (one rule per side); `=~`, `=`, `!=`, `!~` on title, content,
description (words or a phrase: a regular expression only when it is plain words), author,
feedtitle and feedurl (feed:), `tags #`/`!#` (tag:), `unread = "yes"/"no"` (is:unread/is:read),
`age < N`/`age > N` (since:/before: N days). A rule's words are matched as search matches them
(whole words, any case, anywhere in the item), where newsboat matched a regular expression in one
field: the conversion says so. Everything else (other attributes, real regular expressions, a
nested `or`, `define-filter`, `highlight`) is listed as not converted; `ignore-mode` needs
nothing (hidden items are kept, out of sight, found by is:hidden).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from reader.config import RuleSpec

_TOKEN = re.compile(
    r'\s*(?:("(?:[^"\\]|\\.)*")|(=~|!~|!=|!#|<=|>=|=|#|<|>|\(|\))|([^\s()"=!<>#]+))'
)
_PLAIN = re.compile(r"[\w\s'’-]+")  # a regular expression that is only words
_URLISH = re.compile(r"[\w\s./:%=&@~-]+")
_WORDS = {"title", "content", "description"}
_ANY_WORDS = "words: matched anywhere in the item, whole words, any case"


class NotConverted(Exception):
    """A filter expression with a part that has no rule equivalent (the message says which)."""


@dataclass
class Conversion:
    """What a newsboat config gave: the rules, notes on them, and the lines left as they were."""

    rules: list[RuleSpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one per converted line
    skipped: list[str] = field(default_factory=list)  # "line N: why"


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise NotConverted(f"cannot read {text[pos : pos + 20]!r}")
        out.append(next(g for g in match.groups() if g is not None))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def _value(token: str) -> str:
    if token.startswith('"'):
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    return token


def _quote(text: str) -> str:
    return '"' + text.replace('"', " ") + '"'


def _comparison(attribute: str, op: str, value: str) -> str:
    """One `attribute op value` as a search term."""
    negate = op in ("!=", "!~", "!#")
    sign = "-" if negate else ""
    if attribute in _WORDS and op in ("=~", "!~", "=", "!="):
        if not _PLAIN.fullmatch(value) or not value.strip():
            raise NotConverted(f"{attribute} {op} {value!r}: a regular expression, not words")
        return sign + _quote(value.strip())
    if attribute == "author" and op in ("=~", "!~", "=", "!="):
        return f"{sign}author:{_quote(value)}"
    if attribute in ("feedtitle", "feedurl") and op in ("=~", "!~", "=", "!="):
        if op.endswith("~") and not _URLISH.fullmatch(value):  # a dot read as itself
            raise NotConverted(f"{attribute} {op} {value!r}: a regular expression")
        return f"{sign}feed:{_quote(value)}"
    if attribute == "tags" and op in ("#", "!#"):
        return f"{sign}tag:{_quote(value)}"
    if attribute == "unread" and op in ("=", "!=") and value in ("yes", "no"):
        return "is:unread" if (value == "yes") != negate else "is:read"
    if attribute == "age" and op in ("<", ">", "<=", ">=") and value.isdigit():
        return f"since:{value}d" if op.startswith("<") else f"before:{value}d"
    raise NotConverted(f"{attribute} {op} {value!r} has no rule equivalent")


def _conjunction(tokens: list[str]) -> str:
    """`a op v and b op v ...` (no `or`, no parentheses) as one query."""
    terms: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] in ("(", ")"):
            raise NotConverted("parentheses")
        if len(tokens) - i < 3:
            raise NotConverted("an incomplete comparison")
        terms.append(_comparison(tokens[i].lower(), tokens[i + 1], _value(tokens[i + 2])))
        i += 3
        if i < len(tokens):
            if tokens[i].lower() != "and":
                raise NotConverted(f"{tokens[i]!r} where 'and' was expected")
            i += 1
    return " ".join(terms)


def convert_expression(expression: str) -> list[str]:
    """A newsboat filter expression as queries (several for a top-level `or`)."""
    tokens = _tokens(expression)
    if len(tokens) >= 2 and tokens[0] == "(" and tokens[-1] == ")":
        tokens = tokens[1:-1]
    sides: list[list[str]] = [[]]
    for token in tokens:
        if token.lower() == "or":
            sides.append([])
        else:
            sides[-1].append(token)
    return [_conjunction(side) for side in sides]


def _ignore_article(args: list[str]) -> tuple[list[str], str]:
    if len(args) != 2:
        raise NotConverted("ignore-article takes a feed (or *) and an expression")
    feed, expression = args
    queries = convert_expression(expression)
    if feed != "*":
        queries = [f"feed:{_quote(feed)} {q}" for q in queries]
    words = re.search(r"\b(?:title|content|description)\b", expression) is not None
    return queries, (f" ({_ANY_WORDS})" if words else "")


def convert_config(text: str) -> Conversion:
    """The rules of a newsboat config file's `ignore-article` lines, and what was not
    converted (other killfile-like lines: ignore-mode, define-filter, highlight...)."""
    result = Conversion()
    for number, line in enumerate(text.splitlines(), 1):
        try:
            words = shlex.split(line, comments=True)
        except ValueError as exc:
            if line.lstrip().startswith(("ignore-", "define-filter", "highlight")):
                result.skipped.append(f"line {number}: {exc}")
            continue
        if not words:
            continue
        name, args = words[0], words[1:]
        if name == "ignore-article":
            try:
                queries, note = _ignore_article(args)
            except (NotConverted, IndexError) as exc:
                result.skipped.append(f"line {number}: {line.strip()}: {exc or 'unreadable'}")
                continue
            result.rules += [RuleSpec(q, "hide") for q in queries]
            result.notes.append(f"line {number}: {len(queries)} rule(s){note}")
        elif name == "ignore-mode":
            result.notes.append(f"line {number}: ignore-mode: either way the items are hidden")
        elif name in ("define-filter", "highlight", "highlight-article", "highlight-feed"):
            result.skipped.append(f"line {number}: {line.strip()}: no rule equivalent")
    return result
