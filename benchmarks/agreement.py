"""`python -m benchmarks.agreement DIR [DIR...] [-v]`: do the fast path and feedparser agree?

Every feed document under each DIR (*.xml, *.rss, *.atom, *.rdf: another project's test fixtures,
fetched by hand, never vendored) is read by `parse_feed` (the fast path, or feedparser when the
fast path hands the document over) and by the feedparser path alone, and every stored field of
the two `ParsedFeed`s is compared (title, site URL, and each item's key, title, link, author,
dates, summary, content, type and enclosures; not the format name or warning).

feedparser's own fixtures carry an `Expect:` line (an expression over feedparser's result);
those whose expression names no field tidings keeps (a feed's `tags`, `cloud`, `geo`...) are
left out, as are those feedparser itself reads as ill-formed. Fixtures without such a line
(other readers' suites) all count. Prints, per DIR, how many agree; with -v, where each
disagreement lies.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import re
from pathlib import Path
from typing import Any

from reader.errors import ParseError
from reader.feeds.charset import xml_to_utf8
from reader.feeds.emulate import NotUnderstood
from reader.feeds.parse import _parse_fast, _parse_feedparser, parse_feed
from reader.feeds.urls import document_base

URL = "http://example.org/feeds/fixture.xml"
SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}
_EXPECT = re.compile(rb"Expect:\s*(.*?)\s*(?:\n\s*-->|\Z)", re.S)
_HEADER = re.compile(rb"^Header:\s*([^:]+):\s*(.*)$", re.M)
_ENTRY_KEY = re.compile(r"entries\[\d+\]\[['\"](\w+)['\"]\]")
_FEED_KEY = re.compile(r"feed\[['\"](\w+)['\"]\]")
KEPT_ENTRY = {
    "title", "title_detail", "link", "links", "author", "author_detail", "authors",
    "published", "published_parsed", "updated", "updated_parsed", "created", "issued",
    "modified", "date", "summary", "summary_detail", "description", "content", "enclosures",
    "id", "guidislink", "media_content", "media_thumbnail", "itunes_duration", "subtitle",
    "source", "href",
}  # fmt: skip
KEPT_FEED = {"title", "title_detail", "link", "links"}


@dataclasses.dataclass
class Outcome:
    """One fixture: counted or not, where the two readings differ, and why the fast path handed
    the document to feedparser ("" when it read it itself)."""

    path: Path
    counted: bool
    differences: list[str]
    handed_over: str = ""


def _relevant(text: bytes) -> bool:
    match = _EXPECT.search(text[:4096])
    if match is None:
        return True
    expect = match.group(1).decode("utf-8", "replace")
    if "bozo" in expect and "not bozo" not in expect:
        return False  # feedparser itself reads it as ill-formed
    entry = set(_ENTRY_KEY.findall(expect)) & KEPT_ENTRY
    return bool(entry or set(_FEED_KEY.findall(expect)) & KEPT_FEED)


def _reading(call: Any) -> dict[str, Any]:
    try:
        feed = call()
    except ParseError as exc:
        return {"error": str(exc)}
    data = dataclasses.asdict(feed)
    return {k: v for k, v in data.items() if k not in ("format", "warning")}


def _headers(text: bytes) -> dict[str, str]:
    return {k.decode().strip().lower(): v.decode().strip() for k, v in _HEADER.findall(text)}


def compare(path: Path) -> Outcome:
    """Read `path` both ways and list the fields that differ."""
    body = path.read_bytes()
    if not _relevant(body):
        return Outcome(path, False, [])
    headers = _headers(body[:4096]) if "/http/" in path.as_posix() else {}
    base = document_base(URL, headers.get("content-location", ""))

    def lenient() -> Any:
        if not body.strip():
            raise ParseError("empty body")
        xml = xml_to_utf8(body, headers.get("content-type", ""))
        return _parse_feedparser(xml.body, headers, base)

    one, two = _reading(lambda: parse_feed(body, headers, URL)), _reading(lenient)
    return Outcome(path, True, _differences(one, two), _handed_over(body, headers, base))


def _handed_over(body: bytes, headers: dict[str, str], base: str) -> str:
    """Why the fast path would not read `body` ("" when it would)."""
    try:
        _parse_fast(xml_to_utf8(body, headers.get("content-type", "")).body, base)
    except NotUnderstood as why:
        return str(why).split(":")[0][:60]
    except ParseError:
        return "not a feed"
    return ""


def _differences(one: dict[str, Any], two: dict[str, Any]) -> list[str]:
    if "error" in one or "error" in two:
        return [] if ("error" in one) == ("error" in two) else [f"error: {one} / {two}"]
    out = [f"{k}: {one[k]!r} / {two[k]!r}" for k in ("title", "site_url") if one[k] != two[k]]
    if len(one["items"]) != len(two["items"]):
        return [*out, f"items: {len(one['items'])} / {len(two['items'])}"]
    for n, (a, b) in enumerate(zip(one["items"], two["items"], strict=True)):
        out += [f"items[{n}].{k}: {a[k]!r:.120} / {b[k]!r:.120}" for k in a if a[k] != b[k]]
    return out


def fixtures(root: Path) -> list[Path]:
    """The feed documents under `root`."""
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    for root in args.dirs:
        results = [compare(p) for p in fixtures(root)]
        counted = [r for r in results if r.counted]
        agree = sum(1 for r in counted if not r.differences)
        share = agree / len(counted) if counted else 1.0
        fast = sum(1 for r in counted if not r.handed_over)
        print(
            f"{root}: {agree}/{len(counted)} agree ({share:.1%}); {len(results)} files;"
            f" the fast path reads {fast} of the {len(counted)} itself"
        )
        if args.verbose:
            reasons = collections.Counter(r.handed_over for r in counted if r.handed_over)
            for reason, count in reasons.most_common(12):
                print(f"  handed over {count:4}: {reason}")
            for r in counted:
                if r.differences:
                    print(f"  {r.path.relative_to(root)}")
                    for line in r.differences[:4]:
                        print(f"    {line}")


if __name__ == "__main__":
    main()
