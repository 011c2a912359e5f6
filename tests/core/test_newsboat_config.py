"""newsboat's killfile (`ignore-article`) converted to [[rules]] by
`tidings import --newsboat-config FILE`, and what is not converted listed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.config import RuleSpec, load_config
from reader.feeds.newsboat_config import convert_config, convert_expression
from reader.rules import load_rules

CONFIG = r"""# newsboat config
reload-threads 8
ignore-article "*" "title =~ \"Sponsored\""
ignore-article "https://x.org/feed" "author = \"Bot\" and title !~ \"release notes\""
ignore-article "*" "title =~ \"^Ad:.*\""
ignore-article "*" "tags # \"spam\" or age > 30"
ignore-article "*" "enclosure_type = \"video/mp4\""
ignore-mode "display"
highlight article "title =~ \"x\"" red
ignore-article "*" "(feedtitle = \"咸宁新闻\" and unread = \"no\")"
ignore-article "*" "title =~ \"unclosed
"""


@pytest.mark.parametrize(
    ("expression", "queries"),
    [
        ('title =~ "Sponsored"', ['"Sponsored"']),
        ('content =~ "win a phone" and author != "Alice"', ['"win a phone" -author:"Alice"']),
        ('feedurl =~ "example.org" or feedtitle = "BBC"', ['feed:"example.org"', 'feed:"BBC"']),
        ('tags !# "keep" and age < 7', ['-tag:"keep" since:7d']),
        ('unread = "yes"', ["is:unread"]),
        ('description =~ "禁毒"', ['"禁毒"']),
    ],
)
def test_expressions_that_map_onto_the_search_language(expression: str, queries: list[str]) -> None:
    assert convert_expression(expression) == queries
    assert not load_rules([RuleSpec(q, "hide") for q in queries]).problems


def test_a_config_converts_what_maps_and_lists_the_rest() -> None:
    got = convert_config(CONFIG)
    assert got.rules == [
        RuleSpec('"Sponsored"', "hide"),
        RuleSpec('feed:"https://x.org/feed" author:"Bot" -"release notes"', "hide"),
        RuleSpec('tag:"spam"', "hide"),
        RuleSpec("before:30d", "hide"),
        RuleSpec('feed:"咸宁新闻" is:read', "hide"),
    ]
    skipped = "\n".join(got.skipped)
    assert len(got.skipped) == 4
    assert "line 5" in skipped and "a regular expression" in skipped
    assert "line 7" in skipped and "enclosure_type" in skipped
    assert "line 9: highlight" in skipped and "line 11" in skipped
    assert "reload-threads" not in skipped  # not a killfile line: not reported


def test_import_appends_the_rules_to_config_toml_once(tmp_path: Path, tidings_home: Path) -> None:
    source = tmp_path / "config"
    source.write_text(CONFIG, encoding="utf-8")
    config = tidings_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[ui]\ntheme = "nord"', encoding="utf-8")

    def run() -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "reader", "import", "--newsboat-config", str(source)]
        return subprocess.run(cmd, capture_output=True, text=True, env=os.environ)

    first = run()
    assert first.returncode == 0, first.stderr
    assert "5 rules added" in first.stdout and "4 lines not converted" in first.stdout
    assert first.stderr.count("not converted: line") == 4
    loaded = load_config(config)
    assert loaded.ui.theme == "nord" and len(loaded.rules) == 5
    assert loaded.rules[4] == RuleSpec('feed:"咸宁新闻" is:read', "hide")
    again = run()
    assert "0 rules added" in again.stdout and "(5 already there)" in again.stdout
    assert len(load_config(config).rules) == 5
