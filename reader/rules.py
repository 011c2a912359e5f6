"""Rules: `[[rules]]` in config.toml, a query in the search language and an action.

    [[rules]]
    query = 'feed:"Tech News" bitcoin -"bitcoin museum"'
    action = "hide"             # read, hide, tag:NAME, bookmark, notify

Rules apply to the new items a refresh stores, in the transaction that stores them
(store/ruling.py calls `RuleRun.match`), and to what is stored with `tidings rules --apply` (which
asks the search index, store/search.py). A rule whose query cannot be read, or whose action is
unknown, is reported with its number and why and left out: it never stops a refresh.

New items are matched in Python, on their index text, as the index would match them
(reader/rulematch.py), not by asking the index: a query per rule per feed costs the refresh's
process more than the matching (benchmarks/rules.py). The parser processes, which make each new
item's index text, decide which of the rules' words and phrases it holds (ParsedItem.terms, one
pass per item for all rules), for the feeds some rule with words may apply to; the refresh's
process combines those per rule with set operations and checks the rest (dates, authors, the
feed's name and tags).
Every rule sees the item as it arrived (unread, not bookmarked): rules do not see each other's
actions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from reader.config import RuleSpec
from reader.errors import UsageError
from reader.models import ParsedItem
from reader.rulematch import ItemText, Matcher, matcher, title_text
from reader.store.query import Query, Term, parse

ACTIONS = ("read", "hide", "bookmark", "notify")  # and tag:NAME


@dataclass(frozen=True, slots=True)
class Action:
    """What a rule does: `kind` is read, hide, tag, bookmark or notify (`tag` for tag)."""

    kind: str
    tag: str = ""

    def __str__(self) -> str:
        return f"tag:{self.tag}" if self.kind == "tag" else self.kind


def parse_action(text: str) -> Action:
    """An action as written in a rule (UsageError with what would do)."""
    word = text.strip()
    if word.lower().startswith("tag:"):
        tag = " ".join(word[4:].split())
        if not tag:
            raise UsageError("action: tag: needs a name (tag:later)")
        return Action("tag", tag)
    if word.lower() in ACTIONS:
        return Action(word.lower())
    raise UsageError(
        f"action: {word!r} is not one of read, hide, tag:NAME, bookmark, notify" if word else
        "action: missing (read, hide, tag:NAME, bookmark or notify)"
    )  # fmt: skip


@dataclass(frozen=True)
class Rule:
    """A usable rule: its number in config.toml (from 1), its query and its action."""

    number: int
    text: str
    query: Query
    action: Action
    include: tuple[Matcher, ...] = ()
    exclude: tuple[Matcher, ...] = ()
    authors: tuple[Matcher, ...] = ()
    not_authors: tuple[Matcher, ...] = ()
    impossible: bool = False  # words were given but none has a letter or digit
    words_only: bool = False  # nothing to check but the words (no dates, authors, states)
    held: frozenset[int] = frozenset()  # the include terms, as indices into Rules.terms
    shunned: frozenset[int] = frozenset()  # the exclude terms, likewise

    @property
    def reads_text(self) -> bool:
        """Whether the rule looks at the item's words (else feed, date and state only)."""
        return bool(self.include or self.exclude)

    def applies_to_feed(self, title: str, url: str, tags: Sequence[str]) -> bool:
        """The rule's feed:, tag:, -feed: and -tag: filters, for one feed."""
        q = self.query
        names = (title.casefold(), url.casefold())
        named = [any(n.casefold() in x for x in names) for n in q.feeds]
        banned = [any(n.casefold() in x for x in names) for n in q.not_feeds]
        folded = {t.casefold() for t in tags}
        if q.feeds and not any(named):
            return False
        if q.tags and not any(t.casefold() in folded for t in q.tags):
            return False
        return not any(banned) and not any(t.casefold() in folded for t in q.not_tags)

    def fits(self, text: ItemText, published: int) -> bool:
        """Everything but the words: a new item is unread, not bookmarked, not hidden; its
        date; its author."""
        q = self.query
        if self.impossible or q.read or q.bookmarked or q.hidden:
            return False
        if (q.since is not None and published < q.since) or (
            q.before is not None and published >= q.before
        ):
            return False
        if self.authors or self.not_authors:
            author = text.author
            if not all(m.found(author) for m in self.authors):
                return False
            if any(m.found(author) for m in self.not_authors):
                return False
        return True

    def matches(self, text: ItemText, published: int) -> bool:
        """Whether a new item matches the rule; the feed filters are checked once per feed
        (`applies_to_feed`)."""
        if not self.fits(text, published):
            return False
        whole = text.whole
        if not all(m.found(whole) for m in self.include):
            return False
        return not any(m.found(whole) for m in self.exclude)


def _matchers(terms: Iterable[Term]) -> tuple[Matcher, ...]:
    return tuple(m for t in terms if (m := matcher(t)) is not None)


