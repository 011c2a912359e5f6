"""`tidings show ID --markdown`: the story as the Markdown file M saves in the reader."""

from __future__ import annotations

from pathlib import Path

from reader.articles.markdown import read_front_matter
from tests.core.test_cli import run, seed


def test_show_markdown_has_front_matter_and_the_story(tidings_home: Path) -> None:
    ids = seed(tidings_home)
    done = run("show", str(ids[1]), "--markdown")
    assert done.returncode == 0, done.stderr
    fields, body = read_front_matter(done.stdout)
    assert fields["url"] and "王伟" in str(fields["author"])
    assert "国家禁毒委员会召开会议。" in body and "\x1b" not in done.stdout
    html = run("show", str(ids[0]), "--markdown").stdout
    assert "[x](https://example.org/x)" in html or "https://example.org/x" in html
