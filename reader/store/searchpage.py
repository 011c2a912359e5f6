"""Running a compiled search: the window of newest matches, its ranking, the page, the total.

The index's rowids are date keys (store/indexing.py), so `ORDER BY rowid DESC LIMIT n` is
the newest n matches, found by walking the index from its newest end and stopping there: a
word in every other story costs what a rare one does. Relevance then ranks that window (see
`page`); past RANK_WINDOW matches, only the newest RANK_WINDOW are ranked (news search favours
the recent anyway, and the reader lists them newest first when the words say little).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

from reader.searchtext import body_text
from reader.store.highlight import Highlighter
from reader.store.query import Term

# relevance ranks the newest this many matches (all, when fewer): 20 pages of hits; 1,000 cost
# a fifth more CPU on the search benchmark's slowest queries (bm25 and headline checks per item)
RANK_WINDOW = 500
ESTIMATE_SAMPLE = 250  # matches an estimated total is taken from (two digits are shown)
RANK_DF = 20_000  # a term in more items than this is left out of bm25 (see `_scored`)
RANK_SAMPLE = 20_000  # the newest items a term's share is taken from (see `_common`)
TOKEN_ITEMS, TOKEN_CAP = 5000, 1000  # a phrase's tokens counted in the newest items (`_titled`)
TITLES_READ = 100  # headlines read for a phrase (see `_titled`)


_COLUMNS = {"ID": ("i.id", "k.item_id"), "FEED": ("i.feed_id", "k.feed_id"),
            "PUBLISHED": ("i.published", "k.published")}  # fmt: skip
_NAMES = re.compile(r"\b(ID|FEED|PUBLISHED)\b")
_SAME = "same"


@dataclass(frozen=True)
class Filter:
    """A condition on an item, on the items table (`i`) and, when it can be, on its key in
    search_keys (`k`, which holds the item's id, feed and time)."""

    on_items: str
    on_keys: str | None
    args: tuple[object, ...]


@dataclass(frozen=True)
class Titled:
    """How a free word or phrase is found in the window's headlines: `expression` (FTS5, on the
    title column). For a phrase of several `tokens`, the headlines holding its rarest token
    among the newest items are read for the `phrase` instead: the phrase on the title column
    walks every item holding all its tokens (5 ms for "police said" at 250,000 stories)."""

    expression: str
    tokens: tuple[str, ...] = ()
    phrase: Term | None = None


@dataclass
class Plan:
    """A query as SQL: an FTS5 expression to match (or to exclude) and filters on items."""

    match: str | None = None  # every hit matches this
    exclude: str | None = None  # no hit matches this (used when there is no `match`)
    filters: list[Filter] = field(default_factory=list)
    low: int | None = None  # the lowest date key a hit can have (since:)
    high: int | None = None  # every hit's key is below this (before:)
    empty: bool = False  # nothing can match (e.g. feed:x names no feed)
    titled: list[Titled] = field(default_factory=list)  # per free word: "it is in the title"
    # What relevance is scored on, one expression per positive term (each phrase by its key
    # token: see search.key_phrase), None for terms that have no score (a one-letter prefix).
    rank: list[str | None] = field(default_factory=list)
    # One term and no filter: every match of `rank` or `titled` newer than the window's oldest
    # is in the window (nothing to check them against)
    plain: bool = False

    def add(self, sql: str, *args: object, keys: str | None = _SAME) -> None:
        """Add a filter: `sql` on the items, where ID, FEED and PUBLISHED name the item's
        columns; `keys` the same on the key (by default `sql` itself; None: not possible)."""
        on_items = _NAMES.sub(lambda m: _COLUMNS[m[1]][0], sql)
        on_keys = _NAMES.sub(lambda m: _COLUMNS[m[1]][1], sql if keys == _SAME else keys or "")
        self.filters.append(Filter(on_items, on_keys if keys else None, args))


def _source(plan: Plan, with_items: bool) -> tuple[str, list[object]]:
    """FROM ... WHERE ... of a plan (the index as `s`, its keys as `k`, items as `i`), and its
    arguments. Filters are checked on the keys unless `with_items` or one of them needs the
    items table."""
    args: list[object] = []
    keyed = not with_items and all(f.on_keys is not None for f in plan.filters)
    if plan.match is not None:
        sql = "FROM search s"
        if plan.filters or with_items:
            sql += " JOIN search_keys k ON k.key = s.rowid"
        if not keyed:
            sql += " JOIN items i ON i.id = k.item_id"
        sql += " WHERE search MATCH ?"
        args.append(plan.match)
        if plan.low is not None:
            sql += " AND s.rowid >= ?"
            args.append(plan.low)
        if plan.high is not None:
            sql += " AND s.rowid < ?"
            args.append(plan.high)
    else:
        keyed = False
        sql = "FROM items i WHERE 1"
        if plan.exclude is not None:
            sql += (
                " AND i.id NOT IN (SELECT k.item_id FROM search s JOIN search_keys k"
                " ON k.key = s.rowid WHERE search MATCH ?)"
            )
            args.append(plan.exclude)
    for f in plan.filters:
        sql += " AND " + (f.on_keys if keyed and f.on_keys else f.on_items)
        args += f.args
    return sql, args


def count_sql(plan: Plan) -> tuple[str, list[object]]:
    """The statement that counts a plan's matches, and its arguments."""
    source, args = _source(plan, False)
    return f"SELECT count(*) {source}", args


def count(conn: sqlite3.Connection, plan: Plan) -> int:
    """How many items match."""
    if plan.empty:
        return 0
    sql, args = count_sql(plan)
    return int(conn.execute(sql, args).fetchone()[0])


@dataclass(frozen=True)
class Page:
    """A page of hits: (item id, relevance) best or newest first; the total when the page
    told it (fewer matches than the window), else the full window's keys, newest first, that
    `estimate` takes it from."""

    hits: list[tuple[int, float]]
    total: int | None
    window: Sequence[int] = ()


def page(conn: sqlite3.Connection, plan: Plan, by_date: bool, limit: int, offset: int) -> Page:
    """The hits in [offset, offset + limit).

    With words, the newest max(RANK_WINDOW, offset + limit) matches are found first (the
    window). sort:date lists them as found. Relevance sorts the newest RANK_WINDOW of them
    (the later ones follow, newest first, so that pages asked for one after another agree):
    stories whose headline holds more of the query's words first, then bm25 (title 8, author
    3, feed 2, body 1), then the newest. FTS5's bm25 normalises by the whole row's length, so
    without the headline rule a long story with the words in its headline would lose to a short
    one that mentions them once."""
    if plan.empty or limit <= 0:
        return Page([], 0 if plan.empty else None)
    if plan.match is None:
        source, args = _source(plan, True)
        sql = f"SELECT i.id, 0.0 {source} ORDER BY i.published DESC, i.id DESC LIMIT ? OFFSET ?"
        return Page([(r[0], r[1]) for r in conn.execute(sql, [*args, limit, offset])], None)
    size = max(RANK_WINDOW, limit + offset)
    window = _window(conn, plan, size)
    total = len(window) if len(window) < size else None
    if by_date:
        chosen = [(key, 0.0) for key in window[offset : offset + limit]]
    else:
        matches = total if total is not None else _matches_for_rank(conn, window)
        ranked = _ranked(conn, plan, window[:RANK_WINDOW], matches)
        later = [(key, 0.0) for key in window[RANK_WINDOW : offset + limit]]  # newest first
        chosen = (ranked + later)[offset : offset + limit]
    ids = _item_ids(conn, [key for key, _ in chosen])
    hits = [(ids[key], score) for key, score in chosen if key in ids]
    return Page(hits, total, window if total is None else ())


def _matches_for_rank(conn: sqlite3.Connection, window: list[int]) -> int:
    """How many items match, as far as ranking asks (more than RANK_DF or not, see `_scored`),
    for a full window: more than RANK_DF when the window lies within the newest
    len(window) * N / RANK_DF items (it is as dense there as a term in RANK_DF items), else
    at least its size. A walk of at most N / 20 keys where an estimate counted the keys spanned."""
    indexed = _all_indexed(conn)
    dense = _newest(conn, max(1, len(window) * indexed // RANK_DF))
    return RANK_DF + 1 if window[-1] >= dense else len(window)


def _window(conn: sqlite3.Connection, plan: Plan, size: int) -> list[int]:
    """The date keys of the newest `size` matches, newest first."""
    source, args = _source(plan, False)
    sql = f"SELECT s.rowid {source} ORDER BY s.rowid DESC LIMIT ?"
    return [r[0] for r in conn.execute(sql, [*args, size])]


def estimate(conn: sqlite3.Connection, plan: Plan, window: Sequence[int]) -> int:
    """About how many items match, from a full window (Page.window): its newest
    ESTIMATE_SAMPLE matches are as dense among all the indexed items (in the plan's range of
    keys) as among those they span. Counting the keys they span is the cost (a rare word's
    newest matches span most of the store): search asks only when the count beside it is not
    done when the page is (a rare word's count is quick)."""
    if not window:
        return 0
    sample = window[:ESTIMATE_SAMPLE]
    spanned = _indexed(conn, sample[-1], plan.high)
    if plan.low is None and plan.high is None:
        everywhere = _all_indexed(conn)
    else:
        everywhere = _indexed(conn, plan.low, plan.high)
    return max(len(window), round(len(sample) * everywhere / max(1, spanned)))


_COUNTED: dict[int, tuple[tuple[object, ...], int]] = {}  # connection -> (state, count)


def _all_indexed(conn: sqlite3.Connection) -> int:
    """How many items are indexed, counted again when the store may have changed (a count of
    250,000 keys takes a few ms; it only scales an estimate)."""
    newest = conn.execute("SELECT max(key), (SELECT max(id) FROM search_data) FROM search_keys")
    state = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes,
             *newest.fetchone())  # fmt: skip
    known = _COUNTED.get(id(conn))
    if known is None or known[0] != state:
        known = _COUNTED[id(conn)] = (state, _count_keys(conn, _LOWEST, _HIGHEST))
    return known[1]


def _indexed(conn: sqlite3.Connection, low: int | None, high: int | None) -> int:
    """How many items are indexed with a key in [low, high) (None: no bound). A count takes a
    step per key counted (2 ms for 250,000): when the range spans more than half the keys' span
    (keys are times), the keys outside it are counted and taken from all of them."""
    low, high = _LOWEST if low is None else low, _HIGHEST if high is None else high
    first, last = conn.execute(
        "SELECT (SELECT min(key) FROM search_keys), (SELECT max(key) FROM search_keys)"
    ).fetchone()
    if first is None or high <= low:
        return 0
    inside = min(high, last + 1) - max(low, first)
    if inside * 2 <= last + 1 - first:
        return _count_keys(conn, low, high)
    outside = _count_keys(conn, _LOWEST, low) + _count_keys(conn, high, _HIGHEST)
    return _all_indexed(conn) - outside


_LOWEST, _HIGHEST = -(2**63), 2**63 - 1


def _count_keys(conn: sqlite3.Connection, low: int, high: int) -> int:
    """How many keys lie in [low, high)."""
    if high <= low:
        return 0
    sql = "SELECT count(*) FROM search_keys WHERE key >= ? AND key < ?"
    return int(conn.execute(sql, (low, high)).fetchone()[0])


def _ranked(
    conn: sqlite3.Connection, plan: Plan, window: list[int], matches: int
) -> list[tuple[int, float]]:
    """The window's keys with their relevance, best first (see `page`); `matches`: how many
    items match (counted, or estimated)."""
    if not window:
        return []
    sample = (0, 0) if plan.plain else _sample(conn)  # a plain query's one term needs none
    scores = _scored(conn, plan, window, matches, sample)
    boost: dict[int, int] = {}
    for titled in plan.titled:
        keys = _titled(conn, titled, window, plan)
        for key in keys:
            boost[key] = boost.get(key, 0) + 1
    ranked = [(key, scores.get(key, 0.0)) for key in window]
    ranked.sort(key=lambda r: (-boost.get(r[0], 0), -r[1], -r[0]))
    return ranked


def _titled(conn: sqlite3.Connection, titled: Titled, window: list[int], plan: Plan) -> list[int]:
    """The keys of the window whose headline holds a free word or phrase (see Titled). A
    phrase's tokens are counted among the newest TOKEN_ITEMS items (up to TOKEN_CAP each): its
    rarest token finds the headlines to read, unless every token is common there (the window
    spans few items, and the phrase costs little) or they come together as often as each other
    (a word's bigrams, ニュース: the phrase costs what its token does)."""
    if titled.phrase is not None and len(titled.tokens) > 1:
        start = _newest(conn, TOKEN_ITEMS)
        seen = {t: _matches_from(conn, t, start, TOKEN_CAP) for t in titled.tokens}
        rarest = min(titled.tokens, key=lambda t: (seen[t], -len(t)))
        if seen[rarest] < TOKEN_CAP and seen[rarest] * 10 < max(seen.values()) * 9:
            keys = [r[0] for r in _among(conn, "rowid", f"title : {rarest}", window, plan)]
            if len(keys) <= TITLES_READ:
                return _headlines_holding(conn, keys, titled.phrase) if keys else []
            window = keys  # a word of many headlines: FTS5 reads them faster
    return [r[0] for r in _among(conn, "rowid", titled.expression, window, plan)]


def _newest(conn: sqlite3.Connection, items: int) -> int:
    """The lowest key of the newest `items` indexed items (the lowest there is, when fewer)."""
    sql = "SELECT key FROM search_keys ORDER BY key DESC LIMIT 1 OFFSET ?"
    row = conn.execute(sql, (items - 1,)).fetchone()
    return _LOWEST if row is None else int(row[0])


def _headlines_holding(conn: sqlite3.Connection, keys: Sequence[int], phrase: Term) -> list[int]:
    """Those of `keys` whose item's headline holds `phrase` (as a snippet would mark it)."""
    marker = Highlighter([phrase])
    rows = conn.execute(
        "SELECT k.key, i.title FROM search_keys k JOIN items i ON i.id = k.item_id"
        " WHERE k.key IN (SELECT value FROM json_each(?))",
        (json.dumps(list(keys)),),
    )
    return [key for key, title in rows if marker.spans(title, 1)]


def _common(conn: sqlite3.Connection, expression: str, sample: tuple[int, int]) -> bool:
    """Whether more than RANK_DF items match `expression`, judged from its share of the newest
    RANK_SAMPLE items (see `_sample`: the key they start at, and how many the store holds):
    a walk of at most RANK_DF * RANK_SAMPLE / N steps (1,600 at 250,000 items) where a count
    took up to RANK_DF (1.3 ms each). A word common long ago but rare lately is scored; its
    IDF walk costs what that count would have."""
    start, indexed = sample
    cap = RANK_DF * min(RANK_SAMPLE, indexed) // max(1, indexed)
    return _matches_from(conn, expression, start, cap + 1) > cap


def _matches_from(conn: sqlite3.Connection, expression: str, start: int, cap: int) -> int:
    """How many items with a key from `start` on match `expression`, counted up to `cap`."""
    sql = "SELECT count(*) FROM (SELECT 1 FROM search WHERE search MATCH ? AND rowid >= ? LIMIT ?)"
    return int(conn.execute(sql, (expression, start, cap)).fetchone()[0])


def _sample(conn: sqlite3.Connection) -> tuple[int, int]:
    """The lowest key of the newest RANK_SAMPLE indexed items, and how many are indexed."""
    return _newest(conn, RANK_SAMPLE), _all_indexed(conn)


def _scored(
    conn: sqlite3.Connection,
    plan: Plan,
    window: list[int],
    matches: int,
    sample: tuple[int, int],
) -> dict[int, float]:
    """bm25 of the window's items, scored on the rank terms that are not common.

    FTS5's bm25 first walks every match of each phrase it scores, for its IDF: for a word in
    half the store that walk costs more than the rest of the search, and its IDF is nil (FTS5
    makes it 1e-6: such a word carries no weight in the score anyway). So a term found in more
    than RANK_DF items is left out of the score (its IDF would be at most ln(N / RANK_DF)); a
    query of only such terms is ranked by its headline matches, then newest first. Every term
    is in at least the query's `matches` (see `_matches_for_rank`): past RANK_DF, all are
    common; a plain query's one term is in exactly that many, and not common otherwise. Else
    its share of the newest items tells (`_common`)."""
    terms = [t for t in plan.rank if t is not None]
    if matches > RANK_DF:
        return {}
    if not plan.plain:
        terms = [t for t in terms if not _common(conn, t, sample)]
    if not terms:
        return {}
    return {r[0]: r[1] for r in _among(conn, "rowid, -rank", " AND ".join(terms), window, plan)}


def _among(
    conn: sqlite3.Connection, columns: str, expression: str, window: Sequence[int], plan: Plan
) -> list[sqlite3.Row]:
    """`columns` of the items in `window` (keys, newest first) that match `expression`. FTS5
    is given only the range of keys: handed a list, it would start the query once per key
    (and bm25 its IDF walk each time). When the window is not every match of the expression
    in that range (see Plan.plain), the unary + keeps the list a filter on the rows FTS5
    returns."""
    sql = f"SELECT {columns} FROM search WHERE search MATCH ? AND rowid >= ? AND rowid <= ?"
    args: list[object] = [expression, window[-1], window[0]]
    if not plan.plain:  # else whatever matches there is in the window (see Plan.plain)
        sql += " AND +rowid IN (SELECT value FROM json_each(?))"
        args.append(json.dumps(list(window)))
    return conn.execute(sql, args).fetchall()


def _item_ids(conn: sqlite3.Connection, keys: Sequence[int]) -> dict[int, int]:
    """The items these date keys stand for."""
    rows = conn.execute(
        "SELECT key, item_id FROM search_keys WHERE key IN (SELECT value FROM json_each(?))",
        (json.dumps(list(keys)),),
    )
    return {r[0]: r[1] for r in rows}


def bodies(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, str]:
    """The plain-text bodies of these items (for snippets)."""
    marks = ",".join("?" * len(ids)) or "NULL"
    rows = conn.execute(
        "SELECT item_id, summary, content, content_type, full_text FROM item_texts"
        f" WHERE item_id IN ({marks})",
        list(ids),
    )
    return {r[0]: body_text(r[1], r[2], r[3], r[4]) for r in rows}
