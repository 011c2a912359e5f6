"""Full-text search: queries over the FTS5 index.

The index (schema migration 3) is a contentless FTS5 table `search` whose rowid is the item id,
with columns title, author, body (full text, content and summary as plain text, CJK as bigrams:
see searchtext.py) and feed (a token for the feed's id, see `feed_token`). Texts are stored once,
in item_texts; the index holds only tokens. How items get into it, and how triggers keep it in
step with every change, is store/indexing.py. Items written but not indexed yet (search_pending)
are counted in a result's `unindexed`. Feed titles live in a small index of their own,
`feed_search`: a query word that matches a feed's title also matches that feed's items through
the feed column, so renaming a feed never touches the item index.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reader.models import Hit, SearchResult
from reader.searchtext import body_text, has_words, query_form
from reader.store.counting import Counter
from reader.store.highlight import Highlighter
from reader.store.indexing import feed_token, pending
from reader.store.items import headlines_for
from reader.store.query import Query, Term, parse

_TOKEN = re.compile(r"[^\W_]+")  # near enough to what unicode61 calls a token

TITLE_FEEDS = 8  # a word in more feed titles than this is too common to name feeds by
FEED_LIST = 64  # feed: and tag: lists up to this long are matched inside the index
RANK_WINDOW = 1000  # relevance ranks the newest this many matches (all, when fewer)


# ---- compiling a Query --------------------------------------------------------------------


def key_phrase(term: Term) -> str | None:
    """The phrase of a term's most telling single token (its longest, the first of equals), for
    ranking: every item holding the term holds it, and FTS5 scores it without first walking
    every match of a whole phrase (see `Plan.rank`). None when the term is one token already."""
    if not has_words(term.text):
        return None
    text, prefix = query_form(term.text)
    tokens: list[str] = _TOKEN.findall(text)
    if len(tokens) < 2:
        return None
    key = max(tokens, key=len)
    last = prefix or term.prefix
    return '"' + key + '"' + (" *" if last and key == tokens[-1] else "")


def phrase(term: Term) -> str | None:
    """An FTS5 phrase for a term: its text in double quotes (quotes doubled), so no operator,
    column name or bracket a person typed can reach FTS5's own syntax; None when it has no word."""
    if not has_words(term.text):
        return None
    text, prefix = query_form(term.text)
    return '"' + text.replace('"', '""') + '"' + (" *" if prefix or term.prefix else "")


@dataclass
class Plan:
    """A query as SQL: an FTS5 expression to match (or to exclude) and filters on items."""

    match: str | None = None  # every hit matches this
    exclude: str | None = None  # no hit matches this (used when there is no `match`)
    where: list[str] = field(default_factory=list)
    args: list[object] = field(default_factory=list)
    empty: bool = False  # nothing can match (e.g. feed:x names no feed)
    titled: list[str] = field(default_factory=list)  # per free word: "it is in the title"
    # What relevance is scored on, when not `match` itself: its positive terms, each phrase
    # by its key token. FTS5's bm25 first counts every match of each phrase of the expression
    # for its IDF: for a common phrase, or one excluded, that walk costs more than the rest of
    # the search; for one token it is a plain walk of the token's list. See `_window`.
    rank: str | None = None


def _feeds_titled(conn: sqlite3.Connection, fts_phrase: str) -> list[int]:
    rows = conn.execute(
        "SELECT rowid FROM feed_search WHERE feed_search MATCH ? LIMIT ?",
        (fts_phrase, TITLE_FEEDS + 1),
    )
    found = [r[0] for r in rows]
    return found if len(found) <= TITLE_FEEDS else []  # a common word names no one feed


def _any_feed(ids: Iterable[int]) -> str:
    return "feed : (" + " OR ".join(f'"{feed_token(f)}"' for f in sorted(ids)) + ")"


def _term(conn: sqlite3.Connection, term: Term) -> tuple[str, str] | None:
    """The expression of one free word or phrase (in the item's text, or its feed's title),
    and the same with the phrase's key token (see `key_phrase`)."""
    fts = phrase(term)
    if fts is None:
        return None
    key = key_phrase(term) or fts
    feeds = _feeds_titled(conn, fts)
    if not feeds:
        return fts, key
    return f"({fts} OR {_any_feed(feeds)})", f"({key} OR {_any_feed(feeds)})"


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


