"""Hostile feed documents: entity expansion, external entities (files, network), garbage."""

from __future__ import annotations

import contextlib
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.errors import ParseError
from reader.feeds.charset import xml_to_utf8
from reader.feeds.fastxml import NotUnderstood
from reader.feeds.parse import _parse_fast, parse_feed
from reader.models import ParsedFeed

FEEDS = Path(__file__).parent.parent / "data" / "feeds"
ROOT = Path(__file__).parent.parent.parent


def every_string(feed: ParsedFeed) -> str:
    return repr(feed)


def test_billion_laughs_is_not_expanded() -> None:
    body = (FEEDS / "billion_laughs.xml").read_bytes()
    started = time.perf_counter()
    feed = parse_feed(body)
    assert time.perf_counter() - started < 2
    assert "lollol" not in every_string(feed) and len(every_string(feed)) < 2000
    assert feed.title == "Laughs 笑" and feed.warning
    with pytest.raises(NotUnderstood, match="Entity 'lol9' not defined"):
        _parse_fast(body)  # the DTD never reached lxml, so nothing was declared


def test_external_entity_does_not_read_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET 机密")
    body = (FEEDS / "xxe_file.xml").read_bytes().replace(b"@SECRET_PATH@", str(secret).encode())
    feed = parse_feed(body)
    assert "TOPSECRET" not in every_string(feed) and "机密" not in every_string(feed)
    assert feed.items[0].link == "http://xxe.example.com/1"


RSS = '<rss version="2.0"><channel><title>t</title><item><title>x {}</title></item></channel></rss>'


def hostile_documents(target: str) -> list[str]:
    """Every way a DTD can name an external resource, pointing at `target`."""
    rss = RSS
    param = f'[<!ENTITY % p SYSTEM "{target}"> %p;]'
    return [
        f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{target}">]>{rss.format("&x;")}',
        f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{target}"> %p;]>{rss.format("&leak;")}',
        f'<!DOCTYPE rss SYSTEM "{target}">{rss.format("")}',
        f'<!DOCTYPE rss PUBLIC "-//X//EN" "{target}">{rss.format("&nbsp;")}',
        f"<!-- <!DOCTYPE decoy> --><!DOCTYPE rss {param}>{rss.format('')}",
        f"<!DOCTYPE a><!DOCTYPE rss {param}>{rss.format('')}",
        f'<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY x SYSTEM "{target}">]>'
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>',
    ]


def test_external_entities_never_open_local_files(tmp_path: Path) -> None:
    """A FIFO with no writer blocks whoever opens it: a parse that opened it would hang."""
    fifo = tmp_path / "trap.fifo"
    os.mkfifo(fifo)
    paths = []
    for number, doc in enumerate(
        hostile_documents(f"file://{fifo}") + hostile_documents(str(fifo))
    ):
        path = tmp_path / f"doc{number}.xml"
        path.write_text(doc)
        paths.append(str(path))
    script = (
        "import sys\n"
        "from reader.errors import ParseError\n"
        "from reader.feeds.parse import parse_feed\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        parse_feed(open(path, 'rb').read())\n"
        "    except ParseError:\n"
        "        pass\n"
        "print('parsed', len(sys.argv) - 1)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *paths], cwd=ROOT, capture_output=True, timeout=60
    )
    assert done.stdout.decode().strip() == f"parsed {len(paths)}", done.stderr.decode()


def test_external_entities_never_touch_the_network() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.setblocking(False)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/x.dtd"
        for doc in hostile_documents(target):
            with contextlib.suppress(ParseError):
                parse_feed(doc.encode())
        fixture = (FEEDS / "xxe_http.xml").read_bytes()
        port = str(listener.getsockname()[1]).encode()
        feed = parse_feed(fixture.replace(b"127.0.0.1:9", b"127.0.0.1:" + port))
        assert feed.items[0].title == "Fetch: &xxe;"  # left as text, never resolved
        with pytest.raises(BlockingIOError):
            listener.accept()


def test_the_fast_path_never_sees_a_dtd() -> None:
    for doc in hostile_documents("file:///etc/passwd"):
        try:
            feed = _parse_fast(xml_to_utf8(doc.encode()).body)
        except NotUnderstood:
            continue
        assert "root:" not in every_string(feed)


def test_garbage_only_ever_raises_parse_error() -> None:
    rng = random.Random(7)
    seeds = [(FEEDS / name).read_bytes() for name in ("rss20.xml", "atom10.xml", "jsonfeed11.json")]
    for _ in range(150):
        body = bytearray(rng.choice(seeds))
        for _ in range(rng.randrange(1, 12)):
            body[rng.randrange(len(body))] = rng.randrange(256)
        if rng.random() < 0.3:
            body = body[: rng.randrange(len(body))]
        try:
            feed = parse_feed(
                bytes(body), {"content-type": rng.choice(["", "text/xml", "text/html"])}
            )
        except ParseError as error:
            assert "\n" not in str(error) and str(error)
        else:
            assert isinstance(feed, ParsedFeed)
