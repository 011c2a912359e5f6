"""`tidings completion bash|zsh|fish`: shell completion scripts generated from the parser itself,
so they never drift from the real subcommands and options."""

from __future__ import annotations

import argparse
import sys

from reader.commands import Context, Subparsers, command
from reader.errors import UsageError

SHELLS = ("bash", "zsh", "fish")


def register(subs: Subparsers) -> None:
    """The completion subcommand."""
    c = command(subs, "completion", "print a shell completion script",
                "tidings completion bash > ~/.local/share/bash-completion/completions/tidings",
                cmd_completion)  # fmt: skip
    c.add_argument("shell", choices=SHELLS)


Spec = dict[str, list[str]]


def _commands(parser: argparse.ArgumentParser) -> tuple[Spec, Spec]:
    """Each subcommand with its option strings ("" holds the global options), and with the
    values its positional arguments take (`completion`: bash zsh fish)."""
    found: Spec = {"": []}
    values: Spec = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = [o for a in sub._actions for o in a.option_strings]
                values[name] = [str(c) for a in sub._actions if not a.option_strings
                                for c in a.choices or ()]  # fmt: skip
        else:
            found[""] += action.option_strings
    return found, values


def bash(spec: Spec, values: Spec) -> str:
    """A bash completion function: options after a -, else the command's values, else files."""
    cases = "".join(
        f'        {name}) opts="{" ".join(opts)}"; vals="{" ".join(values.get(name, ()))}" ;;\n'
        for name, opts in spec.items()
        if name
    )
    names = " ".join(n for n in spec if n)
    return f"""# bash completion for tidings
_tidings() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" cmd="" opts="" vals="" w
    for w in "${{COMP_WORDS[@]:1:COMP_CWORD-1}}"; do
        case "$w" in -*) ;; *) cmd="$w"; break ;; esac
    done
    case "$cmd" in
        "") opts="{names} {" ".join(spec[""])}" ;;
{cases}    esac
    case "$cur" in -*) ;; *) [ -n "$vals" ] && opts="$vals" ;; esac
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    [ ${{#COMPREPLY[@]}} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur"))
}}
complete -F _tidings tidings
"""


def zsh(spec: Spec, values: Spec) -> str:
    """A zsh completion function (compdef)."""
    names = " ".join(n for n in spec if n)

    def first(name: str) -> str:
        vals = values.get(name)
        return f"'1:value:({' '.join(vals)})'" if vals else "'*:file:_files'"

    cases = "".join(
        f"        {name}) _arguments -s {first(name)} {' '.join(repr(o) for o in opts)} ;;\n"
        for name, opts in spec.items()
        if name
    )
    return f"""#compdef tidings
_tidings() {{
    local -a commands
    commands=({names})
    if (( CURRENT == 2 )); then
        _describe 'command' commands
        return
    fi
    case "$words[2]" in
{cases}    esac
}}
compdef _tidings tidings
"""


def fish(spec: Spec, values: Spec) -> str:
    """fish `complete` lines."""
    lines = ["# fish completion for tidings", "complete -c tidings -f"]
    for name in (n for n in spec if n):
        lines.append(f"complete -c tidings -n __fish_use_subcommand -a {name}")
        if values.get(name):
            seen = f"'__fish_seen_subcommand_from {name}'"
            lines.append(f"complete -c tidings -n {seen} -a '{' '.join(values[name])}'")
        for opt in spec[name]:
            flag = f"-l {opt[2:]}" if opt.startswith("--") else f"-s {opt[1:]}"
            lines.append(f"complete -c tidings -n '__fish_seen_subcommand_from {name}' {flag}")
    return "\n".join(lines) + "\n"


def cmd_completion(ctx: Context, args: argparse.Namespace) -> int:
    from reader.cli import build_parser

    spec, values = _commands(build_parser())
    makers = {"bash": bash, "zsh": zsh, "fish": fish}
    if args.shell not in makers:
        raise UsageError(f"no completion for {args.shell}; choose one of {', '.join(SHELLS)}")
    sys.stdout.write(makers[args.shell](spec, values))
    return 0