def _feed_filter(conn: sqlite3.Connection, query: Query, plan: Plan) -> None:
    """feed: and tag: (and their negations) as feed ids: inside the FTS5 expression when there
    is one and the list is short (the index intersects them), else on the items."""
    allowed: set[int] | None = None
    if query.feeds or query.tags:
        allowed = _feed_ids(conn, query.feeds, ()) if query.feeds else None
        if query.tags:
            tagged = _feed_ids(conn, (), query.tags)
            allowed = tagged if allowed is None else allowed & tagged
    banned = _feed_ids(conn, query.not_feeds, query.not_tags)
    if allowed is not None:
        allowed -= banned
        plan.empty |= not allowed
        if plan.match is not None and len(allowed) <= FEED_LIST:
            plan.match = f"({plan.match}) AND {_any_feed(allowed)}"
        else:
            plan.where.append("i.feed_id IN (SELECT value FROM json_each(?))")
            plan.args.append(json.dumps(sorted(allowed)))
    elif banned:
        if plan.match is not None and len(banned) <= FEED_LIST:
            plan.match = f"({plan.match}) NOT {_any_feed(banned)}"
        else:
            plan.where.append("i.feed_id NOT IN (SELECT value FROM json_each(?))")
            plan.args.append(json.dumps(sorted(banned)))


def _item_filters(query: Query, plan: Plan) -> None:
    if query.read is not None:
        plan.where.append("i.read = 1" if query.read else "i.read = 0")
    if query.bookmarked is not None:
        plan.where.append("i.bookmarked = 1" if query.bookmarked else "i.bookmarked = 0")
    if query.since is not None:
        plan.where.append("i.published >= ?")
        plan.args.append(query.since)
    if query.before is not None:
        plan.where.append("i.published < ?")
        plan.args.append(query.before)


def compile_query(conn: sqlite3.Connection, query: Query) -> Plan:
    """`query` as a Plan (reads the feed tables to resolve feed titles, feed: and tag:)."""
    plan = Plan()
    terms = [e for t in query.include if (e := _term(conn, t))]
    terms += [(f"author : {p}", f"author : {key_phrase(t) or p}")
              for t in query.authors if (p := phrase(t))]  # fmt: skip
    positive = [match for match, _ in terms]
    negative = [e[0] for t in query.exclude if (e := _term(conn, t))]
    negative += [f"author : {p}" for t in query.not_authors if (p := phrase(t))]
    plan.titled = [f"title : {p}" for t in query.include if (p := phrase(t))]
    typed = query.include or query.authors
    if typed and not positive:
        plan.empty = True  # words were given but none has a letter or digit in it
    if positive:
        plan.match = " AND ".join(positive)
        if negative or any(match != key for match, key in terms):
            plan.rank = " AND ".join(key for _, key in terms)
        if negative:
            plan.match = f"({plan.match}) NOT ({' OR '.join(negative)})"
    elif negative:
        plan.exclude = " OR ".join(negative)
    _feed_filter(conn, query, plan)
    _item_filters(query, plan)
    return plan


# ---- running it ---------------------------------------------------------------------------


def _source(plan: Plan, with_items: bool) -> tuple[str, list[object]]:
    """FROM ... WHERE ... of a plan, and its arguments."""
    args: list[object] = []
    if plan.match is not None:
        sql = "FROM search s" + (" JOIN items i ON i.id = s.rowid" if with_items else "")
        sql += " WHERE search MATCH ?"
        args.append(plan.match)
    else:
        sql = "FROM items i WHERE 1"
        if plan.exclude is not None:
            sql += " AND i.id NOT IN (SELECT rowid FROM search WHERE search MATCH ?)"
            args.append(plan.exclude)
    for clause in plan.where:
        sql += " AND " + clause
    return sql, args + plan.args


def count_sql(plan: Plan) -> tuple[str, list[object]]:
    """The statement that counts a plan's matches, and its arguments."""
    source, args = _source(plan, bool(plan.where))
    return f"SELECT count(*) {source}", args


def count(conn: sqlite3.Connection, plan: Plan) -> int:
    """How many items match."""
    if plan.empty:
        return 0
    sql, args = count_sql(plan)
    return int(conn.execute(sql, args).fetchone()[0])


def page(
    conn: sqlite3.Connection, plan: Plan, by_date: bool, limit: int, offset: int
) -> tuple[list[tuple[int, float]], int | None]:
    """(item id, relevance) of the hits in [offset, offset + limit), best or newest first, and
    the total when finding them told it (else None: count them).

    Relevance is bm25 (title 8, author 3, feed 2, body 1) over the matches; past RANK_WINDOW
    matches only the newest RANK_WINDOW stored are ranked, so that a common word costs the same
    few milliseconds as a rare one (news search favours the recent anyway). Stories whose
    headline holds more of the query's words come first, bm25 within them: FTS5's bm25
    normalises by the whole row's length, so a long story with the words in its headline would
    otherwise lose to a short one that mentions them once."""
    if plan.empty or limit <= 0:
        return [], 0 if plan.empty else None
    if plan.match is not None and not by_date:
        window = max(RANK_WINDOW, limit + offset)
        rows = _window(conn, plan, window)
        total = len(rows) if len(rows) < window else None
        boost = _title_words(conn, plan, [r[0] for r in rows])
        rows.sort(key=lambda r: (-boost.get(r[0], 0), -r[1], -r[0]))
        return rows[offset : offset + limit], total
    source, args = _source(plan, True)
    sql = f"SELECT i.id, 0.0 {source} ORDER BY i.published DESC, i.id DESC LIMIT ? OFFSET ?"
    return [(r[0], r[1]) for r in conn.execute(sql, [*args, limit, offset])], None


