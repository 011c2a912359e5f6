"""Full-text search: queries over the index that store/indexing.py writes.

A query (store/query.py) is compiled to an FTS5 expression and filters on items (`Plan`). Its
hits are found newest first: the index's rowids are date keys (see indexing.py), so the
newest `RANK_WINDOW` matches are the first steps of one walk of the index, whatever the query.
Relevance ranks that window (bm25 and headline matches, see `rank_window`); sort:date lists it
as it comes. The total is counted beside all this on a second connection (store/counting.py);
when the first page is ready before the count, the total is estimated from how much of the
store the window spans, and said to be an estimate (SearchResult.exact), and the count is
there for the asking (`Store.search_total`).

Feed titles live in a small index of their own, `feed_search`: a query word that matches a
feed's title also matches that feed's items through the feed column, so renaming a feed never
touches the item index.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.indextext import PREFIXES
from reader.models import Hit, SearchResult
from reader.searchtext import CJK, has_words, query_form
from reader.store.counting import Counter
from reader.store.highlight import Highlighter
from reader.store.indexing import feed_token, initial_token, key_of_time, pending, spill
from reader.store.items import headlines_for
from reader.store.query import Query, Term, parse
from reader.store.searchpage import Plan, Titled, bodies, count, count_sql, estimate, page

_TOKEN = re.compile(r"[^\W_]+")  # near enough to what unicode61 calls a token
_LETTERS = re.compile(f"[^\\W_{CJK}]")  # as a prefix, searched by its initials token
_SHORT = re.compile(f"[^\\W_{CJK}]{{2,{max(PREFIXES)}}}")  # the same, with the word itself
_HANZI = re.compile(f"[{CJK}]")  # one CJK character: the same

TITLE_FEEDS = 8  # a word in more feed titles than this is too common to name feeds by
# feed: and tag: lists up to this long are matched inside the index, longer ones beside the key
# (an OR of 45 feeds' tokens walked 4.2 ms for tag:tech battery at 250,000 stories, the key
# 3.2 ms; a list of 16, 1.9 ms against 4.5)
FEED_LIST = 32


# ---- compiling a Query --------------------------------------------------------------------


def token_phrases(term: Term) -> list[str]:
    """The phrases of a term's single tokens, in order (a prefix's last one as a prefix), or
    [] when the term is one token already."""
    if not has_words(term.text):
        return []
    text, prefix = query_form(term.text)
    tokens: list[str] = _TOKEN.findall(text)
    if len(tokens) < 2:
        return []
    last = prefix or term.prefix
    return ['"' + t + '"' + (" *" if last and n == len(tokens) - 1 else "")
            for n, t in enumerate(tokens)]  # fmt: skip


def key_phrase(term: Term) -> str | None:
    """The phrase of a term's most telling single token (its longest, the first of equals), for
    ranking: every item holding the term holds it, and FTS5 scores it without first walking
    every match of a whole phrase (see `Plan.rank`). None when the term is one token already."""
    tokens = token_phrases(term)
    return max(tokens, key=lambda t: len(t.rstrip(" *"))) if tokens else None


def phrase(term: Term) -> str | None:
    """An FTS5 phrase for a term: its text in double quotes (quotes doubled), so no operator,
    column name or bracket a person typed can reach FTS5's own syntax; None when it has no word."""
    if not has_words(term.text):
        return None
    text, prefix = query_form(term.text)
    return '"' + text.replace('"', '""') + '"' + (" *" if prefix or term.prefix else "")


def _feeds_titled(conn: sqlite3.Connection, fts_phrase: str) -> list[int]:
    rows = conn.execute(
        "SELECT rowid FROM feed_search WHERE feed_search MATCH ? LIMIT ?",
        (fts_phrase, TITLE_FEEDS + 1),
    )
    found = [r[0] for r in rows]
    return found if len(found) <= TITLE_FEEDS else []  # a common word names no one feed


