"""The store's search (store.db.Store has these methods): queries in the search language
(store/query.py) run by store/search.py, their counts, and the indexing of items queued for the
index (store/indexing.py) that a search on a writable store does first."""

from __future__ import annotations

import contextlib
from concurrent.futures import CancelledError

from reader.errors import StoreBusy
from reader.models import SearchResult
from reader.store.counting import Counter
from reader.store.transactions import Transactions


class Searching(Transactions):
    """Search (a base of store.db.Store, which opens `_counter`)."""

    _counter: Counter  # counts search matches beside the ranking query

    def search(
        self, query: str, limit: int = 50, offset: int = 0, *, exact: bool = True
    ) -> SearchResult:
        """Items matching `query`, best first (newest first with sort:date or no words), with
        snippets; `total` counts every match. Without `exact` the total may be an estimate
        (result.exact False) while the count goes on: `search_total` gives it. A writable store
        indexes queued items first. QueryError (a UsageError) for a filter it cannot read."""
        from reader.store import search as searchsql

        if self.writable:
            self.index_pending()
        with self._reading("search") as conn:
            return searchsql.run(conn, query, limit, offset, counter=self._counter, exact=exact)

    def search_total(self, query: str) -> int:
        """How many items match `query`: the count a search left running, or a new one."""
        from reader.store import search as searchsql

        with self._reading("search") as conn:
            statement = searchsql.statement(conn, query)
        if statement is None:
            return 0
        running = self._counter.running(*statement)
        if running is not None:
            with contextlib.suppress(CancelledError):
                return running.result()
        return int(self._read(*statement)[0][0])

    def search_count(self, query: str) -> int:
        """How many items match `query` (no ranking or snippets: cheap enough for a list of
        saved searches; add is:unread for their unread counts)."""
        from reader.store import search as searchsql

        if self.writable:
            self.index_pending()
        with self._reading("search") as conn:
            return searchsql.count_matches(conn, query)

    def index_pending(self, limit: int | None = None, chunk: int = 1000) -> int:
        """Add the queued items (brought in bulk by an import; a refresh indexes its own) to
        the search index, `chunk` per transaction (so other writes interleave); returns how
        many. search() calls this on a writable store. It never waits for another process's
        write: what is left is indexed next time."""
        from reader.store import indexing

        done = 0
        with self._reading() as conn:
            if not conn.execute("SELECT 1 FROM search_pending LIMIT 1").fetchone():
                return 0  # the usual case: no write transaction at all
        while limit is None or done < limit:
            step = chunk if limit is None else min(chunk, limit - done)
            try:
                with self.transaction(wait=0) as conn:
                    count = indexing.index_pending(conn, step)
            except StoreBusy:
                break
            done += count
            if count < step:
                break
        return done