def _window(conn: sqlite3.Connection, plan: Plan, window: int) -> list[tuple[int, float]]:
    """(id, bm25) of the newest `window` matches. With a `plan.rank`, the matches are found
    first, then scored by it over just those ids. For a phrase the score is the bm25 of its
    key token within items that hold the phrase: term frequency and length as bm25 has them,
    for a phrase query's one IDF is the same for every item anyway."""
    source, args = _source(plan, bool(plan.where))
    if plan.rank is None:
        sql = f"SELECT s.rowid, -s.rank {source} ORDER BY s.rowid DESC LIMIT ?"
        return [(r[0], r[1]) for r in conn.execute(sql, [*args, window])]
    sql = f"SELECT s.rowid {source} ORDER BY s.rowid DESC LIMIT ?"
    ids = [r[0] for r in conn.execute(sql, [*args, window])]
    score = {r[0]: r[1] for r in _among(conn, "rowid, -rank", plan.rank, ids)}
    return [(item_id, score.get(item_id, 0.0)) for item_id in ids]


def _among(
    conn: sqlite3.Connection, columns: str, expression: str, ids: Sequence[int]
) -> list[sqlite3.Row]:
    """`columns` of the items among `ids` (newest first, as a window is) that match
    `expression`. FTS5 is given only the range of ids: handed the list itself, it would start
    the query once per id (and bm25 its IDF walk each time). The unary + keeps the list a
    filter on the rows it returns."""
    if not ids:
        return []
    sql = (
        f"SELECT {columns} FROM search WHERE search MATCH ? AND rowid >= ?"
        " AND +rowid IN (SELECT value FROM json_each(?))"
    )
    return conn.execute(sql, (expression, ids[-1], json.dumps(list(ids)))).fetchall()


def _title_words(conn: sqlite3.Connection, plan: Plan, ids: Sequence[int]) -> dict[int, int]:
    """How many of the query's words each of `ids` has in its title, asked of the index's
    title column (a fraction of a millisecond a word over a window of ids; matching a
    thousand headlines with regexes took several)."""
    found: dict[int, int] = {}
    for titled in plan.titled:
        for (rowid,) in _among(conn, "rowid", titled, ids):
            found[rowid] = found.get(rowid, 0) + 1
    return found


def bodies(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, str]:
    """The plain-text bodies of these items (for snippets)."""
    marks = ",".join("?" * len(ids)) or "NULL"
    rows = conn.execute(
        "SELECT item_id, summary, content, content_type, full_text FROM item_texts"
        f" WHERE item_id IN ({marks})",
        list(ids),
    )
    return {r[0]: body_text(r[1], r[2], r[3], r[4]) for r in rows}


def run(
    conn: sqlite3.Connection,
    text: str,
    limit: int = 50,
    offset: int = 0,
    now: float | None = None,
    counter: Counter | None = None,
) -> SearchResult:
    """Search: parse `text`, find the page of hits, count them all, cut snippets. With a
    `counter`, the count runs beside the ranking and the snippets (see store/counting.py)."""
    started = time.perf_counter()
    query = parse(text, now)
    plan = compile_query(conn, query)
    counting = counter.submit(*count_sql(plan)) if counter and not plan.empty else None
    ranked, total = page(conn, plan, query.by_date, limit, offset)
    short = (ranked and len(ranked) < limit) or (not ranked and offset == 0 and limit > 0)
    if total is None and short:
        total = offset + len(ranked)
    if total is not None and counting is not None:
        counting.cancel()  # not needed (when it has started, it finishes on its own)
        counting = None
    marker = Highlighter(query.include)
    ids = [item_id for item_id, _ in ranked]
    heads = {h.id: h for h in headlines_for(conn, ids)}
    texts = bodies(conn, ids)
    hits = tuple(
        Hit(heads[i], marker.title(heads[i].title), marker.snippet(texts.get(i, "")), score)
        for i, score in ranked
        if i in heads
    )
    if total is None:
        total = counting.result() if counting is not None else count(conn, plan)
    took = (time.perf_counter() - started) * 1000
    return SearchResult(text, total, round(took, 3), hits, unindexed=pending(conn))


def count_matches(conn: sqlite3.Connection, text: str, now: float | None = None) -> int:
    """How many items match the query `text` (no ranking, no snippets)."""
    return count(conn, compile_query(conn, parse(text, now)))