def _any_feed(ids: Iterable[int]) -> str:
    return "feed : (" + " OR ".join(f'"{feed_token(f)}"' for f in sorted(ids)) + ")"


def _short(term: Term) -> str | None:
    """What finds a prefix of one to three letters (`s*`, `st*`, `the*`) or one CJK character
    through the initials (store/indexing.py), else None. The initials of two and three letters
    come from longer words only, so the word itself is asked for beside them."""
    text = term.text.strip()
    token = '"' + initial_token(text) + '"'
    if _HANZI.fullmatch(text) or (term.prefix and _LETTERS.fullmatch(text)):
        return token
    if term.prefix and _SHORT.fullmatch(text):
        return f'({token} OR "{text}")'
    return None


@dataclass(frozen=True)
class _Compiled:
    """One free word or phrase: what matches it, what scores it, what finds it in headlines."""

    match: str
    rank: str | None
    titled: Titled | None


def _term(conn: sqlite3.Connection, term: Term) -> _Compiled | None:
    """The expressions of one free word or phrase (in the item's text, or its feed's title)."""
    fts = phrase(term)
    if fts is None:
        return None
    feeds = _feeds_titled(conn, fts)
    either = f" OR {_any_feed(feeds)})" if feeds else ""
    short = _short(term)
    if short is not None:  # no score, and not looked for in headlines: newest first
        return _Compiled(f"({short}{either}" if feeds else short, None, None)
    if fts.endswith("*"):  # a prefix: scoring it, or finding it in headlines, merges every
        return _Compiled(f"({fts}{either}" if feeds else fts, None, None)  # word it starts
    titled = Titled(f"title : {fts}", tuple(token_phrases(term)), term)
    key = key_phrase(term) or fts
    if feeds:
        return _Compiled(f"({fts}{either}", f"({key}{either}", titled)
    return _Compiled(fts, key, titled)


def _feed_ids(conn: sqlite3.Connection, names: Sequence[str], tags: Sequence[str]) -> set[int]:
    """Feeds whose title or URL contains any of `names`, or that carry any of `tags`."""
    found: set[int] = set()
    if names:
        wanted = [n.casefold() for n in names]
        for fid, title, url in conn.execute("SELECT id, title, url FROM feeds"):
            if any(w in title.casefold() or w in url.casefold() for w in wanted):
                found.add(fid)
    if tags:
        wanted = [t.casefold() for t in tags]
        for fid, tag in conn.execute("SELECT feed_id, tag FROM feed_tags"):
            if tag.casefold() in wanted:
                found.add(fid)
    return found


def _items_tagged(conn: sqlite3.Connection, tags: Sequence[str]) -> set[int]:
    """Items that carry any of `tags` themselves (bookmark tags)."""
    wanted = {t.casefold() for t in tags}
    rows = conn.execute("SELECT item_id, tag FROM item_tags")
    return {item_id for item_id, tag in rows if tag.casefold() in wanted} if wanted else set()


_LIST = "(SELECT value FROM json_each(?))"


def _on_ids(plan: Plan, sql: str, ids: Iterable[int]) -> None:
    """A condition on a list of ids: `sql` names the item's ID or FEED (see Plan.add)."""
    plan.add(sql.replace("LIST", _LIST), json.dumps(sorted(ids)))