def compile_rule(number: int, spec: RuleSpec) -> Rule:
    """One [[rules]] table as a Rule (UsageError saying what is wrong with it)."""
    if not spec.query.strip():
        raise UsageError("query: missing or empty (it would match every item)")
    try:
        query = parse(spec.query)
    except UsageError as exc:
        raise UsageError(f"query: {exc}") from None
    action = parse_action(spec.action)
    include = _matchers(query.include)
    authors = _matchers(query.authors)
    typed = query.include or query.authors
    impossible = bool(typed) and not (include or authors)
    q, not_authors = query, _matchers(query.not_authors)
    words_only = not (
        impossible
        or q.read
        or q.bookmarked
        or q.hidden
        or authors
        or not_authors
        or q.since is not None
        or q.before is not None
    )
    return Rule(
        number, spec.query, query, action,
        include=include, exclude=_matchers(query.exclude),
        authors=authors, not_authors=not_authors,
        impossible=impossible, words_only=words_only,
    )  # fmt: skip


@dataclass(frozen=True)
class Rules:
    """The usable rules and one line for each that is not (`rule N: why`)."""

    rules: tuple[Rule, ...] = ()
    problems: tuple[str, ...] = ()
    terms: tuple[Matcher, ...] = ()  # every rule's words and phrases, once each (the
    # parser processes decide which of them each new item holds: ParsedItem.terms)

    @property
    def notifying(self) -> bool:
        """Whether some rule notifies (then only its matches are notified)."""
        return any(r.action.kind == "notify" for r in self.rules)


def load_rules(specs: Sequence[RuleSpec]) -> Rules:
    """Compile `[[rules]]`; a rule that cannot be used is reported and left out."""
    rules: list[Rule] = []
    problems: list[str] = []
    for number, spec in enumerate(specs, 1):
        try:
            rules.append(compile_rule(number, spec))
        except UsageError as exc:
            problems.append(f"config.toml: rule {number} ({spec.query!r}): {exc}")
    terms = tuple({m.key: m for r in rules for m in (*r.include, *r.exclude)}.values())
    index = {m.key: n for n, m in enumerate(terms)}

    def ids(matchers: tuple[Matcher, ...]) -> frozenset[int]:
        return frozenset(index[m.key] for m in matchers)

    known = (replace(r, held=ids(r.include), shunned=ids(r.exclude)) for r in rules)
    return Rules(tuple(known), tuple(problems), terms)


@dataclass(frozen=True, slots=True)
class Noted:
    """A new item for the notification: its title and its feed's."""

    title: str
    feed: str
    published: int


@dataclass
class RuleRun:
    """The rules over one refresh: what matched each new item, and what to notify about.
    Used from the store's writer thread; read after the refresh."""

    rules: Rules = field(default_factory=Rules)
    new_items: int = 0
    notify_matches: int = 0
    newest: Noted | None = None  # the newest new item
    newest_notify: Noted | None = None  # the newest item a notify rule matched
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _titles: dict[str, frozenset[int]] = field(default_factory=dict, repr=False)

    def feed_rules(self, title: str, url: str, tags: Sequence[str]) -> list[Rule]:
        """The rules whose feed filters let this feed's items through."""
        return [r for r in self.rules.rules if r.applies_to_feed(title, url, tags)]

    def terms_for(self, title: str, url: str, tags: Sequence[str]) -> tuple[Matcher, ...]:
        """The terms the parser processes should look for in a feed's items: all of them
        when a rule with words may apply to the feed, else none. (Should the refresh give the
        feed a title that lets such a rule in after all, its items are matched in full when
        they are stored: `match` without ParsedItem.terms.)"""
        rules = self.rules.rules
        if any(r.reads_text and r.applies_to_feed(title, url, tags) for r in rules):
            return self.rules.terms
        return ()

    def match(
        self, rules: Sequence[Rule], item: ParsedItem, feed_title: str, published: int
    ) -> list[Action]:
        """The actions of every rule in `rules` that `item` matches (in rule order)."""
        text = ItemText(item, feed_title)
        actions: list[Action] = []
        if item.terms is not None:  # the parser process decided which words the item holds
            held = self._title_terms(feed_title).union(item.terms)
            for rule in rules:  # the hot loop of a cold refresh: set operations in C
                if (rule.held <= held and held.isdisjoint(rule.shunned)
                        and (rule.words_only or rule.fits(text, published))):  # fmt: skip
                    actions.append(rule.action)
            return actions
        for rule in rules:  # the words not decided beforehand (ParsedItem.terms): all here
            if rule.matches(text, published):
                actions.append(rule.action)
        return actions

    def _title_terms(self, feed_title: str) -> frozenset[int]:
        """The terms a feed's title holds (a word matches an item by its feed's name too)."""
        found = self._titles.get(feed_title)
        if found is None:
            folded = title_text(feed_title)
            terms = self.rules.terms
            found = frozenset(n for n, m in enumerate(terms) if m.found(folded))
            self._titles[feed_title] = found
        return found

    def note(self, items: Sequence[tuple[ParsedItem, int, bool]], feed_title: str) -> None:
        """Count one feed's new items for the notification: (item, its date, whether a notify
        rule matched it)."""
        if not items:
            return
        newest = max(items, key=lambda x: x[1])
        matched = [x for x in items if x[2]]
        with self._lock:
            self.new_items += len(items)
            if self.newest is None or newest[1] > self.newest.published:
                self.newest = Noted(newest[0].title, feed_title, newest[1])
            if matched:
                self.notify_matches += len(matched)
                best = max(matched, key=lambda x: x[1])
                if self.newest_notify is None or best[1] > self.newest_notify.published:
                    self.newest_notify = Noted(best[0].title, feed_title, best[1])
