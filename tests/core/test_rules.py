"""Rules: reading [[rules]], matching new items as the search index would, and their actions
in the transaction that stores the items."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from reader.config import RuleSpec, parse_config
from reader.errors import ConfigError
from reader.indextext import item_index
from reader.models import ItemQuery, ParsedFeed, ParsedItem
from reader.rulematch import Matcher, TermsHeld, fold, matcher
from reader.rules import RuleRun, compile_rule, load_rules
from reader.store.db import Store
from reader.store.query import Term

NOW = 1_790_000_000


def item(
    key: str, title: str, body: str = "", author: str = "", published: int = NOW
) -> ParsedItem:
    return ParsedItem(key, title, f"https://example.org/{key}", author, published, None, "", body)


ITEMS = (
    item("1", "Bitcoin rises again", "<p>Crypto markets <b>rallied</b> today.</p>"),
    item("2", "Python 3.14 released", "<p>The new release of Python.</p>", "Alice Smith"),
    item("3", "全国禁毒示范城市", "<p>咸宁市严厉禁毒，温情戒毒。</p>"),
    item("4", "Café culture in Paris", "<p>A long read about cafés.</p>", "Zoë Müller"),
    item("5", "Election night", "<p>The elections, the elected and the electorate.</p>"),
    item("6", "Bitcoin museum opens", "<p>A museum for bitcoin history.</p>", "Bob"),
    item("7", "abc禁毒 mixed", "<p>x_y foo-bar foobar 禁毒戒毒</p>"),
    item(
        "8",
        "Storm season",
        "<p>Harbour closed &amp; storm warning; <script>hidden words</script></p>",
    ),
    item("9", "ニュース速報", "<p>한국어 뉴스 and Ελληνικά</p>"),
    item("10", "Untouched", "<p>Nothing to see.</p>", "Carol"),
    # markup the raw text must not be trusted with
    item("11", "AT&amp;T results", "<p>tele<i>phone</i> <b>storm</b>y, caf&eacute; &lt;b&gt;</p>"),
    item("12", "Tags", '<p><a title="gossip">link</a> end of election</p><p>storm season</p>'),
    item("13", "Scripts", "<p>visible</p><style>p { gossip: 1 }</style><!-- secret -->"),
    item("14", "Breaks", "<p>rail<br>way harbour</p><div>禁毒</div><div>戒毒</div>"),
    # a phrase's first word as the end of a longer one: no match there
    item("15", "Brainstorm", "<p>A brainstorm election by the railway harbour.</p>"),
)

QUERIES = (
    "bitcoin", "Bitcoin -museum", '"bitcoin museum"', "elect*", "election", "electorate",
    "cafe", "café", "CAFÉ culture", "禁毒", "禁", "戒毒", '"abc 禁毒"', "abc禁毒", "禁毒戒毒",
    '"禁毒 戒毒"', "foo", '"foo bar"', "foobar", "x", "y", "author:alice", "author:smith",
    "author:zoe", "-author:bob bitcoin", "feed:tech", "feed:tech bitcoin", "tag:crypto",
    "-tag:crypto storm", "tech", "hidden", "ニュース", "뉴스", "한국어", "ελληνικά", "harbour storm",
    "-bitcoin", "rallied", "crypto", "since:2026-01-01 storm", "before:2020-01-01 storm",
    "is:read", "is:unread python", "\"\"", "---", "python 3", "3.14",
    "phone", "telephone", "storm", "cafe", "amp", "at", "\"at t\"", "gossip", "link",
    '"election storm"', "secret", "visible", "railway", "rail", "way", '"way harbour"',
    '"禁毒 戒毒"', "b", "results", "season -gossip", '"election night"', "elect* night",
    '"全国禁毒"', "禁毒示范", "示", "戒*", "ニュ", "한국", "x_y", "foo-bar", "caf*", '"world briefs"',
    '"daily bitcoin"', "tech -bitcoin", "author:müller", '"at&t"', '"storm election"',
    '"brainstorm election"',
)  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "db") as s:
        yield s


def with_terms(item: ParsedItem, terms: tuple[Matcher, ...]) -> ParsedItem:
    return replace(item, terms=TermsHeld(terms)(item_index(item)))


def _stored(store: Store) -> dict[int, tuple[ParsedItem, str, str, tuple[str, ...], int]]:
    """Two feeds of the same items, indexed: item id -> (item, feed title, url, tags, date)."""
    feeds = (("https://tech.example/feed", "Tech Daily", ("crypto",)),
             ("https://news.example/rss", "World Briefs", ()))  # fmt: skip
    for url, title, tags in feeds:
        feed, _ = store.add_feed(url, title=title, tags=tags)
        store.store_parsed(feed.id, ParsedFeed(title, "", ITEMS, "rss20"), now=NOW)
    store.index_pending()
    by_key = {i.key: i for i in ITEMS}
    found = {}
    for h in store.headlines():
        source = store.feed_by_id(h.feed_id)
        stored = store.item(h.id)
        assert source is not None and stored is not None
        found[h.id] = (by_key[stored.key], source.title, source.url, source.tags, h.published)
    return found


@pytest.mark.parametrize("query", QUERIES)
def test_a_rule_matches_new_items_exactly_as_the_search_index_finds_them(
    store: Store, query: str
) -> None:
    from reader.store.search import matching_ids

    stored = _stored(store)
    rules = load_rules([RuleSpec(query, "read")])
    if not rules.rules:  # a query that cannot be read: search refuses it too
        return
    (rule,) = rules.rules
    run = RuleRun(rules)
    ours = {
        item_id
        for item_id, (parsed, title, url, tags, published) in stored.items()
        if rule.applies_to_feed(title, url, tags) and run.match([rule], parsed, title, published)
    }
    # the same with the terms decided by the parser process (ParsedItem.terms)
    gated = {
        item_id
        for item_id, (parsed, title, url, tags, published) in stored.items()
        if rule.applies_to_feed(title, url, tags)
        and run.match([rule], with_terms(parsed, rules.terms), title, published)
    }
    with store._reading() as conn:
        indexed = set(matching_ids(conn, query))
    assert ours == indexed and gated == indexed


def test_fold_is_the_index_folding() -> None:
    assert fold("Café MÜLLER") == "cafe muller"
    assert fold("한국") == "한국"  # Hangul syllables stay whole
    assert fold("Zoë 한국") == "zoe 한국"
    elect = matcher(Term("elect", prefix=True))
    assert elect is not None and elect.found("the electorate")
    assert elect.found("re-elected") and not elect.found("reelected")
    assert matcher(Term("---")) is None


def test_rules_are_read_and_a_bad_one_is_reported_with_its_number() -> None:
    cfg = parse_config(
        """
        [[rules]]
        query = "bitcoin"
        action = "hide"
        [[rules]]
        query = "since:yesterday"
        action = "read"
        [[rules]]
        query = "python"
        action = "tag: later "
        [[rules]]
        query = "python"
        action = "explode"
        [[rules]]
        action = "read"
        [[rules]]
        query = "feed:x"
        action = "tag:"
        """
    )
    rules = load_rules(cfg.rules)
    assert [(r.number, str(r.action)) for r in rules.rules] == [(1, "hide"), (3, "tag:later")]
    assert len(rules.problems) == 4
    two, four, five, six = rules.problems
    assert two.startswith("config.toml: rule 2 ('since:yesterday'): query: since: takes a date")
    assert "rule 4" in four and "'explode' is not one of read, hide, tag:NAME" in four
    assert "rule 5" in five and "query: missing or empty" in five
    assert "rule 6" in six and "tag: needs a name" in six
    assert all("\n" not in p for p in rules.problems)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules = 3", "rules: expected tables"),
        ("rules = [1]", "rules 1: expected a table"),
        ('[[rules]]\nquery = 5\naction = "read"', "rules 1: query: expected a string"),
        ('[[rules]]\nquery = "x"\nwhen = "now"', "rules 1: when: unknown key"),
    ],
)
def test_a_malformed_rules_table_is_a_config_error(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(text)


def _rules(*pairs: tuple[str, str]) -> RuleRun:
    return RuleRun(load_rules([RuleSpec(q, a) for q, a in pairs]))


def test_actions_apply_to_new_items_in_the_storing_transaction(store: Store) -> None:
    feed, _ = store.add_feed("https://tech.example/feed", title="Tech Daily")
    run = _rules(("bitcoin -museum", "hide"), ("python", "read"), ("python", "tag:later"),
                 ("author:zoe", "bookmark"), ("禁毒", "notify"), ("nothing-matches", "hide"))  # fmt: skip
    parsed = ParsedFeed("Tech Daily", "", ITEMS, "rss20")
    assert store.store_parsed(feed.id, parsed, now=NOW, rules=run) == len(ITEMS)
    titles = {h.title: h for h in store.headlines()}
    assert "Bitcoin rises again" not in titles and "Bitcoin museum opens" in titles
    assert titles["Python 3.14 released"].read and not titles["Election night"].read
    assert titles["Café culture in Paris"].bookmarked
    assert store.item_tag_counts() == [("later", 1)]
    assert store.count() == len(ITEMS) - 1 and store.unread_counts() == {feed.id: len(ITEMS) - 2}
    hidden = store.search("is:hidden")
    assert [h.headline.title for h in hidden.hits] == ["Bitcoin rises again"]
    assert store.search("bitcoin").total == 1 and store.search("bitcoin is:hidden").total == 1
    assert store.count(ItemQuery(hidden=True)) == 1
    assert (run.new_items, run.notify_matches) == (len(ITEMS), 3)
    assert run.newest_notify is not None
    assert run.newest_notify.title in {"全国禁毒示范城市", "abc禁毒 mixed", "Breaks"}
    # the same document again brings nothing new and changes nothing
    assert store.store_parsed(feed.id, parsed, now=NOW + 60, rules=run) == 0
    assert run.new_items == len(ITEMS)


def test_rules_apply_to_what_is_stored(store: Store) -> None:
    feed, _ = store.add_feed("https://tech.example/feed", title="Tech Daily")
    store.store_parsed(feed.id, ParsedFeed("Tech Daily", "", ITEMS, "rss20"), now=NOW)
    rules = load_rules([RuleSpec("bitcoin", "hide"), RuleSpec("禁毒", "tag:禁毒"),
                        RuleSpec("feed:tech", "read")])  # fmt: skip
    # rules apply in order: the hidden ones are no longer there for the third
    assert store.apply_rules(rules.rules) == [2, 3, len(ITEMS) - 2]
    assert store.count() == len(ITEMS) - 2
    assert store.unread_counts() == {}
    assert store.count(ItemQuery(hidden=True, unread=True)) == 2
    assert store.item_tag_counts() == [("禁毒", 3)]
    assert store.search("is:hidden").total == 2
    assert store.apply_rules(rules.rules) == [0, 3, len(ITEMS) - 2]


def test_words_split_by_markup_match_as_the_index_has_them() -> None:
    """`tele<i>phone</i>` shows (and is indexed) as one word, telephone, not phone; a phrase
    runs across block tags (the matchers read the index text, rulematch.py)."""
    split = item("s", "Split", "<p>tele<i>phone</i> election</p><p>storm</p>")
    run = RuleRun(load_rules(()))
    found = [r for r in ("telephone", '"election storm"', "phone")
             if run.match([compile_rule(1, RuleSpec(r, "read"))], split, "Feed", NOW)]  # fmt: skip
    assert found == ["telephone", '"election storm"']


def test_the_rules_command_lists_applies_and_reports(
    tidings_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli import main
    from reader.paths import default_paths

    config = tidings_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        '[[rules]]\nquery = "bitcoin"\naction = "hide"\n'
        '[[rules]]\nquery = "is:starred"\naction = "read"\n',
        encoding="utf-8",
    )
    assert main(["rules"]) == 1
    listed = capsys.readouterr()
    assert "  1  hide" in listed.out and "bitcoin" in listed.out
    assert "rule 2 ('is:starred'): query: is: takes unread" in listed.err
    with Store.open(default_paths().db_file) as store:
        feed, _ = store.add_feed("https://tech.example/feed", title="Tech Daily")
        store.store_parsed(feed.id, ParsedFeed("Tech Daily", "", ITEMS, "rss20"), now=NOW)
    assert main(["rules", "--apply"]) == 1
    assert "rule 1 (hide): 2 items" in capsys.readouterr().out
    with Store.open(default_paths().db_file, readonly=True) as store:
        assert store.count() == len(ITEMS) - 2