def _feed_filter(conn: sqlite3.Connection, query: Query, plan: Plan) -> None:
    """feed: and tag: (and their negations). A tag is a feed's, or an item's own (a bookmark
    tag). Feed ids go inside the FTS5 expression when there is one and the list is short (the
    index intersects them), else beside the key, as do items tagged themselves."""
    allowed = _feed_ids(conn, query.feeds, ()) if query.feeds else None
    banned = _feed_ids(conn, query.not_feeds, query.not_tags)
    if query.not_tags and (unmarked := _items_tagged(conn, query.not_tags)):
        _on_ids(plan, "ID NOT IN LIST", unmarked)
    if query.tags:
        tagged = _feed_ids(conn, (), query.tags)
        marked = _items_tagged(conn, query.tags)
        if marked:  # an item of a tagged feed, or tagged itself
            plan.add(f"(FEED IN {_LIST} OR ID IN {_LIST})", json.dumps(sorted(tagged)),
                     json.dumps(sorted(marked)))  # fmt: skip
        else:
            allowed = tagged if allowed is None else allowed & tagged
    if allowed is not None:
        allowed -= banned
        plan.empty |= not allowed
        if plan.match is not None and len(allowed) <= FEED_LIST:
            plan.match = f"({plan.match}) AND {_any_feed(allowed)}"
        else:
            _on_ids(plan, "FEED IN LIST", allowed)
    elif banned:
        if plan.match is not None and len(banned) <= FEED_LIST:
            plan.match = f"({plan.match}) NOT {_any_feed(banned)}"
        else:
            _on_ids(plan, "FEED NOT IN LIST", banned)


# Read, bookmarked and hidden beside a key: a probe of the items' partial indexes (a few
# pages, cached) instead of a read of the item's row (one page of the items table each).
_UNREAD = ("EXISTS (SELECT 1 FROM items u INDEXED BY items_unread WHERE u.published = k.published"
           " AND u.id = k.item_id AND u.read = 0 AND u.hidden = 0)")  # fmt: skip
_MARKED = ("EXISTS (SELECT 1 FROM items u INDEXED BY items_bookmarked WHERE"
           " u.published = k.published AND u.id = k.item_id AND u.bookmarked = 1)")  # fmt: skip
_HIDDEN = (
    "EXISTS (SELECT 1 FROM items u INDEXED BY items_hidden WHERE u.id = k.item_id AND u.hidden = 1)"
)


def _hidden_filter(conn: sqlite3.Connection, query: Query, plan: Plan) -> None:
    """Hidden items (a rule's `hide`) only with is:hidden. A search by words leaves them
    unchecked as long as nothing is hidden."""
    if query.hidden:
        plan.add("i.hidden = 1", keys=_HIDDEN)
    elif (
        plan.match is None
        or conn.execute("SELECT 1 FROM items WHERE hidden = 1 LIMIT 1").fetchone()
    ):
        # with is:bookmarked, `+` leaves items_bookmarked the only index that fits (a
        # bookmarked item is never hidden) instead of a walk of items_date (10 ms at 250,000)
        shown = "+i.hidden = 0" if query.bookmarked else "i.hidden = 0"
        plan.add(shown, keys="NOT " + _HIDDEN)


def _item_filters(conn: sqlite3.Connection, query: Query, plan: Plan) -> None:
    """is:, since: and before:. The probe for unread items finds no hidden one: with
    is:hidden, read is checked on the item itself."""
    if query.read is not None:
        probe = None if query.hidden else ("NOT " if query.read else "") + _UNREAD
        plan.add("i.read = 1" if query.read else "i.read = 0", keys=probe)
    if query.bookmarked is not None:
        plan.add("i.bookmarked = " + str(int(query.bookmarked)),
                 keys=("" if query.bookmarked else "NOT ") + _MARKED)  # fmt: skip
    # the same as a range of the index's date keys, which FTS5 seeks to (a key is never below
    # its item's second, nor more than search_spill seconds past it)
    if query.since is not None:
        plan.add("PUBLISHED >= ?", query.since)
        plan.low = key_of_time(query.since)
    if query.before is not None:
        plan.add("PUBLISHED < ?", query.before)
        plan.high = key_of_time(query.before + spill(conn))


