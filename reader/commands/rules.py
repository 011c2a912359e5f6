"""Rules on the command line: `tidings rules [--apply]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reader import textsafe
from reader.commands import Context, Subparsers, command, out
from reader.errors import UsageError


def register(subs: Subparsers) -> None:
    """The rules subcommand."""
    r = command(
        subs,
        "rules",
        "list the [[rules]] of config.toml (and what is wrong with any), or apply them",
        "tidings rules --apply",
        cmd_rules,
    )
    r.add_argument(
        "--apply", action="store_true", help="apply every rule to the items already stored"
    )


def cmd_rules(ctx: Context, args: argparse.Namespace) -> int:
    from reader.rules import load_rules

    rules = load_rules(ctx.config.rules)
    for problem in rules.problems:
        print(f"tidings: {textsafe.one_line(problem)}", file=sys.stderr)
    if not args.apply:
        for rule in rules.rules:
            out(f"{rule.number:>3}  {rule.action!s:<14}  {textsafe.one_line(rule.text)}")
        if not rules.rules and not rules.problems:
            out("no rules: add [[rules]] tables (query, action) to config.toml")
        return 1 if rules.problems else 0
    with ctx.store() as store:
        counts = store.apply_rules(rules.rules)
    for rule, count in zip(rules.rules, counts, strict=True):
        noun = "item" if count == 1 else "items"
        out(f"rule {rule.number} ({rule.action}): {count} {noun}")
    return 1 if rules.problems else 0


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL must be escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def import_newsboat_config(ctx: Context, path: Path) -> None:
    """`tidings import --newsboat-config FILE`: its killfile appended to config.toml as
    [[rules]] (those already there are not repeated); what was not converted is listed."""
    from reader.config import parse_config
    from reader.feeds.newsboat_config import convert_config

    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    got = convert_config(text)
    target = ctx.config.source or ctx.paths.config_file
    have = set(ctx.config.rules)
    fresh = [r for r in dict.fromkeys(got.rules) if r not in have]
    if fresh:
        old = target.read_text(encoding="utf-8") if target.exists() else ""
        block = f"\n# from {path.name} (tidings import --newsboat-config)\n" + "".join(
            f"[[rules]]\nquery = {_toml_string(r.query)}\naction = {_toml_string(r.action)}\n"
            for r in fresh
        )
        new = (old if not old or old.endswith("\n") else old + "\n") + block
        parse_config(new, target)  # never leave a config that does not read
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(new, encoding="utf-8")
    for note in got.notes:
        out(textsafe.one_line(f"  {note}"))
    for line in got.skipped:
        print(textsafe.one_line(f"tidings: not converted: {line}"), file=sys.stderr)
    there = len(set(got.rules)) - len(fresh)
    out(
        f"newsboat config: {len(fresh)} rules added to {target} ({there} already there),"
        f" {len(got.skipped)} lines not converted"
    )