def compile_query(conn: sqlite3.Connection, query: Query) -> Plan:
    """`query` as a Plan (reads the feed tables to resolve feed titles, feed: and tag:)."""
    plan = Plan()
    terms = [e for t in query.include if (e := _term(conn, t))]
    terms += [_Compiled(f"author : {p}", f"author : {key_phrase(t) or p}", None)
              for t in query.authors if (p := phrase(t))]  # fmt: skip
    negative = [e.match for t in query.exclude if (e := _term(conn, t))]
    negative += [f"author : {p}" for t in query.not_authors if (p := phrase(t))]
    plan.titled = [t.titled for t in terms if t.titled is not None]
    plan.rank = [t.rank for t in terms]
    if (query.include or query.authors) and not terms:
        plan.empty = True  # words were given but none has a letter or digit in it
    if terms:
        plan.match = " AND ".join(t.match for t in terms)
        if negative:
            plan.match = f"({plan.match}) NOT ({' OR '.join(negative)})"
    elif negative:
        plan.exclude = " OR ".join(negative)
    _feed_filter(conn, query, plan)
    _item_filters(conn, query, plan)
    _hidden_filter(conn, query, plan)
    plan.plain = plan.rank == [plan.match] and not plan.filters
    return plan


# ---- running it ---------------------------------------------------------------------------


def run(
    conn: sqlite3.Connection,
    text: str,
    limit: int = 50,
    offset: int = 0,
    now: float | None = None,
    counter: Counter | None = None,
    exact: bool = True,
) -> SearchResult:
    """Search: parse `text`, find the page of hits, count them all, cut snippets. With a
    `counter`, the count runs beside the ranking and the snippets (see store/counting.py);
    without `exact`, a count that is not done when the page is comes back as an estimate
    (SearchResult.exact is False) and goes on (see `statement`)."""
    started = time.perf_counter()
    query = parse(text, now)
    plan = compile_query(conn, query)
    counting = counter.submit(*count_sql(plan)) if counter and not plan.empty else None
    found = page(conn, plan, query.by_date, limit, offset)
    ranked, total = found.hits, found.total
    short = (ranked and len(ranked) < limit) or (not ranked and offset == 0 and limit > 0)
    if total is None and short:
        total = offset + len(ranked)
    if total is not None and counting is not None:
        counting.cancel()  # not needed (when it has started, it finishes on its own)
        counting = None
    hits = _hits(conn, Highlighter(query.include), ranked)
    estimated = False
    if total is None:
        if counting is not None and (exact or counting.done() or plan.match is None):
            total = counting.result()
        elif counting is None and (exact or plan.match is None):
            total = count(conn, plan)
        else:
            total, estimated = estimate(conn, plan, found.window), True
    took = (time.perf_counter() - started) * 1000
    return SearchResult(text, total, round(took, 3), hits, unindexed=pending(conn),
                        exact=not estimated)  # fmt: skip


def _hits(
    conn: sqlite3.Connection, marker: Highlighter, ranked: Sequence[tuple[int, float]]
) -> tuple[Hit, ...]:
    """The hits with their headlines, marked titles and snippets."""
    ids = [item_id for item_id, _ in ranked]
    heads = {h.id: h for h in headlines_for(conn, ids)}
    texts = bodies(conn, ids)
    return tuple(
        Hit(heads[i], marker.title(heads[i].title), marker.snippet(texts.get(i, "")), score)
        for i, score in ranked
        if i in heads
    )


def statement(
    conn: sqlite3.Connection, text: str, now: float | None = None
) -> tuple[str, list[object]] | None:
    """The statement that counts the matches of `text` (None: nothing can match)."""
    plan = compile_query(conn, parse(text, now))
    return None if plan.empty else count_sql(plan)


def matching_ids(conn: sqlite3.Connection, text: str, now: float | None = None) -> list[int]:
    """The ids of every item matching the query `text`, newest first (for rules --apply)."""
    from reader.store.searchpage import _source

    plan = compile_query(conn, parse(text, now))
    if plan.empty:
        return []
    source, args = _source(plan, True)
    return [r[0] for r in conn.execute(f"SELECT i.id {source} ORDER BY i.id DESC", args)]


def count_matches(conn: sqlite3.Connection, text: str, now: float | None = None) -> int:
    """How many items match the query `text` (no ranking, no snippets)."""
    return count(conn, compile_query(conn, parse(text, now)))
